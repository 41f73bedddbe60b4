use super::*;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn task(id: &str, kind: TaskKind, tier: Tier, due: &str) -> Task {
    Task {
        id: id.into(),
        kind,
        params: BTreeMap::new(),
        case: Some("c1".into()),
        household: None,
        agency: Some("win".into()),
        worker: None,
        due_on: d(due),
        done_on: None,
        tier,
    }
}

#[test]
fn sections_split_on_the_day_and_the_horizon() {
    let tasks = vec![
        task("late", TaskKind::PlanAction, Tier::Routine, "2024-05-01"),
        task("today", TaskKind::PlanAction, Tier::Routine, "2024-05-10"),
        task("sixth", TaskKind::PlanAction, Tier::Routine, "2024-05-16"),
        task("seventh", TaskKind::PlanAction, Tier::Routine, "2024-05-17"),
    ];
    let w = worklist(&tasks, &WorklistQuery::on(d("2024-05-10")), &NoTeams);
    let ids = |v: &[WorklistEntry]| v.iter().map(|e| e.task.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&w.overdue), ["late"]);
    assert_eq!(w.overdue[0].days_overdue, 9);
    assert_eq!(ids(&w.due_today), ["today"]);
    assert_eq!(
        ids(&w.due_this_week),
        ["sixth"],
        "a rolling week: today + 6 days"
    );
    assert_eq!(w.due_this_week[0].days_overdue, -6);
    let mut q = WorklistQuery::on(d("2024-05-10"));
    q.horizon_days = 1;
    assert!(worklist(&tasks, &q, &NoTeams).due_this_week.is_empty());
}

#[test]
fn risk_outranks_lateness_then_the_most_overdue_first() {
    let tasks = vec![
        task(
            "paper",
            TaskKind::ConsentRenewal,
            Tier::Paperwork,
            "2024-04-01",
        ),
        task("old", TaskKind::MonitoringDue, Tier::Routine, "2024-04-20"),
        task("older", TaskKind::PlanAction, Tier::Routine, "2024-04-10"),
        task(
            "visit-a",
            TaskKind::WatchingOverVisit,
            Tier::Urgent,
            "2024-05-09",
        ),
        task(
            "same-day-action",
            TaskKind::PlanAction,
            Tier::Routine,
            "2024-04-20",
        ),
    ];
    let w = worklist(&tasks, &WorklistQuery::on(d("2024-05-10")), &NoTeams);
    let ids: Vec<_> = w.overdue.iter().map(|e| e.task.id.as_str()).collect();
    assert_eq!(
        ids,
        ["visit-a", "older", "old", "same-day-action", "paper"],
        "tier, then due date, then kind order"
    );
    // Deterministic whatever the input order.
    let mut rev = tasks.clone();
    rev.reverse();
    assert_eq!(
        worklist(&rev, &WorklistQuery::on(d("2024-05-10")), &NoTeams),
        w
    );
}

struct Team;
impl CaseTeams for Team {
    fn is_on_team(&self, case: &crate::ids::CaseId, worker: &crate::ids::WorkerId) -> bool {
        case.as_str() == "c1" && worker.as_str() == "w1"
    }
}

#[test]
fn filters_on_agency_case_worker_and_done() {
    let mut mine = task("mine", TaskKind::PlanAction, Tier::Routine, "2024-05-10");
    mine.worker = Some("w1".into());
    let mut theirs = task("theirs", TaskKind::PlanAction, Tier::Routine, "2024-05-10");
    theirs.worker = Some("w2".into());
    let unnamed = task(
        "unnamed",
        TaskKind::MonitoringDue,
        Tier::Routine,
        "2024-05-10",
    );
    let mut other_agency = task(
        "elsewhere",
        TaskKind::PlanAction,
        Tier::Routine,
        "2024-05-10",
    );
    other_agency.agency = Some("ward".into());
    let mut done = task("done", TaskKind::PlanAction, Tier::Routine, "2024-05-01");
    done.done_on = Some(d("2024-05-02"));
    let mut no_case = task(
        "no-case",
        TaskKind::WatchingOverVisit,
        Tier::Urgent,
        "2024-05-10",
    );
    no_case.case = None;
    no_case.agency = None;
    let tasks = vec![mine, theirs, unnamed, other_agency, done, no_case];
    let ids = |q: &WorklistQuery, teams: &dyn CaseTeams| {
        worklist(&tasks, q, teams)
            .entries()
            .map(|e| e.task.id.clone())
            .collect::<Vec<_>>()
    };
    let mut q = WorklistQuery::on(d("2024-05-10"));
    assert_eq!(
        ids(&q, &NoTeams),
        ["no-case", "unnamed", "elsewhere", "mine", "theirs"]
    );
    q.agency = Some("win".into());
    assert_eq!(ids(&q, &NoTeams), ["unnamed", "mine", "theirs"]);
    q.worker = Some("w1".into());
    assert_eq!(
        ids(&q, &NoTeams),
        ["mine"],
        "no teams: only tasks naming w1"
    );
    assert_eq!(
        ids(&q, &Team),
        ["unnamed", "mine"],
        "w1 holds c1: its unnamed tasks too"
    );
    q.worker = None;
    q.case = Some("c2".into());
    assert!(ids(&q, &NoTeams).is_empty());
}

