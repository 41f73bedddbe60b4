//! Recommendations and their explanations (根拠): the rule, and the concrete facts that satisfied
//! each of its conditions, in ja and en, naming members by id (never by name).
//!
//! Explanations are built on demand ([`Router::evaluate`], [`Router::explain`]), off the hot path.

use super::compile::{pattern_bit, Ctx, Match, Router, Scratch};
use super::document::{Condition, CountOf, IssueSelector, MemberPredicate, RuleId, SchoolStage};
use super::validate::MeetingCode;
use super::{Situation, Urgency, FALLBACK_RULE_ID};
use crate::household::{Employment, Engagement, Household, Issue, Person, Relation};
use crate::ids::{AgencyKindCode, HouseholdId, IssueCode, PersonId, ProjectCode};
use crate::patterns::{Pattern, PatternFinding};
use crate::taxonomy::Label;
use serde::{Deserialize, Serialize};

/// One fact that satisfied a condition ("member p1 is 82").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Fact {
    /// What kind of fact (`age`, `issue`, `pattern`, `pattern_evidence`, `consent`, `count`,
    /// `not` …), for programs.
    pub kind: String,
    /// The member it is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<PersonId>,
    /// The fact in words.
    pub text: Label,
}

/// Why a rule recommended what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Explanation {
    /// The rule ([`FALLBACK_RULE_ID`] for the fallback).
    pub rule: RuleId,
    /// The rule's description.
    pub description: Label,
    /// The facts that satisfied its conditions, in condition order.
    pub facts: Vec<Fact>,
}

/// A routing recommendation (振り分け先の提案).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Recommendation {
    /// 1 = first.
    pub rank: u32,
    /// The rule that produced it.
    pub rule: RuleId,
    /// Agency kind to route to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_kind: Option<AgencyKindCode>,
    /// Component project to route to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectCode>,
    /// Urgency.
    pub urgency: Urgency,
    /// The meeting that fits next under the current consent state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingCode>,
    /// Lower-ranked rules that matched with the same target (merged into this one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_matched: Vec<RuleId>,
    /// Why.
    pub explanation: Explanation,
}

/// The result of routing one household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Routing {
    /// The household.
    pub household: HouseholdId,
    /// Ranked recommendations; never empty.
    pub recommendations: Vec<Recommendation>,
}

fn label(ja: impl Into<String>, en: impl Into<String>) -> Label {
    Label {
        ja: ja.into(),
        en: en.into(),
    }
}

fn fact(kind: &str, member: Option<&PersonId>, ja: String, en: String) -> Fact {
    Fact {
        kind: kind.to_string(),
        member: member.cloned(),
        text: label(ja, en),
    }
}

pub(crate) fn pattern_code(p: Pattern) -> &'static str {
    match p {
        Pattern::EightyFifty => "8050",
        Pattern::DoubleCare => "double_care",
        Pattern::YoungCarer => "young_carer",
        Pattern::MultiProblem => "multi_problem",
        Pattern::Isolated => "isolated",
        Pattern::ServiceGap => "service_gap",
    }
}

fn pattern_ja(p: Pattern) -> &'static str {
    match p {
        Pattern::EightyFifty => "8050問題",
        Pattern::DoubleCare => "ダブルケア",
        Pattern::YoungCarer => "ヤングケアラー",
        Pattern::MultiProblem => "多問題世帯",
        Pattern::Isolated => "孤立世帯",
        Pattern::ServiceGap => "制度の狭間",
    }
}

fn relation_label(r: Relation) -> (&'static str, &'static str) {
    match r {
        Relation::Head => ("世帯主", "head"),
        Relation::Spouse => ("配偶者", "spouse"),
        Relation::Child => ("子", "child"),
        Relation::ChildInLaw => ("子の配偶者", "child_in_law"),
        Relation::Parent => ("親", "parent"),
        Relation::Grandparent => ("祖父母", "grandparent"),
        Relation::Grandchild => ("孫", "grandchild"),
        Relation::Sibling => ("兄弟姉妹", "sibling"),
        Relation::Other => ("その他", "other"),
    }
}

