//! Reports, ledgers and exports agree whichever way one journal is kept: a book in memory, an
//! SQLite journal file, a JSON Lines file, a list of events.

use crate::calendar::FiscalYear;
use crate::registry::{CaseBook, Event};
use crate::stats::{self, AgeBands, Pseudonymiser, ReportSettings};

fn fy() -> FiscalYear {
    FiscalYear::new(2020).unwrap()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    "2021-04-01T00:00:00Z".parse().unwrap()
}

#[test]
fn a_book_reports_and_exports_as_its_events_do() {
    let events = stats::fixtures::ishinomaki_2020();
    let book = CaseBook::from_events("desk", events.clone(), now()).unwrap();
    let settings = ReportSettings::default();
    let expected = stats::annual_report(&events, fy(), &settings).unwrap();
    assert_eq!(book.annual_report(fy(), &settings).unwrap(), expected);
    assert_eq!(
        book.ledger()
            .unwrap()
            .annual_report(fy(), &settings)
            .unwrap(),
        expected
    );
    let key = Pseudonymiser::new(b"0123456789abcdef").unwrap();
    let as_of = "2021-03-31".parse().unwrap();
    assert_eq!(
        book.export(&key, as_of, &AgeBands::default()).unwrap(),
        stats::export(&events, &key, as_of, &AgeBands::default()).unwrap()
    );
    assert!(expected.first_consultations.total > 0);
}

#[test]
fn parse_text_reads_an_array_or_lines_and_names_the_bad_line() {
    let events = stats::fixtures::ishinomaki_2020();
    let lines = crate::analysis::jsonl::to_text(&events);
    let from_lines: Vec<Event> = crate::analysis::jsonl::parse_text(&lines).unwrap();
    assert_eq!(from_lines, events);
    let array = serde_json::to_string(&events).unwrap();
    assert_eq!(
        crate::analysis::jsonl::parse_text::<Event>(&array).unwrap(),
        events
    );
    let err = crate::analysis::jsonl::parse_text::<Event>("\n{\"on\": 1}\n").unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("malformed_document", Some("line 2"))
    );
}

#[cfg(feature = "files")]
mod files {
    use super::*;
    use crate::analysis::{jsonl, JournalFile, JournalFormat};
    use std::path::PathBuf;

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(name: &str) -> Self {
            let p = std::env::temp_dir().join(format!("tsunagu-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn sqlite_and_json_lines_files_agree_with_the_events() {
        let dir = TempDir::new("analysis-files");
        let events = stats::fixtures::ishinomaki_2020();
        let sqlite = dir.0.join("cases.sqlite");
        let mut book = CaseBook::open_file(&sqlite, "desk").unwrap();
        book.execute_events(events.clone(), now()).unwrap();
        drop(book);
        let lines = dir.0.join("cases.jsonl");
        std::fs::write(&lines, crate::analysis::jsonl::to_text(&events)).unwrap();

        let settings = ReportSettings::default();
        let expected = stats::annual_report(&events, fy(), &settings).unwrap();
        let key = Pseudonymiser::new(b"0123456789abcdef").unwrap();
        let as_of = "2021-03-31".parse().unwrap();
        let export = stats::export(&events, &key, as_of, &AgeBands::default()).unwrap();
        for (path, format) in [
            (&sqlite, JournalFormat::Sqlite),
            (&lines, JournalFormat::JsonLines),
        ] {
            let file = JournalFile::open(path).unwrap();
            assert_eq!(file.format(), format);
            assert_eq!(file.events().unwrap(), events);
            for threads in [1, 3] {
                let whole = file.partial_report(fy(), 0, None, threads).unwrap();
                assert_eq!(whole.finish(&settings).unwrap(), expected);
                let half = events.len() / 2;
                let a = file.partial_report(fy(), 0, Some(half), threads).unwrap();
                let b = file.partial_report(fy(), half, None, threads).unwrap();
                assert_eq!(a.merge(b).unwrap(), whole);
                let ledger = file.ledger(threads).unwrap();
                assert_eq!(ledger.annual_report(fy(), &settings).unwrap(), expected);
            }
            assert_eq!(
                file.export(&key, as_of, &AgeBands::default()).unwrap(),
                export
            );
        }
    }

    #[test]
    fn a_bad_line_or_a_missing_file_is_a_malformed_document() {
        let dir = TempDir::new("analysis-bad");
        let events = stats::fixtures::ishinomaki_2020();
        let mut text = crate::analysis::jsonl::to_text(&events[..5]);
        text.push_str("\n{not json}\n");
        let path = dir.0.join("bad.jsonl");
        std::fs::write(&path, &text).unwrap();
        let file = JournalFile::open(&path).unwrap();
        let check = |e: crate::Error| {
            assert_eq!(
                (e.code(), e.path().as_deref()),
                ("malformed_document", Some("line 7"))
            )
        };
        check(file.events().unwrap_err());
        check(file.partial_report(fy(), 0, None, 2).unwrap_err());
        check(file.ledger(2).unwrap_err());
        check(
            file.export(
                &Pseudonymiser::new(b"0123456789abcdef").unwrap(),
                "2021-03-31".parse().unwrap(),
                &AgeBands::default(),
            )
            .unwrap_err(),
        );
        // Lines before the bad one still read.
        assert_eq!(
            jsonl::read::<Event>(&path, 0, Some(5)).unwrap(),
            events[..5]
        );
        let missing = JournalFile::open(dir.0.join("none.jsonl")).unwrap_err();
        assert_eq!(
            (missing.code(), missing.path().as_deref()),
            ("malformed_document", Some("$"))
        );
        assert!(missing.to_string().contains("cannot read"));
    }
}

#[cfg(feature = "files")]
#[test]
fn a_line_longer_than_the_limit_is_a_typed_error_naming_it() {
    use super::jsonl::{read_blocks_for_test, read_limited_for_test};
    let dir = std::env::temp_dir().join(format!("tsunagu-long-line-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("j.jsonl");
    // Line 2 is 300 bytes; the limit is 100.
    let long = format!("{{\"x\":\"{}\"}}", "a".repeat(290));
    std::fs::write(&path, format!("{{\"x\":1}}\n{long}\n{{\"x\":2}}\n")).unwrap();
    let err = read_limited_for_test(&path, 100).unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
    assert_eq!(err.path().as_deref(), Some("line 2"));
    assert!(err.to_string().contains("jsonl_line_bytes"), "{err}");
    let err = read_blocks_for_test(&path, 100).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("line 2"));
    // The same file under a limit it fits reads whole.
    assert_eq!(read_limited_for_test(&path, 1000).unwrap(), 3);
    assert_eq!(read_blocks_for_test(&path, 1000).unwrap(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
