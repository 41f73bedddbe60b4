//! Address-restriction commands (住所秘匿の記録, DV等支援措置): recording that a person's
//! address, phone and whereabouts are restricted, with the named workers who may still see them,
//! and lifting it. The access module owns what a protection hides (`access::protect`); this file
//! keeps the records in the registry so every view, disclosure and routing explanation of the
//! book sees them, and so they replay, import and sync like any record.
//!
//! **Decisions.** (1) A person has at most one protection in force as applicant (申出者): to
//! change the named set or the persons protected with them, lift it and record a new one (both
//! stay in the registry, so who could see the address when is kept). (2) The persons protected
//! must be known to the book (a member of a registered household or a person of the master):
//! a protection of an unknown id would protect nobody and hide the mistake. (3) The named
//! workers must be registered (a typo in the named set would silently lock out the team); they
//! may be of any agency. (4) A protection is never deleted; lifting is dated.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::access::{AccessError, AddressProtection, Protections};
use crate::ids::*;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record an address restriction (住所秘匿の申出の記録, DV等支援措置).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtectAddress {
    /// The restriction (without `lifted_on`: lifting is its own command).
    pub protection: AddressProtection,
}

/// Lift the address restriction in force of an applicant (住所秘匿の解除) from `on`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftAddressProtection {
    /// The applicant (申出者) whose restriction is lifted.
    pub person: PersonId,
    /// First day no longer in force.
    pub on: NaiveDate,
}

impl Registry {
    /// The address restrictions recorded (in force or lifted), as the access module reads them.
    pub fn protections(&self) -> &Protections {
        &self.protections
    }

    /// Whether the id is a person the book knows (a household member or a master record).
    fn knows_person(&self, id: &PersonId) -> bool {
        self.persons.person(id).is_some()
            || self
                .households
                .values()
                .any(|h| h.members.iter().any(|m| &m.id == id))
    }
}

/// The index of the applicant's protection that has not been lifted.
fn open_of(p: &Protections, person: &PersonId) -> Option<usize> {
    p.records
        .iter()
        .position(|r| &r.person == person && r.lifted_on.is_none())
}

impl Apply for ProtectAddress {
    fn recorded_dates(&self) -> RecordedDates {
        let mut dates = vec![(self.protection.from, "$.protection.from")];
        if let Some(l) = self.protection.lifted_on {
            dates.push((l, "$.protection.lifted_on"));
        }
        dates
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let p = &self.protection;
        if !reg.knows_person(&p.person) {
            return Err(not_found("person", &p.person, "$.protection.person"));
        }
        for (i, also) in p.also.iter().enumerate() {
            if !reg.knows_person(also) {
                return Err(not_found(
                    "person",
                    also,
                    &format!("$.protection.also[{i}]"),
                ));
            }
        }
        for (i, w) in p.allowed.iter().enumerate() {
            reg.staff
                .check(w, &format!("$.protection.allowed[{i}]"))
                .map_err(Error::from)?;
        }
        if open_of(&reg.protections, &p.person).is_some() {
            return Err(exists(
                "address_protection",
                &p.person,
                "$.protection.person",
            ));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        self.protection.validate().map_err(|e| match e {
            AccessError::EmptyPeriod {
                from, lifted_on, ..
            } => AccessError::EmptyPeriod {
                from,
                lifted_on,
                path: "$.protection.lifted_on".into(),
            },
            other => other,
        })?;
        reg.protections.records.push(self.protection.clone());
        Ok(Receipt::Recorded)
    }
}

impl Apply for LiftAddressProtection {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if open_of(&reg.protections, &self.person).is_none() {
            return Err(not_found("address_protection", &self.person, "$.person"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let i = open_of(&reg.protections, &self.person)
            .ok_or_else(|| not_found("address_protection", &self.person, "$.person"))?;
        let from = reg.protections.records[i].from;
        if self.on <= from {
            return Err(AccessError::EmptyPeriod {
                from,
                lifted_on: self.on,
                path: "$.on".into(),
            }
            .into());
        }
        reg.protections.records[i].lifted_on = Some(self.on);
        Ok(Receipt::Recorded)
    }
}
