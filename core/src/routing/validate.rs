//! Validation of rules (the municipal administrator's view): unknown codes, empty conditions,
//! impossible ranges, contradictory outcomes, shadowed rules and duplicate ids — every problem
//! with its rule id, JSON path and, for TOML documents, line.

use super::document::{Condition, IssueSelector, MemberPredicate, Outcome, Rule, RuleId};
use super::problem::RuleProblem;
use super::FALLBACK_RULE_ID;
use crate::agency::Directory;
use crate::patterns::PatternSettings;
use crate::taxonomy::Taxonomies;
use serde::{Deserialize, Serialize};

/// Meeting type code (会議種別), e.g. `support_meeting`.
///
/// Meeting types are defined as data by the meeting module; routing only names them and checks
/// them against the list in its [`RoutingEnv`].
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct MeetingCode(pub String);

impl MeetingCode {
    /// Build from anything string-like.
    pub fn new(value: impl Into<String>) -> Self {
        MeetingCode(value.into())
    }
    /// The raw string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MeetingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for MeetingCode {
    fn from(value: &str) -> Self {
        MeetingCode(value.to_string())
    }
}

/// The built-in meeting type codes (DOMAIN.md §5): 支援会議 (art. 106-6), 重層的支援会議,
/// 地域ケア会議, 要保護児童対策地域協議会, 支援会議 (生活困窮), ケース会議, ネットワーク会議.
pub const BUILTIN_MEETING_CODES: &[&str] = &[
    "support_meeting",
    "multi_layered_support_meeting",
    "community_care_meeting",
    "child_protection_council",
    "self_reliance_support_meeting",
    "case_conference",
    "network_meeting",
];

/// Built-in meetings that may discuss an individual only with the person's consent.
const CONSENT_MEETINGS: &[&str] = &["multi_layered_support_meeting", "case_conference"];
/// Built-in meetings that never handle individual personal information.
const NO_INDIVIDUAL_MEETINGS: &[&str] = &["network_meeting"];

/// What rules are validated and evaluated against: the taxonomies, the agency directory (for
/// 制度の狭間 detection), the pattern thresholds and the meeting type codes in force.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingEnv {
    /// Vocabularies (issue, agency-kind, project, care-level and certificate codes).
    pub taxonomies: Taxonomies,
    /// The municipality's agency directory.
    pub directory: Directory,
    /// Thresholds of composite-pattern detection.
    pub pattern_settings: PatternSettings,
    /// Meeting type codes rules may name.
    pub meetings: Vec<MeetingCode>,
    /// The limits rule documents are held to (上限): bytes, depth, rules, conditions, ids.
    pub limits: crate::limits::Limits,
}

