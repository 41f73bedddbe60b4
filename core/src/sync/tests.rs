//! Tests of the merge: two-device scenarios, conflicts and their resolution, and the properties
//! (order independence, idempotence, verified chain, replay of accepted events).

use super::*;
use crate::journal::{Journal, MemoryStore};
use proptest::prelude::*;
use serde_json::{json, Value};

const HOUSEHOLD: &str = include_str!("../../../tests/fixtures/y_san_household.json");
const AGENCIES: &str = include_str!("../../../tests/fixtures/sendai_agencies.json");

fn t(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + minute * 60, 0).expect("valid timestamp")
}

fn ev(on: &str, command: Value) -> Event {
    Event {
        on: on.parse().expect("date"),
        command: serde_json::from_value(command).expect("command"),
        by: None,
    }
}

/// One device's journal in memory.
struct Dev {
    name: &'static str,
    journal: Journal<Event, MemoryStore>,
}

impl Dev {
    fn new(name: &'static str) -> Dev {
        Dev {
            name,
            journal: Journal::in_memory(),
        }
    }
    fn record(&mut self, minute: i64, event: Event) {
        self.journal
            .append(vec![NewEvent::new(self.name, t(minute), event)])
            .expect("append");
    }
    fn events(&self) -> Vec<EventEnvelope<Event>> {
        self.journal
            .iter()
            .collect::<Result<_, _>>()
            .expect("verified")
    }
    /// Import the events of `other` this journal does not hold yet, in `other`'s order.
    fn import(&mut self, other: &[EventEnvelope<Event>]) {
        let have: BTreeSet<(DeviceId, u64)> = self
            .events()
            .into_iter()
            .map(|e| (e.device, e.device_seq))
            .collect();
        let batch: Vec<NewEvent<Event>> = other
            .iter()
            .filter(|e| !have.contains(&(e.device.clone(), e.device_seq)))
            .map(|e| NewEvent {
                device: e.device.clone(),
                device_seq: Some(e.device_seq),
                recorded_at: e.recorded_at,
                payload: e.payload.clone(),
            })
            .collect();
        self.journal.append(batch).expect("import");
    }
}

/// The office's base journal: agencies, Y-san's household, case c-y opened.
fn base() -> Vec<EventEnvelope<Event>> {
    let mut office = Dev::new("office");
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES).expect("agencies");
    for (i, a) in agencies.iter().enumerate() {
        office.record(
            i as i64,
            ev(
                "2023-04-01",
                json!({"command": "register_agency", "agency": a}),
            ),
        );
    }
    let household: Value = serde_json::from_str(HOUSEHOLD).expect("household");
    office.record(
        20,
        ev(
            "2023-06-05",
            json!({"command": "register_household", "household": household}),
        ),
    );
    office.record(
        21,
        ev(
            "2023-06-05",
            json!({
                "command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother",
                "responsible_window": "sendai-council",
                "intake": { "channel": "walk_in", "receiving_window": "sendai-council",
                            "chief_complaint": "生活が苦しい", "on": "2023-06-05" }
            }),
        ),
    );
    office.events()
}

fn visit(id: &str, on: &str) -> Event {
    ev(
        on,
        json!({"command": "log_contact", "contact": {
        "id": id, "case": "c-y", "on": on, "agency": "aoba-ward-office",
        "channel": "home_visit", "purpose": "見守り訪問", "csw_role": "coordinate" }}),
    )
}

fn household_with_employment(employment: &str) -> Event {
    let mut h: Value = serde_json::from_str(HOUSEHOLD).expect("household");
    h["members"][0]["employment"] = json!(employment);
    ev(
        "2023-06-10",
        json!({"command": "update_household", "household": h}),
    )
}

fn begin_assessment() -> Event {
    ev(
        "2023-06-12",
        json!({"command": "case", "case": "c-y", "action": {"action": "begin_assessment"}}),
    )
}

