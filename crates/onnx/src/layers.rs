//! The operators with MACs: `Conv` (CONV, DSCONV or NGCONV by its group count), `ConvTranspose`
//! (TRCONV), `Gemm` and `MatMul` (GEMM). Each returns its output shape and the layers it contributes.

use crate::error::ImportError;
use crate::node::{Effect, LayerDraft, Node};
use crate::tensor::{broadcast, element_count, shape_text, TensorInfo};
use crate::window::{output_size, window_axes, WindowAxis};
use maestro_ir::limits::MAX_SIZE;
use maestro_ir::{Dim, LayerType, Strides};

/// The most GEMMs one batched MatMul may become (one per batch element and head).
pub const MAX_GEMMS_PER_MATMUL: u64 = 4096;

/// Checks a size against the IR's limit.
fn size(node: &Node, what: &str, value: u64) -> Result<u64, ImportError> {
    if value == 0 {
        return Err(node.bad_shape(format!("{what} is 0: the layer would have no MACs")));
    }
    if value > MAX_SIZE {
        return Err(ImportError::TooLarge {
            what: format!("{}: {what}", node.reference),
            size: value.into(),
            limit: MAX_SIZE,
        });
    }
    Ok(value)
}

/// The rank check shared by both convolutions: 1-D (rank 3) and 2-D (rank 4) inputs are layers; 3-D
/// convolutions have MACs that no layer type expresses.
fn convolution_input<'a>(node: &Node<'a>) -> Result<&'a TensorInfo, ImportError> {
    let input = node.input(0)?;
    match input.rank() {
        3 | 4 => Ok(input),
        5 => Err(node.unsupported(format!(
            "a 3-D convolution (input {}) has MACs, but no layer type has a third spatial axis",
            shape_text(&input.shape)
        ))),
        _ => Err(node.bad_shape(format!(
            "input must have rank 3 (1-D) or 4 (2-D), found shape {}",
            shape_text(&input.shape)
        ))),
    }
}

fn refuse_dilation(node: &Node, axes: &[WindowAxis]) -> Result<(), ImportError> {
    if axes.iter().any(|axis| axis.dilation != 1) {
        let dilations: Vec<u64> = axes.iter().map(|axis| axis.dilation).collect();
        return Err(node.refused(format!(
            "dilations {dilations:?} are not modelled: the layer types have dense windows only"
        )));
    }
    Ok(())
}

/// `(R, S, σy, σx)` and the windows' `(Y, X)` for a 1-D (height 1) or 2-D window list.
fn rows_and_columns(axes: &[(u64, u64, u64)]) -> ((u64, u64), (u64, u64), (u64, u64)) {
    // Each entry is (kernel, input extent, stride); a 1-D window is a 2-D one of height 1.
    let (row, column) = match axes {
        [column] => ((1, 1, 1), *column),
        [row, column, ..] => (*row, *column),
        [] => ((1, 1, 1), (1, 1, 1)),
    };
    ((row.0, column.0), (row.1, column.1), (row.2, column.2))
}

fn with_batch(batch: u64, dimensions: Vec<(Dim, u64)>) -> Vec<(Dim, u64)> {
    if batch == 1 {
        return dimensions;
    }
    let mut with = Vec::with_capacity(dimensions.len() + 1);
    with.push((Dim::N, batch));
    with.extend(dimensions);
    with
}

