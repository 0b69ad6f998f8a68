//! Fixtures: one behaviour each.
