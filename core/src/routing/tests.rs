//! Tests of the routing module: loading (JSON, TOML), validation reporting every problem,
//! predicates, override by id, explanations, the no-drop property and the seed scenarios.

use super::*;
use crate::household::{
    DisabilityCertificate, Employment, Engagement, Household, Issue, IssueStatus, Person, Relation,
};
use crate::ids::*;
use chrono::NaiveDate;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2024, 6, 1)
}

/// A status for generated issues: mostly current, and each other status in turn.
fn status_of(k: usize) -> IssueStatus {
    [
        IssueStatus::Current,
        IssueStatus::Current,
        IssueStatus::Past,
        IssueStatus::Suspected,
        IssueStatus::Resolved,
    ][k % 5]
}

fn situation() -> Situation {
    Situation::new(today())
}

fn person(id: &str, relation: Relation, age: u32, issues: &[&str]) -> Person {
    let mut p = Person::new(id, relation);
    p.approx_age = Some(age);
    p.issues = issues.iter().map(|c| Issue::current(*c)).collect();
    p
}

fn household(id: &str, members: Vec<Person>) -> Household {
    Household {
        id: HouseholdId::from(id),
        area: Default::default(),
        members,
        issues: Vec::new(),
        ties: Vec::new(),
    }
}

fn router() -> &'static Router {
    static ROUTER: std::sync::OnceLock<Router> = std::sync::OnceLock::new();
    ROUTER.get_or_init(|| Router::builtin(RoutingEnv::builtin()).expect("builtin compiles"))
}

fn ids(r: &Routing) -> Vec<&str> {
    r.recommendations.iter().map(|x| x.rule.as_str()).collect()
}

fn kinds(r: &Routing) -> Vec<&str> {
    r.recommendations
        .iter()
        .filter_map(|x| x.agency_kind.as_ref().map(|k| k.as_str()))
        .collect()
}

fn rec<'a>(r: &'a Routing, rule: &str) -> &'a Recommendation {
    r.recommendations
        .iter()
        .find(|x| x.rule.as_str() == rule)
        .unwrap_or_else(|| panic!("no recommendation from {rule}: {:?}", ids(r)))
}

fn problems(err: RoutingError) -> Vec<RuleProblem> {
    match err {
        RoutingError::InvalidRuleDocument { problems } => problems,
        other => panic!("expected invalid_rule_document, got {other:?}"),
    }
}

/// A router with one test rule `t` whose condition is `cond` (JSON).
fn single(cond: &str) -> Router {
    let doc = format!(
        r#"{{"rules": [{{"id": "t", "description": {{"ja": "テスト", "en": "test"}}, "priority": 1,
            "when": {cond}, "then": {{"project": "multi_agency"}}}}]}}"#
    );
    let env = RoutingEnv::builtin();
    let set = RuleSet::from_json(&doc, &env).unwrap_or_else(|e| panic!("{e}"));
    Router::compile(&set, env).unwrap()
}

fn holds(cond: &str, h: &Household, s: &Situation) -> bool {
    let r = single(cond);
    let mut scratch = Scratch::new();
    let m = r.matches(h, s, &mut scratch);
    let fast = !m[0].is_fallback();
    let slow = r.evaluate(h, s).recommendations[0].rule.as_str() == "t";
    assert_eq!(fast, slow, "hot path and explained path disagree on {cond}");
    fast
}

// ------------------------------------------------------------------ loading

#[test]
fn builtin_rules_are_valid_and_reference_directory_loads() {
    let env = RoutingEnv::builtin();
    assert!(env.directory.agencies().len() > 10);
    let set = RuleSet::from_toml(RuleSet::builtin_text(), &env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set, RuleSet::builtin().clone());
    assert!(set.problems(&env).is_empty());
    assert!(set.get(&"window.elderly".into()).is_some());
}

#[test]
fn json_and_toml_documents_load_to_the_same_rules() {
    let env = RoutingEnv::builtin();
    let toml_doc = r#"
[[rules]]
id = "x.elderly_area"
description = { ja = "高齢者（A地区）", en = "Older people in area A" }
priority = 300
when = { all = [{ member = { age = { min = 65 } } }, { area = ["a01"] }] }
then = { agency_kind = "social_welfare_council", project = "community_building" }
"#;
    let json_doc = r#"{"rules": [{"id": "x.elderly_area",
        "description": {"ja": "高齢者（A地区）", "en": "Older people in area A"}, "priority": 300,
        "when": {"all": [{"member": {"age": {"min": 65}}}, {"area": ["a01"]}]},
        "then": {"agency_kind": "social_welfare_council", "project": "community_building"}}]}"#;
    let a = RuleSet::from_toml(toml_doc, &env).unwrap();
    let b = RuleSet::from_json(json_doc, &env).unwrap();
    assert_eq!(a.rules(), b.rules());
    // Round trip through the typed document.
    let text = serde_json::to_string(&a.to_document()).unwrap();
    assert_eq!(RuleSet::from_json(&text, &env).unwrap().rules(), a.rules());
    // And the default rules round-trip through JSON.
    let builtin = serde_json::to_string(&RuleSet::builtin().to_document()).unwrap();
    assert_eq!(
        RuleSet::from_json(&builtin, &env).unwrap().rules(),
        RuleSet::builtin().rules()
    );
}

#[test]
fn malformed_text_is_a_document_error() {
    let env = RoutingEnv::builtin();
    let err = RuleSet::from_json("{ not json", &env).unwrap_err();
    assert_eq!(err.code(), "malformed_document");
    let err = RuleSet::from_toml("[[rules]\nid = ", &env).unwrap_err();
    assert_eq!(err.code(), "malformed_document");
}

// ------------------------------------------------------------------ validation

