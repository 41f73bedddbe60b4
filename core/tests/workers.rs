//! Workers, case teams and the actor on every event (issue 16, item 1): old journals verify and
//! replay unchanged, a new event's hash covers its actor, setup mode ends with the first worker,
//! the acting agency of a referral comes from the actor, Y-san's team is assigned and handed
//! over, sync carries the actor, and a refused command changes nothing (property).

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use tsunagu::journal::EventEnvelope;
use tsunagu::registry::{CaseBook, Command, Event, Registry};
use tsunagu::worker::{Actor, TeamChange, TeamPosition};

const AGENCIES: &str = include_str!("../../tests/fixtures/sendai_agencies.json");
const HOUSEHOLD: &str = include_str!("../../tests/fixtures/y_san_household.json");
/// A journal of Y-san's case written by the code before actors existed (commit 41db514):
/// agencies, household, case, and a referral sent and accepted with `actor` in the command.
const OLD_JOURNAL: &str = include_str!("../../tests/fixtures/journal_before_actors.jsonl");

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}
fn cmd(v: Value) -> Command {
    serde_json::from_value(v).unwrap()
}
fn csw(n: u8) -> Actor {
    Actor::new(format!("csw-{n}"), "sendai-council")
}
fn ward() -> Actor {
    Actor::new("ward-1", "aoba-ward-office")
}

/// Setup mode: agencies, Y-san's household and case, and the first worker (no actor needed
/// while no worker exists). The other workers are registered by the first ([`more_workers`]).
fn setup() -> Vec<Command> {
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
    let household: Value = serde_json::from_str(HOUSEHOLD).unwrap();
    let mut out: Vec<Command> = agencies
        .into_iter()
        .map(|a| cmd(json!({"command": "register_agency", "agency": a})))
        .collect();
    out.push(cmd(
        json!({"command": "register_household", "household": household}),
    ));
    out.push(cmd(
        json!({"command": "open_case", "case": "c-y", "household": "h-y",
        "subject": "y-mother", "responsible_window": "sendai-council",
        "intake": {"channel": "walk_in", "receiving_window": "sendai-council",
                   "chief_complaint": "生活福祉資金を借りたい", "on": "2023-06-05"}}),
    ));
    // The first worker is also the 管理者: the access policy lets only a manager register
    // workers, change roles and extend them.
    out.push(cmd(json!({"command": "register_worker", "worker": {"id": "csw-1",
        "agency": "sendai-council", "name": "職員", "roles": ["community_social_worker", "manager"]}})));
    out
}

/// Registered by `csw-1` after setup mode.
fn more_workers() -> Vec<Command> {
    vec![
        register(
            "csw-2",
            "sendai-council",
            "chief_consultation_support_worker",
        ),
        register("ward-1", "aoba-ward-office", "consultation_support_worker"),
    ]
}

fn register(id: &str, agency: &str, role: &str) -> Command {
    cmd(json!({"command": "register_worker", "worker":
        {"id": id, "agency": agency, "name": "職員", "roles": [role]}}))
}

fn book() -> CaseBook {
    let mut book = CaseBook::in_memory("desk-1").unwrap();
    let (today, now) = (d("2023-06-05"), t("2023-06-05T09:00:00Z"));
    book.execute_batch(setup(), today, now).unwrap();
    book.as_actor(csw(1))
        .execute_batch(more_workers(), today, now)
        .unwrap();
    book
}

fn propose() -> Command {
    cmd(
        json!({"command": "propose_referral", "proposal": {"id": "r-1", "case": "c-y",
        "household": "h-y", "from": "sendai-council", "to": "aoba-ward-office",
        "purpose": "生活保護の申請", "on": "2023-06-26"}}),
    )
}
fn referral(action: &str, on: &str, named: Option<&str>) -> Command {
    let mut v = json!({"command": "referral", "referral": "r-1",
        "action": {"action": action, "on": on}});
    if let Some(a) = named {
        v["actor"] = json!(a);
    }
    cmd(v)
}

