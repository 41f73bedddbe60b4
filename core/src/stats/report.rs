//! The annual report's shape (実績報告) and its settings (age bands, network meeting types).

use super::StatsError;
use crate::calendar::FiscalYear;
use crate::community::SupportStage;
use crate::ids::AreaCode;
use crate::meeting::{ConvenerRole, MeetingTypeCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One age band (年齢区分): ages `min ..= max` (`max` `None` = and over).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    /// Stable code, e.g. `age_20s`.
    pub code: String,
    /// Label as printed (`20代`).
    pub ja: String,
    /// Youngest age in the band.
    pub min: u32,
    /// Oldest age in the band; `None` for the last, open band (`75歳以上`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// Age bands (年齢区分) of the report: contiguous from 0, ascending, the last one open. Persons
/// whose age is unknown go to the extra row `unknown` (不明).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct AgeBands(Vec<AgeBand>);

/// Code of the row for persons whose age is unknown.
pub const UNKNOWN_AGE: &str = "unknown";

impl AgeBands {
    /// Check and wrap bands: non-empty, first from 0, each starting right after the previous
    /// one's `max`, only the last open (`invalid_age_bands` at `$[i]`).
    pub fn new(bands: Vec<AgeBand>) -> Result<Self, StatsError> {
        let bad = |reason: &str, i: usize| StatsError::InvalidAgeBands {
            reason: reason.into(),
            path: format!("$[{i}]"),
        };
        if bands.is_empty() {
            return Err(bad("no bands", 0));
        }
        let mut next = 0u32;
        for (i, b) in bands.iter().enumerate() {
            if b.min != next {
                return Err(bad("band does not start where the previous one ended", i));
            }
            if b.code == UNKNOWN_AGE || bands[..i].iter().any(|a| a.code == b.code) {
                return Err(bad("duplicate or reserved code", i));
            }
            match b.max {
                Some(max) if max < b.min => return Err(bad("max below min", i)),
                Some(max) => next = max + 1,
                None if i + 1 != bands.len() => {
                    return Err(bad("only the last band may be open", i))
                }
                None => {}
            }
        }
        if bands.last().is_some_and(|b| b.max.is_some()) {
            return Err(bad("the last band must be open", bands.len() - 1));
        }
        Ok(AgeBands(bands))
    }

    /// The bands.
    pub fn bands(&self) -> &[AgeBand] {
        &self.0
    }

    /// Code of the band of `age` (`unknown` for `None`).
    pub fn band_of(&self, age: Option<u32>) -> &str {
        match age {
            None => UNKNOWN_AGE,
            Some(a) => self
                .0
                .iter()
                .find(|b| a >= b.min && b.max.is_none_or(|m| a <= m))
                .map_or(UNKNOWN_AGE, |b| b.code.as_str()),
        }
    }

    /// Index of the band of `age`; `bands().len()` for unknown.
    pub fn index_of(&self, age: Option<u32>) -> usize {
        match age {
            None => self.0.len(),
            Some(a) => self
                .0
                .iter()
                .position(|b| a >= b.min && b.max.is_none_or(|m| a <= m))
                .unwrap_or(self.0.len()),
        }
    }
}

impl Default for AgeBands {
    /// The issue's default: under 20, 20s, 30s, 40s, 50s, 60–64, 65–74, 75 and over.
    fn default() -> Self {
        let b = |code: &str, ja: &str, min: u32, max: Option<u32>| AgeBand {
            code: code.into(),
            ja: ja.into(),
            min,
            max,
        };
        AgeBands(vec![
            b("under_20", "20歳未満", 0, Some(19)),
            b("age_20s", "20代", 20, Some(29)),
            b("age_30s", "30代", 30, Some(39)),
            b("age_40s", "40代", 40, Some(49)),
            b("age_50s", "50代", 50, Some(59)),
            b("age_60_64", "60〜64歳", 60, Some(64)),
            b("age_65_74", "65〜74歳", 65, Some(74)),
            b("age_75_plus", "75歳以上", 75, None),
        ])
    }
}

fn default_network_types() -> Vec<MeetingTypeCode> {
    vec!["promotion_meeting".into(), "network_meeting".into()]
}

/// Settings of the report (a document: `{"age_bands": [...], "network_meeting_types": [...]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Age bands; default [`AgeBands::default`].
    #[serde(default)]
    pub age_bands: AgeBands,
    /// Base meeting types counted as network meetings (相談支援包括化推進会議 and the like).
    #[serde(default = "default_network_types")]
    pub network_meeting_types: Vec<MeetingTypeCode>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            age_bands: AgeBands::default(),
            network_meeting_types: default_network_types(),
        }
    }
}

