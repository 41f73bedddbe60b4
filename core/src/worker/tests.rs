//! Unit tests of the roster, the actor check and case teams.

use super::*;
use crate::agency::{Agency, Directory};
use crate::taxonomy::Taxonomies;
use std::collections::BTreeSet;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, day).unwrap()
}

fn directory() -> Directory {
    let agencies: Vec<Agency> = serde_json::from_value(serde_json::json!([
        {"id": "council", "name": "社会福祉協議会", "kind": "social_welfare_council"},
        {"id": "ward", "name": "区保健福祉センター", "kind": "city_public_assistance_division"}
    ]))
    .unwrap();
    Directory::new(agencies, &Taxonomies::builtin()).unwrap()
}

fn worker(id: &str, agency: &str) -> Worker {
    Worker {
        id: id.into(),
        agency: agency.into(),
        name: "職員".into(),
        roles: BTreeSet::from(["community_social_worker".into()]),
    }
}

fn staff() -> Staff {
    let mut s = Staff::default();
    for (id, a) in [
        ("csw-1", "council"),
        ("csw-2", "council"),
        ("ward-1", "ward"),
    ] {
        s.register(worker(id, a)).unwrap();
    }
    s
}

#[test]
fn setup_mode_then_actor_required() {
    let empty = Staff::default();
    assert!(empty.authorise(None).is_ok(), "setup mode accepts no actor");
    let err = empty
        .authorise(Some(&Actor::new("csw-1", "council")))
        .unwrap_err();
    assert_eq!(err.code(), "unknown_worker");

    let s = staff();
    assert_eq!(s.authorise(None).unwrap_err().code(), "actor_required");
    assert!(s.authorise(Some(&Actor::new("csw-1", "council"))).is_ok());
    let err = s.authorise(Some(&Actor::new("csw-1", "ward"))).unwrap_err();
    assert_eq!(err.code(), "worker_not_of_agency");
    assert_eq!(err.path(), None);
}

#[test]
fn a_worker_who_left_acts_no_more() {
    let mut s = staff();
    s.leave(&"csw-2".into(), d(5, 1), LeaveReason::Transfer);
    let err = s
        .authorise(Some(&Actor::new("csw-2", "council")))
        .unwrap_err();
    assert_eq!(err.code(), "worker_inactive");
    assert_eq!(s.active_count(), 2);
}

#[test]
fn worker_document_is_validated() {
    let dir = directory();
    let roles = Roles::builtin();
    assert!(worker("a", "council").validate(&dir, &roles, "$").is_ok());
    let err = worker("a", "nowhere")
        .validate(&dir, &roles, "$")
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("unknown_agency", Some("$.agency"))
    );
    let mut w = worker("a", "council");
    w.roles.clear();
    let err = w.validate(&dir, &roles, "$").unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("no_roles", Some("$.roles"))
    );
    w.roles.insert("wizard".into());
    let err = w.validate(&dir, &roles, "$").unwrap_err();
    assert_eq!(err.code(), "unknown_code");
    let mut w = worker("a", "council");
    w.name = "  ".into();
    let err = w.validate(&dir, &roles, "$").unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("empty_text", Some("$.name"))
    );
    let err = staff().register(worker("csw-1", "ward")).unwrap_err();
    assert_eq!(err.code(), "duplicate_worker");
}

#[test]
fn team_assignment_and_hand_over() {
    let s = staff();
    let mut teams = CaseTeams::default();
    let case: CaseId = "c-y".into();
    let council: AgencyId = "council".into();
    let none = BTreeSet::new();

    // The 主担当 works at the responsible window; a 副担当 may be of another agency.
    let err = teams
        .assign(&s, &case, &council, &"ward-1".into(), &none, d(4, 2))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("worker_not_of_agency", Some("$.main"))
    );
    let sub = BTreeSet::from(["ward-1".into()]);
    teams
        .assign(&s, &case, &council, &"csw-1".into(), &sub, d(4, 2))
        .unwrap();
    let before = teams.clone();

    // The main worker changes only by a hand-over.
    let err = teams
        .assign(&s, &case, &council, &"csw-2".into(), &sub, d(4, 3))
        .unwrap_err();
    assert_eq!(err.code(), "handover_required");
    let err = teams
        .assign(
            &s,
            &case,
            &council,
            &"csw-1".into(),
            &BTreeSet::from(["csw-1".into()]),
            d(4, 3),
        )
        .unwrap_err();
    assert_eq!(err.code(), "duplicate_member");
    let err = teams
        .hand_over(&s, &case, &council, &"csw-1".into(), d(4, 3), "異動")
        .unwrap_err();
    assert_eq!(err.code(), "same_worker");
    let err = teams
        .hand_over(&s, &case, &council, &"csw-2".into(), d(4, 1), "異動")
        .unwrap_err();
    assert_eq!(err.code(), "date_out_of_order");
    let err = teams
        .hand_over(&s, &case, &council, &"csw-2".into(), d(4, 3), " ")
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("empty_text", Some("$.reason"))
    );
    let err = teams
        .hand_over(
            &s,
            &"c-x".into(),
            &council,
            &"csw-2".into(),
            d(4, 3),
            "異動",
        )
        .unwrap_err();
    assert_eq!(err.code(), "no_team");
    assert_eq!(teams, before, "refused changes change nothing");

    teams
        .hand_over(&s, &case, &council, &"csw-2".into(), d(4, 3), "異動")
        .unwrap();
    let team = teams.get(&case).unwrap();
    assert_eq!(team.main, WorkerId::from("csw-2"));
    assert_eq!(team.position_of(&"csw-1".into()), None);
    assert_eq!(team.position_of(&"ward-1".into()), Some(TeamPosition::Sub));
    assert_eq!(team.history.len(), 2);
    assert_eq!(team.hand_overs().count(), 1);
    let csw2: WorkerId = "csw-2".into();
    let mine: Vec<_> = teams.cases_of(&csw2).collect();
    assert_eq!(mine, vec![(&case, TeamPosition::Main)]);
}