fn two_devices() -> (Dev, Dev) {
    let b = base();
    let mut a = Dev::new("tablet-a");
    let mut c = Dev::new("tablet-b");
    a.import(&b);
    c.import(&b);
    (a, c)
}

#[test]
fn offline_visits_on_two_devices_merge_without_conflict() {
    let (mut a, mut b) = two_devices();
    a.record(100, visit("lc-a", "2023-06-20"));
    b.record(90, visit("lc-b", "2023-06-19"));
    let m = merge(&[a.events(), b.events()]).expect("merge");
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(m.events.len(), base().len() + 2);
    let ids: Vec<&str> = m
        .registry
        .contacts()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    // b's visit has the earlier clock and neither saw the other: time order decides.
    assert_eq!(ids, ["lc-b", "lc-a"]);
    // The merged chain verifies and strict replay succeeds.
    let j = Journal::<Event, MemoryStore>::open(MemoryStore::from_events(
        m.events.iter().map(stored).collect(),
    ))
    .expect("open");
    assert_eq!(j.verify().expect("verifies").events, m.events.len() as u64);
    let strict = Registry::replay(m.events.iter().map(|e| &e.payload)).expect("replay");
    assert_eq!(strict, m.registry);
}

fn disaster(on: &str, action: Value) -> Event {
    ev(
        on,
        json!({"command": "disaster", "record": "d-y", "action": action}),
    )
}

#[test]
fn concurrent_stage_moves_conflict_but_offline_watching_visits_do_not() {
    let (mut a, mut b) = two_devices();
    let n = base().len();
    a.record(
        100,
        ev(
            "2024-04-01",
            json!({"command": "open_disaster_record", "record": {
                "id": "d-y", "household": "h-y", "disaster": "2024_flood", "on": "2024-04-01",
                "damage": "total", "stage": {"stage": "shelter"}, "rank": "b",
                "issues": ["disaster_recovery"]}}),
        ),
    );
    b.import(&a.events()[n..]);
    // Both tablets record a watching-over visit offline: two visits, no conflict.
    let visit = |on: &str| json!({"type": "record_visit", "visit": {"on": on, "role": "support_centre_staff", "met": true}});
    a.record(110, disaster("2024-04-10", visit("2024-04-10")));
    b.record(111, disaster("2024-04-11", visit("2024-04-11")));
    let m = merge(&[a.events(), b.events()]).expect("merge");
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(m.events.len(), n + 3);
    // Both move the household to a different housing stage without seeing each other: a
    // concurrent edit of the record, the later one in force.
    let stage =
        |on: &str, stage: &str| json!({"type": "move_stage", "on": on, "stage": {"stage": stage}});
    a.record(
        120,
        disaster("2024-05-01", stage("2024-05-01", "temporary_prefab")),
    );
    b.record(
        121,
        disaster("2024-05-01", stage("2024-05-01", "deemed_temporary")),
    );
    let m = merge(&[a.events(), b.events()]).expect("merge");
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    let ConflictKind::ConcurrentEdit { record, other, .. } = &m.conflicts[0].kind else {
        panic!("kind {:?}", m.conflicts[0].kind)
    };
    assert_eq!(record, &RecordKey::DisasterRecord("d-y".into()));
    assert_eq!(record.to_string(), "disaster_record:d-y");
    assert_eq!(other.device.as_str(), "tablet-a");
    assert_eq!(m.conflicts[0].event.device.as_str(), "tablet-b");
}

fn stored(e: &EventEnvelope<Event>) -> crate::journal::StoredEvent {
    crate::journal::StoredEvent::from_envelope(e).expect("stored")
}

