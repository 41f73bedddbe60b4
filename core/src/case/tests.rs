use super::*;
use crate::coded::Coded;
use crate::plan::PlanStatus;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const A: &str = "window_a";
const B: &str = "window_b";
const C: &str = "window_c";

fn ctx() -> SimpleContext {
    let mut ctx = SimpleContext::with_agencies([A, B, C]);
    ctx.referrals = vec![
        AcceptedReferral {
            id: "r_ab".into(),
            case: "c1".into(),
            from: A.into(),
            to: B.into(),
            accepted_on: d(2024, 5, 10),
        },
        AcceptedReferral {
            id: "r_ba".into(),
            case: "c1".into(),
            from: B.into(),
            to: A.into(),
            accepted_on: d(2024, 5, 10),
        },
        AcceptedReferral {
            id: "r_other_case".into(),
            case: "c2".into(),
            from: A.into(),
            to: B.into(),
            accepted_on: d(2024, 5, 10),
        },
    ];
    ctx.plans = vec![
        PlanStatus {
            plan: "p1".into(),
            case: "c1".into(),
            version: 1,
            consented_on: Some(d(2024, 5, 1)),
        },
        PlanStatus {
            plan: "p_unconsented".into(),
            case: "c1".into(),
            version: 1,
            consented_on: None,
        },
        PlanStatus {
            plan: "p_other".into(),
            case: "c2".into(),
            version: 1,
            consented_on: Some(d(2024, 5, 1)),
        },
    ];
    ctx
}

fn intake(on: NaiveDate) -> Intake {
    Intake {
        channel: "phone".into(),
        receiving_window: A.into(),
        chief_complaint: "生活費が足りない".into(),
        on,
    }
}

fn assessment(on: NaiveDate, urgency: Urgency) -> Assessment {
    Assessment {
        on,
        issues: vec![
            MemberIssues {
                member: Some("p_mother".into()),
                issues: vec!["income_living_costs".into()],
            },
            MemberIssues {
                member: None,
                issues: vec!["housing".into()],
            },
        ],
        strengths: vec!["近所に頼れる友人がいる".into()],
        wishes: "子どもと暮らし続けたい".into(),
        urgency,
    }
}

const OPEN: (i32, u32, u32) = (2024, 4, 15);

fn open() -> Case {
    Case::open_intake(
        "c1".into(),
        "h1".into(),
        "p_mother".into(),
        A.into(),
        intake(d(OPEN.0, OPEN.1, OPEN.2)),
        &ctx(),
        d(2024, 4, 15),
    )
    .unwrap()
}

/// Apply in sequence, all dated `today` unless they carry their own date; panics on rejection.
fn run(case: &mut Case, cmds: &[CaseCommand], today: NaiveDate) {
    for c in cmds {
        case.apply(c, &ctx(), today)
            .unwrap_or_else(|e| panic!("{} rejected: {} ({})", c.action(), e, e.code()));
    }
}

/// Assert `cmd` is rejected with `code` and leaves the case byte-identical.
fn rejected(case: &mut Case, cmd: &CaseCommand, today: NaiveDate, code: &str) -> CaseError {
    let before = serde_json::to_string(case).unwrap();
    let err = case.apply(cmd, &ctx(), today).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(serde_json::to_string(case).unwrap(), before);
    err
}

fn assessed() -> Case {
    let mut c = open();
    run(
        &mut c,
        &[
            CaseCommand::BeginAssessment,
            CaseCommand::RecordAssessment {
                assessment: assessment(d(2024, 4, 20), Urgency::Normal),
            },
        ],
        d(2024, 4, 20),
    );
    c
}

fn decided(outcome: Outcome) -> Case {
    let mut c = assessed();
    run(&mut c, &[CaseCommand::Decide { outcome }], d(2024, 5, 12));
    c
}

fn close(reason: &str, on: NaiveDate, referral: Option<&str>) -> CaseCommand {
    CaseCommand::Close {
        reason: reason.into(),
        on,
        referral: referral.map(Into::into),
    }
}