/// A labelled count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CodeCount {
    /// Code.
    pub code: String,
    /// Japanese label (the code itself when the taxonomy has none).
    pub ja: String,
    /// Count.
    pub count: u64,
}

/// A count per calendar month of the fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Count.
    pub count: u64,
}

/// First consultations (初回相談) of the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FirstConsultations {
    /// Total (初回相談者の総数).
    pub total: u64,
    /// Total / 12 (月平均).
    pub monthly_average: f64,
    /// April … March.
    pub by_month: Vec<MonthCount>,
    /// Ended with information or advice only (単発相談).
    pub single: u64,
    /// Taken into continuing support with a plan (継続相談).
    pub continuing: u64,
    /// Handed over to another system or agency (つなぎ).
    pub handed_over: u64,
    /// Not decided by March 31.
    pub undecided: u64,
}

/// New and carried-over cases (新規・繰越).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Caseload {
    /// Opened during the year (intake or outreach).
    pub new: u64,
    /// Opened before April 1 and open on April 1 (前年度からの繰越).
    pub carried_over: u64,
    /// Closed on April 1 and reopened during the year (再開).
    pub reopened: u64,
}

/// Persons per age band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BandCount {
    /// Band code (`unknown` for 不明).
    pub code: String,
    /// Label.
    pub ja: String,
    /// Persons.
    pub count: u64,
}

/// Plans and monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanCounts {
    /// Plans made (プラン作成, first versions).
    pub made: u64,
    /// Re-plans (リプラン).
    pub replans: u64,
    /// Monitoring records (モニタリング実施).
    pub monitoring: u64,
}

/// One row of Table 1: an agency kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactKindRow {
    /// Sector code.
    pub sector: String,
    /// Agency kind code.
    pub kind: String,
    /// Label (市保護課 …).
    pub ja: String,
    /// Contacts.
    pub count: u64,
}

/// A sector subtotal (計) of Table 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactSectorRow {
    /// Sector code.
    pub sector: String,
    /// Label (行政機関・相談窓口 …).
    pub ja: String,
    /// Contacts.
    pub count: u64,
}

/// Liaison contacts by agency kind (相談支援機関等との連絡調整, Table 1 of seeds 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactTable {
    /// One row per agency kind, in taxonomy order, zero rows included.
    pub rows: Vec<ContactKindRow>,
    /// One subtotal per sector, in taxonomy order.
    pub sectors: Vec<ContactSectorRow>,
    /// Total (延べ回数).
    pub total: u64,
}

/// Case meetings (ケース会議) held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeetingCounts {
    /// Total.
    pub total: u64,
    /// Per recorded type code (municipal aliases kept).
    pub by_type: Vec<CodeCount>,
    /// Per convener role.
    pub by_convener: Vec<(ConvenerRole, u64)>,
}

/// A network meeting held (相談支援包括化推進会議 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NetworkMeeting {
    /// Ordinal in the year (第n回), by date.
    pub number: u32,
    /// Date.
    pub date: NaiveDate,
    /// Recorded type code.
    pub meeting_type: String,
}

/// The annual report (実績報告) of a fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnnualReport {
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// Its label (令和2年度).
    pub label: String,
    /// First consultations.
    pub first_consultations: FirstConsultations,
    /// New / carried over.
    pub caseload: Caseload,
    /// Issues of the year's first consultations, one row per taxonomy issue (several per person).
    pub issues: Vec<CodeCount>,
    /// Subjects of the year's first consultations by age band on the intake date.
    pub age_bands: Vec<BandCount>,
    /// Plans and monitoring.
    pub plans: PlanCounts,
    /// Closures by reason, one row per taxonomy reason (unknown codes appended).
    pub closures: Vec<CodeCount>,
    /// Referrals proposed in the year by their status on March 31.
    pub referrals: Vec<CodeCount>,
    /// Table 1.
    pub contacts: ContactTable,
    /// Case meetings.
    pub case_meetings: MeetingCounts,
    /// Network meetings with their dates.
    pub network_meetings: Vec<NetworkMeeting>,
    /// Participation support (参加支援事業): matches, follow-ups, resource gaps by area.
    #[serde(default)]
    pub participation: ParticipationFigures,
    /// Community building (地域づくり事業): activities, sessions, participants per area and stage.
    #[serde(default)]
    pub community: CommunityFigures,
    /// Case record and outreach (支援経過記録・アウトリーチ): entries, attempts, persons reached,
    /// relationship stages, cases kept connected. Left out of the JSON when nothing was counted.
    #[serde(default, skip_serializing_if = "RecordFigures::is_empty")]
    pub record: RecordFigures,
}

