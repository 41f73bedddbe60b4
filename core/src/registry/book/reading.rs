//! Reads as an actor (実行者としての閲覧): the queries that return personal data take the actor,
//! answer what the access policy allows for the actor's roles and relation to the case, hide
//! protected addresses, and append every allowed read (and every refused explicit read) to the
//! view log, which the book keeps (`view_store.rs`).
//!
//! **The wiring** (what `access` leaves to the integrator):
//! - *Requester*: the actor, authorised as for a command (`unknown_worker`,
//!   `worker_not_of_agency`, `worker_inactive`), with the roles of their roster entry.
//! - *Relations* ([`Registry::case_parties`]): 主担当 / 副担当 from the case team; the case's
//!   responsible window as the same agency; the agencies of the case's referrals (sender and
//!   receiver) and of its liaison contacts as other agencies; meeting members are the workers of
//!   the agencies that attended a meeting listing the case and acknowledged confidentiality
//!   (meetings record attending agencies, not persons: the careful reading is that each
//!   attending agency's workers are bound by the meeting's 守秘義務). A household read counts
//!   every relation the requester holds to any case of the household.
//! - *What was disclosed*: [`access::disclosed_to_agency`] over the case's provision records
//!   and consents on the day of the read (in Japan).
//! - *Contacts*: address and phones from the person master (`register_person`); a household
//!   member without a master record has none.
//!
//! **Decisions.** (1) The actor-less registry queries (`Registry::household`, `case`, `person`,
//! `timeline` …) stay: they are the application's internal access (replay, statistics, the
//! worklist, setup mode) and the host's own, trusted code; what a host shows a worker goes
//! through these methods (ARCHITECTURE.md "Reads"). (2) A list or screen is redacted, not
//! refused; an explicit read of address, phone or whereabouts is refused (`address_restricted`,
//! `access_denied`) and the refusal is logged; nothing else changes. (3) The view log itself is
//! read under the policy as a record of kind `view_log` (管理者 by the built-in policy).

use super::CaseBook;
use crate::access::{
    self, Access, CaseParties, ContactDetails, ContactView, HouseholdView, PersonView, ReadRequest,
    Requester, ViewLogRow, ViewRecord,
};
use crate::case::Case;
use crate::household::Household;
use crate::ids::*;
use crate::journal::Store;
use crate::privacy::InfoCategory;
use crate::registry::{Registry, RegistryError};
use crate::worker::Actor;
use crate::Error;
use chrono::{DateTime, Utc};

fn not_found(entity: &'static str, id: impl ToString, path: &str) -> Error {
    RegistryError::NotFound {
        entity,
        id: id.to_string(),
        path: path.into(),
    }
    .into()
}

impl Registry {
    /// The requester an actor reads as: authorised as for a command, with their roles.
    pub fn requester(&self, actor: &Actor) -> Result<Requester, Error> {
        self.staff().authorise(Some(actor))?;
        let roles = self
            .worker(&actor.worker)
            .map(|w| w.worker.roles.iter().cloned().collect())
            .unwrap_or_default();
        Ok(Requester {
            worker: actor.worker.clone(),
            agency: actor.agency.clone(),
            roles,
        })
    }

    /// Who is around `case` (see the module docs for how each party is found).
    pub fn case_parties(&self, case: &Case) -> CaseParties {
        let id = case.id();
        let team = self.case_team(id);
        let mut other_agencies: Vec<AgencyId> = Vec::new();
        let mut add = |a: &AgencyId| {
            if !other_agencies.contains(a) {
                other_agencies.push(a.clone());
            }
        };
        for r in self.referrals().iter().filter(|r| &r.case == id) {
            add(&r.from);
            add(&r.to);
        }
        for c in self
            .contacts()
            .iter()
            .filter(|c| c.case.as_ref() == Some(id))
        {
            add(&c.agency);
        }
        let attending: Vec<&AgencyId> = self
            .meetings()
            .filter(|m| m.cases.contains(id))
            .flat_map(|m| m.participants.iter())
            .filter(|p| p.acknowledged_confidentiality)
            .map(|p| &p.agency)
            .collect();
        let meeting_members = self
            .staff()
            .iter()
            .filter(|w| attending.contains(&&w.worker.agency))
            .map(|w| w.worker.id.clone())
            .collect();
        CaseParties {
            primary: team.map(|t| t.main.clone()),
            secondary: team
                .map(|t| t.sub.iter().cloned().collect())
                .unwrap_or_default(),
            agency: Some(case.responsible_window().clone()),
            other_agencies,
            meeting_members,
        }
    }

