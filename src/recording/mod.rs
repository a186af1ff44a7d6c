//! Recordings (stub, being written): the HTTP and process traffic of a run,
//! written next to the workflow, and the transports that record and replay it.
