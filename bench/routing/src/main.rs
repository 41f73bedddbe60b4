//! Routing benchmark: the default rules compiled by tsunagu against an equivalent zen-engine
//! decision table, over the same generated households, on one core.
//!
//! ```text
//! cargo run --release --manifest-path bench/routing/Cargo.toml -- --n 1000000
//! ```
//!
//! Households are generated in chunks from a fixed seed (so memory stays bounded and both engines
//! see exactly the same households). tsunagu is timed on its real routing path
//! (`Router::matches`: facts from the household, lazy composite-pattern detection, ranked matches).
//! zen-engine is given the household already flattened into facts — including the composite
//! patterns, detected by tsunagu outside the timed section — which favours zen. Its matched rules are
//! deduplicated by target and ranked exactly as tsunagu does, and the two results are compared
//! for every household.

use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tsunagu::household::{
    DisabilityCertificate, Employment, Engagement, Household, Issue, Person, Relation,
};
use tsunagu::ids::*;
use tsunagu::routing::{ConsentState, Router, RoutingEnv, Scratch, Situation, Urgency};

/// Households are generated in chunks just before they are routed, as a stream from a store
/// would deliver them (so they are in cache as freshly loaded data would be).
const CHUNK: usize = 1_000;

/// CPU time of this thread (excludes time the scheduler gave to other processes).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes into the timespec we own and pass by pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0);
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// splitmix64: a small deterministic generator (no dependency, same stream everywhere).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi - lo + 1)) as u32
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
}

fn member(rng: &mut Rng, id: usize, relation: Relation, age: u32, issues: &[&str]) -> Person {
    let mut p = Person::new(format!("p{id}"), relation);
    if rng.chance(50) {
        let days = rng.below(365) as i64;
        p.birth_date = today()
            .checked_sub_signed(chrono::Duration::days(i64::from(age) * 365 + days))
            .or(Some(today()));
    } else {
        p.approx_age = Some(age);
    }
    p.issues = issues.iter().map(|c| Issue::current(*c)).collect();
    p
}

fn elder_issues(rng: &mut Rng) -> Vec<&'static str> {
    let pool = [
        "frailty",
        "dementia",
        "long_term_care",
        "social_isolation",
        "lonely_death_risk",
        "medical_costs",
        "shopping_difficulty",
        "hoarding",
        "income_living_costs",
    ];
    let k = rng.below(3) as usize;
    (0..k).map(|_| rng.pick(&pool)).collect()
}