#[test]
fn validation_reports_every_problem_with_rule_and_path() {
    let env = RoutingEnv::builtin();
    let doc = r#"{"rules": [
      {"id": "a", "description": {"ja": "a", "en": "a"}, "priority": "high",
       "when": {"has_issue": {"codes": ["no_such_issue"]}}, "then": {"agency_kind": "nowhere"}},
      {"id": "b", "description": {"ja": "b", "en": "b"}, "priority": 1,
       "when": {"all": []}, "then": {}},
      {"id": "c", "description": {"ja": "c", "en": "c"}, "priority": 1,
       "when": {"member": {"age": {"min": 70, "max": 60}, "colour": "red"}},
       "then": {"agency_kind": "community_general_support_center", "project": "outreach"}},
      {"id": "c", "description": {"ja": "c2", "en": "c2"}, "priority": 2,
       "when": {"pattern": "8060"},
       "then": {"project": "multi_agency", "meeting": "tea_party",
                "meeting_without_consent": "multi_layered_support_meeting"}},
      {"id": "d", "description": {"ja": "d", "en": "d"}, "priority": 3,
       "when": {"consent": ["none"]},
       "then": {"project": "multi_agency", "meeting_without_consent": "multi_layered_support_meeting"}},
      {"id": "d", "description": {"ja": "d", "en": "d"}, "priority": 3,
       "when": {"urgency": []}, "then": {"project": "outreach"}},
      {"id": "e", "description": {"ja": "e", "en": "e"}, "priority": 3,
       "when": {"any": [{"member": {"age": {"min": 70, "max": 60}}},
                        {"count": {"of": "domains", "at_least": 4, "at_most": 2}},
                        {"member": {"care_level": {"min": "care_9"}}}]},
       "then": {"project": "outreach", "meeting": "network_meeting"}}
    ], "extra": 1}"#;
    let err = RuleSet::from_json(doc, &env).unwrap_err();
    assert_eq!(err.code(), "invalid_rule_document");
    let ps = problems(err);
    let has = |code: &str, rule: Option<&str>, path: &str| {
        ps.iter().any(|p| {
            p.code == code && p.rule.as_ref().map(|r| r.as_str()) == rule && p.path == path
        })
    };
    let dump = ps
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(has("unknown_field", None, "$.extra"), "{dump}");
    assert!(
        has("wrong_type", Some("a"), "$.rules[0].priority"),
        "{dump}"
    );
    assert!(
        has(
            "unknown_code",
            Some("a"),
            "$.rules[0].when.has_issue.codes[0]"
        ),
        "{dump}"
    );
    assert!(
        has("unknown_code", Some("a"), "$.rules[0].then.agency_kind"),
        "{dump}"
    );
    assert!(
        has("empty_condition", Some("b"), "$.rules[1].when.all"),
        "{dump}"
    );
    assert!(has("empty_outcome", Some("b"), "$.rules[1].then"), "{dump}");
    assert!(
        has("unknown_field", Some("c"), "$.rules[2].when.member.colour"),
        "{dump}"
    );
    assert!(
        has(
            "invalid_range",
            Some("e"),
            "$.rules[6].when.any[0].member.age"
        ),
        "{dump}"
    );
    assert!(
        has("invalid_range", Some("e"), "$.rules[6].when.any[1].count"),
        "{dump}"
    );
    assert!(
        has(
            "unknown_code",
            Some("e"),
            "$.rules[6].when.any[2].member.care_level.min"
        ),
        "{dump}"
    );
    assert!(
        has(
            "contradictory_outcome",
            Some("e"),
            "$.rules[6].then.meeting"
        ),
        "{dump}"
    );
    assert!(
        has(
            "contradictory_outcome",
            Some("c"),
            "$.rules[2].then.project"
        ),
        "{dump}"
    );
    assert!(
        has("unknown_code", Some("c"), "$.rules[3].when.pattern"),
        "{dump}"
    );
    assert!(
        has("unknown_code", Some("c"), "$.rules[3].then.meeting"),
        "{dump}"
    );
    assert!(
        has(
            "contradictory_outcome",
            Some("d"),
            "$.rules[4].then.meeting_without_consent"
        ),
        "{dump}"
    );
    assert!(
        has("duplicate_rule_id", Some("d"), "$.rules[5].id"),
        "{dump}"
    );
    assert!(
        has("empty_condition", Some("d"), "$.rules[5].when.urgency"),
        "{dump}"
    );
    assert!(ps.len() >= 18, "{dump}");
    // In document order.
    let first_rule_4 = ps
        .iter()
        .position(|p| p.path.starts_with("$.rules[4]"))
        .unwrap();
    assert!(ps[..first_rule_4]
        .iter()
        .all(|p| !p.path.starts_with("$.rules[5]")));
    assert_eq!(ps[0].path, "$.extra");
    // Every problem has a code listed in RuleProblem::CODES.
    for p in &ps {
        assert!(RuleProblem::CODES.contains(&p.code.as_str()), "{}", p.code);
    }
}

#[test]
fn toml_problems_carry_line_numbers() {
    let env = RoutingEnv::builtin();
    let doc = "\
[[rules]]
id = \"ok\"
description = { ja = \"よい\", en = \"fine\" }
priority = 1
when = { pattern = \"8050\" }
then = { project = \"multi_agency\" }

[[rules]]
id = \"bad\"
description = { ja = \"悪い\", en = \"bad\" }
priority = 2
when = { has_issue = { codes = [\"nope\"] } }
then = { agency_kind = \"nowhere\" }
";
    let ps = problems(RuleSet::from_toml(doc, &env).unwrap_err());
    let line = |path: &str| ps.iter().find(|p| p.path == path).and_then(|p| p.line);
    assert_eq!(
        line("$.rules[1].when.has_issue.codes[0]"),
        Some(12),
        "{ps:#?}"
    );
    assert_eq!(line("$.rules[1].then.agency_kind"), Some(13), "{ps:#?}");
    assert!(ps
        .iter()
        .all(|p| p.rule.as_ref().map(|r| r.as_str()) == Some("bad")));
    // The message carries codes, and Display shows the line.
    assert!(ps[0].to_string().contains("line 12"), "{}", ps[0]);
}

#[test]
fn shadowed_rules_are_reported() {
    let env = RoutingEnv::builtin();
    let doc = r#"{"rules": [
      {"id": "hi", "description": {"ja": "高", "en": "hi"}, "priority": 600,
       "when": {"any": [{"member": {"age": {"min": 65}}}, {"pattern": "isolated"}]},
       "then": {"agency_kind": "social_welfare_council", "project": "community_building"}},
      {"id": "lo", "description": {"ja": "低", "en": "lo"}, "priority": 100,
       "when": {"all": [{"member": {"age": {"min": 65}}}, {"has_issue": {"codes": ["dementia"]}}]},
       "then": {"agency_kind": "social_welfare_council", "project": "community_building"}},
      {"id": "other_target", "description": {"ja": "別", "en": "other"}, "priority": 100,
       "when": {"all": [{"member": {"age": {"min": 65}}}, {"has_issue": {"codes": ["dementia"]}}]},
       "then": {"agency_kind": "social_welfare_council", "project": "participation_support"}}
    ]}"#;
    let ps = problems(RuleSet::from_json(doc, &env).unwrap_err());
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert_eq!(ps[0].code, "shadowed_rule");
    assert_eq!(ps[0].rule, Some("lo".into()));
    assert_eq!(ps[0].related_rule, Some("hi".into()));
    assert_eq!(ps[0].path, "$.rules[1].when");

    // A municipality's rule shadowed by a default one.
    let ext = r#"{"rules": [{"id": "x.care_area", "description": {"ja": "介護（A地区）", "en": "care in A"},
        "priority": 100,
        "when": {"all": [{"has_issue": {"domains": ["long_term_care", "care_prevention"]}}, {"area": ["a01"]}]},
        "then": {"agency_kind": "community_general_support_center", "project": "comprehensive_consultation"}}]}"#;
    let ps = problems(RuleSet::builtin().extend_json(ext, &env).unwrap_err());
    assert_eq!(ps[0].code, "shadowed_rule", "{ps:#?}");
    assert_eq!(ps[0].related_rule, Some("window.elderly".into()));
    assert_eq!(ps[0].source, RuleSource::Document);
}

#[test]
fn same_condition_different_outcome_is_contradictory() {
    let env = RoutingEnv::builtin();
    let doc = r#"{"rules": [
      {"id": "a", "description": {"ja": "a", "en": "a"}, "priority": 5,
       "when": {"has_issue": {"codes": ["debt"]}}, "then": {"agency_kind": "lawyer", "urgency": "high"}},
      {"id": "b", "description": {"ja": "b", "en": "b"}, "priority": 5,
       "when": {"has_issue": {"codes": ["debt"]}}, "then": {"agency_kind": "lawyer", "urgency": "normal"}}
    ]}"#;
    let ps = problems(RuleSet::from_json(doc, &env).unwrap_err());
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert_eq!(ps[0].code, "contradictory_outcome");
    assert_eq!(ps[0].rule, Some("b".into()));
    assert_eq!(ps[0].related_rule, Some("a".into()));
}

#[test]
fn reserved_and_invalid_rule_ids() {
    let env = RoutingEnv::builtin();
    let doc = r#"{"rules": [
      {"id": "fallback", "description": {"ja": "a", "en": "a"}, "priority": 1,
       "when": {"pattern": "8050"}, "then": {"project": "multi_agency"}},
      {"id": "Bad Id", "description": {"ja": "", "en": "b"}, "priority": 1,
       "when": {"pattern": "isolated"}, "then": {"project": "participation_support"}}
    ]}"#;
    let ps = problems(RuleSet::from_json(doc, &env).unwrap_err());
    let codes: Vec<&str> = ps.iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"reserved_rule_id"), "{codes:?}");
    assert!(codes.contains(&"invalid_rule_id"), "{codes:?}");
    assert!(codes.contains(&"empty_description"), "{codes:?}");
}