/// `Conv`: group 1 → CONV; group = input channels → DSCONV (depth multiplier `K = M / C`); other group
/// counts → NGCONV with `G` groups of `C / G` input and `M / G` output channels. The input extents
/// include the padding.
pub fn conv(node: &Node) -> Result<Effect, ImportError> {
    let input = convolution_input(node)?;
    let weight = node.input_of_rank(1, "the weight", input.rank())?;
    let (batch, channels) = (input.shape[0], input.shape[1]);
    let (out_channels, channels_per_group) = (weight.shape[0], weight.shape[1]);
    let kernels = &weight.shape[2..];
    let group = node.attributes.int("group").unwrap_or(1);
    let group = u64::try_from(group)
        .ok()
        .filter(|&group| group >= 1)
        .ok_or_else(|| node.bad_shape(format!("group {group} must be positive")))?;
    if channels % group != 0 || out_channels % group != 0 || channels / group != channels_per_group
    {
        return Err(node.bad_shape(format!(
            "input {} and weight {} do not fit group {group}",
            shape_text(&input.shape),
            shape_text(&weight.shape)
        )));
    }
    if let Some(declared) = node.attributes.ints("kernel_shape") {
        if declared
            .iter()
            .map(|&k| k as u64)
            .ne(kernels.iter().copied())
        {
            return Err(node.bad_shape(format!(
                "kernel_shape {declared:?} differs from the weight's {}",
                shape_text(kernels)
            )));
        }
    }
    let axes = window_axes(node, &input.shape[2..], kernels)?;
    refuse_dilation(node, &axes)?;
    let outputs: Vec<u64> = axes.iter().map(|axis| output_size(axis, false)).collect();
    let windows: Vec<(u64, u64, u64)> = axes
        .iter()
        .map(|axis| (axis.kernel, axis.padded_input(), axis.stride))
        .collect();
    let ((r, s), (y, x), (stride_y, stride_x)) = rows_and_columns(&windows);
    let window_dims = [
        (Dim::R, size(node, "R", r)?),
        (Dim::S, size(node, "S", s)?),
        (Dim::Y, size(node, "Y", y)?),
        (Dim::X, size(node, "X", x)?),
    ];
    let (layer_type, mut dimensions) = if group == 1 {
        (
            LayerType::Conv,
            vec![
                (Dim::K, size(node, "K", out_channels)?),
                (Dim::C, size(node, "C", channels)?),
            ],
        )
    } else if group == channels {
        (
            LayerType::DepthwiseConv,
            vec![
                (
                    Dim::K,
                    size(node, "K (depth multiplier)", out_channels / group)?,
                ),
                (Dim::C, size(node, "C", channels)?),
            ],
        )
    } else {
        (
            LayerType::GroupedConv,
            vec![
                (Dim::G, size(node, "G", group)?),
                (Dim::K, size(node, "K (per group)", out_channels / group)?),
                (Dim::C, size(node, "C (per group)", channels_per_group)?),
            ],
        )
    };
    dimensions.extend(window_dims);
    let batch = size(node, "the batch N", batch)?;
    let mut output = vec![batch, out_channels];
    output.extend(outputs);
    Ok(Effect {
        outputs: vec![TensorInfo::of_shape(output)],
        layers: vec![LayerDraft {
            suffix: String::new(),
            layer_type,
            dimensions: with_batch(batch, dimensions),
            strides: Strides {
                y: size(node, "the row stride", stride_y)?,
                x: size(node, "the column stride", stride_x)?,
            },
        }],
    })
}

/// `ConvTranspose` → TRCONV, the project's already-upsampled form: a stride-1 convolution over the
/// zero-inserted, padded input, whose extent is `output + kernel − 1` on each axis (MACs are counted
/// over the inserted zeros too, as a dense array computes them).
pub fn conv_transpose(node: &Node) -> Result<Effect, ImportError> {
    let input = convolution_input(node)?;
    let weight = node.input_of_rank(1, "the weight", input.rank())?;
    let (batch, channels) = (input.shape[0], input.shape[1]);
    let group = node.attributes.int("group").unwrap_or(1);
    if group != 1 {
        return Err(node.refused(format!(
            "group {group}: grouped transposed convolutions are not modelled"
        )));
    }
    if weight.shape[0] != channels {
        return Err(node.bad_shape(format!(
            "input {} and weight {} disagree on the input channels",
            shape_text(&input.shape),
            shape_text(&weight.shape)
        )));
    }
    let out_channels = weight.shape[1];
    let kernels = &weight.shape[2..];
    let count = kernels.len();
    // Padding and strides as for a convolution; the output size follows ConvTranspose's own rule.
    let axes = window_axes_for_transpose(node, &input.shape[2..], kernels)?;
    refuse_dilation(node, &axes)?;
    let output_padding = node
        .attributes
        .ints("output_padding")
        .map(<[i64]>::to_vec)
        .unwrap_or_else(|| vec![0; count]);
    let output_shape = node.attributes.ints("output_shape");
    let auto_pad = node.attributes.string("auto_pad").unwrap_or_default();
    if output_padding.len() != count || output_padding.iter().any(|&p| p < 0) {
        return Err(node.bad_shape(format!("output_padding {output_padding:?} is invalid")));
    }
    let mut outputs = Vec::with_capacity(count);
    for (axis, window) in axes.iter().enumerate() {
        let output: i128 = if let Some(shape) = output_shape {
            // output_shape may list all axes or only the spatial ones.
            let spatial = &shape[shape.len().saturating_sub(count)..];
            spatial.get(axis).copied().map_or(0, i128::from)
        } else if matches!(auto_pad.as_str(), "SAME_UPPER" | "SAME_LOWER") {
            i128::from(window.input) * i128::from(window.stride)
        } else {
            i128::from(window.stride) * (i128::from(window.input) - 1)
                + i128::from(output_padding[axis])
                + i128::from(window.kernel)
                - i128::from(window.pad_begin)
                - i128::from(window.pad_end)
        };
        let output = u64::try_from(output)
            .ok()
            .filter(|&output| output >= 1)
            .ok_or_else(|| {
                node.bad_shape(format!("output size {output} on spatial axis {axis}"))
            })?;
        outputs.push(size(node, "the output extent", output)?);
    }
    let windows: Vec<(u64, u64, u64)> = axes
        .iter()
        .zip(&outputs)
        .map(|(axis, &output)| (axis.kernel, output + axis.kernel - 1, 1))
        .collect();
    let ((r, s), (y, x), _) = rows_and_columns(&windows);
    let batch = size(node, "the batch N", batch)?;
    let dimensions = vec![
        (Dim::K, size(node, "K", out_channels)?),
        (Dim::C, size(node, "C", channels)?),
        (Dim::R, size(node, "R", r)?),
        (Dim::S, size(node, "S", s)?),
        (Dim::Y, size(node, "Y", y)?),
        (Dim::X, size(node, "X", x)?),
    ];
    let mut output = vec![batch, out_channels];
    output.extend(outputs);
    Ok(Effect {
        outputs: vec![TensorInfo::of_shape(output)],
        layers: vec![LayerDraft {
            suffix: String::new(),
            layer_type: LayerType::TransposedConv,
            dimensions: with_batch(batch, dimensions),
            strides: Strides::default(),
        }],
    })
}

