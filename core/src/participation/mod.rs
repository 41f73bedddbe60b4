//! Participation support (参加支援事業): reconnecting people to society through social resources.
//!
//! This module owns
//! - the **social-resource directory** (社会資源): 居場所, サロン, 通いの場, コミュニティ食堂, work
//!   experience places, volunteering, peer groups … with their kinds as extendable data
//!   ([`ResourceKinds`], default list in `core/data/social_resources.toml`);
//! - **matching** ([`match_candidates`]): ranked candidate resources for one person, each with the
//!   reasons that raised its score, the way routing explains its recommendations;
//! - the **match record** ([`MatchRecord`]) and its lifecycle (proposed → tried → continuing →
//!   stopped), with follow-up visits after matching (定着支援) and [`follow_ups_due`].
//!   **Invariant:** a match that is not stopped always carries its next follow-up date — the types
//!   make a live match without one unrepresentable, and a follow-up can only be recorded with the
//!   next date or a stop;
//! - **resource gaps** (社会資源の不足): needs no resource meets, counted per area without
//!   personal data ([`GapRegister`], [`gaps_by_area`]), for the project's duty to develop new
//!   resources.
//!
//! It does not own community activities (see `community`), the journal or the annual report.
//! Commands and records are serde types so the journal can carry them as events.

mod gap;
mod matching;
mod record;
mod resource;
#[cfg(test)]
mod tests;

pub use gap::{gaps_by_area, AreaGaps, GapRegister, GapSuggestion, Need, NeedCount, ResourceGap};
pub use matching::{
    gap_suggestions, match_candidates, Candidate, Constraints, MatchRequest, MatchWeights, Reach,
    Reason,
};
pub use record::{
    follow_ups_due, participation_stats, FollowUp, FollowUpDue, FollowUpNext, MatchBook,
    MatchCommand, MatchRecord, MatchStage, MatchStatus, Observation, ParticipationStats,
    StatusChange, StopReason,
};
pub use resource::{
    Accessibility, Audience, Capacity, ResourceDirectory, ResourceKind, ResourceKinds,
    ResourceKindsDocument, SocialResource, Target,
};

use crate::coded::Coded;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

string_newtype! {
    /// Social resource (社会資源) id in the directory.
    ResourceId,
    /// Social-resource kind code (社会資源の種別), e.g. `peer_group`.
    ResourceKindCode,
    /// A wish (本人の希望) as a code or keyword, e.g. `peer_group`, `cooking`, `parenting`.
    WishCode,
    /// Match record (マッチング) id.
    MatchId,
}

/// Day of the week (曜日) a resource is held or a person is available.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Day {
    /// 月曜日
    Monday,
    /// 火曜日
    Tuesday,
    /// 水曜日
    Wednesday,
    /// 木曜日
    Thursday,
    /// 金曜日
    Friday,
    /// 土曜日
    Saturday,
    /// 日曜日
    Sunday,
}

impl Day {
    /// The day of a date.
    pub fn of(date: NaiveDate) -> Day {
        use chrono::Datelike;
        match date.weekday() {
            chrono::Weekday::Mon => Day::Monday,
            chrono::Weekday::Tue => Day::Tuesday,
            chrono::Weekday::Wed => Day::Wednesday,
            chrono::Weekday::Thu => Day::Thursday,
            chrono::Weekday::Fri => Day::Friday,
            chrono::Weekday::Sat => Day::Saturday,
            chrono::Weekday::Sun => Day::Sunday,
        }
    }
    /// Japanese one-character label (月, 火 …).
    pub fn ja(self) -> &'static str {
        match self {
            Day::Monday => "月",
            Day::Tuesday => "火",
            Day::Wednesday => "水",
            Day::Thursday => "木",
            Day::Friday => "金",
            Day::Saturday => "土",
            Day::Sunday => "日",
        }
    }
}

