//! Tasks derived from a registry (`registry/tasks.rs`), from Y-san's plan in the worklist vectors.

use super::*;
use crate::registry::{Command, Registry};
use chrono::NaiveDate;
use serde_json::{json, Value};

const LOOP: &str = include_str!("../../../tests/vectors/worklist/plan_loop.json");

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn run(reg: &mut Registry, today: &str, command: Value) {
    let c: Command = serde_json::from_value(command).unwrap();
    reg.execute(&c, d(today)).unwrap();
}

/// Y-san's registry: her case (assessed `high`), her plan with four actions, consented and
/// adopted on 2023-06-20.
fn y_san() -> Registry {
    let doc: Value = serde_json::from_str(LOOP).unwrap();
    let mut reg = Registry::new();
    for a in doc["given"]["agencies"].as_array().unwrap() {
        run(
            &mut reg,
            "2000-01-01",
            json!({"command": "register_agency", "agency": a}),
        );
    }
    for c in doc["given"]["commands"].as_array().unwrap() {
        run(&mut reg, c["today"].as_str().unwrap(), c["command"].clone());
    }
    reg
}

fn find<'a>(tasks: &'a [Task], id: &str) -> &'a Task {
    tasks.iter().find(|t| t.id == id).unwrap_or_else(|| {
        panic!(
            "no task {id} in {:#?}",
            tasks.iter().map(|t| &t.id).collect::<Vec<_>>()
        )
    })
}

#[test]
fn plan_actions_monitoring_and_carry_over_of_a_case() {
    let reg = y_san();
    let tasks = reg.tasks(d("2023-07-01"));
    let a1 = find(&tasks, "plan_action:p-y:1:a1");
    assert_eq!(
        (a1.due_on, a1.done_on, a1.tier),
        (d("2023-06-30"), None, Tier::High)
    );
    assert_eq!(a1.worker.as_ref().map(|w| w.as_str()), Some("csw-sato"));
    assert_eq!(
        a1.agency.as_ref().map(|a| a.as_str()),
        Some("sendai-council")
    );
    let a2 = find(&tasks, "plan_action:p-y:1:a2");
    assert_eq!(
        a2.agency.as_ref().map(|a| a.as_str()),
        Some("aoba-ward-office")
    );
    assert!(
        !tasks.iter().any(|t| t.id.ends_with(":a4")),
        "an action without a due date is no task"
    );
    let m = find(&tasks, "monitoring_due:p-y:1:2023-07-20");
    assert_eq!((m.due_on, m.done_on), (d("2023-07-20"), None));
    let c = find(&tasks, "carry_over:c-y:2024");
    assert_eq!((c.due_on, c.tier), (d("2024-04-01"), Tier::Paperwork));
    let ids: Vec<_> = tasks.iter().map(|t| t.id.clone()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "tasks come in id order");
}

#[test]
fn monitoring_history_replan_and_closure() {
    let mut reg = y_san();
    run(
        &mut reg,
        "2023-07-21",
        json!({"command": "record_monitoring", "plan": "p-y",
               "record": {"on": "2023-07-21", "by": "csw-sato", "decision": "continue"}}),
    );
    run(
        &mut reg,
        "2023-08-25",
        json!({"command": "record_monitoring", "plan": "p-y",
               "record": {"on": "2023-08-25", "by": "csw-kato", "decision": "replan"}}),
    );
    let tasks = reg.tasks(d("2023-08-25"));
    let first = find(&tasks, "monitoring_due:p-y:1:2023-07-20");
    assert_eq!(first.done_on, Some(d("2023-07-21")));
    let second = find(&tasks, "monitoring_due:p-y:1:2023-08-20");
    assert_eq!(second.done_on, Some(d("2023-08-25")), "done late");
    let replan = find(&tasks, "replan_due:p-y:1");
    assert_eq!(
        (replan.due_on, replan.done_on),
        (d("2023-09-08"), None),
        "due 14 days after the decision"
    );
    assert_eq!(replan.worker.as_ref().map(|w| w.as_str()), Some("csw-kato"));
    let mut v2: Value = serde_json::from_str::<Value>(LOOP).unwrap()["given"]["commands"][5]
        ["command"]["plan"]
        .clone();
    v2["version"] = json!(2);
    v2["created_on"] = json!("2023-09-01");
    v2["actions"] = json!([]);
    v2["short_term_goals"] = json!([{"id": "st2", "text": "居場所を見つける"}]);
    v2["monitoring"] = json!({"first_on": "2023-10-01", "interval_days": 30});
    run(
        &mut reg,
        "2023-09-01",
        json!({"command": "replan", "plan": v2}),
    );
    let tasks = reg.tasks(d("2023-09-01"));
    assert_eq!(
        find(&tasks, "replan_due:p-y:1").done_on,
        Some(d("2023-09-01"))
    );
    assert!(
        !tasks.iter().any(|t| t.id.starts_with("plan_action:p-y:1")),
        "actions of a superseded version are no longer owed"
    );
    assert!(
        !tasks
            .iter()
            .any(|t| t.id.starts_with("monitoring_due:p-y:2")),
        "version 2 has no consent yet: not in force"
    );
}

