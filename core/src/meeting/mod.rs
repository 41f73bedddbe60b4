//! Meetings (会議): meeting types as data and meeting records.
//!
//! The type of a meeting decides whether personal information may be shared without the
//! person's consent (DOMAIN.md §5). Types are data ([`MeetingTypes`], built from
//! `core/data/meeting_types.toml` and extended by a municipality, whose local names such as
//! Sendai's つながる会議 map onto a base type). A meeting record ([`Meeting`]) is validated by
//! [`Meeting::hold`]: only the roles the type names may convene it, every participant
//! acknowledges confidentiality where the type requires it, and an aggregate-only meeting lists
//! no case.
//!
//! Meeting records that bind disclosure ([`MeetingRecord`], `record.rs`: a designated convener,
//! attendees with their confidentiality pledges, the agenda, the minutes and the support
//! decisions 支援決定) are the current form; [`Meeting`] with caller-asserted acknowledgement is
//! the form older journals hold, kept so they replay.
//!
//! This module owns meeting shape and validity; what the meeting may *see* of a case is decided
//! by [`crate::disclosure::decide`], and the move between 支援会議 and 重層的支援会議 as consent
//! comes and goes by [`crate::consent::meeting_track`].

mod record;
mod types;

pub use record::{
    AgendaItem, Attendee, AttendeeRef, MeetingRecord, Pledge, RoleAssignment, SupportDecision,
    SupportOutcome,
};

pub use types::{
    ConvenerRole, MeetingAlias, MeetingType, MeetingTypeCode, MeetingTypes, MeetingTypesDocument,
    PersonalInfoRule, ResolvedType,
};

use crate::coded::Coded;
use crate::ids::*;
use crate::privacy::Audience;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::ids::string_newtype! {
    /// Meeting (会議) id.
    MeetingId,
}

/// Base code of 支援会議 (社会福祉法第106条の6): the track of a case without consent.
pub const SUPPORT_MEETING: &str = "support_meeting";
/// Base code of 重層的支援会議: the track of a case once the person consented.
pub const MULTI_LAYERED_SUPPORT_MEETING: &str = "multi_layered_support_meeting";

