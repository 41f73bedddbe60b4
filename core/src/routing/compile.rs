//! The compiled router: rules flattened into an arena of predicate nodes over precomputed
//! household facts (bitsets of issue codes and domains, per-member attribute masks), evaluated
//! without allocation on the hot path ([`Router::matches`]).
//!
//! Composite patterns are decided at most once per household, and only when evaluation reaches a
//! pattern predicate (cheap predicates are evaluated first inside `all` / `any`). They are
//! decided by a compiled twin of `patterns::detect_patterns`: the same rules, clause by clause,
//! on the precomputed facts, with the same [`PatternSettings`](crate::patterns::PatternSettings)
//! and the agency module's own `serves_area` / `serves_person` for 制度の狭間 — without building
//! the detector's evidence strings, which cost several times more than all the rules together.
//! A property test asserts that the twin and the detector agree on every generated household
//! under several settings and directories; when settings name issue codes the taxonomy does
//! not know, the detector itself is called. Explanations always use the detector's evidence.
//!
//! This file owns compilation (ルールのコンパイル): the compiled shapes (bitsets, issue and member
//! programs, the node arena, [`Router`]) and [`Router::compile`]; `eval` evaluates them on a
//! household and `pattern_filter` is the detector's compiled twin.

use super::document::{Condition, CountOf, IssueSelector, MemberPredicate, Rule};
use super::set::RuleSet;
use super::validate::RoutingEnv;
use super::{ConsentState, RoutingError, Situation, Urgency, FALLBACK_RULE_ID};
use crate::household::{Employment, Engagement, Household, Person, Relation};
use crate::ids::{AgencyKindCode, ProjectCode};
use crate::patterns::Pattern;
use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

mod eval;
mod pattern_filter;

/// FNV-1a: short code strings hash much faster than with SipHash, and the keys are not
/// attacker-chosen (they come from the taxonomy).
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FastMap<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// A set of up to 256 issue codes (indexed by their position in the taxonomy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Bits([u64; 4]);

impl Bits {
    pub(crate) const MAX: usize = 256;
    fn set(&mut self, i: usize) {
        self.0[i >> 6] |= 1 << (i & 63);
    }
    pub(crate) fn has(&self, i: usize) -> bool {
        self.0[i >> 6] & (1 << (i & 63)) != 0
    }
    fn or(&mut self, other: &Bits) {
        for k in 0..4 {
            self.0[k] |= other.0[k];
        }
    }
    fn intersects(&self, other: &Bits) -> bool {
        (self.0[0] & other.0[0])
            | (self.0[1] & other.0[1])
            | (self.0[2] & other.0[2])
            | (self.0[3] & other.0[3])
            != 0
    }
    fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
    /// Whether some code of `self` is not in `other`.
    fn any_outside(&self, other: &Bits) -> bool {
        (0..4).any(|k| self.0[k] & !other.0[k] != 0)
    }
}

/// Index and domain bit of an issue code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IssueInfo {
    pub(crate) index: u16,
    pub(crate) domain: u16,
}

/// An issue selector, compiled.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IssueProg {
    pub(crate) codes: Bits,
    pub(crate) domains: u16,
    pub(crate) any: bool,
    /// Suspected issues match too.
    pub(crate) suspected: bool,
}

/// The issues of one status group (current, or suspected) of a member or household.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IssueBits {
    pub(crate) codes: Bits,
    pub(crate) domains: u16,
    pub(crate) any: bool,
    /// Some code is not in the taxonomy.
    pub(crate) unknown: bool,
}

impl IssueBits {
    fn add(&mut self, info: Option<IssueInfo>) {
        self.any = true;
        match info {
            Some(info) => {
                self.codes.set(info.index as usize);
                self.domains |= info.domain;
            }
            None => self.unknown = true,
        }
    }
    fn or(&mut self, other: &IssueBits) {
        self.codes.or(&other.codes);
        self.domains |= other.domains;
        self.any |= other.any;
        self.unknown |= other.unknown;
    }
}

impl IssueProg {
    #[inline]
    fn matches_bits(&self, b: &IssueBits) -> bool {
        (self.any && b.any) || b.domains & self.domains != 0 || self.codes.intersects(&b.codes)
    }
    /// Whether the current issues (and, if the selector asks, the suspected ones) match.
    #[inline]
    pub(crate) fn matches(&self, current: &IssueBits, suspected: &IssueBits) -> bool {
        self.matches_bits(current) || (self.suspected && self.matches_bits(suspected))
    }
}

