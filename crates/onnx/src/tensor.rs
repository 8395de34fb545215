//! What the importer knows of a tensor: its static shape and, for small constants, its values (the
//! shapes, axes and pads that shape operators take as inputs).

use crate::proto::{data_type, TensorProto};
use maestro_ir::limits::MAX_SIZE;

/// Constants with more elements than this keep their shape but not their values: shape operands are
/// short vectors, and weights are never read.
pub const MAX_CONSTANT_ELEMENTS: usize = 1024;

/// The largest rank the importer accepts (ONNX sets none; real models stay far below).
pub const MAX_RANK: usize = 16;

/// Known values of a small constant tensor, flattened in row-major order.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    Ints(Vec<i64>),
    Floats(Vec<f64>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Ints(values) => values.len(),
            Values::Floats(values) => values.len(),
        }
    }

    /// Integer values (floats are truncated toward zero, as a `Cast` to an integer would).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn as_ints(&self) -> Vec<i64> {
        match self {
            Values::Ints(values) => values.clone(),
            Values::Floats(values) => values.iter().map(|&v| v as i64).collect(),
        }
    }

    pub fn as_floats(&self) -> Vec<f64> {
        match self {
            Values::Ints(values) => values.iter().map(|&v| v as f64).collect(),
            Values::Floats(values) => values.clone(),
        }
    }
}

/// A tensor's static shape and, when small and constant, its values.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorInfo {
    pub shape: Vec<u64>,
    pub values: Option<Values>,
}

impl TensorInfo {
    pub fn of_shape(shape: Vec<u64>) -> TensorInfo {
        TensorInfo {
            shape,
            values: None,
        }
    }

    pub fn rank(&self) -> usize {
        self.shape.len()
    }
}

/// Why a tensor proto cannot be read.
#[derive(Debug)]
pub enum TensorReadError {
    NegativeDimension(i64),
    TooLarge(u64),
    RankTooLarge(usize),
}

/// Reads an initializer or a constant: its dimensions, and its values when it is a small integer or
/// float tensor stored in a typed field or in `raw_data` (little-endian, as ONNX specifies).
pub fn read_tensor_proto(tensor: &TensorProto) -> Result<TensorInfo, TensorReadError> {
    if tensor.dims.len() > MAX_RANK {
        return Err(TensorReadError::RankTooLarge(tensor.dims.len()));
    }
    let mut shape = Vec::with_capacity(tensor.dims.len());
    for &dim in &tensor.dims {
        let dim = u64::try_from(dim).map_err(|_| TensorReadError::NegativeDimension(dim))?;
        if dim > MAX_SIZE {
            return Err(TensorReadError::TooLarge(dim));
        }
        shape.push(dim);
    }
    let count = element_count(&shape);
    let values = if count.is_some_and(|count| count <= MAX_CONSTANT_ELEMENTS as u64) {
        let count = count.unwrap_or(0) as usize;
        read_values(tensor, count)
    } else {
        None
    };
    Ok(TensorInfo { shape, values })
}

fn read_values(tensor: &TensorProto, count: usize) -> Option<Values> {
    let raw = &tensor.raw_data;
    let values = match tensor.data_type {
        data_type::INT64 if !raw.is_empty() => Values::Ints(
            raw.chunks_exact(8)
                .map(|b| i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                .collect(),
        ),
        data_type::INT64 => Values::Ints(tensor.int64_data.clone()),
        data_type::INT32 if !raw.is_empty() => Values::Ints(
            raw.chunks_exact(4)
                .map(|b| i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
                .collect(),
        ),
        data_type::INT32 => Values::Ints(tensor.int32_data.iter().map(|&v| v.into()).collect()),
        data_type::FLOAT if !raw.is_empty() => Values::Floats(
            raw.chunks_exact(4)
                .map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
                .collect(),
        ),
        data_type::FLOAT => Values::Floats(tensor.float_data.iter().map(|&v| v.into()).collect()),
        _ => return None,
    };
    // A tensor whose stored data does not match its dimensions has no trustworthy values.
    (values.len() == count).then_some(values)
}

/// The number of elements, if it fits in `u64`.
pub fn element_count(shape: &[u64]) -> Option<u64> {
    shape
        .iter()
        .try_fold(1u64, |product, &dim| product.checked_mul(dim))
}

/// A shape as `1x3x224x224` (`scalar` for rank 0).
pub fn shape_text(shape: &[u64]) -> String {
    if shape.is_empty() {
        return "scalar".to_owned();
    }
    shape
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("x")
}

/// Multidirectional (NumPy) broadcasting of two shapes, or `None` if they do not broadcast.
pub fn broadcast(a: &[u64], b: &[u64]) -> Option<Vec<u64>> {
    let rank = a.len().max(b.len());
    let mut shape = vec![0; rank];
    for (axis, size) in shape.iter_mut().enumerate() {
        let from_a = (axis + a.len()).checked_sub(rank).map_or(1, |i| a[i]);
        let from_b = (axis + b.len()).checked_sub(rank).map_or(1, |i| b[i]);
        *size = match (from_a, from_b) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(shape)
}

/// An axis attribute (`-rank ≤ axis < rank`) as an index.
pub fn normalise_axis(axis: i64, rank: usize) -> Option<usize> {
    let rank = i64::try_from(rank).ok()?;
    let axis = if axis < 0 { axis + rank } else { axis };
    (0..rank).contains(&axis).then_some(axis as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(
            broadcast(&[1, 12, 128, 128], &[1, 1, 1, 128]),
            Some(vec![1, 12, 128, 128])
        );
        assert_eq!(broadcast(&[768], &[1, 128, 768]), Some(vec![1, 128, 768]));
        assert_eq!(broadcast(&[], &[3, 4]), Some(vec![3, 4]));
        assert_eq!(broadcast(&[2, 3], &[3, 2]), None);
    }

    #[test]
    fn axes_wrap_once() {
        assert_eq!(normalise_axis(-1, 4), Some(3));
        assert_eq!(normalise_axis(3, 4), Some(3));
        assert_eq!(normalise_axis(4, 4), None);
        assert_eq!(normalise_axis(-5, 4), None);
    }

    #[test]
    fn raw_int64_values_are_little_endian() {
        let tensor = TensorProto {
            dims: vec![2],
            data_type: data_type::INT64,
            raw_data: [(-1i64).to_le_bytes(), 768i64.to_le_bytes()].concat(),
            ..TensorProto::default()
        };
        let info = read_tensor_proto(&tensor).unwrap();
        assert_eq!(info.shape, vec![2]);
        assert_eq!(info.values, Some(Values::Ints(vec![-1, 768])));
    }
}
