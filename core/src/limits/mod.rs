//! Limits (上限): the largest input the core accepts, as one [`Limits`] value.
//!
//! Owns the documented maximums — document bytes, JSON/TOML nesting depth, members per
//! household, rules per routing document, conditions per rule, JSON Lines line length and id
//! length — their defaults (as data, `core/data/limits.toml`), a municipality's overrides
//! ([`Limits::from_toml`], [`Limits::from_json`], journalled by the `configure_limits` command)
//! and the one error of an input over a limit ([`LimitError::Exceeded`], code
//! `limit_exceeded`, naming the limit, its value and the path). The areas that read input
//! (routing documents, households, commands, JSON Lines journals) call the checks here; this
//! module imports no domain module.
//!
//! Decisions where the sources leave a detail open:
//! - A limit is a configuration value, not a rule of the domain: lowering it does not
//!   invalidate what is already recorded (a journal replays under the limits it was written
//!   with, since `configure_limits` is itself an event), it only refuses new input.
//! - The nesting depth is measured on the text before parsing (brackets and braces outside
//!   strings; for TOML also the dots of a table header), so a hostile document is refused
//!   before a parser recurses into it. The parsers' own guard (depth 128) stays underneath, so
//!   `nesting_depth` cannot be raised above 128 ([`NESTING_CEILING`]).
//! - Every value is at least 1 (`invalid_limit` otherwise): a limit of 0 would refuse every
//!   input, which is a misconfiguration rather than a policy.

mod depth;

pub use depth::{json_depth, toml_depth};

use crate::coded::{Coded, DocumentError, ErrorKind};
use serde::{Deserialize, Serialize};

/// The parsers' own recursion guard: `nesting_depth` cannot be configured above it.
pub const NESTING_CEILING: usize = 128;

/// The default of `jsonl_line_bytes` as a constant (the JSON Lines readers' default; a test
/// checks it equals `core/data/limits.toml`'s).
pub const DEFAULT_JSONL_LINE_BYTES: usize = 64 << 20;

/// The default documents' text (`core/data/limits.toml`).
const BUILTIN: &str = include_str!("../../data/limits.toml");

/// The name of one limit (上限の名前), as configuration documents and errors spell it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Bytes of one JSON or TOML document (文書の大きさ).
    DocumentBytes,
    /// Nesting depth of arrays and objects in one document (入れ子の深さ).
    NestingDepth,
    /// Members of one household (世帯員の数).
    HouseholdMembers,
    /// Rules in one routing rule document and in the set it produces (ルールの数).
    RulesPerDocument,
    /// Condition nodes in one rule's `when` (条件の数).
    ConditionsPerRule,
    /// Bytes of one JSON Lines line (行の長さ).
    JsonlLineBytes,
    /// Bytes of one id (IDの長さ).
    IdBytes,
}

impl Limit {
    /// Every limit, in declaration order.
    pub const ALL: &'static [Limit] = &[
        Limit::DocumentBytes,
        Limit::NestingDepth,
        Limit::HouseholdMembers,
        Limit::RulesPerDocument,
        Limit::ConditionsPerRule,
        Limit::JsonlLineBytes,
        Limit::IdBytes,
    ];

    /// Stable snake_case name (`household_members`).
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::DocumentBytes => "document_bytes",
            Limit::NestingDepth => "nesting_depth",
            Limit::HouseholdMembers => "household_members",
            Limit::RulesPerDocument => "rules_per_document",
            Limit::ConditionsPerRule => "conditions_per_rule",
            Limit::JsonlLineBytes => "jsonl_line_bytes",
            Limit::IdBytes => "id_bytes",
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The maximums in force (上限の設定). Defaults from `core/data/limits.toml`; a configuration
/// document names only the limits it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Limits {
    /// Bytes of one JSON or TOML document (default 16 MiB).
    pub document_bytes: usize,
    /// Nesting depth of arrays and objects (default 64, at most [`NESTING_CEILING`]).
    pub nesting_depth: usize,
    /// Members of one household (default 200).
    pub household_members: usize,
    /// Rules in one routing rule document and in the resulting set (default 5,000).
    pub rules_per_document: usize,
    /// Condition nodes in one rule's `when` (default 256).
    pub conditions_per_rule: usize,
    /// Bytes of one JSON Lines line (default 64 MiB).
    pub jsonl_line_bytes: usize,
    /// Bytes of one id (default 128).
    pub id_bytes: usize,
}