    /// Address and phone of each member of `household` held in the person master.
    pub fn contact_details(&self, household: &Household) -> Vec<ContactDetails> {
        household
            .members
            .iter()
            .filter_map(|m| {
                let p = self.person(&m.id)?;
                Some(ContactDetails {
                    person: m.id.clone(),
                    address: p.address.as_ref().and_then(|a| a.text.clone()),
                    phone: (!p.phones.is_empty()).then(|| p.phones.join(", ")),
                    whereabouts: None,
                })
            })
            .collect()
    }

    /// The cases of a household, by id.
    fn cases_of_household<'a>(&'a self, household: &'a HouseholdId) -> Vec<&'a Case> {
        self.cases()
            .filter(|c| c.household() == household)
            .collect()
    }

    /// Relations (union, closest first) and disclosed categories of `requester` to `cases`.
    fn standing(
        &self,
        requester: &Requester,
        cases: &[&Case],
        at: DateTime<Utc>,
    ) -> (Vec<access::CaseRelation>, Vec<InfoCategory>) {
        let on = access::japan_date(at);
        let mut relations = Vec::new();
        let mut disclosed = Vec::new();
        for case in cases {
            for r in self.case_parties(case).relations_of(requester) {
                if !relations.contains(&r) {
                    relations.push(r);
                }
            }
            for c in access::disclosed_to_agency(
                self.provisions(),
                self.consents(),
                case.id(),
                &requester.agency,
                on,
            ) {
                if !disclosed.contains(&c) {
                    disclosed.push(c);
                }
            }
        }
        if relations.len() > 1 {
            relations.retain(|r| *r != access::CaseRelation::None);
        }
        relations.sort();
        disclosed.sort_by_key(|c| InfoCategory::ALL.iter().position(|x| x == c));
        (relations, disclosed)
    }
}

/// The reads over a registry, with the policy and the log given (the book passes its own;
/// the conformance runner its per-vector ones).
impl Registry {
    /// Run one read: find the subject, build the request, call `read` (which appends to `log`).
    #[allow(clippy::too_many_arguments)]
    fn logged<T>(
        &self,
        policy: &access::Policy,
        log: &mut access::ViewLog,
        actor: &Actor,
        at: DateTime<Utc>,
        subject: impl for<'r> FnOnce(&'r Registry) -> Result<Subject<'r>, Error>,
        read: impl FnOnce(&Access<'_>, &ReadRequest<'_>, &Subject<'_>, &mut access::ViewLog) -> T,
    ) -> Result<T, Error> {
        let registry = self;
        let requester = registry.requester(actor)?;
        let subject = subject(registry)?;
        let (relations, disclosed) = registry.standing(&requester, &subject.cases, at);
        let req = ReadRequest {
            requester: &requester,
            relations: &relations,
            disclosed: &disclosed,
            case: subject.case,
            at,
        };
        let access = Access {
            policy,
            protections: registry.protections(),
            tax: registry.taxonomies(),
        };
        Ok(read(&access, &req, &subject, log))
    }

    /// A household as `actor` may see it at `at`: redacted to what the policy allows for the
    /// actor's roles and every relation they hold to any case of the household, protected
    /// addresses hidden; logged when anything is shown. Errors: the actor's
    /// (`unknown_worker` …), `not_found` at `$.household`, `storage`.
    pub fn read_household(
        &self,
        policy: &access::Policy,
        log: &mut access::ViewLog,
        actor: &Actor,
        household: &HouseholdId,
        at: DateTime<Utc>,
    ) -> Result<HouseholdView, Error> {
        self.logged(
            policy,
            log,
            actor,
            at,
            |r| subject_of_household(r, household),
            |a, req, s, log| a.read_household(req, s.household, &s.contacts, log),
        )
    }