/// The reference directory (標準的な窓口): one municipality-wide agency per standard window, with
/// the coverage DOMAIN.md §1 gives each field. It stands in for a municipality's own directory
/// when none is given, so that 制度の狭間 means "no specialised window covers this need" rather
/// than "no directory was loaded" (with an empty directory every issue would be a gap). The
/// comprehensive window (丸ごと相談, `any_issue`) is deliberately absent: it accepts everything,
/// which does not close a gap between systems.
pub const REFERENCE_DIRECTORY: &str = r#"[
 {"id": "ref.community_general_support_center", "name": "地域包括支援センター", "kind": "community_general_support_center",
  "projects": ["comprehensive_consultation"], "serves": {"min_age": 65,
  "domains": ["welfare", "long_term_care", "care_prevention", "health_medical", "housing", "isolation", "participation"]}},
 {"id": "ref.carer_consultation", "name": "地域包括支援センター（家族介護者の相談）", "kind": "community_general_support_center",
  "serves": {"issues": ["long_term_care", "dementia", "frailty", "hospital_discharge"]}},
 {"id": "ref.disability_consultation_office", "name": "障害者相談支援事業所", "kind": "disability_consultation_office",
  "projects": ["comprehensive_consultation"], "serves": {"requires_disability": true,
  "domains": ["welfare", "health_medical", "housing", "work", "education", "isolation", "participation"]}},
 {"id": "ref.child_rearing_general_support_center", "name": "子育て世代包括支援センター", "kind": "child_rearing_general_support_center",
  "projects": ["comprehensive_consultation"], "serves": {"max_age": 17, "domains": ["welfare", "education", "health_medical"]}},
 {"id": "ref.child_rearing_parents", "name": "子育て世代包括支援センター（保護者の相談）", "kind": "child_rearing_general_support_center",
  "serves": {"issues": ["child_rearing", "developmental_concern", "school_refusal", "learning_support"]}},
 {"id": "ref.self_reliance_support_office", "name": "自立相談支援機関", "kind": "self_reliance_support_office",
  "projects": ["comprehensive_consultation"], "serves": {"domains": ["welfare", "work", "housing"], "issues": ["medical_costs"]}},
 {"id": "ref.public_health_center", "name": "保健所・精神保健福祉センター", "kind": "public_health_center",
  "serves": {"domains": ["health_medical"]}},
 {"id": "ref.hikikomori_support_center", "name": "ひきこもり地域支援センター", "kind": "hikikomori_support_center",
  "serves": {"issues": ["hikikomori", "social_isolation"]}},
 {"id": "ref.child_guidance_center", "name": "児童相談所", "kind": "child_guidance_center",
  "serves": {"max_age": 17, "issues": ["abuse", "dv", "family_relations"]}},
 {"id": "ref.spousal_violence_support_center", "name": "配偶者暴力相談支援センター", "kind": "spousal_violence_support_center",
  "serves": {"issues": ["dv"]}},
 {"id": "ref.city_abuse_prevention_center", "name": "市虐待防止センター", "kind": "city_abuse_prevention_center",
  "serves": {"issues": ["abuse"]}},
 {"id": "ref.life_support_coordinator", "name": "生活支援コーディネーター", "kind": "life_support_coordinator",
  "projects": ["community_building"], "serves": {"domains": ["isolation", "participation"]}},
 {"id": "ref.social_welfare_council", "name": "社会福祉協議会", "kind": "social_welfare_council",
  "serves": {"issues": ["disaster_recovery", "disaster_loan_repayment", "wide_area_evacuee", "household_budgeting"]}},
 {"id": "ref.hello_work", "name": "ハローワーク", "kind": "hello_work", "serves": {"domains": ["work"]}},
 {"id": "ref.lawyer", "name": "弁護士", "kind": "lawyer", "serves": {"issues": ["legal_trouble", "debt"]}},
 {"id": "ref.school", "name": "学校", "kind": "elementary_school", "serves": {"max_age": 17, "domains": ["education"]}},
 {"id": "ref.npo_foreign_residents", "name": "外国籍住民支援NPO", "kind": "npo", "serves": {"issues": ["foreign_resident_support"]}}
]"#;

impl RoutingEnv {
    /// Built-in taxonomies, the [`REFERENCE_DIRECTORY`], default pattern settings and the
    /// built-in meeting codes.
    pub fn builtin() -> Self {
        let tax = Taxonomies::builtin();
        let directory = Directory::from_json(REFERENCE_DIRECTORY, &tax)
            .expect("the reference directory is valid (checked by tests)");
        RoutingEnv::new(tax, directory)
    }
    /// The given taxonomies and directory with default settings and built-in meeting codes.
    pub fn new(taxonomies: Taxonomies, directory: Directory) -> Self {
        RoutingEnv {
            taxonomies,
            directory,
            pattern_settings: PatternSettings::default(),
            meetings: BUILTIN_MEETING_CODES
                .iter()
                .map(|c| MeetingCode::from(*c))
                .collect(),
            limits: crate::limits::Limits::default(),
        }
    }
    /// Replace the limits (a municipality's configuration, [`crate::limits::Limits`]).
    pub fn with_limits(mut self, limits: crate::limits::Limits) -> Self {
        self.limits = limits;
        self
    }
    /// Replace the meeting codes (e.g. from the meeting module's data).
    pub fn with_meetings(mut self, meetings: Vec<MeetingCode>) -> Self {
        self.meetings = meetings;
        self
    }
}

fn valid_rule_id(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'))
}

struct RuleChecker<'a> {
    rule: &'a RuleId,
    env: &'a RoutingEnv,
    problems: &'a mut Vec<RuleProblem>,
}

