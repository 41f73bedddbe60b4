//! Loading rule documents (ルール文書の読込): parse JSON or TOML, decode every rule (collecting
//! every problem), validate each rule and then the whole set; on any problem nothing changes.
//!
//! The document is held to the [`Limits`] of its [`RoutingEnv`] first (bytes and nesting depth of
//! the text, rules per document, condition nodes per rule, id bytes; `limit_exceeded`), and
//! every step after that is O(n log n) in the document and the set (ids are looked up in hash
//! maps; the whole-set checks are in `set_checks`).

use super::decode::decode_document;
use super::document::{RuleDocument, RuleId};
use super::problem::{LineIndex, RuleProblem, RuleSource};
use super::set::{Origin, RuleSet};
use super::validate::{self, RoutingEnv};
use super::RoutingError;
use crate::limits::{Limit, Limits};
use std::collections::{HashMap, HashSet};

mod set_checks;
#[cfg(test)]
mod tests;

pub(crate) use set_checks::check_set;
#[cfg(test)]
pub(crate) use set_checks::check_set_counting;

/// The default rule document as written and reviewed (TOML).
const BUILTIN: &str = include_str!("../../../data/routing_default.toml");
/// The same document converted to JSON by `core/build.rs`: what [`RuleSet::builtin`] loads, so
/// that loading the defaults needs no TOML parser (built-in rules carry no TOML line numbers).
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/data/routing_default.json"));

impl RuleSet {
    /// The default rule set (`core/data/routing_default.toml`), valid against the built-in
    /// taxonomy and meeting codes (checked by tests).
    pub fn builtin() -> RuleSet {
        let env = RoutingEnv::builtin();
        let value = crate::coded::from_json::<serde_json::Value>(BUILTIN_JSON)
            .expect("built-in routing rules parse (checked by tests)");
        RuleSet::empty()
            .extended_value(&value, Default::default(), RuleSource::Builtin, &env)
            .expect("built-in routing rules are valid (checked by tests)")
    }

