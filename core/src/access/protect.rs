//! Address restriction (住所秘匿, DV等支援措置): who is protected, from when, and the named
//! workers who may still see where they live; and the locating information (所在情報) it hides.
//!
//! **What is hidden.** Address, phone and whereabouts ([`ContactDetails`]) of every member of a
//! household in which some member is protected, and of the household: its area codes (a 小地域
//! or a ward already tells an abuser where to look) and its eco-map ties — every one: the
//! school the children now attend, the local centre or 民生委員 that serves them are the classic
//! leaks (転校先・転居先), and a tie's other end is often a place. It is hidden from everyone outside
//! the named set, in every view, whatever the access policy says; an explicit read is refused
//! (`address_restricted`) and logged.
//!
//! **Decisions.** (1) Protection covers the persons listed — the applicant (申出者) and those who
//! seek protection with them (併せて支援を求める者) — and, in views, the household they live in:
//! people at one address share it. (2) It starts on `from` and stays in force until it is lifted
//! (`lifted_on`, an explicit act). The municipality's one-year term (支援措置の期間) does not lift
//! it by itself: a lapse in renewal must not reveal an address. (3) Dates are Japanese dates: a
//! read at `now` is judged on the date in Japan (UTC+9). (4) Being named is necessary, not
//! sufficient: a named worker still needs the policy to open identity. (5) When several records
//! cover a person, a worker must be named in every one in force.

use crate::ids::*;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The date in Japan (JST, UTC+9) at `now`.
pub fn japan_date(now: DateTime<Utc>) -> NaiveDate {
    let jst = FixedOffset::east_opt(9 * 3600).expect("UTC+9 is a valid offset");
    now.with_timezone(&jst).date_naive()
}

/// An address-restriction record (DV等支援措置による住所秘匿).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressProtection {
    /// The person who asked for protection (申出者).
    pub person: PersonId,
    /// Others protected with them (併せて支援を求める者: children, a parent living with them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<PersonId>,
    /// First day in force (Japanese date).
    pub from: NaiveDate,
    /// Day it was lifted (no longer in force from this day); `None` while in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifted_on: Option<NaiveDate>,
    /// The workers who may see the address (the named set; may be empty — nobody).
    #[serde(default)]
    pub allowed: Vec<WorkerId>,
}

impl AddressProtection {
    /// Whether `person` is protected by this record.
    pub fn covers(&self, person: &PersonId) -> bool {
        &self.person == person || self.also.contains(person)
    }

    /// Whether the record is in force on `on`.
    pub fn in_force_on(&self, on: NaiveDate) -> bool {
        self.from <= on && self.lifted_on.is_none_or(|l| on < l)
    }

    /// Whether `worker` is in the named set.
    pub fn names(&self, worker: &WorkerId) -> bool {
        self.allowed.contains(worker)
    }

    /// Check the record: `empty_period` (at `$.lifted_on`) when lifted on or before its start.
    pub fn validate(&self) -> Result<(), super::AccessError> {
        match self.lifted_on {
            Some(l) if l <= self.from => Err(super::AccessError::EmptyPeriod {
                from: self.from,
                lifted_on: l,
                path: "$.lifted_on".into(),
            }),
            _ => Ok(()),
        }
    }
}

/// Every address-restriction record the integrator holds (plain data; the registry keeps them).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Protections {
    /// The records.
    pub records: Vec<AddressProtection>,
}

impl Protections {
    /// Protections of these records.
    pub fn new(records: Vec<AddressProtection>) -> Self {
        Protections { records }
    }

    /// Whether no record was made.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Whether `person`'s locating information is hidden from `worker` on `on`: some record in
    /// force covers the person and does not name the worker.
    pub fn hides(&self, person: &PersonId, worker: &WorkerId, on: NaiveDate) -> bool {
        self.records
            .iter()
            .any(|r| r.in_force_on(on) && r.covers(person) && !r.names(worker))
    }

    /// Whether any member of `members` is hidden from `worker` on `on` (then the whole
    /// household's locating information is).
    pub fn hides_any<'a>(
        &self,
        members: impl IntoIterator<Item = &'a PersonId>,
        worker: &WorkerId,
        on: NaiveDate,
    ) -> bool {
        members.into_iter().any(|p| self.hides(p, worker, on))
    }

    /// Whether `person` is protected on `on` (whoever asks) — for hiding from an audience that
    /// is not a worker (a disclosure to an agency or a meeting, an export).
    pub fn protected(&self, person: &PersonId, on: NaiveDate) -> bool {
        self.records
            .iter()
            .any(|r| r.in_force_on(on) && r.covers(person))
    }
}

/// Locating information of a person (所在情報: 住所・電話・居所) as the caller holds it — the
/// household module has no such fields; the person master does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactDetails {
    /// The person.
    pub person: PersonId,
    /// Address (住所).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Phone (電話番号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whereabouts when not at the address (居所: a relative's, a shelter, a hospital).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whereabouts: Option<String>,
}
