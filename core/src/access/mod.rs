//! Access control (閲覧・変更の権限), the view log (閲覧ログ) and address restriction (住所秘匿).
//!
//! - [`policy`]: the access policy as data — which role, in which relation to the case
//!   ([`CaseRelation`]), may read or change which kind of record ([`RecordKind`]) and which
//!   information categories (the special-care ones apart); one decision, [`Policy::decide`] ([`Policy::decide_with`] for several relations and what
//!   disclosures showed).
//!   The built-in policy is `core/data/access_policy.toml` (each rule's reasoning beside it); a
//!   municipality extends or replaces it ([`Policy::extend_toml`], [`Policy::from_toml`]), every
//!   problem of its document reported at once with its path ([`PolicyProblem`]).
//! - [`redact`]: views cut down to what a decision allows ([`redact_household`]), and the reads
//!   that decide, redact and log in one call ([`Access::read_household`],
//!   [`Access::read_contact`]).
//! - [`log`]: the append-only, indexed [`ViewLog`], its queries and its pseudonymised export.
//! - [`protect`]: address-restriction records ([`AddressProtection`], DV等支援措置) and the
//!   locating information they hide ([`ContactDetails`]).
//!
//! This module is pure: inputs are plain data (the requester, the case's parties, households,
//! contact details, protections, `now` as an argument), so the registry wires it into its
//! queries. It owns no workers, teams or cases (the worker module and the registry do) and
//! does not decide disclosures to audiences (`disclosure` does); it hides protected addresses
//! from disclosure views with [`protect_case_view`] and from routing explanations with
//! [`protect_routing`].

//! # Wiring it in (for the registry and the book)
//!
//! - **Requester and relations.** From the actor (`Actor { worker, agency }`) and the worker's
//!   roles build a [`Requester`]; from the case team (主担当/副担当), the case's responsible
//!   window, the agencies of its referrals and plan roles, and the workers who sat in meetings on
//!   the case build [`CaseParties`]; [`CaseParties::relations_of`] gives the relations.
//! - **What was disclosed.** [`disclosed_to_agency`] over the case's provision records and the
//!   person's consents gives [`ReadRequest::disclosed`] (add what meetings the worker attended
//!   showed).
//! - **Every query returning personal data** goes through [`Access::read_household`] (lists
//!   and case screens: redacted, never refused) or [`Access::read_contact`] (an explicit read of
//!   address/phone/whereabouts: refused and logged); commands check [`Policy::authorise`] with
//!   `Action::Change` before they apply. `now` is the caller's argument, as `today` is.
//! - **Disclosure.** `disclosure::redact` / `disclose` and the book's disclosure preview
//!   (`registry/book/preview.rs`) must pass their `CaseView` through [`protect_case_view`]
//!   before it leaves the core: an audience is never a named worker.
//! - **Routing.** `Router::evaluate` / `explain` results shown to a worker or exported go through
//!   [`protect_routing`] (area facts removed).
//! - **Export and widgets.** The statistics export already leaves out persons' and households'
//!   areas; widgets showing a household use [`Access::read_household`]. The view log's
//!   [`ViewLog::export`] takes the same pseudonymiser as `stats::export`.
//! - **Persistence.** [`ViewLog`] is in memory; the book stores each [`ViewRecord`] (serde) in
//!   an append-only store and rebuilds with [`ViewLog::append_record`].
//!
//! All of this is done: `registry/book/reading.rs` (the reads as an actor), `view_store.rs`
//! (the `view_log` table with its own hash chain), `permit.rs` (the `[[commands]]` rules),
//! `registry/protection.rs` (the `protect_address` / `lift_address_protection` commands), and
//! the disclosure view of `disclose` and its preview pass through [`protect_case_view`].

pub mod load;
pub mod log;
pub mod policy;
pub mod protect;
pub mod redact;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use load::{PolicyEnv, PolicyProblem};
pub use log::{ViewEvent, ViewLog, ViewLogRow, ViewOutcome, ViewRecord};
pub use policy::{
    AccessDecision, AccessGrant, Action, CaseParties, CaseRelation, Kinds, Policy, PolicyDocument,
    PolicyRule, PolicyRuleId, RecordKind, Requester, Roles, Wildcard,
};
pub use protect::{japan_date, AddressProtection, ContactDetails, Protections};
pub use redact::{
    disclosed_to_agency, protect_case_view, protect_routing, redact_household, Access, ContactView,
    HouseholdView, PersonView, ReadRequest, Shown,
};

