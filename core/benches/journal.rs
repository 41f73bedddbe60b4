//! Journal benchmark (not a timed test): appends per second, single and batched, against raw
//! `rusqlite` inserts of the same payloads under the same pragmas; then replay of the whole
//! journal (every event verified and deserialized).
//!
//! ```text
//! cargo bench -p tsunagu --features sqlite --bench journal
//! TSUNAGU_BENCH_N=10000 cargo bench -p tsunagu --features sqlite --bench journal   # tiny, for CI
//! ```
//!
//! Knobs: `TSUNAGU_BENCH_N` (events appended batched and replayed; default 1,000,000),
//! `TSUNAGU_BENCH_BATCH` (events per batch; default 1,000), `TSUNAGU_BENCH_SINGLE_N` (events
//! appended one per transaction; default 1,000 — each is an fsync). Prints a Markdown table.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tsunagu::journal::{Journal, NewEvent, SqliteStore};

/// A representative event: a liaison contact (連絡調整) with its ids and codes (~220 bytes JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum BenchEvent {
    ContactRecorded {
        case_id: String,
        contact_id: String,
        worker: String,
        agency: String,
        channel: String,
        issues: Vec<String>,
        minutes: u32,
        follow_up: bool,
    },
}

fn payload(i: u64) -> BenchEvent {
    BenchEvent::ContactRecorded {
        case_id: format!("case-{:06}", i % 5000),
        contact_id: format!("contact-{i:08}"),
        worker: format!("worker-{:03}", i % 40),
        agency: format!("agency-{:04}", i % 300),
        channel: ["phone", "visit", "office", "online"][(i % 4) as usize].to_string(),
        issues: vec!["hikikomori".into(), "debt".into(), "care_burden".into()],
        minutes: (i % 90) as u32,
        follow_up: i % 3 == 0,
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn at(i: u64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_743_465_600, 0).unwrap() + Duration::milliseconds(i as i64)
}

fn raw_open(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    let _: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch("CREATE TABLE raw (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL) STRICT")
        .unwrap();
    conn
}

/// Raw baseline: serialize each payload with serde_json, insert (seq, payload), `batch` rows per
/// transaction. Returns events/s.
fn raw_inserts(path: &Path, n: u64, batch: u64) -> f64 {
    let mut conn = raw_open(path);
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let tx = conn.transaction().unwrap();
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO raw (seq, payload) VALUES (?1, ?2)")
                .unwrap();
            for k in i..(i + batch).min(n) {
                let json = serde_json::to_string(&payload(k)).unwrap();
                stmt.execute(params![(k + 1) as i64, json]).unwrap();
            }
        }
        tx.commit().unwrap();
        i += batch;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// The journal: same payloads, `batch` events per append. Returns events/s.
fn journal_appends(path: &Path, n: u64, batch: u64) -> f64 {
    let mut journal: Journal<BenchEvent, SqliteStore> =
        Journal::open(SqliteStore::open(path).unwrap()).unwrap();
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let events = (i..(i + batch).min(n))
            .map(|k| NewEvent::new("bench-device", at(k), payload(k)))
            .collect();
        journal.append(events).unwrap();
        i += batch;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn fresh(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let n = env_u64("TSUNAGU_BENCH_N", 1_000_000);
    let batch = env_u64("TSUNAGU_BENCH_BATCH", 1_000).max(1);
    let single_n = env_u64("TSUNAGU_BENCH_SINGLE_N", 1_000).min(n.max(1));
    let dir = std::env::temp_dir().join(format!("tsunagu-journal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json_len = serde_json::to_string(&payload(12345)).unwrap().len();
    println!("journal bench: N={n}, batch={batch}, single N={single_n}, payload ~{json_len} bytes JSON, dir {}", dir.display());

    let raw_single = raw_inserts(&fresh(&dir, "raw-single.sqlite"), single_n, 1);
    let journal_single = journal_appends(&fresh(&dir, "journal-single.sqlite"), single_n, 1);
    let raw_path = fresh(&dir, "raw-batched.sqlite");
    let raw_batched = raw_inserts(&raw_path, n, batch);
    let journal_path = fresh(&dir, "journal-batched.sqlite");
    let journal_batched = journal_appends(&journal_path, n, batch);

    // Replay: open the file again, fold every event (each verified and deserialized).
    let start = Instant::now();
    let journal: Journal<BenchEvent, SqliteStore> =
        Journal::open(SqliteStore::open(&journal_path).unwrap()).unwrap();
    let opened = start.elapsed();
    let start = Instant::now();
    let (count, minutes) = journal
        .replay((0u64, 0u64), |(c, m), e| {
            let BenchEvent::ContactRecorded { minutes, .. } = e.payload;
            (c + 1, m + u64::from(minutes))
        })
        .unwrap();
    let replay = start.elapsed();
    assert_eq!(count, n);
    std::hint::black_box(minutes);
    // Raw read baseline: the same payloads read back and deserialized, nothing verified.
    let start = Instant::now();
    let conn = Connection::open(&raw_path).unwrap();
    let mut stmt = conn
        .prepare("SELECT payload FROM raw ORDER BY seq")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut raw_count = 0u64;
    while let Some(row) = rows.next().unwrap() {
        let text = row.get_ref(0).unwrap().as_str().unwrap();
        let event: BenchEvent = serde_json::from_str(text).unwrap();
        std::hint::black_box(event);
        raw_count += 1;
    }
    let raw_read = start.elapsed();
    assert_eq!(raw_count, n);
    let file_mb = std::fs::metadata(&journal_path).map_or(0, |m| m.len()) as f64 / 1e6;

    println!();
    println!("| measure | events | events/s | journal ÷ raw |");
    println!("| --- | ---: | ---: | ---: |");
    println!("| raw rusqlite insert, 1 per transaction | {single_n} | {raw_single:.0} | |");
    println!(
        "| journal append, 1 per batch | {single_n} | {journal_single:.0} | {:.2} |",
        journal_single / raw_single
    );
    println!("| raw rusqlite insert, {batch} per transaction | {n} | {raw_batched:.0} | |");
    println!(
        "| journal append, {batch} per batch | {n} | {journal_batched:.0} | {:.2} |",
        journal_batched / raw_batched
    );
    println!(
        "| journal replay (verify + deserialize + fold) | {n} | {:.0} | |",
        n as f64 / replay.as_secs_f64()
    );
    println!(
        "| raw rusqlite read + deserialize | {n} | {:.0} | {:.2} |",
        n as f64 / raw_read.as_secs_f64(),
        raw_read.as_secs_f64() / replay.as_secs_f64()
    );
    println!();
    println!(
        "replay of {n} events: {:.2} s (open {:.1} ms); journal file {file_mb:.0} MB",
        replay.as_secs_f64(),
        opened.as_secs_f64() * 1e3
    );
    let _ = std::fs::remove_dir_all(&dir);
}
