//! Tests of composite-pattern detection (複合課題の把握): each pattern's rule, its evidence and
//! facts, settings as data, and properties over generated households.

use super::*;
use crate::agency::{Agency, Served};
use crate::household::strategies;
use crate::household::*;
use proptest::prelude::*;

fn today() -> NaiveDate {
    strategies::today()
}

fn aged(id: &str, relation: Relation, age: u32) -> Person {
    let mut p = Person::new(id, relation);
    p.approx_age = Some(age);
    p
}

fn with_issues(mut p: Person, issues: &[&str]) -> Person {
    p.issues = issues.iter().map(|c| Issue::current(*c)).collect();
    p
}

fn household(members: Vec<Person>) -> Household {
    Household {
        id: "h1".into(),
        area: Area::default(),
        members,
        issues: Vec::new(),
        ties: Vec::new(),
    }
}

/// A directory with one comprehensive window covering every issue.
fn covering_all() -> Directory {
    Directory::new(
        vec![agency(
            "a1",
            Served {
                any_issue: true,
                ..Served::default()
            },
        )],
        &Taxonomies::builtin(),
    )
    .unwrap()
}

fn agency(id: &str, serves: Served) -> Agency {
    Agency {
        id: id.into(),
        name: format!("agency {id}"),
        kind: "social_welfare_council".into(),
        projects: Vec::new(),
        areas: Vec::new(),
        serves,
    }
}

fn detect_with(h: &Household, settings: &PatternSettings) -> Vec<PatternFinding> {
    let tax = Taxonomies::builtin();
    assert_eq!(
        h.validate_all(&tax, today()),
        vec![],
        "test household is valid"
    );
    detect_patterns(h, &tax, &covering_all(), settings, today())
}

fn detect(h: &Household) -> Vec<PatternFinding> {
    detect_with(h, &PatternSettings::default())
}

fn patterns(findings: &[PatternFinding]) -> Vec<Pattern> {
    findings.iter().map(|f| f.pattern).collect()
}

fn of(findings: &[PatternFinding], p: Pattern) -> Vec<&PatternFinding> {
    findings.iter().filter(|f| f.pattern == p).collect()
}

fn ids(f: &PatternFinding) -> Vec<&str> {
    f.evidence.members.iter().map(|m| m.as_str()).collect()
}

fn facts_en(f: &PatternFinding) -> Vec<&str> {
    f.evidence.facts.iter().map(|l| l.en.as_str()).collect()
}

fn iref(member: Option<&str>, code: &str) -> IssueRef {
    IssueRef {
        member: member.map(PersonId::new),
        code: code.into(),
    }
}

// ------------------------------------------------------------------ 8050

fn eighty_fifty_household() -> Household {
    let mut father = aged("p1", Relation::Head, 82);
    father.employment = Some(Employment::Retired);
    let mut son = with_issues(aged("p2", Relation::Child, 52), &["hikikomori"]);
    son.engagement = Engagement::NotEngaging;
    household(vec![father, son])
}

#[test]
fn eighty_fifty_father_82_son_52_hikikomori() {
    let found = detect(&eighty_fifty_household());
    // The withdrawn son (52, no certificate, no recorded hardship) fits no statutory window:
    // the classic 制度の狭間 of 8050.
    assert_eq!(
        patterns(&found),
        vec![Pattern::EightyFifty, Pattern::ServiceGap]
    );
    assert_eq!(ids(&found[1]), vec!["p2"]);
    let f = &found[0];
    assert_eq!(ids(f), vec!["p1", "p2"]);
    assert_eq!(f.evidence.issues, vec![iref(Some("p2"), "hikikomori")]);
    let facts = facts_en(f);
    assert!(facts.iter().any(|x| x.starts_with("p1 is 82")), "{facts:?}");
    assert!(
        facts.iter().any(|x| x.starts_with("p2 is 52 (child of p1")),
        "{facts:?}"
    );
    assert!(
        facts
            .iter()
            .any(|x| x.starts_with("p2 has issue hikikomori")),
        "{facts:?}"
    );
    assert!(f.evidence.facts.iter().any(|l| l.ja.contains("p1 は82歳")));
}

