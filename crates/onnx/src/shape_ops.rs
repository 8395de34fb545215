//! Operators without MACs: the importer skips them as layers but propagates their effect on shapes
//! (and, for the small integer tensors that feed `Reshape`, on values).

use crate::error::ImportError;
use crate::node::{Effect, Node};
use crate::proto::TensorProto;
use crate::tensor::{
    broadcast, element_count, read_tensor_proto, shape_text, TensorInfo, Values,
    MAX_CONSTANT_ELEMENTS, MAX_RANK,
};
use crate::window::{output_size, window_axes};
use maestro_ir::limits::MAX_SIZE;

/// Operators whose outputs all have the first input's shape (activations, normalisations, casts).
const SAME_SHAPE: &[&str] = &[
    "Relu",
    "LeakyRelu",
    "Sigmoid",
    "HardSigmoid",
    "HardSwish",
    "Tanh",
    "Clip",
    "Elu",
    "Selu",
    "Celu",
    "Gelu",
    "Erf",
    "Softplus",
    "Softsign",
    "Mish",
    "Exp",
    "Log",
    "Sqrt",
    "Reciprocal",
    "Neg",
    "Abs",
    "Floor",
    "Ceil",
    "Round",
    "Sign",
    "Not",
    "Sin",
    "Cos",
    "Identity",
    "Dropout",
    "Cast",
    "CastLike",
    "Softmax",
    "LogSoftmax",
    "Hardmax",
    "LRN",
    "InstanceNormalization",
    "GroupNormalization",
    "MeanVarianceNormalization",
    "Shrink",
    "ThresholdedRelu",
    "IsNaN",
    "IsInf",
    "QuantizeLinear",
    "DequantizeLinear",
    "Trilu",
    "PRelu",
];

/// Element-wise operators with NumPy broadcasting over all their inputs.
const BROADCASTING: &[&str] = &[
    "Add",
    "Sub",
    "Mul",
    "Div",
    "Pow",
    "Max",
    "Min",
    "Sum",
    "Mean",
    "Equal",
    "Less",
    "Greater",
    "LessOrEqual",
    "GreaterOrEqual",
    "And",
    "Or",
    "Xor",
    "Mod",
    "BitShift",
    "Where",
];

/// Reductions with `axes` and `keepdims`.
const REDUCTIONS: &[&str] = &[
    "ReduceMean",
    "ReduceSum",
    "ReduceMax",
    "ReduceMin",
    "ReduceProd",
    "ReduceL1",
    "ReduceL2",
    "ReduceSumSquare",
    "ReduceLogSum",
    "ReduceLogSumExp",
];

/// Whether the importer knows `op_type` as an operator without MACs.
pub fn is_shape_operator(op_type: &str) -> bool {
    SAME_SHAPE.contains(&op_type)
        || BROADCASTING.contains(&op_type)
        || REDUCTIONS.contains(&op_type)
        || matches!(
            op_type,
            "BatchNormalization"
                | "LayerNormalization"
                | "MaxPool"
                | "AveragePool"
                | "LpPool"
                | "GlobalAveragePool"
                | "GlobalMaxPool"
                | "GlobalLpPool"
                | "Flatten"
                | "Reshape"
                | "Transpose"
                | "Squeeze"
                | "Unsqueeze"
                | "Concat"
                | "Split"
                | "Slice"
                | "Pad"
                | "Shape"
                | "Gather"
                | "Constant"
                | "ConstantOfShape"
                | "Expand"
                | "Tile"
                | "ArgMax"
                | "ArgMin"
                | "Resize"
                | "Upsample"
                | "DepthToSpace"
                | "SpaceToDepth"
        )
}

