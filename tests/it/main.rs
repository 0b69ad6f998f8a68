//! Integration tests: one binary, shared helpers in `common`.

mod cli;
mod common;
mod corpus;
mod fixtures;
mod roundtrip;
