//! §3 of the reference semantics: a layer's dimension table (with the derived `Y'`/`X'` or `Y`/`X`
//! entries), its strides, and the tensor roles of its type (coupled dimensions, overlap pairs).

use super::dims::{mask_of, sort_by_name, DimTable};
use super::error::{CompatError, CompatResult};
use maestro_ir::{Dim, Layer, LayerType, Tensor};

/// The reference's type classes: `TRCONV` is parsed as `CONV` and cannot be told apart afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TypeClass {
    Conv,
    Depthwise,
    Grouped,
    Gemm,
}

impl TypeClass {
    pub(crate) fn of(layer_type: LayerType) -> TypeClass {
        match layer_type {
            LayerType::Conv | LayerType::TransposedConv => TypeClass::Conv,
            LayerType::DepthwiseConv => TypeClass::Depthwise,
            LayerType::GroupedConv => TypeClass::Grouped,
            LayerType::Gemm => TypeClass::Gemm,
        }
    }

    fn keyword(self) -> &'static str {
        match self {
            TypeClass::Conv => "CONV",
            TypeClass::Depthwise => "DSCONV",
            TypeClass::Grouped => "NGCONV",
            TypeClass::Gemm => "GEMM",
        }
    }

    fn has_sliding_windows(self) -> bool {
        self != TypeClass::Gemm
    }
}

/// The tensor description of a type class (§3.4): for input, filter and output, the coupled dimensions
/// in the reference's order, plus the sorted input-tensor variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TensorRoles {
    coupled: [Vec<Dim>; 3],
    masks: [u16; 3],
    input_variables: Vec<Dim>,
    overlapped: bool,
}

impl TensorRoles {
    /// Roles of `class`, with or without the batch dimension `N` (Q-A15 for the depth-wise and grouped
    /// couplings: DSCONV ignores `K`, NGCONV couples the output with `C`).
    pub(crate) fn new(class: TypeClass, with_batch: bool) -> TensorRoles {
        use Dim::*;
        let (input, filter, output): (&[Dim], &[Dim], &[Dim]) = match class {
            TypeClass::Conv => (&[C, Y, X], &[K, C, R, S], &[K, Y, X]),
            TypeClass::Depthwise => (&[C, Y, X], &[C, R, S], &[C, Y, X]),
            TypeClass::Grouped => (&[G, C, Y, X], &[G, K, C, R, S], &[G, K, C, Y, X]),
            TypeClass::Gemm => (&[M, K], &[K, N], &[M, N]),
        };
        let batched = |dims: &[Dim]| {
            let mut list = Vec::with_capacity(dims.len() + 1);
            if with_batch && class != TypeClass::Gemm {
                list.push(N);
            }
            list.extend_from_slice(dims);
            list
        };
        let coupled = [batched(input), filter.to_vec(), batched(output)];
        let mut input_variables: Vec<Dim> = coupled[0].iter().chain(&coupled[1]).copied().collect();
        sort_by_name(&mut input_variables);
        input_variables.dedup();
        let masks = [
            mask_of(&coupled[0]),
            mask_of(&coupled[1]),
            mask_of(&coupled[2]),
        ];
        TensorRoles {
            coupled,
            masks,
            input_variables,
            overlapped: class.has_sliding_windows(),
        }
    }

    pub(crate) fn coupled(&self, tensor: Tensor) -> &[Dim] {
        &self.coupled[tensor as usize]
    }

    pub(crate) fn mask(&self, tensor: Tensor) -> u16 {
        self.masks[tensor as usize]
    }

    /// The sorted union of the input and filter coupled dimensions.
    pub(crate) fn input_variables(&self) -> &[Dim] {
        &self.input_variables
    }

    /// Whether `dim` is a reference dimension of an overlap pair (`X`, `Y`), with its sliding counterpart.
    pub(crate) fn window_of(&self, dim: Dim) -> Option<Dim> {
        match dim {
            Dim::Y | Dim::X if self.overlapped => dim.window_partner(),
            _ => None,
        }
    }

    /// The output-side name of `dim` (`a(v)` of §8.2): `Y'` for `Y`, `X'` for `X`, else `dim`.
    pub(crate) fn output_alias(&self, dim: Dim) -> Dim {
        match self.window_of(dim) {
            Some(_) => dim.output_alias().unwrap_or(dim),
            None => dim,
        }
    }
}

/// A layer's dimension table and strides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LayerShape {
    pub(crate) table: DimTable,
    /// Stride per dimension; only `X` and `Y` are ever read (§3.3).
    pub(crate) strides: DimTable,
}

impl LayerShape {
    pub(crate) fn stride(&self, dim: Dim) -> i64 {
        self.strides.get(dim).unwrap_or(1)
    }
}

fn size_of(value: u64) -> CompatResult<i64> {
    i64::try_from(value).map_err(|_| CompatError::Overflow)
}

/// §3.1: the declared entries (the IR guarantees no duplicates) completed with the derived input or output
/// coordinates; the derived `Y'`/`X'` are stride-1 extents (Q-A12), which the cost never reads. Strides follow the IR's axes: `Layer::strides.y` for `Y` (declared or derived), `.x`
/// for `X` (the reference's literal key matching, Q-P9, is resolved by the reader).
pub(crate) fn layer_shape(layer: &Layer) -> CompatResult<LayerShape> {
    let class = TypeClass::of(layer.layer_type);
    let mut table = DimTable::default();
    for &(dim, size) in &layer.dimensions {
        if !table.contains(dim) {
            table.set(dim, size_of(size)?);
        }
    }
    let mut strides = DimTable::default();
    for (dim, stride) in [(Dim::Y, layer.strides.y), (Dim::X, layer.strides.x)] {
        if stride == 0 {
            return Err(CompatError::BadStride { dim, stride });
        }
        strides.set(dim, size_of(stride)?);
    }
    if class.has_sliding_windows() {
        for (input, output, window) in [(Dim::Y, Dim::OutY, Dim::R), (Dim::X, Dim::OutX, Dim::S)] {
            let window_size = table.get(window).ok_or(CompatError::MissingDimension {
                layer_type: class.keyword(),
                dim: window,
            })?;
            match (table.get(input), table.get(output)) {
                (Some(_), Some(_)) => {
                    return Err(CompatError::BothInputAndOutput { input, output })
                }
                (Some(input_size), None) => table.set(output, input_size - window_size + 1),
                (None, Some(output_size)) => table.set(input, output_size + window_size - 1),
                (None, None) => {
                    return Err(CompatError::MissingDimension {
                        layer_type: class.keyword(),
                        dim: input,
                    })
                }
            }
        }
    }
    Ok(LayerShape { table, strides })
}

/// §10.3 "Num Total Input/Weight Pixels": the product of the *declared* sizes of the dimensions coupled
/// with `tensor` (derived entries do not count).
pub(crate) fn declared_pixels(layer: &Layer, roles: &TensorRoles, tensor: Tensor) -> i64 {
    let mask = roles.mask(tensor);
    layer
        .dimensions
        .iter()
        .filter(|(dim, _)| mask & super::dims::bit(*dim) != 0)
        .fold(1i64, |product, &(_, size)| {
            product.wrapping_mul(size as i64)
        })
}
