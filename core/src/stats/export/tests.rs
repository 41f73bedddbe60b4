//! Tests of the participation, community and disaster tables of the export: each table from a
//! small journal (the issue-9 scenarios of `core/tests/participation_community_disaster.rs`), joins with the
//! other tables, and a search of the whole export for every string of the input documents that
//! must not leave.

use crate::community::{OperatorKind, SupportStage};
use crate::disaster::{DamageLevel, DispatchOutcome, Profession, RiskRankCode, VisitorRole};
use crate::ids::*;
use crate::participation::{MatchStage, Need, Observation, StopReason};
use crate::registry::{Command, Event, Registry};
use crate::stats::disaster::rank_on;
use crate::stats::participation::need_code;
use crate::stats::Pseudonymiser;
use crate::stats::{export, AgeBands, ExportTables};
use chrono::NaiveDate;
use serde_json::{json, Value};

const Y_SAN: &str = include_str!("../../../../tests/fixtures/y_san_household.json");
const AGENCIES: &str = include_str!("../../../../tests/fixtures/sendai_agencies.json");
const KEY: &[u8] = b"a key of sixteen bytes or more";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A journal of accepted commands: each is executed on a registry first, so the journal holds
/// only what the registry would record.
#[derive(Default)]
struct Journal {
    reg: Registry,
    events: Vec<Event>,
}

impl Journal {
    fn ok(&mut self, today: &str, cmd: Value) -> &mut Self {
        let command: Command = serde_json::from_value(cmd.clone()).unwrap();
        if let Err(e) = self.reg.execute(&command, d(today)) {
            panic!("{cmd}: {} at {:?}", e.code(), e.path());
        }
        self.events.push(Event {
            on: d(today),
            command,
            by: None,
        });
        self
    }

    fn export(&self) -> ExportTables {
        export(&self.events, &key(), d("2025-03-31"), &AgeBands::default()).unwrap()
    }
}

fn key() -> Pseudonymiser {
    Pseudonymiser::new(KEY).unwrap()
}

fn p(domain: &str, id: &str) -> u64 {
    key().pseudonym(domain, id)
}

/// Agencies, Y-san's household and the three resources of the issue-9 scenarios.
fn y_san() -> Journal {
    let mut j = Journal::default();
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
    for a in agencies {
        j.ok(
            "2024-04-01",
            json!({ "command": "register_agency", "agency": a }),
        );
    }
    let y: Value = serde_json::from_str(Y_SAN).unwrap();
    j.ok(
        "2024-04-01",
        json!({ "command": "register_household", "household": y }),
    );
    for r in [
        json!({ "id": "r-parents", "name": "発達が気になる子の親の会", "kind": "peer_group",
                "areas": ["sendai-aoba"], "days": ["saturday"],
                "target": { "issues": ["developmental_concern"], "audience": "carers" },
                "capacity": { "limit": 20, "current": 12 }, "contact": "sendai-council", "tags": ["parenting"] }),
        json!({ "id": "r-salon", "name": "ふれあいサロン", "kind": "salon", "areas": ["sendai-aoba-01"],
                "days": ["wednesday"], "target": { "min_age": 65 }, "contact": "aoba-houkatsu" }),
        json!({ "id": "r-dining", "name": "こども食堂", "kind": "community_dining",
                "areas": ["sendai-izumi", "sendai-aoba"], "contact": "sendai-council" }),
    ] {
        j.ok(
            "2024-04-01",
            json!({ "command": "register_resource", "resource": r }),
        );
    }
    j
}

fn m(cmd: Value) -> Value {
    json!({ "command": "match", "match": cmd })
}

