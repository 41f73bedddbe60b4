use super::*;
use crate::coded::Coded;
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn open(id: &str, on: NaiveDate, stage: HousingStage, rank: &str) -> DisasterRecord {
    DisasterRecord::open(
        &OpenRecord {
            id: id.into(),
            household: format!("hh_{id}").into(),
            disaster: "2011_great_east_japan".into(),
            on,
            damage: DamageLevel::Total,
            stage,
            rank: rank.into(),
            issues: vec!["disaster_recovery".into()],
        },
        &VisitIntervals::default(),
        &Taxonomies::builtin(),
    )
    .unwrap()
}

fn apply(r: &DisasterRecord, cmd: DisasterCommand) -> Result<DisasterRecord, DisasterError> {
    r.applied(&cmd, &VisitIntervals::default(), &Taxonomies::builtin())
}

fn visit(on: NaiveDate, role: VisitorRole, met: bool, rank: Option<&str>) -> DisasterCommand {
    DisasterCommand::RecordVisit {
        visit: Visit {
            on,
            role,
            by: None,
            met,
            rank_after: rank.map(RiskRankCode::from),
        },
    }
}

#[test]
fn visit_interval_follows_the_risk_rank() {
    let iv = VisitIntervals::default();
    let days: Vec<(&str, u32)> = iv
        .ranks()
        .iter()
        .map(|r| (r.code.as_str(), r.interval_days))
        .collect();
    assert_eq!(days, [("a", 7), ("b", 14), ("c", 30), ("d", 90)]);

    let r = open("r1", d(2024, 1, 10), HousingStage::Shelter, "a");
    assert_eq!(r.next_visit_due(&iv), Some(d(2024, 1, 17)));
    // A visit that met the household resets the clock.
    let r = apply(
        &r,
        visit(d(2024, 1, 15), VisitorRole::SupportCentreStaff, true, None),
    )
    .unwrap();
    assert_eq!(r.next_visit_due(&iv), Some(d(2024, 1, 22)));
    // Nobody home: the clock does not move.
    let r = apply(
        &r,
        visit(d(2024, 1, 20), VisitorRole::SupportCentreStaff, false, None),
    )
    .unwrap();
    assert_eq!(r.next_visit_due(&iv), Some(d(2024, 1, 22)));
    // Re-ranked to C on a visit: 30 days from that visit.
    let r = apply(&r, visit(d(2024, 1, 21), VisitorRole::Lsa, true, Some("c"))).unwrap();
    assert_eq!(r.current_rank().as_str(), "c");
    assert_eq!(r.next_visit_due(&iv), Some(d(2024, 2, 20)));
    // A late offline visit with an older date does not override the newer rank.
    let r = apply(&r, visit(d(2024, 1, 18), VisitorRole::Lsa, true, Some("a"))).unwrap();
    assert_eq!(r.current_rank().as_str(), "c");
    assert_eq!(r.last_visit(), Some(d(2024, 1, 21)));
    // Assessed D: 90 days from the last visit.
    let r = apply(
        &r,
        DisasterCommand::AssessRisk {
            on: d(2024, 1, 25),
            rank: "d".into(),
        },
    )
    .unwrap();
    assert_eq!(r.next_visit_due(&iv), Some(d(2024, 4, 20)));

    // Tuned intervals change the schedule.
    let tuned = VisitIntervals::from_toml(
        "[[ranks]]\ncode = \"d\"\nja = \"D\"\nen = \"D\"\ninterval_days = 60\n",
    )
    .unwrap();
    assert_eq!(r.next_visit_due(&tuned), Some(d(2024, 3, 21)));
    // A rank the tuned list lacks is due at once, never dropped.
    let only_a = VisitIntervals::from_json(
        r#"{"ranks":[{"code":"a","ja":"A","en":"A","interval_days":7}]}"#,
    )
    .unwrap();
    let fresh = open("r2", d(2024, 1, 10), HousingStage::Shelter, "b");
    assert_eq!(fresh.next_visit_due(&only_a), Some(d(2024, 1, 10)));
}

