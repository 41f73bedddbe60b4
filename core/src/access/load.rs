//! Loading policy documents (方針文書の読込): parse JSON or TOML, check the shape and the
//! meaning of every rule, and report **every** problem at once with its JSON path (and, for
//! TOML, its line) — as the routing rule documents do. On any problem nothing changes.

use super::policy::{Action, CaseRelation, Policy, PolicyDocument, PolicyRuleId, RecordKind};
use super::AccessError;
use crate::ids::RoleCode;
use crate::privacy::InfoCategory;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::OnceLock;

/// The built-in policy as written and reviewed (TOML).
const BUILTIN: &str = include_str!("../../data/access_policy.toml");
/// The same document converted to JSON by `core/build.rs` (loading it needs no TOML parser).
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/data/access_policy.json"));

/// Most rules a policy holds (rules are indexed by `u16`; real policies have tens).
pub const MAX_RULES: usize = 4096;

/// One problem of a policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyProblem {
    /// Stable snake_case code (see [`PolicyProblem::CODES`]).
    pub code: String,
    /// The rule concerned, when the problem is inside one that has an id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<PolicyRuleId>,
    /// JSON path of the offending field (`$.rules[2].relations[0]`).
    pub path: String,
    /// Line in the TOML document, when it was TOML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What is wrong, naming codes and ids only.
    pub message: String,
}

impl PolicyProblem {
    /// Every problem code.
    pub const CODES: &'static [&'static str] = &[
        "wrong_type",
        "unknown_field",
        "missing_field",
        "unknown_code",
        "unknown_role",
        "invalid_rule_id",
        "duplicate_rule_id",
        "duplicate_entry",
        "empty_list",
        "empty_reason",
        "special_care_in_categories",
        "not_special_care",
        "grants_nothing",
        "unknown_rule",
        "removed_and_defined",
        "too_many_rules",
    ];
}

impl std::fmt::Display for PolicyProblem {
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

/// What a policy is checked against: the role codes that exist. `PolicyEnv::default()` accepts
/// every well-formed role code (the roles vocabulary is the worker module's data; pass it with
/// [`PolicyEnv::with_roles`] once it is loaded).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyEnv {
    roles: Option<Vec<RoleCode>>,
}

impl PolicyEnv {
    /// An environment that knows exactly these roles.
    pub fn with_roles(roles: impl IntoIterator<Item = RoleCode>) -> Self {
        PolicyEnv {
            roles: Some(roles.into_iter().collect()),
        }
    }
}