fn employment_label(e: Employment) -> (&'static str, &'static str) {
    match e {
        Employment::FullTime => ("正規雇用", "full_time"),
        Employment::PartTime => ("非正規・パート", "part_time"),
        Employment::SelfEmployed => ("自営", "self_employed"),
        Employment::Unemployed => ("無職", "unemployed"),
        Employment::Student => ("学生", "student"),
        Employment::Retired => ("退職", "retired"),
    }
}

fn engagement_label(e: Engagement) -> (&'static str, &'static str) {
    match e {
        Engagement::Engaged => ("支援につながっている", "is engaging with support"),
        Engagement::NotEngaging => ("支援につながっていない", "is not engaging with support"),
        Engagement::Refuses => ("支援を拒否している", "refuses support"),
    }
}

fn yes_no(v: bool, yes: &str, no: &str) -> String {
    if v { yes } else { no }.to_string()
}

struct Explainer<'a, 'c> {
    router: &'a Router,
    ctx: &'a Ctx<'c>,
    findings: Option<Vec<PatternFinding>>,
}

impl Explainer<'_, '_> {
    fn issue_ja(&self, code: &IssueCode) -> String {
        self.router
            .env
            .taxonomies
            .issue(code)
            .map_or_else(|| code.to_string(), |c| c.ja.clone())
    }

    fn issue_matches(&self, sel: &IssueSelector, issue: &Issue) -> bool {
        if !(issue.is_current() || (sel.suspected && issue.is_suspected())) {
            return false;
        }
        let code = &issue.code;
        let prog = self.router.issue_prog(sel);
        match self.router.issue_index.get(code.as_str()) {
            Some(info) => {
                sel.any || prog.domains & info.domain != 0 || prog.codes.has(info.index as usize)
            }
            None => sel.any,
        }
    }

    fn issue_fact(&self, member: Option<&Person>, issue: &Issue) -> Fact {
        let code = &issue.code;
        let ja = self.issue_ja(code);
        let (sja, sen) = if issue.is_suspected() {
            ("（疑い）", " (suspected)")
        } else {
            ("", "")
        };
        match member {
            Some(p) => fact(
                "issue",
                Some(&p.id),
                format!("世帯員 {} に課題「{ja}」{sja}", p.id),
                format!("member {} has issue {code}{sen}", p.id),
            ),
            None => fact(
                "issue",
                None,
                format!("世帯に課題「{ja}」{sja}"),
                format!("household has issue {code}{sen}"),
            ),
        }
    }