    /// A case's screen (its household) as `actor` may see it at `at`, judged by the actor's
    /// relation to this case; logged with the case. Errors: as
    /// [`Registry::read_household`], `not_found` at `$.case`.
    pub fn read_case(
        &self,
        policy: &access::Policy,
        log: &mut access::ViewLog,
        actor: &Actor,
        case: &CaseId,
        at: DateTime<Utc>,
    ) -> Result<HouseholdView, Error> {
        self.logged(
            policy,
            log,
            actor,
            at,
            |r| subject_of_case(r, case),
            |a, req, s, log| a.read_household(req, s.household, &s.contacts, log),
        )
    }

    /// One person's record as `actor` may see it at `at` (`None`: nothing may be shown),
    /// judged by the actor's relations to the cases of the person's household. Errors: as
    /// [`Registry::read_household`], `not_found` at `$.person`.
    pub fn read_person(
        &self,
        policy: &access::Policy,
        log: &mut access::ViewLog,
        actor: &Actor,
        person: &PersonId,
        at: DateTime<Utc>,
    ) -> Result<Option<PersonView>, Error> {
        let out = self.logged(
            policy,
            log,
            actor,
            at,
            |r| subject_of_person(r, person),
            |a, req, s, log| a.read_person(req, s.household, person, &s.contacts, log),
        )?;
        Ok(out?)
    }

    /// An explicit read of a person's address, phone and whereabouts (連絡先) by `actor` at
    /// `at`. Refused and logged: `address_restricted` (a member of the household is protected
    /// and the actor is not named), `access_denied` (the policy does not open identity of a
    /// person record). Errors besides: as [`Registry::read_person`].
    pub fn read_contact(
        &self,
        policy: &access::Policy,
        log: &mut access::ViewLog,
        actor: &Actor,
        person: &PersonId,
        at: DateTime<Utc>,
    ) -> Result<ContactView, Error> {
        let out = self.logged(
            policy,
            log,
            actor,
            at,
            |r| subject_of_person(r, person),
            |a, req, s, log| {
                let contact = s
                    .contacts
                    .iter()
                    .find(|c| &c.person == person)
                    .cloned()
                    .unwrap_or(ContactDetails {
                        person: person.clone(),
                        address: None,
                        phone: None,
                        whereabouts: None,
                    });
                a.read_contact(req, s.household, &contact, log)
            },
        )?;
        Ok(out?)
    }

    /// The routing of a case's household (振り分けの提案と根拠) as `actor` may see it at `at`:
    /// `router` evaluated over the household, then (1) the explanations' facts kept only when
    /// the policy opens every category of the household to the actor — a fact names members'
    /// ages and issue codes, and an issue code may be 要配慮 (dv, a disability) — else every fact
    /// removed (the recommendations name agency kinds and stay); (2) facts of kind `area`
    /// removed under an address restriction that does not name the actor
    /// ([`access::protect_routing`]). A read that shows facts is logged with the categories
    /// opened. Errors: as [`Registry::read_case`].
    #[allow(clippy::too_many_arguments)] // the read's subject and the router's situation
    pub fn read_routing(
        &self,
        policy: &access::Policy,
        log: &mut access::ViewLog,
        actor: &Actor,
        router: &crate::routing::Router,
        case: &CaseId,
        situation: &crate::routing::Situation,
        at: DateTime<Utc>,
    ) -> Result<crate::routing::Routing, Error> {
        self.logged(
            policy,
            log,
            actor,
            at,
            |r| subject_of_case(r, case),
            |a, req, s, log| {
                let mut routing = router.evaluate(s.household, situation);
                let decision = a.policy.decide_with(
                    req.requester,
                    req.relations,
                    req.disclosed,
                    access::RecordKind::Household,
                    access::Action::Read,
                );
                let on = access::japan_date(at);
                let full = InfoCategory::ALL.iter().all(|c| decision.allows(*c));
                if !full {
                    for r in &mut routing.recommendations {
                        r.explanation.facts.clear();
                    }
                    return routing;
                }
                access::protect_routing(
                    &mut routing,
                    s.household,
                    a.protections,
                    Some(&req.requester.worker),
                    on,
                );
                let persons: Vec<PersonId> =
                    s.household.members.iter().map(|m| m.id.clone()).collect();
                let rules: Vec<_> = decision.grants.iter().map(|g| g.rule.clone()).collect();
                log.append(&access::ViewEvent {
                    at,
                    requester: req.requester,
                    relation: decision.relation,
                    kind: access::RecordKind::Household,
                    case: req.case,
                    household: Some(&s.household.id),
                    persons: &persons,
                    categories: &decision.categories(),
                    locating: false,
                    rules: &rules,
                    outcome: access::ViewOutcome::Shown,
                    review: decision.review,
                });
                routing
            },
        )
    }
}

