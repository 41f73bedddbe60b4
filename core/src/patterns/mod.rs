//! Composite-pattern detection (複合課題の把握): pure functions over a household that return
//! each pattern found *and its evidence* — the members, issues and domains involved and the facts
//! in Japanese and English, written with ids, ages and codes, never names.
//!
//! Thresholds and code lists are data ([`PatternSettings`], every field defaulted) so a
//! municipality can tune them. Persons whose age is unknown never satisfy an age condition.
//! The rules, pattern by pattern:
//!
//! - **8050問題** ([`Pattern::EightyFifty`]): a parent-generation member aged at least
//!   `elderly_min_age` and *their* child (by relation to the head, see [`PARENT_CHILD`]) aged in
//!   `middle_age` who is withdrawn (one of `withdrawal_issues`) or without income (one of
//!   `no_income_issues`, or employment in `no_income_employment`). One finding per pair.
//! - **ダブルケア** ([`Pattern::DoubleCare`]): a member whose `cares_for` lists both a child (age
//!   at most `child_max_age`) and an elderly or care-needing member (age at least
//!   `care_recipient_min_age`, or a care level, or one of `care_need_issues`). Recorded care roles
//!   come first: only when *no* member of the household records `cares_for` and
//!   `infer_carers` is on, a single parent (ひとり親, not a minor) is inferred to care for every
//!   other member who is a child and every member who is elderly *and* has a care need (both
//!   conditions, since the care role is only presumed). One finding per carer.
//! - **ヤングケアラー** ([`Pattern::YoungCarer`]): a member aged at most `young_carer_max_age` whose
//!   `cares_for` is not empty. Never inferred. One finding per young carer.
//! - **多問題世帯** ([`Pattern::MultiProblem`]): the issues of the members and of the household
//!   together fall in at least `multi_problem_min_domains` distinct art. 4(3) domains (the domain
//!   of each issue comes from the taxonomy). One finding.
//! - **孤立世帯** ([`Pattern::Isolated`]): any of (a) a household-level issue in
//!   `isolation_domains`; (b) every member has an issue in `isolation_domains` (a person living
//!   alone with `social_isolation` is an isolated household); (c) eco-map ties are recorded but
//!   none is supportive; (d) no member engages with support (all `not_engaging` or `refuses`)
//!   and no supportive tie is recorded. A supportive tie is a strong one, or a weak one to an
//!   informal support; a stressful tie never is. One finding listing every rule that held.
//! - **制度の狭間** ([`Pattern::ServiceGap`]): needs that fall between the statutory systems,
//!   found from the *absence of an eligible window*, not from a list of issues. Either of:
//!   (a) a member with a current issue whom no statutory attribute window fits — not elderly
//!   (age below `window_elderly_min_age`) and no care level (地域包括支援センター), no disability
//!   certificate (障害者相談支援), not a child (age above `window_child_max_age`) and no
//!   child-rearing issue of theirs (`window_child_rearing_issues`: こども家庭センター), not on
//!   public assistance (福祉事務所) and no financial-hardship issue (`window_poverty_issues`:
//!   自立相談支援機関, or employment in `window_poverty_employment`) — e.g. hoarding in one's 30s
//!   — unless a window open to everyone takes that need (`window_universal_domains`,
//!   `window_universal_issues`: illness goes to 保健所 and medical care, a job search to
//!   ハローワーク, whoever the person is); household-level issues are such a need when no member
//!   fits any window; (b) an issue for which [`Directory::covering`] yields no agency
//!   (for the member, or the household for household-level issues): with an empty directory
//!   every issue is a gap. An unknown age fits no age-bound window. One finding listing every
//!   member and issue concerned.
//!
//! Only **current** issues count (課題の状態): past, resolved and suspected issues are history or
//! hypotheses, not needs a pattern can be built on.
//!
//! Findings are sorted by pattern (declaration order), then by the ids of the members involved;
//! the result depends on nothing but the arguments.

