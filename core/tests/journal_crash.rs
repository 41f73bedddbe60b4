//! Crash test of the SQLite journal: a child process appends batches and prints each returned
//! seq; the parent kills it with SIGKILL at seeded random moments and checks, after every kill,
//! that the journal opens, verifies, holds every event whose append had returned, and holds no
//! partial batch.
//!
//! The child is this test binary re-invoked with `TSUNAGU_JOURNAL_CRASH_CHILD` set (test
//! `child_appender`, which does nothing otherwise). Knobs: `TSUNAGU_CRASH_ITERATIONS` (default
//! 200), `TSUNAGU_CRASH_SEED` (default fixed), `TSUNAGU_CRASH_MAX_DELAY_MS` (default 50).
#![cfg(all(feature = "sqlite", unix))]

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use tsunagu::journal::{Journal, NewEvent, SqliteStore};

const CHILD_ENV: &str = "TSUNAGU_JOURNAL_CRASH_CHILD";
const CHILD_SEED_ENV: &str = "TSUNAGU_JOURNAL_CRASH_CHILD_SEED";
const CHILD_RUN_ENV: &str = "TSUNAGU_JOURNAL_CRASH_CHILD_RUN";
/// A fresh journal file every this many kills, so each verify stays short.
const RUNS_PER_FILE: u32 = 25;

/// Payload: enough to tell which batch an event belongs to and where in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Ev {
    run: u32,
    batch: u32,
    index: u32,
    size: u32,
    pad: String,
}

/// splitmix64: small, seeded, good enough for delays and batch sizes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The child: appends batches forever, printing `SEQ n` after each append returns.
#[test]
fn child_appender() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // Not re-invoked by the parent: nothing to do.
    };
    let mut rng = Rng(env_u64(CHILD_SEED_ENV, 1));
    let run = env_u64(CHILD_RUN_ENV, 0) as u32;
    let mut journal: Journal<Ev, SqliteStore> =
        Journal::open(SqliteStore::open(&path).expect("open store")).expect("open journal");
    let devices = ["tablet-1", "server"];
    let base = DateTime::<Utc>::from_timestamp(1_743_465_600, 0).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "OPENED {}", journal.len()).unwrap();
    for batch in 0.. {
        let device = devices[rng.below(2) as usize];
        let mut at = journal
            .device_head(&device.into())
            .map_or(base, |h| h.recorded_at);
        let size = 1 + rng.below(8) as u32;
        let pad = "x".repeat(rng.below(300) as usize);
        let events = (0..size)
            .map(|index| {
                at += Duration::milliseconds(rng.below(2000) as i64);
                NewEvent::new(
                    device,
                    at,
                    Ev {
                        run,
                        batch,
                        index,
                        size,
                        pad: pad.clone(),
                    },
                )
            })
            .collect();
        let seqs = journal.append(events).expect("append");
        for seq in seqs {
            writeln!(out, "SEQ {seq}").unwrap();
        }
        out.flush().unwrap();
    }
}

