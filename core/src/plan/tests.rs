use super::*;
use crate::agency::Agency;
use crate::coded::Coded;
use crate::taxonomy::Taxonomies;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn directory() -> Directory {
    let agency = Agency {
        id: "houkatsu_east".into(),
        name: "東地域包括支援センター".into(),
        kind: "community_general_support_center".into(),
        projects: vec![],
        areas: vec![],
        serves: Default::default(),
    };
    Directory::new(vec![agency], &Taxonomies::builtin()).unwrap()
}

fn goal(id: &str, target: Option<NaiveDate>) -> Goal {
    Goal {
        id: id.into(),
        text: format!("goal {id}"),
        target_date: target,
    }
}

fn plan() -> SupportPlan {
    SupportPlan {
        id: "p1".into(),
        case: "c1".into(),
        version: 1,
        created_on: d(2024, 5, 1),
        chief_complaint: "仕事が続けられない".into(),
        wishes: "子どもと安心して暮らしたい".into(),
        policy: "家計の安定と子の通学支援を並行して進める".into(),
        approaches: vec![Approach::ProblemSolving, Approach::StayingConnected],
        long_term_goals: vec![goal("lt1", None)],
        short_term_goals: vec![goal("st1", Some(d(2024, 8, 31))), goal("st2", None)],
        actions: vec![
            Action {
                id: "a1".into(),
                description: "生活保護の申請に同行する".into(),
                responsible: Party::Worker {
                    worker: "csw_1".into(),
                },
                schedule: Schedule {
                    text: None,
                    dates: vec![d(2024, 5, 10)],
                },
                goals: vec!["st1".into()],
                due_on: None,
                done_on: None,
            },
            Action {
                id: "a2".into(),
                description: "見守り訪問".into(),
                responsible: Party::Informal {
                    kind: "welfare_commissioner".into(),
                    label: Some("民生委員".into()),
                },
                schedule: Schedule {
                    text: Some("月2回".into()),
                    dates: vec![],
                },
                goals: vec!["lt1".into(), "st2".into()],
                due_on: None,
                done_on: None,
            },
            Action {
                id: "a3".into(),
                description: "介護認定の申請支援".into(),
                responsible: Party::Agency {
                    agency: "houkatsu_east".into(),
                },
                schedule: Schedule::default(),
                goals: vec![],
                due_on: None,
                done_on: None,
            },
        ],
        consent: Some(PlanConsent {
            on: d(2024, 5, 1),
            method: ConsentMethod::Signature,
        }),
        monitoring: MonitoringSchedule {
            first_on: d(2024, 6, 1),
            interval_days: 30,
        },
        records: vec![],
    }
}

fn record(on: NaiveDate, decision: MonitoringDecision) -> MonitoringRecord {
    MonitoringRecord {
        on,
        by: "csw_1".into(),
        progress: vec![
            GoalProgress {
                goal: "st1".into(),
                progress: Progress::InProgress,
                note: Some("申請済み".into()),
            },
            GoalProgress {
                goal: "lt1".into(),
                progress: Progress::NotStarted,
                note: None,
            },
        ],
        decision,
        closure: None,
    }
}

fn history() -> PlanHistory {
    PlanHistory::new(plan(), &directory(), d(2024, 5, 1)).unwrap()
}

fn invalid_at(p: SupportPlan, code: &str, path: &str) {
    let e = PlanHistory::new(p, &directory(), d(2024, 12, 31)).unwrap_err();
    assert_eq!((e.code(), e.path().as_deref()), (code, Some(path)), "{e}");
}

#[test]
fn a_valid_plan_starts_a_history() {
    let h = history();
    assert_eq!(h.versions().len(), 1);
    assert_eq!(h.current().version, 1);
    assert_eq!(h.current().next_monitoring_due(), Some(d(2024, 6, 1)));
    assert_eq!(
        h.current().status(),
        PlanStatus {
            plan: "p1".into(),
            case: "c1".into(),
            version: 1,
            consented_on: Some(d(2024, 5, 1)),
        }
    );
}