#[test]
fn an_old_journal_verifies_and_replays_unchanged() {
    let lines: Vec<&str> = OLD_JOURNAL.lines().collect();
    assert!(lines.len() > 10);
    let events: Vec<EventEnvelope<Event>> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (line, e) in lines.iter().zip(&events) {
        assert_eq!(e.payload.by, None);
        // Byte-identical when written again, and the same hash as the old code computed.
        assert_eq!(&serde_json::to_string(e).unwrap(), line);
        assert_eq!(e.compute_hash().unwrap(), e.hash);
    }
    let mut book = CaseBook::in_memory("office").unwrap();
    assert_eq!(book.import_events(&events).unwrap(), events.len() as u64);
    book.verify().unwrap();
    assert_eq!(book.events().unwrap(), events, "stored as imported");
    let reg = book.replayed().unwrap();
    assert_eq!(reg, *book.registry());
    let r = reg.referral(&"r-1".into()).unwrap();
    assert_eq!(r.status(), tsunagu::referral::ReferralStatus::Accepted);
    assert_eq!(r.history[1].by, "aoba-ward-office".into());
    assert_eq!(r.history[1].worker, None);
}

#[test]
fn a_new_event_hashes_its_actor_and_tampering_with_it_breaks_the_chain() {
    let mut book = book();
    book.as_actor(csw(1))
        .execute(propose(), d("2023-06-26"), t("2023-06-26T10:00:00Z"))
        .unwrap();
    let events = book.events().unwrap();
    let last = events.last().unwrap().clone();
    assert_eq!(last.payload.by, Some(csw(1)));
    let line = serde_json::to_string(&last).unwrap();
    assert!(
        line.contains(r#""by":{"agency":"sendai-council","worker":"csw-1"}"#)
            || line.contains(r#""by":{"worker":"csw-1","agency":"sendai-council"}"#)
    );
    assert_eq!(last.compute_hash().unwrap(), last.hash);

    // Another worker, or no worker at all: the hash no longer matches, import refuses the chain.
    for by in [Some(csw(2)), None] {
        let mut tampered = events.clone();
        tampered.last_mut().unwrap().payload.by = by;
        assert_ne!(tampered.last().unwrap().compute_hash().unwrap(), last.hash);
        let mut other = CaseBook::in_memory("office").unwrap();
        let err = other.import_events(&tampered).unwrap_err();
        assert_eq!(tsunagu::Error::from(err).code(), "unverified_journal");
        assert!(other.is_empty());
    }
    // The untampered journal imports, and replay executes the event as its actor.
    let mut other = CaseBook::in_memory("office").unwrap();
    other.import_events(&events).unwrap();
    assert_eq!(other.registry(), book.registry());
}

#[test]
fn setup_mode_ends_with_the_first_worker() {
    let mut book = CaseBook::in_memory("desk-1").unwrap();
    let today = d("2023-06-05");
    let now = t("2023-06-05T09:00:00Z");
    let mut cmds = setup();
    let mut workers = cmds.split_off(cmds.len() - 1);
    workers.extend(more_workers());
    // No worker yet: commands without an actor are accepted.
    book.execute_batch(cmds, today, now).unwrap();
    // An actor that is not registered is refused even in setup mode.
    let err = book
        .as_actor(csw(1))
        .execute(workers[0].clone(), today, now)
        .unwrap_err();
    assert_eq!(err.code(), "unknown_worker");
    book.execute(workers[0].clone(), today, now).unwrap();
    // Now every command needs an actor …
    let n = book.len();
    let err = book.execute(workers[1].clone(), today, now).unwrap_err();
    assert_eq!((err.code(), err.path()), ("actor_required", None));
    assert_eq!(book.len(), n, "a refused command appends nothing");
    // … which is a registered worker of the agency it names, in post.
    let err = book
        .as_actor(Actor::new("csw-1", "aoba-ward-office"))
        .execute(workers[1].clone(), today, now)
        .unwrap_err();
    assert_eq!(err.code(), "worker_not_of_agency");
    book.as_actor(csw(1))
        .execute_batch(workers[1..].to_vec(), today, now)
        .unwrap();
    let by: Vec<Option<Actor>> = book.payloads().unwrap().into_iter().map(|e| e.by).collect();
    assert_eq!(by[by.len() - 3..], [None, Some(csw(1)), Some(csw(1))]);
    assert_eq!(book.replayed().unwrap(), *book.registry());
}

#[test]
fn a_worker_who_left_acts_no_more_and_leaving_needs_a_hand_over_first() {
    let mut book = book();
    let (today, now) = (d("2023-06-06"), t("2023-06-06T09:00:00Z"));
    let mut as_csw1 = book.as_actor(csw(1));
    as_csw1
        .execute(
            cmd(json!({"command": "assign_team", "case": "c-y", "main": "csw-2", "on": "2023-06-06"})),
            today,
            now,
        )
        .unwrap();
    let leave = |w: &str| {
        cmd(json!({"command": "update_worker", "worker": w,
            "update": {"update": "leave", "on": "2023-06-06", "reason": "transfer"}}))
    };
    let err = as_csw1.execute(leave("csw-2"), today, now).unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("handover_required", Some("$.worker"))
    );
    as_csw1
        .execute(
            cmd(json!({"command": "hand_over", "case": "c-y", "to": "csw-1",
                "on": "2023-06-06", "reason": "異動のため"})),
            today,
            now,
        )
        .unwrap();
    as_csw1.execute(leave("csw-2"), today, now).unwrap();
    let err = book
        .as_actor(csw(2))
        .execute(leave("csw-1"), today, now)
        .unwrap_err();
    assert_eq!(err.code(), "worker_inactive");
    // The roles of a worker in post change; one who left is not updated.
    let set_roles = |w: &str| {
        cmd(json!({"command": "update_worker", "worker": w,
            "update": {"update": "set_roles", "roles": ["manager", "community_social_worker"]}}))
    };
    let err = book
        .as_actor(csw(1))
        .execute(set_roles("csw-2"), today, now)
        .unwrap_err();
    assert_eq!(err.code(), "worker_inactive");
    book.as_actor(csw(1))
        .execute(set_roles("csw-1"), today, now)
        .unwrap();
    assert_eq!(
        book.registry()
            .worker(&"csw-1".into())
            .unwrap()
            .worker
            .roles
            .len(),
        2
    );
    // The last worker in post of the whole book cannot leave (nobody could act).
    book.as_actor(csw(1))
        .execute(leave("ward-1"), today, now)
        .unwrap();
    let err = book
        .as_actor(csw(1))
        .execute(
            cmd(json!({"command": "update_worker", "worker": "csw-1",
                "update": {"update": "leave", "on": "2023-06-06", "reason": "retirement"}})),
            today,
            now,
        )
        .unwrap_err();
    assert_eq!(
        err.code(),
        "handover_required",
        "still 主担当 of Y-san's case"
    );
    assert_eq!(book.replayed().unwrap(), *book.registry());
}

/// DOMAIN.md §8: Y-san came to the council; a CSW takes the case with the ward's worker as
/// 副担当, and when the CSW is transferred the chief worker takes it over.
#[test]
fn y_san_team_is_assigned_then_handed_over_and_the_queries_show_it() {
    let mut book = book();
    let now = t("2023-06-06T09:00:00Z");
    let case = "c-y".into();
    book.as_actor(csw(1))
        .execute(
            cmd(
                json!({"command": "assign_team", "case": "c-y", "main": "csw-1",
                "sub": ["ward-1"], "on": "2023-06-06"}),
            ),
            d("2023-06-06"),
            now,
        )
        .unwrap();
    // The ward's worker cannot carry a case of the council's window.
    let err = book
        .as_actor(csw(1))
        .execute(
            cmd(
                json!({"command": "hand_over", "case": "c-y", "to": "ward-1",
                "on": "2023-07-01", "reason": "担当替え"}),
            ),
            d("2023-07-01"),
            now,
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("worker_not_of_agency", Some("$.to"))
    );
    book.as_actor(csw(1))
        .execute(
            cmd(json!({"command": "hand_over", "case": "c-y", "to": "csw-2",
                "on": "2023-07-01", "reason": "異動のため"})),
            d("2023-07-01"),
            t("2023-07-01T09:00:00Z"),
        )
        .unwrap();

    let reg = book.registry();
    let team = reg.case_team(&case).unwrap();
    assert_eq!(team.main, "csw-2".into());
    assert_eq!(
        team.sub.iter().cloned().collect::<Vec<_>>(),
        ["ward-1".into()]
    );
    assert_eq!(team.history.len(), 2, "the history is kept");
    assert!(matches!(&team.history[1],
        TeamChange::HandedOver { from, to, on, .. }
            if from == &"csw-1".into() && to == &"csw-2".into() && *on == d("2023-07-01")));
    let cases = |w: &str| {
        reg.worker_cases(&w.into())
            .into_iter()
            .map(|c| (c.case.to_string(), c.position, c.open))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        cases("csw-2"),
        [("c-y".to_string(), TeamPosition::Main, true)]
    );
    assert_eq!(
        cases("ward-1"),
        [("c-y".to_string(), TeamPosition::Sub, true)]
    );
    assert!(cases("csw-1").is_empty());
    // Every event of the team was recorded by its actor, and replay gives the same team.
    assert_eq!(book.replayed().unwrap().case_team(&case), Some(team));
}

#[test]
fn the_acting_agency_of_a_referral_is_the_actors() {
    let mut book = book();
    let now = t("2023-06-26T09:00:00Z");
    book.as_actor(csw(1))
        .execute_batch(
            vec![propose(), referral("send", "2023-06-26", None)],
            d("2023-06-26"),
            now,
        )
        .unwrap();
    let accept = referral("accept", "2023-06-28", None);
    // A worker of the sending agency cannot accept …
    let err = book
        .as_actor(csw(2))
        .execute(accept.clone(), d("2023-06-28"), now)
        .unwrap_err();
    assert_eq!(err.code(), "not_authorised");
    // … nor name the receiving agency to act for it.
    let err = book
        .as_actor(csw(2))
        .execute(
            referral("accept", "2023-06-28", Some("aoba-ward-office")),
            d("2023-06-28"),
            now,
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("worker_not_of_agency", Some("$.actor"))
    );
    // A worker of the receiving agency accepts (naming their own agency is allowed).
    book.as_actor(ward())
        .execute(
            referral("accept", "2023-06-28", Some("aoba-ward-office")),
            d("2023-06-28"),
            now,
        )
        .unwrap();
    let r = book.registry().referral(&"r-1".into()).unwrap();
    assert_eq!(r.status(), tsunagu::referral::ReferralStatus::Accepted);
    let step = r.history.last().unwrap();
    assert_eq!(step.by, "aoba-ward-office".into());
    assert_eq!(
        step.worker,
        Some("ward-1".into()),
        "the step names the worker"
    );
    assert_eq!(book.replayed().unwrap(), *book.registry());
}

#[test]
fn a_referral_without_actor_or_agency_is_refused_in_setup_mode() {
    let mut reg = Registry::new();
    let mut cmds = setup();
    cmds.truncate(cmds.len() - 1);
    cmds.push(propose());
    for c in &cmds {
        reg.execute(c, d("2023-06-26")).unwrap();
    }
    let err = reg
        .execute(&referral("send", "2023-06-26", None), d("2023-06-26"))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("actor_required", Some("$.actor"))
    );
    reg.execute(
        &referral("send", "2023-06-26", Some("sendai-council")),
        d("2023-06-26"),
    )
    .unwrap();
}

