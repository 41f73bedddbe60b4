//! Shape checking of rule documents: walks the parsed value and reports *every* wrong type,
//! unknown or missing field with its JSON path, then lets serde build the typed rules of the
//! parts that are sound. (serde alone stops at the first problem.)

use super::document::{
    AgeRange, CareLevelRange, CertificateSelector, CountPredicate, IssueSelector, MemberPredicate,
    Outcome, Rule, RuleId,
};
use super::problem::RuleProblem;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The sound parts of a document and the problems of the rest.
pub(crate) struct Decoded {
    /// Rules that decoded, with their index in `$.rules`.
    pub rules: Vec<(usize, Rule)>,
    /// Rules that did not decode whole: index, id, and the condition and outcome when those
    /// decoded on their own (so their semantic problems are reported too).
    pub partial: Vec<Partial>,
    /// Rule ids to remove, with their index in `$.remove`.
    pub remove: Vec<(usize, RuleId)>,
    /// Shape problems.
    pub problems: Vec<RuleProblem>,
}

type Check = fn(&mut Decoder, &Value, &str) -> bool;

struct Decoder {
    rule: Option<RuleId>,
    problems: Vec<RuleProblem>,
}

/// The kinds of condition, as written.
pub(crate) const CONDITION_KINDS: &[&str] = &[
    "all",
    "any",
    "not",
    "has_issue",
    "member",
    "pattern",
    "engagement",
    "consent",
    "urgency",
    "area",
    "count",
];

/// The parts of a broken rule that decoded.
pub(crate) struct Partial {
    pub index: usize,
    pub id: Option<RuleId>,
    pub when: Option<super::document::Condition>,
    pub then: Option<Outcome>,
}

pub(crate) fn decode_document(value: &Value) -> Decoded {
    let mut d = Decoder {
        rule: None,
        problems: Vec::new(),
    };
    let mut out = Decoded {
        rules: Vec::new(),
        partial: Vec::new(),
        remove: Vec::new(),
        problems: Vec::new(),
    };
    let Some(map) = value.as_object() else {
        d.problem(
            "wrong_type",
            "$",
            "a rule document is an object with `rules` (and `remove`)".into(),
        );
        out.problems = d.problems;
        return out;
    };
    for key in map.keys() {
        if key != "rules" && key != "remove" {
            d.problem(
                "unknown_field",
                &format!("$.{key}"),
                format!("unknown field `{key}`; expected `rules` or `remove`"),
            );
        }
    }
    match map.get("rules") {
        None => {}
        Some(Value::Array(rules)) => {
            for (i, v) in rules.iter().enumerate() {
                let path = format!("$.rules[{i}]");
                d.rule = v.get("id").and_then(Value::as_str).map(RuleId::from);
                let whole = d
                    .check_rule(v, &path)
                    .then(|| serde_json::from_value::<Rule>(v.clone()).ok())
                    .flatten();
                match whole {
                    Some(rule) => out.rules.push((i, rule)),
                    None => out.partial.push(Partial {
                        index: i,
                        id: d.rule.clone(),
                        when: v
                            .get("when")
                            .and_then(|w| serde_json::from_value(w.clone()).ok()),
                        then: v
                            .get("then")
                            .and_then(|t| serde_json::from_value(t.clone()).ok()),
                    }),
                }
            }
        }
        Some(_) => d.problem(
            "wrong_type",
            "$.rules",
            "`rules` is an array of rules".into(),
        ),
    }
    d.rule = None;
    match map.get("remove") {
        None => {}
        Some(Value::Array(ids)) => {
            for (j, v) in ids.iter().enumerate() {
                match v.as_str() {
                    Some(s) => out.remove.push((j, RuleId::from(s))),
                    None => d.problem(
                        "wrong_type",
                        &format!("$.remove[{j}]"),
                        "a rule id to remove is a string".into(),
                    ),
                }
            }
        }
        Some(_) => d.problem(
            "wrong_type",
            "$.remove",
            "`remove` is an array of rule ids".into(),
        ),
    }
    out.problems = d.problems;
    out
}