#[test]
fn structural_rules_are_enforced_with_paths() {
    let mut p = plan();
    p.long_term_goals.clear();
    p.short_term_goals.clear();
    p.actions.clear();
    invalid_at(p, "invalid_plan", "$.short_term_goals");

    let mut p = plan();
    p.short_term_goals[1].id = "lt1".into();
    invalid_at(p, "duplicate_id", "$.short_term_goals[1].id");

    let mut p = plan();
    p.actions[2].id = "a1".into();
    invalid_at(p, "duplicate_id", "$.actions[2].id");

    let mut p = plan();
    p.actions[1].goals.push("st9".into());
    invalid_at(p, "unknown_goal", "$.actions[1].goals[2]");

    let mut p = plan();
    p.short_term_goals[0].target_date = Some(d(2024, 4, 30));
    invalid_at(p, "invalid_plan", "$.short_term_goals[0].target_date");

    let mut p = plan();
    p.monitoring.interval_days = 0;
    invalid_at(p, "invalid_plan", "$.monitoring.interval_days");

    let mut p = plan();
    p.monitoring.first_on = d(2024, 4, 1);
    invalid_at(p, "invalid_plan", "$.monitoring.first_on");

    let mut p = plan();
    p.consent.as_mut().unwrap().on = d(2024, 4, 1);
    invalid_at(p, "invalid_plan", "$.consent.on");

    let mut p = plan();
    p.approaches.clear();
    invalid_at(p, "invalid_plan", "$.approaches");

    let mut p = plan();
    p.approaches.push(Approach::ProblemSolving);
    invalid_at(p, "invalid_plan", "$.approaches[2]");

    let mut p = plan();
    p.wishes = " ".into();
    invalid_at(p, "invalid_plan", "$.wishes");

    let mut p = plan();
    p.actions[2].responsible = Party::Agency {
        agency: "nowhere".into(),
    };
    invalid_at(p, "unknown_agency", "$.actions[2].responsible.agency");

    let mut p = plan();
    p.version = 2;
    invalid_at(p, "plan_version_conflict", "$.version");

    let mut p = plan();
    p.records
        .push(record(d(2024, 6, 1), MonitoringDecision::Continue));
    invalid_at(p, "invalid_plan", "$.records");
}

#[test]
fn plan_dated_after_today_is_rejected() {
    let e = PlanHistory::new(plan(), &directory(), d(2024, 4, 30)).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("date_in_future", Some("$.created_on"))
    );
}

#[test]
fn monitoring_moves_the_due_date_and_checks_goals_and_dates() {
    let mut h = history();
    let today = d(2024, 12, 31);
    let next = h
        .record_monitoring(record(d(2024, 6, 3), MonitoringDecision::Continue), today)
        .unwrap();
    assert_eq!(next, Some(d(2024, 7, 3)));
    let before = h.clone();

    let mut bad = record(d(2024, 7, 1), MonitoringDecision::Continue);
    bad.progress[1].goal = "ghost".into();
    let e = h.record_monitoring(bad, today).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("unknown_goal", Some("$.progress[1].goal"))
    );

    let mut dup = record(d(2024, 7, 1), MonitoringDecision::Continue);
    dup.progress[1].goal = "st1".into();
    assert_eq!(
        h.record_monitoring(dup, today).unwrap_err().code(),
        "duplicate_id"
    );

    let e = h
        .record_monitoring(record(d(2024, 6, 2), MonitoringDecision::Continue), today)
        .unwrap_err();
    assert_eq!(e.code(), "monitoring_out_of_order");

    let e = h
        .record_monitoring(record(d(2025, 1, 1), MonitoringDecision::Continue), today)
        .unwrap_err();
    assert_eq!(e.code(), "date_in_future");
    assert_eq!(h, before, "rejected records change nothing");

    h.record_monitoring(record(d(2024, 7, 5), MonitoringDecision::Replan), today)
        .unwrap();
    assert_eq!(h.current().next_monitoring_due(), None);
    let e = h
        .record_monitoring(record(d(2024, 7, 6), MonitoringDecision::Continue), today)
        .unwrap_err();
    assert_eq!(e.code(), "monitoring_concluded");
}

