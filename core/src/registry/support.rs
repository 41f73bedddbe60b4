//! The registry's wiring of participation support (参加支援), community building (地域づくり) and
//! disaster case management (災害ケースマネジメント): the commands of issue 9, their cross-entity
//! checks, and the JSON paths of their errors re-rooted at the command (`$.match.resource`,
//! `$.action.visit.rank_after`).
//!
//! Each command computes the new value of what it changes before anything is stored, so a
//! rejected command changes nothing. The modules keep their own rules; this file only checks
//! references between them (a match's person is a member of its household, an activity's
//! resource is in the directory, a dispatch's agency is registered, the case a household moves
//! into belongs to it) and stores the results.

use super::{exists, not_found, Command, Receipt, Registry, RegistryError};
use crate::agency::AgencyError;
use crate::case::{CaseError, CaseState};
use crate::community::{Activity, ActivityId, CommunityCommand, CommunityError, Session};
use crate::disaster::{
    end_disaster_phase, DisasterCommand, DisasterError, DisasterRecord, DisasterRecordId,
    OpenRecord, VisitIntervals,
};
use crate::ids::CaseId;
use crate::participation::{
    GapSuggestion, MatchCommand, Need, ParticipationError, ResourceDirectory,
    ResourceKindsDocument, SocialResource,
};
use crate::taxonomy::TaxonomyError;
use crate::Error;
use chrono::NaiveDate;

/// The dates a participation, community or disaster command records as having happened, with
/// their paths. Decision: records of what happened (a session held, a visit made, a match step,
/// a dispatch, a stage move, the end of the phase) are written after the fact, so their date may
/// not be after `today`; dates of what is planned (a match's next follow-up, an activity's start
/// or end in the directory) may be. The commands of the other areas check their own dates.
fn recorded_dates(command: &Command) -> Vec<(NaiveDate, &'static str)> {
    use DisasterCommand as D;
    use MatchCommand as M;
    match command {
        Command::Match { r#match } => match r#match {
            M::Propose { on, .. }
            | M::MarkTried { on, .. }
            | M::MarkContinuing { on, .. }
            | M::Stop { on, .. } => vec![(*on, "$.match.on")],
            M::RecordFollowUp { follow_up, .. } => vec![(follow_up.on, "$.match.follow_up.on")],
        },
        Command::RecordSession { session } => vec![(session.on, "$.session.on")],
        Command::EndActivity { on, .. } => vec![(*on, "$.on")],
        Command::OpenDisasterRecord { record } => vec![(record.on, "$.record.on")],
        Command::Disaster { action, .. } => match action {
            D::MoveStage { on, .. }
            | D::AssessRisk { on, .. }
            | D::RequestDispatch { on, .. }
            | D::MarkDispatched { on, .. }
            | D::ReportDispatch { on, .. } => vec![(*on, "$.action.on")],
            D::RecordVisit { visit } => vec![(visit.on, "$.action.visit.on")],
            D::AddIssue { .. } | D::LinkCase { .. } => vec![],
        },
        Command::EndDisasterPhase { on, .. } => vec![(*on, "$.on")],
        _ => vec![],
    }
}

/// Rejects a participation, community or disaster record dated after `today`
/// (`date_in_future`, see [`recorded_dates`]).
pub(super) fn check_not_future(command: &Command, today: NaiveDate) -> Result<(), Error> {
    match recorded_dates(command)
        .into_iter()
        .find(|(d, _)| *d > today)
    {
        Some((date, path)) => Err(RegistryError::DateInFuture {
            date,
            today,
            path: path.into(),
        }
        .into()),
        None => Ok(()),
    }
}

/// The path field of an error, where the error has one stored as a string.
fn path_mut(e: &mut Error) -> Option<&mut String> {
    use CommunityError as C;
    use DisasterError as D;
    use ParticipationError as P;
    match e {
        Error::Taxonomy(
            TaxonomyError::DuplicateCode { path, .. }
            | TaxonomyError::UnknownCode { path, .. }
            | TaxonomyError::InvalidCode { path, .. },
        ) => Some(path),
        Error::Agency(
            AgencyError::DuplicateAgency { path, .. }
            | AgencyError::UnknownAgency { path, .. }
            | AgencyError::EmptyAgeRange { path, .. },
        ) => Some(path),
        Error::Case(
            CaseError::DateInFuture(crate::calendar::DateInFuture { path, .. })
            | CaseError::ReferralNotAccepted { path, .. }
            | CaseError::MissingText { path, .. },
        ) => Some(path),
        Error::Case(CaseError::DateBeforeLastEvent { path, .. }) => path.as_mut(),
        Error::Registry(
            RegistryError::NotFound { path, .. }
            | RegistryError::AlreadyExists { path, .. }
            | RegistryError::Mismatch { path, .. }
            | RegistryError::CaseClosed { path, .. }
            | RegistryError::DateInFuture { path, .. },
        ) => Some(path),
        Error::Participation(
            P::DuplicateResource { path, .. }
            | P::UnknownResource { path, .. }
            | P::UnknownPerson { path, .. }
            | P::EmptyAgeRange { path, .. }
            | P::OverCapacity { path, .. }
            | P::UnknownMatch { path, .. }
            | P::DuplicateMatch { path, .. }
            | P::DateOutOfOrder { path, .. }
            | P::FollowUpNotAfter { path, .. }
            | P::GapAreaUnknown { path, .. },
        ) => Some(path),
        Error::Community(
            C::DuplicateActivity { path, .. }
            | C::UnknownActivity { path, .. }
            | C::NoSupportStage { path, .. }
            | C::SessionOutsideActivity { path, .. }
            | C::DuplicateSession { path, .. }
            | C::DateOutOfOrder { path, .. },
        ) => Some(path),
        Error::Disaster(
            D::DateOutOfOrder { path, .. }
            | D::StageUnchanged { path, .. }
            | D::EmptyPlace { path }
            | D::DuplicateIssue { path, .. }
            | D::UnknownRiskRank { path, .. }
            | D::DuplicateRiskRank { path, .. }
            | D::InvalidInterval { path, .. }
            | D::DuplicateDispatch { path, .. }
            | D::UnknownDispatch { path, .. },
        ) => Some(path),
        _ => None,
    }
}

