//! TOML hardware descriptions (serde, deny_unknown_fields) lowered to the IR accelerator, with span-labelled errors.