/// The raw shape of a limits document (every field optional, so that the defaults fill in).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    document_bytes: usize,
    nesting_depth: usize,
    household_members: usize,
    rules_per_document: usize,
    conditions_per_rule: usize,
    jsonl_line_bytes: usize,
    id_bytes: usize,
}

impl Default for Limits {
    /// The defaults of `core/data/limits.toml` (parsed once).
    fn default() -> Self {
        static BUILT: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();
        *BUILT.get_or_init(|| {
            let d: Defaults = toml::from_str(BUILTIN).expect("core/data/limits.toml parses");
            Limits {
                document_bytes: d.document_bytes,
                nesting_depth: d.nesting_depth,
                household_members: d.household_members,
                rules_per_document: d.rules_per_document,
                conditions_per_rule: d.conditions_per_rule,
                jsonl_line_bytes: d.jsonl_line_bytes,
                id_bytes: d.id_bytes,
            }
        })
    }
}

impl Limits {
    /// The default limits (the same as [`Limits::default`]).
    pub fn builtin() -> Self {
        Limits::default()
    }

    /// Whether these are the defaults (the registry then leaves them out of its serialisation).
    pub fn is_default(&self) -> bool {
        *self == Limits::default()
    }

    /// The text of the default document (TOML).
    pub fn builtin_text() -> &'static str {
        BUILTIN
    }

    /// The value of one limit.
    pub fn get(&self, limit: Limit) -> usize {
        match limit {
            Limit::DocumentBytes => self.document_bytes,
            Limit::NestingDepth => self.nesting_depth,
            Limit::HouseholdMembers => self.household_members,
            Limit::RulesPerDocument => self.rules_per_document,
            Limit::ConditionsPerRule => self.conditions_per_rule,
            Limit::JsonlLineBytes => self.jsonl_line_bytes,
            Limit::IdBytes => self.id_bytes,
        }
    }

    /// These limits with one of them set to `value` (unchecked: see [`Limits::validate`]).
    pub fn with(mut self, limit: Limit, value: usize) -> Self {
        let slot = match limit {
            Limit::DocumentBytes => &mut self.document_bytes,
            Limit::NestingDepth => &mut self.nesting_depth,
            Limit::HouseholdMembers => &mut self.household_members,
            Limit::RulesPerDocument => &mut self.rules_per_document,
            Limit::ConditionsPerRule => &mut self.conditions_per_rule,
            Limit::JsonlLineBytes => &mut self.jsonl_line_bytes,
            Limit::IdBytes => &mut self.id_bytes,
        };
        *slot = value;
        self
    }

    /// `Ok` when every value is in range: at least 1, and `nesting_depth` at most
    /// [`NESTING_CEILING`]; otherwise `invalid_limit` at `$.<limit>`.
    pub fn validate(&self) -> Result<(), LimitError> {
        for &limit in Limit::ALL {
            let value = self.get(limit);
            let ceiling = match limit {
                Limit::NestingDepth => NESTING_CEILING,
                _ => usize::MAX,
            };
            if value == 0 || value > ceiling {
                return Err(LimitError::Invalid {
                    limit,
                    value,
                    ceiling,
                });
            }
        }
        Ok(())
    }

    /// A municipality's limits from a TOML document naming the limits it changes (the others
    /// keep their defaults). Codes: `malformed_document`, `invalid_limit`.
    pub fn from_toml(text: &str) -> Result<Self, LimitError> {
        let limits: Limits = crate::coded::from_toml(text)?;
        limits.validate()?;
        Ok(limits)
    }

    /// The same from a JSON document.
    pub fn from_json(text: &str) -> Result<Self, LimitError> {
        let limits: Limits = crate::coded::from_json(text)?;
        limits.validate()?;
        Ok(limits)
    }

    /// `found` against `limit`: `limit_exceeded` at `path` when it is above.
    pub fn check(&self, limit: Limit, found: usize, path: &str) -> Result<(), LimitError> {
        let max = self.get(limit);
        if found > max {
            return Err(LimitError::Exceeded {
                limit,
                max,
                found,
                path: path.to_string(),
            });
        }
        Ok(())
    }

    /// The bytes and nesting depth of a JSON document's text, before it is parsed.
    pub fn check_json_text(&self, text: &str) -> Result<(), LimitError> {
        self.check(Limit::DocumentBytes, text.len(), "$")?;
        if let Some(deep) = json_depth(text, self.nesting_depth) {
            return Err(deep.into_error(self.nesting_depth));
        }
        Ok(())
    }

    /// The bytes and nesting depth of a TOML document's text, before it is parsed.
    pub fn check_toml_text(&self, text: &str) -> Result<(), LimitError> {
        self.check(Limit::DocumentBytes, text.len(), "$")?;
        if let Some(deep) = toml_depth(text, self.nesting_depth) {
            return Err(deep.into_error(self.nesting_depth));
        }
        Ok(())
    }

    /// Parse a JSON document into `T` after checking its bytes and depth.
    pub fn from_json_text<T: serde::de::DeserializeOwned>(
        &self,
        text: &str,
    ) -> Result<T, LimitError> {
        self.check_json_text(text)?;
        Ok(crate::coded::from_json(text)?)
    }

    /// Parse a TOML document into `T` after checking its bytes and depth.
    pub fn from_toml_text<T: serde::de::DeserializeOwned>(
        &self,
        text: &str,
    ) -> Result<T, LimitError> {
        self.check_toml_text(text)?;
        Ok(crate::coded::from_toml(text)?)
    }
}

