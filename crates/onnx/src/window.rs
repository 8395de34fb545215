//! Sliding windows (convolutions and pooling): strides, dilations and padding per spatial axis, with
//! ONNX's `auto_pad` rules, and the output size `⌊(in + pad_begin + pad_end − extent) / stride⌋ + 1`.

use crate::error::ImportError;
use crate::node::Node;

/// One spatial axis of a window operator, with its padding resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowAxis {
    pub input: u64,
    pub kernel: u64,
    pub stride: u64,
    pub dilation: u64,
    pub pad_begin: u64,
    pub pad_end: u64,
}

impl WindowAxis {
    /// The window's extent over the input: `(kernel − 1) · dilation + 1`.
    pub fn extent(&self) -> u64 {
        (self.kernel - 1) * self.dilation + 1
    }

    /// The input extent including the padding: what a model file's `Y`/`X` holds.
    pub fn padded_input(&self) -> u64 {
        self.input + self.pad_begin + self.pad_end
    }
}

/// A per-axis attribute list of `count` positive values, or `default` for each axis.
fn per_axis(node: &Node, name: &str, count: usize, default: u64) -> Result<Vec<u64>, ImportError> {
    match node.attributes.ints(name) {
        None => Ok(vec![default; count]),
        Some(values) if values.len() == count => values
            .iter()
            .map(|&value| {
                u64::try_from(value)
                    .ok()
                    .filter(|&value| (1..=u64::from(u32::MAX)).contains(&value))
                    .ok_or_else(|| node.bad_shape(format!("{name} {values:?} must be positive")))
            })
            .collect(),
        Some(values) => Err(node.bad_shape(format!(
            "{name} {values:?} has {} values for {count} spatial axes",
            values.len()
        ))),
    }
}

/// Resolves strides, dilations and padding of a window over `inputs` (spatial sizes) with `kernels`.
pub fn window_axes(
    node: &Node,
    inputs: &[u64],
    kernels: &[u64],
) -> Result<Vec<WindowAxis>, ImportError> {
    let count = inputs.len();
    let strides = per_axis(node, "strides", count, 1)?;
    let dilations = per_axis(node, "dilations", count, 1)?;
    let auto_pad = node.attributes.string("auto_pad").unwrap_or_default();
    let mut axes: Vec<WindowAxis> = (0..count)
        .map(|axis| WindowAxis {
            input: inputs[axis],
            kernel: kernels[axis],
            stride: strides[axis],
            dilation: dilations[axis],
            pad_begin: 0,
            pad_end: 0,
        })
        .collect();
    if let Some(&kernel) = kernels.iter().find(|&&kernel| kernel == 0) {
        return Err(node.bad_shape(format!("a kernel size is {kernel}")));
    }
    match auto_pad.as_str() {
        "" | "NOTSET" => {
            if let Some(pads) = node.attributes.ints("pads") {
                if pads.len() != 2 * count {
                    return Err(node.bad_shape(format!(
                        "pads {pads:?} has {} values for {count} spatial axes (begin values, then end values)",
                        pads.len()
                    )));
                }
                for (axis, window) in axes.iter_mut().enumerate() {
                    let begin = pads[axis];
                    let end = pads[axis + count];
                    let valid = |pad: i64| {
                        u64::try_from(pad)
                            .ok()
                            .filter(|&pad| pad <= u64::from(u32::MAX))
                    };
                    match (valid(begin), valid(end)) {
                        (Some(begin), Some(end)) => {
                            window.pad_begin = begin;
                            window.pad_end = end;
                        }
                        _ => {
                            return Err(node.refused(format!(
                                "pads {pads:?}: negative padding (cropping) is not modelled"
                            )))
                        }
                    }
                }
            }
        }
        "VALID" => {}
        "SAME_UPPER" | "SAME_LOWER" => {
            for window in &mut axes {
                // Output ceil(in / stride); the total padding makes the last window end at the edge.
                let output = window.input.div_ceil(window.stride);
                let needed = (output.saturating_sub(1).saturating_mul(window.stride))
                    .saturating_add(window.extent())
                    .saturating_sub(window.input);
                let smaller = needed / 2;
                let larger = needed - smaller;
                if auto_pad == "SAME_UPPER" {
                    (window.pad_begin, window.pad_end) = (smaller, larger);
                } else {
                    (window.pad_begin, window.pad_end) = (larger, smaller);
                }
            }
        }
        other => {
            return Err(node.bad_shape(format!(
                "auto_pad `{other}` is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER"
            )))
        }
    }
    for window in &axes {
        if window.padded_input() < window.extent() {
            return Err(node.bad_shape(format!(
                "the window (extent {}) is larger than the padded input ({})",
                window.extent(),
                window.padded_input()
            )));
        }
    }
    Ok(axes)
}

/// The output size of a window axis: floor division, or ceiling with `ceil_mode` (pooling), where a
/// window that would start in the end padding is dropped, as ONNX specifies.
pub fn output_size(window: &WindowAxis, ceil_mode: bool) -> u64 {
    let span = window.padded_input() - window.extent();
    if !ceil_mode {
        return span / window.stride + 1;
    }
    let mut output = span.div_ceil(window.stride) + 1;
    if (output - 1) * window.stride >= window.input + window.pad_begin {
        output -= 1;
    }
    output
}