#[test]
fn eighty_fifty_from_the_child_as_head() {
    let mut head = aged("c", Relation::Head, 50);
    head.employment = Some(Employment::Unemployed);
    let mother = aged("m", Relation::Parent, 79);
    let found = detect(&household(vec![head, mother]));
    assert_eq!(patterns(&found), vec![Pattern::EightyFifty]);
    assert_eq!(ids(&found[0]), vec!["m", "c"]);
    assert!(facts_en(&found[0]).contains(&"c is unemployed"));
    assert!(found[0].evidence.issues.is_empty());
}

#[test]
fn no_eighty_fifty_with_a_working_child() {
    let parent = aged("p1", Relation::Head, 75);
    let mut child = aged("p2", Relation::Child, 50);
    child.employment = Some(Employment::FullTime);
    assert_eq!(detect(&household(vec![parent, child])), vec![]);
}

#[test]
fn no_eighty_fifty_outside_the_thresholds_or_relations() {
    // Parent too young.
    let h = household(vec![
        aged("p1", Relation::Head, 65),
        with_issues(aged("p2", Relation::Child, 40), &["hikikomori"]),
    ]);
    assert!(of(&detect(&h), Pattern::EightyFifty).is_empty());
    // Child too old for "middle age".
    let h = household(vec![
        aged("p1", Relation::Head, 95),
        with_issues(aged("p2", Relation::Child, 66), &["hikikomori"]),
    ]);
    assert!(of(&detect(&h), Pattern::EightyFifty).is_empty());
    // A sibling of the head is not the head's child.
    let h = household(vec![
        aged("p1", Relation::Head, 80),
        with_issues(aged("p2", Relation::Sibling, 50), &["hikikomori"]),
    ]);
    assert!(of(&detect(&h), Pattern::EightyFifty).is_empty());
    // Unknown age never satisfies an age condition.
    let h = household(vec![
        aged("p1", Relation::Head, 80),
        with_issues(Person::new("p2", Relation::Child), &["hikikomori"]),
    ]);
    assert!(of(&detect(&h), Pattern::EightyFifty).is_empty());
}

