//! Person-master commands (個人台帳): registering and updating a person record, merging two
//! records found to be one person (名寄せ) and splitting them again, and extending the kanji
//! variants that name matching folds. The person module keeps its
//! own rules (validation, the マイナンバー refusal, merge and split); this file checks that the
//! records referred to exist and re-roots the module's paths at the command.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::ids::PersonId;
use crate::person::{KanjiVariantsDocument, MatchReason, PersonError, PersonInput};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Register a person (個人の登録) in the master.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPerson {
    /// The person (birth date in 西暦 or 和暦).
    pub person: PersonInput,
}

/// Replace a registered person's record (個人の更新); the replaced version is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePerson {
    /// The new record (same id).
    pub person: PersonInput,
}

/// Merge two records of one person (名寄せ): `merged` resolves to `survivor` from now on; both
/// records are kept and the merge can be undone by [`SplitPerson`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergePersons {
    /// The record that stays.
    pub survivor: PersonId,
    /// The record merged into it.
    pub merged: PersonId,
    /// The day the worker decided the merge.
    pub on: NaiveDate,
    /// The reasons (usually a candidate pair's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<MatchReason>,
}

/// Undo a merge (名寄せの解除): `person` is a person of its own again, and the pair is not
/// proposed as a candidate again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitPerson {
    /// The merged record to split off.
    pub person: PersonId,
    /// The day the worker decided the split.
    pub on: NaiveDate,
}

/// Extend the kanji variants that name matching folds (異体字の追加) with a municipality's
/// document (the shape of `core/data/kanji_variants.toml`); searches and 名寄せ use them at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendKanjiVariants {
    /// The document.
    pub document: KanjiVariantsDocument,
}

fn at(prefix: &'static str) -> impl Fn(PersonError) -> Error {
    move |e| e.under(prefix).into()
}

fn registered(reg: &Registry, id: &PersonId, path: &str) -> Result<(), Error> {
    if reg.persons.entry(id).is_none() {
        return Err(not_found("person", id, path));
    }
    Ok(())
}

impl Apply for RegisterPerson {
    /// None: the birth date is checked by the person module against `today`.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if reg.persons.entry(&self.person.id).is_some() {
            return Err(exists("person", &self.person.id, "$.person.id"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let record = self.person.validate(today).map_err(at("$.person"))?;
        reg.persons.register(record, today);
        Ok(Receipt::Recorded)
    }
}

impl Apply for UpdatePerson {
    /// None: the birth date is checked by the person module against `today`.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        registered(reg, &self.person.id, "$.person.id")
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let record = self.person.validate(today).map_err(at("$.person"))?;
        reg.persons
            .check_not_merged(&record.id, "$.person.id")
            .map_err(Error::from)?;
        reg.persons.update(record, today).map_err(Error::from)?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for MergePersons {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        registered(reg, &self.survivor, "$.survivor")?;
        registered(reg, &self.merged, "$.merged")
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.persons
            .merge(&self.survivor, &self.merged, self.on, self.reasons.clone())
            .map_err(Error::from)?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for SplitPerson {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        registered(reg, &self.person, "$.person")
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.persons
            .split(&self.person, self.on)
            .map_err(Error::from)?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for ExtendKanjiVariants {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.persons
            .extend_variants(&self.document)
            .map_err(at("$.document"))?;
        Ok(Receipt::Recorded)
    }
}
