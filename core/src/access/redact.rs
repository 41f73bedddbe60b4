//! Redacted views (閲覧範囲に絞った表示): a household and its persons cut down to the categories
//! a decision allows, with locating information hidden under an address restriction; and the
//! reads that decide, redact and log in one call ([`Access`]).
//!
//! Field → category is the disclosure view's (`disclosure::view`): identity — ids, name, birth
//! date, nationality, and here address, phone and whereabouts; household — relation, age, area,
//! employment, single parenthood, caring roles, engagement; health_disability — care level,
//! certificates, hospitalisation; finances — public assistance; relations — the eco-map; issues
//! by `disclosure::IssueCategories` (shown only when every category an issue reveals is).
//!
//! **Decisions.** (1) A list is redacted, not refused: [`Access::read_household`] always returns
//! a view, empty when nothing is allowed, and logs exactly one entry when something is allowed.
//! (2) Members with nothing shown are left out (as in a disclosure view); when identity is
//! withheld members are keyed `M1`, `M2` … in document order. (3) Whether a person is under an
//! address restriction is itself DV information: the view says so (`address_restricted`) only to
//! a requester who may see legal_criminal; to anyone else the fields are simply absent.

use super::log::{ViewEvent, ViewLog, ViewOutcome};
use super::policy::{AccessDecision, Action, CaseRelation, Policy, RecordKind, Requester};
use super::protect::{japan_date, ContactDetails, Protections};
use super::AccessError;
use crate::disclosure::{CaseView, IssueCategories};
use crate::household::{
    Area, DisabilityCertificate, Employment, Engagement, Household, Issue, Relation, Tie,
};
use crate::ids::*;
use crate::privacy::InfoCategory;
use crate::taxonomy::Taxonomies;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A household as one requester may see it: withheld fields are absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdView {
    /// Categories shown.
    pub shown: Vec<InfoCategory>,
    /// Household id (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// Area (household; hidden under an address restriction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    /// Members with something shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<PersonView>,
    /// Household-level issues that may be shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
    /// Eco-map ties (relations), members by key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ties: Vec<Tie>,
}

/// A person as shown: `None` (absent in JSON) means withheld or not recorded.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonView {
    /// The person id when identity is shown, else `M1`, `M2` … (document order).
    pub key: String,
    /// Name (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Birth date (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Foreign nationality (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_national: Option<bool>,
    /// Address (identity; hidden under an address restriction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Phone (identity; hidden under an address restriction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whereabouts (identity; hidden under an address restriction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whereabouts: Option<String>,
    /// Under an address restriction (shown only with legal_criminal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_restricted: Option<bool>,
    /// Relation to the head (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Age (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Employment (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    /// Single parent (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_parent: Option<bool>,
    /// Whom the member cares for, by key (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cares_for: Option<Vec<String>>,
    /// Engagement (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<Engagement>,
    /// Care level (health_disability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_level: Option<CareLevelCode>,
    /// Disability certificates (health_disability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disabilities: Vec<DisabilityCertificate>,
    /// In hospital (health_disability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hospitalised: Option<bool>,
    /// Receives public assistance (finances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_assistance: Option<bool>,
    /// Issues that may be shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
}

/// What a redacted view showed — what the view log records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shown {
    /// Categories shown (those the decision allows).
    pub categories: Vec<InfoCategory>,
    /// Persons in the view, by id.
    pub persons: Vec<PersonId>,
    /// Some address, phone or whereabouts was shown.
    pub locating: bool,
}

