//! Pseudonymised export (仮名加工した分析用データ): tables of cases, persons, issues, contacts,
//! referrals and meetings for analysis outside the case system.
//!
//! What leaves: codes (issues, agency kinds, sectors, closure reasons, meeting types, states),
//! dates of records (intake, contact, meeting …), and keyed pseudonyms ([`Pseudonymiser`]) in
//! place of every id — of cases, households, persons, agencies (an "agency" may be a single
//! 民生委員 or a neighbour), referrals, contacts and meetings. What never leaves: names, free
//! text (chief complaints, purposes, notes, wishes), birth dates (coarsened to age bands: the
//! person's band on `as_of`, the subject's band on the intake date), persons' and households'
//! areas. The participation, community and disaster tables ([`SupportTables`]) are
//! described below.
//!
//! Small vocabularies are interned: rows hold indices into [`ExportTables::agencies`],
//! [`ExportTables::issue_codes`] and [`ExportTables::age_bands`], so ten million contacts take
//! about 40 bytes each and a binding can hand them to Arrow as dictionary columns.
//!
//! The export is one ordered pass over the journal (agencies and households are registered
//! before they are referenced); it does not re-validate commands.
//!
//! # Participation, community and disaster tables
//!
//! [`SupportTables`] holds the participation support (参加支援), community building (地域づくり)
//! and disaster case management (災害ケースマネジメント) tables, folded in the same ordered pass.
//!
//! The rules of the export hold here too: keyed pseudonyms ([`super::Pseudonymiser`]) in place of
//! every id, codes and record dates leave, names and free text never do. What this module adds is
//! the line between a **place** and a **person**: the area of a social resource, of a community
//! activity and of a resource gap is the figure's key — per-area figures are what the data are for
//! (社会資源の開発, 地域づくり) — and it names a place, so it leaves as the municipality codes it. A
//! person's or a household's area never leaves (no table has one), nor does anything
//! that would place a person: a wide-area evacuee's destination, a worker, a name.
//!
//! Decisions, table by table (column names as in the Python tables):
//!
//! | table | what leaves | what stays in |
//! |---|---|---|
//! | `resources` (社会資源) | pseudonym; kind code; the areas it serves (a place; empty = the whole municipality); capacity limit and current count (numbers, no one in them); the contact agency's pseudonym (as in the other tables) | name (it often names the organiser or a house), days, target, accessibility, free keywords (`tags`) |
//! | `matches` (マッチング) | match, person and resource pseudonyms; the stage after the journal; the dates it was proposed, tried, continued, stopped; the stop reason code | the household (join through `persons`), next follow-up dates (planning, not facts) |
//! | `match_follow_ups` (定着支援) | match pseudonym; date; the observation code | the worker |
//! | `resource_gaps` (社会資源の不足) | area (a place: where the need was found); need code; the **month** counted and the number of persons — one row per area, need and month | the day (see below); a wish that is not a code (typed prose) leaves as `wish:uncoded` |
//! | `activities` (地域活動) | pseudonym; small area and daily-life area (places); operator kind; the stage codes it serves; its resource's pseudonym; start and end dates | name |
//! | `activity_sessions` (開催) | activity pseudonym; date; participant and supporter counts (延べ人数: counts, never persons) | — |
//! | `disaster_records` (被災世帯) | record, household, disaster and linked case pseudonyms; date opened; damage level; the **current housing-stage code** (`wide_area_evacuation`, never where to); the current risk rank; whether the disaster phase ended, and when | the place of a wide-area evacuation, the disaster issues (what is carried over is in the ordinary case's assessment, exported in `issues`), the stage history |
//! | `disaster_visits` (見守り訪問) | record pseudonym; date; visitor role; whether the household was met; the rank in force that day (after the visit) and the rank decided on the visit | the worker |
//! | `disaster_dispatches` (専門職派遣) | dispatch and record pseudonyms; profession; purpose (issue code); sending agency's pseudonym; status; requested, dispatched and reported dates; outcome code | issues found (as above) |
//!
//! **Linkage.** A gap is usually recorded on the day a worker looked for a resource for one
//! person, so a gap's day next to a match's or an intake's day could tie that person to the area
//! — the household's area, which must not leave. Gaps therefore leave counted per month (the
//! annual report's fiscal year is whole months, so its figures can still be recomputed). What
//! remains by design: a match ties a person to a resource and so to the areas that resource
//! serves — where the person goes, not where they live.
//!
//! The disaster id is pseudonymised like every other id (it may be a free string); records of
//! one disaster share its pseudonym. A dispatch id is unique only within its record, so its
//! pseudonym is of the record and dispatch ids together.
//!
//! Like the rest of the export this is a fold over accepted events: it does not re-validate.