#[test]
fn open_intake_starts_in_intake_with_its_fiscal_year() {
    let c = open();
    assert_eq!(c.state(), &CaseState::Intake);
    assert_eq!(c.responsible_window().as_str(), A);
    assert_eq!(c.fiscal_years(), &[2024]);
    assert_eq!(c.opened_on(), d(2024, 4, 15));
    assert!(c.history().is_empty());
    assert_eq!(c.intake().unwrap().channel.as_str(), "phone");
}

#[test]
fn opening_in_march_belongs_to_the_previous_fiscal_year() {
    assert_eq!(fiscal_year_of(d(2025, 3, 31)), 2024);
    assert_eq!(fiscal_year_of(d(2025, 4, 1)), 2025);
    let c = Case::open_intake(
        "c1".into(),
        "h1".into(),
        "p".into(),
        A.into(),
        intake(d(2025, 3, 31)),
        &ctx(),
        d(2025, 3, 31),
    )
    .unwrap();
    assert_eq!(c.fiscal_years(), &[2024]);
}

#[test]
fn open_intake_rejects_bad_input_with_paths() {
    let open_with = |window: &str, intake: Intake, today| {
        Case::open_intake(
            "c1".into(),
            "h1".into(),
            "p".into(),
            window.into(),
            intake,
            &ctx(),
            today,
        )
        .unwrap_err()
    };
    let today = d(2024, 4, 15);
    let e = open_with("nowhere", intake(today), today);
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("unknown_agency", Some("$.responsible_window"))
    );
    let mut i = intake(today);
    i.receiving_window = "nowhere".into();
    let e = open_with(A, i, today);
    assert_eq!(e.path().as_deref(), Some("$.intake.receiving_window"));
    let mut i = intake(today);
    i.channel = "carrier_pigeon".into();
    let e = open_with(A, i, today);
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("unknown_code", Some("$.intake.channel"))
    );
    let mut i = intake(today);
    i.chief_complaint = "  ".into();
    let e = open_with(A, i, today);
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("missing_text", Some("$.intake.chief_complaint"))
    );
    let e = open_with(A, intake(d(2024, 4, 16)), today);
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("date_in_future", Some("$.intake.on"))
    );
}

#[test]
fn outreach_case_engages_then_follows_intake() {
    let today = d(2024, 6, 1);
    let mut c = Case::open_outreach(
        "c1".into(),
        "h1".into(),
        "p_son".into(),
        A.into(),
        Outreach {
            on: d(2024, 5, 1),
            source: "community_report".into(),
            concern: "長期間外出していない様子".into(),
        },
        &ctx(),
        today,
    )
    .unwrap();
    assert_eq!(c.state(), &CaseState::Outreach);
    assert!(c.intake().is_none());
    rejected(
        &mut c,
        &CaseCommand::BeginAssessment,
        today,
        "illegal_transition",
    );
    let mut early = intake(d(2024, 4, 30));
    early.channel = "outreach".into();
    rejected(
        &mut c,
        &CaseCommand::Engage { intake: early },
        today,
        "date_before_last_event",
    );
    let t = c
        .apply(
            &CaseCommand::Engage {
                intake: intake(d(2024, 5, 20)),
            },
            &ctx(),
            today,
        )
        .unwrap();
    assert_eq!(
        t,
        Transition {
            on: d(2024, 5, 20),
            from: CaseStateKind::Outreach,
            to: CaseStateKind::Intake,
            action: CaseAction::Engage
        }
    );
    assert_eq!(c.intake().unwrap().on, d(2024, 5, 20));
    assert_eq!(c.opened_on(), d(2024, 5, 1));
    rejected(
        &mut c,
        &CaseCommand::Engage {
            intake: intake(d(2024, 5, 21)),
        },
        today,
        "illegal_transition",
    );
}

#[test]
fn outreach_with_unknown_source_is_rejected() {
    let e = Case::open_outreach(
        "c1".into(),
        "h1".into(),
        "p".into(),
        A.into(),
        Outreach {
            on: d(2024, 5, 1),
            source: "rumour".into(),
            concern: "x".into(),
        },
        &ctx(),
        d(2024, 5, 1),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("unknown_code", Some("$.outreach.source"))
    );
}