/// One household of a realistic mix (shares in percent in the match arms).
fn household(rng: &mut Rng, n: u64) -> Household {
    let kind = rng.below(100);
    let mut members = Vec::new();
    let mut hh_issues: Vec<Issue> = Vec::new();
    match kind {
        // Single elderly (25%).
        0..=24 => {
            let age = rng.range(65, 98);
            let issues = elder_issues(rng);
            let mut p = member(rng, 1, Relation::Head, age, &issues);
            if rng.chance(30) {
                p.care_level = Some(CareLevelCode::from(rng.pick(&[
                    "support_1",
                    "support_2",
                    "care_1",
                    "care_2",
                    "care_3",
                ])));
            }
            if rng.chance(10) {
                p.engagement = Engagement::NotEngaging;
            }
            if rng.chance(8) {
                p.hospitalised = true;
                p.issues.push("hospital_discharge".into());
            }
            members.push(p);
        }
        // Elderly couple (10%).
        25..=34 => {
            let a = rng.range(65, 92);
            let issues = elder_issues(rng);
            let mut p1 = member(rng, 1, Relation::Head, a, &issues);
            let issues = elder_issues(rng);
            let p2 = {
                let age = a.saturating_sub(rng.range(0, 5)).max(60);
                member(rng, 2, Relation::Spouse, age, &issues)
            };
            if rng.chance(40) {
                p1.cares_for = vec!["p2".into()];
            }
            members.extend([p1, p2]);
        }
        // 8050 (10%).
        35..=44 => {
            let issues = elder_issues(rng);
            let parent = {
                let age = rng.range(75, 92);
                member(rng, 1, Relation::Head, age, &issues)
            };
            let child_issue = rng.pick(&[
                "hikikomori",
                "job_search",
                "mental_health",
                "income_living_costs",
            ]);
            let mut child = {
                let age = rng.range(42, 62);
                member(rng, 2, Relation::Child, age, &[child_issue])
            };
            child.employment = Some(Employment::Unemployed);
            if rng.chance(60) {
                child.engagement = Engagement::NotEngaging;
            }
            members.extend([parent, child]);
        }
        // Single parent (12%).
        45..=56 => {
            let issues: Vec<&str> = (0..rng.range(1, 3))
                .map(|_| {
                    rng.pick(&[
                        "income_living_costs",
                        "child_rearing",
                        "job_search",
                        "debt",
                        "rent_loan_payment",
                        "work_trouble",
                    ])
                })
                .collect();
            let mut parent = {
                let age = rng.range(24, 48);
                member(rng, 1, Relation::Head, age, &issues)
            };
            parent.single_parent = true;
            parent.employment = Some(Employment::PartTime);
            for c in 0..rng.range(1, 3) as usize {
                let issues: Vec<&str> = if rng.chance(20) {
                    vec![rng.pick(&[
                        "school_refusal",
                        "developmental_concern",
                        "learning_support",
                    ])]
                } else {
                    vec![]
                };
                let child = {
                    let age = rng.range(0, 17);
                    member(rng, 2 + c, Relation::Child, age, &issues)
                };
                parent.cares_for.push(child.id.clone());
                members.push(child);
            }
            if rng.chance(5) {
                parent.issues.push("dv".into());
            }
            members.insert(0, parent);
        }
        // Multi-generation (12%).
        57..=68 => {
            let issues = elder_issues(rng);
            let mut gp = {
                let age = rng.range(66, 90);
                member(rng, 1, Relation::Parent, age, &issues)
            };
            if rng.chance(25) {
                gp.care_level = Some("care_1".into());
            }
            let issues: Vec<&str> = (0..rng.range(0, 2))
                .map(|_| {
                    rng.pick(&[
                        "income_living_costs",
                        "long_term_care",
                        "child_rearing",
                        "medical_costs",
                    ])
                })
                .collect();
            let mut head = {
                let age = rng.range(35, 52);
                member(rng, 2, Relation::Head, age, &issues)
            };
            if rng.chance(40) {
                head.cares_for = vec!["p1".into(), "p3".into()];
            }
            let child = {
                let age = rng.range(3, 17);
                member(rng, 3, Relation::Child, age, &[])
            };
            members.extend([gp, head, child]);
        }
        // Hikikomori young adult with parents (8%).
        69..=76 => {
            let parent = {
                let age = rng.range(50, 72);
                member(rng, 1, Relation::Head, age, &[])
            };
            let mut child = {
                let age = rng.range(18, 39);
                member(rng, 2, Relation::Child, age, &["hikikomori"])
            };
            child.engagement = if rng.chance(50) {
                Engagement::NotEngaging
            } else {
                Engagement::Refuses
            };
            members.extend([parent, child]);
        }
        // Disability (10%).
        77..=86 => {
            let age = rng.range(5, 60);
            let issues: Vec<&str> = (0..rng.range(0, 2))
                .map(|_| {
                    rng.pick(&[
                        "health_disability",
                        "job_search",
                        "communication_difficulty",
                        "developmental_concern",
                    ])
                })
                .collect();
            let mut p = member(rng, 2, Relation::Child, age, &issues);
            p.disabilities = vec![DisabilityCertificate {
                kind: CertificateKindCode::from(rng.pick(&["physical", "intellectual", "mental"])),
                grade: None,
            }];
            let mut carer = {
                let age = age + rng.range(22, 35);
                member(rng, 1, Relation::Head, age, &[])
            };
            carer.cares_for = vec![p.id.clone()];
            members.extend([carer, p]);
        }
        // Poverty (13%).
        _ => {
            let issues: Vec<&str> = (0..rng.range(1, 3))
                .map(|_| {
                    rng.pick(&[
                        "debt",
                        "no_food",
                        "job_search",
                        "unstable_housing",
                        "income_living_costs",
                        "tax_utility_payment",
                    ])
                })
                .collect();
            let mut p = {
                let age = rng.range(20, 64);
                member(rng, 1, Relation::Head, age, &issues)
            };
            p.employment = Some(Employment::Unemployed);
            if rng.chance(15) {
                p.public_assistance = true;
            }
            members.push(p);
            if rng.chance(20) {
                hh_issues.push("housing".into());
            }
        }
    }
    // Life-threatening issues in about 3% of households.
    if rng.chance(3) {
        let i = rng.below(members.len() as u64) as usize;
        let code = rng.pick(&["abuse", "dv", "suicide_risk"]);
        members[i].issues.push(code.into());
    }
    Household {
        id: HouseholdId::from(format!("h{n}")),
        area: Default::default(),
        members,
        issues: hh_issues,
        ties: Vec::new(),
    }
}

