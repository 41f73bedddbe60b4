use super::*;
use crate::coded::Coded;
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
enum Ev {
    Note { case: String, text: String },
    Count { n: u32 },
}

fn t(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_743_465_600 + secs, 0).unwrap()
}

fn note(device: &str, secs: i64, text: &str) -> NewEvent<Ev> {
    NewEvent::new(
        device,
        t(secs),
        Ev::Note {
            case: "case-1".into(),
            text: text.into(),
        },
    )
}

fn payloads<S: Store>(j: &Journal<Ev, S>) -> Vec<Ev> {
    j.replay(Vec::new(), |mut acc, e| {
        acc.push(e.payload);
        acc
    })
    .unwrap()
}

#[test]
fn append_then_replay_round_trips() {
    let mut j: Journal<Ev> = Journal::in_memory();
    assert!(j.is_empty());
    assert_eq!(j.last_hash(), GENESIS_HASH);
    assert_eq!(
        j.append(vec![note("a", 0, "x"), note("a", 0, "y")])
            .unwrap(),
        vec![1, 2]
    );
    assert_eq!(
        j.append(vec![note("b", -100, "z")]).unwrap(),
        vec![3],
        "another device's clock is not compared"
    );
    assert_eq!(j.append(vec![]).unwrap(), Vec::<u64>::new());
    assert_eq!(j.len(), 3);
    let events: Vec<EventEnvelope<Ev>> = j.iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(
        events
            .iter()
            .map(|e| (e.device.as_str(), e.device_seq))
            .collect::<Vec<_>>(),
        vec![("a", 1), ("a", 2), ("b", 1)]
    );
    assert_eq!(events[0].prev_hash, GENESIS_HASH);
    assert_eq!(events[1].prev_hash, events[0].hash);
    assert_eq!(events[2].prev_hash, events[1].hash);
    assert_eq!(j.last_hash(), events[2].hash);
    assert_eq!(events[2].recorded_at, t(-100));
    for e in &events {
        assert_eq!(e.compute_hash().unwrap(), e.hash);
    }
    assert_eq!(
        payloads(&j),
        vec![
            Ev::Note {
                case: "case-1".into(),
                text: "x".into()
            },
            Ev::Note {
                case: "case-1".into(),
                text: "y".into()
            },
            Ev::Note {
                case: "case-1".into(),
                text: "z".into()
            },
        ]
    );
    let report = j.verify().unwrap();
    assert_eq!(report.events, 3);
    assert_eq!(report.last_hash, j.last_hash());
    assert_eq!(report.devices.len(), 2);
    assert_eq!(report.devices[0].device_seq, 2);
    assert_eq!(j.device_head(&"a".into()).unwrap().seq, 2);
}

#[test]
fn envelope_json_round_trips_and_still_verifies() {
    let mut j: Journal<Ev> = Journal::in_memory();
    j.append(vec![note("a", 0, "x")]).unwrap();
    let e = j.iter().next().unwrap().unwrap();
    let text = serde_json::to_string(&e).unwrap();
    let back: EventEnvelope<Ev> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, e);
    assert_eq!(back.compute_hash().unwrap(), e.hash);
    let mut edited = back.clone();
    edited.payload = Ev::Count { n: 1 };
    assert_ne!(edited.compute_hash().unwrap(), e.hash);
}

#[test]
fn device_seq_must_increase() {
    let mut j: Journal<Ev> = Journal::in_memory();
    j.append(vec![note("a", 0, "x").with_device_seq(5)])
        .unwrap();
    for bad in [5, 4] {
        let err = j
            .append(vec![note("a", 1, "y").with_device_seq(bad)])
            .unwrap_err();
        assert_eq!(err.code(), "out_of_order");
        assert_eq!(err.path().as_deref(), Some("$[0].device_seq"));
    }
    // Gaps are allowed; omitted takes the next.
    j.append(vec![
        note("a", 1, "y").with_device_seq(9),
        note("a", 1, "z"),
    ])
    .unwrap();
    assert_eq!(j.device_head(&"a".into()).unwrap().device_seq, 10);
    // Within one batch too.
    let err = j
        .append(vec![
            note("a", 2, "p").with_device_seq(20),
            note("a", 2, "q").with_device_seq(20),
        ])
        .unwrap_err();
    assert_eq!(err.path().as_deref(), Some("$[1].device_seq"));
    assert_eq!(j.len(), 3);
}

#[test]
fn recorded_at_may_repeat_but_not_go_back() {
    let mut j: Journal<Ev> = Journal::in_memory();
    j.append(vec![note("a", 10, "x"), note("a", 10, "same time")])
        .unwrap();
    let err = j.append(vec![note("a", 9, "山田さん宅")]).unwrap_err();
    assert_eq!(err.code(), "out_of_order");
    assert_eq!(err.path().as_deref(), Some("$[0].recorded_at"));
    assert!(!err.to_string().contains("山田"), "no payload in messages");
    // Inside a batch as well.
    let err = j
        .append(vec![note("a", 12, "x"), note("a", 11, "y")])
        .unwrap_err();
    assert_eq!(err.path().as_deref(), Some("$[1].recorded_at"));
    assert_eq!(j.len(), 2);
}

