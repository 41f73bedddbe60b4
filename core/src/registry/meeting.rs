//! Meeting commands (会議): convener designations, meeting records that bind disclosure
//! (attendees, pledges, agenda, minutes, 支援決定), pledges, plans from a decision, and the older
//! `hold_meeting` form. The meeting module checks a record's shape against the meeting types;
//! this file checks designations, references and the consent a 重層的支援会議 agenda needs.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::ids::*;
use crate::meeting::Meeting;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record a meeting (会議) held, in the form older journals hold (the convener's role and the
/// participants' acknowledgement asserted by the caller). Refused `meeting_record_required` once
/// the meeting register is in force (a convener designated): use [`RecordMeeting`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldMeeting {
    /// The meeting record.
    pub meeting: Meeting,
}

impl Apply for HoldMeeting {
    /// None: the meeting's date is not checked against `today` (as before).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let meeting = &self.meeting;
        if reg.meetings.contains_key(&meeting.id) || reg.meeting_records.contains_key(&meeting.id) {
            return Err(exists("meeting", &meeting.id, "$.meeting.id"));
        }
        // Once the register is in force a meeting is recorded with `record_meeting` (a
        // designated convener, pledges): the caller-asserted form is for older journals.
        if reg.designations.in_force() {
            return Err(MeetingError::MeetingRecordRequired {
                path: "$.meeting".into(),
            }
            .into());
        }
        for (i, c) in meeting.cases.iter().enumerate() {
            if !reg.cases.contains_key(c) {
                return Err(not_found("case", c, &format!("$.meeting.cases[{i}]")));
            }
        }
        reg.directory
            .check(&meeting.convener.agency, "$.meeting.convener.agency")?;
        for (i, p) in meeting.participants.iter().enumerate() {
            reg.directory
                .check(&p.agency, &format!("$.meeting.participants[{i}].agency"))?;
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let m = self.meeting.clone().hold(&reg.meeting_types)?;
        reg.meetings.insert(m.id.clone(), m);
        Ok(Receipt::Recorded)
    }
}

// ------------------------------------------------------------------ meeting records that bind

use super::plan::{CreatePlan, Replan};
use crate::agency::ConvenerDesignation;
use crate::meeting::{MeetingError, MeetingId, MeetingRecord, Pledge, SupportOutcome};
use crate::plan::{Action, ActionId, Party, Schedule, SupportPlan};
use crate::privacy::Audience;

/// Designate an agency as convener of a meeting type (招集者の指定): the municipality's 重層
/// office for 支援会議 and 重層的支援会議, the 多機関協働事業者 for 重層的支援会議 ….
///
/// The type must allow the role (`not_allowed_to_convene` at `$.designation.role`); one
/// designation per agency and type (`already_exists`). The first designation puts the meeting
/// register in force (see [`crate::agency::Designations`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignateConvener {
    /// The designation.
    pub designation: ConvenerDesignation,
}

/// Record a meeting held (会議録): a designated convener, attendees with their pledges, the
/// agenda, the minutes and the support decisions (支援決定).
///
/// Checks, in order: the id is new (among `hold_meeting` ids too); the record's shape
/// ([`MeetingRecord::check`]); the convening agency holds a designation for the type on the
/// date, in the role the record names (`convener_not_designated` at `$.meeting.convener`); agencies, workers and cases exist; a
/// decision's project is a taxonomy code; and for a consent-requiring type (重層的支援会議) each
/// agenda case's person has a consent in effect on the date that names the meeting
/// (`agenda_case_without_consent` at `$.meeting.agenda[i].case`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMeeting {
    /// The meeting record.
    pub meeting: MeetingRecord,
}

/// Record an attendee's confidentiality pledge (守秘義務の誓約) for a recorded meeting, signed
/// on or before the meeting (`pledge_after_meeting`); the attendee must be listed (`not_found`)
/// and not have pledged already (`already_exists`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPledge {
    /// The meeting.
    pub meeting: MeetingId,
    /// The attendee's agency.
    pub agency: AgencyId,
    /// The attendee's worker, when the attendee is a named worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
    /// The pledge.
    pub pledge: Pledge,
}