#[test]
fn eighty_fifty_thresholds_are_data() {
    let s: PatternSettings = serde_json::from_str(r#"{"elderly_min_age": 85}"#).unwrap();
    assert_eq!(s.middle_age, AgeRange { min: 40, max: 64 });
    assert!(of(
        &detect_with(&eighty_fifty_household(), &s),
        Pattern::EightyFifty
    )
    .is_empty());
    let s: PatternSettings =
        serde_json::from_str(r#"{"withdrawal_issues": ["mental_health"]}"#).unwrap();
    assert!(of(
        &detect_with(&eighty_fifty_household(), &s),
        Pattern::EightyFifty
    )
    .is_empty());
    assert!(serde_json::from_str::<PatternSettings>(r#"{"elderly_age": 85}"#).is_err());
    let json = serde_json::to_string(&PatternSettings::default()).unwrap();
    let back: PatternSettings = serde_json::from_str(&json).unwrap();
    assert_eq!(back, PatternSettings::default());
}

// ------------------------------------------------------------------ Y-san (DOMAIN.md §8)

fn y_san() -> Household {
    let mut mother = with_issues(
        aged("p1", Relation::Head, 45),
        &["dv", "income_living_costs", "work_trouble"],
    );
    mother.single_parent = true;
    mother.employment = Some(Employment::PartTime);
    mother.cares_for = vec!["p3".into()];
    let elder = aged("p2", Relation::Child, 14);
    let mut younger = with_issues(
        aged("p3", Relation::Child, 10),
        &["developmental_concern", "health_disability"],
    );
    younger.disabilities = vec![DisabilityCertificate {
        kind: "intellectual".into(),
        grade: Some("A".into()),
    }];
    household(vec![mother, elder, younger])
}

#[test]
fn y_san_is_multi_problem_and_nothing_else() {
    let found = detect(&y_san());
    assert_eq!(patterns(&found), vec![Pattern::MultiProblem]);
    let f = &found[0];
    assert_eq!(
        f.evidence.domains,
        vec![
            Domain::Welfare,
            Domain::HealthMedical,
            Domain::Work,
            Domain::Education
        ]
    );
    assert_eq!(ids(f), vec!["p1", "p3"]);
    assert_eq!(f.evidence.issues.len(), 5);
    assert_eq!(facts_en(f)[0], "issues span 4 domains");
    assert!(facts_en(f).contains(&"welfare: p1 dv, p1 income_living_costs"));
}

#[test]
fn y_san_with_an_empty_directory_has_every_issue_as_a_gap() {
    let tax = Taxonomies::builtin();
    let found = detect_patterns(
        &y_san(),
        &tax,
        &Directory::default(),
        &PatternSettings::default(),
        today(),
    );
    assert_eq!(
        patterns(&found),
        vec![Pattern::MultiProblem, Pattern::ServiceGap]
    );
    let gap = &found[1];
    assert_eq!(ids(gap), vec!["p1", "p3"]);
    assert_eq!(gap.evidence.issues.len(), 5);
}

// ------------------------------------------------------------------ Kobayashi-san (DOMAIN.md §8)

fn kobayashi(recorded_care: bool) -> Household {
    let mut head = with_issues(
        aged("p1", Relation::Head, 35),
        &["income_living_costs", "medical_costs"],
    );
    head.single_parent = true;
    head.employment = Some(Employment::PartTime);
    if recorded_care {
        head.cares_for = vec!["p2".into(), "p3".into()];
    }
    let mut mother = with_issues(
        aged("p2", Relation::Parent, 65),
        &["hospital_discharge", "long_term_care"],
    );
    mother.hospitalised = true;
    let son = with_issues(aged("p3", Relation::Child, 5), &["child_rearing"]);
    household(vec![head, mother, son])
}

#[test]
fn kobayashi_is_double_care_and_multi_problem() {
    for recorded in [false, true] {
        let found = detect(&kobayashi(recorded));
        assert_eq!(
            patterns(&found),
            vec![Pattern::DoubleCare, Pattern::MultiProblem],
            "recorded care roles: {recorded}"
        );
        let dc = &found[0];
        assert_eq!(ids(dc), vec!["p1", "p3", "p2"]);
        assert_eq!(
            dc.evidence.issues,
            vec![
                iref(Some("p2"), "hospital_discharge"),
                iref(Some("p2"), "long_term_care")
            ]
        );
        let inferred = facts_en(dc).iter().any(|f| f.contains("inferred carer"));
        assert_eq!(inferred, !recorded);
        assert_eq!(
            found[1].evidence.domains,
            vec![Domain::Welfare, Domain::LongTermCare, Domain::HealthMedical]
        );
    }
}

#[test]
fn double_care_inference_can_be_switched_off_and_yields_to_recorded_roles() {
    let s = PatternSettings {
        infer_carers: false,
        ..PatternSettings::default()
    };
    assert!(of(&detect_with(&kobayashi(false), &s), Pattern::DoubleCare).is_empty());
    assert_eq!(
        of(&detect_with(&kobayashi(true), &s), Pattern::DoubleCare).len(),
        1
    );
    // Recorded roles win: she is recorded as caring only for her son.
    let mut h = kobayashi(true);
    h.members[0].cares_for = vec!["p3".into()];
    assert!(of(&detect(&h), Pattern::DoubleCare).is_empty());
    // Inference needs an elderly member *with* a care need.
    let mut h = kobayashi(false);
    h.members[1].issues.clear();
    assert!(of(&detect(&h), Pattern::DoubleCare).is_empty());
}

#[test]
fn double_care_by_care_level_at_any_age() {
    let mut carer = aged("p1", Relation::Head, 40);
    carer.cares_for = vec!["p2".into(), "p3".into()];
    let mut spouse = aged("p2", Relation::Spouse, 45);
    spouse.care_level = Some("care_1".into());
    let child = aged("p3", Relation::Child, 3);
    let found = detect(&household(vec![carer, spouse, child]));
    assert_eq!(patterns(&found), vec![Pattern::DoubleCare]);
    assert!(facts_en(&found[0]).contains(&"p2 has care level care_1"));
}

// ------------------------------------------------------------------ young carer

#[test]
fn young_carer_is_a_minor_who_cares() {
    let mother = with_issues(aged("p1", Relation::Head, 45), &["mental_health"]);
    let mut daughter = aged("p2", Relation::Child, 15);
    daughter.cares_for = vec!["p1".into()];
    let found = detect(&household(vec![mother.clone(), daughter.clone()]));
    assert_eq!(patterns(&found), vec![Pattern::YoungCarer]);
    assert_eq!(ids(&found[0]), vec!["p2", "p1"]);
    assert_eq!(
        found[0].evidence.issues,
        vec![iref(Some("p1"), "mental_health")]
    );
    assert!(facts_en(&found[0]).contains(&"p2 (aged 15) cares for p1"));

    daughter.approx_age = Some(18);
    assert_eq!(detect(&household(vec![mother.clone(), daughter])), vec![]);
    // A minor who cares for no one is not a young carer.
    let child = aged("p2", Relation::Child, 15);
    assert_eq!(detect(&household(vec![mother, child])), vec![]);
}

// ------------------------------------------------------------------ multi-problem

#[test]
fn two_domains_are_not_multi_problem_and_household_issues_count() {
    let mut h = household(vec![with_issues(
        aged("p1", Relation::Head, 50),
        &["debt", "income_living_costs", "job_search"],
    )]);
    assert!(of(&detect(&h), Pattern::MultiProblem).is_empty());
    h.issues = vec!["housing".into()];
    let found = detect(&h);
    let mp = of(&found, Pattern::MultiProblem);
    assert_eq!(mp.len(), 1);
    assert_eq!(
        mp[0].evidence.domains,
        vec![Domain::Welfare, Domain::Housing, Domain::Work]
    );
    assert!(mp[0].evidence.issues.contains(&iref(None, "housing")));
    let s = PatternSettings {
        multi_problem_min_domains: 4,
        ..PatternSettings::default()
    };
    assert!(of(&detect_with(&h, &s), Pattern::MultiProblem).is_empty());
}

// ------------------------------------------------------------------ isolated

fn tie(member: Option<&str>, informal: bool, strength: TieStrength) -> Tie {
    Tie {
        member: member.map(PersonId::new),
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
        strength,
    }
}

#[test]
fn isolated_by_household_issue() {
    let mut h = household(vec![
        aged("p1", Relation::Head, 70),
        aged("p2", Relation::Spouse, 70),
    ]);
    h.issues = vec!["hoarding".into(), "neighbour_trouble".into()];
    let found = detect(&h);
    let iso = of(&found, Pattern::Isolated);
    assert_eq!(iso.len(), 1);
    assert_eq!(iso[0].evidence.issues, vec![iref(None, "hoarding")]);
    assert!(iso[0].evidence.members.is_empty());
}

#[test]
fn isolated_when_every_member_is() {
    let alone = with_issues(aged("p1", Relation::Head, 85), &["lonely_death_risk"]);
    let found = detect(&household(vec![alone.clone()]));
    assert_eq!(patterns(&found), vec![Pattern::Isolated]);
    assert_eq!(ids(&found[0]), vec!["p1"]);
    // Not when another member is not isolated.
    let found = detect(&household(vec![alone, aged("p2", Relation::Spouse, 80)]));
    assert!(of(&found, Pattern::Isolated).is_empty());
}

#[test]
fn isolated_by_ties() {
    let base = household(vec![aged("p1", Relation::Head, 60)]);
    // Only a weak agency tie: isolated.
    let mut h = base.clone();
    h.ties = vec![tie(Some("p1"), false, TieStrength::Weak)];
    let found = detect(&h);
    assert_eq!(patterns(&found), vec![Pattern::Isolated]);
    assert_eq!(ids(&found[0]), vec!["p1"]);
    // A weak informal tie supports.
    h.ties.push(tie(None, true, TieStrength::Weak));
    assert_eq!(detect(&h), vec![]);
    // A stressful informal tie does not.
    h.ties[1].strength = TieStrength::Stressful;
    assert_eq!(patterns(&detect(&h)), vec![Pattern::Isolated]);
    // A strong agency tie does.
    h.ties[0].strength = TieStrength::Strong;
    assert_eq!(detect(&h), vec![]);
    // No ties recorded and the member engages: not isolated.
    assert_eq!(detect(&base), vec![]);
}

#[test]
fn isolated_when_nobody_engages() {
    let mut a = aged("p1", Relation::Head, 60);
    a.engagement = Engagement::Refuses;
    let mut b = aged("p2", Relation::Sibling, 58);
    b.engagement = Engagement::NotEngaging;
    let mut h = household(vec![a, b]);
    let found = detect(&h);
    assert_eq!(patterns(&found), vec![Pattern::Isolated]);
    assert!(facts_en(&found[0]).contains(&"p1 refuses support"));
    // A strong informal tie breaks the isolation.
    h.ties = vec![tie(Some("p2"), true, TieStrength::Strong)];
    assert_eq!(detect(&h), vec![]);
    // So does one engaging member (no ties).
    h.ties.clear();
    h.members[1].engagement = Engagement::Engaged;
    assert_eq!(detect(&h), vec![]);
}

// ------------------------------------------------------------------ service gap

#[test]
fn service_gap_lists_uncovered_issues_only() {
    let tax = Taxonomies::builtin();
    let dir = Directory::new(
        vec![
            agency(
                "welfare",
                Served {
                    domains: vec![Domain::Welfare],
                    ..Served::default()
                },
            ),
            agency(
                "care",
                Served {
                    issues: vec!["long_term_care".into()],
                    min_age: Some(65),
                    ..Served::default()
                },
            ),
        ],
        &tax,
    )
    .unwrap();
    let mut h = household(vec![
        with_issues(
            aged("p1", Relation::Head, 50),
            &["income_living_costs", "long_term_care"],
        ),
        with_issues(aged("p2", Relation::Parent, 80), &["long_term_care"]),
    ]);
    h.issues = vec!["housing".into()];
    let found = detect_patterns(&h, &tax, &dir, &PatternSettings::default(), today());
    let gap = of(&found, Pattern::ServiceGap);
    assert_eq!(gap.len(), 1);
    assert_eq!(ids(gap[0]), vec!["p1"]);
    assert_eq!(
        gap[0].evidence.issues,
        vec![iref(None, "housing"), iref(Some("p1"), "long_term_care")]
    );
    assert!(
        facts_en(gap[0]).contains(&"no agency in the directory covers issue long_term_care for p1")
    );
}

#[test]
fn service_gap_is_a_need_no_statutory_window_fits() {
    // Hoarding in one's 30s: no certificate, no care level, not a child, not poor. Every issue
    // is covered by some agency, yet no statutory window is theirs: 制度の狭間.
    let tax = Taxonomies::builtin();
    let dir = covering_all();
    let alone = household(vec![with_issues(
        aged("p1", Relation::Head, 34),
        &["hoarding", "neighbour_trouble"],
    )]);
    let found = detect_patterns(&alone, &tax, &dir, &PatternSettings::default(), today());
    let gap = of(&found, Pattern::ServiceGap);
    assert_eq!(gap.len(), 1, "{found:?}");
    assert_eq!(ids(gap[0]), vec!["p1"]);
    assert_eq!(
        gap[0].evidence.issues,
        vec![
            iref(Some("p1"), "hoarding"),
            iref(Some("p1"), "neighbour_trouble")
        ]
    );
    assert!(facts_en(gap[0])[0].starts_with("no statutory window fits p1 (aged 34)"));

    // A window fits as soon as one attribute does: a certificate, poverty, a care level, age.
    let mut certified = alone.clone();
    certified.members[0].disabilities = vec![DisabilityCertificate {
        kind: "mental".into(),
        grade: None,
    }];
    let mut poor = alone.clone();
    poor.members[0].issues.push("debt".into());
    let mut old = alone.clone();
    old.members[0].approx_age = Some(70);
    for h in [certified, poor, old] {
        let found = detect_patterns(&h, &tax, &dir, &PatternSettings::default(), today());
        assert!(of(&found, Pattern::ServiceGap).is_empty(), "{found:?}");
    }

    // A past or resolved issue is no need: nothing to fall between systems.
    let mut past = alone.clone();
    for i in &mut past.members[0].issues {
        i.status = IssueStatus::Resolved;
    }
    let found = detect_patterns(&past, &tax, &dir, &PatternSettings::default(), today());
    assert!(found.is_empty(), "{found:?}");

    // Household-level needs are a gap when nobody in the household fits a window.
    let mut hh = household(vec![aged("p1", Relation::Head, 34)]);
    hh.issues = vec!["hoarding".into()];
    let found = detect_patterns(&hh, &tax, &dir, &PatternSettings::default(), today());
    assert_eq!(
        of(&found, Pattern::ServiceGap)[0].evidence.issues,
        vec![iref(None, "hoarding")]
    );
    hh.members.push(aged("p2", Relation::Parent, 70));
    let found = detect_patterns(&hh, &tax, &dir, &PatternSettings::default(), today());
    assert!(of(&found, Pattern::ServiceGap).is_empty());
}

#[test]
fn past_issues_make_no_pattern() {
    // 8050 on a withdrawal that is over is no 8050.
    let mut h = eighty_fifty_household();
    let found = detect_patterns(
        &h,
        &Taxonomies::builtin(),
        &covering_all(),
        &PatternSettings::default(),
        today(),
    );
    assert!(!of(&found, Pattern::EightyFifty).is_empty());
    for m in &mut h.members {
        m.employment = None;
        for i in &mut m.issues {
            i.status = IssueStatus::Past;
        }
    }
    let found = detect_patterns(
        &h,
        &Taxonomies::builtin(),
        &covering_all(),
        &PatternSettings::default(),
        today(),
    );
    assert!(of(&found, Pattern::EightyFifty).is_empty(), "{found:?}");
}

// ------------------------------------------------------------------ ordering and properties

#[test]
fn findings_are_sorted_by_pattern_then_members() {
    // Two 8050 pairs and a young carer, in a household that is also multi-problem.
    let mut grandchild = aged("a_gc", Relation::Grandchild, 16);
    grandchild.cares_for = vec!["z_head".into()];
    let h = household(vec![
        with_issues(aged("z_head", Relation::Head, 85), &["dementia", "housing"]),
        with_issues(aged("y_son", Relation::Child, 55), &["hikikomori"]),
        with_issues(aged("b_daughter", Relation::Child, 50), &["job_search"]),
        grandchild,
    ]);
    let found = detect(&h);
    assert_eq!(
        patterns(&found),
        vec![
            Pattern::EightyFifty,
            Pattern::EightyFifty,
            Pattern::YoungCarer,
            Pattern::MultiProblem,
            // y_son (55, withdrawn) fits no statutory window.
            Pattern::ServiceGap
        ]
    );
    assert_eq!(ids(&found[4]), vec!["y_son"]);
    assert_eq!(ids(&found[0]), vec!["z_head", "b_daughter"]);
    assert_eq!(ids(&found[1]), vec!["z_head", "y_son"]);
}

#[test]
fn facts_never_carry_names() {
    let mut h = eighty_fifty_household();
    h.members[0].name = Some("小林太郎".into());
    h.members[1].name = Some("小林次郎".into());
    let found = detect_patterns(
        &h,
        &Taxonomies::builtin(),
        &Directory::default(),
        &PatternSettings::default(),
        today(),
    );
    let text = serde_json::to_string(&found).unwrap();
    assert!(!text.contains("小林"), "{text}");
    assert!(text.contains("\"8050\""));
}

proptest! {
    #[test]
    fn detection_is_deterministic_and_evidence_refers_to_the_household(
        h in strategies::household(),
        empty_directory in any::<bool>(),
    ) {
        let tax = Taxonomies::builtin();
        let dir = if empty_directory { Directory::default() } else { covering_all() };
        let s = PatternSettings::default();
        let a = detect_patterns(&h, &tax, &dir, &s, today());
        let b = detect_patterns(&h.clone(), &tax, &dir, &s, today());
        prop_assert_eq!(&a, &b);
        for f in &a {
            prop_assert!(!f.evidence.facts.is_empty());
            for m in &f.evidence.members {
                prop_assert!(h.member(m).is_some(), "unknown member {m} in {f:?}");
            }
            for i in &f.evidence.issues {
                let present = match &i.member {
                    Some(m) => h.member(m).is_some_and(|p| p.has_current_issue(&i.code)),
                    None => h.own_current_issues().any(|c| c == &i.code),
                };
                prop_assert!(present, "issue {i:?} not in household");
            }
        }
        for w in a.windows(2) {
            prop_assert!(
                (w[0].pattern, &w[0].evidence.members) <= (w[1].pattern, &w[1].evidence.members)
            );
        }
        // Every current issue is a gap with an empty directory. With a directory covering all,
        // the gaps are exactly the needs of people no statutory window fits (oracle below).
        let gap = a.iter().find(|f| f.pattern == Pattern::ServiceGap);
        let n_issues = h.current_issues().count();
        if empty_directory && n_issues > 0 {
            prop_assert_eq!(gap.map(|g| g.evidence.issues.len()), Some(n_issues));
        } else if !empty_directory {
            let fits = |p: &Person| {
                let age = p.age_on(today());
                let has = |codes: &[IssueCode]| p.current_issues().any(|c| codes.contains(c));
                age.is_some_and(|a| !(18..65).contains(&a))
                    || p.care_level.is_some()
                    || !p.disabilities.is_empty()
                    || p.public_assistance
                    || has(&s.window_child_rearing_issues)
                    || has(&s.window_poverty_issues)
                    || p.employment == Some(Employment::Unemployed)
            };
            let universal = |c: &IssueCode| {
                s.window_universal_issues.contains(c)
                    || tax
                        .issue(c)
                        .is_some_and(|i| s.window_universal_domains.contains(&i.domain))
            };
            let mut expected: Vec<IssueRef> = Vec::new();
            for m in h.members.iter().filter(|m| !fits(m)) {
                for c in m.current_issues().filter(|c| !universal(c)) {
                    expected.push(IssueRef { member: Some(m.id.clone()), code: c.clone() });
                }
            }
            if !h.members.iter().any(fits) {
                for c in h.own_current_issues().filter(|c| !universal(c)) {
                    expected.push(IssueRef { member: None, code: c.clone() });
                }
            }
            let got = gap.map(|g| g.evidence.issues.clone()).unwrap_or_default();
            prop_assert_eq!(got, expected);
        }
        // Past, resolved and suspected issues never show as evidence.
        for f in &a {
            for i in &f.evidence.issues {
                let current = match &i.member {
                    Some(m) => h.member(m).is_some_and(|p| p.has_current_issue(&i.code)),
                    None => h.own_current_issues().any(|c| c == &i.code),
                };
                prop_assert!(current, "{i:?} is not current");
            }
        }
    }
}