impl Policy {
    /// The built-in policy (`core/data/access_policy.toml`).
    pub fn builtin() -> &'static Policy {
        static POLICY: OnceLock<Policy> = OnceLock::new();
        POLICY.get_or_init(|| {
            let value: Value = serde_json::from_str(BUILTIN_JSON)
                .expect("built-in access policy parses (checked by tests)");
            Policy::of_rules(Vec::new())
                .extended_value(&value, None, &PolicyEnv::default())
                .expect("built-in access policy is valid (checked by tests)")
        })
    }

    /// The text of the built-in policy (TOML).
    pub fn builtin_text() -> &'static str {
        BUILTIN
    }

    /// A standalone policy (replacing the built-in one) from JSON.
    ///
    /// Errors: `malformed_document`, `invalid_access_policy` (every problem listed).
    pub fn from_json(text: &str, env: &PolicyEnv) -> Result<Policy, AccessError> {
        Policy::of_rules(Vec::new()).extend_json(text, env)
    }

    /// A standalone policy (replacing the built-in one) from TOML.
    ///
    /// Errors: `malformed_document`, `invalid_access_policy` (every problem listed, with lines).
    pub fn from_toml(text: &str, env: &PolicyEnv) -> Result<Policy, AccessError> {
        Policy::of_rules(Vec::new()).extend_toml(text, env)
    }

    /// This policy extended by a JSON document: a rule with a known id replaces it in place, a
    /// new id is appended, `remove` drops rules. Errors as [`Policy::from_json`].
    pub fn extend_json(&self, text: &str, env: &PolicyEnv) -> Result<Policy, AccessError> {
        let value = crate::coded::from_json::<Value>(text)?;
        self.extended_value(&value, None, env)
    }

    /// This policy extended by a TOML document. Errors as [`Policy::from_toml`].
    pub fn extend_toml(&self, text: &str, env: &PolicyEnv) -> Result<Policy, AccessError> {
        let value = crate::coded::from_toml::<Value>(text)?;
        self.extended_value(&value, Some(text), env)
    }

    /// This policy extended by a typed document. Errors: `invalid_access_policy`.
    pub fn extend(&self, doc: &PolicyDocument, env: &PolicyEnv) -> Result<Policy, AccessError> {
        let value = serde_json::to_value(doc).expect("policy documents serialise");
        self.extended_value(&value, None, env)
    }

    fn extended_value(
        &self,
        value: &Value,
        toml: Option<&str>,
        env: &PolicyEnv,
    ) -> Result<Policy, AccessError> {
        let mut problems = Vec::new();
        let mut shape = Vec::new();
        check_document(value, env, &mut shape);
        // `remove` (written first in a TOML document) against this policy and the document's own ids, whatever else is wrong.
        let ids_in = |key: &str, field: Option<&str>| -> Vec<String> {
            value
                .get(key)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| match field {
                            Some(f) => v.get(f),
                            None => Some(v),
                        })
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let defined = ids_in("rules", Some("id"));
        let mut rules = self.rules.clone();
        for (j, id) in ids_in("remove", None).iter().enumerate() {
            let path = format!("$.remove[{j}]");
            let rule = PolicyRuleId::from(id.as_str());
            if defined.contains(id) {
                problems.push(problem(
                    "removed_and_defined",
                    Some(&rule),
                    path,
                    format!("rule `{id}` is both defined and removed by the document"),
                ));
            } else if let Some(k) = rules.iter().position(|r| r.id == rule) {
                rules.remove(k);
            } else {
                problems.push(problem(
                    "unknown_rule",
                    Some(&rule),
                    path,
                    format!("cannot remove rule `{id}`: no such rule"),
                ));
            }
        }
        problems.extend(shape);
        let mut commands = self.commands.clone();
        if problems.is_empty() {
            match serde_json::from_value::<PolicyDocument>(value.clone()) {
                Ok(doc) => {
                    for rule in doc.commands {
                        match commands.iter().position(|r| r.id == rule.id) {
                            Some(k) => commands[k] = rule,
                            None => commands.push(rule),
                        }
                    }
                    for rule in doc.rules {
                        match rules.iter().position(|r| r.id == rule.id) {
                            Some(k) => rules[k] = rule,
                            None => rules.push(rule),
                        }
                    }
                }
                Err(e) => problems.push(problem("wrong_type", None, "$".into(), e.to_string())),
            }
        }
        if rules.len() > MAX_RULES {
            problems.push(problem(
                "too_many_rules",
                None,
                "$.rules".into(),
                format!("a policy holds at most {MAX_RULES} rules"),
            ));
        }
        if !problems.is_empty() {
            if let Some(text) = toml {
                let lines = TomlLines::new(text);
                for p in &mut problems {
                    p.line = lines.line_of(&p.path);
                }
            }
            return Err(AccessError::InvalidPolicy { problems });
        }
        let mut policy = Policy::of_rules(rules);
        policy.commands = commands;
        Ok(policy)
    }
}

