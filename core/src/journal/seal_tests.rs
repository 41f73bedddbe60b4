//! Tests of sealed payloads: round trips, tombstones after key destruction, tampering, the
//! master key of an SQLite journal.

use super::canonical::{event_hash, parse_hex32};
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

/// A note of `case`, sealed under the case's key with the text erased in its projection.
fn sealed_note(secs: i64, case: &str, text: &str) -> (NewEvent<Ev>, Option<SealAs<Ev>>) {
    let ev = Ev::Note {
        case: case.into(),
        text: text.into(),
    };
    let clear = Ev::Note {
        case: case.into(),
        text: String::new(),
    };
    (
        NewEvent::new("d1", t(secs), ev),
        Some(SealAs {
            key_id: format!("case:{case}"),
            clear,
        }),
    )
}

fn master(b: u8) -> MasterKey {
    MasterKey::from_bytes([b; 32])
}

/// Every payload with how it was read.
fn read<S: Store>(j: &Journal<Ev, S>) -> Result<Vec<(Ev, String)>, JournalError> {
    j.try_replay_sealed(Vec::new(), |mut acc, e, s| {
        let how = match s {
            Sealing::Clear => "clear".to_string(),
            Sealing::Opened(k) => format!("opened {k}"),
            Sealing::Tombstone(k) => format!("tombstone {k}"),
        };
        acc.push((e.payload, how));
        Ok::<_, JournalError>(acc)
    })
}

/// The events with every hash recomputed: what a tamperer who rewrites the whole chain stores.
fn rechain(events: &[StoredEvent]) -> Vec<StoredEvent> {
    let mut prev = GENESIS_HASH.to_string();
    events
        .iter()
        .map(|e| {
            let hash = event_hash(
                e.seq,
                &e.device,
                e.device_seq,
                &e.recorded_at,
                &e.payload_json,
                &prev,
            );
            let out = StoredEvent {
                prev_hash: parse_hex32(&prev).unwrap(),
                hash: parse_hex32(&hash).unwrap(),
                ..e.clone()
            };
            prev = hash;
            out
        })
        .collect()
}

