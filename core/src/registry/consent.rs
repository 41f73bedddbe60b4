//! Consent commands (同意): giving, refusing or withdrawing consent, and the meeting-track changes
//! (支援会議 ⇄ 重層的支援会議) they cause. The consent module owns the records' lifecycle; this
//! file checks that the person is a member of a registered household.

use super::command::{Apply, RecordedDates};
use super::rules::not_found;
use super::{Receipt, Registry};
use crate::consent::{ConsentCommand, TrackChange};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Give, refuse or withdraw consent (同意).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentAction {
    /// The command.
    pub action: ConsentCommand,
}

impl Apply for ConsentAction {
    /// None: the consent module checks its own dates.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let person = match &self.action {
            ConsentCommand::Give { terms, .. } | ConsentCommand::Refuse { terms, .. } => {
                Some(&terms.person)
            }
            ConsentCommand::Withdraw { .. } => None,
        };
        if let Some(p) = person {
            let member = reg
                .households
                .values()
                .find_map(|h| h.member(p))
                .ok_or_else(|| not_found("person", p, "$.action.terms.person"))?;
            if let ConsentCommand::Give { id, terms, on } = &self.action {
                // Who may consent (capacity.rs). Checked for a consent naming a representative
                // or a parent, and for every consent once the register is in force: older
                // journals (a minor's own consent recorded alone) replay as they were accepted.
                let minor = crate::consent::is_minor(member.age_on(*on));
                let new_form = terms.given_by.is_some() || terms.parent.is_some();
                if new_form || reg.designations.in_force() {
                    crate::consent::check_capacity(terms, minor, id)?;
                }
            }
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let event = crate::consent::handle(&reg.consents, self.action.clone())?;
        let before = reg.consents.clone();
        let changes: Vec<TrackChange> = reg
            .cases
            .keys()
            .filter_map(|case| {
                crate::consent::track_after(case, &before, &event, &reg.meeting_types)
            })
            .filter(|change| {
                reg.cases
                    .get(&change.case)
                    .is_some_and(|c| c.subject() == &change.person)
            })
            .collect();
        crate::consent::apply(&mut reg.consents, &event);
        reg.track_changes.extend(changes.iter().cloned());
        Ok(Receipt::Consent {
            track_changes: changes,
        })
    }
}
