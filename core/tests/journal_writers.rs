//! Several processes writing one SQLite journal at once (issue 19, part 5).
//!
//! The parent starts [`WRITERS`] copies of this test binary (test `child_writer`, which does
//! nothing unless `TSUNAGU_JOURNAL_WRITER_CHILD` names the file). Each child opens a `CaseBook` on
//! the same file and registers [`COMMANDS`] agencies with ids of its own, retrying a command the
//! journal refused as `journal_conflict` (another process appended first; the book takes up their
//! events and goes on). It prints `ACK <id>` after each accepted command and, at the end, its
//! final view: the journal length it saw and the agency ids its registry holds.
//!
//! The parent then checks that every acknowledged command is in the journal exactly once, that
//! the journal is one unbroken chain, and that each child's final view is exactly the state the
//! first `len` events of the journal replay to — so no process ever forked the chain or kept a
//! state the journal does not hold. A second test holds an exclusive lock on the file and checks
//! that the busy-timeout path is a typed `storage` error that changes nothing.
#![cfg(all(feature = "sqlite", unix))]

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command as Process, Stdio};
use tsunagu::registry::{CaseBook, Command, Event};

const CHILD_ENV: &str = "TSUNAGU_JOURNAL_WRITER_CHILD";
const CHILD_ID_ENV: &str = "TSUNAGU_JOURNAL_WRITER_ID";
/// Processes writing at once.
const WRITERS: usize = 4;
/// Commands each process has accepted before it stops.
const COMMANDS: usize = 30;

fn register_agency(id: &str) -> Command {
    serde_json::from_value(serde_json::json!({
        "command": "register_agency",
        "agency": {"id": id, "name": "相談窓口", "kind": "social_welfare_council"}
    }))
    .unwrap()
}

fn agency_ids<S: tsunagu::journal::Store>(book: &CaseBook<S>) -> BTreeSet<String> {
    book.registry()
        .directory()
        .agencies()
        .iter()
        .map(|a| a.id.to_string())
        .collect()
}

struct TempDir(std::path::PathBuf);
impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("tsunagu-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The child: registers its agencies, retrying on `journal_conflict`, then prints its view.
#[test]
fn child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // Not started by the parent: nothing to do.
    };
    let me: usize = std::env::var(CHILD_ID_ENV).unwrap().parse().unwrap();
    let mut book = CaseBook::open_file(&path, &format!("writer-{me}")).expect("open book");
    let today = "2024-04-01".parse().unwrap();
    let mut conflicts = 0u32;
    for k in 0..COMMANDS {
        let id = format!("w{me}-{k}");
        loop {
            let now = book.recording_time("2024-04-01T09:00:00Z".parse().unwrap());
            match book.execute(register_agency(&id), today, now) {
                Ok(_) => break,
                Err(e) if e.code() == "journal_conflict" => conflicts += 1,
                Err(e) => panic!("writer {me}: {} {e}", e.code()),
            }
        }
        println!("ACK {id}");
    }
    let ids: Vec<String> = agency_ids(&book).into_iter().collect();
    println!("VIEW {} {} {}", book.len(), conflicts, ids.join(","));
}

#[test]
fn several_processes_append_to_one_journal_without_fork_or_loss() {
    let dir = TempDir::new("writers");
    let path = dir.0.join("j.sqlite");
    // Create the file first, so no two children race to create the schema.
    drop(CaseBook::open_file(&path, "setup").unwrap());
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WRITERS)
        .map(|me| {
            Process::new(&exe)
                .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
                .env(CHILD_ENV, &path)
                .env(CHILD_ID_ENV, me.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut acked = Vec::new();
    let mut views = Vec::new();
    let mut conflicts = 0u64;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "a writer failed: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The harness may print `test child_writer ... ` on the line of the first message.
        let after =
            |line: &'_ str, tag: &str| line.find(tag).map(|i| line[i + tag.len()..].to_string());
        for line in stdout.lines() {
            if let Some(id) = after(line, "ACK ") {
                acked.push(id);
            } else if let Some(view) = after(line, "VIEW ") {
                let mut parts = view.splitn(3, ' ');
                let len: u64 = parts.next().unwrap().parse().unwrap();
                conflicts += parts.next().unwrap().parse::<u64>().unwrap();
                let ids: BTreeSet<String> = parts
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                views.push((len, ids));
            }
        }
    }
    assert_eq!(
        acked.len(),
        WRITERS * COMMANDS,
        "every writer acknowledged all"
    );
    assert_eq!(views.len(), WRITERS, "every writer reported its view");

    let book = CaseBook::open_file(&path, "check").expect("the journal opens");
    let report = book.verify().expect("one unbroken chain");
    assert_eq!(report.events as usize, WRITERS * COMMANDS);
    // Every acknowledged command is in the journal exactly once.
    let mut stored: BTreeMap<String, u32> = BTreeMap::new();
    let events: Vec<Event> = book.payloads().unwrap();
    for e in &events {
        let Command::RegisterAgency(c) = &e.command else {
            panic!("unexpected command {}", e.command.name());
        };
        *stored.entry(c.agency.id.to_string()).or_default() += 1;
    }
    for id in &acked {
        assert_eq!(stored.get(id), Some(&1), "{id} stored exactly once");
    }
    assert_eq!(
        stored.len(),
        acked.len(),
        "nothing unacknowledged was stored"
    );
    // Each writer's final view is what the journal's first `len` events replay to.
    for (len, ids) in &views {
        let prefix = CaseBook::from_events(
            "replay",
            events[..*len as usize].to_vec(),
            "2024-04-01T09:00:00Z".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(
            &agency_ids(&prefix),
            ids,
            "a writer's view is a journal prefix"
        );
    }
    // The final replay holds every acknowledged command.
    assert_eq!(
        agency_ids(&book),
        acked.iter().cloned().collect::<BTreeSet<_>>()
    );
    eprintln!(
        "{WRITERS} writers × {COMMANDS} commands: {} events, {conflicts} conflicts retried",
        report.events
    );
}

#[test]
fn a_locked_file_is_a_typed_storage_error_that_changes_nothing() {
    let dir = TempDir::new("locked");
    let path = dir.0.join("j.sqlite");
    let mut book = CaseBook::open_file(&path, "desk").unwrap();
    let today = "2024-04-01".parse().unwrap();
    let now = "2024-04-01T09:00:00Z".parse().unwrap();
    book.execute(register_agency("a-1"), today, now).unwrap();
    let lock = rusqlite::Connection::open(&path).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let err = book
        .execute(register_agency("a-2"), today, now)
        .expect_err("the file is locked by another writer");
    assert_eq!(err.code(), "storage", "{err}");
    assert_eq!(err.kind(), tsunagu::error::ErrorKind::Storage);
    lock.execute_batch("ROLLBACK;").unwrap();
    drop(lock);
    assert_eq!(book.len(), 1, "nothing was appended");
    assert!(!agency_ids(&book).contains("a-2"), "nor applied");
    // The lock released, the same command goes through.
    book.execute(register_agency("a-2"), today, now).unwrap();
    let reopened = CaseBook::open_file(&path, "desk").unwrap();
    assert_eq!(reopened.len(), 2);
    reopened.verify().unwrap();
}