use crate::agency::Directory;
use crate::household::{
    Employment, Engagement, Household, Person, Relation, TieParty, TieStrength,
};
use crate::ids::{IssueCode, PersonId};
use crate::taxonomy::{Domain, Label, Taxonomies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A composite pattern (複合課題).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// 8050問題: an elderly parent supporting a middle-aged child who is withdrawn or without income.
    #[serde(rename = "8050")]
    EightyFifty,
    /// ダブルケア: one person caring for a child and an elderly relative at once.
    DoubleCare,
    /// ヤングケアラー: a minor who cares for a family member.
    YoungCarer,
    /// 多問題世帯: issues in three or more domains.
    MultiProblem,
    /// 孤立世帯: the household is cut off from people and support.
    Isolated,
    /// 制度の狭間: a need that no window in the directory covers.
    ServiceGap,
}

/// An issue as it appears in the household: whose it is and its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IssueRef {
    /// The member, or `None` for a household-level issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<PersonId>,
    /// Issue code.
    pub code: IssueCode,
}

/// Evidence for a finding: the members and issues involved, and the facts in words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evidence {
    /// Members involved.
    pub members: Vec<PersonId>,
    /// Issues involved.
    pub issues: Vec<IssueRef>,
    /// Domains involved (for multi-problem households).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// The facts in ja/en ("member p1 is 82", "p2 has issue hikikomori"), ids not names.
    pub facts: Vec<Label>,
}

/// A detected pattern with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatternFinding {
    /// The pattern.
    pub pattern: Pattern,
    /// Why.
    pub evidence: Evidence,
}

/// An inclusive age range (年齢の範囲).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    /// Lowest age (inclusive).
    pub min: u32,
    /// Highest age (inclusive).
    pub max: u32,
}

impl AgeRange {
    /// Whether `age` is in the range.
    pub fn contains(&self, age: u32) -> bool {
        self.min <= age && age <= self.max
    }
}

/// Thresholds of the detectors (検出の閾値), as data a municipality may tune; every field has a
/// default, so a settings document need only name what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PatternSettings {
    /// 8050: lowest age of the parent generation (default 70: "around 80" with a margin).
    pub elderly_min_age: u32,
    /// 8050: age range of the child generation (default 40..=64: "around 50").
    pub middle_age: AgeRange,
    /// 8050: issues that mark the child as withdrawn (default `hikikomori`, `social_isolation`,
    /// `mental_health`).
    pub withdrawal_issues: Vec<IssueCode>,
    /// 8050: issues that mark the child as without income (default `income_living_costs`,
    /// `job_search`).
    pub no_income_issues: Vec<IssueCode>,
    /// 8050: employment statuses that mark the child as without income (default `unemployed`).
    pub no_income_employment: Vec<Employment>,
    /// Double care: the highest age of a cared-for child (default 17: under 18).
    pub child_max_age: u32,
    /// Double care: the age from which a cared-for member counts as elderly (default 65).
    pub care_recipient_min_age: u32,
    /// Double care: issues that mark a care need (default `long_term_care`,
    /// `hospital_discharge`, `dementia`); a care level always does.
    pub care_need_issues: Vec<IssueCode>,
    /// Double care: infer a single parent's care roles when the household records none
    /// (default true).
    pub infer_carers: bool,
    /// Young carer: the highest age of a young carer (default 17: a minor).
    pub young_carer_max_age: u32,
    /// Multi-problem: how many distinct domains make a multi-problem household (default 3).
    pub multi_problem_min_domains: usize,
    /// Isolation: domains whose issues signal isolation (default `isolation`).
    pub isolation_domains: Vec<Domain>,
    /// 制度の狭間: the age from which the elderly window (地域包括支援センター, 介護保険の第1号被保険者)
    /// serves a person (default 65).
    pub window_elderly_min_age: u32,
    /// 制度の狭間: the highest age the children's side (こども家庭センター, 児童福祉法の児童)
    /// serves as a child (default 17).
    pub window_child_max_age: u32,
    /// 制度の狭間: issues that bring an adult to the children's side as a parent (default
    /// `child_rearing`, `school_refusal`, `developmental_concern`, `learning_support`).
    pub window_child_rearing_issues: Vec<IssueCode>,
    /// 制度の狭間: issues of financial hardship that make a person eligible for the
    /// self-reliance support office (自立相談支援機関; default: the intake form's money, work and
    /// housing items).
    pub window_poverty_issues: Vec<IssueCode>,
    /// 制度の狭間: employment statuses that make a person eligible for the self-reliance
    /// support office's work support (default `unemployed`).
    pub window_poverty_employment: Vec<Employment>,
    /// 制度の狭間: domains of needs that a window open to everyone takes whatever the person's
    /// attributes, so they are never a gap on their own (default `health_medical`: 保健所・医療機関;
    /// `work`: ハローワーク).
    pub window_universal_domains: Vec<Domain>,
    /// 制度の狭間: issues a window open to everyone takes (default `dv`: 配偶者暴力相談支援センター;
    /// `legal_trouble`: 法テラス; the disaster issues: 災害ケースマネジメント; `other`: not yet
    /// assessed, kept by the receiving window as 断らない相談).
    pub window_universal_issues: Vec<IssueCode>,
}

