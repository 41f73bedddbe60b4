//! Person master through the registry: the index kept incrementally equals one built from the
//! final records, a rejected command changes nothing, and replay rebuilds the same master.

use crate::ids::PersonId;
use crate::person::{CandidateWeights, PersonQuery};
use crate::registry::{Command, Event, Registry};
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::json;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

const SURNAMES: &[(&str, &str)] = &[
    ("高橋", "タカハシ"),
    ("髙橋", "たかはし"),
    ("渡邊", "ﾜﾀﾅﾍﾞ"),
    ("渡辺", "ワタナベ"),
    ("佐藤", "サトー"),
    ("佐藤", "さとう"),
];
const PHONES: &[&str] = &[
    "022-111-2222",
    "090-1234-5678",
    "not a phone",
    "1234 5678 9018",
];
const BIRTHS: &[&str] = &[
    "昭和55年4月1日",
    "1980-04-01",
    "1990-01-08",
    "令和9年1月1日",
];

/// One random command on persons `p0`…`p5` (some invalid on purpose).
fn command() -> impl Strategy<Value = Command> {
    let id = (0..6usize).prop_map(|i| format!("p{i}"));
    let person = (
        id.clone(),
        0..SURNAMES.len(),
        proptest::option::of(0..PHONES.len()),
        0..BIRTHS.len(),
        proptest::option::of(0..3usize),
    )
        .prop_map(|(id, s, phone, b, area)| {
            let (name, reading) = SURNAMES[s];
            let mut p =
                json!({ "id": id, "name": name, "reading": reading, "birth_date": BIRTHS[b] });
            if let Some(ph) = phone {
                p["phones"] = json!([PHONES[ph]]);
            }
            if let Some(a) = area {
                p["address"] = json!({ "small_area": format!("a{a}") });
            }
            p
        });
    prop_oneof![
        person.clone().prop_map(|p| json!({"command": "register_person", "person": p})),
        person.prop_map(|p| json!({"command": "update_person", "person": p})),
        (id.clone(), id.clone()).prop_map(|(a, b)| json!({"command": "merge_persons", "survivor": a, "merged": b, "on": "2026-12-01"})),
        id.prop_map(|a| json!({"command": "split_person", "person": a, "on": "2026-12-01"})),
    ]
    .prop_map(|v| serde_json::from_value(v).expect("a command"))
}

/// What a registry's persons answer: searches of several kinds and the candidates.
fn answers(reg: &Registry) -> serde_json::Value {
    let queries = [
        json!({"reading": "タ"}),
        json!({"reading": "ワタナベ"}),
        json!({"name": "高橋"}),
        json!({"phone": "0221112222"}),
        json!({"birth_date": "1980-04-01"}),
        json!({"small_area": "a1"}),
        json!({"reading": "さ", "small_area": "a0"}),
    ];
    let found: Vec<Vec<PersonId>> = queries
        .iter()
        .map(|q| {
            let q: PersonQuery = serde_json::from_value(q.clone()).unwrap();
            reg.search_persons(&q)
                .unwrap()
                .persons
                .iter()
                .map(|p| p.id.clone())
                .collect()
        })
        .collect();
    let resolved: Vec<Option<PersonId>> = (0..6)
        .map(|i| reg.resolve_person(&PersonId::new(format!("p{i}"))).cloned())
        .collect();
    json!({
        "found": found,
        "resolved": resolved,
        "candidates": reg.duplicate_candidates(&CandidateWeights::default()),
        "state": reg,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A rejected command changes nothing (records, merges, the index's answers); the accepted
    /// ones replayed give the same answers; the incremental index answers as one built from the
    /// final records does.
    #[test]
    fn person_commands_are_atomic_and_replayable(cmds in proptest::collection::vec(command(), 1..30)) {
        let mut reg = Registry::new();
        let mut events = Vec::new();
        for c in &cmds {
            let before = answers(&reg);
            match reg.execute(c, today()) {
                Ok(_) => events.push(Event::new(today(), c.clone())),
                Err(_) => prop_assert_eq!(answers(&reg), before),
            }
        }
        let replayed = Registry::replay(&events).unwrap();
        prop_assert_eq!(answers(&replayed), answers(&reg));

        // Rebuild: register the final records afresh (no merges), compare searches on a
        // registry with the same merges replayed from scratch.
        let mut fresh = Registry::new();
        for e in reg.persons().entries() {
            // The record's ISO birth date is valid typed input.
            let rec = serde_json::to_value(&e.record).unwrap();
            let c: Command = serde_json::from_value(json!({"command": "register_person", "person": rec})).unwrap();
            fresh.execute(&c, today()).unwrap();
        }
        for m in reg.persons().merges() {
            let c: Command = serde_json::from_value(json!({"command": "merge_persons", "survivor": m.survivor, "merged": m.merged, "on": m.on})).unwrap();
            fresh.execute(&c, today()).unwrap();
            if m.split_on.is_some() {
                let c: Command = serde_json::from_value(json!({"command": "split_person", "person": m.merged, "on": m.on})).unwrap();
                fresh.execute(&c, today()).unwrap();
            }
        }
        prop_assert_eq!(&answers(&fresh)["found"], &answers(&reg)["found"]);
        prop_assert_eq!(&answers(&fresh)["candidates"], &answers(&reg)["candidates"]);
    }
}

#[test]
fn updating_keeps_the_replaced_version_and_reindexes() {
    let mut reg = Registry::new();
    let run = |reg: &mut Registry, v: serde_json::Value| {
        let c: Command = serde_json::from_value(v).unwrap();
        reg.execute(&c, today()).unwrap();
    };
    run(
        &mut reg,
        json!({"command": "register_person", "person": {"id": "p", "name": "佐藤 花子", "reading": "サトウ ハナコ"}}),
    );
    run(
        &mut reg,
        json!({"command": "update_person", "person": {"id": "p", "name": "鈴木 花子", "reading": "スズキ ハナコ",
            "other_names": [{"kind": "former", "name": "佐藤", "reading": "サトウ"}]}}),
    );
    let entry = reg.persons().entry(&"p".into()).unwrap();
    assert_eq!(entry.versions.len(), 1);
    assert_eq!(entry.versions[0].record.name.as_deref(), Some("佐藤 花子"));
    let search = |reg: &Registry, r: &str| {
        let q = PersonQuery {
            reading: Some(r.into()),
            ..PersonQuery::default()
        };
        reg.search_persons(&q).unwrap().persons.len()
    };
    // The former name still finds her; the old given name under the old surname does not.
    assert_eq!(search(&reg, "さとう"), 1);
    assert_eq!(search(&reg, "サトウハナコ"), 0);
    assert_eq!(search(&reg, "すずき"), 1);
}
