//! Scenario tests of participation support (参加支援), community building (地域づくり) and disaster case
//! management (災害ケースマネジメント) through the registry (issue 9): Y-san's parents' group match (DOMAIN.md §8) with the
//! matching's reasons and a follow-up date; an evacuated household moving 応急仮設 → 災害公営住宅
//! with watching-over visits and overdue detection; the end of the disaster phase moving the
//! household into an ordinary case with its history kept. Every scenario checks that the
//! accepted events replay into the same registry and that rejected commands change nothing.

use chrono::NaiveDate;
use serde_json::{json, Value};
use tsunagu::calendar::FiscalYear;
use tsunagu::participation::{MatchRequest, MatchStage, MatchWeights};
use tsunagu::registry::{CaseBook, Command, Receipt};
use tsunagu::stats::{annual_report, ReportSettings};

mod common;
use common::{d, Book, Y_SAN};

fn resources() -> Vec<Value> {
    vec![
        json!({ "id": "r-parents", "name": "発達が気になる子の親の会", "kind": "peer_group",
                "areas": ["sendai-aoba"], "days": ["saturday"],
                "target": { "issues": ["developmental_concern"], "certificates": ["intellectual"], "audience": "carers" },
                "accessibility": ["childcare"], "capacity": { "limit": 20, "current": 12 },
                "contact": "sendai-council", "tags": ["parenting"] }),
        json!({ "id": "r-salon", "name": "ふれあいサロン", "kind": "salon", "areas": ["sendai-aoba-01"],
                "days": ["wednesday"], "target": { "min_age": 65 }, "contact": "aoba-houkatsu" }),
        json!({ "id": "r-dining", "name": "こども食堂", "kind": "community_dining", "areas": ["sendai-izumi"],
                "days": ["saturday"], "contact": "sendai-council" }),
    ]
}

fn y_san_book() -> Book {
    let mut b = Book::with_agencies("2024-04-01");
    let y: Value = serde_json::from_str(Y_SAN).unwrap();
    b.ok(
        "2024-04-01",
        json!({ "command": "register_household", "household": y }),
    );
    for r in resources() {
        b.ok(
            "2024-04-01",
            json!({ "command": "register_resource", "resource": r }),
        );
    }
    b
}