#[test]
fn concurrent_household_updates_are_a_conflict_and_resolve_to_a_new_event() {
    let (mut a, mut b) = two_devices();
    a.record(100, household_with_employment("unemployed"));
    b.record(101, household_with_employment("full_time"));
    let m = merge(&[a.events(), b.events()]).expect("merge");
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    let c = &m.conflicts[0];
    assert_eq!(c.kind_code(), "concurrent_edit");
    assert_eq!(c.event.device.as_str(), "tablet-b");
    let ConflictKind::ConcurrentEdit { record, other, .. } = &c.kind else {
        panic!("kind")
    };
    assert_eq!(record, &RecordKey::Household("h-y".into()));
    assert_eq!(other.device.as_str(), "tablet-a");
    // The later edit is in force…
    let h = m.registry.household(&"h-y".into()).expect("household");
    assert_eq!(json!(h.members[0].employment), json!("full_time"));
    // … and taking the other side appends an update with A's document.
    let fix = resolve(
        c,
        &Choice::TakeOther,
        "office".into(),
        t(200),
        "2023-06-30".parse().unwrap(),
    )
    .expect("resolve")
    .expect("an event");
    let Command::UpdateHousehold(crate::registry::UpdateHousehold { household }) =
        &fix.payload.command
    else {
        panic!("update")
    };
    assert_eq!(json!(household.members[0].employment), json!("unemployed"));
    assert_eq!(
        resolve(
            c,
            &Choice::KeepMerged,
            "office".into(),
            t(200),
            "2023-06-30".parse().unwrap()
        ),
        Ok(None)
    );
}

#[test]
fn an_informed_edit_is_not_a_conflict_even_with_an_earlier_clock() {
    let (mut a, mut b) = two_devices();
    a.record(100, household_with_employment("unemployed"));
    b.import(&a.events());
    // b's clock is behind a's, but b saw a's edit before making its own.
    b.record(100, household_with_employment("full_time"));
    let m = merge(&[a.events(), b.events()]).expect("merge");
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    let h = m.registry.household(&"h-y".into()).expect("household");
    assert_eq!(json!(h.members[0].employment), json!("full_time"));
}

#[test]
fn acting_twice_on_the_same_case_rejects_one_and_keeps_it_as_a_conflict() {
    let (mut a, mut b) = two_devices();
    a.record(100, begin_assessment());
    b.record(101, begin_assessment());
    let m = merge(&[b.events(), a.events()]).expect("merge");
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    let c = &m.conflicts[0];
    assert_eq!(c.kind_code(), "rejected");
    assert_eq!(c.event.device.as_str(), "tablet-b");
    // Nothing dropped: the rejected event is in the merged journal at its seq.
    assert_eq!(m.events[(c.seq - 1) as usize].device.as_str(), "tablet-b");
    assert_eq!(m.events.len(), base().len() + 2);
    let (_, rejections) = replay(&m.events);
    assert_eq!(rejections.len(), 1);
}

#[test]
fn divergent_versions_of_one_identity_are_surfaced() {
    let (mut a, _) = two_devices();
    let mut a2 = Dev::new("tablet-a");
    a2.import(&base());
    a.record(100, visit("lc-1", "2023-06-20"));
    a2.record(100, visit("lc-2", "2023-06-20"));
    let m = merge(&[a.events(), a2.events()]).expect("merge");
    assert_eq!(m.events.len(), base().len() + 1);
    let d: Vec<&Conflict> = m
        .conflicts
        .iter()
        .filter(|c| c.kind_code() == "divergent")
        .collect();
    assert_eq!(d.len(), 1);
    let m2 = merge(&[a2.events(), a.events()]).expect("merge");
    assert_eq!(m, m2);
}

#[test]
fn a_tampered_input_is_refused() {
    let (mut a, _) = two_devices();
    a.record(100, visit("lc-a", "2023-06-20"));
    let mut events = a.events();
    events[3].payload.on = "2020-01-01".parse().unwrap();
    let err = merge(&[events]).expect_err("tampered");
    assert_eq!(err.code(), "unverified_journal");
    assert_eq!(err.path().as_deref(), Some("$[0][3]"));
}

// ------------------------------------------------------------------ properties