#[test]
fn referrals_sent_returned_and_answered() {
    let mut reg = y_san();
    for (today, c) in [
        (
            "2023-06-21",
            json!({"command": "propose_referral", "proposal": {"id": "r-1", "case": "c-y", "household": "h-y", "from": "sendai-council", "to": "aoba-self-reliance", "purpose": "就労", "on": "2023-06-21"}}),
        ),
        (
            "2023-06-21",
            json!({"command": "referral", "referral": "r-1", "actor": "sendai-council", "action": {"action": "send", "on": "2023-06-21"}}),
        ),
    ] {
        run(&mut reg, today, c);
    }
    let tasks = reg.tasks(d("2023-06-22"));
    let f = find(&tasks, "referral_follow_up:r-1");
    assert_eq!(
        (f.due_on, f.agency.as_ref().unwrap().as_str()),
        (d("2023-07-05"), "sendai-council"),
        "default follow-up: 14 days after sending"
    );
    let a = find(&tasks, "referral_answer:r-1");
    assert_eq!(a.agency.as_ref().unwrap().as_str(), "aoba-self-reliance");
    run(
        &mut reg,
        "2023-06-28",
        json!({"command": "referral", "referral": "r-1", "actor": "aoba-self-reliance", "action": {"action": "decline", "on": "2023-06-28", "reason": {"code": "out_of_scope"}}}),
    );
    let tasks = reg.tasks(d("2023-06-28"));
    assert_eq!(
        find(&tasks, "referral_follow_up:r-1").done_on,
        Some(d("2023-06-28"))
    );
    let back = find(&tasks, "referral_returned:r-1");
    assert_eq!(
        (back.due_on, back.done_on, back.params["reason"].as_str()),
        (d("2023-06-28"), None, "declined")
    );
    assert!(back.params.contains_key("next"), "with the next option");
}

#[test]
fn consent_renewal_is_done_by_a_later_consent() {
    let mut reg = y_san();
    let give = |id: &str, on: &str, expires: &str| {
        json!({"command": "consent", "action": {"command": "give", "id": id, "on": on, "terms": {
            "person": "y-mother", "scope": ["identity"], "recipients": [{"meeting_type": "multi_layered_support_meeting"}],
            "legal_basis": "本人同意", "method": "written", "expires_on": expires}}})
    };
    run(
        &mut reg,
        "2023-06-22",
        give("cons-1", "2023-06-22", "2023-07-25"),
    );
    let t = find(&reg.tasks(d("2023-07-01")), "consent_renewal:cons-1").clone();
    assert_eq!(
        (t.due_on, t.done_on, t.tier),
        (d("2023-07-25"), None, Tier::Paperwork)
    );
    run(
        &mut reg,
        "2023-07-20",
        give("cons-2", "2023-07-20", "2024-03-31"),
    );
    let tasks = reg.tasks(d("2023-07-20"));
    assert_eq!(
        find(&tasks, "consent_renewal:cons-1").done_on,
        Some(d("2023-07-20"))
    );
    assert!(find(&tasks, "consent_renewal:cons-2").is_open());
}

#[test]
fn a_closed_case_owes_nothing_but_its_follow_up() {
    let mut reg = y_san();
    run(
        &mut reg,
        "2023-07-01",
        json!({"command": "case", "case": "c-y", "action": {"action": "close", "reason": "moved", "on": "2023-07-01"}}),
    );
    let open: Vec<_> = reg
        .tasks(d("2023-07-01"))
        .into_iter()
        .filter(Task::is_open)
        .collect();
    assert!(open.is_empty(), "{open:#?}");
}

