//! The exported tables (分析用データの表): one row type per table, the interned agencies, and the
//! tables of participation support, community building and disaster case management.

use crate::case::Outcome;
use crate::household::Relation;
use crate::ids::*;
use crate::meeting::ConvenerRole;
use crate::referral::{ContactChannel, ReferralStatus};
use crate::stats::community::{ActivityRow, SessionRow};
use crate::stats::disaster::{DisasterRecordRow, DispatchRow, VisitRow};
use crate::stats::participation::{FollowUpRow, GapRow, MatchRow, ResourceRow};
use chrono::NaiveDate;

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