/// Make a support plan from a meeting's decision (支援決定からプランへ): the draft `plan` (the
/// first version, or the next version of an existing plan) takes every role assignment of the
/// decision about its case as an action — owner the named worker, or the agency; due date the
/// role's — with ids `<meeting>-<n>`, and the decision's next review date as its first
/// monitoring. The plan then goes through `create_plan` / `replan` unchanged, so its actions
/// become worklist tasks like any other.
///
/// Errors: `not_found` (meeting), `case_not_on_agenda` (at `$.plan.case`),
/// `no_support_decided` (no decision, or 支援不要), `date_before_meeting` (a plan made before
/// the meeting, at `$.plan.created_on`), then those of `create_plan` / `replan`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFromDecision {
    /// The meeting whose decision is taken over.
    pub meeting: MeetingId,
    /// The draft plan (its own actions first, the decision's appended).
    pub plan: SupportPlan,
}

impl Apply for DesignateConvener {
    /// None: a designation may be made ahead of its first day (a 4月1日付 designation).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let d = &self.designation;
        reg.directory.check(&d.agency, "$.designation.agency")?;
        let ty = reg
            .meeting_types
            .check(&d.meeting_type, "$.designation.meeting_type")
            .map_err(MeetingError::from)?
            .base;
        if !ty.may_convene(d.role) {
            return Err(MeetingError::NotAllowedToConvene {
                meeting_type: d.meeting_type.clone(),
                role: d.role,
                path: "$.designation.role".into(),
            }
            .into());
        }
        let types = &reg.meeting_types;
        if reg
            .designations
            .contains(&d.agency, |t| types.same_base(t, &d.meeting_type))
        {
            return Err(exists(
                "designation",
                format!("{}/{}", d.agency, d.meeting_type),
                "$.designation",
            ));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.designations.push(self.designation.clone());
        Ok(Receipt::Recorded)
    }
}

impl Apply for RecordMeeting {
    /// The meeting date: a record of a meeting held is written after it.
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.meeting.date, "$.meeting.date")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let m = &self.meeting;
        if reg.meetings.contains_key(&m.id) || reg.meeting_records.contains_key(&m.id) {
            return Err(exists("meeting", &m.id, "$.meeting.id"));
        }
        let ty = m.check(&reg.meeting_types)?;
        reg.directory
            .check(&m.convener.agency, "$.meeting.convener.agency")?;
        let types = &reg.meeting_types;
        let designated = reg
            .designations
            .find(&m.convener.agency, m.date, |t| {
                types.same_base(t, &m.meeting_type)
            })
            .is_some_and(|d| d.role == m.convener.role);
        if !designated {
            return Err(MeetingError::ConvenerNotDesignated {
                agency: m.convener.agency.clone(),
                meeting_type: m.meeting_type.clone(),
                path: "$.meeting.convener".into(),
            }
            .into());
        }
        for (i, a) in m.attendees.iter().enumerate() {
            reg.directory
                .check(&a.agency, &format!("$.meeting.attendees[{i}].agency"))?;
            if let Some(w) = &a.worker {
                reg.staff
                    .check(w, &format!("$.meeting.attendees[{i}].worker"))?;
            }
        }
        let audience = Audience::Meeting {
            meeting_type: m.meeting_type.clone(),
            participants_acknowledged: true,
        };
        for (i, item) in m.agenda.iter().enumerate() {
            let path = format!("$.meeting.agenda[{i}].case");
            let case = reg
                .cases
                .get(&item.case)
                .ok_or_else(|| not_found("case", &item.case, &path))?;
            if ty.personal_info == crate::meeting::PersonalInfoRule::ConsentRequired {
                let person = case.subject();
                let consented = reg.consents.iter().any(|c| {
                    &c.person == person
                        && c.in_effect_on(m.date)
                        && c.covers_audience(&audience, types)
                });
                if !consented {
                    return Err(MeetingError::AgendaCaseWithoutConsent {
                        meeting_type: m.meeting_type.clone(),
                        case: item.case.clone(),
                        path,
                    }
                    .into());
                }
            }
        }
        for (i, d) in m.decisions.iter().enumerate() {
            if let SupportOutcome::Needed { project, roles, .. } = &d.outcome {
                if let Some(p) = project {
                    reg.taxonomies
                        .check_project(p, &format!("$.meeting.decisions[{i}].outcome.project"))?;
                }
                for (j, r) in roles.iter().enumerate() {
                    let at = format!("$.meeting.decisions[{i}].outcome.roles[{j}]");
                    reg.directory.check(&r.agency, &format!("{at}.agency"))?;
                    if let Some(w) = &r.worker {
                        reg.staff.check(w, &format!("{at}.worker"))?;
                    }
                }
            }
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.meeting_records
            .insert(self.meeting.id.clone(), self.meeting.clone());
        Ok(Receipt::Recorded)
    }
}

