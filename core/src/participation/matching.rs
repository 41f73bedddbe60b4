//! Matching (マッチング): ranked candidate resources for one person, with reasons.

use super::gap::{GapSuggestion, Need};
use super::resource::{Accessibility, Audience, ResourceDirectory, ResourceKinds, SocialResource};
use super::{Day, ParticipationError, ResourceId, ResourceKindCode, WishCode};
use crate::household::{Household, Person, Relation};
use crate::ids::*;
use crate::taxonomy::{Label, Taxonomies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How far a person can go (移動できる範囲), finest first. Used both as the constraint and as the
/// fit of a resource's area to the household's area.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Within the household's 小地域 / 小学校区.
    SmallArea,
    /// Within its 日常生活圏域 / 中学校区.
    DailyLifeArea,
    /// Within its 区 / 総合支所 area.
    Ward,
    /// Municipality-wide resources (a resource with no areas) also fit.
    Municipality,
    /// Anywhere, including resources listed for other areas.
    #[default]
    Anywhere,
}

/// Constraints (条件) a candidate must meet; a resource that fails one is not a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Days the person can attend; empty means any day. A resource held on none of them is
    /// excluded (a resource with no fixed days is by arrangement and always fits).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub days_available: BTreeSet<Day>,
    /// Accessibility the person needs; a resource must offer every one.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub requires: BTreeSet<Accessibility>,
    /// How far the person can go.
    #[serde(default)]
    pub max_reach: Reach,
}

/// A matching request (マッチングの依頼): whom to match, their wishes and constraints. A serde
/// type so the journal can record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// The person (a member of the household).
    pub person: PersonId,
    /// Wishes (本人の希望): resource kind codes or keywords matched against resource tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wishes: Vec<WishCode>,
    /// Needs the match should address, as issue codes. Empty: the person's own and household
    /// issues, and those of the members they care for, are used for scoring. Only stated wishes
    /// and needs are reported as resource gaps when unmet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<IssueCode>,
    /// Constraints.
    #[serde(default)]
    pub constraints: Constraints,
}

/// Points each kind of fit adds to a candidate's score. Tunable data; the defaults put serving
/// the person's need first, then the wish, then nearness, with small bonuses for practical fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MatchWeights {
    /// Held in the household's small area.
    pub small_area: u32,
    /// Held in its daily-life area.
    pub daily_life_area: u32,
    /// Held in its ward.
    pub ward: u32,
    /// Municipality-wide.
    pub municipality: u32,
    /// Per target issue matched (the person's own, or a family member's for carers' resources).
    pub target_issue: u32,
    /// Per target certificate kind matched.
    pub target_certificate: u32,
    /// Per wish matched.
    pub wish: u32,
    /// The person's age is inside a stated target age range.
    pub age_fits: u32,
    /// Held on a day the person is available.
    pub day_fits: u32,
    /// Has free places.
    pub has_capacity: u32,
    /// Per required accessibility feature offered.
    pub accessibility: u32,
}

impl Default for MatchWeights {
    fn default() -> Self {
        MatchWeights {
            small_area: 30,
            daily_life_area: 20,
            ward: 10,
            municipality: 5,
            target_issue: 40,
            target_certificate: 15,
            wish: 25,
            age_fits: 5,
            day_fits: 5,
            has_capacity: 5,
            accessibility: 3,
        }
    }
}

/// One reason a candidate scored (理由), like a routing explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Stable code: `area_small_area`, `area_daily_life_area`, `area_ward`, `area_municipality`,
    /// `target_issue`, `target_issue_family`, `target_certificate`, `target_certificate_family`,
    /// `wish_kind`, `wish_tag`, `age_fits`, `day_fits`, `has_capacity`, `accessibility`.
    pub code: String,
    /// The code the reason is about (area, issue, certificate kind, wish, day, feature), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Points added.
    pub points: u32,
    /// Explanation for practitioners.
    pub label: Label,
}

/// A candidate resource (候補) with its score and reasons, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// The resource.
    pub resource: ResourceId,
    /// Its kind.
    pub kind: ResourceKindCode,
    /// Its contact agency.
    pub contact: AgencyId,
    /// Total points (sum of the reasons).
    pub score: u32,
    /// How close the resource is.
    pub reach: Reach,
    /// Why it scored, in a fixed order (area, target, wish, age, day, capacity, accessibility).
    pub reasons: Vec<Reason>,
}

