use super::super::document::{Condition, IssueSelector, Outcome, Rule, RuleId};
use super::super::problem::{LineIndex, RuleSource};
use super::super::set::{Origin, RuleSet};
use super::super::validate::RoutingEnv;
use super::check_set_counting;
use crate::coded::Coded;
use crate::ids::{AgencyKindCode, AreaCode, IssueCode};
use crate::limits::{Limit, Limits};
use crate::taxonomy::Label;

/// `n` rules as a municipality writes them: 8 targets, each rule a conjunction of an issue (of
/// 20), an area (its own) and sometimes a shared urgency, a few `any`s; rule 0 of each target is
/// broad so that some rules really are shadowed.
fn rules(n: usize) -> RuleSet {
    let kinds = [
        "community_general_support_center",
        "disability_consultation_office",
        "self_reliance_support_office",
        "child_rearing_general_support_center",
        "public_health_center",
        "hikikomori_support_center",
        "social_welfare_council",
        "hello_work",
    ];
    let issue = |i: usize| {
        Condition::HasIssue(IssueSelector {
            codes: vec![IssueCode::new(format!("issue_{}", i % 20))],
            ..Default::default()
        })
    };
    let area = |i: usize| Condition::Area(vec![AreaCode::new(format!("area-{i}"))]);
    let mut set = RuleSet::empty();
    for i in 0..n {
        let when = match i % 5 {
            0 if i < 8 => issue(i),
            1 => Condition::Any(vec![
                Condition::All(vec![issue(i), area(i)]),
                Condition::All(vec![issue(i + 1), area(i)]),
            ]),
            2 => Condition::All(vec![
                issue(i),
                Condition::Not(Box::new(area(i))),
                area(i + 1),
            ]),
            _ => Condition::All(vec![issue(i), area(i)]),
        };
        set.rules.push(Rule {
            id: RuleId::new(format!("r{i}")),
            description: Label {
                ja: "規則".into(),
                en: "rule".into(),
            },
            priority: (i % 7) as i32,
            when,
            then: Outcome {
                agency_kind: Some(AgencyKindCode::new(kinds[i % kinds.len()])),
                ..Default::default()
            },
        });
        set.origins.push(Origin {
            source: RuleSource::Document,
            path: format!("$.rules[{i}]"),
            line: None,
            lines: std::sync::Arc::new(LineIndex::default()),
        });
    }
    set
}

#[test]
fn the_set_checks_grow_linearly_not_quadratically() {
    let env = RoutingEnv::builtin();
    let (small_problems, small) = check_set_counting(&rules(250), &env);
    let started = std::time::Instant::now();
    let (_, large) = check_set_counting(&rules(4_000), &env);
    // Printed for BENCHMARKS.md (never asserted: timings belong to benchmarks).
    eprintln!(
        "set checks: 250 rules {small} comparisons; 4,000 rules {large} comparisons in {:?}",
        started.elapsed()
    );
    // 16× the rules: the old pairwise scan compared every lower rule with every higher rule of
    // its target (~n²/16 pairs: 3,900 → 1,000,000, 256×); the index stays within a log factor
    // of 16×.
    assert!(small > 0, "the check looked at candidates at all");
    assert!(
        large <= small * 16 * 2,
        "comparisons grew from {small} to {large} for 16× the rules"
    );
    // And it still finds the shadowed rules (the broad rule 0 of each target shadows the rules
    // of the same issue and target below it).
    assert!(
        small_problems.iter().any(|p| p.code == "shadowed_rule"),
        "{small_problems:?}"
    );
}