impl Apply for RecordPledge {
    /// None: the pledge date is checked against the meeting's (on or before it), which was
    /// itself not after the day it was recorded.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let m = reg
            .meeting_records
            .get(&self.meeting)
            .ok_or_else(|| not_found("meeting", &self.meeting, "$.meeting"))?;
        let a = m
            .attendees
            .iter()
            .find(|a| a.is(&self.agency, self.worker.as_ref()))
            .ok_or_else(|| not_found("attendee", &self.agency, "$.agency"))?;
        if a.pledge.is_some() {
            return Err(exists("pledge", &self.agency, "$.agency"));
        }
        if self.pledge.signed_on > m.date {
            return Err(MeetingError::PledgeAfterMeeting {
                signed_on: self.pledge.signed_on,
                meeting_date: m.date,
                path: "$.pledge.signed_on".into(),
            }
            .into());
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let m = reg
            .meeting_records
            .get_mut(&self.meeting)
            .ok_or_else(|| not_found("meeting", &self.meeting, "$.meeting"))?;
        if let Some(a) = m
            .attendees
            .iter_mut()
            .find(|a| a.is(&self.agency, self.worker.as_ref()))
        {
            a.pledge = Some(self.pledge.clone());
        }
        Ok(Receipt::Recorded)
    }
}

impl PlanFromDecision {
    /// The draft plan with the decision's roles appended as actions and its next review as
    /// the first monitoring.
    fn plan(&self, reg: &Registry) -> Result<SupportPlan, Error> {
        let m = reg
            .meeting_records
            .get(&self.meeting)
            .ok_or_else(|| not_found("meeting", &self.meeting, "$.meeting"))?;
        let case = &self.plan.case;
        if !m.on_agenda(case) {
            return Err(MeetingError::CaseNotOnAgenda {
                case: case.clone(),
                meeting: m.id.clone(),
                path: "$.plan.case".into(),
            }
            .into());
        }
        let decision = m
            .decision_for(case)
            .filter(|d| matches!(d.outcome, SupportOutcome::Needed { .. }))
            .ok_or_else(|| MeetingError::NoSupportDecided {
                meeting: m.id.clone(),
                case: case.clone(),
                path: "$.meeting".into(),
            })?;
        if self.plan.created_on < m.date {
            return Err(MeetingError::DateBeforeMeeting {
                date: self.plan.created_on,
                meeting_date: m.date,
                path: "$.plan.created_on".into(),
            }
            .into());
        }
        let mut plan = self.plan.clone();
        for (n, r) in decision.roles().iter().enumerate() {
            plan.actions.push(Action {
                id: ActionId::new(format!("{}-{}", m.id, n + 1)),
                description: r.task.clone(),
                responsible: match &r.worker {
                    Some(worker) => Party::Worker {
                        worker: worker.clone(),
                    },
                    None => Party::Agency {
                        agency: r.agency.clone(),
                    },
                },
                schedule: Schedule::default(),
                goals: Vec::new(),
                due_on: r.due,
                done_on: None,
            });
        }
        if let Some(review) = decision.next_review() {
            plan.monitoring.first_on = review;
        }
        Ok(plan)
    }
}

impl Apply for PlanFromDecision {
    /// None: the plan module checks its dates.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let plan = self.plan(reg)?;
        if reg.plans.contains_key(&plan.id) {
            Replan { plan }.check(reg)
        } else {
            CreatePlan { plan }.check(reg)
        }
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let plan = self.plan(reg)?;
        if reg.plans.contains_key(&plan.id) {
            Replan { plan }.apply(reg, today)
        } else {
            CreatePlan { plan }.apply(reg, today)
        }
    }
}

impl Registry {
    /// Convener designations (会議の招集者の指定), in the order made.
    pub fn designations(&self) -> &crate::agency::Designations {
        &self.designations
    }
    /// A meeting record that binds disclosure (会議録), by id.
    pub fn meeting_record(&self, id: &MeetingId) -> Option<&MeetingRecord> {
        self.meeting_records.get(id)
    }
    /// Every meeting record that binds disclosure, by id.
    pub fn meeting_records(&self) -> impl Iterator<Item = &MeetingRecord> {
        self.meeting_records.values()
    }
}