impl Registry {
    /// The timeline of a case or a person (経過の一覧) as `actor` may see it at `at`: each item
    /// judged by the record kind it comes from (a transition is the case, an entry the support
    /// record …: `timeline_record_kind`) and the actor's
    /// relation to the item's case (a consent or a provision without a case: to every case of
    /// the subject's household) — an item the policy opens nothing of is left out, the rest
    /// shown as [`Registry::timeline`] gives them (summaries from codes and labels, no narrative).
    /// One view-log entry per case and record kind shown, with the categories and rules that
    /// opened it. Errors: the actor's (`unknown_worker` …), `not_found` at `$.case` /
    /// `$.person`.
    #[allow(clippy::too_many_arguments)] // the read's subject and the timeline's filter
    pub fn read_timeline(
        &self,
        policy: &access::Policy,
        log: &mut access::ViewLog,
        actor: &Actor,
        subject: &crate::record::TimelineSubject,
        filter: &crate::record::TimelineFilter,
        at: DateTime<Utc>,
    ) -> Result<Vec<crate::record::TimelineItem>, Error> {
        use crate::record::TimelineSubject;
        let requester = self.requester(actor)?;
        let items = self.timeline(subject, filter)?;
        let (person, household) = match subject {
            TimelineSubject::Case { case } => {
                let c = self
                    .case(case)
                    .ok_or_else(|| not_found("case", case, "$.case"))?;
                (c.subject().clone(), Some(c.household().clone()))
            }
            TimelineSubject::Person { person } => (
                person.clone(),
                self.households()
                    .find(|h| h.member(person).is_some())
                    .map(|h| h.id.clone()),
            ),
        };
        let household_cases: Vec<&Case> = household
            .as_ref()
            .map(|h| self.cases_of_household(h))
            .unwrap_or_default();
        // One decision per (case, record kind): a timeline has many items of few kinds.
        type Key = (Option<CaseId>, access::RecordKind);
        let mut decisions: Vec<(Key, access::AccessDecision)> = Vec::new();
        let mut shown_keys: Vec<Key> = Vec::new();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let key: Key = (item.case.clone(), timeline_record_kind(item.kind));
            let decision = match decisions.iter().find(|(k, _)| *k == key) {
                Some((_, d)) => d,
                None => {
                    let cases: Vec<&Case> = match &key.0 {
                        Some(c) => self.case(c).into_iter().collect(),
                        None => household_cases.clone(),
                    };
                    let (relations, disclosed) = self.standing(&requester, &cases, at);
                    let d = policy.decide_with(
                        &requester,
                        &relations,
                        &disclosed,
                        key.1,
                        access::Action::Read,
                    );
                    decisions.push((key.clone(), d));
                    &decisions.last().expect("just pushed").1
                }
            };
            if decision.is_empty() {
                continue;
            }
            if !shown_keys.contains(&key) {
                shown_keys.push(key);
            }
            out.push(item);
        }
        let persons = [person];
        for key in &shown_keys {
            let (_, decision) = decisions
                .iter()
                .find(|(k, _)| k == key)
                .expect("decided above");
            let rules: Vec<_> = decision.grants.iter().map(|g| g.rule.clone()).collect();
            log.append(&access::ViewEvent {
                at,
                requester: &requester,
                relation: decision.relation,
                kind: key.1,
                case: key.0.as_ref(),
                household: household.as_ref(),
                persons: &persons,
                categories: &decision.categories(),
                locating: false,
                rules: &rules,
                outcome: access::ViewOutcome::Shown,
                review: decision.review,
            });
        }
        Ok(out)
    }
}

