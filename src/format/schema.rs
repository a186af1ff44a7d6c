//! JSON Schema of the format (stub, to be written).