    fn member_facts(&self, p: &Person, m: &MemberPredicate, out: &mut Vec<Fact>) {
        let id = &p.id;
        let today = self.ctx.situation.today;
        if m.age.is_some() {
            if let Some(age) = p.age_on(today) {
                let (ja, en) = if p.birth_date.is_some() {
                    (
                        format!("世帯員 {id} は{age}歳"),
                        format!("member {id} is {age}"),
                    )
                } else {
                    (
                        format!("世帯員 {id} は約{age}歳"),
                        format!("member {id} is about {age}"),
                    )
                };
                out.push(fact("age", Some(id), ja, en));
            }
        }
        if !m.school_stage.is_empty() {
            let stage = match p.birth_date {
                Some(b) => SchoolStage::on(b, today),
                None => p.age_on(today).map(SchoolStage::for_age),
            };
            if let Some(s) = stage {
                out.push(fact(
                    "school_stage",
                    Some(id),
                    format!("世帯員 {id} は{}", s.ja()),
                    format!("member {id} is at school stage {}", s.code()),
                ));
            }
        }
        if m.care_level.is_some() {
            if let Some(level) = &p.care_level {
                let ja = self
                    .router
                    .env
                    .taxonomies
                    .care_level(level)
                    .map_or_else(|| level.to_string(), |c| c.ja.clone());
                out.push(fact(
                    "care_level",
                    Some(id),
                    format!("世帯員 {id} は{ja}"),
                    format!("member {id} has care level {level}"),
                ));
            }
        }
        if let Some(sel) = &m.disability {
            for d in &p.disabilities {
                if sel.kinds.is_empty() || sel.kinds.contains(&d.kind) {
                    let ja = self
                        .router
                        .env
                        .taxonomies
                        .certificate_kinds()
                        .iter()
                        .find(|t| t.code == d.kind)
                        .map_or_else(|| d.kind.to_string(), |t| t.ja.clone());
                    out.push(fact(
                        "disability",
                        Some(id),
                        format!("世帯員 {id} は{ja}を所持"),
                        format!("member {id} holds a disability certificate ({})", d.kind),
                    ));
                }
            }
        }
        if let Some(v) = m.public_assistance {
            out.push(fact(
                "public_assistance",
                Some(id),
                format!(
                    "世帯員 {id} は{}",
                    yes_no(v, "生活保護を受給している", "生活保護を受給していない")
                ),
                format!(
                    "member {id} {}",
                    yes_no(
                        v,
                        "receives public assistance",
                        "does not receive public assistance"
                    )
                ),
            ));
        }
        if let Some(v) = m.single_parent {
            out.push(fact(
                "single_parent",
                Some(id),
                format!(
                    "世帯員 {id} は{}",
                    yes_no(v, "ひとり親である", "ひとり親ではない")
                ),
                format!(
                    "member {id} {}",
                    yes_no(v, "is a single parent", "is not a single parent")
                ),
            ));
        }
        if let Some(v) = m.carer {
            let whom: Vec<&str> = p.cares_for.iter().map(|c| c.as_str()).collect();
            let (ja, en) = if v {
                (
                    format!("世帯員 {id} は {} をケアしている", whom.join("、")),
                    format!("member {id} cares for {}", whom.join(", ")),
                )
            } else {
                (
                    format!("世帯員 {id} は他の世帯員をケアしていない"),
                    format!("member {id} does not care for another member"),
                )
            };
            out.push(fact("carer", Some(id), ja, en));
        }
        if let Some(v) = m.head {
            out.push(fact(
                "head",
                Some(id),
                format!(
                    "世帯員 {id} は{}",
                    yes_no(v, "世帯主である", "世帯主ではない")
                ),
                format!(
                    "member {id} {}",
                    yes_no(
                        v,
                        "is the head of household",
                        "is not the head of household"
                    )
                ),
            ));
        }
        if let Some(v) = m.hospitalised {
            out.push(fact(
                "hospitalised",
                Some(id),
                format!("世帯員 {id} は{}", yes_no(v, "入院中", "入院していない")),
                format!(
                    "member {id} {}",
                    yes_no(v, "is in hospital", "is not in hospital")
                ),
            ));
        }
        if !m.relation.is_empty() {
            let (ja, en) = relation_label(p.relation);
            out.push(fact(
                "relation",
                Some(id),
                format!("世帯員 {id} の続柄は{ja}"),
                format!("member {id} is related to the head as {en}"),
            ));
        }
        if !m.employment.is_empty() {
            if let Some(e) = p.employment {
                let (ja, en) = employment_label(e);
                out.push(fact(
                    "employment",
                    Some(id),
                    format!("世帯員 {id} の就労状況は{ja}"),
                    format!("member {id}'s employment is {en}"),
                ));
            }
        }
        if !m.engagement.is_empty() {
            let (ja, en) = engagement_label(p.engagement);
            out.push(fact(
                "engagement",
                Some(id),
                format!("世帯員 {id} は{ja}"),
                format!("member {id} {en}"),
            ));
        }
        if let Some(sel) = &m.has_issue {
            for issue in &p.issues {
                if self.issue_matches(sel, issue) {
                    out.push(self.issue_fact(Some(p), issue));
                }
            }
        }
    }

    fn findings(&mut self) -> &[PatternFinding] {
        if self.findings.is_none() {
            let env = &self.router.env;
            self.findings = Some(crate::patterns::detect_patterns(
                self.ctx.household,
                &env.taxonomies,
                &env.directory,
                &env.pattern_settings,
                self.ctx.situation.today,
            ));
        }
        self.findings.as_deref().unwrap_or_default()
    }