#[test]
fn sync_carries_the_actor_through_a_merge() {
    let office = book();
    let base = office.events().unwrap();
    // Two tablets take the office's journal and record as their workers.
    let mut tablets: Vec<CaseBook> = ["tablet-a", "tablet-b"]
        .into_iter()
        .map(|dev| {
            let mut b = CaseBook::in_memory(dev).unwrap();
            b.import_events(&base).unwrap();
            b
        })
        .collect();
    tablets[0]
        .as_actor(csw(1))
        .execute(
            cmd(
                json!({"command": "log_contact", "contact": {"id": "v-1", "case": "c-y",
                "on": "2023-06-07", "agency": "aoba-ward-office", "channel": "home_visit",
                "purpose": "見守り訪問", "csw_role": "coordinate"}}),
            ),
            d("2023-06-07"),
            t("2023-06-07T10:00:00Z"),
        )
        .unwrap();
    tablets[1]
        .as_actor(ward())
        .execute(
            cmd(
                json!({"command": "log_contact", "contact": {"id": "v-2", "case": "c-y",
                "on": "2023-06-07", "agency": "sendai-council", "channel": "home_visit",
                "purpose": "生活状況の確認", "csw_role": "coordinate"}}),
            ),
            d("2023-06-07"),
            t("2023-06-07T11:00:00Z"),
        )
        .unwrap();
    let journals: Vec<_> = tablets.iter().map(|b| b.events().unwrap()).collect();
    let merged = tsunagu::sync::merge(&journals).unwrap();
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    let by: Vec<_> = merged
        .events
        .iter()
        .rev()
        .take(2)
        .map(|e| e.payload.by.clone())
        .collect();
    assert!(by.contains(&Some(csw(1))) && by.contains(&Some(ward())));
    assert_eq!(merged.registry.contacts().len(), 2);
    let (reg, rejected) = tsunagu::sync::replay(&merged.events);
    assert!(rejected.is_empty());
    assert_eq!(reg, merged.registry);
}