#[test]
fn continuing_support_runs_through_plan_monitoring_replan_and_closure() {
    let mut c = decided(Outcome::ContinuingSupport);
    assert_eq!(c.state(), &CaseState::Planning);
    assert_eq!(c.outcome(), Some(Outcome::ContinuingSupport));
    let today = d(2024, 6, 1);
    run(
        &mut c,
        &[
            CaseCommand::AdoptPlan { plan: "p1".into() },
            CaseCommand::StartMonitoring,
            CaseCommand::ContinueSupport,
            CaseCommand::StartMonitoring,
            CaseCommand::Replan,
            CaseCommand::AdoptPlan { plan: "p1".into() },
            CaseCommand::StartMonitoring,
            close("resolved", today, None),
        ],
        today,
    );
    assert_eq!(
        c.state(),
        &CaseState::Closed {
            reason: "resolved".into(),
            on: today
        }
    );
    assert_eq!(c.plan().map(PlanId::as_str), Some("p1"));
    let kinds: Vec<_> = c.history().iter().map(|t| (t.action, t.to)).collect();
    use CaseAction as A_;
    use CaseStateKind as S;
    assert_eq!(
        kinds,
        vec![
            (A_::BeginAssessment, S::Assessment),
            (A_::RecordAssessment, S::Assessment),
            (A_::Decide, S::Planning),
            (A_::AdoptPlan, S::Active),
            (A_::StartMonitoring, S::Monitoring),
            (A_::ContinueSupport, S::Active),
            (A_::StartMonitoring, S::Monitoring),
            (A_::Replan, S::Planning),
            (A_::AdoptPlan, S::Active),
            (A_::StartMonitoring, S::Monitoring),
            (A_::Close, S::Closed),
        ]
    );
}

#[test]
fn each_state_rejects_commands_it_does_not_accept() {
    let today = d(2024, 6, 1);
    // Intake: no decide, no adopt, no monitoring, no reopen.
    let mut c = open();
    for cmd in [
        CaseCommand::Decide {
            outcome: Outcome::InformationOnly,
        },
        CaseCommand::AdoptPlan { plan: "p1".into() },
        CaseCommand::StartMonitoring,
        CaseCommand::ContinueSupport,
        CaseCommand::Replan,
        CaseCommand::Reopen { on: today },
        CaseCommand::RecordAssessment {
            assessment: assessment(today, Urgency::Normal),
        },
    ] {
        rejected(&mut c, &cmd, today, "illegal_transition");
    }
    // Planning: no monitoring before a plan is adopted.
    let mut c = decided(Outcome::ContinuingSupport);
    for cmd in [
        CaseCommand::StartMonitoring,
        CaseCommand::ContinueSupport,
        CaseCommand::Replan,
        CaseCommand::BeginAssessment,
    ] {
        rejected(&mut c, &cmd, today, "illegal_transition");
    }
    // Active: no continue/replan without monitoring, no second adoption.
    run(
        &mut c,
        &[CaseCommand::AdoptPlan { plan: "p1".into() }],
        today,
    );
    for cmd in [
        CaseCommand::ContinueSupport,
        CaseCommand::Replan,
        CaseCommand::AdoptPlan { plan: "p1".into() },
    ] {
        rejected(&mut c, &cmd, today, "illegal_transition");
    }
    // HandingOver: no plan.
    let mut c = decided(Outcome::HandedOver);
    rejected(
        &mut c,
        &CaseCommand::AdoptPlan { plan: "p1".into() },
        today,
        "illegal_transition",
    );
}

#[test]
fn illegal_transition_names_case_state_and_action() {
    let mut c = open();
    let e = rejected(
        &mut c,
        &CaseCommand::Replan,
        d(2024, 5, 1),
        "illegal_transition",
    );
    assert_eq!(
        e,
        CaseError::IllegalTransition {
            case: "c1".into(),
            state: CaseStateKind::Intake,
            action: CaseAction::Replan,
        }
    );
    assert_eq!(
        e.to_string(),
        "case `c1`: `replan` is not allowed in state `intake`"
    );
}