/// Propagates the shapes of an operator for which [`is_shape_operator`] holds.
pub fn propagate(node: &Node) -> Result<Effect, ImportError> {
    let op = node.op_type();
    let outputs = node.proto.output.len().max(1);
    if SAME_SHAPE.contains(&op) {
        let input = node.input(0)?;
        let mut first = input.clone();
        if !matches!(op, "Identity" | "Cast" | "CastLike") {
            first.values = None;
        }
        let mut all = vec![first];
        all.extend((1..outputs).map(|_| TensorInfo::of_shape(input.shape.clone())));
        return Ok(Effect::outputs(all));
    }
    if BROADCASTING.contains(&op) {
        return elementwise(node);
    }
    if REDUCTIONS.contains(&op) {
        return reduce(node);
    }
    match op {
        "BatchNormalization" => {
            let input = node.input(0)?;
            let channels = input.shape.get(1).copied().unwrap_or(1);
            let mut all = vec![TensorInfo::of_shape(input.shape.clone())];
            all.extend((1..outputs).map(|_| TensorInfo::of_shape(vec![channels])));
            Ok(Effect::outputs(all))
        }
        "LayerNormalization" => {
            let input = node.input(0)?;
            let axis = node.axis("axis", -1, input.rank())?;
            let mut statistics = input.shape[..axis].to_vec();
            statistics.resize(input.rank(), 1);
            let mut all = vec![TensorInfo::of_shape(input.shape.clone())];
            all.extend((1..outputs).map(|_| TensorInfo::of_shape(statistics.clone())));
            Ok(Effect::outputs(all))
        }
        "MaxPool" | "AveragePool" | "LpPool" => pool(node, outputs),
        "GlobalAveragePool" | "GlobalMaxPool" | "GlobalLpPool" => {
            let input = node.input(0)?;
            if input.rank() < 2 {
                return Err(node.bad_shape("input must have rank 2 or more"));
            }
            let mut shape = input.shape[..2].to_vec();
            shape.resize(input.rank(), 1);
            Ok(Effect::shape(shape))
        }
        "Flatten" => {
            let input = node.input(0)?;
            let axis = node.attributes.int("axis").unwrap_or(1);
            let rank = input.rank();
            let axis = if axis < 0 { axis + rank as i64 } else { axis };
            if !(0..=rank as i64).contains(&axis) {
                return Err(node.bad_shape(format!("axis {axis} is out of range for rank {rank}")));
            }
            let (outer, inner) = input.shape.split_at(axis as usize);
            Ok(Effect::shape(vec![
                product(node, outer)?,
                product(node, inner)?,
            ]))
        }
        "Reshape" => reshape(node),
        "Transpose" => {
            let input = node.input(0)?;
            let rank = input.rank();
            let perm: Vec<usize> = match node.attributes.ints("perm") {
                None => (0..rank).rev().collect(),
                Some(perm) => perm
                    .iter()
                    .map(|&axis| node.normalise(axis, rank))
                    .collect::<Result<_, _>>()?,
            };
            let mut sorted = perm.clone();
            sorted.sort_unstable();
            if sorted != (0..rank).collect::<Vec<_>>() {
                return Err(
                    node.bad_shape(format!("perm {perm:?} is not a permutation of 0..{rank}"))
                );
            }
            Ok(Effect::shape(
                perm.iter().map(|&axis| input.shape[axis]).collect(),
            ))
        }
        "Squeeze" => squeeze(node),
        "Unsqueeze" => unsqueeze(node),
        "Concat" => concat(node),
        "Split" => split(node, outputs),
        "Slice" => slice(node),
        "Pad" => pad(node),
        "Shape" => {
            let input = node.input(0)?;
            let rank = input.rank() as i64;
            let clamp =
                |value: i64| (if value < 0 { value + rank } else { value }).clamp(0, rank) as usize;
            let start = clamp(node.attributes.int("start").unwrap_or(0));
            let end = clamp(node.attributes.int("end").unwrap_or(rank));
            let dims: Vec<i64> = input.shape[start..end.max(start)]
                .iter()
                .map(|&d| d as i64)
                .collect();
            Ok(Effect::outputs(vec![TensorInfo {
                shape: vec![dims.len() as u64],
                values: Some(Values::Ints(dims)),
            }]))
        }
        "Gather" => gather(node),
        "Constant" => constant(node),
        "ConstantOfShape" => {
            let shape = node
                .constant_input(0, "shape")?
                .ok_or_else(|| node.bad_shape("expects a shape input"))?;
            Ok(Effect::shape(dims_from_values(
                node,
                &shape.as_ints(),
                "shape",
            )?))
        }
        "Expand" => {
            let input = node.input(0)?;
            let target = node
                .constant_input(1, "shape")?
                .ok_or_else(|| node.bad_shape("expects a shape input"))?;
            let target = dims_from_values(node, &target.as_ints(), "shape")?;
            let shape = broadcast(&input.shape, &target).ok_or_else(|| {
                node.bad_shape(format!(
                    "{} does not broadcast to {}",
                    shape_text(&input.shape),
                    shape_text(&target)
                ))
            })?;
            Ok(Effect::shape(shape))
        }
        "Tile" => {
            let input = node.input(0)?;
            let repeats = node
                .constant_input(1, "repeats")?
                .ok_or_else(|| node.bad_shape("expects a repeats input"))?
                .as_ints();
            if repeats.len() != input.rank() {
                return Err(node.bad_shape("repeats must have one value per axis"));
            }
            let shape = input
                .shape
                .iter()
                .zip(&repeats)
                .map(|(&dim, &repeat)| {
                    checked_dim(
                        node,
                        u64::try_from(repeat).ok().and_then(|r| r.checked_mul(dim)),
                    )
                })
                .collect::<Result<_, _>>()?;
            Ok(Effect::shape(shape))
        }
        "ArgMax" | "ArgMin" => {
            let input = node.input(0)?;
            let axis = node.axis("axis", 0, input.rank())?;
            let mut shape = input.shape.clone();
            if node.attributes.int("keepdims").unwrap_or(1) != 0 {
                shape[axis] = 1;
            } else {
                shape.remove(axis);
            }
            Ok(Effect::shape(shape))
        }
        "Resize" | "Upsample" => resize(node),
        "DepthToSpace" | "SpaceToDepth" => {
            let input = node.input_of_rank(0, "the input", 4)?;
            let block = node.attributes.int("blocksize").unwrap_or(0);
            let block = u64::try_from(block)
                .ok()
                .filter(|&b| (1..=1 << 16).contains(&b))
                .ok_or_else(|| node.bad_shape(format!("blocksize {block} is invalid")))?;
            let [n, c, h, w] = [
                input.shape[0],
                input.shape[1],
                input.shape[2],
                input.shape[3],
            ];
            let square = block * block;
            let shape = if op == "DepthToSpace" {
                if c % square != 0 {
                    return Err(node.bad_shape("channels are not a multiple of blocksize²"));
                }
                vec![
                    n,
                    c / square,
                    checked_dim(node, h.checked_mul(block))?,
                    checked_dim(node, w.checked_mul(block))?,
                ]
            } else {
                if h % block != 0 || w % block != 0 {
                    return Err(node.bad_shape("height or width is not a multiple of blocksize"));
                }
                vec![
                    n,
                    checked_dim(node, c.checked_mul(square))?,
                    h / block,
                    w / block,
                ]
            };
            Ok(Effect::shape(shape))
        }
        other => Err(node.unsupported(format!("operator {other} is not known to the importer"))),
    }
}

