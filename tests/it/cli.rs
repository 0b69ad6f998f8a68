//! The binary: exit codes and one-line errors.
