//! Disclosure commands (第三者提供): showing a case to an audience, decided by the disclosure
//! rules and recorded as a provision record (第三者提供記録). This file checks that the case, its
//! household, the person and the providing agency exist, and binds a disclosure to a meeting to
//! the held meeting record whose attendees receive it.

use super::command::{Apply, RecordedDates};
use super::rules::not_found;
use super::{Receipt, Registry};
use crate::consent::InfoCategory;
use crate::disclosure::{DisclosureError, DisclosureRequest};
use crate::household::Household;
use crate::ids::*;
use crate::meeting::{MeetingError, MeetingId, MeetingRecord};
use crate::privacy::Audience;
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
    /// The held meeting (会議録, `record_meeting`) the case is shown at, when the audience is a
    /// meeting. Then the meeting binds the disclosure: it must be held on or before the
    /// request date (`meeting_not_held`), of the audience's type (`mismatch`), with the case on
    /// its agenda (`case_not_on_agenda`) and every attendee's pledge signed by then
    /// (`attendee_without_pledge`); the audience's `participants_acknowledged` is the pledges'
    /// answer, not the caller's, and the provision record names the meeting and its attendees
    /// as recipients. Once the meeting register is in force (a convener designated), a
    /// disclosure to a meeting without one is `meeting_record_required`; before that (journals
    /// older than meeting records) the caller-asserted form replays as it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
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
        self.after_last_consent_event(reg)?;
        self.bound_meeting(reg).map(|_| ())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let meeting = self.bound_meeting(reg)?;
        let request = match meeting {
            Some(m) => crate::disclosure::DisclosureRequest {
                audience: Audience::Meeting {
                    meeting_type: m.meeting_type.clone(),
                    participants_acknowledged: true,
                },
                ..self.request.clone()
            },
            None => self.request.clone(),
        };
        let mut d = crate::disclosure::disclose(
            &request,
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
        if let (Some(r), Some(m)) = (d.record.as_mut(), meeting) {
            r.meeting = Some(m.id.clone());
            r.recipients = m.recipients();
        }
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
    /// The held meeting this disclosure goes to, checked (see [`Disclose::meeting`]); `None`
    /// for an agency audience and for the caller-asserted form before the register is in force.
    fn bound_meeting<'a>(&self, reg: &'a Registry) -> Result<Option<&'a MeetingRecord>, Error> {
        let request = &self.request;
        let Some(id) = &self.meeting else {
            if matches!(request.audience, Audience::Meeting { .. }) && reg.designations.in_force() {
                return Err(MeetingError::MeetingRecordRequired {
                    path: "$.meeting".into(),
                }
                .into());
            }
            return Ok(None);
        };
        let m = reg
            .meeting_records
            .get(id)
            .ok_or_else(|| not_found("meeting", id, "$.meeting"))?;
        match &request.audience {
            Audience::Meeting { meeting_type, .. }
                if reg.meeting_types.same_base(meeting_type, &m.meeting_type) => {}
            _ => {
                return Err(super::RegistryError::Mismatch {
                    what: format!("meeting `{id}` is not the request's audience"),
                    path: "$.request.audience".into(),
                }
                .into())
            }
        }
        if m.date > request.on {
            return Err(MeetingError::MeetingNotHeld {
                meeting: id.clone(),
                date: m.date,
                on: request.on,
                path: "$.request.on".into(),
            }
            .into());
        }
        if !m.on_agenda(&request.case) {
            return Err(MeetingError::CaseNotOnAgenda {
                case: request.case.clone(),
                meeting: id.clone(),
                path: "$.request.case".into(),
            }
            .into());
        }
        if let Some((i, _)) = m.unpledged_on(request.on) {
            return Err(MeetingError::AttendeeWithoutPledge {
                meeting: id.clone(),
                attendee: i,
                path: "$.meeting".into(),
            }
            .into());
        }
        Ok(Some(m))
    }

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