#[test]
fn watching_over_visits_and_participation_follow_ups_find_their_case() {
    let mut reg = y_san();
    run(
        &mut reg,
        "2023-07-01",
        json!({"command": "open_disaster_record", "record": {"id": "d-y", "household": "h-y", "disaster": "2023_flood",
               "on": "2023-07-01", "damage": "half", "stage": {"stage": "shelter"}, "rank": "a"}}),
    );
    run(
        &mut reg,
        "2023-07-01",
        json!({"command": "register_resource", "resource": {"id": "r-parents", "name": "親の会", "kind": "peer_group",
               "areas": ["sendai-aoba"], "target": {}, "contact": "sendai-council"}}),
    );
    run(
        &mut reg,
        "2023-07-02",
        json!({"command": "match", "match": {"type": "propose", "id": "m-1", "person": "y-mother", "household": "h-y",
               "resource": "r-parents", "on": "2023-07-02", "next_follow_up": "2023-07-09"}}),
    );
    let tasks = reg.tasks(d("2023-07-02"));
    let v = find(&tasks, "watching_over_visit:d-y:2023-07-08");
    assert_eq!(
        (
            v.tier,
            v.case.as_ref().unwrap().as_str(),
            v.params["rank"].as_str()
        ),
        (Tier::Urgent, "c-y", "A"),
        "rank A is urgent; the household's open case holds it"
    );
    let m = find(&tasks, "participation_follow_up:m-1:2023-07-09");
    assert_eq!(
        (m.tier, m.agency.as_ref().unwrap().as_str()),
        (Tier::High, "sendai-council")
    );
    run(
        &mut reg,
        "2023-07-03",
        json!({"command": "case", "case": "c-y", "action": {"action": "close", "reason": "moved", "on": "2023-07-03"}}),
    );
    let tasks = reg.tasks(d("2023-07-03"));
    let v = find(&tasks, "watching_over_visit:d-y:2023-07-08");
    assert_eq!(
        (v.case.as_ref(), v.agency.as_ref(), v.tier),
        (None, None, Tier::Urgent),
        "no open case: the municipality-wide list holds it"
    );
    let w = reg.worklist(&WorklistQuery::on(d("2023-07-08")));
    assert_eq!(w.due_today[0].task.id, "watching_over_visit:d-y:2023-07-08");
    let mut q = WorklistQuery::on(d("2023-07-08"));
    q.agency = Some("sendai-council".into());
    assert!(reg.worklist(&q).entries().next().is_none());
}

/// Y-san's journal, then `last` (a closing monitoring, or its separate case command).
fn journal(last: Vec<(&str, Value)>) -> Vec<crate::registry::Event> {
    let doc: Value = serde_json::from_str(LOOP).unwrap();
    let mut out = Vec::new();
    let mut push = |on: &str, c: Value| {
        out.push(crate::registry::Event::new(
            d(on),
            serde_json::from_value(c).unwrap(),
        ))
    };
    for a in doc["given"]["agencies"].as_array().unwrap() {
        push(
            "2023-04-01",
            json!({"command": "register_agency", "agency": a}),
        );
    }
    for c in doc["given"]["commands"].as_array().unwrap() {
        push(c["today"].as_str().unwrap(), c["command"].clone());
    }
    for (on, c) in last {
        push(on, c);
    }
    out
}

