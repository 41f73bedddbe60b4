//! View-log benchmark (not a timed test; issue 16): reads of Y-san's case screen by its 主担当,
//!
//! * **off**: the same decision and redaction without a log (requester, relations, disclosed
//!   categories, `Policy::decide_with`, `redact_household`);
//! * **on, memory**: `CaseBook::read_case` on a memory book (decided, redacted, appended to the
//!   indexed view log, chained);
//! * **on, SQLite**: `CaseBook::read_case` on a book file (each read also one `view_log` row in
//!   its own transaction);
//!
//! target: on ≤ 1.25 × off. CPU time (user + system) of this process, so waits for a shared
//! core do not count.
//!
//! ```text
//! cargo bench -p tsunagu --bench access                                  # 100,000 reads
//! TSUNAGU_BENCH_READS=200 cargo test -p tsunagu --bench access           # tiny (CI)
//! ```

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use tsunagu::access::{self, Action, RecordKind};
use tsunagu::journal::Store;
use tsunagu::registry::{CaseBook, Command};
use tsunagu::worker::Actor;

const AGENCIES: &str = include_str!("../../tests/fixtures/sendai_agencies.json");
const HOUSEHOLD: &str = include_str!("../../tests/fixtures/y_san_household.json");

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// CPU seconds (user + system) of this process from `/proc/self/stat` (Linux; 10 ms ticks).
fn cpu_seconds() -> f64 {
    let read = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let after = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        Some((utime + stime) / 100.0)
    };
    read().unwrap_or(f64::NAN)
}

fn cmd(v: Value) -> Command {
    serde_json::from_value(v).unwrap()
}

fn y_book<S: Store>(store: S) -> CaseBook<S> {
    let mut book = CaseBook::open(store, "bench").unwrap();
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
    let household: Value = serde_json::from_str(HOUSEHOLD).unwrap();
    let mut setup: Vec<Command> = agencies
        .into_iter()
        .map(|a| cmd(json!({"command": "register_agency", "agency": a})))
        .collect();
    setup.push(cmd(
        json!({"command": "register_household", "household": household}),
    ));
    setup.push(cmd(json!({"command": "register_person", "person": {"id": "y-mother",
        "name": "山田 花子", "address": {"text": "仙台市青葉区一番町1-1"}, "phones": ["022-000-0000"]}})));
    setup.push(cmd(
        json!({"command": "open_case", "case": "c-y", "household": "h-y",
        "subject": "y-mother", "responsible_window": "sendai-council",
        "intake": {"channel": "walk_in", "receiving_window": "sendai-council",
                   "chief_complaint": "相談", "on": "2023-06-05"}}),
    ));
    setup.push(cmd(
        json!({"command": "register_worker", "worker": {"id": "csw-1",
        "agency": "sendai-council", "name": "職員",
        "roles": ["community_social_worker", "chief_consultation_support_worker"]}}),
    ));
    let (today, now) = (
        "2023-06-05".parse().unwrap(),
        "2023-06-05T00:00:00Z".parse().unwrap(),
    );
    book.execute_batch(setup, today, now).unwrap();
    book.as_actor(actor())
        .execute(
            cmd(json!({"command": "assign_team", "case": "c-y", "main": "csw-1", "on": "2023-06-05"})),
            today,
            now,
        )
        .unwrap();
    book
}

fn actor() -> Actor {
    Actor::new("csw-1", "sendai-council")
}

fn main() {
    let reads = env("TSUNAGU_BENCH_READS", 100_000);
    let start: DateTime<Utc> = "2023-06-06T00:00:00Z".parse().unwrap();
    let at = |i: u64| start + Duration::milliseconds(i as i64);
    let case = "c-y".into();

    // Off: the read's decision and redaction, no log.
    let book = y_book(tsunagu::journal::MemoryStore::new());
    let reg = book.registry();
    let t0 = cpu_seconds();
    let mut shown = 0usize;
    for i in 0..reads {
        let requester = reg.requester(&actor()).unwrap();
        let c = reg.case(&case).unwrap();
        let relations = reg.case_parties(c).relations_of(&requester);
        let on = access::japan_date(at(i));
        let disclosed = access::disclosed_to_agency(
            reg.provisions(),
            reg.consents(),
            &case,
            &requester.agency,
            on,
        );
        let decision = book.policy().decide_with(
            &requester,
            &relations,
            &disclosed,
            RecordKind::Household,
            Action::Read,
        );
        let household = reg.household(c.household()).unwrap();
        let contacts = reg.contact_details(household);
        let (view, _) = access::redact_household(
            household,
            &contacts,
            &decision,
            &requester.worker,
            reg.protections(),
            on,
            reg.taxonomies(),
        );
        shown += view.members.len();
    }
    let off = cpu_seconds() - t0;
    assert_eq!(shown as u64, 3 * reads);

    // On, memory.
    let mut book = y_book(tsunagu::journal::MemoryStore::new());
    let t0 = cpu_seconds();
    for i in 0..reads {
        book.read_case(&actor(), &case, at(i)).unwrap();
    }
    let memory = cpu_seconds() - t0;
    assert_eq!(book.view_log().len() as u64, reads);
    assert_eq!(book.verify_view_log().unwrap() as u64, reads);

    // On, SQLite file.
    let dir = std::env::temp_dir().join(format!("tsunagu-bench-access-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("book.sqlite");
    let _ = std::fs::remove_file(&path);
    drop(y_book(tsunagu::journal::SqliteStore::open(&path).unwrap()));
    let mut book = CaseBook::open_file(&path, "bench").unwrap();
    let t0 = cpu_seconds();
    for i in 0..reads {
        book.read_case(&actor(), &case, at(i)).unwrap();
    }
    let sqlite = cpu_seconds() - t0;
    drop(book);
    let t0 = cpu_seconds();
    let reopened = CaseBook::open_file(&path, "bench").unwrap();
    let reopen = cpu_seconds() - t0;
    assert_eq!(reopened.view_log().len() as u64, reads);
    drop(reopened);
    std::fs::remove_dir_all(&dir).unwrap();

    let per = |s: f64| s / reads as f64 * 1e6;
    println!("view log: {reads} reads of Y-san's case screen (CPU time)");
    println!("  off (decide + redact)   {:>8.2} µs/read", per(off));
    println!(
        "  on, memory              {:>8.2} µs/read  {:.2}× off",
        per(memory),
        memory / off
    );
    println!(
        "  on, SQLite file         {:>8.2} µs/read  {:.2}× off",
        per(sqlite),
        sqlite / off
    );
    println!("  reopen (read back + verify the chain of {reads}) {reopen:.3} s");
}