#[test]
fn monitoring_before_the_plan_or_without_consent_is_rejected() {
    let mut h = history();
    let e = h
        .record_monitoring(
            record(d(2024, 4, 30), MonitoringDecision::Continue),
            d(2024, 6, 1),
        )
        .unwrap_err();
    assert_eq!(e.code(), "monitoring_before_plan");

    let mut p = plan();
    p.consent = None;
    let mut h = PlanHistory::new(p, &directory(), d(2024, 5, 1)).unwrap();
    assert_eq!(h.current().next_monitoring_due(), None);
    let e = h
        .record_monitoring(
            record(d(2024, 6, 1), MonitoringDecision::Continue),
            d(2024, 6, 1),
        )
        .unwrap_err();
    assert_eq!(e.code(), "plan_not_consented");
    let e = h
        .record_consent(
            PlanConsent {
                on: d(2024, 4, 30),
                method: ConsentMethod::Verbal,
            },
            d(2024, 6, 1),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("invalid_plan", Some("$.on"))
    );
    h.record_consent(
        PlanConsent {
            on: d(2024, 5, 2),
            method: ConsentMethod::Verbal,
        },
        d(2024, 6, 1),
    )
    .unwrap();
    assert_eq!(h.current().next_monitoring_due(), Some(d(2024, 6, 1)));
    let e = h
        .record_consent(
            PlanConsent {
                on: d(2024, 5, 3),
                method: ConsentMethod::Signature,
            },
            d(2024, 6, 1),
        )
        .unwrap_err();
    assert_eq!(e.code(), "already_consented");
}

fn version2() -> SupportPlan {
    let mut p = plan();
    p.version = 2;
    p.created_on = d(2024, 7, 10);
    p.consent = None;
    p.short_term_goals = vec![goal("st3", Some(d(2024, 10, 31)))];
    p.actions.retain(|a| a.goals.is_empty());
    p.monitoring.first_on = d(2024, 8, 1);
    p
}

#[test]
fn replan_creates_the_next_version_and_keeps_the_old_one() {
    let mut h = history();
    let today = d(2024, 12, 31);
    h.record_monitoring(record(d(2024, 7, 5), MonitoringDecision::Replan), today)
        .unwrap();
    let v1 = h.current().clone();

    h.replan(version2(), &directory(), today).unwrap();
    assert_eq!(h.versions().len(), 2);
    assert_eq!(h.current().version, 2);
    assert_eq!(h.version(1), Some(&v1), "version 1 is unchanged");
    assert_eq!(h.version(0), None);
    assert_eq!(h.version(3), None);

    // Monitoring now applies to version 2 and its goals only.
    h.record_consent(
        PlanConsent {
            on: d(2024, 7, 10),
            method: ConsentMethod::Signature,
        },
        today,
    )
    .unwrap();
    let e = h
        .record_monitoring(record(d(2024, 8, 1), MonitoringDecision::Continue), today)
        .unwrap_err();
    assert_eq!(e.code(), "unknown_goal", "st1 belongs to version 1");
    let mut r = record(d(2024, 8, 1), MonitoringDecision::Continue);
    r.progress = vec![GoalProgress {
        goal: "st3".into(),
        progress: Progress::Stalled,
        note: None,
    }];
    h.record_monitoring(r, today).unwrap();
    assert_eq!(h.version(1), Some(&v1));
    assert_eq!(h.current().records.len(), 1);
}

#[test]
fn replan_rejects_wrong_version_id_or_dates() {
    let mut h = history();
    let today = d(2024, 12, 31);
    h.record_monitoring(record(d(2024, 7, 15), MonitoringDecision::Replan), today)
        .unwrap();
    let before = h.clone();

    let mut p = version2();
    p.version = 3;
    assert_eq!(
        h.replan(p, &directory(), today).unwrap_err().code(),
        "plan_version_conflict"
    );
    let mut p = version2();
    p.case = "c2".into();
    assert_eq!(
        h.replan(p, &directory(), today).unwrap_err().code(),
        "plan_mismatch"
    );
    // Before the latest monitoring of version 1 (2024-07-15).
    let e = h.replan(version2(), &directory(), today).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("invalid_plan", Some("$.created_on"))
    );
    assert_eq!(h, before);
}