/// Check the `commands` section: an array of command rules, each well-typed, with a valid and
/// unique id, a reason, at least one command (each a snake_case wire name) and known roles.
fn check_commands(value: Option<&Value>, env: &PolicyEnv, out: &mut Vec<PolicyProblem>) {
    let rules = match value {
        None => return,
        Some(Value::Array(rules)) => rules,
        Some(_) => {
            out.push(problem(
                "wrong_type",
                None,
                "$.commands".into(),
                "`commands` is an array of command rules".into(),
            ));
            return;
        }
    };
    let mut seen: Vec<String> = Vec::new();
    for (i, v) in rules.iter().enumerate() {
        let path = format!("$.commands[{i}]");
        let rule: super::policy::CommandRule = match serde_json::from_value(v.clone()) {
            Ok(r) => r,
            Err(e) => {
                out.push(problem("wrong_type", None, path, e.to_string()));
                continue;
            }
        };
        let id = rule.id.as_str();
        if !is_code(id) {
            out.push(problem(
                "invalid_rule_id",
                None,
                format!("{path}.id"),
                format!("rule id `{id}` is not snake_case"),
            ));
        } else if seen.iter().any(|s| s == id) {
            out.push(problem(
                "duplicate_rule_id",
                Some(&rule.id),
                format!("{path}.id"),
                format!("rule id `{id}` appears more than once in the document"),
            ));
        }
        seen.push(id.to_string());
        if rule.reason.trim().is_empty() {
            out.push(problem(
                "empty_reason",
                Some(&rule.id),
                format!("{path}.reason"),
                "a rule says why it is there".into(),
            ));
        }
        if rule.commands.is_empty() {
            out.push(problem(
                "empty_list",
                Some(&rule.id),
                format!("{path}.commands"),
                "a command rule names at least one command".into(),
            ));
        }
        for (j, c) in rule.commands.iter().enumerate() {
            if !is_code(c) {
                out.push(problem(
                    "unknown_code",
                    Some(&rule.id),
                    format!("{path}.commands[{j}]"),
                    format!("`{c}` is not a command wire name"),
                ));
            }
        }
        if let (super::policy::Roles::Listed(roles), Some(known)) = (&rule.roles, &env.roles) {
            for (j, r) in roles.iter().enumerate() {
                if !known.contains(r) {
                    out.push(problem(
                        "unknown_role",
                        Some(&rule.id),
                        format!("{path}.roles[{j}]"),
                        format!("unknown role `{r}`"),
                    ));
                }
            }
        }
    }
}

fn problem(
    code: &'static str,
    rule: Option<&PolicyRuleId>,
    path: String,
    message: String,
) -> super::PolicyProblem {
    PolicyProblem {
        code: code.into(),
        rule: rule.filter(|r| !r.as_str().is_empty()).cloned(),
        path,
        line: None,
        message,
    }
}

const RULE_FIELDS: &[&str] = &[
    "id",
    "reason",
    "roles",
    "relations",
    "kinds",
    "actions",
    "categories",
    "special_care",
    "disclosed",
    "review",
];

/// Walk the whole document; push every problem (document order).
fn check_document(value: &Value, env: &PolicyEnv, out: &mut Vec<PolicyProblem>) {
    let Some(map) = value.as_object() else {
        out.push(problem(
            "wrong_type",
            None,
            "$".into(),
            "a policy document is an object with `rules` (and `remove`)".into(),
        ));
        return;
    };
    for key in map.keys() {
        if key != "rules" && key != "remove" && key != "commands" {
            out.push(problem(
                "unknown_field",
                None,
                format!("$.{key}"),
                format!("unknown field `{key}`; expected `rules`, `remove` or `commands`"),
            ));
        }
    }
    check_commands(map.get("commands"), env, out);
    match map.get("rules") {
        None => {}
        Some(Value::Array(rules)) => {
            let mut seen: Vec<&str> = Vec::new();
            for (i, rule) in rules.iter().enumerate() {
                let path = format!("$.rules[{i}]");
                let id = rule.get("id").and_then(Value::as_str);
                if let Some(id) = id {
                    if seen.contains(&id) {
                        out.push(problem(
                            "duplicate_rule_id",
                            Some(&PolicyRuleId::from(id)),
                            format!("{path}.id"),
                            format!("rule id `{id}` appears more than once in the document"),
                        ));
                    }
                    seen.push(id);
                }
                check_rule(rule, &path, env, out);
            }
        }
        Some(_) => out.push(problem(
            "wrong_type",
            None,
            "$.rules".into(),
            "`rules` is an array of rules".into(),
        )),
    }
    match map.get("remove") {
        None => {}
        Some(Value::Array(ids)) => {
            for (j, v) in ids.iter().enumerate() {
                if !v.is_string() {
                    out.push(problem(
                        "wrong_type",
                        None,
                        format!("$.remove[{j}]"),
                        "a rule id to remove is a string".into(),
                    ));
                }
            }
        }
        Some(_) => out.push(problem(
            "wrong_type",
            None,
            "$.remove".into(),
            "`remove` is an array of rule ids".into(),
        )),
    }
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A list field: each string element checked by `each`; duplicates reported. `wildcard`: the
/// field may also be the string `"*"`. Returns whether the field is present.
fn check_list(
    rule: Option<&PolicyRuleId>,
    v: Option<&Value>,
    path: &str,
    wildcard: bool,
    required: bool,
    out: &mut Vec<PolicyProblem>,
    mut each: impl FnMut(&str, &str, &mut Vec<PolicyProblem>),
) {
    let what = if wildcard {
        "an array of codes or \"*\""
    } else {
        "an array of codes"
    };
    match v {
        None if required => out.push(problem(
            "missing_field",
            rule,
            path.into(),
            format!("missing field; expected {what}"),
        )),
        None => {}
        Some(Value::String(s)) if wildcard && s == "*" => {}
        Some(Value::Array(items)) => {
            if items.is_empty() && required {
                out.push(problem(
                    "empty_list",
                    rule,
                    path.into(),
                    "the list is empty: the rule would never apply".into(),
                ));
            }
            let mut seen: Vec<&str> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                match item.as_str() {
                    None => out.push(problem("wrong_type", rule, p, "a code is a string".into())),
                    Some(s) => {
                        if seen.contains(&s) {
                            out.push(problem(
                                "duplicate_entry",
                                rule,
                                p.clone(),
                                format!("`{s}` is listed twice"),
                            ));
                        }
                        seen.push(s);
                        each(s, &p, out);
                    }
                }
            }
        }
        Some(_) => out.push(problem(
            "wrong_type",
            rule,
            path.into(),
            format!("expected {what}"),
        )),
    }
}

