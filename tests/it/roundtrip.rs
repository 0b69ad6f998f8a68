//! Property test: canonical rendering round-trips generated models.