#[test]
fn meeting_codes_are_checked_against_the_given_list() {
    let env = RoutingEnv::builtin().with_meetings(vec!["tsunagaru_kaigi".into()]);
    let doc = r#"{"rules": [{"id": "a", "description": {"ja": "a", "en": "a"}, "priority": 1,
       "when": {"pattern": "8050"}, "then": {"project": "multi_agency", "meeting": "tsunagaru_kaigi"}}]}"#;
    assert!(RuleSet::from_json(doc, &env).is_ok());
    let ps = problems(RuleSet::from_json(doc, &RoutingEnv::builtin()).unwrap_err());
    assert_eq!(ps[0].code, "unknown_code");
    assert_eq!(ps[0].path, "$.rules[0].then.meeting");
}

#[test]
fn invalid_documents_never_partially_load() {
    let env = RoutingEnv::builtin();
    let base = RuleSet::builtin();
    let doc = r#"{"rules": [
      {"id": "window.elderly", "description": {"ja": "上書き", "en": "override"}, "priority": 500,
       "when": {"member": {"age": {"min": 60}}}, "then": {"agency_kind": "social_welfare_council"}},
      {"id": "broken", "description": {"ja": "壊れ", "en": "broken"}, "priority": 1,
       "when": {"member": {}}, "then": {"agency_kind": "social_welfare_council"}}
    ], "remove": ["window.poverty"]}"#;
    let err = base.extend_json(doc, &env).unwrap_err();
    let ps = problems(err);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert_eq!(ps[0].code, "empty_condition");
    // Nothing changed.
    assert_eq!(base, RuleSet::builtin());
    assert!(base.get(&"window.poverty".into()).is_some());
}

// ------------------------------------------------------------------ override by id

#[test]
fn municipality_overrides_adds_and_removes_by_id() {
    let env = RoutingEnv::builtin();
    let doc = r#"{"rules": [
      {"id": "window.elderly", "description": {"ja": "高齢者：社協の総合相談", "en": "Older people: the council"},
       "priority": 500, "when": {"member": {"age": {"min": 65}, "has_issue": {"any": true}}},
       "then": {"agency_kind": "social_welfare_council", "project": "comprehensive_consultation"}},
      {"id": "x.evacuee", "description": {"ja": "広域避難者：社協", "en": "Evacuees: the council"},
       "priority": 450, "when": {"has_issue": {"codes": ["wide_area_evacuee"]}},
       "then": {"agency_kind": "social_welfare_council", "project": "participation_support"}}
    ], "remove": ["window.hospital_discharge"]}"#;
    let set = RuleSet::builtin()
        .extend_json(doc, &env)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.rules().len(), RuleSet::builtin().rules().len());
    assert!(set.get(&"window.hospital_discharge".into()).is_none());
    let pos = |s: &RuleSet, id: &str| s.rules().iter().position(|r| r.id.as_str() == id);
    assert_eq!(
        pos(&set, "window.elderly"),
        pos(&RuleSet::builtin(), "window.elderly"),
        "an override keeps its place"
    );
    let r = Router::compile(&set, env).unwrap();
    let mut grandma = person("p1", Relation::Head, 80, &["dementia", "wide_area_evacuee"]);
    grandma.hospitalised = true;
    let h = household("h1", vec![grandma]);
    let out = r.evaluate(&h, &situation());
    assert_eq!(
        rec(&out, "window.elderly").agency_kind,
        Some("social_welfare_council".into())
    );
    assert_eq!(
        rec(&out, "x.evacuee").project,
        Some("participation_support".into())
    );
    assert!(!ids(&out).contains(&"window.hospital_discharge"));

    // Removing an unknown rule is a problem.
    let ps = problems(
        RuleSet::builtin()
            .extend_json(r#"{"remove": ["no.such.rule"]}"#, &RoutingEnv::builtin())
            .unwrap_err(),
    );
    assert_eq!(ps[0].code, "unknown_rule");
    assert_eq!(ps[0].path, "$.remove[0]");
}

// ------------------------------------------------------------------ predicates