#[test]
fn history_round_trips_and_checks_on_the_way_in() {
    let mut h = history();
    h.record_monitoring(
        record(d(2024, 7, 5), MonitoringDecision::Replan),
        d(2024, 12, 31),
    )
    .unwrap();
    h.replan(version2(), &directory(), d(2024, 12, 31)).unwrap();
    let text = serde_json::to_string(&h).unwrap();
    let back: PlanHistory = serde_json::from_str(&text).unwrap();
    assert_eq!(back, h);

    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["versions"][1]["version"] = 5.into();
    assert!(serde_json::from_value::<PlanHistory>(doc).is_err());
    assert!(serde_json::from_str::<PlanHistory>(r#"{"versions":[]}"#).is_err());
}

#[test]
fn overdue_monitoring_on_given_dates() {
    let mut a = plan(); // due 2024-06-01
    a.id = "pa".into();
    let mut b = plan();
    b.id = "pb".into();
    b.case = "c2".into();
    b.records
        .push(record(d(2024, 6, 5), MonitoringDecision::Continue)); // due 2024-07-05
    let mut unconsented = plan();
    unconsented.id = "pc".into();
    unconsented.consent = None;
    let mut closed = plan();
    closed.id = "pd".into();
    closed
        .records
        .push(record(d(2024, 6, 1), MonitoringDecision::Close));
    // Version 1 of "pe" is long overdue but version 2 is current and not yet due.
    let mut e1 = plan();
    e1.id = "pe".into();
    let mut e2 = e1.clone();
    e2.version = 2;
    e2.monitoring.first_on = d(2024, 9, 1);
    let all = [
        e2.clone(),
        a.clone(),
        b.clone(),
        unconsented,
        closed,
        e1.clone(),
    ];

    assert!(
        overdue_monitoring(&all, d(2024, 6, 1)).is_empty(),
        "due today is not overdue"
    );
    let o = overdue_monitoring(&all, d(2024, 6, 2));
    assert_eq!(
        o,
        vec![OverdueMonitoring {
            plan: "pa".into(),
            version: 1,
            case: "c1".into(),
            due_on: d(2024, 6, 1),
            days_overdue: 1,
        }]
    );
    let o = overdue_monitoring(&all, d(2024, 7, 10));
    let got: Vec<_> = o
        .iter()
        .map(|x| (x.plan.as_str(), x.days_overdue))
        .collect();
    assert_eq!(got, vec![("pa", 39), ("pb", 5)]);
    let o = overdue_monitoring(&all, d(2024, 9, 3));
    let got: Vec<_> = o
        .iter()
        .map(|x| (x.plan.as_str(), x.version, x.days_overdue))
        .collect();
    assert_eq!(got, vec![("pa", 1, 94), ("pb", 1, 60), ("pe", 2, 2)]);
}

#[test]
fn serde_shapes_are_stable() {
    let mut h = history();
    h.record_monitoring(
        record(d(2024, 6, 3), MonitoringDecision::Continue),
        d(2024, 6, 3),
    )
    .unwrap();
    insta::assert_json_snapshot!("plan_history", h);
    insta::assert_json_snapshot!("overdue", overdue_monitoring(h.versions(), d(2024, 7, 10)));
}

fn with_due_action() -> SupportPlan {
    let mut p = plan();
    p.actions[0].due_on = Some(d(2024, 5, 10));
    p
}

#[test]
fn actions_carry_due_and_done_dates_and_are_completed_once() {
    let mut h = PlanHistory::new(with_due_action(), &directory(), d(2024, 5, 1)).unwrap();
    assert_eq!(h.current().action(&"a1".into()).unwrap().done_on, None);
    // Unknown action, date before the plan, date after today: nothing changes.
    let before = h.clone();
    let e = h
        .complete_action(&"zz".into(), d(2024, 5, 9), d(2024, 5, 9))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("unknown_action", Some("$.action"))
    );
    let e = h
        .complete_action(&"a1".into(), d(2024, 4, 30), d(2024, 5, 9))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("invalid_plan", Some("$.on"))
    );
    let e = h
        .complete_action(&"a1".into(), d(2024, 5, 10), d(2024, 5, 9))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("date_in_future", Some("$.on"))
    );
    assert_eq!(h, before);
    h.complete_action(&"a1".into(), d(2024, 5, 9), d(2024, 5, 9))
        .unwrap();
    assert_eq!(
        h.current().action(&"a1".into()).unwrap().done_on,
        Some(d(2024, 5, 9))
    );
    let e = h
        .complete_action(&"a1".into(), d(2024, 5, 12), d(2024, 5, 12))
        .unwrap_err();
    assert_eq!(e.code(), "action_already_done");
    assert_eq!(
        h.current().action(&"a1".into()).unwrap().done_on,
        Some(d(2024, 5, 9)),
        "the first done date is kept"
    );
}