fn label(ja: String, en: String) -> Label {
    Label { ja, en }
}

/// Issues and certificate kinds the person brings, split into their own and their family's.
struct Profile {
    age: Option<u32>,
    own_issues: Vec<IssueCode>,
    family_issues: Vec<IssueCode>,
    own_certs: Vec<CertificateKindCode>,
    family_certs: Vec<CertificateKindCode>,
}

fn push_unique<T: PartialEq + Clone>(v: &mut Vec<T>, x: &T) {
    if !v.contains(x) {
        v.push(x.clone());
    }
}

/// The members a person cares for: their `cares_for` list and, for the head or spouse, the
/// household's children under 18 (a parent is the carer of a minor child even when the form does
/// not say so; children of unknown age count, since a practitioner would ask rather than drop).
fn cared_for<'a>(person: &Person, household: &'a Household, today: NaiveDate) -> Vec<&'a Person> {
    let parent = matches!(person.relation, Relation::Head | Relation::Spouse);
    household
        .members
        .iter()
        .filter(|m| m.id != person.id)
        .filter(|m| {
            person.cares_for.contains(&m.id)
                || (parent
                    && m.relation == Relation::Child
                    && m.age_on(today).is_none_or(|a| a < 18))
        })
        .collect()
}

fn profile(
    person: &Person,
    household: &Household,
    req: &MatchRequest,
    today: NaiveDate,
) -> Profile {
    let mut own_issues = Vec::new();
    for i in person.current_issues().chain(
        household
            .issues
            .iter()
            .filter(|i| i.is_current())
            .map(|i| &i.code),
    ) {
        push_unique(&mut own_issues, i);
    }
    let mut family_issues = Vec::new();
    let mut own_certs = Vec::new();
    let mut family_certs = Vec::new();
    for c in &person.disabilities {
        push_unique(&mut own_certs, &c.kind);
    }
    for m in cared_for(person, household, today) {
        for i in m.current_issues() {
            push_unique(&mut family_issues, i);
        }
        for c in &m.disabilities {
            push_unique(&mut family_certs, &c.kind);
        }
    }
    if !req.needs.is_empty() {
        // Stated needs narrow the issues used; a stated need found nowhere is the person's own.
        own_issues.retain(|i| req.needs.contains(i));
        family_issues.retain(|i| req.needs.contains(i));
        for n in &req.needs {
            if !own_issues.contains(n) && !family_issues.contains(n) {
                own_issues.push(n.clone());
            }
        }
    }
    Profile {
        age: person.age_on(today),
        own_issues,
        family_issues,
        own_certs,
        family_certs,
    }
}

fn area_fit<'a>(
    resource: &SocialResource,
    household: &'a Household,
) -> (Reach, Option<&'a AreaCode>) {
    if resource.areas.is_empty() {
        return (Reach::Municipality, None);
    }
    let a = &household.area;
    for (level, code) in [
        (Reach::SmallArea, &a.small_area),
        (Reach::DailyLifeArea, &a.daily_life_area),
        (Reach::Ward, &a.ward),
    ] {
        if let Some(code) = code {
            if resource.areas.contains(code) {
                return (level, Some(code));
            }
        }
    }
    (Reach::Anywhere, None)
}

fn issue_label(tax: &Taxonomies, code: &IssueCode) -> (String, String) {
    match tax.issue(code) {
        Some(i) => (i.ja.clone(), i.en.clone()),
        None => (code.to_string(), code.to_string()),
    }
}

fn cert_label(tax: &Taxonomies, code: &CertificateKindCode) -> (String, String) {
    match tax.certificate_kinds().iter().find(|t| &t.code == code) {
        Some(t) => (t.ja.clone(), t.en.clone()),
        None => (code.to_string(), code.to_string()),
    }
}