#[test]
fn a_batch_with_one_bad_event_appends_nothing() {
    let mut j: Journal<Ev> = Journal::in_memory();
    j.append(vec![note("a", 0, "x")]).unwrap();
    let before = (j.len(), j.last_hash().to_string(), j.store().clone());
    let cases: Vec<(Vec<NewEvent<Ev>>, &str, &str)> = vec![
        (
            vec![note("a", 1, "ok"), note("", 1, "no device")],
            "malformed_event",
            "$[1].device",
        ),
        (
            vec![note("a", 1, "ok"), note("a\n", 1, "control")],
            "malformed_event",
            "$[1].device",
        ),
        (
            vec![note(&"d".repeat(129), 1, "long")],
            "malformed_event",
            "$[0].device",
        ),
        (
            vec![note("a", 1, "ok"), note("a", 1, "zero").with_device_seq(0)],
            "malformed_event",
            "$[1].device_seq",
        ),
        (
            vec![
                note("a", 1, "ok"),
                note("a", 1, "ok"),
                note("a", 0, "earlier"),
            ],
            "out_of_order",
            "$[2].recorded_at",
        ),
        (
            vec![NewEvent::new(
                "a",
                DateTime::from_timestamp(253_402_300_800, 0).unwrap(), // year 10000
                Ev::Count { n: 1 },
            )],
            "malformed_event",
            "$[0].recorded_at",
        ),
    ];
    for (batch, code, path) in cases {
        let err = j.append(batch).unwrap_err();
        assert_eq!((err.code(), err.path().as_deref()), (code, Some(path)));
        assert_eq!(
            (j.len(), j.last_hash().to_string(), j.store().clone()),
            before
        );
    }
    // And the journal carries on as if nothing happened.
    assert_eq!(j.append(vec![note("a", 1, "next")]).unwrap(), vec![2]);
    assert_eq!(j.device_head(&"a".into()).unwrap().device_seq, 2);
    j.verify().unwrap();
}

#[test]
fn payload_that_is_not_json_is_malformed() {
    let mut j: Journal<std::collections::HashMap<(u8, u8), u8>> = Journal::in_memory();
    let mut m = std::collections::HashMap::new();
    m.insert((1, 2), 3);
    let err = j.append(vec![NewEvent::new("a", t(0), m)]).unwrap_err();
    assert_eq!(err.code(), "malformed_event");
    assert_eq!(err.path().as_deref(), Some("$[0].payload"));
    assert!(j.is_empty());
}

fn chain_of(n: usize) -> Vec<StoredEvent> {
    let mut j: Journal<Ev> = Journal::in_memory();
    for i in 0..n {
        j.append(vec![note("a", i as i64, &format!("e{i}"))])
            .unwrap();
    }
    j.into_store().events().to_vec()
}

fn verify_error(events: Vec<StoredEvent>) -> JournalError {
    let j: Journal<Ev> = Journal::open(MemoryStore::from_events(events)).unwrap();
    j.verify().unwrap_err()
}

#[test]
fn verify_names_the_first_tampered_event() {
    let mut events = chain_of(5);
    events[2].payload_json = events[2].payload_json.replace("e2", "e9");
    events[3].payload_json = events[3].payload_json.replace("e3", "e8");
    let err = verify_error(events.clone());
    assert_eq!(
        err,
        JournalError::ChainBroken {
            seq: 3,
            reason: ChainBreak::HashMismatch
        }
    );
    assert_eq!(err.code(), "chain_broken");
    // Replay stops before the bad event: the fold never sees it.
    let j: Journal<Ev> = Journal::open(MemoryStore::from_events(events)).unwrap();
    let mut seen = 0;
    let r = j.replay(0, |n, _| {
        seen += 1;
        n + 1
    });
    assert!(r.is_err());
    assert_eq!(seen, 2);
}

/// Events beyond which replay once switched to a two-thread pipeline; the tests keep checking
/// replay over several pages against the iterator.
const PIPELINE_MIN: u64 = 2 * PAGE as u64;

/// A chain of several store pages.
fn long_chain() -> Vec<StoredEvent> {
    let mut j: Journal<Ev> = Journal::in_memory();
    let n = PIPELINE_MIN as usize + PAGE + 100;
    j.append(
        (0..n)
            .map(|i| note("a", i as i64, &format!("e{i}")))
            .collect(),
    )
    .unwrap();
    j.into_store().events().to_vec()
}

/// A store with only the required methods: replay goes through the default `Store::scan`
/// (pages of `read`) instead of `MemoryStore`'s own.
struct PagedStore(MemoryStore);
impl Store for PagedStore {
    fn last_seq(&self) -> Result<u64, JournalError> {
        self.0.last_seq()
    }
    fn read(&self, from_seq: u64, limit: usize) -> Result<Vec<StoredEvent>, JournalError> {
        self.0.read(from_seq, limit)
    }
    fn device_heads(&self) -> Result<Vec<DeviceHead>, JournalError> {
        self.0.device_heads()
    }
    fn append(&mut self, expected_len: u64, events: &[StoredEvent]) -> Result<(), JournalError> {
        self.0.append(expected_len, events)
    }
}

/// What replay folds and how it ends, against the same through the sequential iterator; the
/// same again through the default, paged `Store::scan`.
fn replay_vs_iter(events: Vec<StoredEvent>) -> (usize, Option<JournalError>) {
    let paged: Journal<Ev, PagedStore> =
        Journal::open(PagedStore(MemoryStore::from_events(events.clone()))).unwrap();
    let mut paged_folded = Vec::new();
    let paged_replayed = paged.replay((), |(), e| paged_folded.push(e));
    let j: Journal<Ev> = Journal::open(MemoryStore::from_events(events)).unwrap();
    let mut folded = Vec::new();
    let replayed = j.replay((), |(), e| folded.push(e));
    let mut iterated = Vec::new();
    let mut iter_error = None;
    for e in j.iter() {
        match e {
            Ok(e) => iterated.push(e),
            Err(e) => iter_error = Some(e),
        }
    }
    assert_eq!(folded, iterated, "replay folds exactly what iter yields");
    assert_eq!(
        paged_folded, folded,
        "the paged default scan folds the same"
    );
    assert_eq!(paged_replayed, replayed, "and ends the same way");
    assert_eq!(replayed.err(), iter_error, "and ends the same way");
    (folded.len(), iter_error)
}