fn checked_dim(node: &Node, dim: Option<u64>) -> Result<u64, ImportError> {
    dim.filter(|&dim| dim <= MAX_SIZE)
        .ok_or_else(|| ImportError::TooLarge {
            what: format!("{}: an output dimension", node.reference),
            size: dim.map_or(u128::MAX, u128::from),
            limit: MAX_SIZE,
        })
}

fn product(node: &Node, shape: &[u64]) -> Result<u64, ImportError> {
    checked_dim(node, element_count(shape))
}

/// A shape given as values (ConstantOfShape, Expand): non-negative, bounded, rank-limited.
fn dims_from_values(node: &Node, values: &[i64], what: &str) -> Result<Vec<u64>, ImportError> {
    if values.len() > MAX_RANK {
        return Err(node.bad_shape(format!("{what} {values:?} has more than {MAX_RANK} axes")));
    }
    values
        .iter()
        .map(|&value| {
            u64::try_from(value)
                .ok()
                .filter(|&value| value <= MAX_SIZE)
                .ok_or_else(|| {
                    node.bad_shape(format!("{what} {values:?} has an invalid size {value}"))
                })
        })
        .collect()
}

fn elementwise(node: &Node) -> Result<Effect, ImportError> {
    let mut shape: Vec<u64> = Vec::new();
    for index in 0..node.inputs.len() {
        let input = node.input(index)?;
        shape = broadcast(&shape, &input.shape).ok_or_else(|| {
            node.bad_shape(format!(
                "input shapes do not broadcast ({} with {})",
                shape_text(&shape),
                shape_text(&input.shape)
            ))
        })?;
    }
    Ok(Effect::shape(shape))
}