/// Re-root an error's path: a path starting with `from` (`$`, `$[3]`) starts with `to` instead.
pub(super) fn rebased(mut e: Error, from: &str, to: &str) -> Error {
    if let Some(p) = path_mut(&mut e) {
        if let Some(rest) = p.strip_prefix(from) {
            if rest.is_empty() || rest.starts_with(['.', '[']) {
                *p = format!("{to}{rest}");
            }
        }
    }
    e
}

/// `rebased` as a closure for `map_err`.
fn at<E: Into<Error>>(to: &'static str) -> impl Fn(E) -> Error {
    move |e| rebased(e.into(), "$", to)
}

impl Registry {
    pub(super) fn extend_resource_kinds(
        &mut self,
        document: &ResourceKindsDocument,
    ) -> Result<Receipt, Error> {
        self.resource_kinds = self
            .resource_kinds
            .extended(document.clone())
            .map_err(at("$.document"))?;
        Ok(Receipt::Recorded)
    }

    /// Register (`update == false`) or replace a social resource. Only the given resource is
    /// validated (the others were when they were registered, and codes and agencies are never
    /// removed), so registering stays linear in the directory's size.
    pub(super) fn put_resource(
        &mut self,
        resource: &SocialResource,
        update: bool,
    ) -> Result<Receipt, Error> {
        let existing = self
            .resources
            .resources()
            .iter()
            .position(|r| r.id == resource.id);
        match (existing, update) {
            (Some(_), false) => {
                return Err(ParticipationError::DuplicateResource {
                    id: resource.id.clone(),
                    path: "$.resource.id".into(),
                }
                .into())
            }
            (None, true) => {
                return Err(ParticipationError::UnknownResource {
                    id: resource.id.clone(),
                    path: "$.resource.id".into(),
                }
                .into())
            }
            _ => {}
        }
        ResourceDirectory::new(
            vec![resource.clone()],
            &self.resource_kinds,
            &self.directory,
            &self.taxonomies,
        )
        .map_err(|e| rebased(e.into(), "$[0]", "$.resource"))?;
        let mut all = self.resources.resources().to_vec();
        match existing {
            Some(i) => all[i] = resource.clone(),
            None => all.push(resource.clone()),
        }
        self.resources = ResourceDirectory::from_checked(all);
        Ok(Receipt::Recorded)
    }

    pub(super) fn apply_match(&mut self, cmd: &MatchCommand) -> Result<Receipt, Error> {
        if let MatchCommand::Propose {
            person, household, ..
        } = cmd
        {
            let h = self
                .households
                .get(household)
                .ok_or_else(|| not_found("household", household, "$.match.household"))?;
            if h.member(person).is_none() {
                return Err(not_found("person", person, "$.match.person"));
            }
        }
        let mut book = self.matches.clone();
        book.apply(cmd, &self.resources).map_err(at("$.match"))?;
        let status = book
            .get(cmd.id())
            .expect("the command was applied to this match")
            .status
            .clone();
        self.matches = book;
        Ok(Receipt::MatchUpdated { status })
    }

    pub(super) fn record_gap(
        &mut self,
        gap: &GapSuggestion,
        today: NaiveDate,
    ) -> Result<Receipt, Error> {
        if let Need::Issue { issue } = &gap.need {
            self.taxonomies.check_issue(issue, "$.gap.need.issue")?;
        }
        self.gaps.record(gap, today).map_err(at("$.gap"))?;
        Ok(Receipt::Recorded)
    }

    fn community_apply(&mut self, cmd: &CommunityCommand) -> Result<(), Error> {
        let mut next = self.community.clone();
        next.apply(cmd)?;
        self.community = next;
        Ok(())
    }