/// `household` cut down to what `decision` allows `worker` on `on`; `contacts` are the members'
/// locating information (any not of a member are ignored). Pure: nothing is logged (use
/// [`Access::read_household`] for a logged read).
pub fn redact_household(
    household: &Household,
    contacts: &[ContactDetails],
    decision: &AccessDecision,
    worker: &WorkerId,
    protections: &Protections,
    on: NaiveDate,
    tax: &Taxonomies,
) -> (HouseholdView, Shown) {
    let cats = decision.categories();
    let has = |c: InfoCategory| cats.contains(&c);
    let when = |c: InfoCategory| has(c).then_some(());
    let hidden = protections.hides_any(household.members.iter().map(|m| &m.id), worker, on);
    let table = IssueCategories::builtin();
    let issues_of = |issues: &[Issue]| -> Vec<Issue> {
        issues
            .iter()
            .filter(|i| table.visible(&i.code, tax, &cats))
            .cloned()
            .collect()
    };
    let key_of = |id: &PersonId| -> String {
        if has(InfoCategory::Identity) {
            return id.to_string();
        }
        match household.members.iter().position(|m| &m.id == id) {
            Some(i) => format!("M{}", i + 1),
            None => "M?".to_string(),
        }
    };
    let locating = when(InfoCategory::Identity).filter(|_| !hidden);
    let mut shown = Shown {
        categories: cats.clone(),
        ..Shown::default()
    };
    let mut members = Vec::new();
    for m in &household.members {
        let contact = locating.and_then(|_| contacts.iter().find(|c| c.person == m.id));
        let v = PersonView {
            key: key_of(&m.id),
            name: when(InfoCategory::Identity).and(m.name.clone()),
            birth_date: when(InfoCategory::Identity).and(m.birth_date),
            foreign_national: when(InfoCategory::Identity).map(|_| m.foreign_national),
            address: contact.and_then(|c| c.address.clone()),
            phone: contact.and_then(|c| c.phone.clone()),
            whereabouts: contact.and_then(|c| c.whereabouts.clone()),
            address_restricted: when(InfoCategory::LegalCriminal)
                .map(|_| protections.protected(&m.id, on)),
            relation: when(InfoCategory::Household).map(|_| m.relation),
            age: when(InfoCategory::Household).and(m.age_on(on)),
            employment: when(InfoCategory::Household).and(m.employment),
            single_parent: when(InfoCategory::Household).map(|_| m.single_parent),
            cares_for: when(InfoCategory::Household)
                .map(|_| m.cares_for.iter().map(&key_of).collect()),
            engagement: when(InfoCategory::Household).map(|_| m.engagement),
            care_level: when(InfoCategory::HealthDisability).and(m.care_level.clone()),
            disabilities: when(InfoCategory::HealthDisability)
                .map(|_| m.disabilities.clone())
                .unwrap_or_default(),
            hospitalised: when(InfoCategory::HealthDisability).map(|_| m.hospitalised),
            public_assistance: when(InfoCategory::Finances).map(|_| m.public_assistance),
            issues: issues_of(&m.issues),
        };
        let something = has(InfoCategory::Identity)
            || has(InfoCategory::Household)
            || !v.issues.is_empty()
            || v.care_level.is_some()
            || !v.disabilities.is_empty()
            || v.hospitalised == Some(true)
            || v.public_assistance == Some(true)
            || v.address_restricted == Some(true);
        if something {
            shown.locating |= v.address.is_some() || v.phone.is_some() || v.whereabouts.is_some();
            shown.persons.push(m.id.clone());
            members.push(v);
        }
    }
    let ties = if has(InfoCategory::Relations) && !hidden {
        household
            .ties
            .iter()
            .map(|t| Tie {
                member: t.member.as_ref().map(|p| PersonId::new(key_of(p))),
                with: t.with.clone(),
                strength: t.strength,
            })
            .collect()
    } else {
        Vec::new()
    };
    let view = HouseholdView {
        shown: cats.clone(),
        household: when(InfoCategory::Identity).map(|_| household.id.clone()),
        area: when(InfoCategory::Household)
            .filter(|_| !hidden)
            .map(|_| household.area.clone()),
        members,
        issues: issues_of(&household.issues),
        ties,
    };
    (view, shown)
}

/// Hide the locating information of a disclosure view (`disclosure::redact`'s [`CaseView`])
/// when a member of `household` is protected on `on`: an audience (an agency, a meeting) is
/// never a named worker. Removes the area and every eco-map tie (see the protection module's
/// docs). Returns whether anything was hidden. The integrator calls it on every
/// `CaseView` before it leaves the core (the book's disclosure preview and `disclose`).
pub fn protect_case_view(
    view: &mut CaseView,
    household: &Household,
    protections: &Protections,
    on: NaiveDate,
) -> bool {
    if !household
        .members
        .iter()
        .any(|m| protections.protected(&m.id, on))
    {
        return false;
    }
    view.area = None;
    view.ties.clear();
    true
}