fn check_rule(v: &Value, path: &str, env: &PolicyEnv, out: &mut Vec<PolicyProblem>) {
    let Some(map) = v.as_object() else {
        out.push(problem(
            "wrong_type",
            None,
            path.into(),
            "a rule is an object".into(),
        ));
        return;
    };
    let id = map
        .get("id")
        .and_then(Value::as_str)
        .map(PolicyRuleId::from);
    let rule = id.as_ref();
    for key in map.keys() {
        if !RULE_FIELDS.contains(&key.as_str()) {
            out.push(problem(
                "unknown_field",
                rule,
                format!("{path}.{key}"),
                format!("unknown field `{key}`"),
            ));
        }
    }
    match map.get("id") {
        None => out.push(problem(
            "missing_field",
            None,
            format!("{path}.id"),
            "a rule needs an id".into(),
        )),
        Some(Value::String(s)) if is_code(s) => {}
        Some(Value::String(_)) => out.push(problem(
            "invalid_rule_id",
            rule,
            format!("{path}.id"),
            "a rule id is lowercase letters, digits and `_`".into(),
        )),
        Some(_) => out.push(problem(
            "wrong_type",
            None,
            format!("{path}.id"),
            "a rule id is a string".into(),
        )),
    }
    match map.get("reason") {
        None => out.push(problem(
            "missing_field",
            rule,
            format!("{path}.reason"),
            "a rule needs a reason a reviewer can read".into(),
        )),
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        Some(Value::String(_)) => out.push(problem(
            "empty_reason",
            rule,
            format!("{path}.reason"),
            "the reason is empty".into(),
        )),
        Some(_) => out.push(problem(
            "wrong_type",
            rule,
            format!("{path}.reason"),
            "the reason is a string".into(),
        )),
    }
    check_list(
        rule,
        map.get("roles"),
        &format!("{path}.roles"),
        true,
        true,
        out,
        |s, p, out| {
            if !is_code(s) {
                out.push(problem(
                    "unknown_code",
                    rule,
                    p.into(),
                    "a role code is lowercase letters, digits and `_` (or the whole field \"*\")"
                        .into(),
                ));
            } else if let Some(known) = &env.roles {
                if !known.iter().any(|r| r.as_str() == s) {
                    out.push(problem(
                        "unknown_role",
                        rule,
                        p.into(),
                        format!("unknown role `{s}`"),
                    ));
                }
            }
        },
    );
    let code_check = |known: fn(&str) -> bool, what: &'static str| {
        move |s: &str, p: &str, out: &mut Vec<PolicyProblem>| {
            if !known(s) {
                out.push(problem(
                    "unknown_code",
                    rule,
                    p.into(),
                    format!("unknown {what} `{s}`"),
                ));
            }
        }
    };
    check_list(
        rule,
        map.get("relations"),
        &format!("{path}.relations"),
        false,
        true,
        out,
        code_check(|s| CaseRelation::from_code(s).is_some(), "relation"),
    );
    check_list(
        rule,
        map.get("kinds"),
        &format!("{path}.kinds"),
        true,
        true,
        out,
        code_check(|s| RecordKind::from_code(s).is_some(), "record kind"),
    );
    check_list(
        rule,
        map.get("actions"),
        &format!("{path}.actions"),
        false,
        true,
        out,
        code_check(|s| Action::from_code(s).is_some(), "action"),
    );
    let category = |s: &str| InfoCategory::ALL.into_iter().find(|c| c.code() == s);
    let mut opens = 0;
    for (field, special) in [("categories", false), ("special_care", true)] {
        let p = format!("{path}.{field}");
        if let Some(Value::Array(a)) = map.get(field) {
            opens += a.len();
        }
        check_list(
            rule,
            map.get(field),
            &p,
            false,
            false,
            out,
            |s, p, out| match category(s) {
                None => out.push(problem(
                    "unknown_code",
                    rule,
                    p.into(),
                    format!("unknown information category `{s}`"),
                )),
                Some(c) if c.is_special_care() && !special => out.push(problem(
                    "special_care_in_categories",
                    rule,
                    p.into(),
                    format!(
                        "`{s}` is special-care information (要配慮); list it under `special_care`"
                    ),
                )),
                Some(c) if !c.is_special_care() && special => out.push(problem(
                    "not_special_care",
                    rule,
                    p.into(),
                    format!("`{s}` is not special-care information; list it under `categories`"),
                )),
                Some(_) => {}
            },
        );
    }
    if opens == 0 && map.get("disclosed") != Some(&Value::Bool(true)) {
        out.push(problem(
            "grants_nothing",
            rule,
            path.into(),
            "the rule opens no category (`categories` and `special_care` are empty, `disclosed` is not set)"
                .into(),
        ));
    }
    for flag in ["disclosed", "review"] {
        match map.get(flag) {
            None | Some(Value::Bool(_)) => {}
            Some(_) => out.push(problem(
                "wrong_type",
                rule,
                format!("{path}.{flag}"),
                format!("`{flag}` is true or false"),
            )),
        }
    }
}