#[test]
fn information_only_closes_with_information_provided() {
    let c = decided(Outcome::InformationOnly);
    assert_eq!(
        c.state(),
        &CaseState::Closed {
            reason: INFORMATION_ONLY_REASON.into(),
            on: d(2024, 5, 12)
        }
    );
    assert_eq!(c.outcome(), Some(Outcome::InformationOnly));
}

#[test]
fn immediate_urgency_cannot_end_with_information_only() {
    let mut c = open();
    run(
        &mut c,
        &[
            CaseCommand::BeginAssessment,
            CaseCommand::RecordAssessment {
                assessment: assessment(d(2024, 4, 20), Urgency::Immediate),
            },
        ],
        d(2024, 4, 20),
    );
    rejected(
        &mut c,
        &CaseCommand::Decide {
            outcome: Outcome::InformationOnly,
        },
        d(2024, 4, 20),
        "urgent_information_only",
    );
    run(
        &mut c,
        &[CaseCommand::Decide {
            outcome: Outcome::ContinuingSupport,
        }],
        d(2024, 4, 20),
    );
}

#[test]
fn decide_needs_a_fresh_assessment() {
    let mut c = open();
    run(&mut c, &[CaseCommand::BeginAssessment], d(2024, 4, 20));
    let decide = CaseCommand::Decide {
        outcome: Outcome::InformationOnly,
    };
    rejected(&mut c, &decide, d(2024, 4, 20), "assessment_required");
    run(
        &mut c,
        &[
            CaseCommand::RecordAssessment {
                assessment: assessment(d(2024, 4, 20), Urgency::Normal),
            },
            decide.clone(),
            CaseCommand::Reopen { on: d(2024, 7, 1) },
        ],
        d(2024, 7, 1),
    );
    assert_eq!(c.state(), &CaseState::Assessment);
    // The assessment from before the reopening does not count.
    rejected(&mut c, &decide, d(2024, 7, 1), "assessment_required");
    run(
        &mut c,
        &[
            CaseCommand::RecordAssessment {
                assessment: assessment(d(2024, 7, 2), Urgency::High),
            },
            decide,
        ],
        d(2024, 7, 2),
    );
    assert_eq!(c.state().kind(), CaseStateKind::Closed);
}

#[test]
fn record_assessment_checks_issue_codes_and_wishes() {
    let mut c = open();
    run(&mut c, &[CaseCommand::BeginAssessment], d(2024, 4, 20));
    let mut a = assessment(d(2024, 4, 20), Urgency::Normal);
    a.issues[1].issues.push("not_a_code".into());
    let e = rejected(
        &mut c,
        &CaseCommand::RecordAssessment { assessment: a },
        d(2024, 4, 20),
        "unknown_code",
    );
    assert_eq!(
        e.path().as_deref(),
        Some("$.assessment.issues[1].issues[1]")
    );
    let mut a = assessment(d(2024, 4, 20), Urgency::Normal);
    a.wishes = String::new();
    let e = rejected(
        &mut c,
        &CaseCommand::RecordAssessment { assessment: a },
        d(2024, 4, 20),
        "missing_text",
    );
    assert_eq!(e.path().as_deref(), Some("$.assessment.wishes"));
}

#[test]
fn adopt_plan_checks_existence_case_and_consent() {
    let mut c = decided(Outcome::ContinuingSupport);
    let today = d(2024, 6, 1);
    let adopt = |p: &str| CaseCommand::AdoptPlan { plan: p.into() };
    rejected(&mut c, &adopt("p_missing"), today, "unknown_plan");
    rejected(&mut c, &adopt("p_other"), today, "plan_case_mismatch");
    let e = rejected(&mut c, &adopt("p_unconsented"), today, "plan_not_consented");
    assert_eq!(e.path().as_deref(), Some("$.plan"));
    run(&mut c, &[adopt("p1")], today);
    assert_eq!(c.state(), &CaseState::Active);
}