impl AnnualReport {
    /// A count by code from one of the code-count lists (0 when absent).
    pub fn count(list: &[CodeCount], code: &str) -> u64 {
        list.iter().find(|c| c.code == code).map_or(0, |c| c.count)
    }

    /// Table 1 count of an agency kind.
    pub fn contacts_of_kind(&self, kind: &str) -> u64 {
        self.contacts
            .rows
            .iter()
            .find(|r| r.kind == kind)
            .map_or(0, |r| r.count)
    }

    /// Table 1 subtotal of a sector.
    pub fn contacts_of_sector(&self, sector: &str) -> u64 {
        self.contacts
            .sectors
            .iter()
            .find(|r| r.sector == sector)
            .map_or(0, |r| r.count)
    }
}

/// One need's count of persons in an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NeedRow {
    /// Need code (`issue:hikikomori`, `wish:farming`, `participation`).
    pub need: String,
    /// Persons.
    pub persons: u64,
}

/// Resource gaps (社会資源の不足) found in one area during the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GapAreaRow {
    /// Area code.
    pub area: AreaCode,
    /// Persons over all needs (a person with two needs counts twice).
    pub persons: u64,
    /// Needs, most persons first, then by code.
    pub needs: Vec<NeedRow>,
}

/// Participation-support figures (参加支援事業の実績).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParticipationFigures {
    /// Matches proposed in the year (マッチング提案数).
    pub proposed: u64,
    /// Matches that entered `tried` in the year (体験参加).
    pub tried: u64,
    /// Matches that entered `continuing` in the year (継続参加).
    pub continuing: u64,
    /// Matches stopped in the year.
    pub stopped: u64,
    /// Stops by reason, one row per reason.
    pub stopped_by_reason: Vec<CodeCount>,
    /// Matches live (not stopped) on March 31.
    pub live_at_end: u64,
    /// Follow-up visits in the year (定着支援の回数).
    pub follow_ups: u64,
    /// Resource gaps found in the year, by area (sorted by area code).
    pub resource_gaps: Vec<GapAreaRow>,
}

/// One support stage's figures in an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StageRow {
    /// The stage.
    pub stage: SupportStage,
    /// Its label (居場所づくり, 見守り, 生活支援).
    pub ja: String,
    /// Activities serving the stage that ran in the year.
    pub activities: u64,
    /// Their sessions in the year.
    pub sessions: u64,
    /// Participants over those sessions (延べ).
    pub participants: u64,
}

/// Community-building figures of one small area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommunityAreaRow {
    /// Small area code.
    pub area: AreaCode,
    /// Activities that ran in the year.
    pub activities: u64,
    /// Sessions in the year.
    pub sessions: u64,
    /// Participants over those sessions (延べ参加者数).
    pub participants: u64,
    /// Supporters over those sessions (延べ担い手数).
    pub supporters: u64,
    /// Per stage (an activity serving two stages counts in both).
    pub by_stage: Vec<StageRow>,
}

/// Community-building figures (地域づくり事業の実績).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommunityFigures {
    /// Activities that ran in the year, all areas.
    pub activities: u64,
    /// Sessions in the year, all areas.
    pub sessions: u64,
    /// Participants over those sessions, all areas.
    pub participants: u64,
    /// Per small area (sorted by area code).
    pub areas: Vec<CommunityAreaRow>,
}

/// Case-record and outreach figures (支援経過記録・アウトリーチ等を通じた継続的支援事業) of a
/// fiscal year; see `stats/fold/record.rs` for what each counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecordFigures {
    /// Case-record entries dated in the year (corrections not counted again).
    pub entries: u64,
    /// Entries by kind code (codes seen in the year, sorted).
    pub entries_by_kind: Vec<CodeCount>,
    /// Outreach attempts dated in the year.
    pub outreach_attempts: u64,
    /// Attempts by outcome, one row per outcome (zero rows included).
    pub attempts_by_outcome: Vec<CodeCount>,
    /// Persons reached (会えた・話せた) by an attempt dated in the year.
    pub persons_reached: u64,
    /// Cases with an attempt in the year by the highest relationship stage reached by March
    /// 31, one row per stage (zero rows included).
    pub cases_by_stage: Vec<CodeCount>,
    /// Cases kept connected without a plan (つながり続ける支援) at some time in the year.
    pub kept_connected: u64,
}

impl RecordFigures {
    /// Whether nothing was counted (the report then leaves the figures out of its JSON).
    pub fn is_empty(&self) -> bool {
        self.entries == 0 && self.outreach_attempts == 0 && self.kept_connected == 0
    }
}