impl Default for PatternSettings {
    fn default() -> Self {
        let codes = |cs: &[&str]| cs.iter().map(|c| IssueCode::new(*c)).collect();
        PatternSettings {
            elderly_min_age: 70,
            middle_age: AgeRange { min: 40, max: 64 },
            withdrawal_issues: codes(&["hikikomori", "social_isolation", "mental_health"]),
            no_income_issues: codes(&["income_living_costs", "job_search"]),
            no_income_employment: vec![Employment::Unemployed],
            child_max_age: 17,
            care_recipient_min_age: 65,
            care_need_issues: codes(&["long_term_care", "hospital_discharge", "dementia"]),
            infer_carers: true,
            young_carer_max_age: 17,
            multi_problem_min_domains: 3,
            isolation_domains: vec![Domain::Isolation],
            window_elderly_min_age: 65,
            window_child_max_age: 17,
            window_child_rearing_issues: codes(&[
                "child_rearing",
                "school_refusal",
                "developmental_concern",
                "learning_support",
            ]),
            window_poverty_issues: codes(&[
                "income_living_costs",
                "debt",
                "rent_loan_payment",
                "tax_utility_payment",
                "no_food",
                "household_budgeting",
                "job_search",
                "unstable_housing",
                "medical_costs",
            ]),
            window_poverty_employment: vec![Employment::Unemployed],
            window_universal_domains: vec![Domain::HealthMedical, Domain::Work],
            window_universal_issues: codes(&[
                "dv",
                "legal_trouble",
                "disaster_recovery",
                "disaster_loan_repayment",
                "wide_area_evacuee",
                "other",
            ]),
        }
    }
}

/// Parent–child pairs by relation to the head (続柄), as (parent's relation, child's relation):
/// the head or spouse and a child, a parent of the head and the head or a sibling, a grandparent
/// and a parent, a child and a grandchild.
pub const PARENT_CHILD: &[(Relation, Relation)] = &[
    (Relation::Head, Relation::Child),
    (Relation::Spouse, Relation::Child),
    (Relation::Parent, Relation::Head),
    (Relation::Parent, Relation::Sibling),
    (Relation::Grandparent, Relation::Parent),
    (Relation::Child, Relation::Grandchild),
];

/// Detect every composite pattern in `household` on `today` (rules in the module docs).
pub fn detect_patterns(
    household: &Household,
    tax: &Taxonomies,
    directory: &Directory,
    settings: &PatternSettings,
    today: NaiveDate,
) -> Vec<PatternFinding> {
    let cx = Cx {
        household,
        tax,
        settings,
        today,
    };
    let mut out = Vec::new();
    cx.eighty_fifty(&mut out);
    cx.double_care(&mut out);
    cx.young_carer(&mut out);
    cx.multi_problem(&mut out);
    cx.isolated(&mut out);
    cx.service_gap(directory, &mut out);
    out.sort_by(|a, b| {
        a.pattern
            .cmp(&b.pattern)
            .then_with(|| a.evidence.members.cmp(&b.evidence.members))
    });
    out
}