#[test]
fn transferred_closure_requires_an_accepted_referral_from_the_responsible_window() {
    let mut c = decided(Outcome::HandedOver);
    assert_eq!(c.state(), &CaseState::HandingOver);
    let today = d(2024, 6, 1);
    let e = rejected(
        &mut c,
        &close("transferred", today, None),
        today,
        "referral_not_accepted",
    );
    assert_eq!(e.path().as_deref(), Some("$.referral"));
    // Referral in the wrong direction (B → A, while A is responsible).
    rejected(
        &mut c,
        &close("transferred", today, Some("r_ba")),
        today,
        "referral_not_accepted",
    );
    // Referral of another case.
    rejected(
        &mut c,
        &close("transferred", today, Some("r_other_case")),
        today,
        "referral_not_accepted",
    );
    // Unknown reason.
    let e = rejected(
        &mut c,
        &close("not_our_field", today, None),
        today,
        "unknown_code",
    );
    assert_eq!(e.path().as_deref(), Some("$.reason"));
    run(&mut c, &[close("transferred", today, Some("r_ab"))], today);
    assert_eq!(c.state().kind(), CaseStateKind::Closed);
}

#[test]
fn closure_cannot_predate_the_referral_acceptance() {
    let mut c = open();
    run(
        &mut c,
        &[
            CaseCommand::BeginAssessment,
            CaseCommand::RecordAssessment {
                assessment: assessment(d(2024, 4, 20), Urgency::Normal),
            },
            CaseCommand::Decide {
                outcome: Outcome::HandedOver,
            },
        ],
        d(2024, 4, 20),
    );
    // r_ab was accepted on 2024-05-10.
    rejected(
        &mut c,
        &close("transferred", d(2024, 5, 9), Some("r_ab")),
        d(2024, 6, 1),
        "referral_not_accepted",
    );
}

#[test]
fn other_reasons_close_any_open_state_without_referral() {
    let today = d(2024, 6, 1);
    for mut c in [open(), assessed(), decided(Outcome::HandedOver)] {
        run(&mut c, &[close("person_declined", today, None)], today);
        assert_eq!(c.state().kind(), CaseStateKind::Closed);
    }
}

#[test]
fn closed_case_accepts_only_reopen() {
    let today = d(2024, 6, 1);
    let mut c = decided(Outcome::InformationOnly);
    for cmd in sample_commands(today) {
        if matches!(cmd, CaseCommand::Reopen { .. }) {
            continue;
        }
        rejected(&mut c, &cmd, today, "illegal_transition");
    }
    run(&mut c, &[CaseCommand::Reopen { on: today }], today);
    assert_eq!(c.state(), &CaseState::Assessment);
    // The latest decision is kept until the next one.
    assert_eq!(c.outcome(), Some(Outcome::InformationOnly));
}

#[test]
fn reopening_in_a_later_fiscal_year_records_that_year() {
    let mut c = decided(Outcome::InformationOnly);
    run(
        &mut c,
        &[CaseCommand::Reopen { on: d(2026, 5, 1) }],
        d(2026, 5, 1),
    );
    assert_eq!(c.fiscal_years(), &[2024, 2026]);
    let mut c = decided(Outcome::InformationOnly);
    run(
        &mut c,
        &[CaseCommand::Reopen { on: d(2025, 3, 1) }],
        d(2025, 3, 1),
    );
    assert_eq!(c.fiscal_years(), &[2024]);
}

#[test]
fn handing_over_returns_to_assessment_when_the_referral_comes_back() {
    let mut c = decided(Outcome::HandedOver);
    run(&mut c, &[CaseCommand::BeginAssessment], d(2024, 6, 1));
    assert_eq!(c.state(), &CaseState::Assessment);
    assert_eq!(c.responsible_window().as_str(), A);
}

