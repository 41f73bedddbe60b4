//! Tests of household validation (世帯情報の検証): every code and path, relation and age rules,
//! and the property that generated households are valid.

use super::super::*;
use crate::coded::Coded;
use crate::household::strategies;
use crate::taxonomy::Taxonomies;
use proptest::prelude::*;

fn today() -> NaiveDate {
    strategies::today()
}

fn aged(id: &str, relation: Relation, age: u32) -> Person {
    let mut p = Person::new(id, relation);
    p.approx_age = Some(age);
    p
}

fn valid() -> Household {
    let mut head = aged("p1", Relation::Head, 45);
    head.cares_for = vec!["p2".into()];
    head.issues = vec!["income_living_costs".into()];
    let mut child = aged("p2", Relation::Child, 10);
    child.disabilities = vec![DisabilityCertificate {
        kind: "intellectual".into(),
        grade: Some("A".into()),
    }];
    let mut parent = aged("p3", Relation::Parent, 75);
    parent.care_level = Some("care_2".into());
    Household {
        id: "h1".into(),
        area: Area::default(),
        members: vec![head, child, parent],
        issues: vec!["housing".into()],
        ties: vec![Tie {
            member: Some("p1".into()),
            with: TieParty::Informal {
                kind: "neighbour".into(),
                label: None,
            },
            strength: TieStrength::Weak,
        }],
    }
}

/// (code, path) of every problem.
fn problems(h: &Household) -> Vec<(&'static str, String)> {
    validate_all(h, &Taxonomies::builtin(), today())
        .into_iter()
        .map(|e| (e.code(), e.path().unwrap_or_default()))
        .collect()
}

fn one(code: &'static str, path: &str) -> Vec<(&'static str, String)> {
    vec![(code, path.to_string())]
}

#[test]
fn valid_household_passes() {
    let h = valid();
    assert_eq!(problems(&h), vec![]);
    assert_eq!(validate(&h, &Taxonomies::builtin(), today()), Ok(()));
    assert_eq!(h.validate(&Taxonomies::builtin(), today()), Ok(()));
}

#[test]
fn empty_ids() {
    let mut h = valid();
    h.id = "".into();
    h.members[1].id = " ".into();
    h.members[0].cares_for.clear();
    assert_eq!(
        problems(&h),
        vec![
            ("empty_id", "$.id".to_string()),
            ("empty_id", "$.members[1].id".to_string())
        ]
    );
}

#[test]
fn empty_household() {
    let mut h = valid();
    h.members.clear();
    h.ties.clear();
    assert_eq!(problems(&h), one("empty_household", "$.members"));
}

#[test]
fn duplicate_member() {
    let mut h = valid();
    h.members[2].id = "p2".into();
    assert_eq!(problems(&h), one("duplicate_member", "$.members[2].id"));
}

#[test]
fn multiple_heads_and_spouses() {
    let mut h = valid();
    h.members.push(aged("p4", Relation::Head, 40));
    h.members.push(aged("p5", Relation::Spouse, 40));
    h.members.push(aged("p6", Relation::Spouse, 41));
    assert_eq!(
        problems(&h),
        vec![
            ("multiple_heads", "$.members[3].relation".to_string()),
            ("multiple_spouses", "$.members[5].relation".to_string())
        ]
    );
}

#[test]
fn birth_date_in_future() {
    let mut h = valid();
    h.members[1].approx_age = None;
    h.members[1].birth_date = NaiveDate::from_ymd_opt(2024, 4, 2);
    assert_eq!(
        problems(&h),
        one("birth_date_in_future", "$.members[1].birth_date")
    );
    // Born today is fine (age 0).
    h.members[1].birth_date = Some(today());
    assert_eq!(problems(&h), vec![]);
}

#[test]
fn birth_date_and_approx_age_must_agree_within_tolerance() {
    let mut h = valid();
    // Born 2014-04-01: exactly 10 on 2024-04-01.
    h.members[1].birth_date = NaiveDate::from_ymd_opt(2014, 4, 1);
    h.members[1].approx_age = Some(10 + APPROX_AGE_TOLERANCE);
    assert_eq!(problems(&h), vec![]);
    h.members[1].approx_age = Some(10 + APPROX_AGE_TOLERANCE + 1);
    assert_eq!(problems(&h), one("age_mismatch", "$.members[1].approx_age"));
}

#[test]
fn implausible_age() {
    let mut h = valid();
    h.members[2].approx_age = Some(MAX_PLAUSIBLE_AGE + 1);
    assert_eq!(
        problems(&h),
        one("implausible_age", "$.members[2].approx_age")
    );
}

#[test]
fn cares_for_references() {
    let mut h = valid();
    h.members[0].cares_for = vec!["p1".into(), "p9".into(), "p2".into(), "p2".into()];
    assert_eq!(
        problems(&h),
        vec![
            ("self_reference", "$.members[0].cares_for[0]".to_string()),
            ("unknown_member", "$.members[0].cares_for[1]".to_string()),
            (
                "duplicate_reference",
                "$.members[0].cares_for[3]".to_string()
            ),
        ]
    );
}