#[test]
fn predicate_member_fields() {
    let s = situation();
    let mut p1 = person("p1", Relation::Head, 82, &["frailty"]);
    p1.care_level = Some("care_2".into());
    p1.public_assistance = true;
    p1.cares_for = vec!["p2".into()];
    p1.employment = Some(Employment::Retired);
    let mut p2 = person("p2", Relation::Child, 52, &["hikikomori"]);
    p2.engagement = Engagement::NotEngaging;
    p2.disabilities = vec![DisabilityCertificate {
        kind: "mental".into(),
        grade: Some("2級".into()),
    }];
    p2.hospitalised = true;
    let h = household("h", vec![p1, p2]);

    assert!(holds(
        r#"{"member": {"age": {"min": 80, "max": 85}}}"#,
        &h,
        &s
    ));
    assert!(!holds(r#"{"member": {"age": {"min": 83}}}"#, &h, &s));
    // Both fields must hold for the same member.
    assert!(!holds(
        r#"{"member": {"age": {"min": 80}, "has_issue": {"codes": ["hikikomori"]}}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"age": {"max": 60}, "has_issue": {"codes": ["hikikomori"]}}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"care_level": {"min": "care_1", "max": "care_3"}}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"member": {"care_level": {"min": "care_3"}}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"disability": {"kinds": ["mental"]}}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"member": {"disability": {"kinds": ["physical"]}}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"disability": {}, "hospitalised": true}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"public_assistance": true, "head": true, "carer": true}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"member": {"public_assistance": true, "head": false}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"single_parent": false, "relation": ["child"]}}"#,
        &h,
        &s
    ));
    assert!(!holds(r#"{"member": {"single_parent": true}}"#, &h, &s));
    assert!(holds(
        r#"{"member": {"employment": ["retired", "unemployed"]}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"member": {"employment": ["full_time"]}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"engagement": ["not_engaging"], "relation": ["child"]}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"member": {"school_stage": ["post_school"], "age": {"min": 80}}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"member": {"school_stage": ["elementary", "junior_high"]}}"#,
        &h,
        &s
    ));
}

#[test]
fn predicate_unknown_age_never_matches() {
    let s = situation();
    let h = household("h", vec![Person::new("p1", Relation::Head)]);
    assert!(!holds(r#"{"member": {"age": {"min": 0}}}"#, &h, &s));
    assert!(holds(r#"{"not": {"member": {"age": {"min": 0}}}}"#, &h, &s));
    assert!(!holds(
        r#"{"member": {"school_stage": ["preschool"]}}"#,
        &h,
        &s
    ));
}

#[test]
fn predicate_issues_by_code_domain_flag_and_any() {
    let s = situation();
    let mut h = household("h", vec![person("p1", Relation::Head, 40, &["debt"])]);
    h.issues = vec!["housing".into()];
    assert!(holds(r#"{"has_issue": {"codes": ["debt"]}}"#, &h, &s));
    assert!(
        holds(r#"{"has_issue": {"codes": ["housing"]}}"#, &h, &s),
        "household-level issues count"
    );
    assert!(!holds(r#"{"has_issue": {"codes": ["dv"]}}"#, &h, &s));
    assert!(holds(r#"{"has_issue": {"domains": ["housing"]}}"#, &h, &s));
    assert!(!holds(
        r#"{"has_issue": {"domains": ["education"]}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"has_issue": {"life_threatening": true}}"#,
        &h,
        &s
    ));
    assert!(holds(r#"{"has_issue": {"any": true}}"#, &h, &s));
    // A member's own issue versus the household's.
    assert!(!holds(
        r#"{"member": {"has_issue": {"codes": ["housing"]}}}"#,
        &h,
        &s
    ));
    let h2 = household(
        "h2",
        vec![person("p1", Relation::Head, 40, &["suicide_risk"])],
    );
    assert!(holds(
        r#"{"has_issue": {"life_threatening": true}}"#,
        &h2,
        &s
    ));
    let empty = household("h3", vec![person("p1", Relation::Head, 40, &[])]);
    assert!(!holds(r#"{"has_issue": {"any": true}}"#, &empty, &s));
}

#[test]
fn predicate_situation_area_engagement_and_counts() {
    let mut s = situation();
    let mut p = person(
        "p1",
        Relation::Head,
        40,
        &["debt", "job_search", "mental_health"],
    );
    p.engagement = Engagement::Refuses;
    let mut h = household("h", vec![p, person("p2", Relation::Child, 10, &[])]);
    h.area.daily_life_area = Some("zone3".into());
    assert!(holds(r#"{"consent": ["none", "refused"]}"#, &h, &s));
    s.consent = ConsentState::Given;
    assert!(!holds(r#"{"consent": ["none", "refused"]}"#, &h, &s));
    assert!(holds(r#"{"urgency": ["normal"]}"#, &h, &s));
    s.urgency = Urgency::Immediate;
    assert!(holds(r#"{"urgency": ["immediate", "high"]}"#, &h, &s));
    assert!(holds(r#"{"area": ["zone1", "zone3"]}"#, &h, &s));
    assert!(!holds(r#"{"area": ["zone1"]}"#, &h, &s));
    assert!(holds(r#"{"engagement": ["refuses"]}"#, &h, &s));
    assert!(!holds(r#"{"engagement": ["not_engaging"]}"#, &h, &s));
    // welfare (debt), work (job_search), health_medical (mental_health)
    assert!(holds(
        r#"{"count": {"of": "domains", "at_least": 3}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"count": {"of": "domains", "at_least": 4}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"count": {"of": "issues", "at_least": 3, "at_most": 3}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"count": {"of": "members", "at_least": 2}}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"count": {"of": "members_with_issues", "at_most": 1}}"#,
        &h,
        &s
    ));
}

#[test]
fn predicate_combinators() {
    let s = situation();
    let h = household("h", vec![person("p1", Relation::Head, 70, &["debt"])]);
    assert!(holds(
        r#"{"all": [{"member": {"age": {"min": 65}}}, {"has_issue": {"codes": ["debt"]}}]}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"all": [{"member": {"age": {"min": 65}}}, {"has_issue": {"codes": ["dv"]}}]}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"any": [{"has_issue": {"codes": ["dv"]}}, {"has_issue": {"codes": ["debt"]}}]}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"any": [{"has_issue": {"codes": ["dv"]}}, {"pattern": "8050"}]}"#,
        &h,
        &s
    ));
    assert!(holds(
        r#"{"not": {"has_issue": {"codes": ["dv"]}}}"#,
        &h,
        &s
    ));
    assert!(!holds(
        r#"{"not": {"not": {"has_issue": {"codes": ["dv"]}}}}"#,
        &h,
        &s
    ));
}

#[test]
fn school_stage_follows_the_april_cohort_rule() {
    use document::SchoolStage as S;
    // Born 2017-04-01: older cohort, grade 1 from April 2023.
    assert_eq!(
        S::on(date(2017, 4, 1), date(2023, 4, 1)),
        Some(S::Elementary)
    );
    assert_eq!(
        S::on(date(2017, 4, 1), date(2023, 3, 31)),
        Some(S::Preschool)
    );
    // Born 2017-04-02: enters April 2024.
    assert_eq!(
        S::on(date(2017, 4, 2), date(2024, 3, 31)),
        Some(S::Preschool)
    );
    assert_eq!(
        S::on(date(2017, 4, 2), date(2024, 4, 1)),
        Some(S::Elementary)
    );
    assert_eq!(S::on(date(2010, 5, 1), today()), Some(S::JuniorHigh));
    assert_eq!(S::on(date(2008, 5, 1), today()), Some(S::HighSchool));
    assert_eq!(S::on(date(1990, 5, 1), today()), Some(S::PostSchool));
    assert_eq!(S::on(date(2030, 1, 1), today()), None);
    assert_eq!(S::for_age(9), S::Elementary);
}

// ------------------------------------------------------------------ ranking, meetings, fallback

#[test]
fn life_threatening_comes_first_and_meeting_follows_consent() {
    let r = router();
    let mut mother = person("p1", Relation::Head, 35, &["dv", "debt", "job_search"]);
    mother.single_parent = true;
    let child = person("p2", Relation::Child, 6, &[]);
    let h = household("h", vec![mother, child]);
    let mut s = situation();
    let out = r.evaluate(&h, &s);
    assert_eq!(out.recommendations[0].urgency, Urgency::Immediate);
    assert_eq!(
        out.recommendations[0].rule.as_str(),
        "immediate.dv_children"
    );
    assert_eq!(
        out.recommendations[0].agency_kind,
        Some("child_guidance_center".into())
    );
    assert!(kinds(&out).contains(&"spousal_violence_support_center"));
    assert!(
        !kinds(&out).contains(&"police"),
        "police only when the danger is imminent"
    );
    let ranks: Vec<u32> = out.recommendations.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, (1..=ranks.len() as u32).collect::<Vec<_>>());
    let urg: Vec<Urgency> = out.recommendations.iter().map(|r| r.urgency).collect();
    assert!(urg.windows(2).all(|w| w[0] <= w[1]), "{urg:?}");

    s.urgency = Urgency::Immediate;
    let out = r.evaluate(&h, &s);
    assert_eq!(out.recommendations[0].agency_kind, Some("police".into()));

    // Composite → 支援会議 without consent, 重層的支援会議 with it.
    let mut s = situation();
    let h = household(
        "h",
        vec![person(
            "p1",
            Relation::Head,
            45,
            &["debt", "job_search", "mental_health"],
        )],
    );
    let out = r.evaluate(&h, &s);
    assert_eq!(
        rec(&out, "multi_agency.composite").meeting,
        Some("support_meeting".into())
    );
    s.consent = ConsentState::Given;
    let out = r.evaluate(&h, &s);
    assert_eq!(
        rec(&out, "multi_agency.composite").meeting,
        Some("multi_layered_support_meeting".into())
    );
    s.consent = ConsentState::Withdrawn;
    let out = r.evaluate(&h, &s);
    assert_eq!(
        rec(&out, "multi_agency.composite").meeting,
        Some("support_meeting".into())
    );
}

#[test]
fn fallback_keeps_the_consultation_at_the_receiving_window() {
    let r = router();
    let h = household("h", vec![person("p1", Relation::Head, 30, &["other"])]);
    let mut s = situation();
    s.receiving_window = Some("social_welfare_council".into());
    let out = r.evaluate(&h, &s);
    // `other` (welfare) is covered by the self-reliance office in the reference directory but no
    // rule routes it: the receiving window keeps it.
    assert_eq!(ids(&out), vec![FALLBACK_RULE_ID]);

    // With a directory where nothing covers the issue, it is 制度の狭間 → multi-agency.
    let tax = crate::taxonomy::Taxonomies::builtin();
    let dir = crate::agency::Directory::from_json(
        r#"[{"id": "a1", "name": "包括", "kind": "community_general_support_center", "serves": {"min_age": 65, "any_issue": true}}]"#,
        &tax,
    )
    .unwrap();
    let gap = Router::builtin(RoutingEnv::new(tax, dir)).unwrap();
    let out = gap.evaluate(&h, &s);
    assert_eq!(ids(&out), vec!["multi_agency.service_gap"]);
    assert!(out.recommendations[0]
        .explanation
        .facts
        .iter()
        .any(|f| f.text.en == "pattern service_gap"));

    let empty = Router::compile(&RuleSet::empty(), RoutingEnv::builtin()).unwrap();
    let out = empty.evaluate(&h, &s);
    assert_eq!(ids(&out), vec![FALLBACK_RULE_ID]);
    let f = &out.recommendations[0];
    assert_eq!(f.agency_kind, Some("social_welfare_council".into()));
    assert_eq!(f.project, Some("comprehensive_consultation".into()));
    assert!(f.explanation.facts[0]
        .text
        .en
        .contains("social_welfare_council"));
    let mut scratch = Scratch::new();
    assert!(empty.matches(&h, &situation(), &mut scratch)[0].is_fallback());
    assert_eq!(
        empty.evaluate(&h, &situation()).recommendations[0].agency_kind,
        Some("comprehensive_window".into())
    );
}

#[test]
fn one_recommendation_per_target_with_the_others_merged() {
    let r = router();
    // Abuse of a child and DV with a child in the household: both go to the child guidance
    // centre, merged into the higher-priority rule.
    let mother = person("p1", Relation::Head, 35, &["dv"]);
    let child = person("p2", Relation::Child, 8, &["abuse"]);
    let out = r.evaluate(&household("h", vec![mother, child]), &situation());
    let cgc: Vec<&Recommendation> = out
        .recommendations
        .iter()
        .filter(|x| x.agency_kind == Some("child_guidance_center".into()))
        .collect();
    assert_eq!(cgc.len(), 1);
    assert_eq!(cgc[0].rule.as_str(), "immediate.child_abuse");
    assert_eq!(
        cgc[0].also_matched,
        vec![RuleId::from("immediate.dv_children")]
    );
}

// ------------------------------------------------------------------ explanations

fn texts(e: &Explanation) -> Vec<String> {
    e.facts.iter().map(|f| f.text.en.clone()).collect()
}

#[test]
fn explanations_name_the_facts_in_ja_and_en() {
    let r = router();
    let mut parent = person("p1", Relation::Head, 82, &["frailty"]);
    parent.name = Some("山田花子".into());
    let mut son = person("p2", Relation::Child, 52, &["hikikomori"]);
    son.name = Some("山田太郎".into());
    son.engagement = Engagement::NotEngaging;
    son.employment = Some(Employment::Unemployed);
    let h = household("h8050", vec![parent, son]);
    let out = r.evaluate(&h, &situation());

    let elderly = &rec(&out, "window.elderly").explanation;
    assert!(
        texts(elderly).contains(&"member p1 is about 82".to_string()),
        "{:?}",
        texts(elderly)
    );
    assert!(texts(elderly).contains(&"member p1 has issue frailty".to_string()));
    // frailty satisfies two branches of the rule's `any` (an older member's issue, a
    // care-prevention issue): the fact is stated once.
    assert_eq!(
        texts(elderly)
            .iter()
            .filter(|t| *t == "member p1 has issue frailty")
            .count(),
        1,
        "{:?}",
        texts(elderly)
    );
    assert!(elderly
        .facts
        .iter()
        .any(|f| f.text.ja == "世帯員 p1 は約82歳"));
    assert!(elderly
        .description
        .ja
        .starts_with("高齢者・介護：地域包括支援センター"));

    let outreach = &rec(&out, "outreach.not_engaging").explanation;
    assert!(texts(outreach).contains(&"member p2 is not engaging with support".to_string()));
    assert!(texts(outreach).contains(&"member p2 has issue hikikomori".to_string()));
    assert!(outreach
        .facts
        .iter()
        .any(|f| f.text.ja.contains("ひきこもり")));

    let composite = &rec(&out, "multi_agency.composite").explanation;
    assert!(
        texts(composite).contains(&"pattern 8050".to_string()),
        "{:?}",
        texts(composite)
    );
    assert!(composite
        .facts
        .iter()
        .any(|f| f.text.ja == "複合課題「8050問題」"));
    assert!(
        composite.facts.iter().any(|f| f.kind == "pattern_evidence"),
        "the detector's evidence is included"
    );

    // Ids, never names.
    let all = serde_json::to_string(&out).unwrap();
    assert!(!all.contains("山田"));

    // `not` facts describe what did not hold.
    let abuse = household("ha", vec![person("p1", Relation::Head, 40, &["abuse"])]);
    let out = r.evaluate(&abuse, &situation());
    let e = &rec(&out, "immediate.abuse_other").explanation;
    assert!(
        e.facts
            .iter()
            .any(|f| f.kind == "not" && f.text.en.contains("aged 17 or under")),
        "{:?}",
        texts(e)
    );

    // explain() on a hot-path match gives the same explanation as evaluate().
    let mut scratch = Scratch::new();
    let m = r.matches(&h, &situation(), &mut scratch)[0];
    let first = r.evaluate(&h, &situation()).recommendations[0]
        .explanation
        .clone();
    assert_eq!(r.explain(&h, &situation(), &m), first);
    assert_eq!(r.rule_id(&m), first.rule.as_str());
}

// ------------------------------------------------------------------ scenarios (DOMAIN.md §8)

/// Y-san (seeds 001, Sendai): mother in her 40s, divorced after DV, junior-high son, younger son
/// at a special-needs school (severe autism, intellectual disability); unstable work → poverty.
pub(crate) fn y_san() -> Household {
    let mut mother = person(
        "y1",
        Relation::Head,
        45,
        &["income_living_costs", "job_search", "child_rearing"],
    );
    mother.single_parent = true;
    mother.employment = Some(Employment::PartTime);
    mother.cares_for = vec!["y2".into(), "y3".into()];
    let mut elder = Person::new("y2", Relation::Child);
    elder.birth_date = Some(date(2010, 5, 1));
    let mut younger = Person::new("y3", Relation::Child);
    younger.birth_date = Some(date(2014, 9, 10));
    younger.disabilities = vec![DisabilityCertificate {
        kind: "intellectual".into(),
        grade: Some("A".into()),
    }];
    younger.issues = vec!["developmental_concern".into()];
    household("y", vec![mother, elder, younger])
}

/// Kobayashi-san (seeds 001): single parent in a three-generation household; her mother in
/// hospital may need care on discharge; her son enters school next year; heavy medical costs.
pub(crate) fn kobayashi_san() -> Household {
    let mut k = person(
        "k1",
        Relation::Head,
        38,
        &["medical_costs", "income_living_costs"],
    );
    k.single_parent = true;
    k.employment = Some(Employment::PartTime);
    k.cares_for = vec!["k2".into(), "k3".into()];
    let mut mother = person("k2", Relation::Parent, 68, &["hospital_discharge"]);
    mother.hospitalised = true;
    let mut son = Person::new("k3", Relation::Child);
    son.birth_date = Some(date(2019, 1, 15));
    son.issues = vec!["child_rearing".into()];
    household("k", vec![k, mother, son])
}

#[test]
fn scenario_y_san() {
    let r = router();
    let out = r.evaluate(&y_san(), &situation());
    // The CSW called a 支援会議 (つながる会議): composite case without consent yet.
    let first = &out.recommendations[0];
    assert_eq!(first.rule.as_str(), "multi_agency.composite");
    assert_eq!(first.project, Some("multi_agency".into()));
    assert_eq!(first.meeting, Some("support_meeting".into()));
    let k = kinds(&out);
    for kind in [
        "self_reliance_support_office",
        "disability_consultation_office",
        "child_rearing_general_support_center",
    ] {
        assert!(k.contains(&kind), "{kind} missing from {k:?}");
    }
    assert!(
        out.recommendations
            .iter()
            .all(|x| x.urgency == Urgency::Normal),
        "no life-threatening issue now"
    );
    assert!(!k.contains(&"community_general_support_center"));
    assert!(
        !k.contains(&"city_public_assistance_division"),
        "not on public assistance yet"
    );
    let dis = &rec(&out, "window.disability").explanation;
    assert!(
        texts(dis).contains(&"member y3 holds a disability certificate (intellectual)".to_string()),
        "{:?}",
        texts(dis)
    );
    // Once she consents, the plan goes to the 重層的支援会議.
    let mut s = situation();
    s.consent = ConsentState::Given;
    let out = r.evaluate(&y_san(), &s);
    assert_eq!(
        out.recommendations[0].meeting,
        Some("multi_layered_support_meeting".into())
    );
}

#[test]
fn scenario_kobayashi_san() {
    let r = router();
    let out = r.evaluate(&kobayashi_san(), &situation());
    let first = &out.recommendations[0];
    assert_eq!(first.rule.as_str(), "multi_agency.composite");
    assert!(
        first
            .explanation
            .facts
            .iter()
            .any(|f| f.text.en == "pattern double_care"),
        "{:?}",
        texts(&first.explanation)
    );
    let k = kinds(&out);
    for kind in [
        "community_general_support_center", // care certification before discharge
        "medical_institution_pharmacy",     // the hospital's discharge support
        "child_rearing_general_support_center", // child-care and after-school plan
        "self_reliance_support_office",     // welfare-fund and single-parent loans
    ] {
        assert!(k.contains(&kind), "{kind} missing from {k:?}");
    }
    let elderly = &rec(&out, "window.elderly").explanation;
    assert!(
        texts(elderly).contains(&"member k2 is about 68".to_string()),
        "{:?}",
        texts(elderly)
    );
}

// ------------------------------------------------------------------ no household goes unrouted

fn arb_person(i: usize, codes: Vec<String>) -> impl Strategy<Value = Person> {
    let n = codes.len();
    (
        0usize..9,
        prop::option::of(0u32..100),
        prop::collection::vec(0..n, 0..4),
        any::<(bool, bool, bool, bool)>(),
        0usize..3,
        prop::option::of(0usize..7),
        prop::option::of(0usize..3),
        (any::<u8>(), prop::option::of(0usize..6)),
    )
        .prop_map(
            move |(rel, age, issues, flags, eng, care, cert, (cares, employment))| {
                let relations = [
                    Relation::Head,
                    Relation::Spouse,
                    Relation::Child,
                    Relation::ChildInLaw,
                    Relation::Parent,
                    Relation::Grandparent,
                    Relation::Grandchild,
                    Relation::Sibling,
                    Relation::Other,
                ];
                let mut p = Person::new(format!("p{i}"), relations[rel]);
                p.approx_age = age;
                p.issues = issues
                    .iter()
                    .map(|k| Issue::current(codes[*k].clone()).with_status(status_of(*k)))
                    .collect();
                p.public_assistance = flags.0;
                p.single_parent = flags.1;
                p.hospitalised = flags.2;
                if flags.3 {
                    // Any of p0..p5 (possibly itself or a member who does not exist).
                    p.cares_for = (0..6)
                        .filter(|k| cares & (1 << k) != 0)
                        .map(|k| PersonId::new(format!("p{k}")))
                        .collect();
                }
                p.employment = employment.map(|e| {
                    [
                        Employment::FullTime,
                        Employment::PartTime,
                        Employment::SelfEmployed,
                        Employment::Unemployed,
                        Employment::Student,
                        Employment::Retired,
                    ][e]
                });
                p.engagement = [
                    Engagement::Engaged,
                    Engagement::NotEngaging,
                    Engagement::Refuses,
                ][eng];
                p.care_level = care.map(|c| {
                    CareLevelCode::new(
                        [
                            "support_1",
                            "support_2",
                            "care_1",
                            "care_2",
                            "care_3",
                            "care_4",
                            "care_5",
                        ][c],
                    )
                });
                if let Some(c) = cert {
                    p.disabilities = vec![DisabilityCertificate {
                        kind: ["physical", "intellectual", "mental"][c].into(),
                        grade: None,
                    }];
                }
                p
            },
        )
}

fn arb_household() -> impl Strategy<Value = Household> {
    let codes: Vec<String> = crate::taxonomy::Taxonomies::builtin()
        .issues()
        .iter()
        .map(|i| i.code.to_string())
        .collect();
    let n = codes.len();
    (1usize..6, prop::collection::vec(0..n, 0..3)).prop_flat_map(move |(size, hh_issues)| {
        let members: Vec<_> = (0..size).map(|i| arb_person(i, codes.clone())).collect();
        let codes = codes.clone();
        members.prop_map(move |members| {
            let mut h = household("g", members);
            h.issues = hh_issues
                .iter()
                .map(|k| Issue::current(codes[*k].clone()).with_status(status_of(*k + 1)))
                .collect();
            h
        })
    })
}

fn arb_situation() -> impl Strategy<Value = Situation> {
    (0usize..3, 0usize..4).prop_map(|(u, c)| Situation {
        urgency: [Urgency::Immediate, Urgency::High, Urgency::Normal][u],
        consent: [
            ConsentState::None,
            ConsentState::Given,
            ConsentState::Refused,
            ConsentState::Withdrawn,
        ][c],
        receiving_window: None,
        today: today(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_household_goes_unrouted(h in arb_household(), s in arb_situation()) {
        let r = router();
        let out = r.evaluate(&h, &s);
        prop_assert!(!out.recommendations.is_empty());
        // Hot path and explained path agree, in order.
        let mut scratch = Scratch::new();
        let fast: Vec<String> = r.matches(&h, &s, &mut scratch).iter().map(|m| r.rule_id(m).to_string()).collect();
        let slow: Vec<String> = out.recommendations.iter().map(|x| x.rule.to_string()).collect();
        prop_assert_eq!(fast, slow);
        // Every recommendation explains itself, and ranks are by urgency.
        for x in &out.recommendations {
            prop_assert!(!x.explanation.facts.is_empty(), "{} has no facts", x.rule);
        }
        let urg: Vec<Urgency> = out.recommendations.iter().map(|x| x.urgency).collect();
        prop_assert!(urg.windows(2).all(|w| w[0] <= w[1]));
        // Life-threatening issues get an immediate response first.
        let tax = &r.env().taxonomies;
        // (Current or suspected: the immediate rules act on suspicion; past ones never count.)
        let life = h.all_issues().any(|(_, i)| {
            (i.is_current() || i.is_suspected())
                && tax.issue(&i.code).is_some_and(|c| c.life_threatening)
        });
        if life {
            prop_assert_eq!(out.recommendations[0].urgency, Urgency::Immediate);
        }
        // One recommendation per target.
        let mut targets: Vec<(Option<String>, Option<String>)> = out
            .recommendations
            .iter()
            .map(|x| (x.agency_kind.as_ref().map(|k| k.to_string()), x.project.as_ref().map(|p| p.to_string())))
            .collect();
        let n = targets.len();
        targets.sort();
        targets.dedup();
        prop_assert_eq!(targets.len(), n);
    }
}

fn arb_household_with_ties() -> impl Strategy<Value = Household> {
    (
        arb_household(),
        prop::collection::vec((0usize..3, 0usize..4, any::<bool>()), 0..3),
        0usize..3,
    )
        .prop_map(|(mut h, ties, area)| {
            use crate::household::{Tie, TieParty, TieStrength};
            for (strength, member, informal) in ties {
                h.ties.push(Tie {
                    member: (member < h.members.len()).then(|| h.members[member].id.clone()),
                    with: if informal {
                        TieParty::Informal {
                            kind: "neighbour".into(),
                            label: None,
                        }
                    } else {
                        TieParty::Agency {
                            agency: "a1".into(),
                        }
                    },
                    strength: [
                        TieStrength::Strong,
                        TieStrength::Weak,
                        TieStrength::Stressful,
                    ][strength],
                });
            }
            h.area.small_area = ["a01", "a02", "zz"].get(area).map(|a| AreaCode::from(*a));
            h
        })
}

fn filter_routers() -> &'static [Router] {
    static ROUTERS: std::sync::OnceLock<Vec<Router>> = std::sync::OnceLock::new();
    ROUTERS.get_or_init(|| {
        let tax = crate::taxonomy::Taxonomies::builtin();
        let limited = crate::agency::Directory::from_json(
            r#"[{"id": "a1", "name": "包括", "kind": "community_general_support_center", "areas": ["a01"], "serves": {"min_age": 65, "domains": ["long_term_care", "welfare"]}},
                {"id": "a2", "name": "障害", "kind": "disability_consultation_office", "serves": {"requires_disability": true, "any_issue": true}},
                {"id": "a3", "name": "介護", "kind": "care_manager", "serves": {"requires_care_level": true, "max_age": 90, "issues": ["dementia", "frailty"]}}]"#,
            &tax,
        )
        .unwrap();
        let mut tuned = RoutingEnv::builtin();
        tuned.pattern_settings.elderly_min_age = 60;
        tuned.pattern_settings.infer_carers = false;
        tuned.pattern_settings.multi_problem_min_domains = 2;
        [
            RoutingEnv::builtin(),
            RoutingEnv::new(tax.clone(), Default::default()),
            RoutingEnv::new(tax, limited),
            tuned,
        ]
        .into_iter()
        .map(|env| Router::builtin(env).unwrap())
        .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The compiled twin of pattern detection agrees with `detect_patterns` exactly.
    #[test]
    fn compiled_patterns_agree_with_detection(h in arb_household_with_ties(), s in arb_situation()) {
        for r in filter_routers() {
            let mut members = Vec::new();
            let facts = r.facts(&h, s.today, &mut members);
            let ctx = r.ctx(&h, &s, facts, &members);
            let compiled = r.patterns(&ctx);
            let ctx = r.ctx(&h, &s, facts, &members);
            let detected = r.detected(&ctx);
            prop_assert_eq!(compiled, detected, "compiled {:#b} detected {:#b} for {:?}", compiled, detected, h);
        }
    }
}

#[test]
fn unknown_codes_in_pattern_settings_fall_back_to_the_detector() {
    let mut env = RoutingEnv::builtin();
    env.pattern_settings
        .withdrawal_issues
        .push("locally_defined".into());
    let r = Router::builtin(env).unwrap();
    let parent = person("p1", Relation::Head, 80, &[]);
    let child = person("p2", Relation::Child, 50, &["locally_defined"]);
    let h = household("h", vec![parent, child]);
    let out = r.evaluate(&h, &situation());
    assert_eq!(
        out.recommendations[0].rule.as_str(),
        "multi_agency.composite"
    );
    assert!(out.recommendations[0]
        .explanation
        .facts
        .iter()
        .any(|f| f.text.en == "pattern 8050"));
}

// Conformance vectors (tests/vectors/routing) run through the shared runner in tests/.

#[test]
fn router_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Router>();
    assert_send_sync::<RuleSet>();
    let r = router();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            std::thread::spawn(move || {
                let mut scratch = Scratch::new();
                r.matches(&y_san(), &situation(), &mut scratch)
                    .iter()
                    .map(|m| r.rule_id(m).to_string())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<Vec<String>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0][0], "multi_agency.composite");
}

#[test]
fn rules_act_on_current_issues_and_on_suspected_ones_only_when_they_say_so() {
    let env = RoutingEnv::builtin();
    let doc = r#"{"rules": [
        {"id": "t.current", "description": {"ja": "現在", "en": "current"}, "priority": 10,
         "when": {"has_issue": {"codes": ["debt"]}}, "then": {"agency_kind": "lawyer"}},
        {"id": "t.member_suspected", "description": {"ja": "疑い", "en": "suspected"}, "priority": 5,
         "when": {"member": {"has_issue": {"codes": ["debt"], "suspected": true}}},
         "then": {"agency_kind": "self_reliance_support_office"}}
    ]}"#;
    let set = RuleSet::empty().extend_json(doc, &env).unwrap();
    let r = Router::compile(&set, env).unwrap();
    let with = |status: IssueStatus| {
        let mut p = person("p1", Relation::Head, 40, &[]);
        p.issues = vec![Issue::current("debt").with_status(status)];
        r.evaluate(&household("h", vec![p]), &situation())
    };
    assert_eq!(
        ids(&with(IssueStatus::Current)),
        vec!["t.current", "t.member_suspected"]
    );
    let suspected = with(IssueStatus::Suspected);
    assert_eq!(ids(&suspected), vec!["t.member_suspected"]);
    assert!(suspected.recommendations[0]
        .explanation
        .facts
        .iter()
        .any(|f| f.text.en == "member p1 has issue debt (suspected)"));
    for status in [IssueStatus::Past, IssueStatus::Resolved] {
        assert_eq!(ids(&with(status)), vec![FALLBACK_RULE_ID], "{status:?}");
    }
}

#[test]
fn y_san_with_past_dv_gets_no_immediate_notification() {
    let text = include_str!("../../../tests/fixtures/y_san_household.json");
    let current: Household = serde_json::from_str(text).unwrap();
    let mut past = current.clone();
    for i in &mut past.members[0].issues {
        if i.code.as_str() == "dv" {
            i.status = IssueStatus::Past;
        }
    }
    let s = Situation::new(NaiveDate::from_ymd_opt(2023, 6, 5).unwrap());
    let now = router().evaluate(&current, &s);
    assert_eq!(
        now.recommendations[0].rule.as_str(),
        "immediate.dv_children"
    );
    let before = router().evaluate(&past, &s);
    assert!(
        before
            .recommendations
            .iter()
            .all(|r| r.urgency != Urgency::Immediate),
        "{:?}",
        ids(&before)
    );
    assert!(!ids(&before).contains(&"immediate.dv_children"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Past and resolved issues are history: a household routes exactly as it would without
    /// them — the same recommendations, the same explanations.
    #[test]
    fn past_and_resolved_issues_change_nothing(h in arb_household(), s in arb_situation()) {
        let mut without = h.clone();
        let keep = |i: &Issue| !matches!(i.status, IssueStatus::Past | IssueStatus::Resolved);
        without.issues.retain(keep);
        for m in &mut without.members {
            m.issues.retain(keep);
        }
        prop_assert_eq!(router().evaluate(&h, &s), router().evaluate(&without, &s));
    }
}