/// Errors of participation support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParticipationError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// An agency directory error (an unknown agency …).
    #[error(transparent)]
    Agency(#[from] crate::agency::AgencyError),
    /// Two resources with one id.
    #[error("duplicate resource id `{id}` at {path}")]
    DuplicateResource {
        /// The id.
        id: ResourceId,
        /// JSON path.
        path: String,
    },
    /// A resource id that is not in the directory.
    #[error("unknown resource `{id}` at {path}")]
    UnknownResource {
        /// The id.
        id: ResourceId,
        /// JSON path of the reference.
        path: String,
    },
    /// A person id that is not a member of the household.
    #[error("person `{id}` is not a member of the household at {path}")]
    UnknownPerson {
        /// The id.
        id: PersonId,
        /// JSON path of the reference.
        path: String,
    },
    /// A target age range whose minimum exceeds its maximum.
    #[error("resource `{id}` targets ages {min}..={max}: empty range at {path}")]
    EmptyAgeRange {
        /// The resource.
        id: ResourceId,
        /// Minimum age.
        min: u32,
        /// Maximum age.
        max: u32,
        /// JSON path.
        path: String,
    },
    /// A current count above the capacity.
    #[error("resource `{id}` has {current} participants for {limit} places at {path}")]
    OverCapacity {
        /// The resource.
        id: ResourceId,
        /// Current count.
        current: u32,
        /// Capacity.
        limit: u32,
        /// JSON path.
        path: String,
    },
    /// A match id that is not recorded.
    #[error("unknown match `{id}` at {path}")]
    UnknownMatch {
        /// The id.
        id: MatchId,
        /// JSON path of the reference.
        path: String,
    },
    /// A match id used twice.
    #[error("duplicate match id `{id}` at {path}")]
    DuplicateMatch {
        /// The id.
        id: MatchId,
        /// JSON path.
        path: String,
    },
    /// A command the match's current status does not allow.
    #[error("match `{id}`: `{command}` is not allowed when the match is {from}")]
    IllegalTransition {
        /// The match.
        id: MatchId,
        /// Current status code.
        from: &'static str,
        /// Command code.
        command: &'static str,
    },
    /// A command dated before the match's last recorded date.
    #[error("match `{id}`: date {on} is before the last recorded date {last} at {path}")]
    DateOutOfOrder {
        /// The match.
        id: MatchId,
        /// The command's date.
        on: NaiveDate,
        /// The last recorded date.
        last: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A next follow-up date that is not after the command's date.
    #[error("match `{id}`: next follow-up {next} must be after {on} at {path}")]
    FollowUpNotAfter {
        /// The match.
        id: MatchId,
        /// The command's date.
        on: NaiveDate,
        /// The proposed next follow-up date.
        next: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A resource gap whose household has no area code: it cannot be counted per area.
    #[error("resource gap for need `{need}` has no area at {path}")]
    GapAreaUnknown {
        /// The need's code.
        need: String,
        /// JSON path.
        path: String,
    },
}

impl ParticipationError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "duplicate_resource",
        "unknown_resource",
        "unknown_person",
        "empty_age_range",
        "over_capacity",
        "unknown_match",
        "duplicate_match",
        "illegal_transition",
        "date_out_of_order",
        "follow_up_not_after",
        "gap_area_unknown",
    ];
}

