//! The reference of every key of the format (stub, to be written).