#[test]
fn y_san_parents_group_match_with_reasons_and_follow_up() {
    let mut b = y_san_book();
    let today = d("2024-05-10");

    // Candidates for the mother: the parents' group first, for her son's developmental concern
    // and intellectual disability certificate, her wish and the Saturday she is free. The salon
    // is for people of 65 and over; the dining is in another ward but still a candidate.
    let request: MatchRequest = serde_json::from_value(json!({
        "person": "y-mother", "wishes": ["peer_group"],
        "constraints": { "days_available": ["saturday"] }
    }))
    .unwrap();
    let candidates = b
        .reg
        .match_candidates(&"h-y".into(), &request, &MatchWeights::default(), today)
        .unwrap();
    assert_eq!(candidates[0].resource.as_str(), "r-parents");
    assert!(candidates.iter().all(|c| c.resource.as_str() != "r-salon"));
    let codes: Vec<(&str, Option<&str>)> = candidates[0]
        .reasons
        .iter()
        .map(|r| (r.code.as_str(), r.subject.as_deref()))
        .collect();
    for want in [
        ("area_daily_life_area", Some("sendai-aoba")),
        ("target_issue_family", Some("developmental_concern")),
        ("target_certificate_family", Some("intellectual")),
        ("wish_kind", Some("peer_group")),
        ("day_fits", Some("saturday")),
    ] {
        assert!(
            codes.contains(&want),
            "missing reason {want:?} in {codes:?}"
        );
    }
    assert!(candidates[0].reasons.iter().all(|r| !r.label.ja.is_empty()));
    assert_eq!(
        candidates[0].score,
        candidates[0].reasons.iter().map(|r| r.points).sum::<u32>()
    );

    // Propose the match with a follow-up date; a proposal without a later date is refused.
    let (code, path) = b.err(
        "2024-05-10",
        json!({ "command": "match", "match": { "type": "propose", "id": "m-1", "person": "y-mother",
                "household": "h-y", "resource": "r-parents", "on": "2024-05-10", "next_follow_up": "2024-05-10" } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("follow_up_not_after", Some("$.match.next_follow_up"))
    );
    let (code, path) = b.err(
        "2024-05-10",
        json!({ "command": "match", "match": { "type": "propose", "id": "m-1", "person": "y-mother",
                "household": "h-y", "resource": "r-nowhere", "on": "2024-05-10", "next_follow_up": "2024-05-20" } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("unknown_resource", Some("$.match.resource"))
    );
    let (code, path) = b.err(
        "2024-05-10",
        json!({ "command": "match", "match": { "type": "propose", "id": "m-1", "person": "somebody",
                "household": "h-y", "resource": "r-parents", "on": "2024-05-10", "next_follow_up": "2024-05-20" } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("not_found", Some("$.match.person"))
    );
    let r = b.ok(
        "2024-05-10",
        json!({ "command": "match", "match": { "type": "propose", "id": "m-1", "person": "y-mother",
                "household": "h-y", "resource": "r-parents", "on": "2024-05-10", "next_follow_up": "2024-05-20" } }),
    );
    let Receipt::MatchUpdated { status } = r else {
        panic!("{r:?}")
    };
    assert_eq!(status.next_follow_up(), Some(d("2024-05-20")));

    // The follow-up is due on its date, not before.
    assert!(b.reg.follow_ups_due(d("2024-05-19")).is_empty());
    let due = b.reg.follow_ups_due(d("2024-05-21"));
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].id.as_str(), due[0].days_overdue), ("m-1", 1));

    // She tried it, kept going; a follow-up visit sets the next date.
    b.ok(
        "2024-05-18",
        json!({ "command": "match", "match": { "type": "mark_tried", "id": "m-1", "on": "2024-05-18", "next_follow_up": "2024-06-01" } }),
    );
    let (code, path) = b.err(
        "2024-05-18",
        json!({ "command": "match", "match": { "type": "stop", "id": "m-1", "on": "2024-05-18", "reason": "settled" } }),
    );
    assert_eq!((code.as_str(), path), ("illegal_transition", None));
    b.ok(
        "2024-06-01",
        json!({ "command": "match", "match": { "type": "mark_continuing", "id": "m-1", "on": "2024-06-01", "next_follow_up": "2024-07-01" } }),
    );
    let r = b.ok(
        "2024-07-01",
        json!({ "command": "match", "match": { "type": "record_follow_up", "id": "m-1", "follow_up": {
                "on": "2024-07-01", "observation": "settling", "next": { "type": "next_on", "date": "2024-09-01" } } } }),
    );
    assert!(
        matches!(r, Receipt::MatchUpdated { status } if status.stage() == MatchStage::Continuing
            && status.next_follow_up() == Some(d("2024-09-01")))
    );
    let (code, path) = b.err(
        "2024-07-02",
        json!({ "command": "match", "match": { "type": "record_follow_up", "id": "m-1", "follow_up": {
                "on": "2024-06-20", "observation": "settling", "next": { "type": "next_on", "date": "2024-09-01" } } } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("date_out_of_order", Some("$.match.follow_up.on"))
    );
    // No person is left without a follow-up date after a match.
    for m in b.reg.matches() {
        assert!(m.status.stage() == MatchStage::Stopped || m.next_follow_up().is_some());
    }

    // A wish no resource met is a resource gap of her area.
    b.ok(
        "2024-07-01",
        json!({ "command": "record_resource_gap", "gap": { "area": "sendai-aoba-01", "need": { "type": "wish", "wish": "respite_care" } } }),
    );
    let (code, path) = b.err(
        "2024-07-01",
        json!({ "command": "record_resource_gap", "gap": { "need": { "type": "wish", "wish": "respite_care" } } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("gap_area_unknown", Some("$.gap.area"))
    );
    let gaps = b.reg.resource_gaps_by_area();
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        (gaps[0].area.as_str(), gaps[0].person_count),
        ("sendai-aoba-01", 1)
    );

    // The annual report counts the match, its stages, the follow-up and the gap.
    let r = annual_report(
        &b.events,
        FiscalYear::new(2024).unwrap(),
        &ReportSettings::default(),
    )
    .unwrap();
    let p = &r.participation;
    assert_eq!(
        (
            p.proposed,
            p.tried,
            p.continuing,
            p.stopped,
            p.live_at_end,
            p.follow_ups
        ),
        (1, 1, 1, 0, 1, 1)
    );
    assert_eq!(p.resource_gaps[0].needs[0].need, "wish:respite_care");
    b.assert_replays();
}

#[test]
fn community_activities_sessions_and_report_per_area_and_stage() {
    let mut b = y_san_book();
    b.ok(
        "2024-04-01",
        json!({ "command": "register_activity", "activity": { "id": "a-salon", "name": "ふれあいサロン",
                "small_area": "sendai-aoba-01", "operator": "residents_organisation",
                "stages": ["place_to_belong", "watching_over"], "resource": "r-salon", "started_on": "2023-04-01" } }),
    );
    let (code, path) = b.err(
        "2024-04-01",
        json!({ "command": "register_activity", "activity": { "id": "a-x", "name": "x",
                "small_area": "sendai-aoba-01", "operator": "npo", "stages": ["everyday_help"],
                "resource": "r-none", "started_on": "2024-04-01" } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("unknown_resource", Some("$.activity.resource"))
    );
    b.ok(
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
        b.ok(
            on,
            json!({ "command": "record_session", "session": { "activity": a, "on": on, "participants": n, "supporters": 3 } }),
        );
    }
    let (code, path) = b.err(
        "2024-06-12",
        json!({ "command": "record_session", "session": { "activity": "a-salon", "on": "2024-06-12", "participants": 2 } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("duplicate_session", Some("$.session.on"))
    );
    let (code, path) = b.err(
        "2024-06-12",
        json!({ "command": "end_activity", "activity": "a-none", "on": "2024-06-12" }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("unknown_activity", Some("$.activity"))
    );
    b.ok(
        "2024-06-30",
        json!({ "command": "end_activity", "activity": "a-help", "on": "2024-06-30" }),
    );

    let rows = b
        .reg
        .community_area_stats(d("2024-04-01"), d("2025-03-31"))
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].counts.sessions, rows[0].counts.participants),
        (2, 25)
    );

    let r = annual_report(
        &b.events,
        FiscalYear::new(2024).unwrap(),
        &ReportSettings::default(),
    )
    .unwrap();
    let c = &r.community;
    assert_eq!((c.activities, c.sessions, c.participants), (2, 3, 30));
    let aoba1 = &c.areas[0];
    assert_eq!(aoba1.area.as_str(), "sendai-aoba-01");
    let stage = |code: &str| {
        aoba1
            .by_stage
            .iter()
            .find(|s| serde_json::to_value(s.stage).unwrap() == code)
            .unwrap()
    };
    assert_eq!(
        (
            stage("watching_over").sessions,
            stage("watching_over").participants
        ),
        (2, 25)
    );
    assert_eq!(stage("everyday_help").activities, 0);
    assert_eq!(c.areas[1].by_stage[2].participants, 5);
    b.assert_replays();
}

fn evacuee_book() -> Book {
    let mut b = Book::with_agencies("2024-04-01");
    b.ok(
        "2024-04-01",
        json!({ "command": "register_household", "household": {
            "id": "h-e", "area": { "small_area": "aoba-kamisugi" },
            "members": [
                { "id": "e-1", "relation": "head", "approx_age": 78, "issues": ["social_isolation"] },
                { "id": "e-2", "relation": "spouse", "approx_age": 75, "issues": [] }
            ] } }),
    );
    b.ok(
        "2024-04-01",
        json!({ "command": "open_disaster_record", "record": { "id": "d-e", "household": "h-e",
                "disaster": "2024_flood", "on": "2024-04-01", "damage": "total",
                "stage": { "stage": "shelter" }, "rank": "b", "issues": ["disaster_recovery"] } }),
    );
    b
}

fn due(r: &Receipt) -> Option<NaiveDate> {
    match r {
        Receipt::DisasterUpdated { next_visit_due, .. } => *next_visit_due,
        other => panic!("{other:?}"),
    }
}

#[test]
fn evacuated_household_from_temporary_to_public_housing_with_visits() {
    let mut b = evacuee_book();
    let dis = |action: Value| json!({ "command": "disaster", "record": "d-e", "action": action });

    let (code, path) = b.err(
        "2024-04-01",
        json!({ "command": "open_disaster_record", "record": { "id": "d-2", "household": "h-e",
                "disaster": "2024_flood", "on": "2024-04-01", "damage": "total",
                "stage": { "stage": "shelter" }, "rank": "z" } }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("unknown_risk_rank", Some("$.record.rank"))
    );

    // Into 応急仮設; rank A after the first visit: visits every 7 days.
    let r = b.ok(
        "2024-05-01",
        dis(json!({ "type": "move_stage", "on": "2024-05-01", "stage": { "stage": "temporary_prefab" } })),
    );
    assert!(matches!(&r, Receipt::DisasterUpdated { stage, .. } if stage == "temporary_prefab"));
    let (code, path) = b.err(
        "2024-05-02",
        dis(json!({ "type": "move_stage", "on": "2024-05-02", "stage": { "stage": "temporary_prefab" } })),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("stage_unchanged", Some("$.action.stage"))
    );
    let r = b.ok(
        "2024-05-03",
        dis(json!({ "type": "record_visit", "visit": { "on": "2024-05-03", "role": "support_centre_staff", "met": true, "rank_after": "a" } })),
    );
    assert_eq!(due(&r), Some(d("2024-05-10")));
    // A visit that finds nobody at home does not reset the clock.
    let r = b.ok(
        "2024-05-09",
        dis(json!({ "type": "record_visit", "visit": { "on": "2024-05-09", "role": "support_centre_staff", "met": false } })),
    );
    assert_eq!(due(&r), Some(d("2024-05-10")));
    assert!(b.reg.visits_overdue(d("2024-05-10")).is_empty());
    assert_eq!(b.reg.visits_due(d("2024-05-10")).len(), 1);
    let overdue = b.reg.visits_overdue(d("2024-05-13"));
    assert_eq!(overdue.len(), 1);
    assert_eq!(
        (
            overdue[0].record.as_str(),
            overdue[0].rank.as_str(),
            overdue[0].stage.as_str(),
            overdue[0].days_overdue
        ),
        ("d-e", "a", "temporary_prefab", 3)
    );
    let (code, path) = b.err(
        "2024-05-13",
        dis(json!({ "type": "record_visit", "visit": { "on": "2024-05-13", "role": "lsa", "met": true, "rank_after": "zz" } })),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("unknown_risk_rank", Some("$.action.visit.rank_after"))
    );

    // Into 災害公営住宅; the LSA visits, the rank eases to C: every 30 days.
    b.ok(
        "2024-11-01",
        dis(json!({ "type": "move_stage", "on": "2024-11-01", "stage": { "stage": "public_disaster_housing" } })),
    );
    let r = b.ok(
        "2024-11-05",
        dis(json!({ "type": "record_visit", "visit": { "on": "2024-11-05", "role": "lsa", "met": true, "rank_after": "c" } })),
    );
    assert_eq!(due(&r), Some(d("2024-12-05")));
    assert!(b.reg.visits_overdue(d("2024-12-05")).is_empty());
    assert_eq!(
        b.reg.visits_overdue(d("2024-12-06"))[0].stage,
        "public_disaster_housing"
    );

    // A lawyer (サポ弁) is dispatched about the 災害援護資金 repayment.
    let (code, path) = b.err(
        "2024-11-10",
        dis(json!({ "type": "request_dispatch", "id": "sp-1", "profession": "lawyer",
                    "purpose": "disaster_loan_repayment", "agency": "bar-nowhere", "on": "2024-11-10" })),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("unknown_agency", Some("$.action.agency"))
    );
    b.ok(
        "2024-11-10",
        dis(
            json!({ "type": "request_dispatch", "id": "sp-1", "profession": "lawyer",
                    "purpose": "disaster_loan_repayment", "on": "2024-11-10" }),
        ),
    );
    b.ok(
        "2024-11-20",
        dis(json!({ "type": "mark_dispatched", "id": "sp-1", "on": "2024-11-20" })),
    );
    let rec = b.reg.disaster_record(&"d-e".into()).unwrap();
    let stages: Vec<&str> = rec.stages.iter().map(|s| s.stage.code()).collect();
    assert_eq!(
        stages,
        ["shelter", "temporary_prefab", "public_disaster_housing"]
    );
    b.assert_replays();
}

#[test]
fn end_of_disaster_phase_moves_into_a_case_keeping_history() {
    let mut b = evacuee_book();
    let dis = |action: Value| json!({ "command": "disaster", "record": "d-e", "action": action });
    b.ok(
        "2024-05-01",
        dis(json!({ "type": "move_stage", "on": "2024-05-01", "stage": { "stage": "temporary_prefab" } })),
    );
    b.ok(
        "2024-05-03",
        dis(json!({ "type": "record_visit", "visit": { "on": "2024-05-03", "role": "support_centre_staff", "met": true } })),
    );
    b.ok(
        "2024-05-10",
        dis(
            json!({ "type": "request_dispatch", "id": "sp-1", "profession": "lawyer",
                    "purpose": "disaster_loan_repayment", "on": "2024-05-10" }),
        ),
    );

    // Ending the phase needs an open case of the household.
    let end = json!({ "command": "end_disaster_phase", "record": "d-e", "on": "2025-03-01", "case": "c-e" });
    let (code, path) = b.err("2025-03-01", end.clone());
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("not_found", Some("$.case"))
    );
    let (code, path) = b.err(
        "2025-03-01",
        json!({ "command": "end_disaster_phase", "record": "d-e", "on": "2024-05-02", "case": "c-e" }),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("date_out_of_order", Some("$.on"))
    );

    // The case is opened and the phase ended in one batch (both or neither).
    let open_case: Command = serde_json::from_value(json!({ "command": "open_case", "case": "c-e",
        "household": "h-e", "subject": "e-1", "responsible_window": "sendai-council",
        "intake": { "channel": "agency_referral", "receiving_window": "sendai-council",
                    "chief_complaint": "仮設から移った後の暮らし", "on": "2025-03-01" } }))
    .unwrap();
    let end_cmd: Command = serde_json::from_value(end).unwrap();
    let mut book = CaseBook::in_memory("tablet-1").unwrap();
    let now = "2025-03-01T09:00:00Z".parse().unwrap();
    for e in &b.events {
        book.execute(e.command.clone(), e.on, now).unwrap();
    }
    let n = book.journal().len();
    // A batch whose second command fails leaves nothing behind.
    let bad_end: Command = serde_json::from_value(json!({ "command": "end_disaster_phase",
        "record": "d-nowhere", "on": "2025-03-01", "case": "c-e" }))
    .unwrap();
    let err = book
        .execute_batch(vec![open_case.clone(), bad_end], d("2025-03-01"), now)
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("not_found", Some("$.record"))
    );
    assert_eq!(book.journal().len(), n);
    assert!(book.registry().case(&"c-e".into()).is_none());

    let receipts = book
        .execute_batch(vec![open_case, end_cmd], d("2025-03-01"), now)
        .unwrap();
    let Receipt::DisasterPhaseEnded {
        case,
        issues,
        open_dispatches,
    } = &receipts[1]
    else {
        panic!("{:?}", receipts[1])
    };
    assert_eq!(case.as_str(), "c-e");
    // Still in temporary housing: the recovery issue is carried into the case.
    assert!(issues.iter().any(|i| i.as_str() == "disaster_recovery"));
    assert_eq!(open_dispatches.len(), 1);

    let reg = book.registry();
    let history = reg.disaster_history(&"c-e".into());
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].stages.len(), 2);
    assert_eq!(history[0].visits.len(), 1);
    assert_eq!(history[0].dispatches.len(), 1);
    // Ended: no more visits are due, and the record is read-only.
    assert!(reg.visits_overdue(d("2026-01-01")).is_empty());
    let mut reg2 = reg.clone();
    let cmd: Command = serde_json::from_value(
        dis(json!({ "type": "record_visit", "visit": { "on": "2025-03-02", "role": "lsa", "met": true } })),
    )
    .unwrap();
    let err = reg2.execute(&cmd, d("2025-03-02")).unwrap_err();
    assert_eq!(err.code(), "phase_ended");
    assert_eq!(&reg2, reg);
    // Ending twice is refused.
    let cmd: Command = serde_json::from_value(json!({ "command": "end_disaster_phase",
        "record": "d-e", "on": "2025-03-02", "case": "c-e" }))
    .unwrap();
    assert_eq!(
        reg2.execute(&cmd, d("2025-03-02")).unwrap_err().code(),
        "phase_ended"
    );
    // The journal replays into the same state.
    assert_eq!(
        serde_json::to_value(book.replayed().unwrap()).unwrap(),
        serde_json::to_value(book.registry()).unwrap()
    );
}
