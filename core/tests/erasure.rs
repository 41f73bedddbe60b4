//! Encryption at rest and erasure after retention (保存年限経過後の消去), on Y-san's household
//! (DOMAIN.md §8): her records are sealed in the SQLite journal; once her household is past
//! retention an erasure destroys its key — the annual report's counts are unchanged, the content
//! is unreadable, the journal verifies, and the erasure itself is on record.

#![cfg(all(feature = "seal", feature = "sqlite"))]

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};
use tsunagu::journal::{MasterKey, SqliteStore};
use tsunagu::registry::{CaseBook, Command};
use tsunagu::stats::ReportSettings;

mod common;
use common::{AGENCIES, Y_SAN};

const SECRET: &str = "長男がひきこもり、母の年金で暮らしている";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T09:00:00Z").parse().unwrap()
}

fn cmd(v: Value) -> Command {
    serde_json::from_value(v).expect("command parses")
}

fn run(book: &mut CaseBook<SqliteStore>, on: &str, v: Value) {
    book.execute(cmd(v.clone()), d(on), at(on))
        .unwrap_or_else(|e| panic!("{v}: {} {e}", e.code()));
}

/// Y-san's household, her case from intake to closure (resolved) in FY2023, with a record
/// entry; and a second household whose case is still open.
fn build(book: &mut CaseBook<SqliteStore>) {
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
    for a in agencies {
        run(
            book,
            "2023-06-01",
            json!({ "command": "register_agency", "agency": a }),
        );
    }
    let h: Value = serde_json::from_str(Y_SAN).unwrap();
    run(
        book,
        "2023-06-05",
        json!({ "command": "register_household", "household": h }),
    );
    run(
        book,
        "2023-06-05",
        json!({ "command": "open_case", "case": "c-y", "household": "h-y",
        "subject": "y-mother", "responsible_window": "sendai-council",
        "intake": { "channel": "walk_in", "receiving_window": "sendai-council", "on": "2023-06-05",
                    "chief_complaint": SECRET } }),
    );
    run(
        book,
        "2023-06-07",
        json!({ "command": "write_entry", "entry": { "id": "e1", "case": "c-y",
        "kind": "visit_not_home", "on": "2023-06-07", "at": "10:00", "place": "自宅",
        "text": "不在。車なし。" } }),
    );
    run(
        book,
        "2023-06-12",
        json!({ "command": "case", "case": "c-y", "action": { "action": "begin_assessment" } }),
    );
    run(
        book,
        "2023-06-12",
        json!({ "command": "case", "case": "c-y", "action": { "action": "record_assessment",
        "assessment": { "on": "2023-06-12", "wishes": "子どもと安心して暮らしたい", "urgency": "normal",
        "issues": [ { "member": "y-mother", "issues": ["income_living_costs"] } ] } } }),
    );
    run(
        book,
        "2023-06-12",
        json!({ "command": "case", "case": "c-y", "action": { "action": "decide", "outcome": "continuing_support" } }),
    );
    let mut other: Value = serde_json::from_str(Y_SAN).unwrap();
    other["id"] = json!("h-other");
    run(
        book,
        "2023-07-01",
        json!({ "command": "register_household", "household": other }),
    );
    run(
        book,
        "2023-07-01",
        json!({ "command": "open_case", "case": "c-o", "household": "h-other",
        "subject": "y-mother", "responsible_window": "sendai-council",
        "intake": { "channel": "phone", "receiving_window": "sendai-council", "on": "2023-07-01",
                    "chief_complaint": "別の相談" } }),
    );
    run(
        book,
        "2023-09-29",
        json!({ "command": "case", "case": "c-y", "action": { "action": "close", "reason": "resolved", "on": "2023-09-29" } }),
    );
}