    /// Whether `c` holds; if it does, its facts are appended to `out`.
    fn explain(&mut self, c: &Condition, out: &mut Vec<Fact>) -> bool {
        let ctx = self.ctx;
        match c {
            Condition::All(children) => {
                let mut facts = Vec::new();
                for child in children {
                    if !self.explain(child, &mut facts) {
                        return false;
                    }
                }
                out.extend(facts);
                true
            }
            Condition::Any(children) => {
                let mut any = false;
                for child in children {
                    any |= self.explain(child, out);
                }
                any
            }
            Condition::Not(inner) => {
                let mut ignored = Vec::new();
                if self.explain(inner, &mut ignored) {
                    return false;
                }
                let d = describe(inner);
                out.push(fact(
                    "not",
                    None,
                    format!("次に該当しない: {}", d.ja),
                    format!("not: {}", d.en),
                ));
                true
            }
            Condition::HasIssue(sel) => {
                let mut found = false;
                for (member, issue) in ctx.household.all_issues() {
                    if self.issue_matches(sel, issue) {
                        out.push(self.issue_fact(member, issue));
                        found = true;
                    }
                }
                found
            }
            Condition::Member(m) => {
                let prog = self.router.member_prog(m);
                let mut found = false;
                for (p, facts) in ctx.household.members.iter().zip(ctx.members) {
                    if prog.matches(facts) {
                        self.member_facts(p, m, out);
                        found = true;
                    }
                }
                found
            }
            Condition::Pattern(p) => {
                if self.router.patterns(ctx) & pattern_bit(*p) == 0 {
                    return false;
                }
                out.push(fact(
                    "pattern",
                    None,
                    format!("複合課題「{}」", pattern_ja(*p)),
                    format!("pattern {}", pattern_code(*p)),
                ));
                let evidence: Vec<Fact> = self
                    .findings()
                    .iter()
                    .filter(|f| f.pattern == *p)
                    .flat_map(|f| f.evidence.facts.iter())
                    .map(|l| Fact {
                        kind: "pattern_evidence".into(),
                        member: None,
                        text: l.clone(),
                    })
                    .collect();
                out.extend(evidence);
                true
            }
            Condition::Engagement(es) => {
                let mut found = false;
                for p in &ctx.household.members {
                    if es.contains(&p.engagement) {
                        let (ja, en) = engagement_label(p.engagement);
                        out.push(fact(
                            "engagement",
                            Some(&p.id),
                            format!("世帯員 {} は{ja}", p.id),
                            format!("member {} {en}", p.id),
                        ));
                        found = true;
                    }
                }
                found
            }
            Condition::Consent(cs) => {
                let c = ctx.situation.consent;
                let hit = cs.contains(&c);
                if hit {
                    out.push(fact(
                        "consent",
                        None,
                        format!("同意の状況: {}", c.ja()),
                        format!("consent: {}", c.code()),
                    ));
                }
                hit
            }
            Condition::Urgency(us) => {
                let u = ctx.situation.urgency;
                let hit = us.contains(&u);
                if hit {
                    out.push(fact(
                        "urgency",
                        None,
                        format!("緊急度: {}", u.ja()),
                        format!("urgency: {}", u.code()),
                    ));
                }
                hit
            }
            Condition::Area(codes) => {
                let mut found = false;
                for c in ctx.household.area.codes() {
                    if codes.contains(c) {
                        out.push(fact(
                            "area",
                            None,
                            format!("世帯の地区: {c}"),
                            format!("household is in area {c}"),
                        ));
                        found = true;
                    }
                }
                found
            }
            Condition::Count(cp) => {
                let n = self.router.count(cp.of, ctx);
                let hit =
                    cp.at_least.is_none_or(|lo| n >= lo) && cp.at_most.is_none_or(|hi| n <= hi);
                if hit {
                    out.push(self.count_fact(cp.of, n));
                }
                hit
            }
        }
    }