#[test]
fn transfer_moves_responsibility_only_with_a_matching_accepted_referral() {
    let today = d(2024, 6, 1);
    let transfer = |to: &str, r: &str| CaseCommand::TransferResponsibility {
        to: to.into(),
        referral: r.into(),
    };
    let mut c = decided(Outcome::HandedOver);
    let e = rejected(
        &mut c,
        &transfer("nowhere", "r_ab"),
        today,
        "unknown_agency",
    );
    assert_eq!(e.path().as_deref(), Some("$.to"));
    rejected(&mut c, &transfer(A, "r_ab"), today, "same_window");
    rejected(&mut c, &transfer(C, "r_ab"), today, "referral_not_accepted");
    rejected(&mut c, &transfer(B, "r_ba"), today, "referral_not_accepted");
    rejected(
        &mut c,
        &transfer(B, "r_missing"),
        today,
        "referral_not_accepted",
    );
    let t = c.apply(&transfer(B, "r_ab"), &ctx(), today).unwrap();
    assert_eq!(
        (t.from, t.to),
        (CaseStateKind::HandingOver, CaseStateKind::Assessment)
    );
    assert_eq!(c.responsible_window().as_str(), B);
    // Now B is responsible: the old A → B referral no longer fits, B → A does.
    rejected(&mut c, &transfer(A, "r_ab"), today, "referral_not_accepted");
    // Transfers outside hand-over keep the state.
    run(
        &mut c,
        &[
            CaseCommand::RecordAssessment {
                assessment: assessment(today, Urgency::Normal),
            },
            CaseCommand::Decide {
                outcome: Outcome::ContinuingSupport,
            },
            CaseCommand::AdoptPlan { plan: "p1".into() },
            transfer(A, "r_ba"),
        ],
        today,
    );
    assert_eq!(c.state(), &CaseState::Active);
    assert_eq!(c.responsible_window().as_str(), A);
}

#[test]
fn carry_over_goes_one_year_at_a_time_and_never_ahead_of_today() {
    let mut c = open();
    let carry = |y| CaseCommand::CarryOver { into: y };
    // Still in FY2024.
    let e = rejected(&mut c, &carry(2025), d(2025, 3, 31), "invalid_carry_over");
    assert_eq!(e.path().as_deref(), Some("$.into"));
    rejected(&mut c, &carry(2024), d(2025, 4, 1), "invalid_carry_over");
    rejected(&mut c, &carry(2023), d(2025, 4, 1), "invalid_carry_over");
    assert_eq!(c.needs_carry_over(d(2025, 3, 31)), None);
    assert_eq!(c.needs_carry_over(d(2025, 4, 1)), Some(2025));
    let t = c.apply(&carry(2025), &ctx(), d(2025, 4, 1)).unwrap();
    assert_eq!(
        (t.from, t.to),
        (CaseStateKind::Intake, CaseStateKind::Intake)
    );
    assert_eq!(c.fiscal_years(), &[2024, 2025]);
    // Skipping a year is refused.
    rejected(&mut c, &carry(2027), d(2027, 4, 1), "invalid_carry_over");
    run(&mut c, &[carry(2026), carry(2027)], d(2027, 4, 1));
    assert_eq!(c.fiscal_years(), &[2024, 2025, 2026, 2027]);
    assert_eq!(c.needs_carry_over(d(2027, 4, 1)), None);
}

#[test]
fn commands_dated_before_the_last_event_or_after_today_are_rejected() {
    let mut c = assessed(); // last event 2024-04-20
    let e = rejected(
        &mut c,
        &close("resolved", d(2024, 4, 19), None),
        d(2024, 6, 1),
        "date_before_last_event",
    );
    assert_eq!(e.path().as_deref(), Some("$.on"));
    // A dateless command on a `today` before the last event.
    let e = rejected(
        &mut c,
        &CaseCommand::Decide {
            outcome: Outcome::HandedOver,
        },
        d(2024, 4, 19),
        "date_before_last_event",
    );
    assert_eq!(e.path(), None);
    let e = rejected(
        &mut c,
        &close("resolved", d(2024, 6, 2), None),
        d(2024, 6, 1),
        "date_in_future",
    );
    assert_eq!(e.path().as_deref(), Some("$.on"));
}