fn situation(rng: &mut Rng) -> Situation {
    let mut s = Situation::new(today());
    s.urgency = match rng.below(100) {
        0..=2 => Urgency::Immediate,
        3..=14 => Urgency::High,
        _ => Urgency::Normal,
    };
    s.consent = match rng.below(100) {
        0..=49 => ConsentState::None,
        50..=89 => ConsentState::Given,
        90..=95 => ConsentState::Refused,
        _ => ConsentState::Withdrawn,
    };
    s
}

fn chunk(seed: u64, index: usize, len: usize) -> Vec<(Household, Situation)> {
    let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    (0..len)
        .map(|k| {
            let h = household(&mut rng, (index * CHUNK + k) as u64);
            let s = situation(&mut rng);
            (h, s)
        })
        .collect()
}

// ---------------------------------------------------------------------------------- zen side

/// The default rules as zen expressions over the flattened facts, by rule id.
fn zen_expressions() -> HashMap<&'static str, &'static str> {
    let child = "#.age >= 0 and #.age <= 17";
    let _ = child;
    HashMap::from([
        (
            "immediate.dv_police",
            r#"contains(issues, "dv") and urgency == "immediate""#,
        ),
        (
            "immediate.child_abuse",
            r#"some(members, #.age >= 0 and #.age <= 17 and contains(#.issues, "abuse"))"#,
        ),
        (
            "immediate.dv_children",
            r#"contains(issues, "dv") and some(members, #.age >= 0 and #.age <= 17)"#,
        ),
        (
            "immediate.elder_abuse",
            r#"some(members, #.age >= 65 and contains(#.issues, "abuse"))"#,
        ),
        (
            "immediate.abuse_other",
            r#"contains(issues, "abuse") and not some(members, #.age >= 0 and #.age <= 17 and contains(#.issues, "abuse")) and not some(members, #.age >= 65 and contains(#.issues, "abuse"))"#,
        ),
        ("immediate.dv", r#"contains(issues, "dv")"#),
        (
            "immediate.suicide_risk",
            r#"contains(issues, "suicide_risk")"#,
        ),
        (
            "multi_agency.composite",
            r#"domainCount >= 3 or contains(patterns, "8050") or contains(patterns, "double_care") or contains(patterns, "young_carer") or contains(patterns, "multi_problem")"#,
        ),
        (
            "multi_agency.service_gap",
            r#"contains(patterns, "service_gap")"#,
        ),
        (
            "outreach.not_engaging",
            r#"some(members, #.engagement == "not_engaging" or #.engagement == "refuses") or contains(issues, "hikikomori")"#,
        ),
        (
            "participation.isolated",
            r#"contains(patterns, "isolated") or contains(issues, "social_isolation") or contains(issues, "hikikomori")"#,
        ),
        (
            "community.watch",
            r#"contains(issues, "lonely_death_risk") or contains(issues, "hoarding")"#,
        ),
        (
            "window.elderly",
            r#"some(members, #.age >= 65 and len(#.issues) > 0) or some(members, #.careLevel) or contains(domains, "long_term_care") or contains(domains, "care_prevention") or contains(patterns, "8050") or contains(patterns, "double_care")"#,
        ),
        (
            "window.hospital_discharge",
            r#"some(members, #.hospitalised and contains(#.issues, "hospital_discharge"))"#,
        ),
        (
            "window.disability",
            r#"some(members, #.disability) or contains(issues, "developmental_concern")"#,
        ),
        (
            "window.children",
            r#"contains(issues, "child_rearing") or contains(issues, "school_refusal") or contains(issues, "developmental_concern") or contains(issues, "learning_support") or (some(members, #.singleParent) and some(members, #.age >= 0 and #.age <= 17)) or contains(patterns, "young_carer") or contains(patterns, "double_care")"#,
        ),
        (
            "window.poverty",
            r#"(some(issues, # in ["income_living_costs", "debt", "rent_loan_payment", "tax_utility_payment", "no_food", "household_budgeting", "job_search", "unstable_housing", "medical_costs"]) or contains(patterns, "8050")) and not some(members, #.publicAssistance)"#,
        ),
        ("window.hikikomori", r#"contains(issues, "hikikomori")"#),
        (
            "school.young_carer_elementary",
            r#"contains(patterns, "young_carer") and some(members, #.carer and #.age >= 0 and #.age <= 17 and #.stage == "elementary")"#,
        ),
        (
            "school.young_carer_junior_high",
            r#"contains(patterns, "young_carer") and some(members, #.carer and #.age >= 0 and #.age <= 17 and #.stage == "junior_high")"#,
        ),
        (
            "school.young_carer_high_school",
            r#"contains(patterns, "young_carer") and some(members, #.carer and #.age >= 0 and #.age <= 17 and #.stage == "high_school")"#,
        ),
        (
            "window.public_assistance",
            r#"some(members, #.publicAssistance) and len(issues) > 0"#,
        ),
    ])
}

/// A JDM graph: input → one decision table (hit policy `collect`, one row per rule in tsunagu's
/// static order, an expression cell and the rule id as output) → output.
fn zen_graph(router: &Router) -> Value {
    let exprs = zen_expressions();
    let rows: Vec<Value> = router
        .rules()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let e = exprs
                .get(r.id.as_str())
                .unwrap_or_else(|| panic!("no zen expression for rule {}", r.id));
            json!({"_id": format!("r{i}"), "cond": e, "rule": format!("\"{}\"", r.id)})
        })
        .collect();
    json!({
        "nodes": [
            {"id": "in", "name": "request", "type": "inputNode", "content": {}},
            {"id": "table", "name": "routing", "type": "decisionTableNode", "content": {
                "hitPolicy": "collect",
                "inputs": [{"id": "cond", "name": "condition"}],
                "outputs": [{"id": "rule", "name": "rule", "field": "rule"}],
                "rules": rows
            }},
            {"id": "out", "name": "response", "type": "outputNode", "content": {}}
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "table"},
            {"id": "e2", "sourceId": "table", "targetId": "out"}
        ]
    })
}