use super::community::{ActivityRow, CommunityRows, SessionRow};
use super::disaster::{DisasterRecordRow, DisasterRows, DispatchRow, VisitRow};
use super::id_tables::IdMap;
use super::participation::{FollowUpRow, GapRow, MatchRow, ParticipationRows, ResourceRow};
use super::{AgeBands, Pseudonymiser};
use crate::case::Outcome;
use crate::error::Error;
use crate::household::Relation;
use crate::ids::*;
use crate::meeting::{ConvenerRole, MeetingTypes};
use crate::referral::{ContactChannel, ReferralStatus};
use crate::registry::Event;
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A case (one row per case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Case pseudonym.
    pub case: u64,
    /// Household pseudonym.
    pub household: u64,
    /// Subject (本人) pseudonym.
    pub subject: u64,
    /// Opened on (intake or outreach start).
    pub opened_on: NaiveDate,
    /// Opened by outreach (アウトリーチ) rather than intake.
    pub outreach: bool,
    /// First consultation (intake) date, if the person engaged.
    pub first_consultation_on: Option<NaiveDate>,
    /// Subject's age band on the intake date (index into [`ExportTables::age_bands`]).
    pub age_band: u8,
    /// Highest-precedence outcome decided (as in the annual report).
    pub outcome: Option<Outcome>,
    /// Closed (after the last close / reopen).
    pub closed_on: Option<NaiveDate>,
    /// Closure reason of the last closure.
    pub closure_reason: Option<ClosureReasonCode>,
}

/// A person (one row per household member, latest household document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// Person pseudonym.
    pub person: u64,
    /// Household pseudonym.
    pub household: u64,
    /// Relation to the head.
    pub relation: Relation,
    /// Age band on `as_of` (index into [`ExportTables::age_bands`]).
    pub age_band: u8,
}

/// An issue found at assessment (latest assessment of each case; one row per member and code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueRow {
    /// Case pseudonym.
    pub case: u64,
    /// Member pseudonym; `None` for the household as a whole.
    pub member: Option<u64>,
    /// Index into [`ExportTables::issue_codes`].
    pub issue: u32,
}

/// A liaison contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    /// Contact pseudonym.
    pub contact: u64,
    /// Case pseudonym, when the contact was about one.
    pub case: Option<u64>,
    /// Date.
    pub on: NaiveDate,
    /// Index into [`ExportTables::agencies`].
    pub agency: u32,
    /// Channel.
    pub channel: ContactChannel,
}

/// A referral (status after the whole journal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRow {
    /// Referral pseudonym.
    pub referral: u64,
    /// Case pseudonym.
    pub case: u64,
    /// Sending agency (index into [`ExportTables::agencies`]).
    pub from: u32,
    /// Receiving agency (index into [`ExportTables::agencies`]).
    pub to: u32,
    /// Proposed on.
    pub proposed_on: NaiveDate,
    /// Status.
    pub status: ReferralStatus,
}

/// A meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    /// Meeting pseudonym.
    pub meeting: u64,
    /// Recorded type code.
    pub meeting_type: String,
    /// Base type code (aliases resolved; the recorded code when unknown).
    pub base_type: String,
    /// Date.
    pub date: NaiveDate,
    /// Convener's role.
    pub convener: ConvenerRole,
    /// Number of cases discussed.
    pub cases: u32,
}

/// An interned agency: pseudonym, kind and sector (`None` when the kind is unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAgency {
    /// Agency pseudonym.
    pub agency: u64,
    /// Kind code.
    pub kind: Option<AgencyKindCode>,
    /// Sector code.
    pub sector: Option<SectorCode>,
}