pub(crate) const F_PUBLIC_ASSISTANCE: u8 = 1;
pub(crate) const F_SINGLE_PARENT: u8 = 2;
pub(crate) const F_CARER: u8 = 4;
pub(crate) const F_HEAD: u8 = 8;
pub(crate) const F_HOSPITALISED: u8 = 16;
/// Has a care level recorded (even one the taxonomy does not rank).
const F_CARE_RECORDED: u8 = 32;
const NO_AGE: u32 = u32::MAX;

/// A member predicate, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemberProg {
    age: Option<(u32, u32)>,
    stages: u8,
    care: Option<(u8, u8)>,
    certs: Option<u32>,
    flag_mask: u8,
    flag_value: u8,
    relations: u16,
    employment: u8,
    engagement: u8,
    issue: Option<IssueProg>,
}

/// Facts of one member, computed once per household.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MemberFacts {
    age: u32,
    stage: u8,
    care_rank: u8,
    certs: u32,
    has_cert: bool,
    flags: u8,
    relation: u16,
    employment: u8,
    engagement: u8,
    /// Current issues (codes, domains, any): what patterns and counts use.
    pub(crate) issues: Bits,
    domains: u16,
    any_issue: bool,
    /// Current issues as one group, for issue selectors.
    pub(crate) current: IssueBits,
    /// Suspected issues (疑い), for selectors that opt in.
    suspected: IssueBits,
}

impl MemberProg {
    #[inline]
    pub(crate) fn matches(&self, m: &MemberFacts) -> bool {
        if let Some((lo, hi)) = self.age {
            if m.age == NO_AGE || m.age < lo || m.age > hi {
                return false;
            }
        }
        if m.flags & self.flag_mask != self.flag_value {
            return false;
        }
        if self.stages != 0 && self.stages & m.stage == 0 {
            return false;
        }
        if let Some((lo, hi)) = self.care {
            if m.care_rank == 0 || m.care_rank < lo || m.care_rank > hi {
                return false;
            }
        }
        if let Some(kinds) = self.certs {
            if !m.has_cert || (kinds != 0 && kinds & m.certs == 0) {
                return false;
            }
        }
        if self.relations != 0 && self.relations & m.relation == 0 {
            return false;
        }
        if self.employment != 0 && self.employment & m.employment == 0 {
            return false;
        }
        if self.engagement != 0 && self.engagement & m.engagement == 0 {
            return false;
        }
        match &self.issue {
            Some(p) => p.matches(&m.current, &m.suspected),
            None => true,
        }
    }
}

#[derive(Debug, Clone)]
enum Node {
    All { start: u32, len: u32 },
    Any { start: u32, len: u32 },
    Not(u32),
    Issue(IssueProg),
    Member(u32),
    Pattern(u8),
    Engagement(u8),
    Consent(u8),
    Urgency(u8),
    Area(u32),
    Count { of: CountOf, lo: u32, hi: u32 },
}

fn uses_stage(c: &Condition) -> bool {
    match c {
        Condition::All(cs) | Condition::Any(cs) => cs.iter().any(uses_stage),
        Condition::Not(inner) => uses_stage(inner),
        Condition::Member(m) => !m.school_stage.is_empty(),
        _ => false,
    }
}

pub(crate) fn pattern_bit(p: Pattern) -> u8 {
    1 << match p {
        Pattern::EightyFifty => 0,
        Pattern::DoubleCare => 1,
        Pattern::YoungCarer => 2,
        Pattern::MultiProblem => 3,
        Pattern::Isolated => 4,
        Pattern::ServiceGap => 5,
    }
}
const ALL_PATTERNS: [Pattern; 6] = [
    Pattern::EightyFifty,
    Pattern::DoubleCare,
    Pattern::YoungCarer,
    Pattern::MultiProblem,
    Pattern::Isolated,
    Pattern::ServiceGap,
];

fn engagement_bit(e: Engagement) -> u8 {
    1 << match e {
        Engagement::Engaged => 0,
        Engagement::NotEngaging => 1,
        Engagement::Refuses => 2,
    }
}
fn consent_bit(c: ConsentState) -> u8 {
    1 << match c {
        ConsentState::None => 0,
        ConsentState::Given => 1,
        ConsentState::Refused => 2,
        ConsentState::Withdrawn => 3,
    }
}
fn urgency_bit(u: Urgency) -> u8 {
    1 << match u {
        Urgency::Immediate => 0,
        Urgency::High => 1,
        Urgency::Normal => 2,
    }
}
fn relation_bit(r: Relation) -> u16 {
    1 << match r {
        Relation::Head => 0,
        Relation::Spouse => 1,
        Relation::Child => 2,
        Relation::ChildInLaw => 3,
        Relation::Parent => 4,
        Relation::Grandparent => 5,
        Relation::Grandchild => 6,
        Relation::Sibling => 7,
        Relation::Other => 8,
    }
}
fn employment_bit(e: Employment) -> u8 {
    1 << match e {
        Employment::FullTime => 0,
        Employment::PartTime => 1,
        Employment::SelfEmployed => 2,
        Employment::Unemployed => 3,
        Employment::Student => 4,
        Employment::Retired => 5,
    }
}
fn stage_bit(s: super::SchoolStage) -> u8 {
    1 << (super::SchoolStage::ALL
        .iter()
        .position(|x| *x == s)
        .expect("listed") as u8)
}