/// Hide the locating facts of a routing result (`routing::Router::evaluate` / `explain`) for a
/// household with a protected member: every fact of kind `area` (世帯の地区) is removed. `worker`
/// is the worker who will see it (`None`: anyone — an export, a widget without a worker), hidden
/// unless named in every protection in force. Recommendations name agency kinds, not agencies,
/// so they stay. Returns whether anything was hidden.
pub fn protect_routing(
    routing: &mut crate::routing::Routing,
    household: &Household,
    protections: &Protections,
    worker: Option<&WorkerId>,
    on: NaiveDate,
) -> bool {
    let hidden = household.members.iter().any(|m| match worker {
        Some(w) => protections.hides(&m.id, w, on),
        None => protections.protected(&m.id, on),
    });
    if hidden {
        for r in &mut routing.recommendations {
            r.explanation.facts.retain(|f| f.kind != "area");
        }
    }
    hidden
}

/// What a read is about and who reads it, when.
#[derive(Debug, Clone, Copy)]
pub struct ReadRequest<'a> {
    /// Who.
    pub requester: &'a Requester,
    /// Every relation they hold to the case ([`super::CaseParties::relations_of`]).
    pub relations: &'a [CaseRelation],
    /// The categories disclosures of the case showed the requester's agency or a meeting they
    /// sat in (from the provision records; empty when none).
    pub disclosed: &'a [InfoCategory],
    /// The case the read is made in, when there is one.
    pub case: Option<&'a CaseId>,
    /// When (the date in Japan decides protections and ages).
    pub at: DateTime<Utc>,
}

/// A person's locating information as an explicit read returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactView {
    /// The person.
    pub person: PersonId,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whereabouts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whereabouts: Option<String>,
}

/// The reading side of the access module: a policy, the protections, and the taxonomies
/// (for which categories an issue reveals). Every read through it is decided, redacted and
/// logged.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    /// The access policy.
    pub policy: &'a Policy,
    /// The address restrictions.
    pub protections: &'a Protections,
    /// The taxonomies.
    pub tax: &'a Taxonomies,
}