/// Where a text first went deeper than allowed (found by [`json_depth`] / [`toml_depth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// The depth reached (the limit + 1).
    pub depth: usize,
    /// Line of the text (from 1) where it was reached.
    pub line: usize,
}

impl TooDeep {
    fn into_error(self, max: usize) -> LimitError {
        LimitError::Exceeded {
            limit: Limit::NestingDepth,
            max,
            found: self.depth,
            path: format!("line {}", self.line),
        }
    }
}

/// Errors of limits (上限のエラー).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitError {
    /// A configuration document that does not parse.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// An input over a limit: the message names the limit and its value, never the input.
    #[error("limit {limit} exceeded at {path}: {found} (at most {max})")]
    Exceeded {
        /// Which limit.
        limit: Limit,
        /// Its value in force.
        max: usize,
        /// What the input had (bytes, depth, members …; for a depth or a JSON Lines line, which
        /// are not read further, the limit + 1).
        found: usize,
        /// JSON path of the offending list or field (`$.members`), or `line N` / `$` for a text.
        path: String,
    },
    /// A configured value out of range (0, or a nesting depth above [`NESTING_CEILING`]).
    #[error("invalid limit {limit} = {value} (from 1 to {ceiling})")]
    Invalid {
        /// Which limit.
        limit: Limit,
        /// The value given.
        value: usize,
        /// The largest value allowed.
        ceiling: usize,
    },
}

impl LimitError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &["limit_exceeded", "invalid_limit"];

    /// The limit this error names (`None` for a malformed document).
    pub fn limit(&self) -> Option<Limit> {
        match self {
            LimitError::Document(_) => None,
            LimitError::Exceeded { limit, .. } | LimitError::Invalid { limit, .. } => Some(*limit),
        }
    }
}

impl Coded for LimitError {
    fn code(&self) -> &'static str {
        match self {
            LimitError::Document(e) => e.code(),
            LimitError::Exceeded { .. } => "limit_exceeded",
            LimitError::Invalid { .. } => "invalid_limit",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            LimitError::Document(e) => e.path(),
            LimitError::Exceeded { path, .. } => Some(path.clone()),
            LimitError::Invalid { limit, .. } => Some(format!("$.{limit}")),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            LimitError::Document(e) => e.kind(),
            LimitError::Exceeded { .. } | LimitError::Invalid { .. } => ErrorKind::Invalid,
        }
    }
}

#[cfg(test)]
mod tests;