/// The household as flat facts for zen (patterns detected here, outside zen's timing).
fn flatten(h: &Household, s: &Situation, env: &RoutingEnv) -> Value {
    let tax = &env.taxonomies;
    let mut issues: Vec<&str> = h.current_issues().map(|(_, c)| c.as_str()).collect();
    issues.sort_unstable();
    issues.dedup();
    let mut domains: Vec<&str> = h
        .current_issues()
        .filter_map(|(_, c)| tax.issue(c).map(|i| i.domain.code()))
        .collect();
    domains.sort_unstable();
    domains.dedup();
    let patterns: Vec<Value> =
        tsunagu::patterns::detect_patterns(h, tax, &env.directory, &env.pattern_settings, s.today)
            .iter()
            .map(|f| serde_json::to_value(f.pattern).unwrap())
            .collect();
    let members: Vec<Value> = h
        .members
        .iter()
        .map(|p| {
            json!({
                "age": p.age_on(s.today).map_or(-1, i64::from),
                "issues": p.current_issues().collect::<Vec<_>>(),
                "carer": !p.cares_for.is_empty(),
                "stage": match p.birth_date {
                    Some(b) => tsunagu::routing::SchoolStage::on(b, s.today),
                    None => p.age_on(s.today).map(tsunagu::routing::SchoolStage::for_age),
                },
                "careLevel": p.care_level.is_some(),
                "disability": !p.disabilities.is_empty(),
                "singleParent": p.single_parent,
                "publicAssistance": p.public_assistance,
                "hospitalised": p.hospitalised,
                "engagement": p.engagement,
            })
        })
        .collect();
    json!({
        "urgency": s.urgency,
        "consent": s.consent,
        "issues": issues,
        "domains": domains,
        "domainCount": domains.len(),
        "patterns": patterns,
        "members": members,
    })
}