/// ConvTranspose pads shrink the output instead of growing the input, so the "window larger than
/// the input" check of a convolution does not apply; only explicit pads are read here.
fn window_axes_for_transpose(
    node: &Node,
    inputs: &[u64],
    kernels: &[u64],
) -> Result<Vec<WindowAxis>, ImportError> {
    let count = inputs.len();
    let mut axes: Vec<WindowAxis> = Vec::with_capacity(count);
    let strides = node.attributes.ints("strides");
    let dilations = node.attributes.ints("dilations");
    let pads = node.attributes.ints("pads");
    let positive = |values: Option<&[i64]>, axis: usize, what: &str| -> Result<u64, ImportError> {
        match values {
            None => Ok(1),
            Some(values) => values
                .get(axis)
                .and_then(|&v| u64::try_from(v).ok())
                .filter(|&v| (1..=u64::from(u32::MAX)).contains(&v))
                .ok_or_else(|| node.bad_shape(format!("{what} {values:?} is invalid"))),
        }
    };
    for axis in 0..count {
        let pad = |index: usize| -> Result<u64, ImportError> {
            match pads {
                None => Ok(0),
                Some(pads) => pads
                    .get(index)
                    .and_then(|&p| u64::try_from(p).ok())
                    .filter(|&p| p <= u64::from(u32::MAX))
                    .ok_or_else(|| node.bad_shape(format!("pads {pads:?} is invalid"))),
            }
        };
        if kernels[axis] == 0 {
            return Err(node.bad_shape("a kernel size is 0"));
        }
        axes.push(WindowAxis {
            input: inputs[axis],
            kernel: kernels[axis],
            stride: positive(strides, axis, "strides")?,
            dilation: positive(dilations, axis, "dilations")?,
            pad_begin: pad(axis)?,
            pad_end: pad(axis + count)?,
        });
    }
    if inputs.contains(&0) {
        return Err(node.bad_shape("an input extent is 0"));
    }
    Ok(axes)
}

