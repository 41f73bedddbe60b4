//! Tests of matching, the match lifecycle and the follow-up invariant, and the Y-san scenario.

use super::*;
use crate::agency::{Agency, Directory};
use crate::household::{Area, DisabilityCertificate, Household, Person, Relation};
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::json;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn agencies(tax: &Taxonomies) -> Directory {
    let list: Vec<Agency> = serde_json::from_value(json!([
        {"id": "csw_x", "name": "社協 X地区", "kind": "social_welfare_council"},
        {"id": "npo_hinata", "name": "NPO ひなた", "kind": "npo"}
    ]))
    .unwrap();
    Directory::new(list, tax).unwrap()
}

fn directory(resources: serde_json::Value) -> ResourceDirectory {
    let tax = Taxonomies::builtin();
    ResourceDirectory::from_json(
        &resources.to_string(),
        &ResourceKinds::builtin(),
        &agencies(&tax),
        &tax,
    )
    .unwrap()
}

/// Y-san's household (seeds 001): a mother in her 40s, divorced, two sons; the younger has severe
/// autism and an intellectual disability certificate.
fn y_household() -> Household {
    let mut mother = Person::new("y_mother", Relation::Head);
    mother.approx_age = Some(45);
    mother.single_parent = true;
    mother.issues = vec!["income_living_costs".into(), "child_rearing".into()];
    let mut elder = Person::new("y_elder", Relation::Child);
    elder.approx_age = Some(14);
    let mut younger = Person::new("y_younger", Relation::Child);
    younger.approx_age = Some(10);
    younger.issues = vec!["developmental_concern".into()];
    younger.disabilities = vec![DisabilityCertificate {
        kind: "intellectual".into(),
        grade: Some("A".into()),
    }];
    Household {
        id: "y".into(),
        area: Area {
            small_area: Some("x_small".into()),
            daily_life_area: Some("x_daily".into()),
            ward: Some("aoba".into()),
        },
        members: vec![mother, elder, younger],
        issues: vec![],
        ties: vec![],
    }
}

fn y_directory() -> ResourceDirectory {
    directory(json!([
        {"id": "elderly_salon", "name": "ふれあいサロン", "kind": "salon", "areas": ["x_small"],
         "days": ["wednesday"], "target": {"min_age": 65}, "contact": "csw_x"},
        {"id": "kodomo_shokudo", "name": "X地区こども食堂", "kind": "community_dining",
         "areas": ["x_small"], "days": ["friday"], "contact": "npo_hinata", "tags": ["food"]},
        {"id": "parents_group", "name": "発達が気になる子の親の会", "kind": "peer_group",
         "areas": ["x_daily"], "days": ["saturday"],
         "target": {"issues": ["developmental_concern"], "certificates": ["intellectual"],
                    "audience": "carers"},
         "accessibility": ["childcare"], "capacity": {"limit": 20, "current": 12},
         "contact": "csw_x", "tags": ["parenting"]},
        {"id": "hikikomori_place", "name": "ひきこもり当事者の居場所", "kind": "place_to_belong",
         "areas": ["x_daily"], "target": {"issues": ["hikikomori"]}, "contact": "npo_hinata"},
        {"id": "full_group", "name": "もうひとつの親の会", "kind": "peer_group", "areas": ["x_small"],
         "target": {"issues": ["developmental_concern"], "audience": "carers"},
         "capacity": {"limit": 10, "current": 10}, "contact": "csw_x"},
        {"id": "farm_work", "name": "農園就労体験", "kind": "work_experience", "areas": ["izumi"],
         "contact": "npo_hinata", "tags": ["farming"]}
    ]))
}

fn run(h: &Household, req: &MatchRequest, dir: &ResourceDirectory) -> Vec<Candidate> {
    match_candidates(
        h,
        req,
        dir,
        &ResourceKinds::builtin(),
        &Taxonomies::builtin(),
        &MatchWeights::default(),
        d(2024, 6, 1),
    )
    .unwrap()
}

