//! Cycle-level discrete-event simulator of a spatial accelerator executing a mapping.