    pub(super) fn register_activity(&mut self, activity: &Activity) -> Result<Receipt, Error> {
        if let Some(r) = &activity.resource {
            self.resources.check(r, "$.activity.resource")?;
        }
        self.community_apply(&CommunityCommand::AddActivity {
            activity: activity.clone(),
        })?;
        Ok(Receipt::Recorded)
    }

    pub(super) fn record_session(&mut self, session: &Session) -> Result<Receipt, Error> {
        self.community_apply(&CommunityCommand::RecordSession {
            session: session.clone(),
        })?;
        Ok(Receipt::Recorded)
    }

    pub(super) fn end_activity(
        &mut self,
        id: &ActivityId,
        on: NaiveDate,
    ) -> Result<Receipt, Error> {
        self.community_apply(&CommunityCommand::EndActivity { id: id.clone(), on })
            .map_err(|e| rebased(e, "$.id", "$.activity"))?;
        Ok(Receipt::Recorded)
    }

    pub(super) fn set_visit_intervals(
        &mut self,
        intervals: &VisitIntervals,
    ) -> Result<Receipt, Error> {
        self.visit_intervals =
            VisitIntervals::new(intervals.ranks().to_vec()).map_err(at("$.intervals"))?;
        Ok(Receipt::Recorded)
    }

    pub(super) fn open_disaster_record(&mut self, open: &OpenRecord) -> Result<Receipt, Error> {
        if self.disaster_index.contains_key(&open.id) {
            return Err(exists("disaster_record", &open.id, "$.record.id"));
        }
        if !self.households.contains_key(&open.household) {
            return Err(not_found(
                "household",
                &open.household,
                "$.record.household",
            ));
        }
        let r = DisasterRecord::open(open, &self.visit_intervals, &self.taxonomies)
            .map_err(at("$.record"))?;
        let receipt = self.disaster_receipt(&r);
        self.disaster_index
            .insert(r.id.clone(), self.disaster_records.len());
        self.disaster_records.push(r);
        Ok(receipt)
    }

    fn disaster_receipt(&self, r: &DisasterRecord) -> Receipt {
        Receipt::DisasterUpdated {
            stage: r.current_stage().code().to_string(),
            rank: r.current_rank().clone(),
            next_visit_due: r.next_visit_due(&self.visit_intervals),
        }
    }

    fn disaster_slot(&self, id: &DisasterRecordId) -> Result<usize, Error> {
        self.disaster_index
            .get(id)
            .copied()
            .ok_or_else(|| not_found("disaster_record", id, "$.record"))
    }

    pub(super) fn apply_disaster(
        &mut self,
        id: &DisasterRecordId,
        action: &DisasterCommand,
    ) -> Result<Receipt, Error> {
        let i = self.disaster_slot(id)?;
        if let DisasterCommand::RequestDispatch {
            agency: Some(a), ..
        } = action
        {
            self.directory.check(a, "$.action.agency")?;
        }
        if let DisasterCommand::LinkCase { case } = action {
            self.check_handover_case(&self.disaster_records[i], case, "$.action.case")?;
        }
        let next = self.disaster_records[i]
            .applied(action, &self.visit_intervals, &self.taxonomies)
            .map_err(at("$.action"))?;
        let receipt = self.disaster_receipt(&next);
        self.disaster_records[i] = next;
        Ok(receipt)
    }

    /// An existing case a household moves into: it exists, is the household's, and is open.
    fn check_handover_case(
        &self,
        record: &DisasterRecord,
        case: &CaseId,
        path: &str,
    ) -> Result<(), Error> {
        let c = self
            .cases
            .get(case)
            .ok_or_else(|| not_found("case", case, path))?;
        if c.household() != &record.household {
            return Err(RegistryError::Mismatch {
                what: format!(
                    "case `{case}` belongs to another household than record `{}`",
                    record.id
                ),
                path: path.into(),
            }
            .into());
        }
        if matches!(c.state(), CaseState::Closed { .. }) {
            return Err(RegistryError::CaseClosed {
                case: case.clone(),
                path: path.into(),
            }
            .into());
        }
        Ok(())
    }

    /// End the disaster phase and move the household into an open ordinary case of its own. The
    /// record is kept, ended and linked to the case: its stage moves, assessments, visits and
    /// dispatches stay readable through [`Registry::disaster_history`].
    pub(super) fn end_disaster(
        &mut self,
        id: &DisasterRecordId,
        on: NaiveDate,
        case: &CaseId,
    ) -> Result<Receipt, Error> {
        let i = self.disaster_slot(id)?;
        let record = &self.disaster_records[i];
        let transition = end_disaster_phase(record, on)?;
        self.check_handover_case(record, case, "$.case")?;
        let linked = transition.record.applied(
            &DisasterCommand::LinkCase { case: case.clone() },
            &self.visit_intervals,
            &self.taxonomies,
        )?;
        self.disaster_records[i] = linked;
        Ok(Receipt::DisasterPhaseEnded {
            case: case.clone(),
            issues: transition.issues,
            open_dispatches: transition.open_dispatches,
        })
    }
}