#[test]
fn interval_documents_are_validated() {
    let rank = |code: &str, days| RiskRank {
        code: code.into(),
        ja: "x".into(),
        en: "x".into(),
        interval_days: days,
    };
    let err = VisitIntervals::new(vec![rank("a", 7), rank("a", 14)]).unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("duplicate_risk_rank", Some("$.ranks[1].code"))
    );
    let err = VisitIntervals::new(vec![rank("a", 0)]).unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("invalid_interval", Some("$.ranks[0].interval_days"))
    );
    let err = VisitIntervals::new(vec![rank("A", 7)]).unwrap_err();
    assert_eq!(err.code(), "invalid_code");
    let err = VisitIntervals::from_json(r#"{"ranks":[{"code":"a"}]}"#).unwrap_err();
    assert_eq!(err.code(), "malformed_document");
}

#[test]
fn due_and_overdue_lists_by_rank() {
    let iv = VisitIntervals::default();
    let today = d(2024, 3, 1);
    let a = open("a1", d(2024, 2, 20), HousingStage::TemporaryPrefab, "a"); // due 02-27 (leap year: 3 days before 03-01)
    let b = open("b1", d(2024, 2, 16), HousingStage::TemporaryPrefab, "b"); // due 03-01
    let c = open("c1", d(2024, 2, 16), HousingStage::TemporaryPrefab, "c"); // due 03-17
    let records = vec![c, b, a];
    let due: Vec<(String, i64)> = visits_due(&records, &iv, today)
        .iter()
        .map(|v| (v.record.to_string(), v.days_overdue))
        .collect();
    assert_eq!(due, [("a1".to_string(), 3), ("b1".to_string(), 0)]);
    let overdue: Vec<String> = visits_overdue(&records, &iv, today)
        .iter()
        .map(|v| v.record.to_string())
        .collect();
    assert_eq!(overdue, ["a1"]);
    let v = &visits_due(&records, &iv, today)[0];
    assert_eq!(v.rank.as_str(), "a");
    assert_eq!(v.stage, "temporary_prefab");
}

