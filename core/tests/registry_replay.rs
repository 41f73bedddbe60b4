//! Property: for any sequence of commands (valid or not, in any order), the events the registry
//! accepted replay into exactly the same state, and every rejected command changed nothing.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use serde_json::{json, Value};
use tsunagu::disaster::Phase;
use tsunagu::participation::MatchStage;
use tsunagu::registry::{Command, Event, Registry};

const Y_SAN: &str = include_str!("../../tests/fixtures/y_san_household.json");
const AGENCIES: &str = include_str!("../../tests/fixtures/sendai_agencies.json");

fn pool(day: &str, next: &str) -> Vec<Value> {
    let y: Value = serde_json::from_str(Y_SAN).unwrap();
    let c = |a: Value| json!({ "command": "case", "case": "c-y", "action": a });
    let r = |actor: &str, a: Value| json!({ "command": "referral", "referral": "r-1", "actor": actor, "action": a });
    vec![
        json!({ "command": "register_household", "household": y }),
        json!({ "command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother", "responsible_window": "sendai-council",
                "intake": { "channel": "walk_in", "receiving_window": "sendai-council", "chief_complaint": "相談", "on": day } }),
        c(json!({ "action": "begin_assessment" })),
        c(
            json!({ "action": "record_assessment", "assessment": { "on": day, "wishes": "暮らしを安定させたい", "urgency": "normal" } }),
        ),
        c(json!({ "action": "decide", "outcome": "continuing_support" })),
        c(json!({ "action": "decide", "outcome": "handed_over" })),
        c(json!({ "action": "close", "reason": "resolved", "on": day })),
        c(json!({ "action": "close", "reason": "transferred", "on": day, "referral": "r-1" })),
        c(json!({ "action": "reopen", "on": day })),
        json!({ "command": "propose_referral", "proposal": { "id": "r-1", "case": "c-y", "household": "h-y", "from": "sendai-council", "to": "aoba-ward-office", "purpose": "生活保護", "on": day } }),
        r("sendai-council", json!({ "action": "send", "on": day })),
        r("aoba-ward-office", json!({ "action": "accept", "on": day })),
        r(
            "aoba-ward-office",
            json!({ "action": "decline", "on": day, "reason": { "code": "out_of_scope" } }),
        ),
        r("sendai-council", json!({ "action": "accept", "on": day })),
        json!({ "command": "log_contact", "contact": { "id": format!("lc-{day}"), "case": "c-y", "on": day, "agency": "aoba-ward-office", "channel": "phone", "purpose": "調整" } }),
        json!({ "command": "consent", "action": { "command": "give", "id": "cons-1", "on": day, "terms": {
            "person": "y-mother", "scope": ["identity", "finances"], "recipients": [ { "meeting_type": "multi_layered_support_meeting" } ],
            "legal_basis": "本人同意", "method": "verbal" } } }),
        json!({ "command": "consent", "action": { "command": "withdraw", "id": "cons-1", "on": day } }),
        json!({ "command": "disclose", "provider": "sendai-council", "shown": ["identity", "finances", "health_disability"],
                "request": { "case": "c-y", "person": "y-mother", "purpose": "support", "on": day,
                             "audience": { "type": "meeting", "meeting_type": "multi_layered_support_meeting", "participants_acknowledged": true } } }),
        // Participation support (issue 9).
        json!({ "command": "register_resource", "resource": { "id": "r-parents", "name": "親の会", "kind": "peer_group",
                "areas": ["sendai-aoba"], "target": { "issues": ["developmental_concern"], "audience": "carers" }, "contact": "sendai-council" } }),
        json!({ "command": "update_resource", "resource": { "id": "r-parents", "name": "親の会", "kind": "peer_group",
                "days": ["saturday"], "contact": "sendai-council", "capacity": { "limit": 20, "current": 3 } } }),
        json!({ "command": "match", "match": { "type": "propose", "id": "m-1", "person": "y-mother", "household": "h-y",
                "resource": "r-parents", "on": day, "next_follow_up": next } }),
        json!({ "command": "match", "match": { "type": "mark_tried", "id": "m-1", "on": day, "next_follow_up": next } }),
        json!({ "command": "match", "match": { "type": "mark_continuing", "id": "m-1", "on": day, "next_follow_up": next } }),
        json!({ "command": "match", "match": { "type": "record_follow_up", "id": "m-1", "follow_up": {
                "on": day, "observation": "settling", "next": { "type": "next_on", "date": next } } } }),
        json!({ "command": "match", "match": { "type": "stop", "id": "m-1", "on": day, "reason": "settled" } }),
        json!({ "command": "record_resource_gap", "gap": { "area": "sendai-aoba-01", "need": { "type": "issue", "issue": "hikikomori" } } }),
        // Community building.
        json!({ "command": "register_activity", "activity": { "id": "a-1", "name": "サロン", "small_area": "sendai-aoba-01",
                "operator": "residents_organisation", "stages": ["place_to_belong"], "resource": "r-parents", "started_on": day } }),
        json!({ "command": "record_session", "session": { "activity": "a-1", "on": day, "participants": 12 } }),
        json!({ "command": "end_activity", "activity": "a-1", "on": day }),
        // Disaster case management.
        json!({ "command": "open_disaster_record", "record": { "id": "d-1", "household": "h-y", "disaster": "flood",
                "on": day, "damage": "half", "stage": { "stage": "shelter" }, "rank": "b" } }),
        json!({ "command": "disaster", "record": "d-1", "action": { "type": "move_stage", "on": day, "stage": { "stage": "temporary_prefab" } } }),
        json!({ "command": "disaster", "record": "d-1", "action": { "type": "record_visit", "visit": { "on": day, "role": "lsa", "met": true, "rank_after": "a" } } }),
        json!({ "command": "disaster", "record": "d-1", "action": { "type": "request_dispatch", "id": "sp-1", "profession": "lawyer",
                "purpose": "disaster_loan_repayment", "agency": "sendai-council", "on": day } }),
        json!({ "command": "disaster", "record": "d-1", "action": { "type": "mark_dispatched", "id": "sp-1", "on": day } }),
        json!({ "command": "end_disaster_phase", "record": "d-1", "on": day, "case": "c-y" }),
    ]
}

