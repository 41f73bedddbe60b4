//! The state of the export's one ordered pass over a journal (分析用データの作成): pseudonyms
//! cached, agencies and issue codes interned, cases and referrals kept until the end, and each
//! area's row indexes. Every command adds its rows through `stats::fold::Rows`.

use super::tables::*;
use crate::case::Outcome;
use crate::household::Relation;
use crate::ids::*;
use crate::meeting::MeetingTypes;
use crate::stats::community::CommunityRows;
use crate::stats::disaster::DisasterRows;
use crate::stats::id_tables::IdMap;
use crate::stats::participation::ParticipationRows;
use crate::stats::{AgeBands, Pseudonymiser};
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A person as the export knows them while folding (latest household document).
pub(in crate::stats) struct PersonInfo {
    pub(in crate::stats) household: HouseholdId,
    pub(in crate::stats) relation: Relation,
    pub(in crate::stats) birth_date: Option<NaiveDate>,
    pub(in crate::stats) approx_age: Option<u32>,
}

/// Precedence of outcomes (as in the annual report): continuing > handed over > information only.
pub(in crate::stats) fn outcome_rank(o: Outcome) -> u8 {
    match o {
        Outcome::InformationOnly => 1,
        Outcome::HandedOver => 2,
        Outcome::ContinuingSupport => 3,
    }
}

/// The state of one ordered pass over a journal; each command adds its rows through
/// `stats::fold::Rows` (see `stats/fold/<area>.rs`).
pub(in crate::stats) struct Exporter<'a> {
    pub(in crate::stats) key: &'a Pseudonymiser,
    pub(in crate::stats) bands: &'a AgeBands,
    pub(in crate::stats) tax: Taxonomies,
    pub(in crate::stats) types: MeetingTypes,
    pub(in crate::stats) agency_index: IdMap<AgencyId, u32>,
    pub(in crate::stats) agencies: Vec<ExportAgency>,
    pub(in crate::stats) issue_index: BTreeMap<IssueCode, u32>,
    pub(in crate::stats) persons: IdMap<PersonId, PersonInfo>,
    pub(in crate::stats) person_order: Vec<PersonId>,
    pub(in crate::stats) cases: BTreeMap<CaseId, (CaseRow, Vec<IssueRow>)>,
    pub(in crate::stats) case_pseudonyms: IdMap<CaseId, u64>,
    pub(in crate::stats) subjects: IdMap<CaseId, PersonId>,
    pub(in crate::stats) referrals: BTreeMap<ReferralId, ReferralRow>,
    pub(in crate::stats) participation: ParticipationRows,
    pub(in crate::stats) community: CommunityRows,
    pub(in crate::stats) disaster: DisasterRows,
    pub(in crate::stats) out: ExportTables,
}

impl Exporter<'_> {
    pub(in crate::stats) fn agency(&mut self, id: &AgencyId) -> u32 {
        if let Some(i) = self.agency_index.get(id) {
            return *i;
        }
        let i = self.agencies.len() as u32;
        self.agencies.push(ExportAgency {
            agency: self.key.pseudonym("agency", id.as_str()),
            kind: None,
            sector: None,
        });
        self.agency_index.insert(id.clone(), i);
        i
    }

    pub(in crate::stats) fn case_pseudonym(&mut self, id: &CaseId) -> u64 {
        if let Some(p) = self.case_pseudonyms.get(id) {
            return *p;
        }
        let p = self.key.pseudonym("case", id.as_str());
        self.case_pseudonyms.insert(id.clone(), p);
        p
    }

    pub(in crate::stats) fn band_at(&self, person: &PersonId, on: NaiveDate) -> u8 {
        let age = self.persons.get(person).and_then(|p| match p.birth_date {
            Some(b) => crate::calendar::age_on(b, on),
            None => p.approx_age,
        });
        self.bands.index_of(age) as u8
    }

    pub(in crate::stats) fn open(
        &mut self,
        case: &CaseId,
        household: &HouseholdId,
        subject: &PersonId,
        on: NaiveDate,
        intake: Option<NaiveDate>,
    ) {
        let row = CaseRow {
            case: self.case_pseudonym(case),
            household: self.key.pseudonym("household", household.as_str()),
            subject: self.key.pseudonym("person", subject.as_str()),
            opened_on: on,
            outreach: intake.is_none(),
            first_consultation_on: intake,
            age_band: intake.map_or(self.bands.index_of(None) as u8, |d| {
                self.band_at(subject, d)
            }),
            outcome: None,
            closed_on: None,
            closure_reason: None,
        };
        self.cases.insert(case.clone(), (row, Vec::new()));
        self.subjects.insert(case.clone(), subject.clone());
    }
}