#[test]
fn builtin_labels_cover_every_code_and_render_parameters() {
    let l = TaskLabels::builtin();
    assert!(l.is_complete());
    let mut t = task("x", TaskKind::PlanAction, Tier::Routine, "2024-05-10");
    t.params
        .insert("what".into(), "生活保護の申請に同行する".into());
    assert_eq!(l.render(&t, Lang::Ja), "支援内容：生活保護の申請に同行する");
    assert_eq!(
        l.render(&t, Lang::En),
        "Plan action: 生活保護の申請に同行する"
    );
    assert_eq!(l.section("overdue", Lang::Ja), Some("期限超過"));
    assert_eq!(l.section("nope", Lang::Ja), None);
    assert_eq!(l.tier(Tier::Urgent, Lang::En), "Urgent");
    for k in TaskKind::ALL {
        assert!(!l.kind(k, Lang::Ja).is_empty() && !l.kind(k, Lang::En).is_empty());
        let wire = serde_json::to_value(k).unwrap();
        assert_eq!(wire, serde_json::json!(k.code()));
    }
}

#[test]
fn a_municipality_replaces_labels_and_unknown_codes_are_refused() {
    let l = TaskLabels::builtin()
        .extended_json(
            r#"{"kinds":[{"code":"carry_over","ja":"年度更新の確認","en":"Year-end check"}]}"#,
        )
        .unwrap();
    assert_eq!(l.kind(TaskKind::CarryOver, Lang::Ja), "年度更新の確認");
    assert!(l.is_complete());
    let e = TaskLabels::builtin()
        .extended_json(r#"{"tiers":[{"code":"meh","ja":"x","en":"x"}]}"#)
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("unknown_code", Some("$.tiers[0].code"))
    );
    let e = TaskLabels::builtin().extended_json("{").unwrap_err();
    assert_eq!(e.kind(), crate::error::ErrorKind::Document);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn arb_task() -> impl Strategy<Value = Task> {
        (
            0usize..11,
            0usize..4,
            0i64..40,
            proptest::option::of(0i64..40),
            0usize..3,
            proptest::option::of(0usize..2),
            0u32..1000,
        )
            .prop_map(|(k, t, due, done, case, worker, n)| Task {
                id: format!("t{n}"),
                kind: TaskKind::ALL[k],
                params: BTreeMap::new(),
                case: (case > 0).then(|| format!("c{case}").into()),
                household: None,
                agency: Some(if case == 2 { "b" } else { "a" }.into()),
                worker: worker.map(|w| format!("w{w}").into()),
                due_on: d("2024-05-01") + chrono::Duration::days(due),
                done_on: done.map(|x| d("2024-05-01") + chrono::Duration::days(x)),
                tier: [Tier::Urgent, Tier::High, Tier::Routine, Tier::Paperwork][t],
            })
    }

    proptest! {
        #[test]
        fn every_open_task_in_the_horizon_is_listed_once_in_order(
            tasks in proptest::collection::vec(arb_task(), 0..30),
            day in 0i64..40,
            horizon in 1u32..10,
        ) {
            let on = d("2024-05-01") + chrono::Duration::days(day);
            let mut q = WorklistQuery::on(on);
            q.horizon_days = horizon;
            let w = worklist(&tasks, &q, &NoTeams);
            let expected = tasks
                .iter()
                .filter(|t| t.is_open() && (t.due_on - on).num_days() < i64::from(horizon))
                .count();
            prop_assert_eq!(w.entries().count(), expected);
            for e in &w.overdue {
                prop_assert!(e.days_overdue > 0 && e.task.is_open());
            }
            for e in &w.due_today {
                prop_assert!(e.days_overdue == 0);
            }
            for e in &w.due_this_week {
                prop_assert!(e.days_overdue < 0);
            }
            for section in [&w.overdue, &w.due_today, &w.due_this_week] {
                for pair in section.windows(2) {
                    let (a, b) = (&pair[0].task, &pair[1].task);
                    prop_assert!((a.tier, a.due_on) <= (b.tier, b.due_on));
                }
            }
            let mut rev = tasks.clone();
            rev.reverse();
            prop_assert_eq!(worklist(&rev, &q, &NoTeams), w.clone());
            // Filters only remove: an agency's list is a part of the whole.
            q.agency = Some("a".into());
            let part = worklist(&tasks, &q, &NoTeams);
            prop_assert!(part.entries().all(|e| e.task.agency.as_ref().is_some_and(|a| a.as_str() == "a")));
            prop_assert!(part.entries().count() <= w.entries().count());
        }
    }
}
