//! Journal benchmark (not a timed test): appends per second, single and batched, against raw
//! `rusqlite` inserts of the same payloads under the same pragmas; then replay of the whole
//! journal (every event verified and deserialized) against a raw read + deserialize, each with
//! the payload's derived `Deserialize` and with a hand-written one (checked equal to the derive
//! first, also in the tiny CI run).
//!
//! ```text
//! cargo bench -p tsunagu --features sqlite --bench journal
//! TSUNAGU_BENCH_N=2000 cargo test -p tsunagu --bench journal   # tiny, as CI runs it
//! ```
//!
//! Knobs: `TSUNAGU_BENCH_N` (events appended batched and replayed; default 1,000,000),
//! `TSUNAGU_BENCH_BATCH` (events per batch; default 1,000), `TSUNAGU_BENCH_SINGLE_N` (events
//! appended one per transaction; default 1,000 — each is an fsync). Prints a Markdown table.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tsunagu::journal::{Journal, NewEvent, SqliteStore};

/// A representative event: a liaison contact (連絡調整) with its ids and codes (~220 bytes JSON).
/// Serialized by serde's derive as an internally tagged enum (`"kind": "contact_recorded"`);
/// deserialized by the hand-written impl below, which reads the same JSON without serde's
/// buffering of internally tagged enums. [`DerivedEvent`] is the derive for the same shape: the
/// bench checks both read the same values and fail alike, and times the raw baseline with both.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// The same shape with serde's derived `Deserialize` (buffered through serde's `Content`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum DerivedEvent {
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

impl From<DerivedEvent> for BenchEvent {
    fn from(e: DerivedEvent) -> Self {
        let DerivedEvent::ContactRecorded {
            case_id,
            contact_id,
            worker,
            agency,
            channel,
            issues,
            minutes,
            follow_up,
        } = e;
        BenchEvent::ContactRecorded {
            case_id,
            contact_id,
            worker,
            agency,
            channel,
            issues,
            minutes,
            follow_up,
        }
    }
}