#[derive(Debug, Clone)]
struct CompiledRule {
    root: u32,
    target: u16,
}

/// One ranked match of the hot path: a rule (or the fallback) and its effective urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index of the rule in [`Router::rules`] (static order), or `u32::MAX` for the fallback.
    pub(crate) rule: u32,
    /// The urgency: the outcome's, else the situation's.
    pub urgency: Urgency,
}

impl Match {
    /// Whether this is the fallback recommendation (no rule matched).
    pub fn is_fallback(&self) -> bool {
        self.rule == u32::MAX
    }
}

/// Reusable per-thread buffers for [`Router::matches`]; keeps the hot path allocation-free.
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) members: Vec<MemberFacts>,
    matches: Vec<Match>,
}

impl Scratch {
    /// Empty buffers (they grow to the largest household seen).
    pub fn new() -> Self {
        Self::default()
    }
}

/// Household-level facts.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HouseholdFacts {
    pub(crate) issues: Bits,
    domains: u16,
    /// Domains of the household-level issues only.
    own_domains: u16,
    any_issue: bool,
    /// Current issues of the household and every member, as one group.
    current: IssueBits,
    /// Current issues of the household as a whole.
    pub(crate) own: IssueBits,
    /// Suspected issues of the household and every member.
    suspected: IssueBits,
    members_with_issues: u32,
    engagement: u8,
}

pub(crate) struct Ctx<'a> {
    pub(crate) household: &'a Household,
    pub(crate) situation: &'a Situation,
    pub(crate) facts: HouseholdFacts,
    pub(crate) members: &'a [MemberFacts],
    patterns: Cell<u8>,
    known: Cell<u8>,
}

/// A compiled rule set, ready to route households (振り分け).
///
/// Compile once ([`Router::compile`]), then evaluate many households; `Router` is immutable and
/// can be shared between threads (each with its own [`Scratch`]).
#[derive(Debug)]
pub struct Router {
    pub(crate) env: RoutingEnv,
    /// Rules in static order: priority (high first), then set order.
    pub(crate) rules: Vec<Rule>,
    compiled: Vec<CompiledRule>,
    nodes: Vec<Node>,
    children: Vec<u32>,
    members: Vec<MemberProg>,
    areas: Vec<Vec<String>>,
    pub(crate) issue_index: FastMap<IssueInfo>,
    cert_index: FastMap<u8>,
    care_rank: FastMap<u8>,
    targets: Vec<(Option<AgencyKindCode>, Option<ProjectCode>)>,
    filter: PatternFilter,
    /// Some rule looks at school stages (computed only then).
    needs_stage: bool,
}

/// The area and person limits of one agency (`Agency::serves_area`, `Agency::serves_person`).
#[derive(Debug, Default)]
struct AgencyLimits {
    areas: Vec<String>,
    min_age: u32,
    max_age: u32,
    requires_care_level: bool,
    requires_disability: bool,
}

/// The compiled twin of composite-pattern detection from the pattern settings and the
/// directory (see the module docs).
#[derive(Debug, Default)]
struct PatternFilter {
    elderly_min_age: u32,
    middle_age: (u32, u32),
    /// Withdrawal or no-income issues (8050).
    withdrawn_or_no_income: Bits,
    no_income_employment: u8,
    child_max_age: u32,
    care_recipient_min_age: u32,
    care_need_issues: Bits,
    infer_carers: bool,
    young_carer_max_age: u32,
    multi_problem_min_domains: u32,
    isolation_domains: u16,
    /// Per taxonomy issue: agencies whose `serves` names it (by code, domain or any issue).
    candidates: Vec<Vec<u16>>,
    /// 制度の狭間 (a): the statutory windows' eligibility.
    window_elderly_min_age: u32,
    window_child_max_age: u32,
    window_employment: u8,
    /// Issues a window open to everyone takes (codes and whole domains, as codes).
    window_universal: Bits,
    /// Child-rearing or financial-hardship issues (either makes an adult eligible).
    window_issues: Bits,
    /// Agencies serving any issue (they also cover codes unknown to the taxonomy).
    any_issue: Vec<u16>,
    /// Each agency's area and person limits.
    agencies: Vec<AgencyLimits>,
    /// Every issue code the settings name is in the taxonomy, so the bitsets decide exactly
    /// what the detector's string comparisons decide. When not, detection itself is called.
    exact: bool,
}

