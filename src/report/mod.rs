//! Reports of a run (stub, to be written): JSON, JUnit and the final summary.