/// The axes of a reduction or squeeze: the attribute (older opsets) or the second input (newer).
fn axes_of(node: &Node, rank: usize) -> Result<Option<Vec<usize>>, ImportError> {
    let raw: Option<Vec<i64>> = match node.attributes.ints("axes") {
        Some(axes) => Some(axes.to_vec()),
        None => node.constant_input(1, "axes")?.map(Values::as_ints),
    };
    raw.map(|axes| {
        axes.iter()
            .map(|&axis| node.normalise(axis, rank))
            .collect()
    })
    .transpose()
}

fn reduce(node: &Node) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    let rank = input.rank();
    let keep = node.attributes.int("keepdims").unwrap_or(1) != 0;
    let axes = match axes_of(node, rank)? {
        Some(axes) if !axes.is_empty() => axes,
        _ if node.attributes.int("noop_with_empty_axes").unwrap_or(0) != 0 => {
            return Ok(Effect::shape(input.shape.clone()))
        }
        _ => (0..rank).collect(),
    };
    let shape = input
        .shape
        .iter()
        .enumerate()
        .filter_map(|(axis, &dim)| match (axes.contains(&axis), keep) {
            (false, _) => Some(dim),
            (true, true) => Some(1),
            (true, false) => None,
        })
        .collect();
    Ok(Effect::shape(shape))
}

fn pool(node: &Node, outputs: usize) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    if input.rank() < 3 {
        return Err(node.bad_shape(format!(
            "input must have rank 3 or more, found shape {}",
            shape_text(&input.shape)
        )));
    }
    let spatial = &input.shape[2..];
    let kernels: Vec<u64> = match node.attributes.ints("kernel_shape") {
        Some(kernels) if kernels.len() == spatial.len() => kernels
            .iter()
            .map(|&k| {
                u64::try_from(k)
                    .ok()
                    .filter(|&k| (1..=MAX_SIZE).contains(&k))
            })
            .collect::<Option<_>>()
            .ok_or_else(|| node.bad_shape(format!("kernel_shape {kernels:?} is invalid")))?,
        _ => return Err(node.bad_shape("kernel_shape must give one size per spatial axis")),
    };
    let axes = window_axes(node, spatial, &kernels)?;
    let ceil_mode = node.attributes.int("ceil_mode").unwrap_or(0) != 0;
    let mut shape = input.shape[..2].to_vec();
    shape.extend(axes.iter().map(|axis| output_size(axis, ceil_mode)));
    Ok(Effect::outputs(
        (0..outputs)
            .map(|_| TensorInfo::of_shape(shape.clone()))
            .collect(),
    ))
}

fn reshape(node: &Node) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    let target: Vec<i64> = match node.constant_input(1, "target shape")? {
        Some(values) => values.as_ints(),
        None => node
            .attributes
            .ints("shape")
            .map(<[i64]>::to_vec)
            .ok_or_else(|| node.bad_shape("expects a target shape"))?,
    };
    if target.len() > MAX_RANK {
        return Err(node.bad_shape(format!("target shape has more than {MAX_RANK} axes")));
    }
    let allow_zero = node.attributes.int("allowzero").unwrap_or(0) != 0;
    let total = product(node, &input.shape)?;
    let mut shape = Vec::with_capacity(target.len());
    let mut inferred = None;
    for (axis, &value) in target.iter().enumerate() {
        match value {
            -1 if inferred.is_none() => {
                inferred = Some(axis);
                shape.push(1);
            }
            0 if !allow_zero => shape.push(*input.shape.get(axis).ok_or_else(|| {
                node.bad_shape(format!(
                    "target shape {target:?} copies axis {axis}, which the input lacks"
                ))
            })?),
            value => shape.push(
                u64::try_from(value)
                    .ok()
                    .filter(|&value| value <= MAX_SIZE)
                    .ok_or_else(|| node.bad_shape(format!("target shape {target:?} is invalid")))?,
            ),
        }
    }
    let known = product(node, &shape)?;
    if let Some(axis) = inferred {
        if known == 0 || total % known != 0 {
            return Err(node.bad_shape(format!(
                "cannot reshape {} ({total} elements) to {target:?}",
                shape_text(&input.shape)
            )));
        }
        shape[axis] = total / known;
    } else if known != total {
        return Err(node.bad_shape(format!(
            "cannot reshape {} ({total} elements) to {} ({known} elements)",
            shape_text(&input.shape),
            shape_text(&shape)
        )));
    }
    let values = input.values.clone();
    Ok(Effect::outputs(vec![TensorInfo { shape, values }]))
}

