//! Whole-set checks of a rule set (ルール集合の検証) in O(n log n) of its size: duplicate ids,
//! contradictory outcomes and shadowed rules, plus each rule's own checks.
//!
//! A rule is *shadowed* when a rule before it in the static order (priority, high first, then
//! position) routes to the same target whenever its condition holds: syntactically, when some
//! disjunct of the higher rule's condition (the condition itself unless it is an `any`) is a
//! conjunction whose every conjunct appears among the lower rule's conjuncts (or both conditions
//! are equal). The lower rule is reported against the *first* such higher rule; when the two
//! conditions are equal and the outcomes differ (urgency, meeting) it is `contradictory_outcome`
//! instead.
//!
//! How it stays near-linear (it was quadratic in rules × conditions): every conjunct is interned
//! once (by its canonical JSON), rules are grouped by target in a hash map, and each higher
//! rule's disjunct is indexed under its *rarest* conjunct (fewest disjuncts in the set contain
//! it; every conjunct of a disjunct must be among the lower rule's, the rarest included). A lower
//! rule looks up only its own conjuncts, and stops scanning a list at the best candidate found
//! so far (lists are in static order). Sorting dominates: O(n log n) for n rules and conditions,
//! plus the candidates the index returns — one per genuinely overlapping disjunct in documents
//! written by people; [`check_set_counting`] returns that count, and a test shows it growing
//! linearly with the document.

use super::super::document::{Condition, Outcome, Rule, RuleId};
use super::super::problem::RuleProblem;
use super::super::set::RuleSet;
use super::super::validate::{self, RoutingEnv};
use std::collections::HashMap;

/// The conjunction a condition stands for: the children of a (nested) `all`, else itself.
fn conjuncts<'a>(c: &'a Condition, out: &mut Vec<&'a Condition>) {
    match c {
        Condition::All(children) => children.iter().for_each(|ch| conjuncts(ch, out)),
        other => out.push(other),
    }
}