#[test]
fn sigkill_never_loses_a_returned_append_nor_leaves_a_partial_batch() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let iterations = env_u64("TSUNAGU_CRASH_ITERATIONS", 200) as u32;
    let max_delay_ms = env_u64("TSUNAGU_CRASH_MAX_DELAY_MS", 50);
    let mut rng = Rng(env_u64("TSUNAGU_CRASH_SEED", 0x7375_6e61_6775));
    let dir = std::env::temp_dir().join(format!("tsunagu-journal-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();

    let mut acknowledged_total = 0u64;
    let mut kills_mid_run = 0u32;
    // Highest seq whose append returned, per journal file.
    let mut acknowledged: BTreeMap<u32, u64> = BTreeMap::new();
    // Events found after the last kill, per journal file.
    let mut stored: BTreeMap<u32, u64> = BTreeMap::new();
    for run in 0..iterations {
        let file_no = run / RUNS_PER_FILE;
        let path = dir.join(format!("journal-{file_no}.sqlite"));
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "child_appender",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env(CHILD_SEED_ENV, rng.next().to_string())
            .env(CHILD_RUN_ENV, run.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn child");
        // The reader collects stdout and reports when the child has opened the journal.
        let mut stdout = child.stdout.take().unwrap();
        let (opened_tx, opened_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let mut told = false;
            while let Ok(n) = stdout.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                if !told && buf.windows(7).any(|w| w == b"OPENED ") {
                    told = true;
                    let _ = opened_tx.send(());
                }
            }
            buf
        });
        // One kill in four counts from the spawn (it may land while the child opens or recovers
        // the journal); the others from the moment the child has opened it (mid-append).
        if rng.below(4) != 0 {
            let _ = opened_rx.recv_timeout(std::time::Duration::from_secs(30));
        }
        let delay = rng.below(max_delay_ms * 1000 + 1);
        std::thread::sleep(std::time::Duration::from_micros(delay));
        child.kill().expect("SIGKILL the child");
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "run {run}: the child must die by SIGKILL, not exit ({status:?}); stderr:\n{stderr}"
        );
        let out = reader.join().unwrap();
        // Only complete lines count: a line cut by the kill was not fully printed.
        let complete = match out.iter().rposition(|b| *b == b'\n') {
            Some(end) => &out[..=end],
            None => &out[..0],
        };
        let text = std::str::from_utf8(complete).unwrap();
        let seqs: Vec<u64> = text
            .lines()
            .filter_map(|l| l.strip_prefix("SEQ "))
            .map(|s| s.parse().unwrap())
            .collect();
        if text.contains("OPENED") {
            kills_mid_run += 1;
        }
        acknowledged_total += seqs.len() as u64;
        let high = acknowledged.entry(file_no).or_insert(0);
        for &s in &seqs {
            assert!(s > *high, "run {run}: seqs only grow ({s} after {high})");
            *high = s;
        }
        let high = *high;

        // After the kill: the journal opens, verifies, and has every acknowledged event …
        let journal: Journal<Ev, SqliteStore> = Journal::open(
            SqliteStore::open(&path).unwrap_or_else(|e| panic!("run {run}: reopen: {e}")),
        )
        .unwrap_or_else(|e| panic!("run {run}: open journal: {e}"));
        let report = journal
            .verify()
            .unwrap_or_else(|e| panic!("run {run}: verify: {e}"));
        assert!(
            report.events >= high,
            "run {run}: {} events but seq {high} had been returned",
            report.events
        );
        // … and only whole batches, each in one piece and in order.
        let mut open_batch: Option<(u32, u32, u32, u32)> = None; // run, batch, next index, size
        journal
            .replay((), |(), e| {
                let p = &e.payload;
                match open_batch {
                    Some((r, b, next, size)) => {
                        assert_eq!(
                            (p.run, p.batch, p.index, p.size),
                            (r, b, next, size),
                            "run {run}: seq {} interrupts a batch",
                            e.seq
                        );
                    }
                    None => assert_eq!(p.index, 0, "run {run}: seq {} starts mid-batch", e.seq),
                }
                open_batch = if p.index + 1 == p.size {
                    None
                } else {
                    Some((p.run, p.batch, p.index + 1, p.size))
                };
            })
            .unwrap();
        assert_eq!(
            open_batch, None,
            "run {run}: the journal ends in a partial batch"
        );
        stored.insert(file_no, report.events);
    }
    let _ = std::fs::remove_dir_all(&dir);
    // The test must have exercised something: appends that returned, and kills mid-run.
    assert!(acknowledged_total > 0, "no append ever returned");
    assert!(
        iterations < 20 || kills_mid_run * 2 >= iterations,
        "only {kills_mid_run} of {iterations} kills hit a running appender"
    );
    println!(
        "{iterations} kills, {kills_mid_run} after the journal opened, {acknowledged_total} \
         acknowledged events, {} events stored",
        stored.values().sum::<u64>()
    );
}

/// Fault injection (feature `testing`): the store calls a hook at its failure points — inside an
/// append's transaction before the commit, after the commit before `append` returns, inside a
/// migration's transaction — and the child kills itself there with SIGKILL, so every kill is
/// known to land at that point. The parent then checks the exact outcome: a batch killed before
/// its commit is absent, one killed after its commit is whole (stored though never
/// acknowledged), and a migration killed half-way leaves the file at its old version, which the
/// next open migrates. Knobs: `TSUNAGU_FAULT_ITERATIONS` (default 60; the benchmark-size run
/// uses 1,000 or more), `TSUNAGU_CRASH_SEED`.
#[cfg(feature = "testing")]
mod fault_injection {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use tsunagu::journal::{
        set_fault_hook, FaultPoint, MemoryStore, Store, APPLICATION_ID, MIGRATIONS,
    };