    fn count_fact(&self, of: CountOf, n: u32) -> Fact {
        match of {
            CountOf::Domains => {
                let mut domains = Vec::new();
                for (_, code) in self.ctx.household.current_issues() {
                    if let Some(cat) = self.router.env.taxonomies.issue(code) {
                        if !domains.contains(&cat.domain) {
                            domains.push(cat.domain);
                        }
                    }
                }
                let ja: Vec<String> = domains.iter().map(|d| d.label().ja).collect();
                let en: Vec<&str> = domains.iter().map(|d| d.code()).collect();
                fact(
                    "count",
                    None,
                    format!("課題の分野が{n}つ（{}）", ja.join("、")),
                    format!("issues in {n} domains ({})", en.join(", ")),
                )
            }
            CountOf::Issues => fact(
                "count",
                None,
                format!("課題が{n}種類"),
                format!("{n} distinct issues"),
            ),
            CountOf::Members => fact(
                "count",
                None,
                format!("世帯員が{n}人"),
                format!("{n} members"),
            ),
            CountOf::MembersWithIssues => fact(
                "count",
                None,
                format!("課題のある世帯員が{n}人"),
                format!("{n} members with issues"),
            ),
        }
    }
}

/// A short description of a condition, for `not` facts.
fn describe(c: &Condition) -> Label {
    let join = |cs: &[Condition], ja: &str, en: &str| {
        let ds: Vec<Label> = cs.iter().map(describe).collect();
        label(
            ds.iter()
                .map(|d| d.ja.as_str())
                .collect::<Vec<_>>()
                .join(ja),
            format!(
                "({})",
                ds.iter()
                    .map(|d| d.en.as_str())
                    .collect::<Vec<_>>()
                    .join(en)
            ),
        )
    };
    match c {
        Condition::All(cs) => join(cs, " かつ ", " and "),
        Condition::Any(cs) => join(cs, " または ", " or "),
        Condition::Not(inner) => {
            let d = describe(inner);
            label(format!("「{}」ではない", d.ja), format!("not {}", d.en))
        }
        Condition::HasIssue(sel) => {
            let s = selector_text(sel);
            label(
                format!("課題（{}）がある", s.ja),
                format!("an issue ({})", s.en),
            )
        }
        Condition::Member(m) => {
            let mut parts: Vec<(String, String)> = Vec::new();
            if let Some(a) = m.age {
                let r = match (a.min, a.max) {
                    (Some(lo), Some(hi)) => (format!("{lo}〜{hi}歳"), format!("aged {lo}-{hi}")),
                    (Some(lo), None) => (format!("{lo}歳以上"), format!("aged {lo}+")),
                    (None, Some(hi)) => (format!("{hi}歳以下"), format!("aged {hi} or under")),
                    (None, None) => ("年齢".into(), "any age".into()),
                };
                parts.push(r);
            }
            if m.care_level.is_some() {
                parts.push(("要介護認定".into(), "care level".into()));
            }
            if m.disability.is_some() {
                parts.push(("障害者手帳".into(), "disability certificate".into()));
            }
            if let Some(v) = m.public_assistance {
                parts.push((
                    yes_no(v, "生活保護受給", "生活保護なし"),
                    yes_no(v, "public assistance", "no public assistance"),
                ));
            }
            if let Some(v) = m.single_parent {
                parts.push((
                    yes_no(v, "ひとり親", "ひとり親でない"),
                    yes_no(v, "single parent", "not a single parent"),
                ));
            }
            if let Some(v) = m.carer {
                parts.push((
                    yes_no(v, "ケアをしている", "ケアをしていない"),
                    yes_no(v, "carer", "not a carer"),
                ));
            }
            if let Some(v) = m.head {
                parts.push((
                    yes_no(v, "世帯主", "世帯主でない"),
                    yes_no(v, "head", "not head"),
                ));
            }
            if let Some(v) = m.hospitalised {
                parts.push((
                    yes_no(v, "入院中", "入院していない"),
                    yes_no(v, "in hospital", "not in hospital"),
                ));
            }
            if !m.school_stage.is_empty() {
                parts.push((
                    m.school_stage
                        .iter()
                        .map(|s| s.ja())
                        .collect::<Vec<_>>()
                        .join("・"),
                    format!(
                        "school stage {}",
                        m.school_stage
                            .iter()
                            .map(|s| s.code())
                            .collect::<Vec<_>>()
                            .join("/")
                    ),
                ));
            }
            if !m.relation.is_empty() {
                parts.push((
                    m.relation
                        .iter()
                        .map(|r| relation_label(*r).0)
                        .collect::<Vec<_>>()
                        .join("・"),
                    format!(
                        "relation {}",
                        m.relation
                            .iter()
                            .map(|r| relation_label(*r).1)
                            .collect::<Vec<_>>()
                            .join("/")
                    ),
                ));
            }
            if !m.employment.is_empty() {
                parts.push((
                    m.employment
                        .iter()
                        .map(|e| employment_label(*e).0)
                        .collect::<Vec<_>>()
                        .join("・"),
                    format!(
                        "employment {}",
                        m.employment
                            .iter()
                            .map(|e| employment_label(*e).1)
                            .collect::<Vec<_>>()
                            .join("/")
                    ),
                ));
            }
            if !m.engagement.is_empty() {
                parts.push((
                    m.engagement
                        .iter()
                        .map(|e| engagement_label(*e).0)
                        .collect::<Vec<_>>()
                        .join("・"),
                    m.engagement
                        .iter()
                        .map(|e| engagement_label(*e).1)
                        .collect::<Vec<_>>()
                        .join(" / "),
                ));
            }
            if let Some(sel) = &m.has_issue {
                let s = selector_text(sel);
                parts.push((format!("課題: {}", s.ja), format!("issue {}", s.en)));
            }
            label(
                format!(
                    "世帯員（{}）がいる",
                    parts
                        .iter()
                        .map(|p| p.0.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!(
                    "a member ({})",
                    parts
                        .iter()
                        .map(|p| p.1.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }
        Condition::Pattern(p) => label(
            format!("複合課題「{}」", pattern_ja(*p)),
            format!("pattern {}", pattern_code(*p)),
        ),
        Condition::Engagement(es) => label(
            format!(
                "支援との関わり: {}",
                es.iter()
                    .map(|e| engagement_label(*e).0)
                    .collect::<Vec<_>>()
                    .join("・")
            ),
            format!(
                "a member who {}",
                es.iter()
                    .map(|e| engagement_label(*e).1)
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        ),
        Condition::Consent(cs) => label(
            format!(
                "同意の状況: {}",
                cs.iter().map(|c| c.ja()).collect::<Vec<_>>().join("・")
            ),
            format!(
                "consent {}",
                cs.iter().map(|c| c.code()).collect::<Vec<_>>().join("/")
            ),
        ),
        Condition::Urgency(us) => label(
            format!(
                "緊急度: {}",
                us.iter().map(|u| u.ja()).collect::<Vec<_>>().join("・")
            ),
            format!(
                "urgency {}",
                us.iter().map(|u| u.code()).collect::<Vec<_>>().join("/")
            ),
        ),
        Condition::Area(codes) => {
            let s = codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            label(format!("地区: {s}"), format!("area {s}"))
        }
        Condition::Count(cp) => {
            let bounds = match (cp.at_least, cp.at_most) {
                (Some(lo), Some(hi)) => (format!("{lo}〜{hi}"), format!("{lo}-{hi}")),
                (Some(lo), None) => (format!("{lo}以上"), format!("at least {lo}")),
                (None, Some(hi)) => (format!("{hi}以下"), format!("at most {hi}")),
                (None, None) => (String::new(), String::new()),
            };
            label(
                format!("{}の数が{}", count_ja(cp.of), bounds.0),
                format!("{} {} {}", bounds.1, cp.of.code(), ""),
            )
            .trimmed()
        }
    }
}

trait Trimmed {
    fn trimmed(self) -> Self;
}

impl Trimmed for Label {
    fn trimmed(self) -> Self {
        Label {
            ja: self.ja.trim().to_string(),
            en: self.en.trim().to_string(),
        }
    }
}

fn count_ja(of: CountOf) -> &'static str {
    match of {
        CountOf::Domains => "課題の分野",
        CountOf::Issues => "課題",
        CountOf::Members => "世帯員",
        CountOf::MembersWithIssues => "課題のある世帯員",
    }
}

fn selector_text(sel: &IssueSelector) -> Label {
    let mut ja = Vec::new();
    let mut en = Vec::new();
    for c in &sel.codes {
        ja.push(c.to_string());
        en.push(c.to_string());
    }
    for d in &sel.domains {
        ja.push(format!("{}分野", d.label().ja));
        en.push(format!("domain {}", d.code()));
    }
    if sel.life_threatening {
        ja.push("生命に関わる課題".into());
        en.push("life-threatening".into());
    }
    if sel.any {
        ja.push("いずれか".into());
        en.push("any".into());
    }
    label(ja.join("、"), en.join(", "))
}

impl Router {
    /// Route a household: ranked recommendations, each with its explanation.
    ///
    /// Same ranking as [`Router::matches`]; never empty.
    pub fn evaluate(&self, household: &Household, situation: &Situation) -> Routing {
        let mut scratch = Scratch::new();
        let matches = self.matches(household, situation, &mut scratch).to_vec();
        let mut members = Vec::new();
        let facts = self.facts(household, situation.today, &mut members);
        let ctx = self.ctx(household, situation, facts, &members);
        let mut explainer = Explainer {
            router: self,
            ctx: &ctx,
            findings: None,
        };
        let recommendations =
            matches
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let explanation = self.explanation(&mut explainer, m);
                    let also_matched = match self.rule_of(m) {
                        Some(_) => {
                            let target = self.target_of(m.rule as usize);
                            (0..self.rules.len())
                                .filter(|&k| {
                                    k != m.rule as usize
                                        && self.target_of(k) == target
                                        && self.rule_matches(k, &ctx)
                                })
                                .map(|k| self.rules[k].id.clone())
                                .collect()
                        }
                        None => Vec::new(),
                    };
                    let (agency_kind, project, meeting) =
                        match self.rule_of(m) {
                            Some(rule) => (
                                rule.then.agency_kind.clone(),
                                rule.then.project.clone(),
                                rule.then.meeting_for(situation.consent).cloned(),
                            ),
                            None => (
                                Some(situation.receiving_window.clone().unwrap_or_else(|| {
                                    AgencyKindCode::from("comprehensive_window")
                                })),
                                Some(ProjectCode::from("comprehensive_consultation")),
                                None,
                            ),
                        };
                    Recommendation {
                        rank: i as u32 + 1,
                        rule: explanation.rule.clone(),
                        agency_kind,
                        project,
                        urgency: m.urgency,
                        meeting,
                        also_matched,
                        explanation,
                    }
                })
                .collect();
        Routing {
            household: household.id.clone(),
            recommendations,
        }
    }

    /// The explanation of one match from [`Router::matches`] for the same household and situation.
    pub fn explain(&self, household: &Household, situation: &Situation, m: &Match) -> Explanation {
        let mut members = Vec::new();
        let facts = self.facts(household, situation.today, &mut members);
        let ctx = self.ctx(household, situation, facts, &members);
        let mut explainer = Explainer {
            router: self,
            ctx: &ctx,
            findings: None,
        };
        self.explanation(&mut explainer, m)
    }

    fn explanation(&self, explainer: &mut Explainer<'_, '_>, m: &Match) -> Explanation {
        match self.rule_of(m) {
            Some(rule) => {
                let mut facts = Vec::new();
                explainer.explain(&rule.when, &mut facts);
                // One fact satisfying two branches of an `any` (an older person's issue that is
                // also a long-term-care issue) is stated once, where it first appears.
                let mut unique: Vec<Fact> = Vec::with_capacity(facts.len());
                for f in facts {
                    if !unique.contains(&f) {
                        unique.push(f);
                    }
                }
                let facts = unique;
                Explanation {
                    rule: rule.id.clone(),
                    description: rule.description.clone(),
                    facts,
                }
            }
            None => {
                let window = explainer
                    .ctx
                    .situation
                    .receiving_window
                    .clone()
                    .unwrap_or_else(|| AgencyKindCode::from("comprehensive_window"));
                Explanation {
                    rule: RuleId::from(FALLBACK_RULE_ID),
                    description: label(
                        "どのルールにも該当しないため、受け付けた窓口が包括的相談支援として受け止める（断らない相談）",
                        "No rule matched: the receiving window keeps the consultation as comprehensive consultation (no consultation is turned away)",
                    ),
                    facts: vec![fact(
                        "fallback",
                        None,
                        format!("受付窓口: {window}"),
                        format!("receiving window: {window}"),
                    )],
                }
            }
        }
    }
}