/// Seeds 000: a household evacuated to a shelter, then 応急仮設, then 災害公営住宅, watched over
/// by support-centre staff and then the LSA, with a サポ弁 dispatch on 災害援護資金 repayment;
/// finally moving from disaster support to community welfare.
#[test]
fn scenario_from_temporary_prefab_to_public_disaster_housing() {
    let iv = VisitIntervals::default();
    let mut r = open("kesennuma_1", d(2011, 3, 15), HousingStage::Shelter, "a");
    r = apply(
        &r,
        DisasterCommand::MoveStage {
            on: d(2011, 7, 1),
            stage: HousingStage::TemporaryPrefab,
        },
    )
    .unwrap();
    r = apply(
        &r,
        visit(
            d(2011, 7, 5),
            VisitorRole::SupportCentreStaff,
            true,
            Some("b"),
        ),
    )
    .unwrap();
    assert_eq!(r.next_visit_due(&iv), Some(d(2011, 7, 19)));
    r = apply(
        &r,
        DisasterCommand::AddIssue {
            issue: "disaster_loan_repayment".into(),
        },
    )
    .unwrap();
    r = apply(
        &r,
        DisasterCommand::RequestDispatch {
            id: "sapoben_1".into(),
            profession: Profession::Lawyer,
            purpose: "disaster_loan_repayment".into(),
            agency: Some("sendai_bar".into()),
            on: d(2012, 5, 1),
        },
    )
    .unwrap();
    r = apply(
        &r,
        DisasterCommand::MarkDispatched {
            id: "sapoben_1".into(),
            on: d(2012, 5, 20),
        },
    )
    .unwrap();
    r = apply(
        &r,
        DisasterCommand::ReportDispatch {
            id: "sapoben_1".into(),
            on: d(2012, 6, 1),
            report: DispatchReport {
                outcome: DispatchOutcome::ContinuingSupport,
                issues_found: vec!["debt".into()],
            },
        },
    )
    .unwrap();
    r = apply(
        &r,
        DisasterCommand::MoveStage {
            on: d(2015, 4, 1),
            stage: HousingStage::PublicDisasterHousing,
        },
    )
    .unwrap();
    r = apply(&r, visit(d(2015, 4, 10), VisitorRole::Lsa, true, Some("c"))).unwrap();

    let stages: Vec<(&str, NaiveDate)> = r.stages.iter().map(|s| (s.stage.code(), s.on)).collect();
    assert_eq!(
        stages,
        [
            ("shelter", d(2011, 3, 15)),
            ("temporary_prefab", d(2011, 7, 1)),
            ("public_disaster_housing", d(2015, 4, 1)),
        ]
    );
    assert_eq!(
        r.issues.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
        ["disaster_recovery", "disaster_loan_repayment", "debt"]
    );
    // Rank C after the LSA's visit: due 30 days later; a neighbour household at rank A is due
    // first.
    let neighbour = open(
        "kesennuma_2",
        d(2015, 4, 20),
        HousingStage::PublicDisasterHousing,
        "a",
    );
    let records = vec![r.clone(), neighbour];
    let due: Vec<(String, NaiveDate)> = visits_due(&records, &iv, d(2015, 5, 15))
        .iter()
        .map(|v| (v.record.to_string(), v.due))
        .collect();
    assert_eq!(
        due,
        [
            ("kesennuma_2".to_string(), d(2015, 4, 27)),
            ("kesennuma_1".to_string(), d(2015, 5, 10))
        ]
    );

    // The phase ends: the household moves to an ordinary case with its history.
    let t = end_disaster_phase(&r, d(2018, 3, 31)).unwrap();
    assert_eq!(t.household.as_str(), "hh_kesennuma_1");
    assert_eq!(t.disaster_record.as_str(), "kesennuma_1");
    assert_eq!(t.housing, HousingStage::PublicDisasterHousing);
    assert_eq!(t.risk_rank.as_str(), "c");
    assert_eq!(t.last_visit, Some(d(2015, 4, 10)));
    assert!(t.open_dispatches.is_empty());
    assert_eq!(t.issues, r.issues); // permanent housing: nothing added
    let mut expected = r.clone();
    expected.phase = Phase::Ended {
        on: d(2018, 3, 31),
        case: None,
    };
    assert_eq!(t.record, expected);
    // Read-only afterwards, but linkable once to the ordinary case.
    let err = apply(
        &t.record,
        visit(d(2018, 4, 5), VisitorRole::Lsa, true, None),
    )
    .unwrap_err();
    assert_eq!(err.code(), "phase_ended");
    assert!(t.record.next_visit_due(&iv).is_none());
    assert!(visits_due(std::slice::from_ref(&t.record), &iv, d(2019, 1, 1)).is_empty());
    let linked = apply(
        &t.record,
        DisasterCommand::LinkCase {
            case: "case_77".into(),
        },
    )
    .unwrap();
    assert_eq!(
        linked.phase,
        Phase::Ended {
            on: d(2018, 3, 31),
            case: Some("case_77".into())
        }
    );
    assert_eq!(linked.stages, r.stages);
    let err = apply(
        &linked,
        DisasterCommand::LinkCase {
            case: "case_78".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "case_already_linked");
    assert_eq!(
        end_disaster_phase(&linked, d(2019, 1, 1))
            .unwrap_err()
            .code(),
        "phase_ended"
    );
}

#[test]
fn wide_area_evacuees_carry_their_issues_and_open_dispatches() {
    let r = open("w1", d(2011, 3, 20), HousingStage::Shelter, "b");
    let r = apply(
        &r,
        DisasterCommand::MoveStage {
            on: d(2011, 5, 1),
            stage: HousingStage::WideAreaEvacuation {
                place: "山形県".into(),
            },
        },
    )
    .unwrap();
    let r = apply(
        &r,
        DisasterCommand::RequestDispatch {
            id: "w_health".into(),
            profession: Profession::Health,
            purpose: "health_disability".into(),
            agency: None,
            on: d(2012, 1, 10),
        },
    )
    .unwrap();
    let t = end_disaster_phase(&r, d(2013, 3, 31)).unwrap();
    let issues: Vec<&str> = t.issues.iter().map(|i| i.as_str()).collect();
    assert_eq!(issues, ["disaster_recovery", "wide_area_evacuee"]);
    assert_eq!(t.open_dispatches, [DispatchId::from("w_health")]);
    let v = serde_json::to_value(&t.housing).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"stage": "wide_area_evacuation", "place": "山形県"})
    );
    let err = end_disaster_phase(&r, d(2012, 1, 1)).unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("date_out_of_order", Some("$.on"))
    );
}