/// Interns conditions by their canonical JSON, so equal conditions get one id.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, c: &Condition) -> u32 {
        let key = serde_json::to_string(c).unwrap_or_default();
        let next = self.ids.len() as u32;
        *self.ids.entry(key).or_insert(next)
    }
    /// Sorted, deduplicated ids of the conjuncts of `c`.
    fn conjunct_ids(&mut self, c: &Condition) -> Vec<u32> {
        let mut list = Vec::new();
        conjuncts(c, &mut list);
        let mut ids: Vec<u32> = list.into_iter().map(|x| self.id(x)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// What the shadow check needs of one rule.
struct Shape {
    /// Id of the whole condition.
    when: u32,
    /// Its conjuncts (sorted ids).
    conj: Vec<u32>,
    /// Its disjuncts, each a conjunction (sorted ids).
    disjuncts: Vec<Vec<u32>>,
}

fn shape(rule: &Rule, interner: &mut Interner) -> Shape {
    let disjuncts = match &rule.when {
        Condition::Any(children) => children.iter().map(|d| interner.conjunct_ids(d)).collect(),
        other => vec![interner.conjunct_ids(other)],
    };
    Shape {
        when: interner.id(&rule.when),
        conj: interner.conjunct_ids(&rule.when),
        disjuncts,
    }
}

fn target(o: &Outcome) -> (Option<&str>, Option<&str>) {
    (
        o.agency_kind.as_ref().map(|k| k.as_str()),
        o.project.as_ref().map(|p| p.as_str()),
    )
}

/// The rules already seen (higher in the static order) of one target.
#[derive(Default)]
struct Group {
    /// Disjuncts by their key conjunct: (order position, rule index, disjunct index).
    index: HashMap<u32, Vec<(usize, usize, usize)>>,
    /// The first rule with an empty disjunct (an `all` with no children: always true).
    always: Option<(usize, usize)>,
    /// The first rule of each whole condition.
    first_of_when: HashMap<u32, (usize, usize)>,
}

/// Whole-set checks: duplicate ids, contradictory outcomes and shadowed rules, plus each rule's
/// own checks (so a set built against another environment is re-checked).
pub(crate) fn check_set(set: &RuleSet, env: &RoutingEnv) -> Vec<RuleProblem> {
    check_set_counting(set, env).0
}

/// [`check_set`] and the number of candidate comparisons the shadow check made (the measure
/// of its growth that the tests assert).
pub(crate) fn check_set_counting(set: &RuleSet, env: &RoutingEnv) -> (Vec<RuleProblem>, u64) {
    let mut problems = Vec::new();
    let locate = |p: &mut RuleProblem, k: usize| {
        let origin = &set.origins[k];
        p.source = origin.source;
        p.line = origin.lines.line_of(&p.path);
    };
    let mut seen: HashMap<&RuleId, ()> = HashMap::with_capacity(set.rules.len());
    for (k, rule) in set.rules.iter().enumerate() {
        let mut own = Vec::new();
        validate::check_rule(rule, &set.origins[k].path, env, &mut own);
        for mut p in own {
            locate(&mut p, k);
            problems.push(p);
        }
        if seen.insert(&rule.id, ()).is_some() {
            let mut p = RuleProblem::new(
                "duplicate_rule_id",
                Some(&rule.id),
                format!("{}.id", set.origins[k].path),
                format!("rule id `{}` is defined twice", rule.id),
            );
            locate(&mut p, k);
            problems.push(p);
        }
    }

    let mut interner = Interner::default();
    let shapes: Vec<Shape> = set.rules.iter().map(|r| shape(r, &mut interner)).collect();
    // How many disjuncts contain each conjunct: a disjunct is indexed under its rarest one.
    let mut frequency: HashMap<u32, u32> = HashMap::new();
    for s in &shapes {
        for d in &s.disjuncts {
            for &c in d {
                *frequency.entry(c).or_default() += 1;
            }
        }
    }
    let key_of = |d: &[u32]| d.iter().copied().min_by_key(|c| (frequency[c], *c));

    // Static order: priority (high first), then position.
    let mut order: Vec<usize> = (0..set.rules.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(set.rules[k].priority), k));
    let mut groups: HashMap<(Option<&str>, Option<&str>), Group> = HashMap::new();
    let mut ops = 0u64;
    let mut shadowed: Vec<(usize, usize)> = Vec::new();
    for (pos, &b) in order.iter().enumerate() {
        let lower = &shapes[b];
        let group = groups.entry(target(&set.rules[b].then)).or_default();
        // The first higher rule (by order position) whose condition implies this one's.
        let mut best: Option<(usize, usize)> = group.always;
        let better = |best: Option<(usize, usize)>, cand: (usize, usize)| match best {
            Some(b) if b.0 <= cand.0 => best,
            _ => Some(cand),
        };
        if let Some(&first) = group.first_of_when.get(&lower.when) {
            best = better(best, first);
        }
        for c in &lower.conj {
            let Some(list) = group.index.get(c) else {
                continue;
            };
            for &(p, a, d) in list {
                if best.is_some_and(|(bp, _)| bp <= p) {
                    break;
                }
                ops += 1;
                let disjunct = &shapes[a].disjuncts[d];
                if disjunct.iter().all(|x| lower.conj.binary_search(x).is_ok()) {
                    best = Some((p, a));
                }
            }
        }
        if let Some((_, a)) = best {
            shadowed.push((b, a));
        }
        for (d, disjunct) in lower.disjuncts.iter().enumerate() {
            match key_of(disjunct) {
                Some(key) => group.index.entry(key).or_default().push((pos, b, d)),
                None => {
                    if group.always.is_none() {
                        group.always = Some((pos, b));
                    }
                }
            }
        }
        group.first_of_when.entry(lower.when).or_insert((pos, b));
    }
    for (b, a) in shadowed {
        let (lower, higher) = (&set.rules[b], &set.rules[a]);
        let (code, message) = if higher.when == lower.when && higher.then != lower.then {
            (
                "contradictory_outcome",
                format!(
                    "rule `{}` has the same condition and target as rule `{}` but a different urgency or meeting",
                    lower.id, higher.id
                ),
            )
        } else {
            (
                "shadowed_rule",
                format!(
                    "rule `{}` never adds a recommendation: rule `{}` (priority {}) routes to the same target whenever its condition holds",
                    lower.id, higher.id, higher.priority
                ),
            )
        };
        let mut p = RuleProblem::new(
            code,
            Some(&lower.id),
            format!("{}.when", set.origins[b].path),
            message,
        );
        p.related_rule = Some(higher.id.clone());
        locate(&mut p, b);
        problems.push(p);
    }
    (problems, ops)
}

/// Condition nodes in `c` (each `all`, `any`, `not` and leaf counts one), stopping early once
/// above `max` so a hostile tree costs no more than the limit.
pub(crate) fn condition_nodes(c: &Condition, max: usize) -> usize {
    fn walk(c: &Condition, count: &mut usize, max: usize) {
        *count += 1;
        if *count > max {
            return;
        }
        match c {
            Condition::All(ch) | Condition::Any(ch) => {
                for x in ch {
                    walk(x, count, max);
                    if *count > max {
                        return;
                    }
                }
            }
            Condition::Not(inner) => walk(inner, count, max),
            _ => {}
        }
    }
    let mut count = 0;
    walk(c, &mut count, max);
    count
}