impl RuleChecker<'_> {
    fn push(&mut self, code: &'static str, path: String, message: String) {
        self.problems
            .push(RuleProblem::new(code, Some(self.rule), path, message));
    }

    fn unknown(&mut self, list: &str, code: &str, path: String) {
        self.push(
            "unknown_code",
            path,
            format!("unknown {list} code `{code}`"),
        );
    }

    fn issues(&mut self, sel: &IssueSelector, path: &str) {
        if sel.codes.is_empty() && sel.domains.is_empty() && !sel.life_threatening && !sel.any {
            self.push(
                "empty_condition",
                path.to_string(),
                "an issue selector needs `codes`, `domains`, `life_threatening` or `any`".into(),
            );
        }
        for (i, code) in sel.codes.iter().enumerate() {
            if self.env.taxonomies.issue(code).is_none() {
                self.unknown("issue", code.as_str(), format!("{path}.codes[{i}]"));
            }
        }
    }

    fn member(&mut self, m: &MemberPredicate, path: &str) {
        if m == &MemberPredicate::default() {
            self.push(
                "empty_condition",
                path.to_string(),
                "a member predicate needs at least one field".into(),
            );
        }
        if let Some(age) = &m.age {
            match (age.min, age.max) {
                (None, None) => self.push(
                    "empty_condition",
                    format!("{path}.age"),
                    "an age range needs `min` or `max`".into(),
                ),
                (Some(min), Some(max)) if min > max => self.push(
                    "invalid_range",
                    format!("{path}.age"),
                    format!("age range {min}..={max} is empty"),
                ),
                _ => {}
            }
        }
        if let Some(range) = &m.care_level {
            let tax = &self.env.taxonomies;
            let mut rank = |code: &Option<crate::ids::CareLevelCode>, field: &str| match code {
                Some(c) => match tax.care_level(c) {
                    Some(level) => Some(level.rank),
                    None => {
                        self.problems.push(RuleProblem::new(
                            "unknown_code",
                            Some(self.rule),
                            format!("{path}.care_level.{field}"),
                            format!("unknown care level code `{c}`"),
                        ));
                        None
                    }
                },
                None => None,
            };
            let (lo, hi) = (rank(&range.min, "min"), rank(&range.max, "max"));
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo > hi {
                    self.push(
                        "invalid_range",
                        format!("{path}.care_level"),
                        "care level range is empty (min is above max)".into(),
                    );
                }
            }
        }
        if let Some(d) = &m.disability {
            for (i, kind) in d.kinds.iter().enumerate() {
                if !self
                    .env
                    .taxonomies
                    .certificate_kinds()
                    .iter()
                    .any(|t| &t.code == kind)
                {
                    self.unknown(
                        "certificate kind",
                        kind.as_str(),
                        format!("{path}.disability.kinds[{i}]"),
                    );
                }
            }
        }
        if let Some(sel) = &m.has_issue {
            self.issues(sel, &format!("{path}.has_issue"));
        }
    }

    fn condition(&mut self, c: &Condition, path: &str) {
        match c {
            Condition::All(children) | Condition::Any(children) => {
                let kind = if matches!(c, Condition::All(_)) {
                    "all"
                } else {
                    "any"
                };
                if children.is_empty() {
                    self.push(
                        "empty_condition",
                        format!("{path}.{kind}"),
                        format!("`{kind}` needs at least one condition"),
                    );
                }
                for (i, child) in children.iter().enumerate() {
                    self.condition(child, &format!("{path}.{kind}[{i}]"));
                }
            }
            Condition::Not(inner) => self.condition(inner, &format!("{path}.not")),
            Condition::HasIssue(sel) => self.issues(sel, &format!("{path}.has_issue")),
            Condition::Member(m) => self.member(m, &format!("{path}.member")),
            Condition::Pattern(_) => {}
            Condition::Engagement(v) => self.non_empty(v.is_empty(), path, "engagement"),
            Condition::Consent(v) => self.non_empty(v.is_empty(), path, "consent"),
            Condition::Urgency(v) => self.non_empty(v.is_empty(), path, "urgency"),
            Condition::Area(v) => self.non_empty(v.is_empty(), path, "area"),
            Condition::Count(count) => match (count.at_least, count.at_most) {
                (None, None) => self.push(
                    "empty_condition",
                    format!("{path}.count"),
                    "a count needs `at_least` or `at_most`".into(),
                ),
                (Some(lo), Some(hi)) if lo > hi => self.push(
                    "invalid_range",
                    format!("{path}.count"),
                    format!("count range {lo}..={hi} is empty"),
                ),
                _ => {}
            },
        }
    }

    fn non_empty(&mut self, empty: bool, path: &str, kind: &str) {
        if empty {
            self.push(
                "empty_condition",
                format!("{path}.{kind}"),
                format!("`{kind}` needs at least one value"),
            );
        }
    }

    fn outcome(&mut self, o: &Outcome, path: &str) {
        let tax = &self.env.taxonomies;
        if o.agency_kind.is_none() && o.project.is_none() {
            self.push(
                "empty_outcome",
                path.to_string(),
                "an outcome names an `agency_kind`, a `project`, or both".into(),
            );
        }
        let mut kind_projects = None;
        if let Some(kind) = &o.agency_kind {
            match tax.agency_kind(kind) {
                Some(k) => kind_projects = Some(k.projects.clone()),
                None => self.unknown("agency kind", kind.as_str(), format!("{path}.agency_kind")),
            }
        }
        if let Some(project) = &o.project {
            if tax.projects().iter().all(|t| &t.code != project) {
                self.unknown("project", project.as_str(), format!("{path}.project"));
            } else if let Some(projects) = kind_projects.filter(|p| !p.is_empty()) {
                if !projects.contains(project) {
                    self.push(
                        "contradictory_outcome",
                        format!("{path}.project"),
                        format!(
                            "agency kind `{}` does not run project `{project}` (it runs {})",
                            o.agency_kind.as_ref().expect("set"),
                            projects
                                .iter()
                                .map(|p| p.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
        }
        for (field, meeting) in [
            ("meeting", &o.meeting),
            ("meeting_without_consent", &o.meeting_without_consent),
        ] {
            let Some(m) = meeting else { continue };
            let mpath = format!("{path}.{field}");
            if !self.env.meetings.contains(m) {
                self.unknown("meeting", m.as_str(), mpath);
                continue;
            }
            if NO_INDIVIDUAL_MEETINGS.contains(&m.as_str()) {
                self.push(
                    "contradictory_outcome",
                    mpath.clone(),
                    format!("meeting `{m}` handles no individual personal information: it cannot be the next step for a household"),
                );
            }
            if field == "meeting_without_consent" && CONSENT_MEETINGS.contains(&m.as_str()) {
                self.push(
                    "contradictory_outcome",
                    mpath,
                    format!("meeting `{m}` needs the person's consent: it cannot be the meeting without consent"),
                );
            }
        }
    }
}

/// Per-rule checks: id, description, condition codes and ranges, outcome.
pub(crate) fn check_rule(
    rule: &Rule,
    path: &str,
    env: &RoutingEnv,
    problems: &mut Vec<RuleProblem>,
) {
    let mut c = RuleChecker {
        rule: &rule.id,
        env,
        problems,
    };
    if rule.id.as_str() == FALLBACK_RULE_ID {
        c.push(
            "reserved_rule_id",
            format!("{path}.id"),
            format!("rule id `{FALLBACK_RULE_ID}` is reserved for the fallback recommendation"),
        );
    } else if !valid_rule_id(rule.id.as_str()) {
        c.push(
            "invalid_rule_id",
            format!("{path}.id"),
            "rule ids are lower-case ASCII letters, digits, `_`, `.` and `-`, starting with a letter"
                .into(),
        );
    }
    if rule.description.ja.trim().is_empty() || rule.description.en.trim().is_empty() {
        c.push(
            "empty_description",
            format!("{path}.description"),
            "a rule is described in both ja and en".into(),
        );
    }
    c.condition(&rule.when, &format!("{path}.when"));
    c.outcome(&rule.then, &format!("{path}.then"));
}

/// Semantic checks of a condition on its own (for a rule that did not decode whole).
pub(crate) fn check_condition(
    rule: &RuleId,
    when: &Condition,
    path: &str,
    env: &RoutingEnv,
    problems: &mut Vec<RuleProblem>,
) {
    RuleChecker {
        rule,
        env,
        problems,
    }
    .condition(when, path);
}

/// Semantic checks of an outcome on its own (for a rule that did not decode whole).
pub(crate) fn check_outcome(
    rule: &RuleId,
    then: &Outcome,
    path: &str,
    env: &RoutingEnv,
    problems: &mut Vec<RuleProblem>,
) {
    RuleChecker {
        rule,
        env,
        problems,
    }
    .outcome(then, path);
}
