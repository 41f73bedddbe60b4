//! Problems of rule documents (ルールの問題): what is wrong, where (JSON path, TOML line) and in
//! which document — shared by the decoder, the validator and the loader.

use super::document::RuleId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which document a rule (and so a problem) comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    /// The built-in default rules.
    Builtin,
    /// The document being loaded (or a municipality document loaded earlier).
    #[default]
    Document,
}

/// One problem found while loading a rule document.
///
/// Codes: see [`RuleProblem::CODES`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RuleProblem {
    /// Stable snake_case code.
    pub code: String,
    /// The rule concerned, when the problem is inside one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleId>,
    /// JSON path of the offending field (`$.rules[2].when.member.age`).
    pub path: String,
    /// Line in the TOML document, when it was TOML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Which document the path refers to.
    #[serde(default)]
    pub source: RuleSource,
    /// Another rule involved (the shadowing rule, the contradicting rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_rule: Option<RuleId>,
    /// What is wrong, naming codes and ids only.
    pub message: String,
}

impl RuleProblem {
    /// Every problem code.
    pub const CODES: &'static [&'static str] = &[
        "wrong_type",
        "unknown_field",
        "missing_field",
        "unknown_code",
        "empty_condition",
        "empty_description",
        "invalid_range",
        "invalid_rule_id",
        "reserved_rule_id",
        "duplicate_rule_id",
        "unknown_rule",
        "empty_outcome",
        "contradictory_outcome",
        "shadowed_rule",
    ];

    pub(crate) fn new(
        code: &'static str,
        rule: Option<&RuleId>,
        path: String,
        message: String,
    ) -> Self {
        RuleProblem {
            code: code.to_string(),
            rule: rule.filter(|r| !r.as_str().is_empty()).cloned(),
            path,
            line: None,
            source: RuleSource::Document,
            related_rule: None,
            message,
        }
    }
}

impl std::fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] ", self.code)?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}` ")?;
        }
        write!(f, "at {}", self.path)?;
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// JSON path → TOML line, for the paths of one TOML document.
#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct LineIndex {
    lines: HashMap<String, u32>,
}

impl std::fmt::Debug for LineIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LineIndex({} paths)", self.lines.len())
    }
}

impl LineIndex {
    pub(crate) fn from_toml(text: &str) -> Self {
        let mut index = LineIndex::default();
        let Ok(table) = toml::de::DeTable::parse(text) else {
            return index;
        };
        // Offsets of every newline, so a span's line is a binary search (it was a count from
        // the start of the text for every path: quadratic in the document).
        let newlines: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let line_at = |offset: usize| -> u32 {
            newlines.partition_point(|&n| n < offset.min(text.len())) as u32 + 1
        };
        fn walk(
            value: &toml::de::DeValue<'_>,
            span_start: usize,
            path: String,
            line_at: &dyn Fn(usize) -> u32,
            out: &mut HashMap<String, u32>,
        ) {
            out.insert(path.clone(), line_at(span_start));
            match value {
                toml::de::DeValue::Table(t) => {
                    for (k, v) in t.iter() {
                        let key: &str = k.get_ref();
                        // A key's own line is where the key is written.
                        walk(
                            v.get_ref(),
                            k.span().start,
                            format!("{path}.{key}"),
                            line_at,
                            out,
                        );
                    }
                }
                toml::de::DeValue::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        walk(
                            v.get_ref(),
                            v.span().start,
                            format!("{path}[{i}]"),
                            line_at,
                            out,
                        );
                    }
                }
                _ => {}
            }
        }
        let root = toml::de::DeValue::Table(table.get_ref().clone());
        walk(&root, 0, "$".to_string(), &line_at, &mut index.lines);
        index
    }

    /// The line of `path`, or of its nearest ancestor that has one.
    pub(crate) fn line_of(&self, path: &str) -> Option<u32> {
        if self.lines.is_empty() {
            return None;
        }
        let mut p = path;
        loop {
            if let Some(line) = self.lines.get(p) {
                return Some(*line);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}