#[test]
fn sealed_events_round_trip_and_plain_ones_stay_plain() {
    let mut j: Journal<Ev> = Journal::open_sealed(MemoryStore::new(), master(1)).unwrap();
    j.append_sealed(vec![
        sealed_note(0, "c1", "母と二人暮らし"),
        (NewEvent::new("d1", t(1), Ev::Count { n: 3 }), None),
        sealed_note(2, "c2", "電話に出ない"),
    ])
    .unwrap();
    let stored = j.store().events();
    assert!(stored[0].payload_json.starts_with(seal::SEALED_PREFIX));
    assert!(!stored[0].payload_json.contains("母と"));
    assert_eq!(stored[1].payload_json, r#"{"kind":"count","n":3}"#);
    let got = read(&j).unwrap();
    assert_eq!(
        got[0],
        (
            Ev::Note {
                case: "c1".into(),
                text: "母と二人暮らし".into()
            },
            "opened case:c1".into()
        )
    );
    assert_eq!(got[1].1, "clear");
    assert_eq!(got[2].1, "opened case:c2");
    j.verify().unwrap();
}

#[test]
fn destroying_a_key_leaves_tombstones_and_a_verifying_chain() {
    let mut j: Journal<Ev> = Journal::open_sealed(MemoryStore::new(), master(1)).unwrap();
    j.append_sealed(vec![
        sealed_note(0, "c1", "秘密"),
        sealed_note(1, "c2", "別件"),
    ])
    .unwrap();
    let before: Vec<StoredEvent> = j.store().events().to_vec();
    let report = j.verify().unwrap();
    j.destroy_key("case:c1").unwrap();
    // The stored events (and so the chain) are untouched.
    assert_eq!(j.store().events(), &before[..]);
    assert_eq!(j.verify().unwrap(), report);
    let got = read(&j).unwrap();
    assert_eq!(
        got[0],
        (
            Ev::Note {
                case: "c1".into(),
                text: String::new()
            },
            "tombstone case:c1".into()
        )
    );
    assert_eq!(got[1].1, "opened case:c2");
    // A reopened journal reads the same; a new event under the destroyed key is refused.
    let store = j.into_store();
    let mut j: Journal<Ev> = Journal::open_sealed(store, master(1)).unwrap();
    assert_eq!(read(&j).unwrap()[0].1, "tombstone case:c1");
    let err = j
        .append_sealed(vec![sealed_note(5, "c1", "x")])
        .unwrap_err();
    assert_eq!(err.code(), "key_destroyed");
    assert_eq!(j.len(), 2);
}

#[test]
fn without_the_master_key_replay_is_missing_key_and_verify_holds() {
    let mut j: Journal<Ev> = Journal::open_sealed(MemoryStore::new(), master(1)).unwrap();
    j.append_sealed(vec![sealed_note(0, "c1", "秘密")]).unwrap();
    let j: Journal<Ev> = Journal::open(j.into_store()).unwrap();
    j.verify().unwrap();
    assert_eq!(read(&j).unwrap_err().code(), "missing_key");
    // Appending a sealed event without keys is refused and appends nothing.
    let mut j = j;
    let err = j
        .append_sealed(vec![sealed_note(1, "c2", "x")])
        .unwrap_err();
    assert_eq!(err.code(), "missing_key");
    assert_eq!(j.len(), 1);
}

#[test]
fn a_key_missing_from_the_table_is_missing_key() {
    let mut j: Journal<Ev> = Journal::open_sealed(MemoryStore::new(), master(1)).unwrap();
    j.append_sealed(vec![sealed_note(0, "c1", "秘密")]).unwrap();
    let events = j.store().events().to_vec();
    let check: Vec<KeyRow> = j
        .store()
        .key_rows()
        .unwrap()
        .into_iter()
        .filter(|r| r.key_id == seal::CHECK_KEY_ID)
        .collect();
    let store = MemoryStore::from_events(events).with_keys(check);
    let j: Journal<Ev> = Journal::open_sealed(store, master(1)).unwrap();
    assert_eq!(read(&j).unwrap_err().code(), "missing_key");
}

#[test]
fn a_wrapped_key_moved_to_another_id_is_tampered() {
    let mut j: Journal<Ev> = Journal::open_sealed(MemoryStore::new(), master(1)).unwrap();
    j.append_sealed(vec![sealed_note(0, "c1", "a"), sealed_note(1, "c2", "b")])
        .unwrap();
    let mut rows = j.store().key_rows().unwrap();
    let c1 = rows.iter().position(|r| r.key_id == "case:c1").unwrap();
    let c2 = rows.iter().position(|r| r.key_id == "case:c2").unwrap();
    let w = rows[c1].wrapped.clone();
    rows[c2].wrapped = w;
    let store = MemoryStore::from_events(j.store().events().to_vec()).with_keys(rows);
    let err = Journal::<Ev>::open_sealed(store, master(1)).unwrap_err();
    assert_eq!(err.code(), "tampered_ciphertext");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random journals: sealing round-trips; a flipped ciphertext byte (the chain rewritten to
    /// match) is `tampered_ciphertext`; a destroyed key gives tombstones for exactly its events
    /// and the same number of events, and the chain verifies.
    #[test]
    fn sealing_round_trips_tampers_and_tombstones(
        notes in prop::collection::vec((0u8..4, "[a-zあ-ん]{0,12}", any::<bool>()), 1..30),
        victim in 0u8..4,
        flip in any::<prop::sample::Index>(),
    ) {
        let mut j: Journal<Ev> = Journal::open_sealed(MemoryStore::new(), master(9)).unwrap();
        let batch: Vec<_> = notes
            .iter()
            .enumerate()
            .map(|(i, (case, text, sealed))| {
                let (e, s) = sealed_note(i as i64, &format!("c{case}"), text);
                (e, if *sealed { s } else { None })
            })
            .collect();
        j.append_sealed(batch).unwrap();
        let expected: Vec<Ev> = notes
            .iter()
            .map(|(case, text, _)| Ev::Note { case: format!("c{case}"), text: text.clone() })
            .collect();
        let got = read(&j).unwrap();
        prop_assert_eq!(got.iter().map(|(e, _)| e.clone()).collect::<Vec<_>>(), expected.clone());

        // Tamper: flip one byte of one sealed event's ciphertext, rewrite the chain.
        let events = j.store().events().to_vec();
        let sealed: Vec<usize> = (0..events.len())
            .filter(|&i| events[i].payload_json.starts_with(seal::SEALED_PREFIX))
            .collect();
        if !sealed.is_empty() {
            let i = sealed[flip.index(sealed.len())];
            let mut edited = events.clone();
            let text = &edited[i].payload_json;
            let at = text.find("\"ct\":\"").unwrap() + 6;
            let mut bytes = text.clone().into_bytes();
            bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
            edited[i].payload_json = String::from_utf8(bytes).unwrap();
            let store = MemoryStore::from_events(rechain(&edited))
                .with_keys(j.store().key_rows().unwrap());
            let t: Journal<Ev> = Journal::open_sealed(store, master(9)).unwrap();
            t.verify().unwrap();
            prop_assert_eq!(read(&t).unwrap_err().code(), "tampered_ciphertext");
        }

        // Destroy one case's key: its sealed events are tombstones, the rest unchanged.
        let report = j.verify().unwrap();
        j.destroy_key(&format!("case:c{victim}")).unwrap();
        prop_assert_eq!(j.verify().unwrap(), report);
        let after = read(&j).unwrap();
        prop_assert_eq!(after.len(), expected.len());
        for ((ev, how), ((case, _, was_sealed), whole)) in after.iter().zip(notes.iter().zip(&expected)) {
            if *case == victim && *was_sealed {
                prop_assert_eq!(how, &format!("tombstone case:c{victim}"));
                prop_assert_eq!(ev, &Ev::Note { case: format!("c{case}"), text: String::new() });
            } else {
                prop_assert_eq!(ev, whole);
            }
        }
    }
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_reopens_with_the_right_master_key_only() {
    let dir = std::env::temp_dir().join(format!("tsunagu-seal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sealed.sqlite");
    let _ = std::fs::remove_file(&path);
    {
        let store = SqliteStore::open(&path).unwrap();
        let mut j: Journal<Ev, SqliteStore> = Journal::open_sealed(store, master(3)).unwrap();
        j.append_sealed(vec![
            sealed_note(0, "c1", "秘密の記録"),
            sealed_note(1, "c2", "b"),
        ])
        .unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let needle = "秘密の記録".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    {
        let store = SqliteStore::open(&path).unwrap();
        let err = Journal::<Ev, SqliteStore>::open_sealed(store, master(4)).unwrap_err();
        assert_eq!(err.code(), "wrong_master_key");
    }
    {
        let store = SqliteStore::open(&path).unwrap();
        let mut j: Journal<Ev, SqliteStore> = Journal::open_sealed(store, master(3)).unwrap();
        assert_eq!(read(&j).unwrap()[0].1, "opened case:c1");
        j.destroy_key("case:c1").unwrap();
    }
    {
        let store = SqliteStore::open(&path).unwrap();
        let j: Journal<Ev, SqliteStore> = Journal::open_sealed(store, master(3)).unwrap();
        j.verify().unwrap();
        let got = read(&j).unwrap();
        assert_eq!(got[0].1, "tombstone case:c1");
        assert_eq!(got[1].1, "opened case:c2");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plaintext_journals_read_unchanged_with_a_master_key() {
    let mut j: Journal<Ev> = Journal::in_memory();
    j.append(vec![NewEvent::new("d1", t(0), Ev::Count { n: 1 })])
        .unwrap();
    let events = j.store().events().to_vec();
    let j: Journal<Ev> = Journal::open_sealed(MemoryStore::from_events(events), master(2)).unwrap();
    j.verify().unwrap();
    assert_eq!(
        read(&j).unwrap(),
        vec![(Ev::Count { n: 1 }, "clear".into())]
    );
}
