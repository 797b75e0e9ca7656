//! End-to-end tests of the ado-rs workspace live in `tests/`; this library is empty.