#[test]
fn action_dates_are_checked_with_paths() {
    let mut p = plan();
    p.actions[1].due_on = Some(d(2024, 4, 1));
    invalid_at(p, "invalid_plan", "$.actions[1].due_on");
    let mut p = plan();
    p.actions[2].done_on = Some(d(2024, 4, 1));
    invalid_at(p, "invalid_plan", "$.actions[2].done_on");
    let mut p = plan();
    p.actions[2].done_on = Some(d(2024, 5, 2));
    let e = PlanHistory::new(p, &directory(), d(2024, 5, 1)).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("date_in_future", Some("$.actions[2].done_on"))
    );
}

#[test]
fn plans_without_due_dates_keep_their_wire_form() {
    // A plan written before actions had due and done dates parses, and writes back the same.
    let text = serde_json::to_string(&plan()).unwrap();
    assert!(!text.contains("due_on") && !text.contains("done_on") && !text.contains("closure"));
    let back: SupportPlan = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    let text = serde_json::to_string(&with_due_action()).unwrap();
    assert!(text.contains(r#""due_on":"2024-05-10""#));
}

fn closure() -> Closure {
    Closure {
        case: "c1".into(),
        reason: "resolved".into(),
        referral: None,
        evaluation: Evaluation {
            goals_met: GoalAttainment::Met,
            person_view: "生活が落ち着いた".into(),
            worker_view: None,
            follow_up: Some(PostClosureFollowUp {
                due_on: Some(d(2024, 9, 1)),
                by: None,
                note: None,
            }),
        },
    }
}

#[test]
fn a_closure_belongs_to_a_close_decision_of_the_plans_case() {
    let h = history();
    let at = |r: MonitoringRecord| {
        let mut h = h.clone();
        let e = h.record_monitoring(r, d(2024, 6, 30)).unwrap_err();
        assert_eq!(h, history(), "nothing changes");
        (e.code(), e.path())
    };
    let mut r = record(d(2024, 6, 3), MonitoringDecision::Continue);
    r.closure = Some(closure());
    assert_eq!(at(r), ("invalid_plan", Some("$.closure".into())));
    let mut r = record(d(2024, 6, 3), MonitoringDecision::Close);
    let mut c = closure();
    c.case = "other".into();
    r.closure = Some(c);
    assert_eq!(at(r), ("invalid_plan", Some("$.closure.case".into())));
    let mut r = record(d(2024, 6, 3), MonitoringDecision::Close);
    let mut c = closure();
    c.evaluation.person_view = " ".into();
    r.closure = Some(c);
    assert_eq!(
        at(r),
        (
            "invalid_plan",
            Some("$.closure.evaluation.person_view".into())
        )
    );
    let mut r = record(d(2024, 6, 3), MonitoringDecision::Close);
    let mut c = closure();
    c.evaluation.follow_up.as_mut().unwrap().due_on = Some(d(2024, 6, 2));
    r.closure = Some(c);
    assert_eq!(
        at(r),
        (
            "invalid_plan",
            Some("$.closure.evaluation.follow_up.due_on".into())
        )
    );
    let mut r = record(d(2024, 6, 3), MonitoringDecision::Close);
    r.closure = Some(closure());
    let mut h2 = h.clone();
    assert_eq!(h2.record_monitoring(r, d(2024, 6, 30)).unwrap(), None);
    assert!(h2.current().records[0].closure.is_some());
}