#[test]
fn rejected_commands_name_the_problem_and_change_nothing() {
    let r = open("r1", d(2024, 1, 10), HousingStage::TemporaryPrefab, "b");
    let r = apply(
        &r,
        DisasterCommand::RequestDispatch {
            id: "x1".into(),
            profession: Profession::Welfare,
            purpose: "long_term_care".into(),
            agency: None,
            on: d(2024, 2, 1),
        },
    )
    .unwrap();
    let before = r.clone();
    let cases: Vec<(DisasterCommand, &str, Option<&str>)> = vec![
        (
            DisasterCommand::MoveStage {
                on: d(2024, 1, 5),
                stage: HousingStage::RebuiltHome,
            },
            "date_out_of_order",
            Some("$.on"),
        ),
        (
            DisasterCommand::MoveStage {
                on: d(2024, 3, 1),
                stage: HousingStage::TemporaryPrefab,
            },
            "stage_unchanged",
            Some("$.stage"),
        ),
        (
            DisasterCommand::MoveStage {
                on: d(2024, 3, 1),
                stage: HousingStage::WideAreaEvacuation { place: " ".into() },
            },
            "empty_place",
            Some("$.stage.place"),
        ),
        (
            DisasterCommand::AddIssue {
                issue: "disaster_recovery".into(),
            },
            "duplicate_issue",
            Some("$.issue"),
        ),
        (
            DisasterCommand::AddIssue {
                issue: "earthquake_fear".into(),
            },
            "unknown_code",
            Some("$.issue"),
        ),
        (
            DisasterCommand::AssessRisk {
                on: d(2024, 3, 1),
                rank: "z".into(),
            },
            "unknown_risk_rank",
            Some("$.rank"),
        ),
        (
            visit(d(2024, 1, 1), VisitorRole::Csw, true, None),
            "date_out_of_order",
            Some("$.visit.on"),
        ),
        (
            visit(d(2024, 3, 1), VisitorRole::Csw, true, Some("q")),
            "unknown_risk_rank",
            Some("$.visit.rank_after"),
        ),
        (
            DisasterCommand::RequestDispatch {
                id: "x1".into(),
                profession: Profession::Lawyer,
                purpose: "debt".into(),
                agency: None,
                on: d(2024, 3, 1),
            },
            "duplicate_dispatch",
            Some("$.id"),
        ),
        (
            DisasterCommand::MarkDispatched {
                id: "x2".into(),
                on: d(2024, 3, 1),
            },
            "unknown_dispatch",
            Some("$.id"),
        ),
        (
            DisasterCommand::MarkDispatched {
                id: "x1".into(),
                on: d(2024, 1, 20),
            },
            "date_out_of_order",
            Some("$.on"),
        ),
        (
            DisasterCommand::ReportDispatch {
                id: "x1".into(),
                on: d(2024, 3, 1),
                report: DispatchReport {
                    outcome: DispatchOutcome::Resolved,
                    issues_found: vec![],
                },
            },
            "illegal_transition",
            None,
        ),
        (
            DisasterCommand::LinkCase { case: "c1".into() },
            "phase_not_ended",
            None,
        ),
    ];
    for (cmd, code, path) in cases {
        let err = apply(&r, cmd.clone()).unwrap_err();
        assert_eq!((err.code(), err.path().as_deref()), (code, path), "{cmd:?}");
        assert_eq!(r, before);
    }
}

#[test]
fn opening_validates_rank_issues_and_place() {
    let iv = VisitIntervals::default();
    let tax = Taxonomies::builtin();
    let base = OpenRecord {
        id: "r".into(),
        household: "h".into(),
        disaster: "x".into(),
        on: d(2024, 1, 1),
        damage: DamageLevel::Half,
        stage: HousingStage::Shelter,
        rank: "a".into(),
        issues: vec![],
    };
    let mut c = base.clone();
    c.rank = "e".into();
    let err = DisasterRecord::open(&c, &iv, &tax).unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("unknown_risk_rank", Some("$.rank"))
    );
    let mut c = base.clone();
    c.issues = vec!["debt".into(), "quake".into()];
    let err = DisasterRecord::open(&c, &iv, &tax).unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("unknown_code", Some("$.issues[1]"))
    );
    let mut c = base.clone();
    c.issues = vec!["debt".into(), "debt".into()];
    assert_eq!(
        DisasterRecord::open(&c, &iv, &tax).unwrap_err().code(),
        "duplicate_issue"
    );
    let mut c = base;
    c.stage = HousingStage::WideAreaEvacuation { place: "".into() };
    let err = DisasterRecord::open(&c, &iv, &tax).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("$.stage.place"));
    assert_eq!(DamageLevel::LargeScaleHalf.label().ja, "大規模半壊");
    let v = serde_json::to_value(DamageLevel::MediumScaleHalf).unwrap();
    assert_eq!(v, "medium_scale_half");
}