    const FAULT_CHILD_ENV: &str = "TSUNAGU_JOURNAL_FAULT_CHILD";
    const FAULT_POINT_ENV: &str = "TSUNAGU_JOURNAL_FAULT_POINT";
    const FAULT_HIT_ENV: &str = "TSUNAGU_JOURNAL_FAULT_HIT";

    static TARGET: AtomicU64 = AtomicU64::new(0);
    static HITS: AtomicU64 = AtomicU64::new(0);
    static POINT: AtomicU64 = AtomicU64::new(0);

    fn point_no(p: FaultPoint) -> u64 {
        match p {
            FaultPoint::BeforeCommit => 0,
            FaultPoint::AfterCommit => 1,
            FaultPoint::MidMigration => 2,
        }
    }

    /// At the chosen point's n-th hit: say so, then SIGKILL this process right here (the
    /// thread waits in `kill`, so nothing after the point runs).
    fn hook(p: FaultPoint) {
        if point_no(p) != POINT.load(Ordering::SeqCst) {
            return;
        }
        if HITS.fetch_add(1, Ordering::SeqCst) + 1 == TARGET.load(Ordering::SeqCst) {
            let mut out = std::io::stdout().lock();
            writeln!(out, "AT {p:?}").unwrap();
            out.flush().unwrap();
            let _ = Command::new("kill")
                .args(["-9", &std::process::id().to_string()])
                .status();
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }

    /// The child: installs the hook, opens the journal (which may migrate it) and appends
    /// batches of `Ev`, printing `SEQ n` for each acknowledged event.
    #[test]
    fn fault_child() {
        let Ok(path) = std::env::var(FAULT_CHILD_ENV) else {
            return;
        };
        POINT.store(env_u64(FAULT_POINT_ENV, 0), Ordering::SeqCst);
        TARGET.store(env_u64(FAULT_HIT_ENV, 1), Ordering::SeqCst);
        assert!(set_fault_hook(hook));
        let mut journal: Journal<Ev, SqliteStore> =
            Journal::open(SqliteStore::open(&path).expect("open store")).expect("open journal");
        let base = DateTime::<Utc>::from_timestamp(1_743_465_600, 0).unwrap();
        let mut out = std::io::stdout().lock();
        for batch in 0..10_000u32 {
            let size = 1 + batch % 5;
            let events = (0..size)
                .map(|index| {
                    let at = base + Duration::seconds(i64::from(batch));
                    let ev = Ev {
                        run: 0,
                        batch,
                        index,
                        size,
                        pad: String::new(),
                    };
                    NewEvent::new("tablet-1", at, ev)
                })
                .collect();
            for seq in journal.append(events).expect("append") {
                writeln!(out, "SEQ {seq}").unwrap();
            }
            out.flush().unwrap();
        }
    }

    /// A schema-1 file holding `n` events, written as version 1 wrote them.
    fn write_v1_file(path: &std::path::Path, n: u32) {
        let mut m: Journal<Ev> = Journal::open(MemoryStore::new()).unwrap();
        let base = DateTime::<Utc>::from_timestamp(1_743_465_600, 0).unwrap();
        m.append(
            (0..n)
                .map(|i| {
                    let ev = Ev {
                        run: 0,
                        batch: i,
                        index: 0,
                        size: 1,
                        pad: String::new(),
                    };
                    NewEvent::new("tablet-1", base + Duration::seconds(i64::from(i)), ev)
                })
                .collect(),
        )
        .unwrap();
        let mut conn = rusqlite::Connection::open(path).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(MIGRATIONS[0].sql).unwrap();
        tx.pragma_update(None, "user_version", 1).unwrap();
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        for e in m.store().events() {
            tx.execute(
                "INSERT INTO events (seq, device, device_seq, recorded_at, payload, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    e.seq as i64,
                    e.device.as_str(),
                    e.device_seq as i64,
                    time(&e.recorded_at),
                    e.payload_json,
                    &e.prev_hash[..],
                    &e.hash[..]
                ],
            )
            .unwrap();
        }
        for h in m.store().device_heads().unwrap() {
            tx.execute(
                "INSERT INTO devices (device, device_seq, recorded_at, seq) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![h.device.as_str(), h.device_seq as i64, time(&h.recorded_at), h.seq as i64],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }

    fn user_version(path: &std::path::Path) -> u32 {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    /// Run the child until it kills itself at `point`'s `hit`-th call; the acknowledged seqs.
    fn run_child(path: &std::path::Path, point: u64, hit: u64) -> (bool, Vec<u64>) {
        let exe = std::env::current_exe().unwrap();
        let out = Command::new(exe)
            .args([
                "--exact",
                "fault_injection::fault_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(FAULT_CHILD_ENV, path)
            .env(FAULT_POINT_ENV, point.to_string())
            .env(FAULT_HIT_ENV, hit.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(
            out.status.signal(),
            Some(9),
            "the child must die by SIGKILL at its fault point: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let at = text.contains("AT ");
        let seqs = text
            .lines()
            .filter_map(|l| l.find("SEQ ").map(|i| l[i + 4..].parse().unwrap()))
            .collect();
        (at, seqs)
    }

    #[test]
    fn kills_at_every_fault_point_leave_exactly_what_was_committed() {
        if std::env::var(FAULT_CHILD_ENV).is_ok() || std::env::var(CHILD_ENV).is_ok() {
            return;
        }
        let iterations = env_u64("TSUNAGU_FAULT_ITERATIONS", 60);
        let mut rng = Rng(env_u64("TSUNAGU_CRASH_SEED", 0x0066_6175_6c74));
        let dir =
            std::env::temp_dir().join(format!("tsunagu-journal-fault-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut kills = [0u64; 3];
        for run in 0..iterations {
            let path = dir.join(format!("j-{run}.sqlite"));
            let point = run % 3;
            if point == 2 {
                // Mid-migration: a version-1 file; the kill lands after a migration step ran.
                let n = 1 + rng.below(40) as u32;
                write_v1_file(&path, n);
                let steps = (MIGRATIONS.len() - 1) as u64;
                let (at, seqs) = run_child(&path, point, 1 + rng.below(steps));
                assert!(
                    at && seqs.is_empty(),
                    "run {run}: killed inside the migration"
                );
                assert_eq!(
                    user_version(&path),
                    1,
                    "run {run}: the migration rolled back whole"
                );
                let j: Journal<Ev, SqliteStore> =
                    Journal::open(SqliteStore::open(&path).unwrap()).unwrap();
                assert_eq!(j.store().schema_version().unwrap(), MIGRATIONS.len() as u32);
                assert_eq!(
                    j.verify().unwrap().events,
                    u64::from(n),
                    "run {run}: no event lost"
                );
            } else {
                let (at, seqs) = run_child(&path, point, 1 + rng.below(12));
                assert!(at, "run {run}: the kill landed at the fault point");
                let acked = seqs.last().copied().unwrap_or(0);
                let j: Journal<Ev, SqliteStore> =
                    Journal::open(SqliteStore::open(&path).unwrap()).unwrap();
                let stored = j.verify().unwrap().events;
                // Batch k has 1 + k % 5 events: the batch in flight is the one after the acked.
                let in_flight = {
                    let (mut total, mut k) = (0u64, 0u64);
                    while total < acked {
                        total += 1 + k % 5;
                        k += 1;
                    }
                    1 + k % 5
                };
                let expected = if point == 0 { acked } else { acked + in_flight };
                assert_eq!(
                    stored,
                    expected,
                    "run {run}: killed {} its commit, {acked} acknowledged",
                    if point == 0 { "before" } else { "after" }
                );
            }
            kills[point as usize] += 1;
            let _ = std::fs::remove_file(&path);
        }
        let _ = std::fs::remove_dir_all(&dir);
        println!(
            "fault injection: {} kills before commit, {} after commit before acknowledgement, {} mid-migration",
            kills[0], kills[1], kills[2]
        );
    }
}