#[test]
fn a_closing_monitoring_counts_as_the_cases_closure_in_the_report() {
    let closing = journal(vec![(
        "2023-07-20",
        json!({"command": "record_monitoring", "plan": "p-y", "record": {
            "on": "2023-07-20", "by": "csw-sato", "decision": "close",
            "closure": {"case": "c-y", "reason": "resolved",
                        "evaluation": {"goals_met": "met", "person_view": "安心した"}}}}),
    )]);
    let by_command = journal(vec![
        (
            "2023-07-20",
            json!({"command": "record_monitoring", "plan": "p-y", "record": {
                "on": "2023-07-20", "by": "csw-sato", "decision": "close"}}),
        ),
        (
            "2023-07-20",
            json!({"command": "case", "case": "c-y", "action": {"action": "close", "reason": "resolved", "on": "2023-07-20"}}),
        ),
    ]);
    let a = Registry::replay(&closing).unwrap();
    let b = Registry::replay(&by_command).unwrap();
    assert_eq!(
        a.case(&"c-y".into()).unwrap().state(),
        b.case(&"c-y".into()).unwrap().state()
    );
    let fy = crate::calendar::FiscalYear::new(2023).unwrap();
    let settings = crate::stats::ReportSettings::default();
    let ra = crate::stats::annual_report(&closing, fy, &settings).unwrap();
    let rb = crate::stats::annual_report(&by_command, fy, &settings).unwrap();
    assert_eq!(ra.closures, rb.closures);
    assert_eq!(
        crate::stats::AnnualReport::count(&ra.closures, "resolved"),
        1
    );
}

#[test]
fn the_follow_up_after_closure_is_done_by_a_contact_or_a_reopening() {
    let mut reg = y_san();
    run(
        &mut reg,
        "2023-07-20",
        json!({"command": "record_monitoring", "plan": "p-y", "record": {
            "on": "2023-07-20", "by": "csw-sato", "decision": "close",
            "closure": {"case": "c-y", "reason": "resolved", "evaluation": {
                "goals_met": "partly_met", "person_view": "安心した",
                "follow_up": {"due_on": "2023-10-20", "by": {"type": "worker", "worker": "csw-sato"}}}}}}),
    );
    let t = find(&reg.tasks(d("2023-10-21")), "post_closure_follow_up:p-y:1").clone();
    assert_eq!(
        (t.due_on, t.done_on, t.worker.as_ref().map(|w| w.as_str())),
        (d("2023-10-20"), None, Some("csw-sato"))
    );
    let mut q = WorklistQuery::on(d("2023-10-21"));
    q.worker = Some("csw-sato".into());
    assert_eq!(
        reg.worklist(&q).overdue[0].task.id,
        t.id,
        "overdue on her list"
    );
    let mut contacted = reg.clone();
    run(
        &mut contacted,
        "2023-10-22",
        json!({"command": "log_contact", "contact": {"id": "lc-9", "case": "c-y", "on": "2023-10-22",
               "agency": "sendai-council", "channel": "phone", "purpose": "終結後の様子確認"}}),
    );
    assert_eq!(
        find(&contacted.tasks(d("2023-10-22")), &t.id).done_on,
        Some(d("2023-10-22"))
    );
    run(
        &mut reg,
        "2023-09-01",
        json!({"command": "case", "case": "c-y", "action": {"action": "reopen", "on": "2023-09-01"}}),
    );
    let tasks = reg.tasks(d("2023-09-01"));
    assert_eq!(find(&tasks, &t.id).done_on, Some(d("2023-09-01")));
}

#[test]
fn a_workers_list_holds_the_tasks_of_the_cases_on_their_team() {
    let actor = crate::worker::Actor::new("csw-sato", "sendai-council");
    let mut events = journal(vec![]);
    events.push(crate::registry::Event::new(
        d("2023-07-01"),
        serde_json::from_value(json!({"command": "register_worker", "worker":
            {"id": "csw-sato", "agency": "sendai-council", "name": "佐藤", "roles": ["community_social_worker"]}}))
        .unwrap(),
    ));
    let reg_before = Registry::replay(&events).unwrap();
    events.push(crate::registry::Event::with_actor(
        d("2023-07-01"),
        serde_json::from_value(json!({"command": "assign_team", "case": "c-y", "main": "csw-sato", "on": "2023-07-01"}))
            .unwrap(),
        Some(actor),
    ));
    let reg = Registry::replay(&events).unwrap();
    let mut q = WorklistQuery::on(d("2023-07-20"));
    q.worker = Some("csw-sato".into());
    let on_case = |w: &crate::worklist::Worklist| {
        w.entries()
            .filter(|e| e.task.case.as_ref() == Some(&"c-y".into()) && e.task.worker.is_none())
            .count()
    };
    assert_eq!(on_case(&reg_before.worklist(&q)), 0, "not on the team yet");
    assert!(
        on_case(&reg.worklist(&q)) > 0,
        "the team's case tasks are on the main worker's list"
    );
}
