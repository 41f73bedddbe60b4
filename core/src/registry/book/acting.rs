//! The book as an actor (実行者としての記録簿): a borrowed handle whose commands are executed by
//! one worker of one agency, each appended event carrying that actor (`by`).

use super::{BatchError, CaseBook};
use crate::access::{ContactView, HouseholdView, PersonView, ViewRecord};
use crate::ids::*;
use crate::journal::Store;
use crate::registry::{Command, Event, Receipt};
use crate::worker::Actor;
use crate::Error;
use chrono::{DateTime, NaiveDate, Utc};

/// A [`CaseBook`] borrowed to act as one [`Actor`] ([`CaseBook::as_actor`]).
///
/// ```
/// use tsunagu::registry::{CaseBook, Command};
/// use tsunagu::worker::Actor;
/// let mut book = CaseBook::in_memory("tablet-1").unwrap();
/// let cmd = |v: serde_json::Value| -> Command { serde_json::from_value(v).unwrap() };
/// let (today, now) = ("2024-04-01".parse().unwrap(), "2024-04-01T09:00:00Z".parse().unwrap());
/// // Setup mode: the agency and its first worker are registered without an actor.
/// book.execute_batch(vec![
///     cmd(serde_json::json!({"command": "register_agency", "agency":
///         {"id": "council", "name": "社会福祉協議会", "kind": "social_welfare_council"}})),
///     cmd(serde_json::json!({"command": "register_worker", "worker":
///         {"id": "csw-1", "agency": "council", "name": "相談員A",
///          "roles": ["manager"]}})),
/// ], today, now).unwrap();
/// // From now on every command has an actor, and the journal records it.
/// let mut as_manager = book.as_actor(Actor::new("csw-1", "council"));
/// as_manager.execute(cmd(serde_json::json!({"command": "extend_roles", "document": {"roles": []}})),
///     today, now).unwrap();
/// let last = book.payloads().unwrap().pop().unwrap();
/// assert_eq!(last.by, Some(Actor::new("csw-1", "council")));
/// ```
#[derive(Debug)]
pub struct ActingBook<'a, S: Store> {
    pub(super) book: &'a mut CaseBook<S>,
    pub(super) actor: Actor,
}

impl<S: Store> ActingBook<'_, S> {
    /// The actor.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// [`CaseBook::execute`] as the actor.
    pub fn execute(
        &mut self,
        command: Command,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Receipt, Error> {
        self.book.execute_as(command, today, now, Some(&self.actor))
    }

    /// [`CaseBook::execute_batch`] as the actor.
    pub fn execute_batch(
        &mut self,
        commands: Vec<Command>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<Receipt>, Error> {
        self.book
            .execute_batch_as(commands, today, now, Some(&self.actor))
    }

    /// [`CaseBook::execute_events`] as the actor: every event is stamped `by` the actor.
    pub fn execute_events(
        &mut self,
        events: Vec<Event>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Receipt>, BatchError> {
        self.book.execute_events_as(events, now, Some(&self.actor))
    }

    /// [`CaseBook::read_household`] as the actor: the household redacted, the read logged.
    pub fn household(
        &mut self,
        household: &HouseholdId,
        at: DateTime<Utc>,
    ) -> Result<HouseholdView, Error> {
        self.book.read_household(&self.actor, household, at)
    }

    /// [`CaseBook::read_case`] as the actor: the case's household redacted, the read logged.
    pub fn case_view(&mut self, case: &CaseId, at: DateTime<Utc>) -> Result<HouseholdView, Error> {
        self.book.read_case(&self.actor, case, at)
    }

    /// [`CaseBook::read_timeline`] as the actor: the items the policy opens, the read logged.
    pub fn timeline(
        &mut self,
        subject: &crate::record::TimelineSubject,
        filter: &crate::record::TimelineFilter,
        at: DateTime<Utc>,
    ) -> Result<Vec<crate::record::TimelineItem>, Error> {
        self.book.read_timeline(&self.actor, subject, filter, at)
    }

    /// [`CaseBook::read_person`] as the actor.
    pub fn person(
        &mut self,
        person: &PersonId,
        at: DateTime<Utc>,
    ) -> Result<Option<PersonView>, Error> {
        self.book.read_person(&self.actor, person, at)
    }

    /// [`CaseBook::read_contact`] as the actor: refused (and logged) under an address
    /// restriction that does not name the actor.
    pub fn contact(&mut self, person: &PersonId, at: DateTime<Utc>) -> Result<ContactView, Error> {
        self.book.read_contact(&self.actor, person, at)
    }

    /// [`CaseBook::who_viewed`] as the actor.
    pub fn who_viewed(&self, person: &PersonId) -> Result<Vec<ViewRecord>, Error> {
        self.book.who_viewed(&self.actor, person)
    }

    /// [`CaseBook::viewed_by`] as the actor.
    pub fn viewed_by(&self, worker: &WorkerId) -> Result<Vec<ViewRecord>, Error> {
        self.book.viewed_by(&self.actor, worker)
    }

    /// The book itself (its state, journal and queries).
    pub fn book(&self) -> &CaseBook<S> {
        self.book
    }
}