fn squeeze(node: &Node) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    let axes = axes_of(node, input.rank())?;
    let mut shape = Vec::with_capacity(input.rank());
    for (axis, &dim) in input.shape.iter().enumerate() {
        let listed = axes.as_ref().is_some_and(|axes| axes.contains(&axis));
        if listed && dim != 1 {
            return Err(node.bad_shape(format!("cannot squeeze axis {axis} of size {dim}")));
        }
        let removed = match &axes {
            Some(_) => listed,
            None => dim == 1,
        };
        if !removed {
            shape.push(dim);
        }
    }
    Ok(Effect::outputs(vec![TensorInfo {
        shape,
        values: input.values.clone(),
    }]))
}

fn unsqueeze(node: &Node) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    let raw: Vec<i64> = match node.attributes.ints("axes") {
        Some(axes) => axes.to_vec(),
        None => node
            .constant_input(1, "axes")?
            .ok_or_else(|| node.bad_shape("expects axes"))?
            .as_ints(),
    };
    let rank = input.rank() + raw.len();
    if rank > MAX_RANK {
        return Err(node.bad_shape(format!("the output would have more than {MAX_RANK} axes")));
    }
    let axes: Vec<usize> = raw
        .iter()
        .map(|&axis| node.normalise(axis, rank))
        .collect::<Result<_, _>>()?;
    let mut remaining = input.shape.iter();
    let shape = (0..rank)
        .map(|axis| {
            if axes.contains(&axis) {
                Some(1)
            } else {
                remaining.next().copied()
            }
        })
        .collect::<Option<Vec<u64>>>()
        .ok_or_else(|| node.bad_shape(format!("axes {raw:?} repeat an axis")))?;
    Ok(Effect::outputs(vec![TensorInfo {
        shape,
        values: input.values.clone(),
    }]))
}

fn concat(node: &Node) -> Result<Effect, ImportError> {
    let first = node.input(0)?;
    let axis = node.axis("axis", 0, first.rank())?;
    let mut shape = first.shape.clone();
    let mut values: Option<Vec<i64>> = first.values.as_ref().map(Values::as_ints);
    for index in 1..node.inputs.len() {
        let input = node.input(index)?;
        let fits = input.rank() == shape.len()
            && input
                .shape
                .iter()
                .zip(&shape)
                .enumerate()
                .all(|(i, (a, b))| i == axis || a == b);
        if !fits {
            return Err(node.bad_shape(format!(
                "cannot concatenate {} and {} along axis {axis}",
                shape_text(&shape),
                shape_text(&input.shape)
            )));
        }
        shape[axis] = checked_dim(node, shape[axis].checked_add(input.shape[axis]))?;
        values = match (values, &input.values) {
            (Some(mut all), Some(more)) if shape.len() == 1 => {
                all.extend(more.as_ints());
                Some(all)
            }
            _ => None,
        };
    }
    let values = values
        .filter(|all| all.len() <= MAX_CONSTANT_ELEMENTS && shape.len() == 1)
        .map(Values::Ints);
    Ok(Effect::outputs(vec![TensorInfo { shape, values }]))
}

fn split(node: &Node, outputs: usize) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    let axis = node.axis("axis", 0, input.rank())?;
    let dim = input.shape[axis];
    let sizes: Vec<u64> = match node.attributes.ints("split") {
        Some(split) => split.iter().map(|&s| s.max(0) as u64).collect(),
        None => match node.constant_input(1, "split")? {
            Some(values) => values.as_ints().iter().map(|&s| s.max(0) as u64).collect(),
            None => {
                // Equal parts, one per declared output (what `num_outputs` must also say).
                let parts = outputs as u64;
                let each = dim.div_ceil(parts);
                (0..parts)
                    .map(|part| each.min(dim.saturating_sub(part * each)))
                    .collect()
            }
        },
    };
    let total = sizes
        .iter()
        .try_fold(0u64, |total, &size| total.checked_add(size));
    if total != Some(dim) || sizes.len() != outputs {
        return Err(node.bad_shape(format!(
            "split sizes {sizes:?} do not give {outputs} parts adding up to {dim}"
        )));
    }
    Ok(Effect::outputs(
        sizes
            .iter()
            .map(|&size| {
                let mut shape = input.shape.clone();
                shape[axis] = size;
                TensorInfo::of_shape(shape)
            })
            .collect(),
    ))
}