/// The exported tables.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportTables {
    /// Cases.
    pub cases: Vec<CaseRow>,
    /// Persons.
    pub persons: Vec<PersonRow>,
    /// Issues.
    pub issues: Vec<IssueRow>,
    /// Contacts.
    pub contacts: Vec<ContactRow>,
    /// Referrals.
    pub referrals: Vec<ReferralRow>,
    /// Meetings.
    pub meetings: Vec<MeetingRow>,
    /// Interned agencies.
    pub agencies: Vec<ExportAgency>,
    /// Interned issue codes.
    pub issue_codes: Vec<IssueCode>,
    /// Age band codes; the last is `unknown`.
    pub age_bands: Vec<String>,
    /// Participation-support, community and disaster tables (see [`SupportTables`]).
    pub support: SupportTables,
}

/// The participation, community and disaster tables of the export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportTables {
    /// Social resources, in the order first registered.
    pub resources: Vec<ResourceRow>,
    /// Matches, in the order proposed.
    pub matches: Vec<MatchRow>,
    /// Follow-ups, in journal order.
    pub follow_ups: Vec<FollowUpRow>,
    /// Resource gaps per area, need and month, in the order first counted.
    pub gaps: Vec<GapRow>,
    /// Activities, in the order registered.
    pub activities: Vec<ActivityRow>,
    /// Sessions, in journal order.
    pub sessions: Vec<SessionRow>,
    /// Affected-household records, in the order opened.
    pub disaster_records: Vec<DisasterRecordRow>,
    /// Visits, record by record, each record's in the order recorded.
    pub visits: Vec<VisitRow>,
    /// Dispatches, record by record, each record's in the order requested.
    pub dispatches: Vec<DispatchRow>,
}

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
/// [`super::fold::Rows`] (see `stats/fold/<area>.rs`).
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

/// Export the journal `events` as pseudonymised tables. `key` hashes every id; `as_of` is the
/// date on which persons' age bands are taken; `bands` are the age bands (an extra `unknown`
/// band closes the list). Errors: taxonomy or meeting-type extension errors from the journal.
pub fn export<E: std::borrow::Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
    key: &Pseudonymiser,
    as_of: NaiveDate,
    bands: &AgeBands,
) -> Result<ExportTables, Error> {
    let mut x = Exporter {
        key,
        bands,
        tax: super::id_tables::builtin_taxonomies(),
        types: super::id_tables::builtin_meeting_types(),
        agency_index: IdMap::default(),
        agencies: Vec::new(),
        issue_index: BTreeMap::new(),
        persons: IdMap::default(),
        person_order: Vec::new(),
        cases: BTreeMap::new(),
        case_pseudonyms: IdMap::default(),
        subjects: IdMap::default(),
        referrals: BTreeMap::new(),
        participation: Default::default(),
        community: Default::default(),
        disaster: Default::default(),
        out: ExportTables::default(),
    };
    for e in events {
        super::fold::rows_of(e.borrow(), &mut x)?;
    }
    let mut out = std::mem::take(&mut x.out);
    for (row, issues) in std::mem::take(&mut x.cases).into_values() {
        out.cases.push(row);
        out.issues.extend(issues);
    }
    for id in &x.person_order {
        if let Some(p) = x.persons.get(id) {
            out.persons.push(PersonRow {
                person: key.pseudonym("person", id.as_str()),
                household: key.pseudonym("household", p.household.as_str()),
                relation: p.relation,
                age_band: x.band_at(id, as_of),
            });
        }
    }
    out.referrals = std::mem::take(&mut x.referrals).into_values().collect();
    out.agencies = std::mem::take(&mut x.agencies);
    let mut codes: Vec<(u32, IssueCode)> = x.issue_index.into_iter().map(|(c, i)| (i, c)).collect();
    codes.sort();
    out.issue_codes = codes.into_iter().map(|(_, c)| c).collect();
    out.age_bands = bands.bands().iter().map(|b| b.code.clone()).collect();
    out.age_bands.push(super::report::UNKNOWN_AGE.into());
    x.disaster.finish(&mut out.support);
    Ok(out)
}

#[cfg(test)]
mod tests;