impl Coded for ParticipationError {
    fn code(&self) -> &'static str {
        match self {
            ParticipationError::Document(e) => e.code(),
            ParticipationError::Taxonomy(e) => e.code(),
            ParticipationError::Agency(e) => e.code(),
            ParticipationError::DuplicateResource { .. } => "duplicate_resource",
            ParticipationError::UnknownResource { .. } => "unknown_resource",
            ParticipationError::UnknownPerson { .. } => "unknown_person",
            ParticipationError::EmptyAgeRange { .. } => "empty_age_range",
            ParticipationError::OverCapacity { .. } => "over_capacity",
            ParticipationError::UnknownMatch { .. } => "unknown_match",
            ParticipationError::DuplicateMatch { .. } => "duplicate_match",
            ParticipationError::IllegalTransition { .. } => "illegal_transition",
            ParticipationError::DateOutOfOrder { .. } => "date_out_of_order",
            ParticipationError::FollowUpNotAfter { .. } => "follow_up_not_after",
            ParticipationError::GapAreaUnknown { .. } => "gap_area_unknown",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            ParticipationError::Document(e) => e.path(),
            ParticipationError::Taxonomy(e) => e.path(),
            ParticipationError::Agency(e) => e.path(),
            ParticipationError::DuplicateResource { path, .. }
            | ParticipationError::UnknownResource { path, .. }
            | ParticipationError::UnknownPerson { path, .. }
            | ParticipationError::EmptyAgeRange { path, .. }
            | ParticipationError::OverCapacity { path, .. }
            | ParticipationError::UnknownMatch { path, .. }
            | ParticipationError::DuplicateMatch { path, .. }
            | ParticipationError::DateOutOfOrder { path, .. }
            | ParticipationError::FollowUpNotAfter { path, .. }
            | ParticipationError::GapAreaUnknown { path, .. } => Some(path.clone()),
            ParticipationError::IllegalTransition { .. } => None,
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            ParticipationError::Document(e) => e.kind(),
            ParticipationError::Taxonomy(e) => e.kind(),
            ParticipationError::Agency(e) => e.kind(),
            ParticipationError::DuplicateResource { .. } => crate::coded::ErrorKind::AlreadyExists,
            ParticipationError::UnknownResource { .. } => crate::coded::ErrorKind::NotFound,
            ParticipationError::UnknownPerson { .. } => crate::coded::ErrorKind::NotFound,
            ParticipationError::EmptyAgeRange { .. } => crate::coded::ErrorKind::Invalid,
            ParticipationError::OverCapacity { .. } => crate::coded::ErrorKind::Rule,
            ParticipationError::UnknownMatch { .. } => crate::coded::ErrorKind::NotFound,
            ParticipationError::DuplicateMatch { .. } => crate::coded::ErrorKind::AlreadyExists,
            ParticipationError::IllegalTransition { .. } => crate::coded::ErrorKind::Transition,
            ParticipationError::DateOutOfOrder { .. } => crate::coded::ErrorKind::Rule,
            ParticipationError::FollowUpNotAfter { .. } => crate::coded::ErrorKind::Rule,
            ParticipationError::GapAreaUnknown { .. } => crate::coded::ErrorKind::NotFound,
        }
    }
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn every_variant_code_is_listed() {
        let id = MatchId::new("m");
        let d = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
        let all = [
            ParticipationError::DuplicateResource {
                id: "r".into(),
                path: "$".into(),
            },
            ParticipationError::UnknownResource {
                id: "r".into(),
                path: "$".into(),
            },
            ParticipationError::UnknownPerson {
                id: "p".into(),
                path: "$".into(),
            },
            ParticipationError::EmptyAgeRange {
                id: "r".into(),
                min: 2,
                max: 1,
                path: "$".into(),
            },
            ParticipationError::OverCapacity {
                id: "r".into(),
                current: 2,
                limit: 1,
                path: "$".into(),
            },
            ParticipationError::UnknownMatch {
                id: id.clone(),
                path: "$".into(),
            },
            ParticipationError::DuplicateMatch {
                id: id.clone(),
                path: "$".into(),
            },
            ParticipationError::IllegalTransition {
                id: id.clone(),
                from: "stopped",
                command: "stop",
            },
            ParticipationError::DateOutOfOrder {
                id: id.clone(),
                on: d,
                last: d,
                path: "$".into(),
            },
            ParticipationError::FollowUpNotAfter {
                id,
                on: d,
                next: d,
                path: "$".into(),
            },
            ParticipationError::GapAreaUnknown {
                need: "x".into(),
                path: "$".into(),
            },
        ];
        let codes: Vec<&str> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes, ParticipationError::CODES);
    }

    #[test]
    fn day_of_date() {
        // 2024-04-01 was a Monday.
        assert_eq!(
            Day::of(NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()),
            Day::Monday
        );
        assert_eq!(
            Day::of(NaiveDate::from_ymd_opt(2024, 4, 7).unwrap()),
            Day::Sunday
        );
    }
}