#[test]
fn shadowing_is_reported_against_the_first_higher_rule_as_before() {
    let env = RoutingEnv::builtin();
    let issue = |c: &str| {
        Condition::HasIssue(IssueSelector {
            codes: vec![IssueCode::new(c)],
            ..Default::default()
        })
    };
    let mk = |id: &str, priority: i32, when: Condition| Rule {
        id: RuleId::new(id),
        description: Label {
            ja: "規則".into(),
            en: "rule".into(),
        },
        priority,
        when,
        then: Outcome {
            agency_kind: Some(AgencyKindCode::new("hello_work")),
            ..Default::default()
        },
    };
    let mut set = RuleSet::empty();
    for (k, r) in [
        mk(
            "narrow",
            1,
            Condition::All(vec![issue("debt"), issue("unemployment")]),
        ),
        mk("broad", 5, issue("unemployment")),
        mk(
            "either",
            9,
            Condition::Any(vec![issue("housing_loss"), issue("debt")]),
        ),
        mk(
            "same_any",
            0,
            Condition::Any(vec![issue("housing_loss"), issue("debt")]),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        set.rules.push(r);
        set.origins.push(Origin {
            source: RuleSource::Document,
            path: format!("$.rules[{k}]"),
            line: None,
            lines: std::sync::Arc::new(LineIndex::default()),
        });
    }
    let (problems, _) = check_set_counting(&set, &env);
    let shadow: Vec<(String, String)> = problems
        .iter()
        .filter(|p| p.code == "shadowed_rule")
        .map(|p| {
            (
                p.rule.as_ref().unwrap().to_string(),
                p.related_rule.as_ref().unwrap().to_string(),
            )
        })
        .collect();
    // `narrow` (debt ∧ unemployment) is implied by `either` (priority 9: its `debt` disjunct),
    // which comes before `broad` in the static order. An equal `any` condition shadows too.
    assert_eq!(
        shadow,
        vec![
            ("broad".to_string(), "either".to_string()),
            ("narrow".to_string(), "either".to_string()),
            ("same_any".to_string(), "either".to_string()),
        ]
        .into_iter()
        .filter(|(l, _)| l != "broad")
        .collect::<Vec<_>>()
    );
}

#[test]
fn documents_over_a_limit_are_refused_naming_it() {
    let env = RoutingEnv::builtin();
    let one = |id: &str, when: &str| {
        format!(
            r#"{{"id":"{id}","description":{{"ja":"x","en":"x"}},"priority":1,"when":{when},"then":{{"agency_kind":"hello_work"}}}}"#
        )
    };
    // Rules per document.
    let small = env
        .clone()
        .with_limits(Limits::default().with(Limit::RulesPerDocument, 2));
    let doc = format!(
        r#"{{"rules":[{},{},{}]}}"#,
        one("a", r#"{"urgency":["immediate"]}"#),
        one("b", r#"{"urgency":["high"]}"#),
        one("c", r#"{"urgency":["normal"]}"#)
    );
    let e = RuleSet::from_json(&doc, &small).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert_eq!(e.path().as_deref(), Some("$.rules"));
    assert!(e.to_string().contains("rules_per_document"), "{e}");
    // The same document under the defaults loads (the limit, not the document, refused it).
    RuleSet::from_json(&doc, &env).unwrap();
    // A municipality raises the limit: the same document loads.
    let raised = env
        .clone()
        .with_limits(Limits::default().with(Limit::RulesPerDocument, 3));
    assert!(RuleSet::from_json(&doc, &raised).is_ok());
    // Conditions per rule.
    let wide = format!(
        r#"{{"all":[{}]}}"#,
        vec![r#"{"urgency":["immediate"]}"#; 300].join(",")
    );
    let e = RuleSet::from_json(&format!(r#"{{"rules":[{}]}}"#, one("w", &wide)), &env).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert_eq!(e.path().as_deref(), Some("$.rules[0].when"));
    // Nesting depth (before parsing), in JSON and TOML.
    let deep = format!(
        "{}{}",
        r#"{"not":"#.repeat(70),
        "{\"urgency\":[\"urgent\"]}"
    ) + &"}".repeat(70);
    let e = RuleSet::from_json(&format!(r#"{{"rules":[{}]}}"#, one("d", &deep)), &env).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert!(e.to_string().contains("nesting_depth"), "{e}");
    let toml = format!(
        "[[rules]]\nid = \"t\"\nwhen = {}1{}\n",
        "[".repeat(80),
        "]".repeat(80)
    );
    let e = RuleSet::from_toml(&toml, &env).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert_eq!(e.path().as_deref(), Some("line 3"));
    // Document bytes and id bytes.
    let tiny = env
        .clone()
        .with_limits(Limits::default().with(Limit::DocumentBytes, 50));
    assert_eq!(
        RuleSet::from_json(&doc, &tiny).unwrap_err().code(),
        "limit_exceeded"
    );
    let long_id = "x".repeat(200);
    let e = RuleSet::from_json(
        &format!(
            r#"{{"rules":[{}]}}"#,
            one(&long_id, r#"{"urgency":["immediate"]}"#)
        ),
        &env,
    )
    .unwrap_err();
    assert_eq!(e.path().as_deref(), Some("$.rules[0].id"));
    // As the crate's error: the limits area, kind invalid.
    let e: crate::Error = e.into();
    assert!(matches!(e, crate::Error::Limits(_)));
    assert_eq!(e.kind(), crate::coded::ErrorKind::Invalid);
}

#[test]
fn the_builtin_set_loads_and_checks_clean() {
    let env = RoutingEnv::builtin();
    let set = RuleSet::builtin();
    assert!(set.problems(&env).is_empty());
}