/// The record kind of the access policy a timeline item is read as: transitions are the case,
/// plans and monitoring the plan, entries, outreach attempts and attachments the support record
/// (支援経過記録), and each other kind its own record.
fn timeline_record_kind(kind: crate::record::TimelineKind) -> access::RecordKind {
    use crate::record::TimelineKind as T;
    use access::RecordKind as R;
    match kind {
        T::CaseTransition => R::Case,
        T::Plan | T::Monitoring => R::Plan,
        T::Entry | T::Outreach | T::Attachment => R::RecordEntry,
        T::Contact => R::Contact,
        T::Referral => R::Referral,
        T::Meeting => R::Meeting,
        T::Disclosure => R::Disclosure,
        T::Consent => R::Consent,
    }
}

/// What a read is about: the household, its members' contacts, and the case when the read is
/// made in one.
struct Subject<'a> {
    household: &'a Household,
    contacts: Vec<ContactDetails>,
    case: Option<&'a CaseId>,
    cases: Vec<&'a Case>,
}

fn subject_of_case<'a>(registry: &'a Registry, case: &CaseId) -> Result<Subject<'a>, Error> {
    let c = registry
        .case(case)
        .ok_or_else(|| not_found("case", case, "$.case"))?;
    let household = registry
        .household(c.household())
        .ok_or_else(|| not_found("household", c.household(), "$.case"))?;
    Ok(Subject {
        household,
        contacts: registry.contact_details(household),
        case: Some(c.id()),
        cases: vec![c],
    })
}

fn subject_of_household<'a>(
    registry: &'a Registry,
    id: &HouseholdId,
) -> Result<Subject<'a>, Error> {
    let household = registry
        .household(id)
        .ok_or_else(|| not_found("household", id, "$.household"))?;
    let cases = registry.cases_of_household(&household.id);
    Ok(Subject {
        household,
        contacts: registry.contact_details(household),
        case: (cases.len() == 1).then(|| cases[0].id()),
        cases,
    })
}

fn subject_of_person<'a>(registry: &'a Registry, person: &PersonId) -> Result<Subject<'a>, Error> {
    let household = registry
        .households()
        .find(|h| h.member(person).is_some())
        .ok_or_else(|| not_found("person", person, "$.person"))?;
    subject_of_household(registry, &household.id)
}

impl<S: Store> CaseBook<S> {
    /// The view log (閲覧ログ) as the host holds it, unfiltered: for the host's own audit tools.
    /// A worker reads it through [`super::ActingBook::who_viewed`] and
    /// [`super::ActingBook::viewed_by`] (the policy's `view_log` record kind).
    pub fn view_log(&self) -> &access::ViewLog {
        &self.views.log
    }

    /// Check the view log's hash chain (the entries as held against the hashes stored with
    /// them): the number of entries, or `chain_broken` naming the first that fails.
    pub fn verify_view_log(&self) -> Result<usize, Error> {
        Ok(self.views.verify()?)
    }

    /// The access policy the book reads and authorises with (the built-in one unless the host
    /// set another with [`CaseBook::set_policy`]).
    pub fn policy(&self) -> &access::Policy {
        &self.policy
    }

    /// Use `policy` from now on (the municipality's policy, loaded with
    /// [`access::Policy::from_toml`] or [`access::Policy::extend_toml`]). The policy is the
    /// host's configuration, as the master key is: it is not journalled, and past events are not
    /// judged again under it.
    pub fn set_policy(&mut self, policy: access::Policy) {
        self.policy = std::borrow::Cow::Owned(policy);
    }

    /// [`Registry::read_household`] on the book's policy, the read kept in the book's view log (a
    /// storage failure fails the read: `storage`).
    pub fn read_household(
        &mut self,
        actor: &Actor,
        household: &HouseholdId,
        at: DateTime<Utc>,
    ) -> Result<HouseholdView, Error> {
        let before = self.views.len();
        let out =
            self.registry
                .read_household(&self.policy, &mut self.views.log, actor, household, at);
        self.views.persist_from(before)?;
        out
    }