/// Errors of meeting types and records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeetingError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// The convener's role is not among those the type allows.
    #[error("a convener in role `{role:?}` may not convene `{meeting_type}` at {path}")]
    NotAllowedToConvene {
        /// The meeting type code.
        meeting_type: MeetingTypeCode,
        /// The convener's role.
        role: ConvenerRole,
        /// JSON path.
        path: String,
    },
    /// A participant has not acknowledged confidentiality, and the type requires it.
    #[error(
        "agency `{agency}` has not acknowledged confidentiality for `{meeting_type}` at {path}"
    )]
    ConfidentialityNotAcknowledged {
        /// The meeting type code.
        meeting_type: MeetingTypeCode,
        /// The participant.
        agency: AgencyId,
        /// JSON path.
        path: String,
    },
    /// An aggregate-only meeting lists an individual case.
    #[error("`{meeting_type}` handles aggregate figures only; case `{case}` may not be listed at {path}")]
    PersonalInfoNotAllowed {
        /// The meeting type code.
        meeting_type: MeetingTypeCode,
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// A decision about a case the meeting did not discuss.
    #[error("decision for case `{case}`, which the meeting does not list, at {path}")]
    DecisionForUnlistedCase {
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// The same agency listed twice among participants.
    #[error("agency `{agency}` listed twice at {path}")]
    DuplicateParticipant {
        /// The agency.
        agency: AgencyId,
        /// JSON path.
        path: String,
    },
    /// A review or due date before the meeting itself.
    #[error("date {date} is before the meeting ({meeting_date}) at {path}")]
    DateBeforeMeeting {
        /// The offending date.
        date: NaiveDate,
        /// The meeting date.
        meeting_date: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// The convening agency holds no designation for the meeting type on the meeting's date.
    #[error("agency `{agency}` is not designated to convene `{meeting_type}` at {path}")]
    ConvenerNotDesignated {
        /// The agency.
        agency: AgencyId,
        /// The meeting type code.
        meeting_type: MeetingTypeCode,
        /// JSON path.
        path: String,
    },
    /// A disclosure to a meeting one of whose attendees has no pledge dated on or before it.
    #[error(
        "attendee {attendee} of meeting `{meeting}` has not pledged confidentiality at {path}"
    )]
    AttendeeWithoutPledge {
        /// The meeting.
        meeting: MeetingId,
        /// Index of the attendee in the meeting record.
        attendee: usize,
        /// JSON path.
        path: String,
    },
    /// A pledge dated after the meeting.
    #[error("pledge signed on {signed_on}, after the meeting ({meeting_date}), at {path}")]
    PledgeAfterMeeting {
        /// The pledge date.
        signed_on: NaiveDate,
        /// The meeting date.
        meeting_date: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A consent-requiring meeting (重層的支援会議) lists a case whose person has no valid
    /// consent naming the meeting on its date.
    #[error(
        "`{meeting_type}` may not list case `{case}` without the person's valid consent at {path}"
    )]
    AgendaCaseWithoutConsent {
        /// The meeting type code.
        meeting_type: MeetingTypeCode,
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// Two decisions about one case in one meeting.
    #[error("a second decision for case `{case}` at {path}")]
    DuplicateDecision {
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// A disclosure to a meeting dated before the meeting was held.
    #[error("meeting `{meeting}` is held on {date}, not by {on}, at {path}")]
    MeetingNotHeld {
        /// The meeting.
        meeting: MeetingId,
        /// Its date.
        date: NaiveDate,
        /// The disclosure's date.
        on: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A disclosure (or a plan) about a case the meeting does not have on its agenda, or for
    /// which it made no such decision.
    #[error("case `{case}` is not on the agenda of meeting `{meeting}` at {path}")]
    CaseNotOnAgenda {
        /// The case.
        case: CaseId,
        /// The meeting.
        meeting: MeetingId,
        /// JSON path.
        path: String,
    },
    /// A disclosure to a meeting type that names no held meeting, once the meeting register is
    /// in force (a convener is designated).
    #[error("a disclosure to a meeting must name the held meeting at {path}")]
    MeetingRecordRequired {
        /// JSON path.
        path: String,
    },
    /// A plan from a decision that did not find support needed (支援不要), or no decision.
    #[error("meeting `{meeting}` decided no support for case `{case}` at {path}")]
    NoSupportDecided {
        /// The meeting.
        meeting: MeetingId,
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// A meeting type whose `convened_by` is empty.
    #[error("meeting type `{meeting_type}` names nobody who may convene it at {path}")]
    NoConveners {
        /// The meeting type code.
        meeting_type: MeetingTypeCode,
        /// JSON path.
        path: String,
    },
}

impl MeetingError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "not_allowed_to_convene",
        "confidentiality_not_acknowledged",
        "personal_info_not_allowed",
        "decision_for_unlisted_case",
        "duplicate_participant",
        "date_before_meeting",
        "no_conveners",
        "convener_not_designated",
        "attendee_without_pledge",
        "pledge_after_meeting",
        "agenda_case_without_consent",
        "duplicate_decision",
        "meeting_not_held",
        "case_not_on_agenda",
        "meeting_record_required",
        "no_support_decided",
    ];
}

impl Coded for MeetingError {
    fn code(&self) -> &'static str {
        match self {
            MeetingError::Document(e) => e.code(),
            MeetingError::Taxonomy(e) => e.code(),
            MeetingError::NotAllowedToConvene { .. } => "not_allowed_to_convene",
            MeetingError::ConfidentialityNotAcknowledged { .. } => {
                "confidentiality_not_acknowledged"
            }
            MeetingError::PersonalInfoNotAllowed { .. } => "personal_info_not_allowed",
            MeetingError::DecisionForUnlistedCase { .. } => "decision_for_unlisted_case",
            MeetingError::DuplicateParticipant { .. } => "duplicate_participant",
            MeetingError::DateBeforeMeeting { .. } => "date_before_meeting",
            MeetingError::NoConveners { .. } => "no_conveners",
            MeetingError::ConvenerNotDesignated { .. } => "convener_not_designated",
            MeetingError::AttendeeWithoutPledge { .. } => "attendee_without_pledge",
            MeetingError::PledgeAfterMeeting { .. } => "pledge_after_meeting",
            MeetingError::AgendaCaseWithoutConsent { .. } => "agenda_case_without_consent",
            MeetingError::DuplicateDecision { .. } => "duplicate_decision",
            MeetingError::MeetingNotHeld { .. } => "meeting_not_held",
            MeetingError::CaseNotOnAgenda { .. } => "case_not_on_agenda",
            MeetingError::MeetingRecordRequired { .. } => "meeting_record_required",
            MeetingError::NoSupportDecided { .. } => "no_support_decided",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            MeetingError::Document(e) => e.path(),
            MeetingError::Taxonomy(e) => e.path(),
            MeetingError::NotAllowedToConvene { path, .. }
            | MeetingError::ConfidentialityNotAcknowledged { path, .. }
            | MeetingError::PersonalInfoNotAllowed { path, .. }
            | MeetingError::DecisionForUnlistedCase { path, .. }
            | MeetingError::DuplicateParticipant { path, .. }
            | MeetingError::DateBeforeMeeting { path, .. }
            | MeetingError::NoConveners { path, .. }
            | MeetingError::ConvenerNotDesignated { path, .. }
            | MeetingError::AttendeeWithoutPledge { path, .. }
            | MeetingError::PledgeAfterMeeting { path, .. }
            | MeetingError::AgendaCaseWithoutConsent { path, .. }
            | MeetingError::DuplicateDecision { path, .. }
            | MeetingError::MeetingNotHeld { path, .. }
            | MeetingError::CaseNotOnAgenda { path, .. }
            | MeetingError::MeetingRecordRequired { path, .. }
            | MeetingError::NoSupportDecided { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            MeetingError::Document(e) => e.kind(),
            MeetingError::Taxonomy(e) => e.kind(),
            MeetingError::NotAllowedToConvene { .. } => crate::coded::ErrorKind::Rule,
            MeetingError::PersonalInfoNotAllowed { .. } => crate::coded::ErrorKind::Consent,
            MeetingError::ConfidentialityNotAcknowledged { .. } => crate::coded::ErrorKind::Consent,
            MeetingError::DecisionForUnlistedCase { .. } => crate::coded::ErrorKind::Rule,
            MeetingError::DuplicateParticipant { .. } => crate::coded::ErrorKind::Invalid,
            MeetingError::DateBeforeMeeting { .. } => crate::coded::ErrorKind::Rule,
            MeetingError::NoConveners { .. } => crate::coded::ErrorKind::Invalid,
            MeetingError::ConvenerNotDesignated { .. } => crate::coded::ErrorKind::Rule,
            MeetingError::AttendeeWithoutPledge { .. } => crate::coded::ErrorKind::Consent,
            MeetingError::PledgeAfterMeeting { .. } => crate::coded::ErrorKind::Rule,
            MeetingError::AgendaCaseWithoutConsent { .. } => crate::coded::ErrorKind::Consent,
            MeetingError::DuplicateDecision { .. } => crate::coded::ErrorKind::Invalid,
            MeetingError::MeetingNotHeld { .. } => crate::coded::ErrorKind::Rule,
            MeetingError::CaseNotOnAgenda { .. } => crate::coded::ErrorKind::Rule,
            MeetingError::MeetingRecordRequired { .. } => crate::coded::ErrorKind::Consent,
            MeetingError::NoSupportDecided { .. } => crate::coded::ErrorKind::Rule,
        }
    }
}

/// The convener (招集者) of a meeting: an agency acting in a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Convener {
    /// The convening agency.
    pub agency: AgencyId,
    /// The role it convenes in.
    pub role: ConvenerRole,
}