fn score(
    r: &SocialResource,
    household: &Household,
    req: &MatchRequest,
    p: &Profile,
    kinds: &ResourceKinds,
    tax: &Taxonomies,
    w: &MatchWeights,
) -> Option<Candidate> {
    let c = &req.constraints;
    // Hard filters.
    let t = &r.target;
    if let Some(age) = p.age {
        if t.min_age.is_some_and(|m| age < m) || t.max_age.is_some_and(|m| age > m) {
            return None;
        }
    }
    let days: Vec<Day> = if r.days.is_empty() || c.days_available.is_empty() {
        Vec::new()
    } else {
        let d: Vec<Day> = r.days.intersection(&c.days_available).copied().collect();
        if d.is_empty() {
            return None;
        }
        d
    };
    if !c.requires.is_subset(&r.accessibility) {
        return None;
    }
    let (reach, area_code) = area_fit(r, household);
    if reach > c.max_reach {
        return None;
    }
    if r.capacity.is_some_and(|cap| cap.free() == 0) {
        return None;
    }

    let mut reasons = Vec::new();
    let mut add = |code: &str, subject: Option<String>, points: u32, ja: String, en: String| {
        reasons.push(Reason {
            code: code.to_string(),
            subject,
            points,
            label: label(ja, en),
        });
    };

    let area = area_code.map(|a| a.to_string());
    match reach {
        Reach::SmallArea => add(
            "area_small_area",
            area.clone(),
            w.small_area,
            format!("同じ小地域（{}）で開催", area.clone().unwrap_or_default()),
            format!("held in the same small area ({})", area.unwrap_or_default()),
        ),
        Reach::DailyLifeArea => add(
            "area_daily_life_area",
            area.clone(),
            w.daily_life_area,
            format!(
                "同じ日常生活圏域（{}）で開催",
                area.clone().unwrap_or_default()
            ),
            format!(
                "held in the same daily-life area ({})",
                area.unwrap_or_default()
            ),
        ),
        Reach::Ward => add(
            "area_ward",
            area.clone(),
            w.ward,
            format!("同じ区（{}）で開催", area.clone().unwrap_or_default()),
            format!("held in the same ward ({})", area.unwrap_or_default()),
        ),
        Reach::Municipality => add(
            "area_municipality",
            None,
            w.municipality,
            "市町村全域が対象".into(),
            "open to the whole municipality".into(),
        ),
        Reach::Anywhere => {}
    }

    // Target fit: issues and certificates, the person's own or a family member's.
    let own_ok = matches!(t.audience, Audience::Person | Audience::Both);
    let family_ok = matches!(t.audience, Audience::Carers | Audience::Both);
    let mut target_hit = false;
    for issue in &t.issues {
        let (ja, en) = issue_label(tax, issue);
        if own_ok && p.own_issues.contains(issue) {
            target_hit = true;
            add(
                "target_issue",
                Some(issue.to_string()),
                w.target_issue,
                format!("本人の課題に対応: {ja}"),
                format!("serves the person's issue: {en}"),
            );
        } else if family_ok && p.family_issues.contains(issue) {
            target_hit = true;
            add(
                "target_issue_family",
                Some(issue.to_string()),
                w.target_issue,
                format!("家族の課題に対応（家族・介護者向け）: {ja}"),
                format!("serves carers of a family member with: {en}"),
            );
        }
    }
    for cert in &t.certificates {
        let (ja, en) = cert_label(tax, cert);
        if own_ok && p.own_certs.contains(cert) {
            target_hit = true;
            add(
                "target_certificate",
                Some(cert.to_string()),
                w.target_certificate,
                format!("対象の手帳に該当: {ja}"),
                format!("serves holders of: {en}"),
            );
        } else if family_ok && p.family_certs.contains(cert) {
            target_hit = true;
            add(
                "target_certificate_family",
                Some(cert.to_string()),
                w.target_certificate,
                format!("家族が対象の手帳を所持: {ja}"),
                format!("serves families of holders of: {en}"),
            );
        }
    }
    // A resource for particular people is not a candidate for someone outside them.
    if (!t.issues.is_empty() || !t.certificates.is_empty()) && !target_hit {
        return None;
    }

    for wish in &req.wishes {
        if wish.as_str() == r.kind.as_str() {
            let (ja, en) = kinds
                .get(&r.kind)
                .map(|k| (k.ja.clone(), k.en.clone()))
                .unwrap_or_else(|| (r.kind.to_string(), r.kind.to_string()));
            add(
                "wish_kind",
                Some(wish.to_string()),
                w.wish,
                format!("希望する種別: {ja}"),
                format!("the kind the person wishes for: {en}"),
            );
        } else if r.tags.contains(wish) {
            add(
                "wish_tag",
                Some(wish.to_string()),
                w.wish,
                format!("希望に合う活動: {wish}"),
                format!("matches the wish: {wish}"),
            );
        }
    }

    if let (Some(age), true) = (p.age, t.min_age.is_some() || t.max_age.is_some()) {
        let range = format!(
            "{}–{}",
            t.min_age.map(|m| m.to_string()).unwrap_or_default(),
            t.max_age.map(|m| m.to_string()).unwrap_or_default()
        );
        add(
            "age_fits",
            Some(age.to_string()),
            w.age_fits,
            format!("対象年齢（{range}歳）に該当"),
            format!("age fits the target range ({range})"),
        );
    }
    if !days.is_empty() {
        let ja: Vec<&str> = days.iter().map(|d| d.ja()).collect();
        let en: Vec<String> = days
            .iter()
            .map(|d| {
                serde_json::to_value(d)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .collect();
        add(
            "day_fits",
            Some(en.join(",")),
            w.day_fits,
            format!("参加できる曜日に開催: {}", ja.join("・")),
            format!("held on a day the person can attend: {}", en.join(", ")),
        );
    }
    if let Some(cap) = r.capacity {
        add(
            "has_capacity",
            Some(cap.free().to_string()),
            w.has_capacity,
            format!("空きあり（残り{}）", cap.free()),
            format!("has free places ({} left)", cap.free()),
        );
    }
    for need in &c.requires {
        let l = need.label();
        let subject = serde_json::to_value(need)
            .ok()
            .and_then(|v| v.as_str().map(String::from));
        add(
            "accessibility",
            subject,
            w.accessibility,
            format!("必要な配慮あり: {}", l.ja),
            format!("offers what the person needs: {}", l.en),
        );
    }

    Some(Candidate {
        resource: r.id.clone(),
        kind: r.kind.clone(),
        contact: r.contact.clone(),
        score: reasons.iter().map(|x| x.points).sum(),
        reach,
        reasons,
    })
}

/// Candidate resources for `request.person`, best first, each with its reasons.
///
/// A resource is **excluded** when the person's known age is outside its target range, it is held
/// only on days the person cannot attend, it lacks a required accessibility feature, it is beyond
/// `max_reach`, it is full, or it targets particular issues or certificates the person (or, for
/// carers' resources, a member they care for) does not have. Every remaining resource is scored
/// by [`MatchWeights`]; ties break by nearness, then by resource id, so the order is
/// deterministic. Errors: `unknown_person` (`$.person`) when the person is not in the household.
pub fn match_candidates(
    household: &Household,
    request: &MatchRequest,
    directory: &ResourceDirectory,
    kinds: &ResourceKinds,
    tax: &Taxonomies,
    weights: &MatchWeights,
    today: NaiveDate,
) -> Result<Vec<Candidate>, ParticipationError> {
    let person =
        household
            .member(&request.person)
            .ok_or_else(|| ParticipationError::UnknownPerson {
                id: request.person.clone(),
                path: "$.person".into(),
            })?;
    let p = profile(person, household, request, today);
    let mut out: Vec<Candidate> = directory
        .resources()
        .iter()
        .filter_map(|r| score(r, household, request, &p, kinds, tax, weights))
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.reach.cmp(&b.reach))
            .then_with(|| a.resource.cmp(&b.resource))
    });
    Ok(out)
}