use crate::coded::{Coded, DocumentError, ErrorKind};
use crate::ids::*;
use crate::privacy::InfoCategory;
use chrono::NaiveDate;

/// Errors of access control.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// A policy document that does not parse.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A policy document with problems, every one listed.
    #[error("invalid access policy: {} problem(s), first: {}", problems.len(), problems.first().map(ToString::to_string).unwrap_or_default())]
    InvalidPolicy {
        /// Every problem, in document order.
        problems: Vec<PolicyProblem>,
    },
    /// The person's address, phone and whereabouts are restricted (DV等支援措置) and the
    /// requester is not named.
    #[error("the locating information of person `{person}` is restricted")]
    AddressRestricted {
        /// The person asked about.
        person: PersonId,
    },
    /// The policy opens nothing of what was explicitly asked.
    #[error("access denied: {} of a {} record", category.code(), kind.code())]
    AccessDenied {
        /// The record kind.
        kind: RecordKind,
        /// The category asked for.
        category: InfoCategory,
    },
    /// A person not in the household.
    #[error("person `{person}` is not a member of household `{household}`")]
    UnknownPerson {
        /// The person.
        person: PersonId,
        /// The household.
        household: HouseholdId,
    },
    /// A protection lifted on or before its first day.
    #[error("protection lifted on {lifted_on}, not after its start {from}")]
    EmptyPeriod {
        /// First day.
        from: NaiveDate,
        /// Day lifted.
        lifted_on: NaiveDate,
        /// JSON path of the day lifted (`$.lifted_on` in a protection document, `$.on` in the
        /// lifting command).
        path: String,
    },
    /// The acting worker's roles do not allow this command (the policy's `[[commands]]`).
    #[error("command `{command}` is not permitted to this worker")]
    CommandNotPermitted {
        /// The command's wire name.
        command: String,
        /// JSON path (`$.command`).
        path: String,
    },
}

impl AccessError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "invalid_access_policy",
        "address_restricted",
        "access_denied",
        "unknown_person",
        "empty_period",
        "command_not_permitted",
    ];
}

impl Coded for AccessError {
    fn code(&self) -> &'static str {
        match self {
            AccessError::Document(e) => e.code(),
            AccessError::InvalidPolicy { .. } => "invalid_access_policy",
            AccessError::AddressRestricted { .. } => "address_restricted",
            AccessError::AccessDenied { .. } => "access_denied",
            AccessError::UnknownPerson { .. } => "unknown_person",
            AccessError::EmptyPeriod { .. } => "empty_period",
            AccessError::CommandNotPermitted { .. } => "command_not_permitted",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            AccessError::Document(e) => e.path(),
            AccessError::InvalidPolicy { problems } => problems.first().map(|p| p.path.clone()),
            AccessError::AddressRestricted { .. } | AccessError::UnknownPerson { .. } => {
                Some("$.person".into())
            }
            AccessError::AccessDenied { .. } => None,
            AccessError::EmptyPeriod { path, .. }
            | AccessError::CommandNotPermitted { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            AccessError::Document(e) => e.kind(),
            // A policy is a rule document: every problem listed, like routing's.
            AccessError::InvalidPolicy { .. } => ErrorKind::RuleDocument,
            // Privacy refusals share the consent/disclosure family (ConsentError in Python).
            AccessError::AddressRestricted { .. } | AccessError::AccessDenied { .. } => {
                ErrorKind::Consent
            }
            AccessError::UnknownPerson { .. } => ErrorKind::NotFound,
            AccessError::EmptyPeriod { .. } => ErrorKind::Invalid,
            // Refused by who acts, like `actor_required` and `worker_inactive`.
            AccessError::CommandNotPermitted { .. } => ErrorKind::Rule,
        }
    }
}
