//! Kubernetes steps (stub, being written): `kubectl <verb> …` run natively
//! through kube-rs, with the output `kubectl -o json` prints.
