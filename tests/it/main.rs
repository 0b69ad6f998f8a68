//! Integration tests: one binary, shared helpers in `common`.

mod amend;
mod apply;
mod apply_fixtures;
mod cites;
mod cli;
mod common;
mod corpus;
mod differ;
mod docx;
mod docx_in;
mod drafting;
mod false_amendments;
mod feed;
mod fixtures;
mod fuzz_corpus;
mod layers;
mod limits;
mod mutation;
mod review;
mod roundtrip;
mod share;
mod store;
mod store_faults;
mod tui;
