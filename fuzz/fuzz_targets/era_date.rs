//! The era-date and fiscal-year parsers (和暦): any text is a date or a typed error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tsunagu::calendar::parse_era_date(text);
        let _ = tsunagu::calendar::parse_fiscal_year(text);
    }
});