struct Cx<'a> {
    household: &'a Household,
    tax: &'a Taxonomies,
    settings: &'a PatternSettings,
    today: NaiveDate,
}

/// An issue with the member it belongs to (`None`: the household).
type Owned<'a> = (Option<&'a Person>, &'a IssueCode);

fn fact(ja: String, en: String) -> Label {
    Label { ja, en }
}

fn relation_ja(r: Relation) -> &'static str {
    match r {
        Relation::Head => "世帯主",
        Relation::Spouse => "配偶者",
        Relation::Child => "子",
        Relation::ChildInLaw => "子の配偶者",
        Relation::Parent => "親",
        Relation::Grandparent => "祖父母",
        Relation::Grandchild => "孫",
        Relation::Sibling => "兄弟姉妹",
        Relation::Other => "その他",
    }
}

fn relation_en(r: Relation) -> &'static str {
    match r {
        Relation::Head => "head of household",
        Relation::Spouse => "spouse",
        Relation::Child => "child",
        Relation::ChildInLaw => "child-in-law",
        Relation::Parent => "parent",
        Relation::Grandparent => "grandparent",
        Relation::Grandchild => "grandchild",
        Relation::Sibling => "sibling",
        Relation::Other => "other",
    }
}

fn employment_labels(e: Employment) -> (&'static str, &'static str) {
    match e {
        Employment::FullTime => ("正規雇用", "employed full-time"),
        Employment::PartTime => ("非正規・パート", "employed part-time"),
        Employment::SelfEmployed => ("自営", "self-employed"),
        Employment::Unemployed => ("無職", "unemployed"),
        Employment::Student => ("学生", "a student"),
        Employment::Retired => ("退職", "retired"),
    }
}