fn leaf<T: DeserializeOwned>(d: &mut Decoder, v: &Value, path: &str) -> bool {
    match serde_json::from_value::<T>(v.clone()) {
        Ok(_) => true,
        Err(e) => {
            d.serde_problem(path, &e);
            false
        }
    }
}

fn list<T: DeserializeOwned>(d: &mut Decoder, v: &Value, path: &str) -> bool {
    match v {
        Value::Array(items) => {
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                ok &= leaf::<T>(d, item, &format!("{path}[{i}]"));
            }
            ok
        }
        _ => {
            d.problem("wrong_type", path, "expected an array".into());
            false
        }
    }
}

fn issue_selector(d: &mut Decoder, v: &Value, path: &str) -> bool {
    d.record::<IssueSelector>(
        v,
        path,
        &[
            ("codes", list::<crate::ids::IssueCode>),
            ("domains", list::<crate::taxonomy::Domain>),
            ("life_threatening", leaf::<bool>),
            ("any", leaf::<bool>),
            ("suspected", leaf::<bool>),
        ],
        &[],
    )
}

fn age_range(d: &mut Decoder, v: &Value, path: &str) -> bool {
    d.record::<AgeRange>(v, path, &[("min", leaf::<u32>), ("max", leaf::<u32>)], &[])
}

fn care_range(d: &mut Decoder, v: &Value, path: &str) -> bool {
    d.record::<CareLevelRange>(
        v,
        path,
        &[
            ("min", leaf::<crate::ids::CareLevelCode>),
            ("max", leaf::<crate::ids::CareLevelCode>),
        ],
        &[],
    )
}

fn certificates(d: &mut Decoder, v: &Value, path: &str) -> bool {
    d.record::<CertificateSelector>(
        v,
        path,
        &[("kinds", list::<crate::ids::CertificateKindCode>)],
        &[],
    )
}

fn member(d: &mut Decoder, v: &Value, path: &str) -> bool {
    use crate::household::{Employment, Engagement, Relation};
    d.record::<MemberPredicate>(
        v,
        path,
        &[
            ("age", age_range),
            ("school_stage", list::<super::SchoolStage>),
            ("care_level", care_range),
            ("disability", certificates),
            ("public_assistance", leaf::<bool>),
            ("single_parent", leaf::<bool>),
            ("carer", leaf::<bool>),
            ("head", leaf::<bool>),
            ("hospitalised", leaf::<bool>),
            ("relation", list::<Relation>),
            ("employment", list::<Employment>),
            ("engagement", list::<Engagement>),
            ("has_issue", issue_selector),
        ],
        &[],
    )
}

fn count(d: &mut Decoder, v: &Value, path: &str) -> bool {
    d.record::<CountPredicate>(
        v,
        path,
        &[
            ("of", leaf::<super::CountOf>),
            ("at_least", leaf::<u32>),
            ("at_most", leaf::<u32>),
        ],
        &["of"],
    )
}