/// zen's matched rule ids, deduplicated by target and ranked as tsunagu ranks them.
fn rank_zen(
    result: &zen_engine::Variable,
    index: &HashMap<String, usize>,
    router: &Router,
    s: &Situation,
    out: &mut Vec<(Urgency, usize)>,
) {
    out.clear();
    let rules = router.rules();
    if let Some(rows) = result.as_array() {
        for row in rows.borrow().iter() {
            let Some(id) = row.dot("rule") else { continue };
            let Some(&k) = id.as_str().and_then(|id| index.get(id)) else {
                continue;
            };
            let target = (&rules[k].then.agency_kind, &rules[k].then.project);
            if out
                .iter()
                .any(|(_, j)| (&rules[*j].then.agency_kind, &rules[*j].then.project) == target)
            {
                continue;
            }
            out.push((rules[k].then.urgency.unwrap_or(s.urgency), k));
        }
    }
    if out.is_empty() {
        out.push((s.urgency, usize::MAX));
    }
    out.sort_unstable();
}

// ---------------------------------------------------------------------------------- report

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k]
}

struct Stats {
    total: Duration,
    latencies_ns: Vec<u32>,
}

impl Stats {
    fn per_sec(&self, n: usize) -> f64 {
        n as f64 / self.total.as_secs_f64()
    }
}