/// Resource-gap suggestions (社会資源の不足) from a match: every stated wish and need that no
/// candidate met, and, when there is no candidate at all and nothing was stated, a general
/// `participation` need. The area is the household's finest area code (小地域, else 日常生活圏域,
/// else 区); `None` when it has none. Suggestions carry no personal data.
pub fn gap_suggestions(
    household: &Household,
    request: &MatchRequest,
    candidates: &[Candidate],
) -> Vec<GapSuggestion> {
    let area = household.area.codes().next().cloned();
    let met = |codes: &[&str], subject: &str| {
        candidates.iter().any(|c| {
            c.reasons
                .iter()
                .any(|r| codes.contains(&r.code.as_str()) && r.subject.as_deref() == Some(subject))
        })
    };
    let mut out = Vec::new();
    for wish in &request.wishes {
        if !met(&["wish_kind", "wish_tag"], wish.as_str()) {
            out.push(GapSuggestion {
                area: area.clone(),
                need: Need::Wish { wish: wish.clone() },
            });
        }
    }
    for issue in &request.needs {
        if !met(&["target_issue", "target_issue_family"], issue.as_str()) {
            out.push(GapSuggestion {
                area: area.clone(),
                need: Need::Issue {
                    issue: issue.clone(),
                },
            });
        }
    }
    if candidates.is_empty() && out.is_empty() {
        out.push(GapSuggestion {
            area,
            need: Need::Participation,
        });
    }
    out
}