fn condition(d: &mut Decoder, v: &Value, path: &str) -> bool {
    let Some(map) = v.as_object() else {
        d.problem(
            "wrong_type",
            path,
            format!(
                "a condition is an object with one key naming its kind ({})",
                CONDITION_KINDS.join(", ")
            ),
        );
        return false;
    };
    if map.is_empty() {
        d.problem("empty_condition", path, "empty condition".into());
        return false;
    }
    if map.len() > 1 {
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        d.problem(
            "wrong_type",
            path,
            format!(
                "a condition has exactly one key, found {} ({}); combine them with `all`",
                keys.len(),
                keys.join(", ")
            ),
        );
        return false;
    }
    let (kind, inner) = map.iter().next().expect("one key");
    let p = format!("{path}.{kind}");
    match kind.as_str() {
        "all" | "any" => match inner {
            Value::Array(children) => {
                let mut ok = true;
                for (i, c) in children.iter().enumerate() {
                    ok &= condition(d, c, &format!("{p}[{i}]"));
                }
                ok
            }
            _ => {
                d.problem(
                    "wrong_type",
                    &p,
                    format!("`{kind}` is an array of conditions"),
                );
                false
            }
        },
        "not" => condition(d, inner, &p),
        "has_issue" => issue_selector(d, inner, &p),
        "member" => member(d, inner, &p),
        "pattern" => leaf::<crate::patterns::Pattern>(d, inner, &p),
        "engagement" => list::<crate::household::Engagement>(d, inner, &p),
        "consent" => list::<super::ConsentState>(d, inner, &p),
        "urgency" => list::<super::Urgency>(d, inner, &p),
        "area" => list::<crate::ids::AreaCode>(d, inner, &p),
        "count" => count(d, inner, &p),
        other => {
            d.problem(
                "unknown_field",
                &p,
                format!(
                    "unknown condition kind `{other}`; expected one of {}",
                    CONDITION_KINDS.join(", ")
                ),
            );
            false
        }
    }
}

fn outcome(d: &mut Decoder, v: &Value, path: &str) -> bool {
    d.record::<Outcome>(
        v,
        path,
        &[
            ("agency_kind", leaf::<crate::ids::AgencyKindCode>),
            ("project", leaf::<crate::ids::ProjectCode>),
            ("urgency", leaf::<super::Urgency>),
            ("meeting", leaf::<super::MeetingCode>),
            ("meeting_without_consent", leaf::<super::MeetingCode>),
        ],
        &[],
    )
}

fn label(d: &mut Decoder, v: &Value, path: &str) -> bool {
    d.record::<crate::taxonomy::Label>(
        v,
        path,
        &[("ja", leaf::<String>), ("en", leaf::<String>)],
        &["ja", "en"],
    )
}

impl Decoder {
    fn problem(&mut self, code: &'static str, path: &str, message: String) {
        self.problems.push(RuleProblem::new(
            code,
            self.rule.as_ref(),
            path.to_string(),
            message,
        ));
    }

    fn serde_problem(&mut self, path: &str, e: &serde_json::Error) {
        let msg = e.to_string();
        let code = if msg.starts_with("unknown variant") {
            "unknown_code"
        } else {
            "wrong_type"
        };
        self.problem(code, path, msg);
    }

    fn check_rule(&mut self, v: &Value, path: &str) -> bool {
        self.record::<Rule>(
            v,
            path,
            &[
                ("id", leaf::<String>),
                ("description", label),
                ("priority", leaf::<i32>),
                ("when", condition),
                ("then", outcome),
            ],
            &["id", "description", "priority", "when", "then"],
        )
    }

    /// Check an object's fields one by one (reporting each problem), then decode it whole.
    fn record<T: DeserializeOwned>(
        &mut self,
        v: &Value,
        path: &str,
        fields: &[(&str, Check)],
        required: &[&str],
    ) -> bool {
        let Some(map) = v.as_object() else {
            let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
            self.problem(
                "wrong_type",
                path,
                format!("expected an object with fields {}", names.join(", ")),
            );
            return false;
        };
        let mut ok = true;
        for (key, value) in map {
            let field_path = format!("{path}.{key}");
            match fields.iter().find(|(n, _)| n == key) {
                Some((_, check)) => ok &= check(self, value, &field_path),
                None => {
                    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
                    self.problem(
                        "unknown_field",
                        &field_path,
                        format!(
                            "unknown field `{key}`; expected one of {}",
                            names.join(", ")
                        ),
                    );
                    ok = false;
                }
            }
        }
        for name in required {
            if !map.contains_key(*name) {
                self.problem(
                    "missing_field",
                    &format!("{path}.{name}"),
                    format!("missing field `{name}`"),
                );
                ok = false;
            }
        }
        if !ok {
            return false;
        }
        match serde_json::from_value::<T>(v.clone()) {
            Ok(_) => true,
            Err(e) => {
                self.serde_problem(path, &e);
                false
            }
        }
    }
}