/// Reads the tagged object in one pass: the tag is checked where it stands (canonical JSON sorts
/// keys, so it is in the middle), each field goes straight into its slot. Same messages as the
/// derive for the same single fault (missing, duplicate or mistyped field, unknown variant,
/// missing tag; unknown fields ignored); only the reported position can differ, since the derive
/// reports after buffering the whole object. Unlike the derive it takes no JSON array form
/// (`["contact_recorded", …]`), which serde_json never writes for this type.
impl<'de> Deserialize<'de> for BenchEvent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        const VARIANTS: &[&str] = &["contact_recorded"];
        /// The tag, read as the derive reads it: a variant identifier.
        struct Tag;
        impl<'de> Deserialize<'de> for Tag {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct TagVisitor;
                impl Visitor<'_> for TagVisitor {
                    type Value = Tag;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("variant identifier")
                    }
                    fn visit_str<E: Error>(self, v: &str) -> Result<Tag, E> {
                        match v {
                            "contact_recorded" => Ok(Tag),
                            _ => Err(E::unknown_variant(v, VARIANTS)),
                        }
                    }
                    fn visit_u64<E: Error>(self, v: u64) -> Result<Tag, E> {
                        match v {
                            0 => Ok(Tag),
                            _ => Err(E::invalid_value(
                                serde::de::Unexpected::Unsigned(v),
                                &"variant index 0 <= i < 1",
                            )),
                        }
                    }
                }
                d.deserialize_identifier(TagVisitor)
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BenchEvent;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("internally tagged enum BenchEvent")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BenchEvent, A::Error> {
                let (mut case_id, mut contact_id, mut worker, mut agency, mut channel) =
                    (None, None, None, None, None);
                let (mut issues, mut minutes, mut follow_up, mut kind) = (None, None, None, None);
                fn set<T, E: Error>(
                    slot: &mut Option<T>,
                    v: T,
                    name: &'static str,
                ) -> Result<(), E> {
                    if slot.replace(v).is_some() {
                        return Err(E::duplicate_field(name));
                    }
                    Ok(())
                }
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "kind" => {
                            let Tag = map.next_value()?;
                            set(&mut kind, (), "kind")?
                        }
                        "case_id" => set(&mut case_id, map.next_value()?, "case_id")?,
                        "contact_id" => set(&mut contact_id, map.next_value()?, "contact_id")?,
                        "worker" => set(&mut worker, map.next_value()?, "worker")?,
                        "agency" => set(&mut agency, map.next_value()?, "agency")?,
                        "channel" => set(&mut channel, map.next_value()?, "channel")?,
                        "issues" => set(&mut issues, map.next_value()?, "issues")?,
                        "minutes" => set(&mut minutes, map.next_value()?, "minutes")?,
                        "follow_up" => set(&mut follow_up, map.next_value()?, "follow_up")?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                kind.ok_or_else(|| A::Error::missing_field("kind"))?;
                Ok(BenchEvent::ContactRecorded {
                    case_id: case_id.ok_or_else(|| A::Error::missing_field("case_id"))?,
                    contact_id: contact_id.ok_or_else(|| A::Error::missing_field("contact_id"))?,
                    worker: worker.ok_or_else(|| A::Error::missing_field("worker"))?,
                    agency: agency.ok_or_else(|| A::Error::missing_field("agency"))?,
                    channel: channel.ok_or_else(|| A::Error::missing_field("channel"))?,
                    issues: issues.ok_or_else(|| A::Error::missing_field("issues"))?,
                    minutes: minutes.ok_or_else(|| A::Error::missing_field("minutes"))?,
                    follow_up: follow_up.ok_or_else(|| A::Error::missing_field("follow_up"))?,
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// serde_json's message without its position (" at line L column C").
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The hand-written `Deserialize` against the derive: the same value for `n` generated payloads
/// (and their canonical JSON as the journal stores it), the same message for each single fault.
fn check_deserializers(n: u64) {
    let read = |json: &str| {
        let fast = serde_json::from_str::<BenchEvent>(json);
        let derived = serde_json::from_str::<DerivedEvent>(json).map(BenchEvent::from);
        match (&fast, &derived) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
            // Alike but for the type's name, which the derive's message carries.
            (Err(a), Err(b)) => assert_eq!(
                message(a),
                message(b).replace("DerivedEvent", "BenchEvent"),
                "{json}"
            ),
            _ => panic!("{json}: hand-written {fast:?}, derive {derived:?}"),
        }
        fast.is_ok()
    };
    for i in 0..n {
        let p = payload(i * 7919);
        assert!(read(&serde_json::to_string(&p).unwrap()));
        assert!(read(&tsunagu::journal::canonical_json(&p).unwrap()));
    }
    let good = serde_json::to_value(payload(3)).unwrap();
    let mut faults: Vec<serde_json::Value> = Vec::new();
    let fields = [
        "kind",
        "case_id",
        "contact_id",
        "worker",
        "agency",
        "channel",
        "issues",
        "minutes",
        "follow_up",
    ];
    for field in fields {
        let mut v = good.clone();
        v.as_object_mut().unwrap().remove(field);
        faults.push(v);
        for bad in [
            serde_json::json!(1),
            serde_json::json!(-1),
            serde_json::json!(1.5),
            serde_json::json!("x"),
            serde_json::json!(null),
            serde_json::json!([1]),
            serde_json::json!(["a"]),
            serde_json::json!({"a": 1}),
            serde_json::json!(true),
            serde_json::json!(4_294_967_296u64),
        ] {
            let mut v = good.clone();
            v[field] = bad;
            faults.push(v);
        }
    }
    let mut extra = good.clone();
    extra["unknown_field"] = serde_json::json!({"nested": [1, 2]});
    faults.push(extra);
    let mut texts: Vec<String> = faults.iter().map(|v| v.to_string()).collect();
    let canonical = serde_json::to_string(&good).unwrap();
    texts.push(canonical.replacen('{', r#"{"minutes":1,"#, 1)); // duplicate field
    texts.push(canonical.replacen('{', r#"{"kind":"contact_recorded","#, 1)); // duplicate tag
    for other in [
        "1",
        "\"text\"",
        "null",
        "true",
        "{}",
        "{\"kind\":\"other\"}",
    ] {
        texts.push(other.to_string());
    }
    let mut ok = 0;
    for text in &texts {
        ok += usize::from(read(text));
    }
    // Some replacements are of the right type (and the extra field is ignored): those read.
    assert!((1..texts.len()).contains(&ok));
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

/// Replay of the whole journal at `path` read as payload `T`: every event verified, deserialized
/// and folded (its `minutes` summed).
fn replays<T: Serialize + DeserializeOwned + Into<BenchEvent>>(path: &Path, n: u64) -> Took {
    let journal: Journal<T, SqliteStore> = Journal::open(SqliteStore::open(path).unwrap()).unwrap();
    let mut count = 0;
    let took = timed(|| {
        let (c, minutes) = journal
            .replay((0u64, 0u64), |(c, m), e| {
                let BenchEvent::ContactRecorded { minutes, .. } = e.payload.into();
                (c + 1, m + u64::from(minutes))
            })
            .unwrap();
        count = c;
        std::hint::black_box(minutes);
    });
    assert_eq!(count, n);
    took
}

/// Raw read baseline: the same payloads read back and deserialized as `T`, nothing verified.
fn raw_reads<T: DeserializeOwned>(path: &Path, n: u64) -> Took {
    let conn = Connection::open(path).unwrap();
    let mut count = 0u64;
    let took = timed(|| {
        let mut stmt = conn
            .prepare("SELECT payload FROM raw ORDER BY seq")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let text = row.get_ref(0).unwrap().as_str().unwrap();
            let event: T = serde_json::from_str(text).unwrap();
            std::hint::black_box(event);
            count += 1;
        }
    });
    assert_eq!(count, n);
    took
}

/// Replay only (profiling, quick comparisons): the journal at `path` (appended with `n` events
/// when it does not exist yet, and kept), replayed `TSUNAGU_BENCH_REPLAY_REPEAT` times (default
/// 3) with the hand-written payload `Deserialize`.
fn replay_only(path: &Path, n: u64, batch: u64) {
    if !path.exists() {
        let took = journal_appends(path, n, batch);
        println!("appended {n} events in {:.2} s", took.wall);
    }
    for _ in 0..env_u64("TSUNAGU_BENCH_REPLAY_REPEAT", 3) {
        let t = replays::<BenchEvent>(path, n);
        println!(
            "replay of {n} events: {:.2} s wall, {} s CPU, load average {}",
            t.wall,
            t.cpu.map_or("–".into(), |c| format!("{c:.2}")),
            load_average()
        );
    }
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
    // Before anything is written: a failed check leaves no files behind.
    check_deserializers(n.min(2000));
    if let Ok(path) = std::env::var("TSUNAGU_BENCH_REPLAY_FILE") {
        replay_only(Path::new(&path), n, batch);
        return;
    }
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

    // Replay: open the file again, fold every event (each verified and deserialized), with the
    // derived and with the hand-written payload `Deserialize`; each against a raw read of the
    // same payloads into the same type.
    let start = Instant::now();
    drop(
        Journal::<BenchEvent, SqliteStore>::open(SqliteStore::open(&journal_path).unwrap())
            .unwrap(),
    );
    let opened = start.elapsed();
    let raw_read_derived = raw_reads::<DerivedEvent>(&raw_path, n);
    let replay_derived = replays::<DerivedEvent>(&journal_path, n);
    let raw_read = raw_reads::<BenchEvent>(&raw_path, n);
    let replay = replays::<BenchEvent>(&journal_path, n);
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
    row(
        "raw rusqlite read + deserialize (derived payload Deserialize)",
        n,
        raw_read_derived,
        None,
    );
    row(
        "journal replay, derived payload Deserialize (verify + deserialize + fold)",
        n,
        replay_derived,
        Some(raw_read_derived),
    );
    row(
        "raw rusqlite read + deserialize (hand-written payload Deserialize)",
        n,
        raw_read,
        None,
    );
    row(
        "journal replay, hand-written payload Deserialize (verify + deserialize + fold)",
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