impl Access<'_> {
    /// Read a household (a list or a case screen): decide, redact, and — when the policy
    /// allows any category — append exactly one entry to `log`. Never refused.
    pub fn read_household(
        &self,
        req: &ReadRequest<'_>,
        household: &Household,
        contacts: &[ContactDetails],
        log: &mut ViewLog,
    ) -> HouseholdView {
        let decision = self.policy.decide_with(
            req.requester,
            req.relations,
            req.disclosed,
            RecordKind::Household,
            Action::Read,
        );
        let on = japan_date(req.at);
        let (view, shown) = redact_household(
            household,
            contacts,
            &decision,
            &req.requester.worker,
            self.protections,
            on,
            self.tax,
        );
        if !decision.is_empty() {
            let rules: Vec<_> = decision.grants.iter().map(|g| g.rule.clone()).collect();
            log.append(&ViewEvent {
                at: req.at,
                requester: req.requester,
                relation: decision.relation,
                kind: RecordKind::Household,
                case: req.case,
                household: Some(&household.id),
                persons: &shown.persons,
                categories: &shown.categories,
                locating: shown.locating,
                rules: &rules,
                outcome: ViewOutcome::Shown,
                review: decision.review,
            });
        }
        view
    }

    /// Read one person's record (the person screen): decided as a record of kind `person`,
    /// redacted as in a household view (address, phone and whereabouts with identity, hidden
    /// under an address restriction), and logged as one entry naming only that person when
    /// something is shown. `Ok(None)` when nothing is (redacted, not refused: the screen shows
    /// that nothing may be shown); `unknown_person` (nothing logged) when `person` is not a
    /// member of `household`.
    pub fn read_person(
        &self,
        req: &ReadRequest<'_>,
        household: &Household,
        person: &PersonId,
        contacts: &[ContactDetails],
        log: &mut ViewLog,
    ) -> Result<Option<PersonView>, AccessError> {
        if household.member(person).is_none() {
            return Err(AccessError::UnknownPerson {
                person: person.clone(),
                household: household.id.clone(),
            });
        }
        let decision = self.policy.decide_with(
            req.requester,
            req.relations,
            req.disclosed,
            RecordKind::Person,
            Action::Read,
        );
        let on = japan_date(req.at);
        let (view, shown) = redact_household(
            household,
            contacts,
            &decision,
            &req.requester.worker,
            self.protections,
            on,
            self.tax,
        );
        let Some(i) = shown.persons.iter().position(|p| p == person) else {
            return Ok(None);
        };
        let pv = view.members.into_iter().nth(i);
        let locating = pv
            .as_ref()
            .is_some_and(|v| v.address.is_some() || v.phone.is_some() || v.whereabouts.is_some());
        let rules: Vec<_> = decision.grants.iter().map(|g| g.rule.clone()).collect();
        log.append(&ViewEvent {
            at: req.at,
            requester: req.requester,
            relation: decision.relation,
            kind: RecordKind::Person,
            case: req.case,
            household: Some(&household.id),
            persons: std::slice::from_ref(person),
            categories: &shown.categories,
            locating,
            rules: &rules,
            outcome: ViewOutcome::Shown,
            review: decision.review,
        });
        Ok(pv)
    }

    /// Read one person's address, phone and whereabouts explicitly (the person record's
    /// 連絡先 screen). Refused — and the refusal logged — with `address_restricted` when a member
    /// of the person's household is protected and the requester is not named, and with
    /// `access_denied` when the policy does not open identity of a person record; otherwise
    /// shown and logged. `unknown_person` (nothing logged) when `contact.person` is not a member
    /// of `household`.
    pub fn read_contact(
        &self,
        req: &ReadRequest<'_>,
        household: &Household,
        contact: &ContactDetails,
        log: &mut ViewLog,
    ) -> Result<ContactView, AccessError> {
        if household.member(&contact.person).is_none() {
            return Err(AccessError::UnknownPerson {
                person: contact.person.clone(),
                household: household.id.clone(),
            });
        }
        let on = japan_date(req.at);
        let decision = self.policy.decide_with(
            req.requester,
            req.relations,
            req.disclosed,
            RecordKind::Person,
            Action::Read,
        );
        let restricted = self.protections.hides_any(
            household.members.iter().map(|m| &m.id),
            &req.requester.worker,
            on,
        );
        let outcome = if restricted {
            ViewOutcome::AddressRestricted
        } else if !decision.allows(InfoCategory::Identity) {
            ViewOutcome::AccessDenied
        } else {
            ViewOutcome::Shown
        };
        let rules: Vec<_> = match outcome {
            ViewOutcome::Shown => decision
                .rule_for(InfoCategory::Identity)
                .into_iter()
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        log.append(&ViewEvent {
            at: req.at,
            requester: req.requester,
            relation: decision.relation,
            kind: RecordKind::Person,
            case: req.case,
            household: Some(&household.id),
            persons: std::slice::from_ref(&contact.person),
            categories: &[InfoCategory::Identity],
            locating: true,
            rules: &rules,
            outcome,
            review: outcome == ViewOutcome::Shown && decision.review,
        });
        match outcome {
            ViewOutcome::AddressRestricted => Err(AccessError::AddressRestricted {
                person: contact.person.clone(),
            }),
            ViewOutcome::AccessDenied => Err(AccessError::AccessDenied {
                kind: RecordKind::Person,
                category: InfoCategory::Identity,
            }),
            ViewOutcome::Shown => Ok(ContactView {
                person: contact.person.clone(),
                address: contact.address.clone(),
                phone: contact.phone.clone(),
                whereabouts: contact.whereabouts.clone(),
            }),
        }
    }
}

/// The categories disclosures of `case` showed `agency` (its provision records with an
/// [`crate::privacy::Audience::Agency`] of that id) whose basis still holds on `on`: a statute,
/// or a consent in effect that day — after a withdrawal, reading the record again would be a
/// new provision without a basis, so those categories close. In [`InfoCategory::ALL`] order;
/// what [`ReadRequest::disclosed`] takes. (A meeting audience names a meeting type, not the
/// meeting: the integrator adds what meetings the worker attended showed.)
pub fn disclosed_to_agency(
    records: &[crate::disclosure::ProvisionRecord],
    consents: &[crate::consent::ConsentRecord],
    case: &CaseId,
    agency: &AgencyId,
    on: NaiveDate,
) -> Vec<InfoCategory> {
    use crate::disclosure::Basis;
    use crate::privacy::Audience;
    let holds = |basis: &Basis| match basis {
        Basis::Statute(_) => true,
        Basis::Consent(id) => consents.iter().any(|c| &c.id == id && c.in_effect_on(on)),
    };
    InfoCategory::ALL
        .into_iter()
        .filter(|cat| {
            records.iter().any(|r| {
                &r.case == case
                    && matches!(&r.audience, Audience::Agency { id, .. } if id == agency)
                    && r.grants
                        .iter()
                        .any(|g| g.category == *cat && holds(&g.basis))
            })
        })
        .collect()
}