#[test]
fn commands_round_trip_as_tagged_json() {
    let json = r#"{"action":"close","reason":"transferred","on":"2024-06-01","referral":"r_ab"}"#;
    let cmd: CaseCommand = serde_json::from_str(json).unwrap();
    assert_eq!(cmd, close("transferred", d(2024, 6, 1), Some("r_ab")));
    assert_eq!(serde_json::to_string(&cmd).unwrap(), json);
    let cmd: CaseCommand = serde_json::from_str(r#"{"action":"begin_assessment"}"#).unwrap();
    assert_eq!(cmd, CaseCommand::BeginAssessment);
    assert!(
        serde_json::from_str::<CaseCommand>(r#"{"action":"carry_over","into":2025,"x":1}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<CaseCommand>(r#"{"action":"teleport"}"#).is_err());
    for cmd in sample_commands(d(2024, 6, 1)) {
        let text = serde_json::to_string(&cmd).unwrap();
        let tag: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(tag["action"], cmd.action().code());
        assert_eq!(serde_json::from_str::<CaseCommand>(&text).unwrap(), cmd);
    }
}

#[test]
fn case_round_trips_through_json() {
    let mut c = decided(Outcome::ContinuingSupport);
    run(
        &mut c,
        &[CaseCommand::AdoptPlan { plan: "p1".into() }],
        d(2024, 6, 1),
    );
    let text = serde_json::to_string(&c).unwrap();
    let back: Case = serde_json::from_str(&text).unwrap();
    assert_eq!(back, c);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["state"]["kind"], "active");
    assert_eq!(v["history"][2]["action"], "decide");
}

#[test]
fn every_case_code_is_listed() {
    let today = d(2024, 6, 1);
    let mut c = assessed();
    let e = rejected(&mut c, &CaseCommand::Replan, today, "illegal_transition");
    assert!(CaseError::CODES.contains(&e.code()));
    for code in [
        "illegal_transition",
        "date_before_last_event",
        "date_in_future",
        "referral_not_accepted",
        "invalid_carry_over",
        "assessment_required",
        "urgent_information_only",
        "same_window",
        "unknown_plan",
        "plan_case_mismatch",
        "plan_not_consented",
        "missing_text",
    ] {
        assert!(crate::error::all_codes().contains(&code), "{code}");
    }
}

/// One command of each kind (some valid somewhere, some never).
fn sample_commands(on: NaiveDate) -> Vec<CaseCommand> {
    vec![
        CaseCommand::Engage { intake: intake(on) },
        CaseCommand::BeginAssessment,
        CaseCommand::RecordAssessment {
            assessment: assessment(on, Urgency::Normal),
        },
        CaseCommand::RecordAssessment {
            assessment: assessment(on, Urgency::Immediate),
        },
        CaseCommand::Decide {
            outcome: Outcome::InformationOnly,
        },
        CaseCommand::Decide {
            outcome: Outcome::HandedOver,
        },
        CaseCommand::Decide {
            outcome: Outcome::ContinuingSupport,
        },
        CaseCommand::AdoptPlan { plan: "p1".into() },
        CaseCommand::AdoptPlan {
            plan: "p_unconsented".into(),
        },
        CaseCommand::StartMonitoring,
        CaseCommand::ContinueSupport,
        CaseCommand::Replan,
        close("resolved", on, None),
        close("transferred", on, Some("r_ab")),
        close("transferred", on, Some("r_ba")),
        close("transferred", on, None),
        CaseCommand::Reopen { on },
        CaseCommand::CarryOver { into: 2025 },
        CaseCommand::CarryOver { into: 2026 },
        CaseCommand::TransferResponsibility {
            to: B.into(),
            referral: "r_ab".into(),
        },
        CaseCommand::TransferResponsibility {
            to: A.into(),
            referral: "r_ba".into(),
        },
        CaseCommand::TransferResponsibility {
            to: "nowhere".into(),
            referral: "r_ab".into(),
        },
    ]
}

/// Closing commands are drawn rarely (1 in 10), so random runs reach planning and monitoring;
/// forward-moving commands (and `reopen`) are drawn more often.
fn weighted_command(pick: usize, on: NaiveDate) -> CaseCommand {
    let (closing, mut other): (Vec<_>, Vec<_>) = sample_commands(on).into_iter().partition(|c| {
        matches!(c, CaseCommand::Close { .. })
            || matches!(
                c,
                CaseCommand::Decide {
                    outcome: Outcome::InformationOnly
                }
            )
    });
    // Commands that move a case forward are drawn twice as often.
    other.extend([
        CaseCommand::Engage { intake: intake(on) },
        CaseCommand::BeginAssessment,
        CaseCommand::AdoptPlan { plan: "p1".into() },
        CaseCommand::StartMonitoring,
        CaseCommand::Reopen { on },
    ]);
    if pick < 90 {
        other[pick % other.len()].clone()
    } else {
        closing[pick % closing.len()].clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_keep_the_invariants(
        outreach in any::<bool>(),
        steps in proptest::collection::vec((0usize..100, 0u64..4, 0u64..45), 0..80),
    ) {
        let ctx = ctx();
        let start = d(2024, 5, 10);
        let mut case = if outreach {
            Case::open_outreach("c1".into(), "h1".into(), "p".into(), A.into(), Outreach {
                on: start, source: "community_report".into(), concern: "心配".into(),
            }, &ctx, start).unwrap()
        } else {
            Case::open_intake("c1".into(), "h1".into(), "p".into(), A.into(), intake(start), &ctx, start).unwrap()
        };
        let mut today = start;
        let mut accepted = 0usize;
        for (pick, back, advance) in steps {
            today = today.checked_add_days(chrono::Days::new(advance)).unwrap();
            let on = today.checked_sub_days(chrono::Days::new(back)).unwrap();
            let cmd = weighted_command(pick, on);
            let before = serde_json::to_string(&case).unwrap();
            let was_closed = !case.state().is_open();
            match case.apply(&cmd, &ctx, today) {
                Ok(t) => {
                    accepted += 1;
                    prop_assert!(!was_closed || cmd.action() == CaseAction::Reopen,
                        "closed case accepted {}", cmd.action());
                    prop_assert_eq!(case.history().last(), Some(&t));
                    prop_assert!(t.on <= today);
                }
                Err(e) => {
                    prop_assert_eq!(serde_json::to_string(&case).unwrap(), before,
                        "rejected {} ({}) changed the case", cmd.action(), e.code());
                    if was_closed && cmd.action() != CaseAction::Reopen {
                        prop_assert_eq!(e.code(), "illegal_transition");
                    }
                    prop_assert!(crate::error::all_codes().contains(&e.code()));
                }
            }
            prop_assert!(ctx.agency_exists(case.responsible_window()),
                "responsible window {} unknown", case.responsible_window());
            prop_assert_eq!(case.history().len(), accepted);
            prop_assert!(case.history().windows(2).all(|w| w[0].on <= w[1].on));
            prop_assert!(case.history().first().is_none_or(|t| t.on >= case.opened_on()));
            prop_assert!(case.fiscal_years().windows(2).all(|w| w[0] < w[1]));
            if let Some(t) = case.history().last() {
                prop_assert_eq!(t.to, case.state().kind());
            }
            if matches!(case.state(), CaseState::Active | CaseState::Monitoring) {
                prop_assert!(case.plan().is_some());
            }
        }
    }
}

#[test]
fn serde_shapes_are_stable() {
    let mut c = decided(Outcome::ContinuingSupport);
    run(
        &mut c,
        &[CaseCommand::AdoptPlan { plan: "p1".into() }],
        d(2024, 6, 1),
    );
    insta::assert_json_snapshot!("case_active", c);
    insta::assert_json_snapshot!("case_commands", sample_commands(d(2024, 6, 1)));
}