fn domain_bit(d: crate::taxonomy::Domain) -> u16 {
    1 << crate::taxonomy::Domain::ALL
        .iter()
        .position(|x| *x == d)
        .expect("listed")
}

impl Router {
    /// Validate `set` against `env` and compile it.
    ///
    /// Errors: `invalid_rule_document` (with every problem), `rule_set_too_large` (more than 256
    /// issue codes or 32 certificate kinds in the taxonomy).
    pub fn compile(set: &RuleSet, env: RoutingEnv) -> Result<Router, RoutingError> {
        let problems = set.problems(&env);
        if !problems.is_empty() {
            return Err(RoutingError::InvalidRuleDocument { problems });
        }
        let tax = &env.taxonomies;
        if tax.issues().len() > Bits::MAX {
            return Err(RoutingError::RuleSetTooLarge {
                list: "issue codes",
                count: tax.issues().len(),
                max: Bits::MAX,
            });
        }
        if tax.certificate_kinds().len() > 32 {
            return Err(RoutingError::RuleSetTooLarge {
                list: "certificate kinds",
                count: tax.certificate_kinds().len(),
                max: 32,
            });
        }
        let mut issue_index = FastMap::default();
        for (i, issue) in tax.issues().iter().enumerate() {
            issue_index.insert(
                issue.code.as_str().to_string(),
                IssueInfo {
                    index: i as u16,
                    domain: domain_bit(issue.domain),
                },
            );
        }
        let cert_index = tax
            .certificate_kinds()
            .iter()
            .enumerate()
            .map(|(i, t)| (t.code.as_str().to_string(), i as u8))
            .collect();
        let care_rank = tax
            .document()
            .care_levels
            .iter()
            .map(|c| (c.code.as_str().to_string(), c.rank.max(1)))
            .collect();
        let mut order: Vec<usize> = (0..set.rules.len()).collect();
        order.sort_by_key(|&k| (std::cmp::Reverse(set.rules[k].priority), k));
        let rules: Vec<Rule> = order.iter().map(|&k| set.rules[k].clone()).collect();
        let filter = PatternFilter::new(&env, &issue_index);
        let needs_stage = set.rules.iter().any(|r| uses_stage(&r.when));
        let mut router = Router {
            needs_stage,
            filter,
            env,
            rules: Vec::new(),
            compiled: Vec::new(),
            nodes: Vec::new(),
            children: Vec::new(),
            members: Vec::new(),
            areas: Vec::new(),
            issue_index,
            cert_index,
            care_rank,
            targets: Vec::new(),
        };
        for rule in &rules {
            let root = router.node(&rule.when);
            let key = (rule.then.agency_kind.clone(), rule.then.project.clone());
            let target = match router.targets.iter().position(|t| *t == key) {
                Some(t) => t,
                None => {
                    router.targets.push(key);
                    router.targets.len() - 1
                }
            };
            router.compiled.push(CompiledRule {
                root,
                target: target as u16,
            });
        }
        router.rules = rules;
        Ok(router)
    }

    /// Compile the built-in rules against `env`.
    pub fn builtin(env: RoutingEnv) -> Result<Router, RoutingError> {
        Router::compile(&RuleSet::builtin(), env)
    }

    /// The rules in static order (priority high first, then set order).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The environment the rules were compiled against.
    pub fn env(&self) -> &RoutingEnv {
        &self.env
    }

    /// The rule of a match (`None` for the fallback).
    pub fn rule_of(&self, m: &Match) -> Option<&Rule> {
        self.rules.get(m.rule as usize)
    }

    /// The rule id of a match ([`FALLBACK_RULE_ID`] for the fallback).
    pub fn rule_id(&self, m: &Match) -> &str {
        self.rule_of(m).map_or(FALLBACK_RULE_ID, |r| r.id.as_str())
    }