fn slice(node: &Node) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    let rank = input.rank();
    let ints = |index: usize, attribute: &str| -> Result<Option<Vec<i64>>, ImportError> {
        match node.attributes.ints(attribute) {
            Some(values) => Ok(Some(values.to_vec())),
            None => Ok(node.constant_input(index, attribute)?.map(Values::as_ints)),
        }
    };
    let starts = ints(1, "starts")?.ok_or_else(|| node.bad_shape("expects starts"))?;
    let ends = ints(2, "ends")?.ok_or_else(|| node.bad_shape("expects ends"))?;
    let axes = ints(3, "axes")?.unwrap_or_else(|| (0..starts.len() as i64).collect());
    let steps = ints(4, "steps")?.unwrap_or_else(|| vec![1; starts.len()]);
    if ends.len() != starts.len() || axes.len() != starts.len() || steps.len() != starts.len() {
        return Err(node.bad_shape("starts, ends, axes and steps differ in length"));
    }
    let mut shape = input.shape.clone();
    let mut ranges = vec![(0i64, 0i64, 1i64); rank];
    for (axis, dim) in shape.iter().enumerate() {
        ranges[axis] = (0, *dim as i64, 1);
    }
    for (((&start, &end), &axis), &step) in starts.iter().zip(&ends).zip(&axes).zip(&steps) {
        let axis = node.normalise(axis, rank)?;
        let dim = input.shape[axis] as i64;
        if step == 0 {
            return Err(node.bad_shape("a slice step is 0"));
        }
        let wrap = |value: i64| {
            if value < 0 {
                value.saturating_add(dim)
            } else {
                value
            }
        };
        let (start, end, length) = if step > 0 {
            let start = wrap(start).clamp(0, dim);
            let end = wrap(end).clamp(0, dim);
            (start, end, ceil_div((end - start).max(0), step))
        } else {
            let start = wrap(start).clamp(0, dim - 1);
            let end = wrap(end).clamp(-1, dim - 1);
            (
                start,
                end,
                ceil_div((start - end).max(0), step.saturating_neg()),
            )
        };
        shape[axis] = length as u64;
        ranges[axis] = (start, end, step);
    }
    let values = match (&input.values, rank) {
        (Some(values), 1) => {
            let all = values.as_ints();
            let (start, _, step) = ranges[0];
            Some(Values::Ints(
                (0..shape[0] as i64)
                    .filter_map(|i| {
                        i.checked_mul(step)
                            .and_then(|offset| offset.checked_add(start))
                            .and_then(|j| usize::try_from(j).ok())
                            .and_then(|j| all.get(j))
                            .copied()
                    })
                    .collect(),
            ))
        }
        _ => None,
    };
    Ok(Effect::outputs(vec![TensorInfo { shape, values }]))
}

/// `⌈numerator / denominator⌉` for a non-negative numerator and a positive denominator.
fn ceil_div(numerator: i64, denominator: i64) -> i64 {
    numerator / denominator + i64::from(numerator % denominator != 0)
}

fn pad(node: &Node) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    let rank = input.rank();
    let pads: Vec<i64> = match node.attributes.ints("pads") {
        Some(pads) => pads.to_vec(),
        None => node
            .constant_input(1, "pads")?
            .ok_or_else(|| node.bad_shape("expects pads"))?
            .as_ints(),
    };
    let axes: Vec<usize> = match node.constant_input(3, "axes")? {
        Some(axes) => axes
            .as_ints()
            .iter()
            .map(|&axis| node.normalise(axis, rank))
            .collect::<Result<_, _>>()?,
        None => (0..rank).collect(),
    };
    if pads.len() != 2 * axes.len() {
        return Err(node.bad_shape(format!(
            "pads {pads:?} must have two values per padded axis"
        )));
    }
    let mut shape = input.shape.clone();
    for (i, &axis) in axes.iter().enumerate() {
        let padded =
            i128::from(shape[axis]) + i128::from(pads[i]) + i128::from(pads[i + axes.len()]);
        shape[axis] = u64::try_from(padded)
            .ok()
            .filter(|&size| size <= MAX_SIZE)
            .ok_or_else(|| {
                node.bad_shape(format!("pads {pads:?} give axis {axis} size {padded}"))
            })?;
    }
    Ok(Effect::shape(shape))
}