#[test]
fn tie_member_must_exist() {
    let mut h = valid();
    h.ties[0].member = Some("p9".into());
    assert_eq!(problems(&h), one("unknown_member", "$.ties[0].member"));
}

#[test]
fn relation_consistency_against_head() {
    let mut h = valid();
    h.members[1].approx_age = Some(46); // child older than the head (45)
    h.members[2].approx_age = Some(44); // parent younger than the head
    assert_eq!(
        problems(&h),
        vec![
            ("inconsistent_relation", "$.members[1].relation".to_string()),
            ("inconsistent_relation", "$.members[2].relation".to_string()),
        ]
    );
    // Same age passes; unknown ages are not checked.
    h.members[1].approx_age = Some(45);
    h.members[2].approx_age = None;
    assert_eq!(problems(&h), vec![]);
    // A sibling or spouse may be either side.
    h.members.push(aged("p4", Relation::Sibling, 80));
    h.members.push(aged("p5", Relation::Spouse, 20));
    assert_eq!(problems(&h), vec![]);
}

#[test]
fn taxonomy_codes_are_checked() {
    let mut h = valid();
    h.issues = vec!["no_such_issue".into()];
    h.members[2].care_level = Some("care_9".into());
    h.members[1].disabilities[0].kind = "psychic".into();
    h.members[0].issues.push("unknown".into());
    assert_eq!(
        problems(&h),
        vec![
            ("unknown_code", "$.members[0].issues[1]".to_string()),
            (
                "unknown_code",
                "$.members[1].disabilities[0].kind".to_string()
            ),
            ("unknown_code", "$.members[2].care_level".to_string()),
            ("unknown_code", "$.issues[0]".to_string()),
        ]
    );
}

#[test]
fn duplicate_issue() {
    let mut h = valid();
    h.members[0].issues.push("income_living_costs".into());
    h.issues.push("housing".into());
    assert_eq!(
        problems(&h),
        vec![
            ("duplicate_issue", "$.members[0].issues[1]".to_string()),
            ("duplicate_issue", "$.issues[1]".to_string()),
        ]
    );
}

#[test]
fn validate_returns_the_first_problem() {
    let mut h = valid();
    h.members[2].id = "p2".into();
    h.issues = vec!["nope".into()];
    let err = validate(&h, &Taxonomies::builtin(), today()).unwrap_err();
    assert_eq!(err.code(), "duplicate_member");
    assert_eq!(err.path().as_deref(), Some("$.members[2].id"));
    assert!(!err.to_string().contains("name"));
}

#[test]
fn messages_carry_ids_not_names() {
    let mut h = valid();
    h.members[2].name = Some("山田花子".into());
    h.members[2].approx_age = Some(30);
    let errs = validate_all(&h, &Taxonomies::builtin(), today());
    assert_eq!(errs.len(), 1);
    let msg = errs[0].to_string();
    assert!(msg.contains("p3") && !msg.contains("山田"), "{msg}");
}

#[test]
fn every_code_is_listed_once() {
    use crate::coded::Coded;
    let p = || "$".to_string();
    let id = || PersonId::new("p");
    let all = [
        HouseholdError::EmptyId { path: p() },
        HouseholdError::EmptyHousehold {
            household: "h".into(),
            path: p(),
        },
        HouseholdError::DuplicateMember {
            id: id(),
            path: p(),
        },
        HouseholdError::MultipleHeads {
            id: id(),
            path: p(),
        },
        HouseholdError::MultipleSpouses {
            id: id(),
            path: p(),
        },
        HouseholdError::BirthDateInFuture {
            id: id(),
            path: p(),
        },
        HouseholdError::AgeMismatch {
            id: id(),
            age: 1,
            approx_age: 9,
            path: p(),
        },
        HouseholdError::ImplausibleAge {
            id: id(),
            age: 200,
            path: p(),
        },
        HouseholdError::UnknownMember {
            id: id(),
            path: p(),
        },
        HouseholdError::SelfReference {
            id: id(),
            path: p(),
        },
        HouseholdError::DuplicateReference {
            id: id(),
            path: p(),
        },
        HouseholdError::DuplicateIssue {
            code: "x".into(),
            path: p(),
        },
        HouseholdError::InconsistentRelation {
            id: id(),
            relation: "child",
            age: 1,
            head: "q".into(),
            head_age: 0,
            path: p(),
        },
        HouseholdError::UnknownIssueStatus { path: p() },
        HouseholdError::DateInFuture(crate::calendar::DateInFuture {
            date: NaiveDate::MAX,
            today: NaiveDate::MIN,
            path: p(),
        }),
    ];
    let codes: Vec<&str> = all.iter().map(|e| e.code()).collect();
    assert_eq!(codes, HouseholdError::CODES);
    assert!(all.iter().all(|e| e.path().as_deref() == Some("$")));
}