fn req(person: &str) -> MatchRequest {
    MatchRequest {
        person: person.into(),
        wishes: vec![],
        needs: vec![],
        constraints: Constraints::default(),
    }
}

fn codes(c: &Candidate) -> Vec<(&str, Option<&str>)> {
    c.reasons
        .iter()
        .map(|r| (r.code.as_str(), r.subject.as_deref()))
        .collect()
}

#[test]
fn scenario_y_san_parents_group_ranks_first_with_reasons() {
    let h = y_household();
    let mut r = req("y_mother");
    r.wishes = vec!["peer_group".into()];
    r.constraints.days_available = [Day::Friday, Day::Saturday].into_iter().collect();
    let cands = run(&h, &r, &y_directory());
    let ids: Vec<&str> = cands.iter().map(|c| c.resource.as_str()).collect();
    // The elderly salon (age), the hikikomori place (target), the full group (capacity) are out;
    // the farm is in another area but reach is unlimited.
    assert_eq!(ids, ["parents_group", "kodomo_shokudo", "farm_work"]);
    let top = &cands[0];
    assert_eq!(
        codes(top),
        [
            ("area_daily_life_area", Some("x_daily")),
            ("target_issue_family", Some("developmental_concern")),
            ("target_certificate_family", Some("intellectual")),
            ("wish_kind", Some("peer_group")),
            ("day_fits", Some("saturday")),
            ("has_capacity", Some("8")),
        ]
    );
    assert_eq!(top.score, 20 + 40 + 15 + 25 + 5 + 5);
    assert_eq!(top.score, top.reasons.iter().map(|r| r.points).sum::<u32>());
    assert_eq!(top.contact.as_str(), "csw_x");
    assert!(top.reasons[1].label.ja.contains("発達の心配"));
    assert!(top.reasons[1].label.en.contains("carers"));
    assert!(top.reasons[2].label.ja.contains("療育手帳"));
    assert_eq!(
        codes(&cands[1]),
        [
            ("area_small_area", Some("x_small")),
            ("day_fits", Some("friday"))
        ]
    );
    assert!(cands[2].reasons.is_empty());
    assert_eq!(cands[2].reach, Reach::Anywhere);

    // Her wish is met: no gap to record.
    assert!(gap_suggestions(&h, &r, &cands).is_empty());
}

#[test]
fn the_son_himself_is_not_a_candidate_for_a_carers_group() {
    let h = y_household();
    let mut r = req("y_younger");
    r.constraints.days_available = [Day::Saturday].into_iter().collect();
    let cands = run(&h, &r, &y_directory());
    assert!(cands.iter().all(|c| c.resource.as_str() != "parents_group"));
}

#[test]
fn filters_exclude_by_constraint() {
    let h = y_household();
    let dir = y_directory();
    // Days: only Sunday → the Friday and Saturday resources are out.
    let mut r = req("y_mother");
    r.constraints.days_available = [Day::Sunday].into_iter().collect();
    let ids: Vec<String> = run(&h, &r, &dir)
        .iter()
        .map(|c| c.resource.to_string())
        .collect();
    assert_eq!(ids, ["farm_work"]);
    // Accessibility: childcare needed → only the parents' group offers it.
    let mut r = req("y_mother");
    r.constraints.requires = [Accessibility::Childcare].into_iter().collect();
    let cands = run(&h, &r, &dir);
    assert_eq!(cands.len(), 1);
    assert_eq!(
        cands[0].reasons.last().unwrap().code,
        "accessibility".to_string()
    );
    // Reach: small area only → the daily-life-area group and the farm are out.
    let mut r = req("y_mother");
    r.constraints.max_reach = Reach::SmallArea;
    let ids: Vec<String> = run(&h, &r, &dir)
        .iter()
        .map(|c| c.resource.to_string())
        .collect();
    assert_eq!(ids, ["kodomo_shokudo"]);
}