    pub(crate) fn issue_prog(&self, sel: &IssueSelector) -> IssueProg {
        let mut p = IssueProg {
            any: sel.any,
            suspected: sel.suspected,
            ..IssueProg::default()
        };
        for code in &sel.codes {
            if let Some(info) = self.issue_index.get(code.as_str()) {
                p.codes.set(info.index as usize);
            }
        }
        if sel.life_threatening {
            for (i, issue) in self.env.taxonomies.issues().iter().enumerate() {
                if issue.life_threatening {
                    p.codes.set(i);
                }
            }
        }
        for d in &sel.domains {
            p.domains |= domain_bit(*d);
        }
        p
    }

    pub(crate) fn member_prog(&self, m: &MemberPredicate) -> MemberProg {
        let mut p = MemberProg {
            age: m
                .age
                .map(|a| (a.min.unwrap_or(0), a.max.unwrap_or(NO_AGE - 1))),
            stages: m.school_stage.iter().fold(0, |acc, s| acc | stage_bit(*s)),
            ..MemberProg::default()
        };
        if let Some(range) = &m.care_level {
            let rank = |c: &Option<crate::ids::CareLevelCode>, default: u8| {
                c.as_ref()
                    .and_then(|c| self.care_rank.get(c.as_str()).copied())
                    .unwrap_or(default)
            };
            p.care = Some((rank(&range.min, 1), rank(&range.max, u8::MAX)));
        }
        if let Some(sel) = &m.disability {
            p.certs = Some(sel.kinds.iter().fold(0, |acc, k| {
                acc | self.cert_index.get(k.as_str()).map_or(0, |i| 1u32 << i)
            }));
        }
        for (value, bit) in [
            (m.public_assistance, F_PUBLIC_ASSISTANCE),
            (m.single_parent, F_SINGLE_PARENT),
            (m.carer, F_CARER),
            (m.head, F_HEAD),
            (m.hospitalised, F_HOSPITALISED),
        ] {
            if let Some(v) = value {
                p.flag_mask |= bit;
                if v {
                    p.flag_value |= bit;
                }
            }
        }
        p.relations = m.relation.iter().fold(0, |acc, r| acc | relation_bit(*r));
        p.employment = m
            .employment
            .iter()
            .fold(0, |acc, e| acc | employment_bit(*e));
        p.engagement = m
            .engagement
            .iter()
            .fold(0, |acc, e| acc | engagement_bit(*e));
        p.issue = m.has_issue.as_ref().map(|s| self.issue_prog(s));
        p
    }

    /// Relative cost of a node, to evaluate cheap predicates first.
    fn cost(&self, n: u32) -> u32 {
        match &self.nodes[n as usize] {
            Node::All { start, len } | Node::Any { start, len } => self.children
                [*start as usize..(*start + *len) as usize]
                .iter()
                .map(|c| self.cost(*c))
                .sum(),
            Node::Not(c) => self.cost(*c),
            Node::Pattern(_) => 1000,
            Node::Member(_) => 8,
            Node::Area(_) => 4,
            _ => 1,
        }
    }

    fn node(&mut self, c: &Condition) -> u32 {
        let node = match c {
            Condition::All(cs) | Condition::Any(cs) => {
                let mut kids: Vec<u32> = cs.iter().map(|c| self.node(c)).collect();
                kids.sort_by_key(|k| self.cost(*k));
                let start = self.children.len() as u32;
                self.children.extend(&kids);
                let len = kids.len() as u32;
                if matches!(c, Condition::All(_)) {
                    Node::All { start, len }
                } else {
                    Node::Any { start, len }
                }
            }
            Condition::Not(inner) => Node::Not(self.node(inner)),
            Condition::HasIssue(sel) => Node::Issue(self.issue_prog(sel)),
            Condition::Member(m) => {
                let prog = self.member_prog(m);
                self.members.push(prog);
                Node::Member(self.members.len() as u32 - 1)
            }
            Condition::Pattern(p) => Node::Pattern(pattern_bit(*p)),
            Condition::Engagement(es) => {
                Node::Engagement(es.iter().fold(0, |acc, e| acc | engagement_bit(*e)))
            }
            Condition::Consent(cs) => {
                Node::Consent(cs.iter().fold(0, |acc, c| acc | consent_bit(*c)))
            }
            Condition::Urgency(us) => {
                Node::Urgency(us.iter().fold(0, |acc, u| acc | urgency_bit(*u)))
            }
            Condition::Area(codes) => {
                self.areas
                    .push(codes.iter().map(|c| c.as_str().to_string()).collect());
                Node::Area(self.areas.len() as u32 - 1)
            }
            Condition::Count(cp) => Node::Count {
                of: cp.of,
                lo: cp.at_least.unwrap_or(0),
                hi: cp.at_most.unwrap_or(u32::MAX),
            },
        };
        self.nodes.push(node);
        self.nodes.len() as u32 - 1
    }
}