/// `Gemm`: `A (M×K, or K×M with transA) · B (K×N, or N×K with transB)` → GEMM `{M, N, K}`; the bias
/// `C` adds no MACs.
pub fn gemm(node: &Node) -> Result<Effect, ImportError> {
    let a = node.input_of_rank(0, "A", 2)?;
    let b = node.input_of_rank(1, "B", 2)?;
    let transposed = |name: &str| node.attributes.int(name).unwrap_or(0) != 0;
    let (m, k) = if transposed("transA") {
        (a.shape[1], a.shape[0])
    } else {
        (a.shape[0], a.shape[1])
    };
    let (k_of_b, n) = if transposed("transB") {
        (b.shape[1], b.shape[0])
    } else {
        (b.shape[0], b.shape[1])
    };
    if k != k_of_b {
        return Err(node.bad_shape(format!(
            "A {} and B {} disagree on the inner dimension ({k} vs {k_of_b})",
            shape_text(&a.shape),
            shape_text(&b.shape)
        )));
    }
    Ok(Effect {
        outputs: vec![TensorInfo::of_shape(vec![m, n])],
        layers: vec![gemm_draft(node, String::new(), m, n, k)?],
    })
}

fn gemm_draft(
    node: &Node,
    suffix: String,
    m: u64,
    n: u64,
    k: u64,
) -> Result<LayerDraft, ImportError> {
    Ok(LayerDraft {
        suffix,
        layer_type: LayerType::Gemm,
        dimensions: vec![
            (Dim::M, size(node, "M", m)?),
            (Dim::N, size(node, "N", n)?),
            (Dim::K, size(node, "K", k)?),
        ],
        strides: Strides::default(),
    })
}

/// `MatMul` with NumPy semantics. Leading (batch) axes are folded where a GEMM can hold them: when
/// only `A` has them they multiply `M` (one weight for every row), when only `B` has them they
/// multiply `N`; when both have them (attention's per-head products) every batch element is its own
/// GEMM, named `NAME_headI` in row-major order of the broadcast batch axes.
pub fn matmul(node: &Node) -> Result<Effect, ImportError> {
    let a = node.input(0)?;
    let b = node.input(1)?;
    if a.rank() == 0 || b.rank() == 0 {
        return Err(node.bad_shape("MatMul operands must have rank 1 or more"));
    }
    // A vector operand is a matrix with one row (A) or one column (B), removed again from the output.
    let a_matrix: Vec<u64> = if a.rank() == 1 {
        vec![1, a.shape[0]]
    } else {
        a.shape.clone()
    };
    let b_matrix: Vec<u64> = if b.rank() == 1 {
        vec![b.shape[0], 1]
    } else {
        b.shape.clone()
    };
    let (a_batch, a_rows) = a_matrix.split_at(a_matrix.len() - 2);
    let (b_batch, b_rows) = b_matrix.split_at(b_matrix.len() - 2);
    let (m, k) = (a_rows[0], a_rows[1]);
    let (k_of_b, n) = (b_rows[0], b_rows[1]);
    if k != k_of_b {
        return Err(node.bad_shape(format!(
            "A {} and B {} disagree on the inner dimension ({k} vs {k_of_b})",
            shape_text(&a.shape),
            shape_text(&b.shape)
        )));
    }
    let batch = broadcast(a_batch, b_batch).ok_or_else(|| {
        node.bad_shape(format!(
            "the batch axes of A {} and B {} do not broadcast",
            shape_text(&a.shape),
            shape_text(&b.shape)
        ))
    })?;
    let too_large = |what: &str| ImportError::TooLarge {
        what: format!("{}: {what}", node.reference),
        size: u128::MAX,
        limit: MAX_SIZE,
    };
    let count = |shape: &[u64]| element_count(shape).ok_or_else(|| too_large("the batch size"));
    let (a_count, b_count, total) = (count(a_batch)?, count(b_batch)?, count(&batch)?);
    let mut output = batch.clone();
    if a.rank() > 1 {
        output.push(m);
    }
    if b.rank() > 1 {
        output.push(n);
    }
    let layers = if b_count == 1 {
        let rows = m.checked_mul(total).ok_or_else(|| too_large("M"))?;
        vec![gemm_draft(node, String::new(), rows, n, k)?]
    } else if a_count == 1 {
        let columns = n.checked_mul(total).ok_or_else(|| too_large("N"))?;
        vec![gemm_draft(node, String::new(), m, columns, k)?]
    } else {
        if total > MAX_GEMMS_PER_MATMUL {
            return Err(node.refused(format!(
                "{total} independent products (batch axes {}) exceed the {MAX_GEMMS_PER_MATMUL} GEMMs \
                 one MatMul may become",
                shape_text(&batch)
            )));
        }
        (0..total)
            .map(|head| gemm_draft(node, format!("_head{head}"), m, n, k))
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(Effect {
        outputs: vec![TensorInfo::of_shape(output)],
        layers,
    })
}