#[test]
fn replay_over_pages_equals_the_iterator() {
    let events = long_chain();
    let n = events.len();
    assert!(n as u64 > PIPELINE_MIN);
    assert_eq!(replay_vs_iter(events.clone()), (n, None));
    // Tampered at the start, on a page boundary, just after one, and at the very end.
    for at in [0, PAGE - 1, PAGE, n - 1] {
        let mut bad = events.clone();
        bad[at].payload_json = bad[at].payload_json.replace(&format!("e{at}"), "tampered");
        let broken = JournalError::ChainBroken {
            seq: at as u64 + 1,
            reason: ChainBreak::HashMismatch,
        };
        assert_eq!(replay_vs_iter(bad), (at, Some(broken)), "tampered at {at}");
    }
    // A removed event in the second page.
    let mut gap = events.clone();
    gap.remove(PAGE + 7);
    let missing = JournalError::ChainBroken {
        seq: PAGE as u64 + 8,
        reason: ChainBreak::Missing,
    };
    assert_eq!(replay_vs_iter(gap), (PAGE + 7, Some(missing)));
}

#[test]
fn replay_over_pages_stops_at_the_first_failing_fold() {
    let j: Journal<Ev> = Journal::open(MemoryStore::from_events(long_chain())).unwrap();
    let mut seen = 0u64;
    let r = j.try_replay((), |(), e| {
        seen += 1;
        if e.seq == 5000 {
            Err(JournalError::storage("stop"))
        } else {
            Ok(())
        }
    });
    assert_eq!(r, Err(JournalError::storage("stop")));
    assert_eq!(seen, 5000);
}

#[test]
fn verify_catches_rehashed_edits_removals_and_reorders() {
    // Edited and re-hashed (but not the rest of the chain): the next link breaks.
    let mut events = chain_of(4);
    events[1].recorded_at = t(1) + chrono::Duration::seconds(1);
    events[1].hash = canonical::Preimage::default().digest(
        2,
        events[1].device.as_str(),
        events[1].device_seq,
        &events[1].recorded_at,
        &events[1].payload_json,
        &events[1].prev_hash,
    );
    assert_eq!(
        verify_error(events),
        JournalError::ChainBroken {
            seq: 3,
            reason: ChainBreak::PrevHashMismatch
        }
    );
    // A middle event removed.
    let mut events = chain_of(4);
    events.remove(1);
    assert_eq!(
        verify_error(events),
        JournalError::ChainBroken {
            seq: 2,
            reason: ChainBreak::Missing
        }
    );
    // Two events swapped: a store keeps its rows in seq order (as SQLite's key does), so a
    // reorder is two events exchanging places under their seqs.
    let mut events = chain_of(4);
    events.swap(1, 2);
    (events[1].seq, events[2].seq) = (2, 3);
    assert_eq!(
        verify_error(events),
        JournalError::ChainBroken {
            seq: 2,
            reason: ChainBreak::HashMismatch
        }
    );
    // A stored payload that is not the payload type.
    let mut events = chain_of(2);
    events[1].payload_json = r#"{"kind":"unknown"}"#.into();
    events[1].hash = canonical::Preimage::default().digest(
        2,
        events[1].device.as_str(),
        events[1].device_seq,
        &events[1].recorded_at,
        &events[1].payload_json,
        &events[1].prev_hash,
    );
    let err = verify_error(events);
    assert_eq!(err.code(), "corrupt_event");
    assert!(matches!(err, JournalError::CorruptEvent { seq: 2, .. }));
}

#[test]
fn codes_are_listed() {
    let errors = [
        JournalError::ChainBroken {
            seq: 1,
            reason: ChainBreak::Missing,
        },
        JournalError::OutOfOrder {
            index: 0,
            device: "a".into(),
            field: "device_seq",
            reason: String::new(),
        },
        JournalError::MalformedEvent {
            index: 0,
            field: "device",
            reason: "",
        },
        JournalError::SchemaTooNew {
            found: 2,
            supported: 1,
        },
        JournalError::NotAJournal {
            reason: String::new(),
        },
        JournalError::CorruptEvent {
            seq: 1,
            field: "payload",
            reason: String::new(),
        },
        JournalError::Conflict {
            expected: 1,
            found: 2,
        },
        JournalError::storage("x"),
        JournalError::WrongMasterKey,
        JournalError::MissingKey {
            seq: 1,
            key_id: String::new(),
        },
        JournalError::TamperedCiphertext {
            seq: 1,
            key_id: String::new(),
        },
        JournalError::KeyDestroyed {
            index: 0,
            key_id: String::new(),
        },
    ];
    let mut codes: Vec<_> = errors.iter().map(|e| e.code()).collect();
    codes.sort_unstable();
    assert_eq!(codes, JournalError::CODES);
    let wrapped = crate::Error::from(errors[0].clone());
    assert_eq!(wrapped.code(), "chain_broken");
}

fn batches_strategy() -> impl Strategy<Value = Vec<Vec<(u8, u32, Ev)>>> {
    let ev = prop_oneof![
        any::<u32>().prop_map(|n| Ev::Count { n }),
        ("[a-z]{0,4}", "\\PC{0,8}").prop_map(|(case, text)| Ev::Note { case, text }),
    ];
    // (device 0..3, seconds to add to that device's clock, payload)
    prop::collection::vec(prop::collection::vec((0u8..3, 0u32..5, ev), 0..5), 0..8)
}

fn append_all<S: Store>(j: &mut Journal<Ev, S>, batches: &[Vec<(u8, u32, Ev)>]) -> Vec<Ev> {
    let mut clock = [0i64; 3];
    let mut expected = Vec::new();
    let mut next_seq = 1;
    for batch in batches {
        let events: Vec<NewEvent<Ev>> = batch
            .iter()
            .map(|(d, dt, p)| {
                clock[*d as usize] += i64::from(*dt);
                NewEvent::new(format!("dev{d}").as_str(), t(clock[*d as usize]), p.clone())
            })
            .collect();
        let seqs = j.append(events).unwrap();
        assert_eq!(
            seqs,
            (next_seq..next_seq + batch.len() as u64).collect::<Vec<_>>()
        );
        next_seq += batch.len() as u64;
        expected.extend(batch.iter().map(|(_, _, p)| p.clone()));
    }
    expected
}