fn main() {
    let mut n: usize = 1_000_000;
    let mut seed: u64 = 20_240_601;
    let mut zen_n: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--n" => {
                n = args
                    .next()
                    .and_then(|v| v.replace('_', "").parse().ok())
                    .expect("--n N")
            }
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed S"),
            "--zen-n" => zen_n = args.next().and_then(|v| v.replace('_', "").parse().ok()),
            "-h" | "--help" => {
                println!("usage: tsunagu-bench-routing [--n N] [--zen-n N] [--seed S]");
                return;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let zen_n = zen_n.unwrap_or(n).min(n);
    let env = RoutingEnv::builtin();
    let t = Instant::now();
    let router = Router::builtin(env.clone()).expect("default rules compile");
    let compile_time = t.elapsed();
    let chunks = n.div_ceil(CHUNK);
    println!("tsunagu routing benchmark: {n} households ({} rules, compiled in {:?}), seed {seed}, one thread", router.rules().len(), compile_time);

    // -------- tsunagu: throughput pass (no per-household timer) and latency pass.
    let mut scratch = Scratch::new();
    let mut checksum = 0usize;
    let mut through = Duration::ZERO;
    let mut through_cpu = Duration::ZERO;
    let mut lat = Stats {
        total: Duration::ZERO,
        latencies_ns: Vec::with_capacity(n),
    };
    let mut routed = 0usize;
    let mut with_issue = 0usize;
    for c in 0..chunks {
        let len = CHUNK.min(n - c * CHUNK);
        let data = chunk(seed, c, len);
        let t = Instant::now();
        let c0 = thread_cpu();
        for (h, s) in &data {
            let m = router.matches(h, s, &mut scratch);
            checksum = checksum.wrapping_add(m.len());
        }
        through_cpu += thread_cpu() - c0;
        through += t.elapsed();
        for (h, s) in &data {
            let t = Instant::now();
            let m = router.matches(h, s, &mut scratch);
            let d = t.elapsed();
            routed += usize::from(!m.is_empty());
            with_issue += usize::from(h.all_issues().next().is_some());
            lat.total += d;
            lat.latencies_ns
                .push(d.as_nanos().min(u128::from(u32::MAX)) as u32);
        }
    }
    assert_eq!(
        routed, n,
        "every household gets at least one recommendation"
    );
    lat.latencies_ns.sort_unstable();
    let ts = Stats {
        total: through,
        latencies_ns: lat.latencies_ns,
    };
    println!(
        "tsunagu  matches(): {:>12.0} households/s wall, {:.0} households/s on thread CPU time  (wall {:.3} s; {} with an issue)  latency p50 {} ns, p99 {} ns, p99.9 {} ns, max {} ns",
        ts.per_sec(n),
        n as f64 / through_cpu.as_secs_f64(),
        ts.total.as_secs_f64(),
        with_issue,
        percentile(&ts.latencies_ns, 0.50),
        percentile(&ts.latencies_ns, 0.99),
        percentile(&ts.latencies_ns, 0.999),
        ts.latencies_ns.last().copied().unwrap_or(0),
    );

    // -------- tsunagu with explanations, on a sample.
    let sample = (n / 10).clamp(1, 100_000);
    let data = chunk(seed, 0, sample.min(CHUNK));
    let t = Instant::now();
    let mut facts = 0usize;
    let mut done = 0usize;
    while done < sample {
        for (h, s) in &data {
            if done == sample {
                break;
            }
            facts += router
                .evaluate(h, s)
                .recommendations
                .iter()
                .map(|r| r.explanation.facts.len())
                .sum::<usize>();
            done += 1;
        }
    }
    let explained = t.elapsed();
    println!(
        "tsunagu  evaluate() with explanations: {:>8.0} households/s  (sample {sample}, {facts} facts)",
        sample as f64 / explained.as_secs_f64()
    );

    // -------- zen-engine.
    let graph = zen_graph(&router);
    let content: zen_engine::model::DecisionContent =
        serde_json::from_value(graph).expect("JDM graph parses");
    let engine = zen_engine::DecisionEngine::default();
    let mut decision = engine
        .create_decision(content.into())
        .expect("a graph decision");
    decision.compile();
    let index: HashMap<String, usize> = router
        .rules()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.to_string(), i))
        .collect();
    let zen_chunks = zen_n.div_ceil(CHUNK);
    let mut zen_time = Duration::ZERO;
    let mut zen_cpu = Duration::ZERO;
    let mut flatten_time = Duration::ZERO;
    let mut zen_lat: Vec<u32> = Vec::with_capacity(zen_n);
    let mut mismatches = 0usize;
    let mut first_mismatch: Option<String> = None;
    let mut ranked = Vec::new();
    for c in 0..zen_chunks {
        let len = CHUNK.min(zen_n - c * CHUNK);
        let data = chunk(seed, c, len);
        let t = Instant::now();
        let vars: Vec<zen_engine::Variable> = data
            .iter()
            .map(|(h, s)| zen_engine::Variable::from(flatten(h, s, &env)))
            .collect();
        flatten_time += t.elapsed();
        let mut results = Vec::with_capacity(len);
        let c0 = thread_cpu();
        for ((_, s), var) in data.iter().zip(vars) {
            let t = Instant::now();
            let response = pollster::block_on(decision.evaluate(var)).expect("zen evaluates");
            rank_zen(&response.result, &index, &router, s, &mut ranked);
            let d = t.elapsed();
            zen_time += d;
            zen_lat.push(d.as_nanos().min(u128::from(u32::MAX)) as u32);
            results.push(ranked.clone());
        }
        zen_cpu += thread_cpu() - c0;
        for ((h, s), ranked) in data.iter().zip(&results) {
            let ours: Vec<(Urgency, usize)> = router
                .matches(h, s, &mut scratch)
                .iter()
                .map(|m| {
                    (
                        m.urgency,
                        router
                            .rule_of(m)
                            .map_or(usize::MAX, |r| index[r.id.as_str()]),
                    )
                })
                .collect();
            if &ours != ranked {
                mismatches += 1;
                if first_mismatch.is_none() {
                    first_mismatch = Some(format!("{}: tsunagu {:?} zen {:?}", h.id, ours, ranked));
                }
            }
        }
    }
    zen_lat.sort_unstable();
    let zen_rate = zen_n as f64 / zen_time.as_secs_f64();
    let zen_cpu_rate = zen_n as f64 / zen_cpu.as_secs_f64();
    println!(
        "zen      decision:  {:>12.0} households/s wall, {:.0} households/s on thread CPU time  (wall {:.3} s over {zen_n})  latency p50 {} ns, p99 {} ns; flattening (with pattern detection) {:.3} s, not counted",
        zen_rate,
        zen_cpu_rate,
        zen_time.as_secs_f64(),
        percentile(&zen_lat, 0.50),
        percentile(&zen_lat, 0.99),
        flatten_time.as_secs_f64(),
    );
    println!(
        "results identical on {} of {zen_n} households",
        zen_n - mismatches
    );
    if let Some(m) = first_mismatch {
        println!("first mismatch: {m}");
    }
    println!(
        "ratio tsunagu / zen: {:.1}x  (checksum {checksum})",
        ts.per_sec(n) / zen_rate
    );
    if mismatches > 0 {
        // The comparison is only meaningful when both engines decide the same: fail loudly (CI
        // runs this at a tiny size as a cross-check of the default rules against zen-engine).
        eprintln!("tsunagu and zen-engine disagree on {mismatches} households");
        std::process::exit(1);
    }
}