/// JSON path → TOML line for the paths of a policy document: `$.rules[i]` is the i-th
/// `[[rules]]` header, a field is the line its key is written on (`key =`) within that table,
/// `$.remove` the line of `remove =`. Paths below a field take the field's line.
struct TomlLines {
    lines: Vec<String>,
    headers: Vec<usize>,
}

impl TomlLines {
    fn new(text: &str) -> Self {
        let lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
        let headers = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("[[rules]]"))
            .map(|(i, _)| i)
            .collect();
        TomlLines { lines, headers }
    }

    fn key_line(&self, from: usize, to: usize, key: &str) -> Option<usize> {
        (from..to.min(self.lines.len())).find(|&i| {
            self.lines[i]
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    }

    fn line_of(&self, path: &str) -> Option<u32> {
        let to_line = |i: usize| Some(i as u32 + 1);
        if let Some(rest) = path.strip_prefix("$.rules[") {
            let (n, rest) = rest.split_once(']')?;
            let n: usize = n.parse().ok()?;
            let start = *self.headers.get(n)?;
            let end = self.headers.get(n + 1).copied().unwrap_or(self.lines.len());
            let field = rest
                .strip_prefix('.')
                .map(|f| f.split(['.', '[']).next().unwrap_or(f));
            return match field {
                Some(f) => self
                    .key_line(start, end, f)
                    .or(Some(start))
                    .and_then(to_line),
                None => to_line(start),
            };
        }
        if path.starts_with("$.remove") {
            let end = self.headers.first().copied().unwrap_or(self.lines.len());
            return self.key_line(0, end, "remove").and_then(to_line);
        }
        None
    }
}
