//! Configuration commands (設定): extending the taxonomies (分類) and the meeting types (会議の種類)
//! with a municipality's documents, and registering agencies (関係機関) in the directory.

use super::command::{Apply, RecordedDates};
use super::rules::exists;
use super::{Receipt, Registry};
use crate::agency::{Agency, Directory};
use crate::meeting::MeetingTypesDocument;
use crate::taxonomy::TaxonomyDocument;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Extend the taxonomies (分類の拡張) with a municipality's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendTaxonomy {
    /// The extension.
    pub document: TaxonomyDocument,
}

/// Extend the meeting types (会議の種類の拡張), e.g. municipal names such as つながる会議.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendMeetingTypes {
    /// The extension.
    pub document: MeetingTypesDocument,
}

/// Add an agency to the directory (関係機関の登録).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterAgency {
    /// The agency.
    pub agency: Agency,
}

impl Apply for ExtendTaxonomy {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.taxonomies = reg.taxonomies.extended(self.document.clone())?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for ExtendMeetingTypes {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.meeting_types = reg.meeting_types.extended(self.document.clone())?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for RegisterAgency {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if reg
            .directory
            .agencies()
            .iter()
            .any(|a| a.id == self.agency.id)
        {
            return Err(exists("agency", &self.agency.id, "$.agency.id"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let mut all = reg.directory.agencies().to_vec();
        all.push(self.agency.clone());
        reg.directory = Directory::new(all, &reg.taxonomies)?;
        Ok(Receipt::Recorded)
    }
}
