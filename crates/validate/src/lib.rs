//! Runs the analytical model and the simulator on the same cases and compares them.