/// A step of the generated history: a device records something, or imports another's journal.
#[derive(Debug, Clone)]
enum Step {
    Record { dev: usize, what: u8, minute: i64 },
    Import { dev: usize, from: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..3usize, 0..6u8, 0..50i64).prop_map(|(dev, what, minute)| Step::Record { dev, what, minute }),
        1 => (0..3usize, 0..3usize).prop_map(|(dev, from)| Step::Import { dev, from }),
    ]
}

fn payload(what: u8, n: usize) -> Event {
    match what {
        0 | 1 => visit(&format!("lc-{n}"), "2023-06-20"),
        2 => household_with_employment(if n % 2 == 0 {
            "unemployed"
        } else {
            "full_time"
        }),
        3 => begin_assessment(),
        4 => ev(
            "2023-06-13",
            json!({"command": "case", "case": "c-y", "action": {"action": "decide", "outcome": "continuing_support"}}),
        ),
        _ => ev(
            "2023-06-20",
            json!({"command": "case", "case": "c-y", "action": {"action": "close", "reason": "person_declined", "on": "2023-06-20"}}),
        ),
    }
}

fn run_steps(steps: &[Step]) -> Vec<Vec<EventEnvelope<Event>>> {
    const NAMES: [&str; 3] = ["tablet-a", "tablet-b", "tablet-c"];
    let b = base();
    let mut devs: Vec<Dev> = NAMES.iter().map(|n| Dev::new(n)).collect();
    let mut clocks = [100i64; 3];
    for d in &mut devs {
        d.import(&b);
    }
    for (n, s) in steps.iter().enumerate() {
        match s {
            Step::Record { dev, what, minute } => {
                clocks[*dev] += minute;
                let clock = clocks[*dev];
                devs[*dev].record(clock, payload(*what, n));
            }
            Step::Import { dev, from } if dev != from => {
                let other = devs[*from].events();
                devs[*dev].import(&other);
            }
            Step::Import { .. } => {}
        }
    }
    devs.iter().map(Dev::events).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_order_independent_idempotent_and_verifies(steps in prop::collection::vec(step(), 0..14), rot in 0..3usize) {
        let js = run_steps(&steps);
        let m = merge(&js).expect("merge");
        // Any permutation, with duplicates.
        let mut p = js.clone();
        p.rotate_left(rot);
        p.reverse();
        p.push(js[rot].clone());
        prop_assert_eq!(&merge(&p).expect("merge"), &m);
        // Re-merging with the merged journal changes nothing.
        let mut again = js.clone();
        again.push(m.events.clone());
        prop_assert_eq!(&merge(&again).expect("merge"), &m);
        let mm = merge(std::slice::from_ref(&m.events)).expect("merge");
        prop_assert_eq!(&mm.events, &m.events);
        // Every distinct event is kept exactly once.
        let ids: BTreeSet<(DeviceId, u64)> = js.iter().flatten().map(|e| (e.device.clone(), e.device_seq)).collect();
        prop_assert_eq!(ids.len(), m.events.len());
        // Each device's order holds in the merged journal.
        let mut last: BTreeMap<DeviceId, u64> = BTreeMap::new();
        for e in &m.events {
            let prev = last.insert(e.device.clone(), e.device_seq).unwrap_or(0);
            prop_assert!(e.device_seq > prev);
        }
        // Strict replay of the accepted events rebuilds the merged state.
        let rejected: BTreeSet<u64> = m.conflicts.iter().filter(|c| c.kind_code() == "rejected").map(|c| c.seq).collect();
        let accepted: Vec<&Event> = m.events.iter().filter(|e| !rejected.contains(&e.seq)).map(|e| &e.payload).collect();
        let strict = Registry::replay(accepted).expect("accepted events replay");
        prop_assert_eq!(&strict, &m.registry);
        // Every input's own-device edits were either kept in force or reported.
        verify_input(0, &m.events).expect("chain");
    }
}