fn file_contains(path: &std::path::Path, text: &str) -> bool {
    let mut bytes = std::fs::read(path).unwrap();
    let wal = path.with_extension("sqlite-wal");
    if let Ok(w) = std::fs::read(wal) {
        bytes.extend(w);
    }
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[test]
fn y_san_erased_after_retention_keeps_counts_loses_content_and_verifies() {
    let dir = std::env::temp_dir().join(format!("tsunagu-erasure-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("journal.sqlite");
    let _ = std::fs::remove_file(&path);
    let master = || MasterKey::from_bytes([0x42; 32]);
    let settings = ReportSettings::default();

    let mut book =
        CaseBook::open_sealed(SqliteStore::open(&path).unwrap(), "srv", master()).unwrap();
    build(&mut book);
    // Sealed at rest from the start: her words are not in the file.
    assert!(!file_contains(&path, SECRET));
    let report = book
        .annual_report(2023.try_into().unwrap(), &settings)
        .unwrap();
    let events_before = book.len();

    // Retention: 5 years from 1 April after the fiscal year of closure (FY2023 → 2029-04-01).
    assert!(book.registry().past_retention(d("2029-03-31")).is_empty());
    let due = book.registry().past_retention(d("2029-04-01"));
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(
        (due[0].household.as_str(), due[0].rule.as_str()),
        ("h-y", "case_record")
    );

    // Too early: refused, nothing appended.
    let erase = json!({ "command": "erase_household", "household": "h-y", "rule": "case_record",
        "reason": "保存年限経過（定期消去）" });
    let e = book
        .execute(cmd(erase.clone()), d("2029-03-31"), at("2029-03-31"))
        .unwrap_err();
    assert_eq!(e.code(), "retention_not_reached");
    // The household with an open case is never past retention.
    let e = book
        .execute(
            cmd(
                json!({ "command": "erase_household", "household": "h-other",
            "rule": "case_record", "reason": "x" }),
            ),
            d("2035-04-01"),
            at("2035-04-01"),
        )
        .unwrap_err();
    assert_eq!(e.code(), "retention_not_reached");
    assert_eq!(book.len(), events_before);

    book.execute(cmd(erase.clone()), d("2029-04-01"), at("2029-04-01"))
        .unwrap();
    assert_eq!(book.len(), events_before + 1);
    // Her household is gone from the registry; the other stays; the erasure is on record.
    assert!(book.registry().household(&"h-y".into()).is_none());
    assert!(book.registry().case(&"c-y".into()).is_none());
    assert!(book.registry().case(&"c-o".into()).is_some());
    let rec = &book.registry().erasures().records["h-y"];
    assert_eq!(
        (rec.on, rec.rule.as_str()),
        (d("2029-04-01"), "case_record")
    );
    // The annual report's counts are unchanged.
    assert_eq!(
        book.annual_report(2023.try_into().unwrap(), &settings)
            .unwrap(),
        report
    );
    // The content is unreadable: her events read as projections without text.
    let payloads = serde_json::to_string(&book.payloads().unwrap()).unwrap();
    assert!(!payloads.contains(SECRET));
    assert!(!payloads.contains("不在。車なし。"));
    assert!(
        payloads.contains("別の相談"),
        "the other household is intact"
    );
    book.verify().unwrap();
    // A second erasure is refused.
    let e = book
        .execute(cmd(erase), d("2029-04-02"), at("2029-04-02"))
        .unwrap_err();
    assert_eq!(e.code(), "household_erased");
    drop(book);

    // Reopened with the right key: the same; with a wrong key: refused.
    let book = CaseBook::open_sealed(SqliteStore::open(&path).unwrap(), "srv", master()).unwrap();
    book.verify().unwrap();
    assert!(book.registry().household(&"h-y".into()).is_none());
    assert!(book.registry().erasures().records.contains_key("h-y"));
    assert_eq!(
        book.annual_report(2023.try_into().unwrap(), &settings)
            .unwrap(),
        report
    );
    drop(book);
    let e = CaseBook::open_sealed(
        SqliteStore::open(&path).unwrap(),
        "srv",
        MasterKey::from_bytes([0x43; 32]),
    )
    .unwrap_err();
    assert_eq!(e.code(), "wrong_master_key");
    // Without the master key the journal still verifies (an auditor has no key), but the book
    // does not open: its sealed events cannot be read.
    let e = CaseBook::open(SqliteStore::open(&path).unwrap(), "srv").unwrap_err();
    assert_eq!(e.code(), "missing_key");
    let _ = std::fs::remove_dir_all(&dir);
}
