//! Fuzz target: any bytes through the parser (every encoding path), the canonical writer and
//! the parser again, the checker and the citation extractor. Nothing may panic; the canonical
//! form must parse back to the same model.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = statute::parse::parse_bytes(Path::new("fuzz"), data) else {
        return;
    };
    let _ = statute::check::check(&parsed.statute);
    let _ = statute::cite::extract(&parsed.statute);
    let mut md = Vec::new();
    statute::parse::canonical::write(&parsed.statute, &mut md).expect("writing to memory");
    let again =
        statute::parse::parse_bytes(Path::new("fuzz.md"), &md).expect("the canonical form parses");
    assert_eq!(again.statute, parsed.statute, "canonical round trip");
});