/// Size of [`pool`].
const POOL: usize = 35;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn accepted_events_replay_to_the_same_state(steps in proptest::collection::vec((0usize..POOL, 0i64..3), 1..60)) {
        prop_assert_eq!(pool("2023-06-01", "2023-06-15").len(), POOL);
        let mut reg = Registry::new();
        let mut events = Vec::new();
        let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
        let start = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
        for a in agencies {
            let command: Command = serde_json::from_value(json!({ "command": "register_agency", "agency": a })).unwrap();
            reg.execute(&command, start).unwrap();
            events.push(Event::new(start, command));
        }
        let mut day = start;
        for (pick, advance) in steps {
            day += Duration::days(advance);
            let next = (day + Duration::days(14)).to_string();
            let template = pool(&day.to_string(), &next).swap_remove(pick);
            let command: Command = serde_json::from_value(template).unwrap();
            let before = serde_json::to_string(&reg).unwrap();
            match reg.execute(&command, day) {
                Ok(_) => events.push(Event::new(day, command)),
                Err(_) => prop_assert_eq!(&before, &serde_json::to_string(&reg).unwrap()),
            }
        }
        let replayed = Registry::replay(&events).unwrap();
        prop_assert_eq!(serde_json::to_value(&replayed).unwrap(), serde_json::to_value(&reg).unwrap());
        // Every case keeps exactly one responsible window that exists in the directory.
        for c in reg.cases() {
            prop_assert!(reg.directory().get(c.responsible_window()).is_some());
        }
        // No person is left without a follow-up date after a match.
        for m in reg.matches() {
            prop_assert!(m.status.stage() == MatchStage::Stopped || m.next_follow_up().is_some());
        }
        // An ended disaster record is linked to an existing case of its household.
        for r in reg.disaster_records() {
            if let Phase::Ended { case, .. } = &r.phase {
                let case = case.as_ref().expect("ended records are linked");
                prop_assert_eq!(reg.case(case).map(|c| c.household()), Some(&r.household));
            }
        }
    }
}
