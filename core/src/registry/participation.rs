//! Participation-support commands (参加支援): the social-resource kinds and directory
//! (社会資源), match records with their follow-ups (マッチング・定着支援), and resource gaps
//! (社会資源の不足). The participation module keeps its own rules; this file checks references
//! (a match's person is a member of its household, a gap's issue code is known) and re-roots the
//! module's error paths at the command (`$.match.resource`, `$.resource.kind`).
//!
//! Each command computes the new value of what it changes before anything is stored, so a
//! rejected command changes nothing.

use super::command::{Apply, RecordedDates};
use super::rules::{at, not_found, rebased};
use super::{Receipt, Registry};
use crate::participation::{
    GapSuggestion, MatchCommand, Need, ParticipationError, ResourceDirectory,
    ResourceKindsDocument, SocialResource,
};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Extend the social-resource kinds (社会資源の種別) with a municipality's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendResourceKinds {
    /// The extension.
    pub document: ResourceKindsDocument,
}

/// Add a social resource (社会資源: 居場所, サロン, 当事者の会 …) to the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterResource {
    /// The resource.
    pub resource: SocialResource,
}

/// Replace a registered social resource (社会資源の更新): days, capacity, contact changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateResource {
    /// The new entry (same id).
    pub resource: SocialResource,
}

/// A command on match records (マッチング): propose, tried, continuing, follow-up visit
/// (定着支援), stop with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchAction {
    /// The command.
    pub r#match: MatchCommand,
}

/// Count one person's need that no resource met (社会資源の不足) in its area, on `today`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordResourceGap {
    /// The gap (area and need only: no personal data).
    pub gap: GapSuggestion,
}

impl Apply for ExtendResourceKinds {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.resource_kinds = reg
            .resource_kinds
            .extended(self.document.clone())
            .map_err(at("$.document"))?;
        Ok(Receipt::Recorded)
    }
}

/// A resource id is new (`update == false`) or registered (`update == true`).
fn check_resource(reg: &Registry, resource: &SocialResource, update: bool) -> Result<(), Error> {
    let known = reg
        .resources
        .resources()
        .iter()
        .any(|r| r.id == resource.id);
    match (known, update) {
        (true, false) => Err(ParticipationError::DuplicateResource {
            id: resource.id.clone(),
            path: "$.resource.id".into(),
        }
        .into()),
        (false, true) => Err(ParticipationError::UnknownResource {
            id: resource.id.clone(),
            path: "$.resource.id".into(),
        }
        .into()),
        (true, true) | (false, false) => Ok(()),
    }
}

/// Register or replace a social resource. Only the given resource is validated (the others
/// were when they were registered, and codes and agencies are never removed), so registering
/// stays linear in the directory's size.
fn put_resource(reg: &mut Registry, resource: &SocialResource) -> Result<Receipt, Error> {
    ResourceDirectory::new(
        vec![resource.clone()],
        &reg.resource_kinds,
        &reg.directory,
        &reg.taxonomies,
    )
    .map_err(|e| rebased(e.into(), "$[0]", "$.resource"))?;
    let mut all = reg.resources.resources().to_vec();
    match all.iter().position(|r| r.id == resource.id) {
        Some(i) => all[i] = resource.clone(),
        None => all.push(resource.clone()),
    }
    reg.resources = ResourceDirectory::from_checked(all);
    Ok(Receipt::Recorded)
}

impl Apply for RegisterResource {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_resource(reg, &self.resource, false)
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        put_resource(reg, &self.resource)
    }
}

impl Apply for UpdateResource {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_resource(reg, &self.resource, true)
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        put_resource(reg, &self.resource)
    }
}

impl Apply for MatchAction {
    /// The step's date; a next follow-up is planned, not recorded.
    fn recorded_dates(&self) -> RecordedDates {
        use MatchCommand as M;
        match &self.r#match {
            M::Propose { on, .. }
            | M::MarkTried { on, .. }
            | M::MarkContinuing { on, .. }
            | M::Stop { on, .. } => vec![(*on, "$.match.on")],
            M::RecordFollowUp { follow_up, .. } => vec![(follow_up.on, "$.match.follow_up.on")],
        }
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if let MatchCommand::Propose {
            person, household, ..
        } = &self.r#match
        {
            let h = reg
                .households
                .get(household)
                .ok_or_else(|| not_found("household", household, "$.match.household"))?;
            if h.member(person).is_none() {
                return Err(not_found("person", person, "$.match.person"));
            }
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let cmd = &self.r#match;
        let mut book = reg.matches.clone();
        book.apply(cmd, &reg.resources).map_err(at("$.match"))?;
        let status = book
            .get(cmd.id())
            .expect("the command was applied to this match")
            .status
            .clone();
        reg.matches = book;
        Ok(Receipt::MatchUpdated { status })
    }
}

impl Apply for RecordResourceGap {
    /// None: a gap is counted on `today` itself.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if let Need::Issue { issue } = &self.gap.need {
            reg.taxonomies.check_issue(issue, "$.gap.need.issue")?;
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        reg.gaps.record(&self.gap, today).map_err(at("$.gap"))?;
        Ok(Receipt::Recorded)
    }
}
