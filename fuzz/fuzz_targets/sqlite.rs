//! The SQLite journal file itself (corrupted pages and rows): open, verify and replay give a
//! book or a typed error, never a panic. Reading it as an analysis file the same.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("tsunagu-fuzz-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(book) = tsunagu::registry::CaseBook::open_file(&path, "fuzz") {
        let _ = book.verify();
        let _ = book.replayed();
        let _ = book.events();
    }
    if let Ok(file) = tsunagu::analysis::JournalFile::open(&path) {
        let _ = file.events();
    }
});