/// A participant (出席機関) of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// The attending agency.
    pub agency: AgencyId,
    /// It acknowledged confidentiality (守秘義務の確認) for this meeting.
    #[serde(default)]
    pub acknowledged_confidentiality: bool,
}

/// A decision (決定事項) of a meeting: a role assignment (役割分担) for a case, which the support
/// plan takes over as an action (who does what by when).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The case it is about (one the meeting lists).
    pub case: CaseId,
    /// The agency that takes the task.
    pub agency: AgencyId,
    /// The worker, when one is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
    /// The task (e.g. "生活保護申請に同行する").
    pub task: String,
    /// Due date, when set (not before the meeting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
}

/// A meeting record (会議録).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Meeting id.
    pub id: MeetingId,
    /// Type code (a base type or a municipal alias).
    pub meeting_type: MeetingTypeCode,
    /// Date held.
    pub date: NaiveDate,
    /// Who convened it.
    pub convener: Convener,
    /// Attending agencies.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Cases discussed (none for aggregate-only types).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseId>,
    /// Role assignments decided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
    /// Next review date (次回評価日), not before the meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review: Option<NaiveDate>,
}

impl Meeting {
    /// Validate a meeting record against the types in force; returns it unchanged when valid.
    ///
    /// Errors: `unknown_code` (type), `not_allowed_to_convene`,
    /// `confidentiality_not_acknowledged`, `duplicate_participant`, `personal_info_not_allowed`
    /// (an aggregate-only type lists a case), `decision_for_unlisted_case`,
    /// `date_before_meeting` (next review or a due date).
    ///
    /// Decision: the convener is not required to appear among the participants (the secretariat
    /// often convenes without presenting a case); whether what is shown about each listed case
    /// is allowed is a disclosure question, decided per case by [`crate::disclosure::decide`]
    /// with [`Meeting::audience`].
    pub fn hold(self, types: &MeetingTypes) -> Result<Meeting, MeetingError> {
        let ty = types.check(&self.meeting_type, "$.meeting_type")?.base;
        if !ty.may_convene(self.convener.role) {
            return Err(MeetingError::NotAllowedToConvene {
                meeting_type: self.meeting_type.clone(),
                role: self.convener.role,
                path: "$.convener.role".into(),
            });
        }
        for (i, p) in self.participants.iter().enumerate() {
            if self.participants[..i].iter().any(|q| q.agency == p.agency) {
                return Err(MeetingError::DuplicateParticipant {
                    agency: p.agency.clone(),
                    path: format!("$.participants[{i}].agency"),
                });
            }
            if ty.requires_acknowledgement && !p.acknowledged_confidentiality {
                return Err(MeetingError::ConfidentialityNotAcknowledged {
                    meeting_type: self.meeting_type.clone(),
                    agency: p.agency.clone(),
                    path: format!("$.participants[{i}].acknowledged_confidentiality"),
                });
            }
        }
        if ty.personal_info == PersonalInfoRule::AggregateOnly {
            if let Some(case) = self.cases.first() {
                return Err(MeetingError::PersonalInfoNotAllowed {
                    meeting_type: self.meeting_type.clone(),
                    case: case.clone(),
                    path: "$.cases[0]".into(),
                });
            }
            if let Some(d) = self.decisions.first() {
                return Err(MeetingError::PersonalInfoNotAllowed {
                    meeting_type: self.meeting_type.clone(),
                    case: d.case.clone(),
                    path: "$.decisions[0].case".into(),
                });
            }
        }
        for (i, d) in self.decisions.iter().enumerate() {
            if !self.cases.contains(&d.case) {
                return Err(MeetingError::DecisionForUnlistedCase {
                    case: d.case.clone(),
                    path: format!("$.decisions[{i}].case"),
                });
            }
            if let Some(due) = d.due.filter(|due| *due < self.date) {
                return Err(MeetingError::DateBeforeMeeting {
                    date: due,
                    meeting_date: self.date,
                    path: format!("$.decisions[{i}].due"),
                });
            }
        }
        if let Some(r) = self.next_review.filter(|r| *r < self.date) {
            return Err(MeetingError::DateBeforeMeeting {
                date: r,
                meeting_date: self.date,
                path: "$.next_review".into(),
            });
        }
        Ok(self)
    }

