//! JSON Lines journals: any bytes read as a journal file give events or a typed error; events
//! that read are replayed into a book (a typed error, never a panic).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tsunagu::analysis::JournalFile;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("tsunagu-fuzz-{}.jsonl", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(file) = JournalFile::open(&path) else { return };
    if let Ok(events) = file.events() {
        let now = chrono::DateTime::from_timestamp(1_796_601_600, 0).unwrap();
        let _ = tsunagu::registry::CaseBook::from_events("fuzz", events, now);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tsunagu::analysis::jsonl::parse_text::<tsunagu::registry::Event>(text);
    }
});
