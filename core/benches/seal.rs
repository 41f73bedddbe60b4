//! Sealed-journal benchmark (暗号化保存, not a timed test): append and replay of N events in an
//! SQLite journal with every event sealed under its household's data key (XChaCha20-Poly1305,
//! clear projection kept) against the same events in clear; then destroying one household's key
//! among the N events (the erasure's cost in the store: one row overwritten, the WAL
//! checkpointed).
//!
//! ```text
//! cargo bench -p tsunagu --bench seal
//! TSUNAGU_BENCH_N=2000 cargo test -p tsunagu --bench seal   # tiny, as CI runs it
//! ```
//!
//! Knobs: `TSUNAGU_BENCH_N` (events; default 1,000,000), `TSUNAGU_BENCH_BATCH` (events per
//! append; default 1,000), `TSUNAGU_BENCH_HOUSEHOLDS` (data keys; default 10,000). Prints a
//! Markdown table.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tsunagu::journal::{Journal, MasterKey, NewEvent, SealAs, Sealing, SqliteStore};

/// A representative event: a case-record entry (支援経過記録) of one household, with a
/// free-text note (the personal content) — about 300 bytes of JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    command: String,
    case: String,
    household: String,
    on: String,
    kind: String,
    issues: Vec<String>,
    text: String,
}

fn payload(i: u64, households: u64) -> Entry {
    let h = i % households;
    Entry {
        command: "write_entry".into(),
        case: format!("case-{h}"),
        household: format!("household-{h}"),
        on: "2024-06-12".into(),
        kind: "home_visit".into(),
        issues: vec!["income_living_costs".into(), "social_isolation".into()],
        text: format!("本人と面談。長男の就労について相談あり。次回は{i}日後に訪問予定。"),
    }
}

fn projection(e: &Entry) -> Entry {
    Entry {
        text: String::new(),
        ..e.clone()
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn fresh(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
    }
    p
}

fn master() -> MasterKey {
    MasterKey::from_bytes([0x5a; 32])
}

fn open(path: &Path, sealed: bool) -> Journal<Entry, SqliteStore> {
    let store = SqliteStore::open(path).unwrap();
    if sealed {
        Journal::open_sealed(store, master()).unwrap()
    } else {
        Journal::open(store).unwrap()
    }
}

/// Append `n` events in batches; seconds.
fn append(path: &Path, n: u64, batch: u64, households: u64, sealed: bool) -> f64 {
    let mut j = open(path, sealed);
    let t0: DateTime<Utc> = "2024-06-12T09:00:00Z".parse().unwrap();
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let end = (i + batch).min(n);
        let events = (i..end)
            .map(|k| {
                let p = payload(k, households);
                let seal = sealed.then(|| SealAs {
                    key_id: format!("household:{}", p.household),
                    clear: projection(&p),
                });
                (
                    NewEvent::new("srv", t0 + Duration::milliseconds(k as i64), p),
                    seal,
                )
            })
            .collect();
        j.append_sealed(events).unwrap();
        i = end;
    }
    start.elapsed().as_secs_f64()
}

/// Replay every event (verified, opened, deserialized); seconds, and (opened, tombstones).
fn replay(path: &Path, sealed: bool) -> (f64, (u64, u64)) {
    let j = open(path, sealed);
    let start = Instant::now();
    let counts = j
        .try_replay_sealed((0u64, 0u64), |(o, t), e, s| {
            std::hint::black_box(&e.payload);
            Ok::<_, tsunagu::journal::JournalError>(match s {
                Sealing::Clear => (o, t),
                Sealing::Opened(_) => (o + 1, t),
                Sealing::Tombstone(_) => (o, t + 1),
            })
        })
        .unwrap();
    (start.elapsed().as_secs_f64(), counts)
}

fn main() {
    let n = env_u64("TSUNAGU_BENCH_N", 1_000_000).max(1);
    let batch = env_u64("TSUNAGU_BENCH_BATCH", 1_000).max(1);
    let households = env_u64("TSUNAGU_BENCH_HOUSEHOLDS", 10_000).clamp(1, n);
    let dir = std::env::temp_dir().join(format!("tsunagu-seal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json_len = serde_json::to_string(&payload(12345, households))
        .unwrap()
        .len();
    println!(
        "seal bench: N={n}, batch={batch}, households={households}, payload {json_len} bytes \
         JSON, load average at start {}",
        load_average()
    );
    let plain = fresh(&dir, "plain.sqlite");
    let sealed = fresh(&dir, "sealed.sqlite");
    let append_plain = append(&plain, n, batch, households, false);
    let append_sealed = append(&sealed, n, batch, households, true);
    let (replay_plain, _) = replay(&plain, false);
    let (replay_sealed, (opened, tombs)) = replay(&sealed, true);
    assert_eq!((opened, tombs), (n, 0));
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);

    // Destroy one household's key among the N events: median of 5 households.
    let mut j = open(&sealed, true);
    let mut times: Vec<f64> = (0..5u64)
        .map(|h| {
            let key = format!("household:household-{}", (h * 7919) % households);
            let start = Instant::now();
            j.destroy_key(&key).unwrap();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let destroy = times[times.len() / 2];
    drop(j);
    let (_, (_, tombs)) = replay(&sealed, true);
    let per_household = n / households;
    assert!(tombs >= 5 * per_household.max(1) - 5, "tombstones {tombs}");
    {
        let j = open(&sealed, false);
        j.verify().unwrap();
    }

    let rate = |s: f64| n as f64 / s;
    println!();
    println!("| step | in clear | sealed | sealed / clear |");
    println!("|---|---:|---:|---:|");
    println!(
        "| append {n} events (batches of {batch}) | {append_plain:.2} s ({:.0}/s) | {append_sealed:.2} s ({:.0}/s) | {:.2}× |",
        rate(append_plain),
        rate(append_sealed),
        append_sealed / append_plain
    );
    println!(
        "| replay {n} events (verify + open + deserialize) | {replay_plain:.2} s ({:.0}/s) | {replay_sealed:.2} s ({:.0}/s) | {:.2}× |",
        rate(replay_plain),
        rate(replay_sealed),
        replay_sealed / replay_plain
    );
    println!(
        "| file size | {:.1} MB | {:.1} MB | {:.2}× |",
        size(&plain) as f64 / 1e6,
        size(&sealed) as f64 / 1e6,
        size(&sealed) as f64 / size(&plain).max(1) as f64
    );
    println!(
        "| destroy one household's key (median of 5, {} events each) | | {:.3} ms | |",
        per_household,
        destroy * 1e3
    );
    println!("\nload average at end {}", load_average());
    let _ = std::fs::remove_dir_all(&dir);
}
