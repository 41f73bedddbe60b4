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

/// Wall-clock and CPU time of one phase.
#[derive(Clone, Copy)]
struct Took {
    wall: f64,
    cpu: Option<f64>,
}

/// CPU seconds (user + system) of this process from `/proc/self/stat` (Linux; 10 ms ticks).
/// Reported beside wall-clock time because a shared machine's load stretches wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn timed(f: impl FnOnce()) -> Took {
    let (cpu0, start) = (cpu_seconds(), Instant::now());
    f();
    let wall = start.elapsed().as_secs_f64();
    Took {
        wall,
        cpu: cpu0.zip(cpu_seconds()).map(|(a, b)| b - a),
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Raw baseline: serialize each payload with serde_json, insert (seq, payload), `batch` rows per
/// transaction.
fn raw_inserts(path: &Path, n: u64, batch: u64) -> Took {
    let mut conn = raw_open(path);
    timed(|| {
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
    })
}

/// The journal: same payloads, `batch` events per append.
fn journal_appends(path: &Path, n: u64, batch: u64) -> Took {
    let mut journal: Journal<BenchEvent, SqliteStore> =
        Journal::open(SqliteStore::open(path).unwrap()).unwrap();
    timed(|| {
        let mut i = 0;
        while i < n {
            let events = (i..(i + batch).min(n))
                .map(|k| NewEvent::new("bench-device", at(k), payload(k)))
                .collect();
            journal.append(events).unwrap();
            i += batch;
        }
    })
}

fn fresh(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn row(name: &str, n: u64, t: Took, baseline: Option<Took>) {
    let rate = |secs: f64| n as f64 / secs;
    let cpu = t.cpu.map_or("–".into(), |c| format!("{c:.2}"));
    let cpu_rate = t
        .cpu
        .filter(|c| *c > 0.0)
        .map_or("–".into(), |c| format!("{:.0}", rate(c)));
    let ratio = match baseline {
        Some(b) => {
            let cpu_ratio = match (t.cpu, b.cpu) {
                (Some(c), Some(bc)) if c > 0.0 => format!("{:.2}", bc / c),
                _ => "–".into(),
            };
            format!("{:.2} | {cpu_ratio}", b.wall / t.wall)
        }
        None => " | ".into(),
    };
    println!(
        "| {name} | {n} | {:.2} | {:.0} | {cpu} | {cpu_rate} | {ratio} |",
        t.wall,
        rate(t.wall)
    );
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let n = env_u64("TSUNAGU_BENCH_N", 1_000_000).max(1);
    let batch = env_u64("TSUNAGU_BENCH_BATCH", 1_000).max(1);
    let single_n = env_u64("TSUNAGU_BENCH_SINGLE_N", 1_000).clamp(1, n);
    let dir = std::env::temp_dir().join(format!("tsunagu-journal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json_len = serde_json::to_string(&payload(12345)).unwrap().len();
    println!(
        "journal bench: N={n}, batch={batch}, single N={single_n}, payload {json_len} bytes JSON, \
         dir {}, load average at start {}",
        dir.display(),
        load_average()
    );

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
    let mut count = 0;
    let replay = timed(|| {
        let (c, minutes) = journal
            .replay((0u64, 0u64), |(c, m), e| {
                let BenchEvent::ContactRecorded { minutes, .. } = e.payload;
                (c + 1, m + u64::from(minutes))
            })
            .unwrap();
        count = c;
        std::hint::black_box(minutes);
    });
    assert_eq!(count, n);
    // Raw read baseline: the same payloads read back and deserialized, nothing verified.
    let conn = Connection::open(&raw_path).unwrap();
    let mut raw_count = 0u64;
    let raw_read = timed(|| {
        let mut stmt = conn
            .prepare("SELECT payload FROM raw ORDER BY seq")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let text = row.get_ref(0).unwrap().as_str().unwrap();
            let event: BenchEvent = serde_json::from_str(text).unwrap();
            std::hint::black_box(event);
            raw_count += 1;
        }
    });
    assert_eq!(raw_count, n);
    let file_mb = std::fs::metadata(&journal_path).map_or(0, |m| m.len()) as f64 / 1e6;
    let raw_mb = std::fs::metadata(&raw_path).map_or(0, |m| m.len()) as f64 / 1e6;

    println!();
    println!("| measure | events | wall s | events/s | CPU s | events/s of CPU | journal ÷ raw (wall) | journal ÷ raw (CPU) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    row(
        "raw rusqlite insert, 1 per transaction",
        single_n,
        raw_single,
        None,
    );
    row(
        "journal append, 1 per batch",
        single_n,
        journal_single,
        Some(raw_single),
    );
    row(
        &format!("raw rusqlite insert, {batch} per transaction"),
        n,
        raw_batched,
        None,
    );
    row(
        &format!("journal append, {batch} per batch"),
        n,
        journal_batched,
        Some(raw_batched),
    );
    row("raw rusqlite read + deserialize", n, raw_read, None);
    row(
        "journal replay (verify + deserialize + fold)",
        n,
        replay,
        Some(raw_read),
    );
    println!();
    println!(
        "replay of {n} events: {:.2} s wall, {} s CPU (open {:.1} ms); journal file {file_mb:.0} MB, raw file {raw_mb:.0} MB; load average at end {}",
        replay.wall,
        replay.cpu.map_or("–".into(), |c| format!("{c:.2}")),
        opened.as_secs_f64() * 1e3,
        load_average()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