    /// [`Registry::read_case`] on the book's policy, the read kept in the book's view log (a
    /// storage failure fails the read: `storage`).
    pub fn read_case(
        &mut self,
        actor: &Actor,
        case: &CaseId,
        at: DateTime<Utc>,
    ) -> Result<HouseholdView, Error> {
        let before = self.views.len();
        let out = self
            .registry
            .read_case(&self.policy, &mut self.views.log, actor, case, at);
        self.views.persist_from(before)?;
        out
    }

    /// [`Registry::read_person`] on the book's policy, the read kept in the book's view log (a
    /// storage failure fails the read: `storage`).
    pub fn read_person(
        &mut self,
        actor: &Actor,
        person: &PersonId,
        at: DateTime<Utc>,
    ) -> Result<Option<PersonView>, Error> {
        let before = self.views.len();
        let out = self
            .registry
            .read_person(&self.policy, &mut self.views.log, actor, person, at);
        self.views.persist_from(before)?;
        out
    }

    /// [`Registry::read_contact`] on the book's policy, the read kept in the book's view log (a
    /// storage failure fails the read: `storage`).
    pub fn read_contact(
        &mut self,
        actor: &Actor,
        person: &PersonId,
        at: DateTime<Utc>,
    ) -> Result<ContactView, Error> {
        let before = self.views.len();
        let out = self
            .registry
            .read_contact(&self.policy, &mut self.views.log, actor, person, at);
        self.views.persist_from(before)?;
        out
    }

    /// [`Registry::read_routing`] on the book's policy, the read kept in the book's view log (a
    /// storage failure fails the read: `storage`).
    pub fn read_routing(
        &mut self,
        actor: &Actor,
        router: &crate::routing::Router,
        case: &CaseId,
        situation: &crate::routing::Situation,
        at: DateTime<Utc>,
    ) -> Result<crate::routing::Routing, Error> {
        let before = self.views.len();
        let out = self.registry.read_routing(
            &self.policy,
            &mut self.views.log,
            actor,
            router,
            case,
            situation,
            at,
        );
        self.views.persist_from(before)?;
        out
    }

    /// [`Registry::read_timeline`] on the book's policy, the read kept in the book's view log
    /// (a storage failure fails the read: `storage`).
    pub fn read_timeline(
        &mut self,
        actor: &Actor,
        subject: &crate::record::TimelineSubject,
        filter: &crate::record::TimelineFilter,
        at: DateTime<Utc>,
    ) -> Result<Vec<crate::record::TimelineItem>, Error> {
        let before = self.views.len();
        let out = self.registry.read_timeline(
            &self.policy,
            &mut self.views.log,
            actor,
            subject,
            filter,
            at,
        );
        self.views.persist_from(before)?;
        out
    }

    /// The view log entries `actor` may read (kind `view_log` under the policy; relation
    /// `none`: the log is no case's record), or `access_denied`.
    fn log_reader(&self, actor: &Actor) -> Result<(), Error> {
        let requester = self.registry.requester(actor)?;
        self.policy.authorise(
            &requester,
            &[access::CaseRelation::None],
            access::RecordKind::ViewLog,
            access::Action::Read,
            &[],
        )?;
        Ok(())
    }

    /// Who looked at this person's record, as `actor` (管理者 by the built-in policy).
    pub fn who_viewed(&self, actor: &Actor, person: &PersonId) -> Result<Vec<ViewRecord>, Error> {
        self.log_reader(actor)?;
        Ok(self.views.log.who_viewed(person))
    }

    /// What this worker looked at, as `actor` (管理者 by the built-in policy).
    pub fn viewed_by(&self, actor: &Actor, worker: &WorkerId) -> Result<Vec<ViewRecord>, Error> {
        self.log_reader(actor)?;
        Ok(self.views.log.viewed_by(worker))
    }

    /// The view log pseudonymised (`pseudonym(domain, id)`, e.g. a `stats::Pseudonymiser`'s),
    /// as `actor` (管理者 by the built-in policy).
    pub fn export_view_log(
        &self,
        actor: &Actor,
        pseudonym: impl Fn(&str, &str) -> u64,
    ) -> Result<Vec<ViewLogRow>, Error> {
        self.log_reader(actor)?;
        Ok(self.views.log.export(pseudonym))
    }
}
