//! Integration tests: one binary, shared helpers in `common`.

mod cli;
mod common;
mod corpus;
mod differ;
mod fixtures;
mod mutation;
mod roundtrip;
mod store;