#[test]
fn resources_matches_follow_ups_and_gaps() {
    let mut j = y_san();
    // The parents' group fills up; the update replaces the row, which keeps its place.
    j.ok(
        "2024-05-01",
        json!({ "command": "update_resource", "resource": {
            "id": "r-parents", "name": "発達が気になる子の親の会", "kind": "peer_group",
            "areas": ["sendai-aoba"], "capacity": { "limit": 20, "current": 13 }, "contact": "sendai-council" } }),
    );
    j.ok("2024-05-10", m(json!({ "type": "propose", "id": "m-1", "person": "y-mother",
        "household": "h-y", "resource": "r-parents", "on": "2024-05-10", "next_follow_up": "2024-05-20" })));
    j.ok("2024-05-10", m(json!({ "type": "propose", "id": "m-2", "person": "y-son1",
        "household": "h-y", "resource": "r-dining", "on": "2024-05-10", "next_follow_up": "2024-05-24" })));
    j.ok("2024-05-18", m(json!({ "type": "mark_tried", "id": "m-1", "on": "2024-05-18", "next_follow_up": "2024-06-01" })));
    j.ok("2024-06-01", m(json!({ "type": "mark_continuing", "id": "m-1", "on": "2024-06-01", "next_follow_up": "2024-07-01" })));
    j.ok("2024-07-01", m(json!({ "type": "record_follow_up", "id": "m-1", "follow_up": {
        "on": "2024-07-01", "by": "worker-7", "observation": "settling", "next": { "type": "next_on", "date": "2024-09-01" } } })));
    j.ok("2024-05-24", m(json!({ "type": "record_follow_up", "id": "m-2", "follow_up": {
        "on": "2024-05-24", "observation": "not_attending", "next": { "type": "stop", "reason": "not_suitable" } } })));
    j.ok(
        "2024-07-01",
        json!({ "command": "record_resource_gap", "gap": { "area": "sendai-aoba-01", "need": { "type": "wish", "wish": "respite_care" } } }),
    );
    for on in ["2024-08-01", "2024-08-30", "2024-09-02"] {
        j.ok(
            on,
            json!({ "command": "record_resource_gap", "gap": { "area": "sendai-aoba-01", "need": { "type": "issue", "issue": "hikikomori" } } }),
        );
    }

    let t = j.export().support;
    assert_eq!(t.resources.len(), 3);
    let r = &t.resources[0];
    assert_eq!(
        (
            r.resource,
            r.kind.as_str(),
            r.capacity_limit,
            r.capacity_current
        ),
        (p("resource", "r-parents"), "peer_group", Some(20), Some(13))
    );
    assert_eq!(r.areas, vec![AreaCode::from("sendai-aoba")]);
    assert_eq!(r.contact, p("agency", "sendai-council"));
    assert_eq!(t.resources[1].capacity_limit, None);
    assert_eq!(t.resources[2].areas.len(), 2);

    assert_eq!(t.matches.len(), 2);
    let m1 = &t.matches[0];
    assert_eq!(m1.r#match, p("match", "m-1"));
    assert_eq!(m1.person, p("person", "y-mother"));
    assert_eq!(m1.resource, p("resource", "r-parents"));
    assert_eq!(m1.stage, MatchStage::Continuing);
    assert_eq!(
        (m1.proposed_on, m1.tried_on, m1.continuing_on, m1.stopped_on),
        (
            d("2024-05-10"),
            Some(d("2024-05-18")),
            Some(d("2024-06-01")),
            None
        )
    );
    assert_eq!(m1.stop_reason, None);
    let m2 = &t.matches[1];
    assert_eq!(m2.stage, MatchStage::Stopped);
    assert_eq!(
        (m2.tried_on, m2.stopped_on, m2.stop_reason),
        (None, Some(d("2024-05-24")), Some(StopReason::NotSuitable))
    );

    let f: Vec<(u64, NaiveDate, Observation)> = t
        .follow_ups
        .iter()
        .map(|f| (f.r#match, f.on, f.observation))
        .collect();
    assert_eq!(
        f,
        [
            (p("match", "m-1"), d("2024-07-01"), Observation::Settling),
            (
                p("match", "m-2"),
                d("2024-05-24"),
                Observation::NotAttending
            ),
        ]
    );

    // Counted per area, need and month: no day leaves.
    let g: Vec<(&str, &str, NaiveDate, u32)> = t
        .gaps
        .iter()
        .map(|g| (g.area.as_str(), g.need.as_str(), g.month, g.persons))
        .collect();
    assert_eq!(
        g,
        [
            ("sendai-aoba-01", "wish:respite_care", d("2024-07-01"), 1),
            ("sendai-aoba-01", "issue:hikikomori", d("2024-08-01"), 2),
            ("sendai-aoba-01", "issue:hikikomori", d("2024-09-01"), 1),
        ]
    );
}

#[test]
fn matches_join_the_persons_table() {
    let mut j = y_san();
    j.ok("2024-05-10", m(json!({ "type": "propose", "id": "m-1", "person": "y-son2",
        "household": "h-y", "resource": "r-parents", "on": "2024-05-10", "next_follow_up": "2024-05-20" })));
    let t = j.export();
    let person = t
        .persons
        .iter()
        .find(|r| r.person == t.support.matches[0].person)
        .expect("the match's person is a row of the persons table");
    assert_eq!(person.household, p("household", "h-y"));
}

#[test]
fn activities_and_sessions() {
    let mut j = y_san();
    j.ok(
        "2024-04-01",
        json!({ "command": "register_activity", "activity": { "id": "a-salon", "name": "ふれあいサロン",
                "small_area": "sendai-aoba-01", "daily_life_area": "sendai-aoba", "operator": "residents_organisation",
                "stages": ["watching_over", "place_to_belong"], "resource": "r-salon", "started_on": "2023-04-01" } }),
    );
    j.ok(
        "2024-04-01",
        json!({ "command": "register_activity", "activity": { "id": "a-help", "name": "買い物支援",
                "small_area": "sendai-aoba-02", "operator": "social_welfare_council",
                "stages": ["everyday_help"], "started_on": "2024-04-01" } }),
    );
    for (a, on, n) in [
        ("a-salon", "2024-05-08", 14),
        ("a-salon", "2024-06-12", 11),
        ("a-help", "2024-05-09", 5),
    ] {
        j.ok(
            on,
            json!({ "command": "record_session", "session": { "activity": a, "on": on, "participants": n, "supporters": 3 } }),
        );
    }
    j.ok(
        "2024-06-30",
        json!({ "command": "end_activity", "activity": "a-help", "on": "2024-06-30" }),
    );

    let t = j.export().support;
    assert_eq!(t.activities.len(), 2);
    let a = &t.activities[0];
    assert_eq!(a.activity, p("activity", "a-salon"));
    assert_eq!(
        (
            a.small_area.as_str(),
            a.daily_life_area.as_ref().map(|x| x.as_str())
        ),
        ("sendai-aoba-01", Some("sendai-aoba"))
    );
    assert_eq!(a.operator, OperatorKind::ResidentsOrganisation);
    assert_eq!(
        a.stages,
        [SupportStage::PlaceToBelong, SupportStage::WatchingOver]
    );
    // The activity's resource is the resources table's row.
    assert_eq!(a.resource, Some(t.resources[1].resource));
    assert_eq!((a.started_on, a.ended_on), (d("2023-04-01"), None));
    let h = &t.activities[1];
    assert_eq!((h.resource, h.ended_on), (None, Some(d("2024-06-30"))));

    let s: Vec<(u64, NaiveDate, u32, u32)> = t
        .sessions
        .iter()
        .map(|s| (s.activity, s.on, s.participants, s.supporters))
        .collect();
    assert_eq!(
        s,
        [
            (p("activity", "a-salon"), d("2024-05-08"), 14, 3),
            (p("activity", "a-salon"), d("2024-06-12"), 11, 3),
            (p("activity", "a-help"), d("2024-05-09"), 5, 3),
        ]
    );
    let participants: u32 = t.sessions.iter().map(|s| s.participants).sum();
    assert_eq!(participants, 30);
}

fn dis(action: Value) -> Value {
    json!({ "command": "disaster", "record": "d-e", "action": action })
}

/// The evacuee household of the issue-9 scenarios, its record opened in a shelter at rank B.
fn evacuee() -> Journal {
    let mut j = Journal::default();
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
    for a in agencies {
        j.ok(
            "2024-04-01",
            json!({ "command": "register_agency", "agency": a }),
        );
    }
    j.ok(
        "2024-04-01",
        json!({ "command": "register_household", "household": {
            "id": "h-e", "area": { "small_area": "aoba-kamisugi" },
            "members": [
                { "id": "e-1", "relation": "head", "approx_age": 78, "issues": ["social_isolation"] },
                { "id": "e-2", "relation": "spouse", "approx_age": 75, "issues": [] }
            ] } }),
    );
    j.ok(
        "2024-04-01",
        json!({ "command": "open_disaster_record", "record": { "id": "d-e", "household": "h-e",
                "disaster": "2024_flood", "on": "2024-04-01", "damage": "total",
                "stage": { "stage": "shelter" }, "rank": "b", "issues": ["disaster_recovery"] } }),
    );
    j
}

#[test]
fn disaster_records_visits_and_dispatches() {
    let mut j = evacuee();
    j.ok("2024-05-01", dis(json!({ "type": "move_stage", "on": "2024-05-01", "stage": { "stage": "temporary_prefab" } })));
    j.ok("2024-05-03", dis(json!({ "type": "record_visit", "visit": {
        "on": "2024-05-03", "role": "support_centre_staff", "by": "w-1", "met": true, "rank_after": "a" } })));
    j.ok(
        "2024-05-09",
        dis(json!({ "type": "record_visit", "visit": {
        "on": "2024-05-09", "role": "support_centre_staff", "met": false } })),
    );
    // A visit recorded late, dated before the rank changed to A: rank B was in force.
    j.ok(
        "2024-05-12",
        dis(json!({ "type": "record_visit", "visit": {
        "on": "2024-04-20", "role": "welfare_commissioner", "met": true } })),
    );
    j.ok("2024-11-01", dis(json!({ "type": "move_stage", "on": "2024-11-01", "stage": { "stage": "public_disaster_housing" } })));
    j.ok(
        "2024-11-05",
        dis(json!({ "type": "record_visit", "visit": {
        "on": "2024-11-05", "role": "lsa", "met": true, "rank_after": "c" } })),
    );
    j.ok(
        "2024-11-10",
        dis(
            json!({ "type": "request_dispatch", "id": "sp-1", "profession": "lawyer",
        "purpose": "disaster_loan_repayment", "agency": "sendai-council", "on": "2024-11-10" }),
        ),
    );
    j.ok(
        "2024-11-20",
        dis(json!({ "type": "mark_dispatched", "id": "sp-1", "on": "2024-11-20" })),
    );
    j.ok(
        "2024-11-30",
        dis(
            json!({ "type": "report_dispatch", "id": "sp-1", "on": "2024-11-30",
        "report": { "outcome": "advice_given", "issues_found": ["debt"] } }),
        ),
    );
    j.ok(
        "2024-12-01",
        dis(
            json!({ "type": "request_dispatch", "id": "sp-2", "profession": "mental_care",
        "purpose": "social_isolation", "on": "2024-12-01" }),
        ),
    );

    let t = j.export();
    let s = &t.support;
    assert_eq!(s.disaster_records.len(), 1);
    let r = &s.disaster_records[0];
    assert_eq!(r.record, p("disaster_record", "d-e"));
    assert_eq!(r.household, p("household", "h-e"));
    assert_eq!(r.disaster, p("disaster", "2024_flood"));
    assert_eq!(
        (r.opened_on, r.damage),
        (d("2024-04-01"), DamageLevel::Total)
    );
    assert_eq!(
        (r.housing_stage, r.rank.as_str()),
        ("public_disaster_housing", "c")
    );
    assert_eq!((r.ended_on, r.case), (None, None));
    // The household joins the persons table.
    assert!(t.persons.iter().any(|x| x.household == r.household));

    let v: Vec<(NaiveDate, VisitorRole, bool, &str, Option<&str>)> = s
        .visits
        .iter()
        .map(|v| {
            assert_eq!(v.record, r.record);
            (
                v.on,
                v.role,
                v.met,
                v.rank.as_str(),
                v.rank_after.as_ref().map(|x| x.as_str()),
            )
        })
        .collect();
    assert_eq!(
        v,
        [
            (
                d("2024-05-03"),
                VisitorRole::SupportCentreStaff,
                true,
                "a",
                Some("a")
            ),
            (
                d("2024-05-09"),
                VisitorRole::SupportCentreStaff,
                false,
                "a",
                None
            ),
            (
                d("2024-04-20"),
                VisitorRole::WelfareCommissioner,
                true,
                "b",
                None
            ),
            (d("2024-11-05"), VisitorRole::Lsa, true, "c", Some("c")),
        ]
    );

    assert_eq!(s.dispatches.len(), 2);
    let a = &s.dispatches[0];
    assert_eq!(a.record, r.record);
    assert_eq!(
        (a.profession, a.purpose.as_str(), a.agency, a.status),
        (
            Profession::Lawyer,
            "disaster_loan_repayment",
            Some(p("agency", "sendai-council")),
            "reported"
        )
    );
    assert_eq!(
        (a.requested_on, a.dispatched_on, a.reported_on, a.outcome),
        (
            d("2024-11-10"),
            Some(d("2024-11-20")),
            Some(d("2024-11-30")),
            Some(DispatchOutcome::AdviceGiven)
        )
    );
    let b = &s.dispatches[1];
    assert_eq!(
        (b.profession, b.agency, b.status, b.dispatched_on, b.outcome),
        (Profession::MentalCare, None, "requested", None, None)
    );
    assert_ne!(a.dispatch, b.dispatch);
}

#[test]
fn dispatch_pseudonyms_are_per_record() {
    // The same dispatch id on two records is two dispatches.
    let mut j = evacuee();
    j.ok(
        "2024-04-01",
        json!({ "command": "open_disaster_record", "record": { "id": "d-f", "household": "h-e",
                "disaster": "2024_flood", "on": "2024-04-01", "damage": "half",
                "stage": { "stage": "rebuilt_home" }, "rank": "d" } }),
    );
    for rec in ["d-e", "d-f"] {
        j.ok(
            "2024-05-01",
            json!({ "command": "disaster", "record": rec, "action": { "type": "request_dispatch", "id": "sp-1",
                    "profession": "health", "purpose": "social_isolation", "on": "2024-05-01" } }),
        );
    }
    let s = j.export().support;
    assert_eq!(s.dispatches.len(), 2);
    assert_ne!(s.dispatches[0].dispatch, s.dispatches[1].dispatch);
    assert_eq!(
        s.disaster_records[0].disaster,
        s.disaster_records[1].disaster
    );
}

#[test]
fn the_end_of_the_disaster_phase_links_the_case() {
    let mut j = evacuee();
    j.ok(
        "2024-05-01",
        dis(json!({ "type": "move_stage", "on": "2024-05-01",
        "stage": { "stage": "wide_area_evacuation", "place": "山形県米沢市" } })),
    );
    j.ok(
        "2025-03-01",
        json!({ "command": "open_case", "case": "c-e", "household": "h-e", "subject": "e-1",
                "responsible_window": "sendai-council",
                "intake": { "channel": "agency_referral", "receiving_window": "sendai-council",
                            "chief_complaint": "仮設から移った後の暮らし", "on": "2025-03-01" } }),
    );
    j.ok(
        "2025-03-01",
        json!({ "command": "end_disaster_phase", "record": "d-e", "on": "2025-03-01", "case": "c-e" }),
    );
    let t = j.export();
    let r = &t.support.disaster_records[0];
    assert_eq!(r.housing_stage, "wide_area_evacuation");
    assert_eq!(r.ended_on, Some(d("2025-03-01")));
    assert_eq!(r.case, Some(t.cases[0].case));
    assert!(!format!("{t:?}").contains("米沢"));
}

#[test]
fn a_risk_rank_is_the_latest_by_date() {
    let risk = vec![
        (d("2024-04-01"), RiskRankCode::from("b")),
        (d("2024-05-03"), RiskRankCode::from("a")),
        (d("2024-05-03"), RiskRankCode::from("c")),
        (d("2024-04-10"), RiskRankCode::from("d")),
    ];
    assert_eq!(rank_on(&risk, None).as_str(), "c");
    assert_eq!(rank_on(&risk, Some(d("2024-05-03"))).as_str(), "c");
    assert_eq!(rank_on(&risk, Some(d("2024-05-02"))).as_str(), "d");
    assert_eq!(rank_on(&risk, Some(d("2024-04-09"))).as_str(), "b");
    // Before every assessment (cannot happen in a journal): the opening rank.
    assert_eq!(rank_on(&risk, Some(d("2024-03-01"))).as_str(), "b");
}

#[test]
fn needs_that_are_not_codes_leave_as_uncoded() {
    let wish = |w: &str| Need::Wish { wish: w.into() };
    assert_eq!(need_code(&wish("farming")), "wish:farming");
    assert_eq!(need_code(&wish("鈴木さんと話したい")), "wish:uncoded");
    assert_eq!(need_code(&wish("Taro")), "wish:uncoded");
    assert_eq!(need_code(&wish("")), "wish:uncoded");
    assert_eq!(need_code(&Need::Participation), "participation");
}

/// Every kind of record of issue 9 with distinctive names, free text, places, ids and a
/// household area that no place shares.
fn secrets_journal() -> Journal {
    let mut j = Journal::default();
    for (id, name, kind) in [
        (
            "agency-secret-csw",
            "秘密地区社協 鈴木支所",
            "social_welfare_council",
        ),
        ("agency-secret-bar", "秘密弁護士会 田中事務所", "lawyer"),
    ] {
        j.ok(
            "2024-04-01",
            json!({ "command": "register_agency", "agency": { "id": id, "name": name, "kind": kind } }),
        );
    }
    j.ok(
        "2024-04-01",
        json!({ "command": "register_household", "household": {
            "id": "hh-secret-1",
            "area": { "small_area": "kamisugi-5chome", "daily_life_area": "kamisugi-zone", "ward": "aoba-ward-x" },
            "members": [
                { "id": "person-secret-a", "name": "仮名 太郎", "relation": "head", "approx_age": 78,
                  "issues": ["social_isolation"] },
                { "id": "person-secret-b", "name": "Hanako Sample", "relation": "spouse",
                  "birth_date": "1950-02-03", "issues": [] }
            ] } }),
    );
    let resource = |current: u32| {
        json!({ "id": "res-secret-1", "name": "山田さん宅のサロン", "kind": "salon",
                "areas": ["place-area-01"], "capacity": { "limit": 10, "current": current },
                "contact": "agency-secret-csw", "tags": ["料理好きの鈴木さん", "secret_tag_word"] })
    };
    j.ok(
        "2024-04-01",
        json!({ "command": "register_resource", "resource": resource(4) }),
    );
    j.ok(
        "2024-04-02",
        json!({ "command": "update_resource", "resource": resource(5) }),
    );
    j.ok("2024-04-05", m(json!({ "type": "propose", "id": "match-secret-1", "person": "person-secret-a",
        "household": "hh-secret-1", "resource": "res-secret-1", "on": "2024-04-05", "next_follow_up": "2024-04-19" })));
    j.ok(
        "2024-04-19",
        m(
            json!({ "type": "record_follow_up", "id": "match-secret-1", "follow_up": {
        "on": "2024-04-19", "by": "worker-secret-1", "observation": "difficulty",
        "next": { "type": "stop", "reason": "person_declined" } } }),
        ),
    );
    for need in [
        json!({ "type": "wish", "wish": "鈴木さんと話したい" }),
        json!({ "type": "issue", "issue": "hikikomori" }),
    ] {
        j.ok(
            "2024-04-20",
            json!({ "command": "record_resource_gap", "gap": { "area": "gap-area-07", "need": need } }),
        );
    }
    j.ok(
        "2024-04-01",
        json!({ "command": "register_activity", "activity": { "id": "act-secret-1", "name": "佐藤さんの茶話会",
                "small_area": "place-area-01", "daily_life_area": "place-dla-1", "operator": "residents_organisation",
                "stages": ["place_to_belong", "watching_over"], "resource": "res-secret-1", "started_on": "2024-04-01" } }),
    );
    j.ok(
        "2024-04-10",
        json!({ "command": "record_session", "session": { "activity": "act-secret-1", "on": "2024-04-10",
                "participants": 9, "supporters": 2 } }),
    );
    j.ok(
        "2024-09-30",
        json!({ "command": "end_activity", "activity": "act-secret-1", "on": "2024-09-30" }),
    );
    j.ok(
        "2024-05-01",
        json!({ "command": "open_disaster_record", "record": { "id": "rec-secret-1", "household": "hh-secret-1",
                "disaster": "flood-of-secret-river", "on": "2024-05-01", "damage": "large_scale_half",
                "stage": { "stage": "wide_area_evacuation", "place": "山形県秘密町の親戚宅" }, "rank": "b",
                "issues": ["disaster_recovery"] } }),
    );
    let rec = |action: Value| json!({ "command": "disaster", "record": "rec-secret-1", "action": action });
    j.ok(
        "2024-05-10",
        rec(
            json!({ "type": "record_visit", "visit": { "on": "2024-05-10", "role": "lsa",
        "by": "worker-secret-2", "met": true, "rank_after": "a" } }),
        ),
    );
    j.ok(
        "2024-06-01",
        rec(json!({ "type": "move_stage", "on": "2024-06-01",
        "stage": { "stage": "wide_area_evacuation", "place": "Secret Town, Fukushima" } })),
    );
    j.ok(
        "2024-06-02",
        rec(
            json!({ "type": "request_dispatch", "id": "disp-secret-1", "profession": "lawyer",
        "purpose": "disaster_loan_repayment", "agency": "agency-secret-bar", "on": "2024-06-02" }),
        ),
    );
    j.ok(
        "2024-06-09",
        rec(json!({ "type": "mark_dispatched", "id": "disp-secret-1", "on": "2024-06-09" })),
    );
    j.ok(
        "2024-06-20",
        rec(
            json!({ "type": "report_dispatch", "id": "disp-secret-1", "on": "2024-06-20",
        "report": { "outcome": "continuing_support", "issues_found": ["debt"] } }),
        ),
    );
    j.ok(
        "2025-02-01",
        json!({ "command": "open_case", "case": "case-secret-1", "household": "hh-secret-1",
                "subject": "person-secret-a", "responsible_window": "agency-secret-csw",
                "intake": { "channel": "agency_referral", "receiving_window": "agency-secret-csw",
                            "chief_complaint": "借金と孤独の話 secret complaint", "on": "2025-02-01" } }),
    );
    j.ok(
        "2025-02-01",
        json!({ "command": "end_disaster_phase", "record": "rec-secret-1", "on": "2025-02-01", "case": "case-secret-1" }),
    );
    j
}

/// The string leaves of a document with the keys above them (array elements keep their key).
fn leaves<'a>(v: &'a Value, path: &mut Vec<&'a str>, out: &mut Vec<(Vec<&'a str>, &'a str)>) {
    match v {
        Value::String(s) => out.push((path.clone(), s)),
        Value::Array(a) => a.iter().for_each(|x| leaves(x, path, out)),
        Value::Object(o) => {
            for (k, x) in o {
                path.push(k);
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether a string at `path` of an input document may leave: codes, dates, and the areas of
/// places (a resource's, an activity's, a gap's). Everything else — ids, names, free text, the
/// places of evacuation, workers, a household's area — must not.
fn may_leave(path: &[&str], value: &str) -> bool {
    const CODES: &[&str] = &[
        "command",
        "type",
        "kind",
        "relation",
        "issues",
        "issue",
        "operator",
        "stages",
        "stage",
        "damage",
        "rank",
        "rank_after",
        "role",
        "profession",
        "purpose",
        "outcome",
        "issues_found",
        "reason",
        "observation",
        "channel",
        "audience",
    ];
    let last = path.last().copied().unwrap_or("");
    let under = |k: &str| path.contains(&k);
    value.parse::<NaiveDate>().is_ok()
        || CODES.contains(&last)
        || (under("resource") && last == "areas")
        || (under("activity") && (last == "small_area" || last == "daily_life_area"))
        || (under("gap") && last == "area")
}

#[test]
fn nothing_that_must_not_leave_appears_in_the_export() {
    let j = secrets_journal();
    let t = j.export();
    let s = &t.support;
    // Every table has rows, so the search covers each of them.
    assert_eq!(
        [
            s.resources.len(),
            s.matches.len(),
            s.follow_ups.len(),
            s.gaps.len(),
            s.activities.len(),
            s.sessions.len(),
            s.disaster_records.len(),
            s.visits.len(),
            s.dispatches.len()
        ],
        [1, 1, 1, 2, 1, 1, 1, 1, 1]
    );
    let dump = format!("{t:?}");
    let docs: Vec<Value> = j
        .events
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    let mut all = Vec::new();
    for doc in &docs {
        leaves(doc, &mut Vec::new(), &mut all);
    }
    let allowed: Vec<&str> = all
        .iter()
        .filter(|(path, v)| may_leave(path, v))
        .map(|(_, v)| *v)
        .collect();
    let secret: std::collections::BTreeSet<&str> = all
        .iter()
        .filter(|(path, v)| !may_leave(path, v))
        .map(|(_, v)| *v)
        .collect();
    // The search is meaningful: the strings that matter most are among those searched for.
    for must in [
        "仮名 太郎",
        "Hanako Sample",
        "山田さん宅のサロン",
        "佐藤さんの茶話会",
        "山形県秘密町の親戚宅",
        "Secret Town, Fukushima",
        "借金と孤独の話 secret complaint",
        "料理好きの鈴木さん",
        "鈴木さんと話したい",
        "worker-secret-1",
        "worker-secret-2",
        "kamisugi-5chome",
        "kamisugi-zone",
        "aoba-ward-x",
        "hh-secret-1",
        "person-secret-a",
        "res-secret-1",
        "match-secret-1",
        "act-secret-1",
        "rec-secret-1",
        "disp-secret-1",
        "flood-of-secret-river",
        "agency-secret-bar",
        "case-secret-1",
    ] {
        assert!(secret.contains(must), "{must} is not searched for");
    }
    // The places that may leave do.
    for place in ["place-area-01", "place-dla-1", "gap-area-07"] {
        assert!(allowed.contains(&place) && dump.contains(place), "{place}");
    }
    for (path, s) in &all {
        if !may_leave(path, s) {
            assert!(!dump.contains(s), "`{s}` at {path:?} leaves in the export");
        }
    }
    // And no code that is really a word: the uncoded wish leaves as such.
    assert!(t.support.gaps.iter().any(|g| g.need == "wish:uncoded"));
}

#[test]
fn another_key_gives_other_pseudonyms() {
    let j = secrets_journal();
    let a = j.export().support;
    let other = Pseudonymiser::new(b"another key of sixteen bytes").unwrap();
    let b = export(&j.events, &other, d("2025-03-31"), &AgeBands::default())
        .unwrap()
        .support;
    assert_ne!(a.resources[0].resource, b.resources[0].resource);
    assert_ne!(
        a.disaster_records[0].household,
        b.disaster_records[0].household
    );
    assert_eq!(a.gaps, b.gaps);
}