#[test]
fn ties_break_by_nearness_then_id() {
    let h = y_household();
    let dir = directory(json!([
        {"id": "b", "name": "b", "kind": "salon", "areas": ["x_small"], "contact": "csw_x"},
        {"id": "a", "name": "a", "kind": "salon", "areas": ["x_small"], "contact": "csw_x"},
        {"id": "c", "name": "c", "kind": "salon", "contact": "csw_x"}
    ]));
    let weights = MatchWeights {
        small_area: 5,
        municipality: 5,
        ..MatchWeights::default()
    };
    let cands = match_candidates(
        &h,
        &req("y_mother"),
        &dir,
        &ResourceKinds::builtin(),
        &Taxonomies::builtin(),
        &weights,
        d(2024, 6, 1),
    )
    .unwrap();
    let ids: Vec<&str> = cands.iter().map(|c| c.resource.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert!(cands.iter().all(|c| c.score == 5));
}

#[test]
fn stated_needs_and_wishes_unmet_become_gap_suggestions() {
    let h = y_household();
    let mut r = req("y_mother");
    r.wishes = vec!["peer_group".into(), "choir".into()];
    r.needs = vec!["developmental_concern".into(), "job_search".into()];
    let cands = run(&h, &r, &y_directory());
    assert_eq!(cands[0].resource.as_str(), "parents_group");
    let gaps = gap_suggestions(&h, &r, &cands);
    assert_eq!(
        gaps,
        [
            GapSuggestion {
                area: Some("x_small".into()),
                need: Need::Wish {
                    wish: "choir".into()
                }
            },
            GapSuggestion {
                area: Some("x_small".into()),
                need: Need::Issue {
                    issue: "job_search".into()
                }
            },
        ]
    );
}

#[test]
fn no_candidate_yields_a_participation_gap() {
    let mut h = y_household();
    h.area = Area::default();
    let dir = directory(json!([
        {"id": "s", "name": "s", "kind": "salon", "areas": ["x_small"], "contact": "csw_x"}
    ]));
    let mut r = req("y_mother");
    r.constraints.max_reach = Reach::Ward;
    let cands = run(&h, &r, &dir);
    assert!(cands.is_empty());
    let gaps = gap_suggestions(&h, &r, &cands);
    assert_eq!(
        gaps,
        [GapSuggestion {
            area: None,
            need: Need::Participation
        }]
    );
    // Without an area it cannot be counted per area.
    assert_eq!(
        GapRegister::new()
            .record(&gaps[0], d(2024, 6, 1))
            .unwrap_err()
            .code(),
        "gap_area_unknown"
    );
}

#[test]
fn unknown_person_is_rejected_with_path() {
    let err = match_candidates(
        &y_household(),
        &req("nobody"),
        &y_directory(),
        &ResourceKinds::builtin(),
        &Taxonomies::builtin(),
        &MatchWeights::default(),
        d(2024, 6, 1),
    )
    .unwrap_err();
    assert_eq!(err.code(), "unknown_person");
    assert_eq!(err.path().as_deref(), Some("$.person"));
}

#[test]
fn request_and_candidates_are_serde_types() {
    let r: MatchRequest = serde_json::from_value(json!({
        "person": "y_mother", "wishes": ["peer_group"],
        "constraints": {"days_available": ["saturday"], "requires": ["childcare"], "max_reach": "ward"}
    }))
    .unwrap();
    assert_eq!(r.constraints.max_reach, Reach::Ward);
    let cands = run(&y_household(), &r, &y_directory());
    let v = serde_json::to_value(&cands[0]).unwrap();
    assert_eq!(v["resource"], "parents_group");
    assert_eq!(v["reasons"][0]["code"], "area_daily_life_area");
    assert!(serde_json::from_value::<MatchRequest>(json!({"person": "p", "colour": 1})).is_err());
}

// ---- match lifecycle ----

fn propose(id: &str, on: NaiveDate, next: NaiveDate) -> MatchCommand {
    MatchCommand::Propose {
        id: id.into(),
        person: "y_mother".into(),
        household: "y".into(),
        resource: "parents_group".into(),
        on,
        next_follow_up: next,
    }
}

fn follow(id: &str, on: NaiveDate, next: FollowUpNext) -> MatchCommand {
    MatchCommand::RecordFollowUp {
        id: id.into(),
        follow_up: FollowUp {
            on,
            by: Some("csw_1".into()),
            observation: Observation::Settling,
            next,
        },
    }
}

#[test]
fn lifecycle_proposed_tried_continuing_settled() {
    let dir = y_directory();
    let mut book = MatchBook::new();
    book.apply(&propose("m1", d(2024, 6, 1), d(2024, 6, 15)), &dir)
        .unwrap();
    book.apply(
        &MatchCommand::MarkTried {
            id: "m1".into(),
            on: d(2024, 6, 8),
            next_follow_up: d(2024, 6, 22),
        },
        &dir,
    )
    .unwrap();
    book.apply(
        &MatchCommand::MarkContinuing {
            id: "m1".into(),
            on: d(2024, 7, 6),
            next_follow_up: d(2024, 8, 6),
        },
        &dir,
    )
    .unwrap();
    book.apply(
        &follow(
            "m1",
            d(2024, 8, 6),
            FollowUpNext::NextOn {
                date: d(2024, 9, 6),
            },
        ),
        &dir,
    )
    .unwrap();
    let m = book.get(&"m1".into()).unwrap();
    assert_eq!(
        m.status,
        MatchStatus::Continuing {
            next_follow_up: d(2024, 9, 6)
        }
    );
    book.apply(
        &follow(
            "m1",
            d(2024, 9, 6),
            FollowUpNext::Stop {
                reason: StopReason::Settled,
            },
        ),
        &dir,
    )
    .unwrap();
    let m = book.get(&"m1".into()).unwrap();
    assert_eq!(m.next_follow_up(), None);
    let stages: Vec<MatchStage> = m.history.iter().map(|h| h.to).collect();
    assert_eq!(
        stages,
        [
            MatchStage::Proposed,
            MatchStage::Tried,
            MatchStage::Continuing,
            MatchStage::Stopped
        ]
    );
    assert_eq!(m.follow_ups.len(), 2);

    let s = participation_stats(book.matches(), d(2024, 4, 1), d(2025, 3, 31));
    assert_eq!((s.proposed, s.tried, s.continuing, s.stopped), (1, 1, 1, 1));
    assert_eq!(s.stopped_by_reason.get("settled"), Some(&1));
    assert_eq!(s.follow_ups, 2);
    assert_eq!(s.live_at_end, 0);
    let merged = s.clone().merge(&s);
    assert_eq!(merged.proposed, 2);
    assert_eq!(merged.stopped_by_reason.get("settled"), Some(&2));
}

#[test]
fn rejected_commands_name_the_problem_and_change_nothing() {
    let dir = y_directory();
    let mut book = MatchBook::new();
    book.apply(&propose("m1", d(2024, 6, 1), d(2024, 6, 15)), &dir)
        .unwrap();
    let before = book.clone();
    let cases: Vec<(MatchCommand, &str, Option<&str>)> = vec![
        (
            propose("m1", d(2024, 6, 1), d(2024, 6, 15)),
            "duplicate_match",
            Some("$.id"),
        ),
        (
            MatchCommand::Propose {
                id: "m2".into(),
                person: "p".into(),
                household: "h".into(),
                resource: "nowhere".into(),
                on: d(2024, 6, 1),
                next_follow_up: d(2024, 6, 2),
            },
            "unknown_resource",
            Some("$.resource"),
        ),
        (
            propose("m3", d(2024, 6, 1), d(2024, 6, 1)),
            "follow_up_not_after",
            Some("$.next_follow_up"),
        ),
        (
            MatchCommand::MarkContinuing {
                id: "m1".into(),
                on: d(2024, 6, 5),
                next_follow_up: d(2024, 7, 5),
            },
            "illegal_transition",
            None,
        ),
        (
            MatchCommand::MarkTried {
                id: "m1".into(),
                on: d(2024, 5, 31),
                next_follow_up: d(2024, 7, 5),
            },
            "date_out_of_order",
            Some("$.on"),
        ),
        (
            follow(
                "m1",
                d(2024, 6, 10),
                FollowUpNext::NextOn {
                    date: d(2024, 6, 10),
                },
            ),
            "follow_up_not_after",
            Some("$.follow_up.next.date"),
        ),
        (
            MatchCommand::Stop {
                id: "m1".into(),
                on: d(2024, 6, 10),
                reason: StopReason::Settled,
            },
            "illegal_transition",
            None,
        ),
        (
            MatchCommand::Stop {
                id: "zz".into(),
                on: d(2024, 6, 10),
                reason: StopReason::Other,
            },
            "unknown_match",
            Some("$.id"),
        ),
    ];
    for (cmd, code, path) in cases {
        let err = book.apply(&cmd, &dir).unwrap_err();
        assert_eq!(err.code(), code, "{cmd:?}");
        assert_eq!(err.path().as_deref(), path, "{cmd:?}");
        assert_eq!(book, before);
    }
    // Proposed → Stopped is allowed; afterwards nothing is.
    book.apply(
        &MatchCommand::Stop {
            id: "m1".into(),
            on: d(2024, 6, 10),
            reason: StopReason::PersonDeclined,
        },
        &dir,
    )
    .unwrap();
    let err = book
        .apply(
            &follow(
                "m1",
                d(2024, 6, 11),
                FollowUpNext::NextOn {
                    date: d(2024, 7, 1),
                },
            ),
            &dir,
        )
        .unwrap_err();
    assert_eq!(err.code(), "illegal_transition");
    assert!(err.to_string().contains("stopped"));
}

#[test]
fn follow_ups_due_on_a_date() {
    let dir = y_directory();
    let mut book = MatchBook::new();
    book.apply(&propose("m1", d(2024, 6, 1), d(2024, 6, 15)), &dir)
        .unwrap();
    book.apply(&propose("m2", d(2024, 6, 1), d(2024, 6, 10)), &dir)
        .unwrap();
    book.apply(&propose("m3", d(2024, 6, 1), d(2024, 6, 30)), &dir)
        .unwrap();
    book.apply(&propose("m4", d(2024, 6, 1), d(2024, 6, 5)), &dir)
        .unwrap();
    book.apply(
        &MatchCommand::Stop {
            id: "m4".into(),
            on: d(2024, 6, 2),
            reason: StopReason::NotSuitable,
        },
        &dir,
    )
    .unwrap();
    let due = follow_ups_due(book.matches(), d(2024, 6, 15));
    let ids: Vec<(&str, i64)> = due
        .iter()
        .map(|x| (x.id.as_str(), x.days_overdue))
        .collect();
    assert_eq!(ids, [("m2", 5), ("m1", 0)]);
    assert!(follow_ups_due(book.matches(), d(2024, 6, 9)).is_empty());
}

#[test]
fn commands_round_trip_as_json() {
    let cmd = follow(
        "m1",
        d(2024, 8, 6),
        FollowUpNext::NextOn {
            date: d(2024, 9, 6),
        },
    );
    let v = serde_json::to_value(&cmd).unwrap();
    assert_eq!(v["type"], "record_follow_up");
    assert_eq!(v["follow_up"]["next"]["type"], "next_on");
    let back: MatchCommand = serde_json::from_value(v).unwrap();
    assert_eq!(back, cmd);
    // A follow-up without a next step does not parse.
    let bad = json!({"type": "record_follow_up", "id": "m1",
                     "follow_up": {"on": "2024-08-06", "observation": "settling"}});
    assert!(serde_json::from_value::<MatchCommand>(bad).is_err());
}

// ---- property: no person left without a follow-up date after a match ----

fn arb_reason() -> impl Strategy<Value = StopReason> {
    prop_oneof![
        Just(StopReason::Settled),
        Just(StopReason::PersonDeclined),
        Just(StopReason::NotSuitable),
        Just(StopReason::LostContact),
    ]
}

fn arb_cmd() -> impl Strategy<Value = MatchCommand> {
    let id = prop_oneof![Just("m1"), Just("m2"), Just("m3")].prop_map(MatchId::from);
    let day = (0i64..120).prop_map(|n| d(2024, 4, 1) + chrono::Duration::days(n));
    let gap = -3i64..40;
    prop_oneof![
        (id.clone(), day.clone(), gap.clone()).prop_map(|(id, on, g)| MatchCommand::Propose {
            id,
            person: "p".into(),
            household: "h".into(),
            resource: "parents_group".into(),
            on,
            next_follow_up: on + chrono::Duration::days(g),
        }),
        (id.clone(), day.clone(), gap.clone()).prop_map(|(id, on, g)| MatchCommand::MarkTried {
            id,
            on,
            next_follow_up: on + chrono::Duration::days(g),
        }),
        (id.clone(), day.clone(), gap.clone()).prop_map(|(id, on, g)| {
            MatchCommand::MarkContinuing {
                id,
                on,
                next_follow_up: on + chrono::Duration::days(g),
            }
        }),
        (id.clone(), day.clone(), gap, any::<bool>(), arb_reason()).prop_map(
            |(id, on, g, stop, reason)| MatchCommand::RecordFollowUp {
                id,
                follow_up: FollowUp {
                    on,
                    by: None,
                    observation: Observation::Irregular,
                    next: if stop {
                        FollowUpNext::Stop { reason }
                    } else {
                        FollowUpNext::NextOn {
                            date: on + chrono::Duration::days(g),
                        }
                    },
                },
            }
        ),
        (id, day, arb_reason()).prop_map(|(id, on, reason)| MatchCommand::Stop { id, on, reason }),
    ]
}

proptest! {
    #[test]
    fn every_live_match_has_a_next_follow_up_after_its_last_date(
        cmds in proptest::collection::vec(arb_cmd(), 1..40)
    ) {
        let dir = y_directory();
        let mut book = MatchBook::new();
        for cmd in &cmds {
            let before = book.clone();
            match book.apply(cmd, &dir) {
                Ok(()) => {}
                Err(_) => prop_assert_eq!(&book, &before),
            }
            for m in book.matches() {
                let stage = m.status.stage();
                match m.next_follow_up() {
                    Some(next) => {
                        prop_assert!(stage != MatchStage::Stopped);
                        prop_assert!(next > m.last_date(), "{:?}", m);
                    }
                    None => prop_assert_eq!(stage, MatchStage::Stopped),
                }
                prop_assert_eq!(m.history.last().map(|h| h.to), Some(stage));
                if stage == MatchStage::Stopped {
                    let settled = matches!(m.status, MatchStatus::Stopped { reason: StopReason::Settled, .. });
                    if settled {
                        let n = m.history.len();
                        prop_assert_eq!(m.history[n - 2].to, MatchStage::Continuing);
                    }
                }
            }
            // Every live match is listed as due once its date comes.
            let far = d(2030, 1, 1);
            let due = follow_ups_due(book.matches(), far);
            let live = book.matches().iter().filter(|m| m.next_follow_up().is_some()).count();
            prop_assert_eq!(due.len(), live);
        }
    }
}