proptest! {
    #[test]
    fn any_batches_replay_to_the_same_list(batches in batches_strategy()) {
        let mut j: Journal<Ev> = Journal::in_memory();
        let expected = append_all(&mut j, &batches);
        prop_assert_eq!(payloads(&j), expected.clone());
        prop_assert_eq!(j.verify().unwrap().events, expected.len() as u64);
        // Reopening the same events gives the same journal.
        let reopened: Journal<Ev> = Journal::open(j.store().clone()).unwrap();
        prop_assert_eq!(reopened.last_hash(), j.last_hash());
        prop_assert_eq!(payloads(&reopened), expected);
    }

    #[test]
    fn a_rejected_batch_changes_nothing(batches in batches_strategy(), bad_at in 0usize..4) {
        let mut j: Journal<Ev> = Journal::in_memory();
        append_all(&mut j, &batches);
        let before = j.store().clone();
        let mut batch: Vec<NewEvent<Ev>> =
            (0..4).map(|i| NewEvent::new("dev9", t(i), Ev::Count { n: i as u32 })).collect();
        batch[bad_at].device = DeviceId::new("");
        prop_assert!(j.append(batch).is_err());
        prop_assert_eq!(j.store(), &before);
    }
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use crate::journal::sqlite::migrate;
    use rusqlite::Connection;
    use std::path::PathBuf;

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("tsunagu-journal-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
        fn file(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn open(path: &std::path::Path) -> Journal<Ev, SqliteStore> {
        Journal::open(SqliteStore::open(path).unwrap()).unwrap()
    }

    #[test]
    fn round_trip_across_reopen() {
        let dir = TempDir::new("reopen");
        let path = dir.file("j.sqlite");
        let mut j = open(&path);
        j.append(vec![note("a", 0, "x"), note("b", 0, "y")])
            .unwrap();
        j.append(vec![note("a", 5, "z")]).unwrap();
        let hash = j.last_hash().to_string();
        drop(j);
        let mut j = open(&path);
        assert_eq!(j.len(), 3);
        assert_eq!(j.last_hash(), hash);
        assert_eq!(j.device_head(&"a".into()).unwrap().device_seq, 2);
        assert_eq!(
            j.append(vec![note("a", 4, "back")]).unwrap_err().code(),
            "out_of_order"
        );
        assert_eq!(j.append(vec![note("a", 6, "w")]).unwrap(), vec![4]);
        j.verify().unwrap();
        assert_eq!(payloads(&j).len(), 4);
        // Same hashes as the in-memory store for the same events.
        let mut m: Journal<Ev> = Journal::in_memory();
        m.append(vec![note("a", 0, "x"), note("b", 0, "y")])
            .unwrap();
        m.append(vec![note("a", 5, "z")]).unwrap();
        m.append(vec![note("a", 6, "w")]).unwrap();
        assert_eq!(m.last_hash(), j.last_hash());
    }

    #[test]
    fn file_is_wal_full_sync_versioned() {
        let dir = TempDir::new("pragmas");
        let path = dir.file("j.sqlite");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        drop(store);
        let raw = Connection::open(&path).unwrap();
        let mode: String = raw
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let version: u32 = raw
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let app: i32 = raw
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app, APPLICATION_ID);
        assert_eq!(SCHEMA_VERSION, 3);
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1);
        }
    }

    #[test]
    fn events_are_append_only_in_the_file() {
        let dir = TempDir::new("triggers");
        let path = dir.file("j.sqlite");
        open(&path).append(vec![note("a", 0, "x")]).unwrap();
        let raw = Connection::open(&path).unwrap();
        assert!(raw.execute("UPDATE events SET payload = '{}'", []).is_err());
        assert!(raw.execute("DELETE FROM events", []).is_err());
        open(&path).verify().unwrap();
    }

    #[test]
    fn tampering_through_sql_is_named_by_verify() {
        let dir = TempDir::new("tamper");
        let path = dir.file("j.sqlite");
        let mut j = open(&path);
        for i in 0..5 {
            j.append(vec![note("a", i, &format!("e{i}"))]).unwrap();
        }
        drop(j);
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(
            "DROP TRIGGER events_no_update;
             UPDATE events SET payload = replace(payload, 'e3', 'e7') WHERE seq = 4;",
        )
        .unwrap();
        let j = open(&path);
        assert_eq!(
            j.verify().unwrap_err(),
            JournalError::ChainBroken {
                seq: 4,
                reason: ChainBreak::HashMismatch
            }
        );
    }

    #[test]
    fn a_cut_off_tail_of_a_long_journal_is_caught_by_replay() {
        let dir = TempDir::new("truncate-long");
        let path = dir.file("j.sqlite");
        let mut j = open(&path);
        let n = PIPELINE_MIN + 10;
        j.append((0..n as i64).map(|i| note("a", i, "e")).collect())
            .unwrap();
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(&format!(
            "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > {};",
            n - 3
        ))
        .unwrap();
        let mut seen = 0;
        let err = j
            .replay(0u64, |c, _| {
                seen += 1;
                c + 1
            })
            .unwrap_err();
        assert_eq!(
            err,
            JournalError::ChainBroken {
                seq: n - 2,
                reason: ChainBreak::Missing
            }
        );
        assert_eq!(
            seen,
            n - 3,
            "every event still in the file was folded first"
        );
    }

    #[test]
    fn a_cut_off_tail_is_caught_by_the_journal_that_saw_it() {
        let dir = TempDir::new("truncate");
        let path = dir.file("j.sqlite");
        let mut j = open(&path);
        for i in 0..5 {
            j.append(vec![note("a", i, "e")]).unwrap();
        }
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq >= 4;")
            .unwrap();
        assert_eq!(
            j.verify().unwrap_err(),
            JournalError::ChainBroken {
                seq: 4,
                reason: ChainBreak::Missing
            }
        );
        // The stale journal refuses to write past the gap.
        assert_eq!(
            j.append(vec![note("a", 9, "e")]).unwrap_err().code(),
            "journal_conflict"
        );
        // A middle row removed is named too.
        raw.execute("DELETE FROM events WHERE seq = 2", []).unwrap();
        let reopened = open(&path);
        assert_eq!(
            reopened.verify().unwrap_err(),
            JournalError::ChainBroken {
                seq: 2,
                reason: ChainBreak::Missing
            }
        );
    }

    #[test]
    fn a_second_writer_gets_a_conflict_not_a_fork() {
        let dir = TempDir::new("conflict");
        let path = dir.file("j.sqlite");
        let mut a = open(&path);
        let mut b = open(&path);
        a.append(vec![note("a", 0, "x")]).unwrap();
        let err = b.append(vec![note("b", 0, "y")]).unwrap_err();
        assert_eq!(
            err,
            JournalError::Conflict {
                expected: 0,
                found: 1
            }
        );
        let mut b = open(&path);
        b.append(vec![note("b", 0, "y")]).unwrap();
        open(&path).verify().unwrap();
    }

    #[test]
    fn a_failed_transaction_appends_nothing() {
        let dir = TempDir::new("failtx");
        let path = dir.file("j.sqlite");
        let mut j = open(&path);
        j.append(vec![note("a", 0, "x")]).unwrap();
        // Make the second insert of the next batch fail inside SQLite.
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(
            "CREATE TRIGGER fail_third BEFORE INSERT ON events WHEN NEW.seq = 3
             BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        )
        .unwrap();
        let err = j
            .append(vec![note("a", 1, "y"), note("a", 1, "z")])
            .unwrap_err();
        assert_eq!(err.code(), "storage");
        assert_eq!(j.len(), 1);
        raw.execute_batch("DROP TRIGGER fail_third").unwrap();
        let mut j = open(&path);
        assert_eq!(j.len(), 1);
        assert_eq!(j.device_head(&"a".into()).unwrap().device_seq, 1);
        assert_eq!(j.append(vec![note("a", 1, "y")]).unwrap(), vec![2]);
        j.verify().unwrap();
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_untouched() {
        let dir = TempDir::new("newer");
        let path = dir.file("j.sqlite");
        open(&path).append(vec![note("a", 0, "x")]).unwrap();
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert_eq!(
            err,
            JournalError::SchemaTooNew {
                found: SCHEMA_VERSION + 1,
                supported: SCHEMA_VERSION
            }
        );
        assert_eq!(err.code(), "schema_too_new");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn files_that_are_not_journals_are_refused_and_left_untouched() {
        let dir = TempDir::new("notjournal");
        let text = dir.file("notes.txt");
        std::fs::write(&text, "これはジャーナルではありません。".repeat(100)).unwrap();
        let err = SqliteStore::open(&text).unwrap_err();
        assert_eq!(err.code(), "not_a_journal");
        assert_eq!(
            std::fs::read_to_string(&text).unwrap(),
            "これはジャーナルではありません。".repeat(100)
        );

        let other = dir.file("other.sqlite");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        let before = std::fs::read(&other).unwrap();
        assert_eq!(
            SqliteStore::open(&other).unwrap_err().code(),
            "not_a_journal"
        );
        assert_eq!(std::fs::read(&other).unwrap(), before);
        let mode: String = Connection::open(&other)
            .unwrap()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "not switched to WAL");
    }

    #[test]
    fn an_empty_file_becomes_a_journal() {
        let dir = TempDir::new("empty");
        let path = dir.file("j.sqlite");
        std::fs::write(&path, b"").unwrap();
        let mut j = open(&path);
        j.append(vec![note("a", 0, "x")]).unwrap();
        assert_eq!(j.store().schema_version().unwrap(), SCHEMA_VERSION);
    }

    /// A journal file exactly as schema version 1 wrote it (its SQL, text times, stored
    /// `prev_hash`), holding the events of `m`.
    fn write_v1_file(path: &std::path::Path, m: &Journal<Ev>) {
        let mut conn = Connection::open(path).unwrap();
        let _: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(MIGRATIONS[0].sql).unwrap();
        tx.pragma_update(None, "user_version", 1).unwrap();
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        for e in m.store().events() {
            tx.execute(
                "INSERT INTO events (seq, device, device_seq, recorded_at, payload, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    e.seq as i64,
                    e.device.as_str(),
                    e.device_seq as i64,
                    crate::journal::canonical::format_time(&e.recorded_at),
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
                rusqlite::params![
                    h.device.as_str(),
                    h.device_seq as i64,
                    crate::journal::canonical::format_time(&h.recorded_at),
                    h.seq as i64
                ],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }

    #[test]
    fn a_version_1_file_is_migrated_and_still_verifies() {
        let dir = TempDir::new("v1");
        let path = dir.file("j.sqlite");
        let mut m: Journal<Ev> = Journal::in_memory();
        m.append(vec![note("a", 0, "x"), note("b", 0, "y")])
            .unwrap();
        // Sub-second times survive the migration (they stay text rows).
        let at = t(5) + chrono::Duration::nanoseconds(123_456_789);
        m.append(vec![NewEvent::new("a", at, Ev::Count { n: 7 })])
            .unwrap();
        write_v1_file(&path, &m);
        let j = open(&path);
        assert_eq!(j.store().schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(j.len(), 3);
        assert_eq!(j.last_hash(), m.last_hash());
        assert_eq!(j.verify().unwrap(), m.verify().unwrap());
        assert_eq!(payloads(&j), payloads(&m));
        let from_file: Vec<EventEnvelope<Ev>> = j.iter().collect::<Result<_, _>>().unwrap();
        let from_memory: Vec<EventEnvelope<Ev>> = m.iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(from_file, from_memory);
        assert_eq!(from_file[2].recorded_at, at);
        drop(j);
        // The stored prev_hash is gone, the triggers are back, later appends chain on.
        let raw = Connection::open(&path).unwrap();
        assert_eq!(columns(&raw, "events"), V3_COLUMNS);
        assert!(raw.execute("UPDATE events SET payload = '{}'", []).is_err());
        assert!(raw.execute("DELETE FROM events", []).is_err());
        drop(raw);
        let mut j = open(&path);
        let later = vec![note("a", 9, "z"), note("c", 1, "w")];
        j.append(later.clone()).unwrap();
        m.append(later).unwrap();
        assert_eq!(j.last_hash(), m.last_hash());
        assert_eq!(j.verify().unwrap(), m.verify().unwrap());
        // New rows store integer nanoseconds; the migrated rows kept their text.
        let kinds: Vec<String> = Connection::open(&path)
            .unwrap()
            .prepare("SELECT typeof(recorded_at) FROM events ORDER BY seq")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(kinds, ["text", "text", "text", "integer", "integer"]);
    }

    #[test]
    fn a_tampered_version_1_file_still_fails_verify_after_migration() {
        let dir = TempDir::new("v1-tamper");
        let path = dir.file("j.sqlite");
        let mut m: Journal<Ev> = Journal::in_memory();
        for i in 0..4 {
            m.append(vec![note("a", i, &format!("e{i}"))]).unwrap();
        }
        write_v1_file(&path, &m);
        // Break the stored link of seq 3 (the column version 2 drops).
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "DROP TRIGGER events_no_update;
                 UPDATE events SET prev_hash = zeroblob(32) WHERE seq = 3;
                 UPDATE events SET payload = replace(payload, 'e1', 'e9') WHERE seq = 2;",
            )
            .unwrap();
        let j = open(&path);
        assert_eq!(
            j.verify().unwrap_err(),
            JournalError::ChainBroken {
                seq: 2,
                reason: ChainBreak::HashMismatch
            }
        );
    }

    #[test]
    fn times_outside_64_bit_nanoseconds_are_kept_as_text() {
        let mut j: Journal<Ev, SqliteStore> =
            Journal::open(SqliteStore::open_in_memory().unwrap()).unwrap();
        let far = DateTime::parse_from_rfc3339("2999-12-31T23:59:59.999999999Z")
            .unwrap()
            .with_timezone(&Utc);
        let early = DateTime::parse_from_rfc3339("1600-01-01T00:00:00.000000001Z")
            .unwrap()
            .with_timezone(&Utc);
        j.append(vec![
            NewEvent::new("old", early, Ev::Count { n: 1 }),
            NewEvent::new("new", far, Ev::Count { n: 2 }),
        ])
        .unwrap();
        let times: Vec<DateTime<Utc>> = j.iter().map(|e| e.unwrap().recorded_at).collect();
        assert_eq!(times, [early, far]);
        j.verify().unwrap();
    }

    #[test]
    fn migrates_a_version_zero_database_forward() {
        // Version 0 is "no schema": the only older state a file can be in today. The same path
        // runs every later migration on older journals.
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, 0).unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        // Idempotent: a second run does nothing.
        migrate(&mut conn, SCHEMA_VERSION).unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 3);
    }

    /// The columns of `events` in schema 3.
    const V3_COLUMNS: [&str; 6] = [
        "seq",
        "device_id",
        "device_seq",
        "recorded_at",
        "payload",
        "hash",
    ];

    fn columns(conn: &Connection, table: &str) -> Vec<String> {
        conn.prepare(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    /// The device table: `(id, device)` by id.
    fn device_ids(path: &std::path::Path) -> Vec<(i64, String)> {
        Connection::open(path)
            .unwrap()
            .prepare("SELECT id, device FROM device_ids ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A journal file exactly as schema version 2 wrote it (migrations 1 and 2, device text in
    /// each row, integer nanosecond times), holding the events of `m`.
    fn write_v2_file(path: &std::path::Path, m: &Journal<Ev>) {
        let mut conn = Connection::open(path).unwrap();
        let _: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .unwrap();
        let tx = conn.transaction().unwrap();
        for step in &MIGRATIONS[..2] {
            tx.execute_batch(step.sql).unwrap();
        }
        tx.pragma_update(None, "user_version", 2).unwrap();
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        for e in m.store().events() {
            tx.execute(
                "INSERT INTO events (seq, device, device_seq, recorded_at, payload, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    e.seq as i64,
                    e.device.as_str(),
                    e.device_seq as i64,
                    e.recorded_at.timestamp_nanos_opt().unwrap(),
                    e.payload_json,
                    &e.hash[..]
                ],
            )
            .unwrap();
        }
        for h in m.store().device_heads().unwrap() {
            tx.execute(
                "INSERT INTO devices (device, device_seq, recorded_at, seq) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    h.device.as_str(),
                    h.device_seq as i64,
                    crate::journal::canonical::format_time(&h.recorded_at),
                    h.seq as i64
                ],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }

    /// Events of devices b, a, b, c, a (first appearances: b, a, c).
    fn three_devices() -> Journal<Ev> {
        let mut m: Journal<Ev> = Journal::in_memory();
        m.append(vec![note("b", 0, "x"), note("a", 0, "y")])
            .unwrap();
        m.append(vec![note("b", 1, "z")]).unwrap();
        m.append(vec![note("c", 1, "w"), note("a", 2, "v")])
            .unwrap();
        m
    }

    #[test]
    fn a_version_2_file_is_migrated_and_still_verifies() {
        let dir = TempDir::new("v2");
        let path = dir.file("j.sqlite");
        let mut m = three_devices();
        write_v2_file(&path, &m);
        let j = open(&path);
        assert_eq!(j.store().schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(j.len(), 5);
        assert_eq!(j.last_hash(), m.last_hash());
        assert_eq!(j.verify().unwrap(), m.verify().unwrap());
        let from_file: Vec<EventEnvelope<Ev>> = j.iter().collect::<Result<_, _>>().unwrap();
        let from_memory: Vec<EventEnvelope<Ev>> = m.iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(from_file, from_memory);
        drop(j);
        // Ids in the order the devices first appear; rows carry the ids; triggers are back.
        assert_eq!(
            device_ids(&path),
            [
                (1, "b".to_string()),
                (2, "a".to_string()),
                (3, "c".to_string())
            ]
        );
        let raw = Connection::open(&path).unwrap();
        assert_eq!(columns(&raw, "events"), V3_COLUMNS);
        let ids: Vec<i64> = raw
            .prepare("SELECT device_id FROM events ORDER BY seq")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ids, [1, 2, 1, 3, 2]);
        assert!(raw.execute("UPDATE events SET payload = '{}'", []).is_err());
        assert!(raw.execute("DELETE FROM events", []).is_err());
        assert!(raw
            .execute("UPDATE device_ids SET device = 'z'", [])
            .is_err());
        assert!(raw.execute("DELETE FROM device_ids", []).is_err());
        drop(raw);
        // Later appends of known and new devices chain on.
        let mut j = open(&path);
        let later = vec![note("a", 9, "u"), note("d", 1, "t")];
        j.append(later.clone()).unwrap();
        m.append(later).unwrap();
        assert_eq!(j.last_hash(), m.last_hash());
        assert_eq!(j.verify().unwrap(), m.verify().unwrap());
        assert_eq!(device_ids(&path).last(), Some(&(4, "d".to_string())));
    }

    #[test]
    fn a_tampered_version_2_file_still_fails_verify_after_migration() {
        let dir = TempDir::new("v2-tamper");
        let path = dir.file("j.sqlite");
        let m = three_devices();
        write_v2_file(&path, &m);
        // Seq 4 recorded by another device (its text, which version 3 moves to the table).
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "DROP TRIGGER events_no_update;
                 UPDATE events SET device = 'a' WHERE seq = 4;",
            )
            .unwrap();
        let j = open(&path);
        assert_eq!(
            j.verify().unwrap_err(),
            JournalError::ChainBroken {
                seq: 4,
                reason: ChainBreak::HashMismatch
            }
        );
    }

    #[test]
    fn the_device_table_holds_each_device_once() {
        let dir = TempDir::new("device-ids");
        let path = dir.file("j.sqlite");
        let mut j = open(&path);
        j.append(vec![note("tablet-1", 0, "x"), note("server", 0, "y")])
            .unwrap();
        j.append(vec![note("server", 1, "z"), note("tablet-1", 1, "w")])
            .unwrap();
        drop(j);
        let mut j = open(&path);
        j.append(vec![note("端末-3", 2, "v"), note("server", 2, "u")])
            .unwrap();
        assert_eq!(
            device_ids(&path),
            [
                (1, "tablet-1".to_string()),
                (2, "server".to_string()),
                (3, "端末-3".to_string())
            ]
        );
        let devices: Vec<String> = j.iter().map(|e| e.unwrap().device.0).collect();
        assert_eq!(
            devices,
            ["tablet-1", "server", "server", "tablet-1", "端末-3", "server"]
        );
        j.verify().unwrap();
        // A batch that fails in SQLite adds no device.
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(
            "CREATE TRIGGER fail_all BEFORE INSERT ON events
             BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        )
        .unwrap();
        assert_eq!(
            j.append(vec![note("new", 3, "t")]).unwrap_err().code(),
            "storage"
        );
        raw.execute_batch("DROP TRIGGER fail_all").unwrap();
        assert_eq!(device_ids(&path).len(), 3);
    }

    #[test]
    fn device_table_tampering_is_named_by_verify() {
        let dir = TempDir::new("device-tamper");
        let path = dir.file("j.sqlite");
        let mut j = open(&path);
        j.append(vec![
            note("a", 0, "x"),
            note("b", 0, "y"),
            note("b", 1, "z"),
        ])
        .unwrap();
        drop(j);
        // A device's text changed in the table: its first event fails its hash.
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(
            "DROP TRIGGER device_ids_no_update;
             UPDATE device_ids SET device = 'c' WHERE device = 'b';",
        )
        .unwrap();
        assert_eq!(
            open(&path).verify().unwrap_err(),
            JournalError::ChainBroken {
                seq: 2,
                reason: ChainBreak::HashMismatch
            }
        );
        // An event pointing to no device is corrupt, named by its seq, in replay and paged reads.
        raw.execute_batch(
            "UPDATE device_ids SET device = 'b' WHERE device = 'c';
             DROP TRIGGER events_no_update;
             UPDATE events SET device_id = 99 WHERE seq = 2;",
        )
        .unwrap();
        let j = open(&path);
        let corrupt = JournalError::CorruptEvent {
            seq: 2,
            field: "device",
            reason: "device id 99 is not in the device table".to_string(),
        };
        assert_eq!(j.verify().unwrap_err(), corrupt);
        assert_eq!(j.iter().find_map(Result::err), Some(corrupt));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn sqlite_replays_like_memory(batches in batches_strategy()) {
            let mut s: Journal<Ev, SqliteStore> =
                Journal::open(SqliteStore::open_in_memory().unwrap()).unwrap();
            let mut m: Journal<Ev> = Journal::in_memory();
            let expected = append_all(&mut s, &batches);
            append_all(&mut m, &batches);
            prop_assert_eq!(payloads(&s), expected);
            prop_assert_eq!(s.last_hash(), m.last_hash());
            prop_assert_eq!(s.verify().unwrap(), m.verify().unwrap());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The same through SQL on the file itself: changing any stored column of any event row
        /// (payload, recorded_at, device, device_seq, seq, hash) is named by `verify`, whether the
        /// journal is reopened or was open when the file changed.
        #[test]
        fn any_tampered_column_of_any_row_is_named_by_verify(
            n in 1usize..7,
            at_seed in any::<usize>(),
            column in 0u8..6,
            pos in 1usize..20,
        ) {
            let dir = TempDir::new(&format!("tamper-prop-{n}-{at_seed}-{column}-{pos}"));
            let path = dir.file("j.sqlite");
            let mut j = open(&path);
            for i in 0..n {
                let device = ["a", "b"][i % 2];
                j.append(vec![note(device, i as i64, &format!("あe{i}"))]).unwrap();
            }
            drop(j);
            let at = (at_seed % n) as i64 + 1;
            let edit = match column {
                0 => format!("UPDATE events SET payload = substr(payload, 1, {p}) || 'X' || substr(payload, {q}) WHERE seq = {at}", p = pos - 1, q = pos + 1),
                1 => format!("UPDATE events SET recorded_at = CASE typeof(recorded_at) WHEN 'integer' THEN recorded_at + {pos} ELSE recorded_at || ' ' END WHERE seq = {at}"),
                2 => format!("UPDATE events SET device_id = device_id % 2 + 1 WHERE seq = {at}"),
                3 => format!("UPDATE events SET device_seq = device_seq + {pos} WHERE seq = {at}"),
                4 => format!("UPDATE events SET seq = seq + 100 * {pos} WHERE seq = {at}"),
                _ => format!("UPDATE events SET hash = zeroblob(32) WHERE seq = {at}"),
            };
            let raw = Connection::open(&path).unwrap();
            raw.execute_batch("DROP TRIGGER events_no_update;").unwrap();
            let changed = raw.execute(&edit, []).unwrap();
            prop_assert_eq!(changed, 1);
            drop(raw);
            let err = match SqliteStore::open(&path).and_then(Journal::<Ev, _>::open) {
                Err(e) => e,
                Ok(j) => j.verify().expect_err("a tampered file must not verify"),
            };
            let named = named_seq(&err);
            let moved = (column == 4).then_some(at as u64 + 100 * pos as u64);
            prop_assert!(
                named == Some(at as u64) || (moved.is_some() && named == moved),
                "{:?} names {:?}, not row {} (column {})", err, named, at, column
            );
        }
    }
}

/// The seq an error names, if it names one.
fn named_seq(e: &JournalError) -> Option<u64> {
    match e {
        JournalError::ChainBroken { seq, .. } | JournalError::CorruptEvent { seq, .. } => {
            Some(*seq)
        }
        _ => None,
    }
}

/// A different character at char position `at` of `s` (any position, multi-byte ones too).
fn change_char(s: &str, at: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let i = at % chars.len().max(1);
    chars
        .iter()
        .enumerate()
        .map(|(k, &c)| match (k == i, c) {
            (false, c) => c,
            (true, 'a') => 'b',
            (true, c) if c.is_ascii() => 'a',
            (true, _) => 'あ',
        })
        .collect::<String>()
        .replace("ああ", "あい") // never the same string twice: 'あ' → 'あ' cannot happen below
}

/// Tamper with one byte (or one character of a text field) of one stored field of event `at`.
fn tamper(e: &mut StoredEvent, field: u8, pos: usize) {
    match field % 7 {
        0 => {
            let before = e.payload_json.clone();
            e.payload_json = change_char(&before, pos);
            if e.payload_json == before {
                e.payload_json.push(' ');
            }
        }
        1 => e.recorded_at += chrono::Duration::milliseconds(1 + pos as i64 % 1_000_000),
        2 => {
            let before = e.device.as_str().to_string();
            let mut after = change_char(&before, pos);
            if after == before {
                after.push('x');
            }
            e.device = DeviceId::new(after);
        }
        3 => e.device_seq ^= 1 << (pos % 16),
        4 => e.seq ^= 1 << (pos % 16),
        5 => e.hash[pos % 32] ^= 1 << (pos % 8),
        _ => e.prev_hash[pos % 32] ^= 1 << (pos % 8),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// For a random journal, changing any byte of any stored field of any event — payload,
    /// time, device, device sequence, sequence, hash, previous hash — is found by `verify`, which
    /// names that event (issue 19: tampering was tested at fixed positions only).
    #[test]
    fn any_tampered_field_of_any_event_is_named_by_verify(
        events in proptest::collection::vec(
            (0usize..3, "[a-zあ-ん]{0,12}", 0i64..5),
            1..16,
        ),
        at_seed in any::<usize>(),
        field in any::<u8>(),
        pos in any::<usize>(),
    ) {
        let mut j: Journal<Ev> = Journal::in_memory();
        let mut clock = [0i64; 3];
        for (device, text, step) in &events {
            clock[*device] += step;
            j.append(vec![note(["a", "b", "c"][*device], clock[*device], text)]).unwrap();
        }
        let stored = j.into_store().events().to_vec();
        let at = at_seed % stored.len();
        let mut bad = stored.clone();
        tamper(&mut bad[at], field, pos);
        prop_assume!(bad[at] != stored[at]);
        let bad_seq = bad[at].seq;
        // Opening may already refuse the store (a sequence that does not end at its length).
        let err = match Journal::<Ev>::open(MemoryStore::from_events(bad)) {
            Err(e) => e,
            Ok(j) => j.verify().expect_err("a tampered journal must not verify"),
        };
        // A changed `seq` moves the event: the error names its position or the seq it now has.
        let named = named_seq(&err);
        let moved = (field % 7 == 4).then_some(bad_seq);
        prop_assert!(
            named == Some(at as u64 + 1) || (moved.is_some() && named == moved),
            "{:?} names {:?}, not event {} (field {})", err, named, at + 1, field % 7
        );
    }
}
