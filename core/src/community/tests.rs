use super::*;
use crate::participation::Need;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn activity(id: &str, area: &str, op: OperatorKind, stages: &[SupportStage]) -> Activity {
    Activity {
        id: id.into(),
        name: format!("活動 {id}"),
        small_area: area.into(),
        daily_life_area: None,
        operator: op,
        stages: stages.iter().copied().collect(),
        resource: None,
        started_on: d(2023, 4, 1),
        ended_on: None,
    }
}

fn add(reg: &mut CommunityRegister, a: Activity) {
    reg.apply(&CommunityCommand::AddActivity { activity: a })
        .unwrap();
}

fn session(
    reg: &mut CommunityRegister,
    id: &str,
    on: NaiveDate,
    n: u32,
) -> Result<(), CommunityError> {
    reg.apply(&CommunityCommand::RecordSession {
        session: Session {
            activity: id.into(),
            on,
            participants: n,
            supporters: 2,
        },
    })
}

fn sample() -> CommunityRegister {
    let mut reg = CommunityRegister::new();
    add(
        &mut reg,
        activity(
            "salon",
            "x_small",
            OperatorKind::ResidentsOrganisation,
            &[SupportStage::PlaceToBelong, SupportStage::WatchingOver],
        ),
    );
    add(
        &mut reg,
        activity(
            "shopping",
            "x_small",
            OperatorKind::Npo,
            &[SupportStage::EverydayHelp],
        ),
    );
    add(
        &mut reg,
        activity(
            "mimamori",
            "y_small",
            OperatorKind::SocialWelfareCouncil,
            &[SupportStage::WatchingOver],
        ),
    );
    session(&mut reg, "salon", d(2024, 5, 1), 12).unwrap();
    session(&mut reg, "salon", d(2024, 6, 1), 15).unwrap();
    session(&mut reg, "salon", d(2024, 3, 1), 99).unwrap(); // previous fiscal year
    session(&mut reg, "mimamori", d(2024, 7, 1), 30).unwrap();
    reg
}

#[test]
fn area_stats_for_a_fiscal_year() {
    let reg = sample();
    let gaps = vec![ResourceGap {
        area: "y_small".into(),
        need: Need::Issue {
            issue: "hikikomori".into(),
        },
        person_count: 3,
        first_seen: d(2024, 9, 1),
        last_seen: d(2024, 10, 1),
    }];
    let rows = area_stats(&reg, &gaps, d(2024, 4, 1), d(2025, 3, 31)).unwrap();
    assert_eq!(rows.len(), 2);
    let x = &rows[0];
    assert_eq!(x.area.as_str(), "x_small");
    assert_eq!(x.counts.activities, 2);
    assert_eq!(
        x.counts.by_stage,
        StageCounts {
            place_to_belong: 1,
            watching_over: 1,
            everyday_help: 1
        }
    );
    assert_eq!(x.counts.by_operator.residents_organisation, 1);
    assert_eq!(x.counts.by_operator.npo, 1);
    assert_eq!(x.counts.sessions, 2);
    assert_eq!(x.counts.participants, 27);
    assert_eq!(x.counts.supporters, 4);
    assert_eq!(x.counts.resource_gap_persons, 0);
    let y = &rows[1];
    assert_eq!(
        (
            y.counts.activities,
            y.counts.sessions,
            y.counts.participants
        ),
        (1, 1, 30)
    );
    assert_eq!(y.counts.resource_gap_persons, 3);
    let t = total(&rows);
    assert_eq!((t.activities, t.sessions, t.participants), (3, 3, 57));

    // The gap was first seen after the previous year ended: not in last year's figures.
    let last_year = area_stats(&reg, &gaps, d(2023, 4, 1), d(2024, 3, 31)).unwrap();
    assert_eq!(total(&last_year).resource_gap_persons, 0);
    assert_eq!(total(&last_year).participants, 99);

    let err = area_stats(&reg, &gaps, d(2025, 4, 1), d(2024, 4, 1)).unwrap_err();
    assert_eq!(err.code(), "empty_period");
}

#[test]
fn rejected_commands_change_nothing() {
    let mut reg = sample();
    let before = reg.clone();
    let cases: Vec<(CommunityCommand, &str, Option<&str>)> = vec![
        (
            CommunityCommand::AddActivity {
                activity: activity(
                    "salon",
                    "z",
                    OperatorKind::Other,
                    &[SupportStage::EverydayHelp],
                ),
            },
            "duplicate_activity",
            Some("$.activity.id"),
        ),
        (
            CommunityCommand::AddActivity {
                activity: activity("new", "z", OperatorKind::Other, &[]),
            },
            "no_support_stage",
            Some("$.activity.stages"),
        ),
        (
            CommunityCommand::RecordSession {
                session: Session {
                    activity: "nope".into(),
                    on: d(2024, 5, 1),
                    participants: 1,
                    supporters: 0,
                },
            },
            "unknown_activity",
            Some("$.session.activity"),
        ),
        (
            CommunityCommand::RecordSession {
                session: Session {
                    activity: "salon".into(),
                    on: d(2024, 5, 1),
                    participants: 1,
                    supporters: 0,
                },
            },
            "duplicate_session",
            Some("$.session.on"),
        ),
        (
            CommunityCommand::RecordSession {
                session: Session {
                    activity: "salon".into(),
                    on: d(2020, 5, 1),
                    participants: 1,
                    supporters: 0,
                },
            },
            "session_outside_activity",
            Some("$.session.on"),
        ),
        (
            CommunityCommand::EndActivity {
                id: "salon".into(),
                on: d(2024, 5, 15),
            },
            "date_out_of_order",
            Some("$.on"),
        ),
    ];
    for (cmd, code, path) in cases {
        let err = reg.apply(&cmd).unwrap_err();
        assert_eq!((err.code(), err.path().as_deref()), (code, path), "{cmd:?}");
        assert_eq!(reg, before);
    }
    reg.apply(&CommunityCommand::EndActivity {
        id: "salon".into(),
        on: d(2024, 6, 30),
    })
    .unwrap();
    assert_eq!(
        session(&mut reg, "salon", d(2024, 7, 1), 3)
            .unwrap_err()
            .code(),
        "session_outside_activity"
    );
    let err = reg
        .apply(&CommunityCommand::EndActivity {
            id: "salon".into(),
            on: d(2024, 8, 1),
        })
        .unwrap_err();
    assert_eq!(err.code(), "activity_ended");
    // An ended activity still counts in the year it ran, not after.
    let rows = area_stats(&reg, &[], d(2025, 4, 1), d(2026, 3, 31)).unwrap();
    assert_eq!(
        rows.iter()
            .find(|r| r.area.as_str() == "x_small")
            .unwrap()
            .counts
            .activities,
        1
    );
}

