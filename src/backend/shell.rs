//! `run` steps (stub, to be written).