/// One random step: a worker or team command by a random actor (or none).
fn step() -> impl Strategy<Value = (u8, u8, u8, u8)> {
    (0u8..8, 0u8..5, 0u8..5, 0u8..4)
}

fn command_of(kind: u8, a: u8, b: u8, day: u8) -> Command {
    let workers = ["csw-1", "csw-2", "ward-1", "csw-9", "csw-3"];
    let w = workers[a as usize];
    let v = workers[b as usize];
    let on = format!("2023-06-{:02}", 6 + day);
    match kind {
        0 => cmd(json!({"command": "assign_team", "case": "c-y", "main": w, "sub": [v], "on": on})),
        1 => {
            cmd(json!({"command": "hand_over", "case": "c-y", "to": w, "on": on, "reason": "異動"}))
        }
        2 => cmd(json!({"command": "update_worker", "worker": w,
            "update": {"update": "leave", "on": on, "reason": "transfer"}})),
        3 => cmd(json!({"command": "update_worker", "worker": w,
            "update": {"update": "set_roles", "roles": if b % 2 == 0 { json!(["manager"]) } else { json!([]) }}})),
        4 => register(
            w,
            if b % 2 == 0 {
                "sendai-council"
            } else {
                "aoba-ward-office"
            },
            "clerk",
        ),
        5 => propose(),
        6 => match b % 3 {
            0 => referral("send", &on, None),
            1 => referral("accept", &on, Some("aoba-ward-office")),
            _ => cmd(json!({"command": "referral", "referral": "r-1",
                "action": {"action": "revoke", "on": on, "reason": "本人の希望"}})),
        },
        _ => cmd(
            json!({"command": "case", "case": "c-y", "action": {"action": "close",
            "reason": "resolved", "on": on}}),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the actor and the command, a refused command leaves the registry exactly as it
    /// was; the accepted events replay to the same state.
    #[test]
    fn a_refused_command_changes_nothing(steps in prop::collection::vec((step(), 0u8..6), 1..30)) {
        let mut reg = Registry::new();
        let today = d("2023-06-10");
        let mut events = Vec::new();
        for c in setup() {
            reg.execute(&c, d("2023-06-05")).unwrap();
            events.push(Event::new(d("2023-06-05"), c));
        }
        for c in more_workers() {
            reg.execute_as(&c, d("2023-06-05"), Some(&csw(1))).unwrap();
            events.push(Event::with_actor(d("2023-06-05"), c, Some(csw(1))));
        }
        let actors = [Some(csw(1)), Some(csw(2)), Some(ward()), Some(Actor::new("csw-1", "aoba-ward-office")), Some(Actor::new("csw-9", "sendai-council")), None];
        for ((kind, a, b, day), who) in steps {
            let c = command_of(kind, a, b, day);
            let actor = actors[who as usize].clone();
            let before = reg.clone();
            match reg.execute_as(&c, today, actor.as_ref()) {
                Ok(_) => events.push(Event::with_actor(today, c, actor)),
                Err(_) => prop_assert_eq!(&before, &reg),
            }
        }
        prop_assert_eq!(Registry::replay(&events).unwrap(), reg);
    }
}

#[test]
fn an_actorless_event_merged_after_the_first_worker_is_a_rejected_conflict() {
    // Both devices start in setup mode from the same journal (no worker yet).
    let mut office = CaseBook::in_memory("office").unwrap();
    let mut cmds = setup();
    let first_worker = cmds.pop().unwrap();
    office
        .execute_batch(cmds, d("2023-06-05"), t("2023-06-05T09:00:00Z"))
        .unwrap();
    let base = office.events().unwrap();
    let mut tablet = CaseBook::in_memory("tablet").unwrap();
    tablet.import_events(&base).unwrap();
    // The office registers its first worker; the tablet, unaware, records without an actor.
    office
        .execute(first_worker, d("2023-06-05"), t("2023-06-05T10:00:00Z"))
        .unwrap();
    tablet
        .execute(
            cmd(json!({"command": "extend_roles", "document": {"roles": []}})),
            d("2023-06-05"),
            t("2023-06-05T11:00:00Z"),
        )
        .unwrap();
    let merged =
        tsunagu::sync::merge(&[office.events().unwrap(), tablet.events().unwrap()]).unwrap();
    let codes: Vec<_> = merged
        .conflicts
        .iter()
        .map(|c| match &c.kind {
            tsunagu::sync::ConflictKind::Rejected { code, .. } => code.as_str(),
            _ => c.kind_code(),
        })
        .collect();
    assert_eq!(codes, ["actor_required"]);
    assert_eq!(
        merged.events.len(),
        base.len() + 2,
        "the event stays in the journal"
    );
}
