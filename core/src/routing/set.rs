//! The validated rule set (振り分けルールの集合) and where each of its rules came from. It is
//! built by the loader (`load.rs`: parse, decode, validate) and read by the compiler.

use super::document::{Rule, RuleDocument, RuleId};
use super::problem::{LineIndex, RuleSource};

/// Where a rule came from, for reporting problems against the right document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub source: RuleSource,
    /// JSON path of the rule in its document (`$.rules[3]`).
    pub path: String,
    /// TOML line of the rule, when it came from TOML.
    pub line: Option<u32>,
    /// Line of every sub-path (for TOML documents), to locate problems found later.
    pub lines: std::sync::Arc<LineIndex>,
}

/// A validated set of rules: the defaults, possibly extended by a municipality.
///
/// Build it with [`RuleSet::builtin`], [`RuleSet::from_json`] / [`RuleSet::from_toml`] (a
/// standalone document), then extend it; every step validates the whole resulting set and fails
/// without changing anything.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) rules: Vec<Rule>,
    pub(crate) origins: Vec<Origin>,
}

/// Two sets are equal when they hold the same rules in the same order (where they were loaded
/// from does not matter).
impl PartialEq for RuleSet {
    fn eq(&self, other: &Self) -> bool {
        self.rules == other.rules
    }
}

impl RuleSet {
    /// A set with no rules (every household then gets the fallback recommendation).
    pub fn empty() -> RuleSet {
        RuleSet {
            rules: Vec::new(),
            origins: Vec::new(),
        }
    }

    /// The rules, in document order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Rule by id.
    pub fn get(&self, id: &RuleId) -> Option<&Rule> {
        self.rules.iter().find(|r| &r.id == id)
    }

    /// The rules as one document (for export or as a municipality's starting point).
    pub fn to_document(&self) -> RuleDocument {
        RuleDocument {
            rules: self.rules.clone(),
            remove: Vec::new(),
        }
    }
}
