//! Integration tests: one binary, shared helpers in `common`.

mod cli;
mod common;
mod corpus;
mod differ;
mod docx;
mod fixtures;
mod mutation;
mod review;
mod roundtrip;
mod store;
mod tui;