#[test]
fn from_json_parses_and_validates() {
    let tax = Taxonomies::builtin();
    let text = r#"{
        "id": "h1",
        "members": [
            {"id": "p1", "relation": "head", "approx_age": 82, "employment": "retired"},
            {"id": "p2", "relation": "child", "birth_date": "1972-01-15",
             "issues": ["hikikomori"], "engagement": "not_engaging"}
        ]
    }"#;
    let h = Household::from_json(text, &tax, today()).unwrap();
    assert_eq!(h.members[1].age_on(today()), Some(52));

    let bad = text.replace("\"child\"", "\"parent\"");
    let err = Household::from_json(&bad, &tax, today()).unwrap_err();
    assert_eq!(err.code(), "inconsistent_relation");
    assert_eq!(err.path().as_deref(), Some("$.members[1].relation"));

    let unknown_field = text.replace("\"approx_age\"", "\"aproxage\"");
    let err = Household::from_json(&unknown_field, &tax, today()).unwrap_err();
    assert_eq!(err.code(), "malformed_document");
}

#[test]
fn issue_status_onset_and_source_are_validated_with_paths() {
    let tax = Taxonomies::builtin();
    let doc = |issues: &str| {
        format!(
            r#"{{"id": "h1", "members": [{{"id": "p1", "relation": "head", "approx_age": 45,
                "issues": {issues}}}]}}"#
        )
    };
    // Both forms together, in their canonical shapes.
    let ok = doc(
        r#"["income_living_costs", {"code": "dv", "status": "past", "onset": "2019-05-01", "source": "self_reported"}]"#,
    );
    let h = Household::from_json(&ok, &tax, today()).unwrap();
    assert_eq!(
        h.members[0].issues[0],
        Issue::current("income_living_costs")
    );
    assert_eq!(h.members[0].issues[1].status, IssueStatus::Past);
    assert_eq!(
        h.members[0].current_issues().collect::<Vec<_>>(),
        vec![&IssueCode::from("income_living_costs")]
    );

    let unknown = doc(r#"["debt", {"code": "dv", "status": "former"}]"#);
    let err = Household::from_json(&unknown, &tax, today()).unwrap_err();
    assert_eq!(err.code(), "unknown_issue_status");
    assert_eq!(err.path().as_deref(), Some("$.members[0].issues[1].status"));
    assert!(!err.to_string().contains("former"));

    let future = doc(r#"[{"code": "dv", "status": "current", "onset": "2030-01-01"}]"#);
    let err = Household::from_json(&future, &tax, today()).unwrap_err();
    assert_eq!(err.code(), "date_in_future");
    assert_eq!(err.path().as_deref(), Some("$.members[0].issues[0].onset"));
    // The onset may be today.
    let on_today = doc(&format!(r#"[{{"code": "dv", "onset": "{}"}}]"#, today()));
    assert!(Household::from_json(&on_today, &tax, today()).is_ok());

    // One record per issue whatever its status; the object form's path names the code.
    let twice = doc(r#"["dv", {"code": "dv", "status": "past"}]"#);
    let err = Household::from_json(&twice, &tax, today()).unwrap_err();
    assert_eq!(err.code(), "duplicate_issue");
    assert_eq!(err.path().as_deref(), Some("$.members[0].issues[1].code"));
    let unknown_code = doc(r#"[{"code": "flying", "status": "past"}]"#);
    let err = Household::from_json(&unknown_code, &tax, today()).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("$.members[0].issues[0].code"));

    // A bad source is a malformed document (sources are a closed list, like relations).
    let bad_source = doc(r#"[{"code": "dv", "source": "rumour"}]"#);
    let err = Household::from_json(&bad_source, &tax, today()).unwrap_err();
    assert_eq!(err.code(), "malformed_document");
}

#[test]
fn an_old_household_serialises_to_the_same_canonical_json() {
    // Plain-string issues (every household written before issue status) come back unchanged,
    // so journals that hash them keep their hashes.
    let text = r#"{"id":"h1","members":[{"id":"p1","relation":"head","approx_age":45,"issues":["dv","debt"]}],"issues":["hoarding"]}"#;
    let h: Household = serde_json::from_str(text).unwrap();
    let back = serde_json::to_string(&h).unwrap();
    assert_eq!(serde_json::from_str::<Household>(&back).unwrap(), h);
    assert!(back.contains(r#""issues":["dv","debt"]"#), "{back}");
    assert!(back.contains(r#""issues":["hoarding"]"#), "{back}");
}

proptest! {
    #[test]
    fn generated_households_are_valid(h in strategies::household()) {
        let errs = validate_all(&h, &Taxonomies::builtin(), today());
        prop_assert!(errs.is_empty(), "{errs:?}");
        // And survive a JSON round trip through from_json.
        let text = serde_json::to_string(&h).unwrap();
        let back = Household::from_json(&text, &Taxonomies::builtin(), today()).unwrap();
        prop_assert_eq!(back, h);
    }
}