#[test]
fn commands_and_records_round_trip_as_json() {
    let cmd: DisasterCommand = serde_json::from_value(serde_json::json!({
        "type": "move_stage", "on": "2015-04-01", "stage": {"stage": "public_disaster_housing"}
    }))
    .unwrap();
    let r = open("r1", d(2014, 1, 1), HousingStage::DeemedTemporary, "c");
    let r = apply(&r, cmd).unwrap();
    let r = apply(
        &r,
        DisasterCommand::RequestDispatch {
            id: "x".into(),
            profession: Profession::Lawyer,
            purpose: "legal_trouble".into(),
            agency: None,
            on: d(2015, 5, 1),
        },
    )
    .unwrap();
    let text = serde_json::to_string(&r).unwrap();
    let back: DisasterRecord = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["dispatches"][0]["status"]["status"], "requested");
    assert_eq!(v["phase"]["phase"], "disaster");
}

fn arb_command() -> impl Strategy<Value = DisasterCommand> {
    let day = (0i64..2000).prop_map(|n| d(2011, 3, 11) + chrono::Duration::days(n));
    let stage = prop_oneof![
        Just(HousingStage::Shelter),
        Just(HousingStage::TemporaryPrefab),
        Just(HousingStage::DeemedTemporary),
        Just(HousingStage::PublicDisasterHousing),
        Just(HousingStage::RebuiltHome),
        Just(HousingStage::WideAreaEvacuation {
            place: "東京都".into()
        }),
    ];
    let rank = prop_oneof![Just("a"), Just("b"), Just("c"), Just("d"), Just("z")]
        .prop_map(RiskRankCode::from);
    let dispatch = prop_oneof![Just("x1"), Just("x2")].prop_map(DispatchId::from);
    prop_oneof![
        (day.clone(), stage).prop_map(|(on, stage)| DisasterCommand::MoveStage { on, stage }),
        (day.clone(), rank.clone()).prop_map(|(on, rank)| DisasterCommand::AssessRisk { on, rank }),
        (day.clone(), any::<bool>(), proptest::option::of(rank)).prop_map(|(on, met, r)| {
            DisasterCommand::RecordVisit {
                visit: Visit {
                    on,
                    role: VisitorRole::SupportCentreStaff,
                    by: None,
                    met,
                    rank_after: r,
                },
            }
        }),
        (dispatch.clone(), day.clone()).prop_map(|(id, on)| DisasterCommand::RequestDispatch {
            id,
            profession: Profession::Lawyer,
            purpose: "disaster_loan_repayment".into(),
            agency: None,
            on,
        }),
        (dispatch.clone(), day.clone())
            .prop_map(|(id, on)| DisasterCommand::MarkDispatched { id, on }),
        (dispatch, day).prop_map(|(id, on)| DisasterCommand::ReportDispatch {
            id,
            on,
            report: DispatchReport {
                outcome: DispatchOutcome::AdviceGiven,
                issues_found: vec!["debt".into()],
            },
        }),
    ]
}

proptest! {
    /// Whatever happened in the disaster phase, ending it keeps every stage move, assessment,
    /// visit and dispatch; the ended record then refuses every command but `link_case`.
    #[test]
    fn phase_end_keeps_history_and_freezes_the_record(
        cmds in proptest::collection::vec(arb_command(), 0..30),
        after in arb_command(),
    ) {
        let iv = VisitIntervals::default();
        let tax = Taxonomies::builtin();
        let mut r = open("p", d(2011, 3, 11), HousingStage::Shelter, "a");
        for cmd in &cmds {
            if let Ok(next) = r.applied(cmd, &iv, &tax) {
                prop_assert!(next.stages.len() >= r.stages.len());
                prop_assert!(next.visits.len() >= r.visits.len());
                r = next;
            }
            prop_assert!(!r.stages.is_empty() && !r.risk.is_empty());
            prop_assert!(r.next_visit_due(&iv).is_some());
        }
        let end = r.last_date();
        let t = end_disaster_phase(&r, end).unwrap();
        prop_assert_eq!(&t.record.stages, &r.stages);
        prop_assert_eq!(&t.record.risk, &r.risk);
        prop_assert_eq!(&t.record.visits, &r.visits);
        prop_assert_eq!(&t.record.dispatches, &r.dispatches);
        for i in &r.issues {
            prop_assert!(t.issues.contains(i));
        }
        prop_assert_eq!(&t.housing, r.current_stage());
        let err = t.record.applied(&after, &iv, &tax).unwrap_err();
        prop_assert_eq!(err.code(), "phase_ended");
    }
}