    /// The meeting as a disclosure audience: its type, and whether every participant
    /// acknowledged confidentiality.
    pub fn audience(&self) -> Audience {
        Audience::Meeting {
            meeting_type: self.meeting_type.clone(),
            participants_acknowledged: self
                .participants
                .iter()
                .all(|p| p.acknowledged_confidentiality),
        }
    }

    /// The decisions about one case, in order (to become plan actions).
    pub fn decisions_for<'a>(&'a self, case: &'a CaseId) -> impl Iterator<Item = &'a Decision> {
        self.decisions.iter().filter(move |d| &d.case == case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn meeting(ty: &str, role: ConvenerRole) -> Meeting {
        Meeting {
            id: "m1".into(),
            meeting_type: ty.into(),
            date: d("2024-05-10"),
            convener: Convener {
                agency: "city".into(),
                role,
            },
            participants: vec![
                Participant {
                    agency: "csw".into(),
                    acknowledged_confidentiality: true,
                },
                Participant {
                    agency: "school".into(),
                    acknowledged_confidentiality: true,
                },
            ],
            cases: vec!["case-y".into()],
            decisions: vec![Decision {
                case: "case-y".into(),
                agency: "csw".into(),
                worker: Some("w1".into()),
                task: "生活保護申請に同行する".into(),
                due: Some(d("2024-05-20")),
            }],
            next_review: Some(d("2024-06-10")),
        }
    }

    fn code(r: Result<Meeting, MeetingError>) -> (&'static str, Option<String>) {
        let e = r.unwrap_err();
        (e.code(), e.path())
    }

    #[test]
    fn support_meeting_is_convened_by_the_municipality_only() {
        let t = MeetingTypes::builtin();
        let m = meeting("support_meeting", ConvenerRole::Municipality);
        assert_eq!(m.clone().hold(&t).unwrap(), m);
        let bad = meeting("support_meeting", ConvenerRole::MultiAgencyOperator);
        assert_eq!(
            code(bad.hold(&t)),
            ("not_allowed_to_convene", Some("$.convener.role".into()))
        );
    }

    #[test]
    fn each_type_admits_exactly_its_conveners() {
        use ConvenerRole::*;
        let t = MeetingTypes::builtin();
        let table: &[(&str, &[ConvenerRole])] = &[
            ("support_meeting", &[Municipality]),
            (
                "multi_layered_support_meeting",
                &[Municipality, MultiAgencyOperator],
            ),
            (
                "community_care_meeting",
                &[Municipality, CommunityGeneralSupportCenter],
            ),
            ("child_protection_council", &[Municipality]),
            ("self_reliance_support_meeting", &[Municipality]),
            (
                "case_conference",
                &[
                    Municipality,
                    MultiAgencyOperator,
                    CommunityGeneralSupportCenter,
                    AnyAgency,
                ],
            ),
            ("promotion_meeting", &[Municipality, MultiAgencyOperator]),
            ("network_meeting", &[Municipality, MultiAgencyOperator]),
            ("council", &[Municipality]),
        ];
        for (ty, allowed) in table {
            for role in [
                Municipality,
                MultiAgencyOperator,
                CommunityGeneralSupportCenter,
                AnyAgency,
            ] {
                let mut m = meeting(ty, role);
                m.cases.clear();
                m.decisions.clear();
                let r = m.hold(&t);
                assert_eq!(r.is_ok(), allowed.contains(&role), "{ty} {role:?}: {r:?}");
            }
        }
    }

    #[test]
    fn acknowledgement_is_required_where_the_type_says() {
        let t = MeetingTypes::builtin();
        let mut m = meeting("support_meeting", ConvenerRole::Municipality);
        m.participants[1].acknowledged_confidentiality = false;
        assert_eq!(
            code(m.hold(&t)),
            (
                "confidentiality_not_acknowledged",
                Some("$.participants[1].acknowledged_confidentiality".into())
            )
        );
        // A case conference does not require it.
        let mut m = meeting("case_conference", ConvenerRole::AnyAgency);
        m.participants[1].acknowledged_confidentiality = false;
        assert!(m.hold(&t).is_ok());
    }

    #[test]
    fn aggregate_only_types_list_no_case() {
        let t = MeetingTypes::builtin();
        for ty in ["network_meeting", "promotion_meeting", "council"] {
            let m = meeting(ty, ConvenerRole::Municipality);
            assert_eq!(
                code(m.hold(&t)),
                ("personal_info_not_allowed", Some("$.cases[0]".into())),
                "{ty}"
            );
            let mut m = meeting(ty, ConvenerRole::Municipality);
            m.cases.clear();
            assert_eq!(
                code(m.hold(&t)),
                (
                    "personal_info_not_allowed",
                    Some("$.decisions[0].case".into())
                )
            );
            let mut m = meeting(ty, ConvenerRole::Municipality);
            m.cases.clear();
            m.decisions.clear();
            assert!(m.hold(&t).is_ok());
        }
    }

    #[test]
    fn other_record_errors() {
        let t = MeetingTypes::builtin();
        let mut m = meeting("support_meeting", ConvenerRole::Municipality);
        m.meeting_type = "tea_party".into();
        assert_eq!(
            code(m.hold(&t)),
            ("unknown_code", Some("$.meeting_type".into()))
        );

        let mut m = meeting("support_meeting", ConvenerRole::Municipality);
        m.participants.push(m.participants[0].clone());
        assert_eq!(
            code(m.hold(&t)),
            (
                "duplicate_participant",
                Some("$.participants[2].agency".into())
            )
        );

        let mut m = meeting("support_meeting", ConvenerRole::Municipality);
        m.decisions[0].case = "other".into();
        assert_eq!(
            code(m.hold(&t)),
            (
                "decision_for_unlisted_case",
                Some("$.decisions[0].case".into())
            )
        );

        let mut m = meeting("support_meeting", ConvenerRole::Municipality);
        m.decisions[0].due = Some(d("2024-05-09"));
        assert_eq!(
            code(m.hold(&t)),
            ("date_before_meeting", Some("$.decisions[0].due".into()))
        );

        let mut m = meeting("support_meeting", ConvenerRole::Municipality);
        m.next_review = Some(d("2024-01-01"));
        assert_eq!(
            code(m.hold(&t)),
            ("date_before_meeting", Some("$.next_review".into()))
        );
    }

    #[test]
    fn municipal_alias_applies_the_base_rules() {
        let mut t = MeetingTypes::builtin();
        t.extend_toml(
            "[[aliases]]\ncode = \"ayagawa_comprehensive_support\"\nja = \"包括的支援会議\"\nen = \"Comprehensive support meeting\"\nbase = \"support_meeting\"\n",
        )
        .unwrap();
        let m = meeting(
            "ayagawa_comprehensive_support",
            ConvenerRole::MultiAgencyOperator,
        );
        assert_eq!(code(m.hold(&t)).0, "not_allowed_to_convene");
        let m = meeting("ayagawa_comprehensive_support", ConvenerRole::Municipality);
        let held = m.hold(&t).unwrap();
        assert_eq!(
            held.audience(),
            Audience::Meeting {
                meeting_type: "ayagawa_comprehensive_support".into(),
                participants_acknowledged: true
            }
        );
        assert_eq!(held.decisions_for(&"case-y".into()).count(), 1);
    }

    #[test]
    fn meeting_record_round_trips_and_rejects_unknown_fields() {
        let m = meeting("support_meeting", ConvenerRole::Municipality);
        let json = serde_json::to_string(&m).unwrap();
        let back: Meeting = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["room"] = "3F".into();
        assert!(serde_json::from_value::<Meeting>(v).is_err());
    }
}