    /// The text of the default rule document (TOML).
    pub fn builtin_text() -> &'static str {
        BUILTIN
    }

    /// Parse and validate a standalone JSON document (no defaults).
    pub fn from_json(text: &str, env: &RoutingEnv) -> Result<RuleSet, RoutingError> {
        RuleSet::empty().extend_json(text, env)
    }

    /// Parse and validate a standalone TOML document (no defaults).
    pub fn from_toml(text: &str, env: &RoutingEnv) -> Result<RuleSet, RoutingError> {
        RuleSet::empty().extend_toml(text, env)
    }

    /// This set extended by a JSON document: rules with a known id replace it, new ids are
    /// added, `remove` drops rules. Every problem is reported; on error nothing changes.
    pub fn extend_json(&self, text: &str, env: &RoutingEnv) -> Result<RuleSet, RoutingError> {
        env.limits.check_json_text(text)?;
        let value = crate::coded::from_json::<serde_json::Value>(text)?;
        self.extended_value(&value, Default::default(), RuleSource::Document, env)
    }

    /// This set extended by a TOML document (problems carry TOML line numbers).
    pub fn extend_toml(&self, text: &str, env: &RoutingEnv) -> Result<RuleSet, RoutingError> {
        env.limits.check_toml_text(text)?;
        let value = crate::coded::from_toml::<serde_json::Value>(text)?;
        let lines = std::sync::Arc::new(LineIndex::from_toml(text));
        self.extended_value(&value, lines, RuleSource::Document, env)
    }

    /// This set extended by a typed document (problems carry JSON paths).
    pub fn extend(&self, doc: &RuleDocument, env: &RoutingEnv) -> Result<RuleSet, RoutingError> {
        let value = serde_json::to_value(doc).expect("rule documents serialise");
        let lines = std::sync::Arc::new(LineIndex::default());
        self.extended_value(&value, lines, RuleSource::Document, env)
    }

    /// Every problem of this set under `env` (empty when valid).
    pub fn problems(&self, env: &RoutingEnv) -> Vec<RuleProblem> {
        check_set(self, env)
    }

    fn extended_value(
        &self,
        value: &serde_json::Value,
        lines: std::sync::Arc<LineIndex>,
        source: RuleSource,
        env: &RoutingEnv,
    ) -> Result<RuleSet, RoutingError> {
        let limits = &env.limits;
        if let Some(rules) = value.get("rules").and_then(|r| r.as_array()) {
            limits.check(Limit::RulesPerDocument, rules.len(), "$.rules")?;
        }
        let decoded = decode_document(value);
        check_rule_limits(&decoded, limits)?;
        let mut problems = decoded.problems;
        // Per-rule checks on the document's own rules (codes, ranges, outcomes).
        let mut seen: HashSet<&RuleId> = HashSet::with_capacity(decoded.rules.len());
        for (i, rule) in decoded.rules.iter() {
            let path = format!("$.rules[{i}]");
            if !seen.insert(&rule.id) {
                problems.push(RuleProblem::new(
                    "duplicate_rule_id",
                    Some(&rule.id),
                    format!("{path}.id"),
                    format!(
                        "rule id `{}` appears more than once in the document",
                        rule.id
                    ),
                ));
            }
            validate::check_rule(rule, &path, env, &mut problems);
        }
        for part in &decoded.partial {
            let path = format!("$.rules[{}]", part.index);
            let id = part.id.clone().unwrap_or_else(|| RuleId::from(""));
            if let Some(when) = &part.when {
                validate::check_condition(&id, when, &format!("{path}.when"), env, &mut problems);
            }
            if let Some(then) = &part.then {
                validate::check_outcome(&id, then, &format!("{path}.then"), env, &mut problems);
            }
        }
        // Positions of the set's rules by id; removed ones are dropped at the end.
        let mut next = self.clone();
        let mut position: HashMap<RuleId, usize> = next
            .rules
            .iter()
            .enumerate()
            .map(|(k, r)| (r.id.clone(), k))
            .collect();
        let mut removed = vec![false; next.rules.len()];
        for (j, id) in decoded.remove.iter() {
            let path = format!("$.remove[{j}]");
            if seen.contains(id) {
                problems.push(RuleProblem::new(
                    "contradictory_outcome",
                    Some(id),
                    path,
                    format!("rule `{id}` is both defined and removed by the document"),
                ));
            } else if !position.contains_key(id) {
                problems.push(RuleProblem::new(
                    "unknown_rule",
                    Some(id),
                    path,
                    format!("cannot remove rule `{id}`: no such rule"),
                ));
            } else if let Some(k) = position.remove(id) {
                removed[k] = true;
            }
        }
        for (i, rule) in decoded.rules {
            let path = format!("$.rules[{i}]");
            let origin = Origin {
                source,
                line: lines.line_of(&path),
                path,
                lines: lines.clone(),
            };
            match position.get(&rule.id) {
                Some(&k) => {
                    next.rules[k] = rule;
                    next.origins[k] = origin;
                }
                None => {
                    position.insert(rule.id.clone(), next.rules.len());
                    next.rules.push(rule);
                    next.origins.push(origin);
                    removed.push(false);
                }
            }
        }
        if removed.iter().any(|r| *r) {
            let mut keep = removed.iter().map(|r| !r);
            next.rules.retain(|_| keep.next().unwrap_or(true));
            let mut keep = removed.iter().map(|r| !r);
            next.origins.retain(|_| keep.next().unwrap_or(true));
        }
        limits.check(Limit::RulesPerDocument, next.rules.len(), "$.rules")?;
        for p in &mut problems {
            p.source = source;
            p.line = lines.line_of(&p.path);
        }
        // Whole-set checks (shadowing, contradictions between rules), only when the rules
        // themselves are sound: a broken rule would only produce noise.
        if problems.is_empty() {
            problems.extend(check_set(&next, env));
        }
        if problems.is_empty() {
            Ok(next)
        } else {
            // Document order: by rule index, document-level problems first.
            problems.sort_by_key(|p| {
                p.path
                    .strip_prefix("$.rules[")
                    .and_then(|rest| rest.split(']').next())
                    .and_then(|n| n.parse::<i64>().ok())
                    .unwrap_or(-1)
            });
            Err(RoutingError::InvalidRuleDocument { problems })
        }
    }
}

/// Condition nodes per rule and id bytes of a decoded document, against `limits`.
fn check_rule_limits(
    decoded: &super::decode::Decoded,
    limits: &Limits,
) -> Result<(), RoutingError> {
    let max = limits.conditions_per_rule;
    for (i, rule) in decoded.rules.iter() {
        limits.check(
            Limit::IdBytes,
            rule.id.as_str().len(),
            &format!("$.rules[{i}].id"),
        )?;
        let nodes = set_checks::condition_nodes(&rule.when, max);
        limits.check(
            Limit::ConditionsPerRule,
            nodes,
            &format!("$.rules[{i}].when"),
        )?;
    }
    for part in &decoded.partial {
        if let Some(when) = &part.when {
            let nodes = set_checks::condition_nodes(when, max);
            let path = format!("$.rules[{}].when", part.index);
            limits.check(Limit::ConditionsPerRule, nodes, &path)?;
        }
    }
    for (j, id) in decoded.remove.iter() {
        limits.check(Limit::IdBytes, id.as_str().len(), &format!("$.remove[{j}]"))?;
    }
    Ok(())
}
