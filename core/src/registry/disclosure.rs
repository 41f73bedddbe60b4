//! Disclosure commands (第三者提供): showing a case to an audience, decided by the disclosure
//! rules and recorded as a provision record (第三者提供記録). This file checks that the case, its
//! household, the person and the providing agency exist.

use super::command::{Apply, RecordedDates};
use super::rules::not_found;
use super::{Receipt, Registry};
use crate::consent::InfoCategory;
use crate::disclosure::{DisclosureError, DisclosureRequest};
use crate::household::Household;
use crate::ids::*;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Show a case to an audience (情報の提示): decided by the disclosure rules, recorded as a
/// provision record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disclose {
    /// What is asked.
    pub request: DisclosureRequest,
    /// The providing agency.
    pub provider: AgencyId,
    /// Categories the presenter intends to show.
    pub shown: Vec<InfoCategory>,
}

impl Disclose {
    /// The household of the requested case (`not_found` at `$.request.case` otherwise).
    fn household<'a>(&self, reg: &'a Registry) -> Result<&'a Household, Error> {
        let request = &self.request;
        let case = reg
            .cases
            .get(&request.case)
            .ok_or_else(|| not_found("case", &request.case, "$.request.case"))?;
        reg.households
            .get(case.household())
            .ok_or_else(|| not_found("household", case.household(), "$.request.case"))
    }
}

impl Apply for Disclose {
    /// None: a disclosure happens on `today`.
    /// A disclosure is a record of what was shown: it may not be dated after the day it is
    /// written (a backdated-forward provision record could precede a consent's withdrawal).
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.request.on, "$.request.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let household = self.household(reg)?;
        if household.member(&self.request.person).is_none() {
            return Err(not_found(
                "person",
                &self.request.person,
                "$.request.person",
            ));
        }
        reg.directory.check(&self.provider, "$.provider")?;
        self.after_last_consent_event(reg)
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let d = crate::disclosure::disclose(
            &self.request,
            &reg.consents,
            &reg.meeting_types,
            &self.provider,
            &self.shown,
        )?;
        let household = self.household(reg)?;
        let view = crate::disclosure::redact(household, &d.decision, &self.shown, &reg.taxonomies);
        // Address restriction (住所秘匿): an audience is never a named worker, so a protected
        // member's household leaves without its area and ties (access::protect_case_view).
        let mut view = view;
        crate::access::protect_case_view(&mut view, household, &reg.protections, self.request.on);
        if let Some(r) = &d.record {
            reg.provisions.push(r.clone());
        }
        Ok(Receipt::Disclosed {
            view,
            record: d.record,
        })
    }
}

impl Disclose {
    /// The disclosure may not be dated before the person's last consent event (given, refused
    /// or withdrawn): otherwise a provision record written after a withdrawal could be placed on
    /// a day when the withdrawn consent still held (`date_before_consent_event` at
    /// `$.request.on`). O(consents) per disclosure.
    fn after_last_consent_event(&self, reg: &Registry) -> Result<(), Error> {
        let request = &self.request;
        let last = reg
            .consents
            .iter()
            .filter(|c| c.person == request.person)
            .flat_map(|c| [Some(c.answered_on), c.withdrawn_on])
            .flatten()
            .max();
        match last {
            Some(last) if request.on < last => Err(DisclosureError::DateBeforeConsentEvent {
                person: request.person.clone(),
                on: request.on,
                last,
            }
            .into()),
            _ => Ok(()),
        }
    }
}