fn gather(node: &Node) -> Result<Effect, ImportError> {
    let data = node.input(0)?;
    let indices = node.input(1)?;
    let axis = node.axis("axis", 0, data.rank())?;
    let mut shape = data.shape[..axis].to_vec();
    shape.extend(&indices.shape);
    shape.extend(&data.shape[axis + 1..]);
    if shape.len() > MAX_RANK {
        return Err(node.bad_shape(format!("the output would have more than {MAX_RANK} axes")));
    }
    let values = match (&data.values, &indices.values, data.rank()) {
        (Some(values), Some(picks), 1) => {
            let all = values.as_ints();
            let length = all.len() as i64;
            picks
                .as_ints()
                .iter()
                .map(|&pick| {
                    let pick = if pick < 0 { pick + length } else { pick };
                    usize::try_from(pick)
                        .ok()
                        .and_then(|pick| all.get(pick))
                        .copied()
                })
                .collect::<Option<Vec<i64>>>()
                .map(Values::Ints)
        }
        _ => None,
    };
    Ok(Effect::outputs(vec![TensorInfo { shape, values }]))
}

fn constant(node: &Node) -> Result<Effect, ImportError> {
    let attributes = &node.attributes;
    let info = if let Some(tensor) = attributes.tensor("value") {
        read_constant(node, tensor)?
    } else if let Some(value) = attributes.int("value_int") {
        TensorInfo {
            shape: Vec::new(),
            values: Some(Values::Ints(vec![value])),
        }
    } else if let Some(values) = attributes.ints("value_ints") {
        TensorInfo {
            shape: vec![values.len() as u64],
            values: (values.len() <= MAX_CONSTANT_ELEMENTS).then(|| Values::Ints(values.to_vec())),
        }
    } else if let Some(value) = attributes.float("value_float") {
        TensorInfo {
            shape: Vec::new(),
            values: Some(Values::Floats(vec![value.into()])),
        }
    } else if let Some(values) = attributes.floats("value_floats") {
        TensorInfo {
            shape: vec![values.len() as u64],
            values: (values.len() <= MAX_CONSTANT_ELEMENTS)
                .then(|| Values::Floats(values.iter().map(|&v| v.into()).collect())),
        }
    } else {
        return Err(node.unsupported(
            "a Constant without a value, value_int(s) or value_float(s) attribute is not read",
        ));
    };
    Ok(Effect::outputs(vec![info]))
}

fn read_constant(node: &Node, tensor: &TensorProto) -> Result<TensorInfo, ImportError> {
    read_tensor_proto(tensor)
        .map_err(|error| node.bad_shape(format!("its value tensor is invalid: {error:?}")))
}

fn resize(node: &Node) -> Result<Effect, ImportError> {
    let input = node.input(0)?;
    // Upsample and opset-10 Resize: (X, scales); Resize from opset 11: (X, roi, scales, sizes).
    let (scales_index, sizes_index) = if node.op_type() == "Upsample" || node.inputs.len() == 2 {
        (1, None)
    } else {
        (2, Some(3))
    };
    if let Some(sizes) = sizes_index
        .map(|i| node.constant_input(i, "sizes"))
        .transpose()?
        .flatten()
    {
        let sizes = dims_from_values(node, &sizes.as_ints(), "sizes")?;
        if sizes.len() != input.rank() {
            return Err(node.unsupported("sizes for a subset of the axes are not read"));
        }
        return Ok(Effect::shape(sizes));
    }
    let scales: Vec<f64> = match node.constant_input(scales_index, "scales")? {
        Some(scales) if !scales.is_empty() => scales.as_floats(),
        _ => match node.attributes.floats("scales") {
            Some(scales) => scales.iter().map(|&s| f64::from(s)).collect(),
            None => return Err(node.bad_shape("expects scales or sizes")),
        },
    };
    if scales.len() != input.rank() {
        return Err(node.bad_shape(format!("{} scales for rank {}", scales.len(), input.rank())));
    }
    let shape = input
        .shape
        .iter()
        .zip(&scales)
        .map(|(&dim, &scale)| {
            let scaled = (dim as f64 * scale).floor();
            if scaled.is_finite() && scaled >= 0.0 && scaled <= MAX_SIZE as f64 {
                Ok(scaled as u64)
            } else {
                Err(node.bad_shape(format!("scale {scale} gives an invalid size")))
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(Effect::shape(shape))
}
