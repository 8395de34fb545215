//! Allocations whose size follows the mapping (per-PE state, link tables): they are reserved with
//! `try_reserve`, so a legal input too large for the machine fails with a message, never an abort.

use crate::error::SimError;

/// `len` copies of `value`, or [`SimError::OutOfMemory`] naming `layer` and `what` was being sized.
pub fn filled<T: Clone>(
    value: T,
    len: usize,
    layer: &str,
    what: &'static str,
) -> Result<Vec<T>, SimError> {
    let mut items = reserved(len, layer, what)?;
    items.resize(len, value);
    Ok(items)
}

/// An empty vector with room for `len` items, or [`SimError::OutOfMemory`].
pub fn reserved<T>(len: usize, layer: &str, what: &'static str) -> Result<Vec<T>, SimError> {
    let mut items = Vec::new();
    items
        .try_reserve_exact(len)
        .map_err(|_| SimError::OutOfMemory {
            layer: layer.to_owned(),
            what,
            bytes: (len as u64).saturating_mul(std::mem::size_of::<T>() as u64),
        })?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_allocation_is_an_error_not_an_abort() {
        let error = filled(0u64, usize::MAX / 4, "conv1", "per-PE state").unwrap_err();
        assert!(
            error.to_string().contains("conv1") && error.to_string().contains("per-PE state"),
            "{error}"
        );
        assert_eq!(filled(7u8, 3, "conv1", "x").unwrap(), vec![7, 7, 7]);
    }
}