#[test]
fn commands_are_json_with_counts_only() {
    let cmd: CommunityCommand = serde_json::from_str(
        r#"{"type":"record_session","session":{"activity":"salon","on":"2024-05-01","participants":12}}"#,
    )
    .unwrap();
    let mut reg = sample();
    let err = reg.apply(&cmd).unwrap_err();
    assert_eq!(err.code(), "duplicate_session");
    // No field for who attended.
    assert!(serde_json::from_str::<CommunityCommand>(
        r#"{"type":"record_session","session":{"activity":"salon","on":"2024-05-02","participants":1,"names":["x"]}}"#
    )
    .is_err());
}

fn arb_counts() -> impl Strategy<Value = CommunityCounts> {
    (0u32..50, 0u32..50, 0u64..500, 0u32..9).prop_map(|(a, s, p, g)| CommunityCounts {
        activities: a,
        by_stage: StageCounts {
            place_to_belong: a / 2,
            watching_over: a / 3,
            everyday_help: a % 5,
        },
        by_operator: OperatorCounts {
            residents_organisation: a,
            ..OperatorCounts::default()
        },
        sessions: s,
        participants: p,
        supporters: p / 4,
        resource_gap_persons: g,
    })
}

fn arb_rows() -> impl Strategy<Value = Vec<AreaStats>> {
    proptest::collection::vec(
        (prop_oneof![Just("a"), Just("b"), Just("c")], arb_counts()).prop_map(|(a, c)| AreaStats {
            area: a.into(),
            counts: c,
        }),
        0..6,
    )
    .prop_map(|rows| merge_area_stats(&rows, &[]))
}

proptest! {
    #[test]
    fn merge_is_associative_and_commutative(a in arb_rows(), b in arb_rows(), c in arb_rows()) {
        let left = merge_area_stats(&merge_area_stats(&a, &b), &c);
        let right = merge_area_stats(&a, &merge_area_stats(&b, &c));
        prop_assert_eq!(&left, &right);
        prop_assert_eq!(merge_area_stats(&a, &b), merge_area_stats(&b, &a));
        prop_assert_eq!(merge_area_stats(&a, &[]), a.clone());
    }

    /// Splitting the activities (with their sessions) and the gaps between two registers and
    /// merging their rows gives the rows of the whole.
    #[test]
    fn partitions_merge_to_the_whole(
        acts in proptest::collection::vec((0usize..3, 0usize..3, any::<bool>()), 1..8),
        sess in proptest::collection::vec((0usize..8, 0i64..500, 0u32..40), 0..20),
        gaps in proptest::collection::vec((0usize..3, 1u32..5, any::<bool>()), 0..5),
    ) {
        let areas = ["a", "b", "c"];
        let stages = [SupportStage::PlaceToBelong, SupportStage::WatchingOver, SupportStage::EverydayHelp];
        let mut whole = CommunityRegister::new();
        let mut parts = [CommunityRegister::new(), CommunityRegister::new()];
        for (i, (area, stage, side)) in acts.iter().enumerate() {
            let a = activity(&format!("a{i}"), areas[*area], OperatorKind::Other, &[stages[*stage]]);
            add(&mut whole, a.clone());
            add(&mut parts[usize::from(*side)], a);
        }
        for (act, day, n) in &sess {
            let Some((_, _, side)) = acts.get(*act) else { continue };
            let on = d(2023, 4, 1) + chrono::Duration::days(*day);
            let id = format!("a{act}");
            if session(&mut whole, &id, on, *n).is_ok() {
                session(&mut parts[usize::from(*side)], &id, on, *n).unwrap();
            }
        }
        let mut all_gaps = Vec::new();
        let mut gap_parts = [Vec::new(), Vec::new()];
        for (area, n, side) in &gaps {
            let g = ResourceGap {
                area: areas[*area].into(),
                need: Need::Participation,
                person_count: *n,
                first_seen: d(2023, 5, 1),
                last_seen: d(2023, 5, 1),
            };
            all_gaps.push(g.clone());
            gap_parts[usize::from(*side)].push(g);
        }
        let (from, to) = (d(2023, 4, 1), d(2024, 3, 31));
        let whole_rows = area_stats(&whole, &all_gaps, from, to).unwrap();
        let merged = merge_area_stats(
            &area_stats(&parts[0], &gap_parts[0], from, to).unwrap(),
            &area_stats(&parts[1], &gap_parts[1], from, to).unwrap(),
        );
        prop_assert_eq!(whole_rows, merged);
    }
}