fn issue_ref(member: Option<&Person>, code: &IssueCode) -> IssueRef {
    IssueRef {
        member: member.map(|m| m.id.clone()),
        code: code.clone(),
    }
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

impl Cx<'_> {
    fn age(&self, p: &Person) -> Option<u32> {
        p.age_on(self.today)
    }

    fn has_issue_in(&self, p: &Person, codes: &[IssueCode]) -> bool {
        p.current_issues().any(|i| codes.contains(i))
    }

    fn domain_of(&self, code: &IssueCode) -> Option<Domain> {
        self.tax.issue(code).map(|c| c.domain)
    }

    /// "p2 has issue hikikomori (ひきこもり)" — or "the household has …".
    fn issue_fact(&self, member: Option<&Person>, code: &IssueCode) -> Label {
        let (ja_label, en_label) = match self.tax.issue(code) {
            Some(c) => (c.ja.as_str(), c.en.as_str()),
            None => ("", ""),
        };
        match member {
            Some(p) => fact(
                format!("{} に課題 {code}（{ja_label}）", p.id),
                format!("{} has issue {code} ({en_label})", p.id),
            ),
            None => fact(
                format!("世帯に課題 {code}（{ja_label}）"),
                format!("the household has issue {code} ({en_label})"),
            ),
        }
    }

    fn age_fact(&self, p: &Person, age: u32) -> Label {
        fact(
            format!("{} は{age}歳（{}）", p.id, relation_ja(p.relation)),
            format!("{} is {age} ({})", p.id, relation_en(p.relation)),
        )
    }

    fn care_need(&self, p: &Person) -> bool {
        p.care_level.is_some() || self.has_issue_in(p, &self.settings.care_need_issues)
    }

    fn is_child(&self, p: &Person) -> bool {
        self.age(p)
            .is_some_and(|a| a <= self.settings.child_max_age)
    }

    fn eighty_fifty(&self, out: &mut Vec<PatternFinding>) {
        let s = self.settings;
        let members = &self.household.members;
        for parent in members {
            let Some(parent_age) = self.age(parent).filter(|a| *a >= s.elderly_min_age) else {
                continue;
            };
            for child in members {
                if child.id == parent.id
                    || !PARENT_CHILD.contains(&(parent.relation, child.relation))
                {
                    continue;
                }
                let Some(child_age) = self.age(child).filter(|a| s.middle_age.contains(*a)) else {
                    continue;
                };
                let mut issues = Vec::new();
                let mut facts = vec![
                    fact(
                        format!(
                            "{} は{parent_age}歳（親世代・{}）",
                            parent.id,
                            relation_ja(parent.relation)
                        ),
                        format!(
                            "{} is {parent_age} (parent generation, {})",
                            parent.id,
                            relation_en(parent.relation)
                        ),
                    ),
                    fact(
                        format!(
                            "{} は{child_age}歳（{} の子・{}）",
                            child.id,
                            parent.id,
                            relation_ja(child.relation)
                        ),
                        format!(
                            "{} is {child_age} (child of {}, {})",
                            child.id,
                            parent.id,
                            relation_en(child.relation)
                        ),
                    ),
                ];
                for code in child.current_issues() {
                    let withdrawn = s.withdrawal_issues.contains(code);
                    let no_income = s.no_income_issues.contains(code);
                    if withdrawn || no_income {
                        push_unique(&mut issues, issue_ref(Some(child), code));
                        facts.push(self.issue_fact(Some(child), code));
                    }
                }
                if let Some(e) = child
                    .employment
                    .filter(|e| s.no_income_employment.contains(e))
                {
                    let (ja, en) = employment_labels(e);
                    facts.push(fact(
                        format!("{} の就労状況: {ja}", child.id),
                        format!("{} is {en}", child.id),
                    ));
                } else if issues.is_empty() {
                    continue;
                }
                out.push(PatternFinding {
                    pattern: Pattern::EightyFifty,
                    evidence: Evidence {
                        members: vec![parent.id.clone(), child.id.clone()],
                        issues,
                        domains: Vec::new(),
                        facts,
                    },
                });
            }
        }
    }

    /// The child and elderly members `carer` cares for (explicitly, or by inference).
    fn double_care_of<'p>(
        &self,
        carer: &Person,
        cared: &[&'p Person],
        inferred: bool,
    ) -> Option<(Vec<&'p Person>, Vec<&'p Person>)> {
        let s = self.settings;
        let children: Vec<&Person> = cared
            .iter()
            .copied()
            .filter(|p| p.id != carer.id && self.is_child(p))
            .collect();
        let elderly: Vec<&Person> = cared
            .iter()
            .copied()
            .filter(|p| {
                let old = self.age(p).is_some_and(|a| a >= s.care_recipient_min_age);
                p.id != carer.id
                    && !children.iter().any(|c| c.id == p.id)
                    && if inferred {
                        old && self.care_need(p)
                    } else {
                        old || self.care_need(p)
                    }
            })
            .collect();
        (!children.is_empty() && !elderly.is_empty()).then_some((children, elderly))
    }

    fn double_care(&self, out: &mut Vec<PatternFinding>) {
        let h = self.household;
        let s = self.settings;
        let any_recorded = h.members.iter().any(|m| !m.cares_for.is_empty());
        for carer in &h.members {
            let (cared, inferred): (Vec<&Person>, bool) = if any_recorded {
                let cared = h
                    .members
                    .iter()
                    .filter(|m| carer.cares_for.contains(&m.id))
                    .collect();
                (cared, false)
            } else if s.infer_carers && carer.single_parent && !self.is_child(carer) {
                (h.members.iter().collect(), true)
            } else {
                continue;
            };
            let Some((children, elderly)) = self.double_care_of(carer, &cared, inferred) else {
                continue;
            };
            let mut facts = Vec::new();
            if inferred {
                facts.push(fact(
                    format!(
                        "{} はひとり親で、世帯に介護・世話の記録がないため担い手と推定",
                        carer.id
                    ),
                    format!(
                        "{} is a single parent and no care roles are recorded: inferred carer",
                        carer.id
                    ),
                ));
            }
            let verb = if inferred {
                ("を世話していると推定", "presumably cares for")
            } else {
                ("を世話している", "cares for")
            };
            let mut members = vec![carer.id.clone()];
            let mut issues = Vec::new();
            for c in &children {
                members.push(c.id.clone());
                let age = self.age(c).unwrap_or_default();
                facts.push(fact(
                    format!("{} は{}（子ども、{age}歳）{}", carer.id, c.id, verb.0),
                    format!("{} {} {} (a child, {age})", carer.id, verb.1, c.id),
                ));
            }
            for e in &elderly {
                members.push(e.id.clone());
                let age = match self.age(e) {
                    Some(a) => (format!("{a}歳"), format!("{a}")),
                    None => ("年齢不明".to_string(), "age unknown".to_string()),
                };
                facts.push(fact(
                    format!(
                        "{} は{}（高齢・要介護、{}）{}",
                        carer.id, e.id, age.0, verb.0
                    ),
                    format!(
                        "{} {} {} (elderly or needing care, {})",
                        carer.id, verb.1, e.id, age.1
                    ),
                ));
                if let Some(level) = &e.care_level {
                    facts.push(fact(
                        format!("{} は {level}", e.id),
                        format!("{} has care level {level}", e.id),
                    ));
                }
                for code in e
                    .current_issues()
                    .filter(|i| s.care_need_issues.contains(i))
                {
                    push_unique(&mut issues, issue_ref(Some(e), code));
                    facts.push(self.issue_fact(Some(e), code));
                }
            }
            out.push(PatternFinding {
                pattern: Pattern::DoubleCare,
                evidence: Evidence {
                    members,
                    issues,
                    domains: Vec::new(),
                    facts,
                },
            });
        }
    }

    fn young_carer(&self, out: &mut Vec<PatternFinding>) {
        let h = self.household;
        for carer in &h.members {
            let Some(age) = self
                .age(carer)
                .filter(|a| *a <= self.settings.young_carer_max_age)
            else {
                continue;
            };
            let cared: Vec<&Person> = h
                .members
                .iter()
                .filter(|m| m.id != carer.id && carer.cares_for.contains(&m.id))
                .collect();
            if cared.is_empty() {
                continue;
            }
            let mut members = vec![carer.id.clone()];
            let mut issues = Vec::new();
            let mut facts = vec![self.age_fact(carer, age)];
            for c in cared {
                members.push(c.id.clone());
                facts.push(fact(
                    format!("{}（{}歳）は{} を世話している", carer.id, age, c.id),
                    format!("{} (aged {age}) cares for {}", carer.id, c.id),
                ));
                for code in c.current_issues() {
                    push_unique(&mut issues, issue_ref(Some(c), code));
                    facts.push(self.issue_fact(Some(c), code));
                }
            }
            out.push(PatternFinding {
                pattern: Pattern::YoungCarer,
                evidence: Evidence {
                    members,
                    issues,
                    domains: Vec::new(),
                    facts,
                },
            });
        }
    }

    fn multi_problem(&self, out: &mut Vec<PatternFinding>) {
        let mut by_domain: Vec<(Domain, Vec<Owned<'_>>)> = Vec::new();
        for (member, code) in self.household.current_issues() {
            let Some(d) = self.domain_of(code) else {
                continue;
            };
            match by_domain.iter_mut().find(|(dd, _)| *dd == d) {
                Some((_, v)) => v.push((member, code)),
                None => by_domain.push((d, vec![(member, code)])),
            }
        }
        if by_domain.len() < self.settings.multi_problem_min_domains.max(1) {
            return;
        }
        by_domain.sort_by_key(|(d, _)| *d);
        let mut members = Vec::new();
        let mut issues = Vec::new();
        let mut facts = Vec::new();
        for (d, list) in &by_domain {
            let label = d.label();
            let who = |(m, c): &Owned<'_>, ja: bool| match m {
                Some(p) => format!("{} {c}", p.id),
                None if ja => format!("世帯 {c}"),
                None => format!("household {c}"),
            };
            facts.push(fact(
                format!(
                    "{}: {}",
                    label.ja,
                    list.iter()
                        .map(|x| who(x, true))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!(
                    "{}: {}",
                    label.en,
                    list.iter()
                        .map(|x| who(x, false))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            for (m, c) in list {
                if let Some(p) = m {
                    push_unique(&mut members, p.id.clone());
                }
                push_unique(&mut issues, issue_ref(*m, c));
            }
        }
        facts.insert(
            0,
            fact(
                format!("課題が{}分野にわたる", by_domain.len()),
                format!("issues span {} domains", by_domain.len()),
            ),
        );
        // Members in document order.
        members.sort_by_key(|id| self.household.members.iter().position(|m| &m.id == id));
        out.push(PatternFinding {
            pattern: Pattern::MultiProblem,
            evidence: Evidence {
                members,
                issues,
                domains: by_domain.iter().map(|(d, _)| *d).collect(),
                facts,
            },
        });
    }

    fn isolation_issue(&self, code: &IssueCode) -> bool {
        self.domain_of(code)
            .is_some_and(|d| self.settings.isolation_domains.contains(&d))
    }

    fn isolated(&self, out: &mut Vec<PatternFinding>) {
        let h = self.household;
        let mut members: Vec<PersonId> = Vec::new();
        let mut issues = Vec::new();
        let mut facts = Vec::new();
        // (a) household-level isolation issue.
        for code in h.own_current_issues().filter(|c| self.isolation_issue(c)) {
            push_unique(&mut issues, issue_ref(None, code));
            facts.push(self.issue_fact(None, code));
        }
        // (b) every member has an isolation issue.
        if !h.members.is_empty()
            && h.members
                .iter()
                .all(|m| m.current_issues().any(|c| self.isolation_issue(c)))
        {
            facts.push(fact(
                "世帯員全員に孤立の課題がある".into(),
                "every member has an isolation issue".into(),
            ));
            for m in &h.members {
                push_unique(&mut members, m.id.clone());
                for code in m.current_issues().filter(|c| self.isolation_issue(c)) {
                    push_unique(&mut issues, issue_ref(Some(m), code));
                    facts.push(self.issue_fact(Some(m), code));
                }
            }
        }
        let supportive = |t: &crate::household::Tie| {
            t.strength == TieStrength::Strong
                || (t.strength == TieStrength::Weak && matches!(t.with, TieParty::Informal { .. }))
        };
        let any_supportive = h.ties.iter().any(supportive);
        // (c) ties recorded, none supportive.
        if !h.ties.is_empty() && !any_supportive {
            facts.push(fact(
                format!(
                    "エコマップの関係{}件のうち、強い関係もインフォーマルな支えもない",
                    h.ties.len()
                ),
                format!(
                    "{} eco-map ties recorded, none strong and no informal support",
                    h.ties.len()
                ),
            ));
            for t in &h.ties {
                if let Some(m) = &t.member {
                    push_unique(&mut members, m.clone());
                }
            }
        }
        // (d) nobody engages with support, and no supportive tie.
        if !h.members.is_empty()
            && !any_supportive
            && h.members
                .iter()
                .all(|m| m.engagement != Engagement::Engaged)
        {
            facts.push(fact(
                "世帯員の誰も支援につながっておらず、支えとなる関係の記録もない".into(),
                "no member engages with support and no supportive tie is recorded".into(),
            ));
            for m in &h.members {
                push_unique(&mut members, m.id.clone());
                let (ja, en) = match m.engagement {
                    Engagement::Refuses => ("支援を拒否", "refuses support"),
                    _ => ("支援につながっていない", "is not engaging with support"),
                };
                facts.push(fact(format!("{} は{ja}", m.id), format!("{} {en}", m.id)));
            }
        }
        if facts.is_empty() {
            return;
        }
        members.sort_by_key(|id| h.members.iter().position(|m| &m.id == id));
        out.push(PatternFinding {
            pattern: Pattern::Isolated,
            evidence: Evidence {
                members,
                issues,
                domains: Vec::new(),
                facts,
            },
        });
    }

    /// Whether a window open to everyone takes the issue whatever the person's attributes.
    pub(crate) fn universal(&self, code: &IssueCode) -> bool {
        let s = self.settings;
        s.window_universal_issues.contains(code)
            || self
                .domain_of(code)
                .is_some_and(|d| s.window_universal_domains.contains(&d))
    }

    /// Whether some statutory attribute window fits `p` (see the module docs, 制度の狭間 (a)).
    pub(crate) fn fits_a_window(&self, p: &Person) -> bool {
        let s = self.settings;
        let age = self.age(p);
        age.is_some_and(|a| a >= s.window_elderly_min_age)
            || p.care_level.is_some()
            || !p.disabilities.is_empty()
            || age.is_some_and(|a| a <= s.window_child_max_age)
            || p.public_assistance
            || self.has_issue_in(p, &s.window_child_rearing_issues)
            || self.has_issue_in(p, &s.window_poverty_issues)
            || p.employment
                .is_some_and(|e| s.window_poverty_employment.contains(&e))
    }

    fn service_gap(&self, directory: &Directory, out: &mut Vec<PatternFinding>) {
        let h = self.household;
        let mut members = Vec::new();
        let mut issues = Vec::new();
        let mut facts = Vec::new();
        // (a) needs of people no statutory window fits.
        let mut no_window = |p: Option<&Person>, codes: Vec<&IssueCode>| {
            if codes.is_empty() {
                return;
            }
            let who = match p {
                Some(p) => {
                    push_unique(&mut members, p.id.clone());
                    let age = match self.age(p) {
                        Some(a) => (format!("{a}歳"), format!("aged {a}")),
                        None => ("年齢不明".to_string(), "age unknown".to_string()),
                    };
                    (
                        format!("{}（{}）", p.id, age.0),
                        format!("{} ({})", p.id, age.1),
                    )
                }
                None => ("世帯".to_string(), "the household".to_string()),
            };
            facts.push(fact(
                format!(
                    "{} は高齢・要介護・障害・子ども・生活保護・生活困窮のいずれの窓口の対象にもならない",
                    who.0
                ),
                format!(
                    "no statutory window fits {}: not elderly, no care level, no disability certificate, not a child or a parent's child-rearing concern, not on public assistance, no financial hardship",
                    who.1
                ),
            ));
            for code in codes {
                push_unique(&mut issues, issue_ref(p, code));
                facts.push(self.issue_fact(p, code));
            }
        };
        let mut anyone_fits = false;
        for m in &h.members {
            if self.fits_a_window(m) {
                anyone_fits = true;
            } else {
                no_window(
                    Some(m),
                    m.current_issues().filter(|c| !self.universal(c)).collect(),
                );
            }
        }
        if !anyone_fits {
            no_window(
                None,
                h.own_current_issues()
                    .filter(|c| !self.universal(c))
                    .collect(),
            );
        }
        // (b) issues no agency in the directory covers.
        for (member, code) in h.current_issues() {
            if directory
                .covering(code, member, h, self.tax, self.today)
                .next()
                .is_some()
            {
                continue;
            }
            let r = issue_ref(member, code);
            if issues.contains(&r) {
                continue;
            }
            issues.push(r);
            if let Some(p) = member {
                push_unique(&mut members, p.id.clone());
            }
            let who = match member {
                Some(p) => (format!("{} の", p.id), format!("for {}", p.id)),
                None => ("世帯の".to_string(), "for the household".to_string()),
            };
            facts.push(fact(
                format!("{}課題 {code} に対応する窓口が名簿にない", who.0),
                format!("no agency in the directory covers issue {code} {}", who.1),
            ));
        }
        if issues.is_empty() {
            return;
        }
        members.sort_by_key(|id| h.members.iter().position(|m| &m.id == id));
        out.push(PatternFinding {
            pattern: Pattern::ServiceGap,
            evidence: Evidence {
                members,
                issues,
                domains: Vec::new(),
                facts,
            },
        });
    }
}

#[cfg(test)]
mod tests;
