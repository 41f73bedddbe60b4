//! Meeting records (会議録) that bind disclosure: who convened (an agency holding a designation,
//! [`crate::agency::Designations`]), who attended (workers and agencies), each attendee's
//! confidentiality pledge (守秘義務の誓約, a record with its date), the agenda per case (議題),
//! the minutes (会議録) and the support decisions (支援決定: 支援の要否, the project responsible,
//! the role assignments, the next review date).
//!
//! A disclosure to a meeting names a held [`MeetingRecord`]; its recipients are the record's
//! attendees ([`MeetingRecord::recipients`]), and it is refused while an attendee has no pledge
//! dated on or before the disclosure ([`MeetingRecord::unpledged_on`]). This module checks the
//! record's own shape ([`MeetingRecord::check`]); the registry checks references, the convener's
//! designation and, for a consent-requiring type (重層的支援会議), each agenda case's consent.
//!
//! **Decisions.** (1) A meeting may be recorded before every pledge is in (a pledge signed at the
//! door is added by `record_pledge`); only disclosure waits for it. (2) A pledge dated after the
//! meeting is refused (`pledge_after_meeting`): a pledge binds what is heard, so it comes first.
//! (3) One decision per case and meeting (`duplicate_decision`): a second thought is the next
//! meeting's decision. (4) "Support not needed" carries a reason and no roles — the type
//! [`SupportOutcome`] has no place for roles there.

use super::{MeetingError, MeetingId, MeetingType, MeetingTypes, PersonalInfoRule};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A confidentiality pledge (守秘義務の誓約): signed by an attendee for one meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    /// Date signed (on or before the meeting).
    pub signed_on: NaiveDate,
    /// Reference of the filed pledge (誓約書の文書番号), when the office numbers them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// An attendee (出席者) of a meeting: an agency, and the worker who came for it when named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    /// The agency attending.
    pub agency: AgencyId,
    /// The worker attending for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
    /// The attendee's pledge, once signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge: Option<Pledge>,
}

impl Attendee {
    /// The attendee as a recipient of what the meeting was shown.
    pub fn as_recipient(&self) -> AttendeeRef {
        AttendeeRef {
            agency: self.agency.clone(),
            worker: self.worker.clone(),
        }
    }
    /// Whether this attendee is `agency` (and `worker`).
    pub fn is(&self, agency: &AgencyId, worker: Option<&WorkerId>) -> bool {
        &self.agency == agency && self.worker.as_ref() == worker
    }
}

/// Who received information at a meeting (提供先: an attendee), as a provision record names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendeeRef {
    /// The agency.
    pub agency: AgencyId,
    /// The worker, when named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
}

/// An agenda item (議題): a case the meeting discusses, and what about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// The case.
    pub case: CaseId,
    /// The topic (e.g. "支援方針と役割分担の協議").
    pub topic: String,
}

/// A role assignment (役割分担) decided at a meeting: it becomes a plan action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleAssignment {
    /// The agency that takes the task.
    pub agency: AgencyId,
    /// The worker, when one is named (the action's owner; otherwise the agency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
    /// The task (e.g. "生活保護申請に同行する").
    pub task: String,
    /// Due date, when set (not before the meeting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
}

/// Whether support is needed (支援の要否), and what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "support", rename_all = "snake_case", deny_unknown_fields)]
pub enum SupportOutcome {
    /// Support is needed (支援要): the project responsible, the roles, the next review.
    Needed {
        /// The component project responsible (担当事業), a taxonomy project code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        project: Option<ProjectCode>,
        /// Role assignments (役割分担).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        roles: Vec<RoleAssignment>,
        /// Next review date (次回評価日), not before the meeting.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_review: Option<NaiveDate>,
    },
    /// Support is not needed (支援不要), with the reason.
    NotNeeded {
        /// Why (e.g. "既存サービスで対応済み").
        reason: String,
    },
}

/// A support decision (支援決定) about one case on the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportDecision {
    /// The case (one on the agenda).
    pub case: CaseId,
    /// The determination.
    pub outcome: SupportOutcome,
}

impl SupportDecision {
    /// The role assignments (none when support is not needed).
    pub fn roles(&self) -> &[RoleAssignment] {
        match &self.outcome {
            SupportOutcome::Needed { roles, .. } => roles,
            SupportOutcome::NotNeeded { .. } => &[],
        }
    }
    /// The next review date, when support is needed and one was set.
    pub fn next_review(&self) -> Option<NaiveDate> {
        match &self.outcome {
            SupportOutcome::Needed { next_review, .. } => *next_review,
            SupportOutcome::NotNeeded { .. } => None,
        }
    }
}

/// A meeting record (会議録) that binds disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingRecord {
    /// Meeting id (shares the namespace of `hold_meeting` ids).
    pub id: MeetingId,
    /// Type code (a base type or a municipal alias).
    pub meeting_type: MeetingTypeCode,
    /// Date held.
    pub date: NaiveDate,
    /// The convening agency and the role it convenes in. The right to convene is the agency's
    /// designation for the type in that role, which the registry looks up: the role is checked
    /// against the designation, never trusted (the report counts meetings by it).
    pub convener: super::Convener,
    /// Attendees (出席者).
    pub attendees: Vec<Attendee>,
    /// The agenda (議題), one item per case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agenda: Vec<AgendaItem>,
    /// The minutes (会議録), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<String>,
    /// Support decisions (支援決定), one per case at most.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<SupportDecision>,
}

impl MeetingRecord {
    /// Check the record's own shape against the types in force; the base type when valid.
    /// Paths are under `$.meeting`.
    ///
    /// Errors: `unknown_code` (type), `duplicate_participant` (the same attendee twice),
    /// `pledge_after_meeting`, `personal_info_not_allowed` (an aggregate-only type with an
    /// agenda case or a decision), `decision_for_unlisted_case`, `duplicate_decision`,
    /// `date_before_meeting` (a role's due date or the next review).
    pub fn check<'t>(&self, types: &'t MeetingTypes) -> Result<&'t MeetingType, MeetingError> {
        let ty = types
            .check(&self.meeting_type, "$.meeting.meeting_type")?
            .base;
        for (i, a) in self.attendees.iter().enumerate() {
            if self.attendees[..i]
                .iter()
                .any(|b| b.is(&a.agency, a.worker.as_ref()))
            {
                return Err(MeetingError::DuplicateParticipant {
                    agency: a.agency.clone(),
                    path: format!("$.meeting.attendees[{i}]"),
                });
            }
            if let Some(p) = a.pledge.as_ref().filter(|p| p.signed_on > self.date) {
                return Err(MeetingError::PledgeAfterMeeting {
                    signed_on: p.signed_on,
                    meeting_date: self.date,
                    path: format!("$.meeting.attendees[{i}].pledge.signed_on"),
                });
            }
        }
        if ty.personal_info == PersonalInfoRule::AggregateOnly {
            let first = self
                .agenda
                .first()
                .map(|a| (&a.case, "$.meeting.agenda[0].case"))
                .or_else(|| {
                    self.decisions
                        .first()
                        .map(|d| (&d.case, "$.meeting.decisions[0].case"))
                });
            if let Some((case, path)) = first {
                return Err(MeetingError::PersonalInfoNotAllowed {
                    meeting_type: self.meeting_type.clone(),
                    case: case.clone(),
                    path: path.into(),
                });
            }
        }
        for (i, d) in self.decisions.iter().enumerate() {
            if !self.on_agenda(&d.case) {
                return Err(MeetingError::DecisionForUnlistedCase {
                    case: d.case.clone(),
                    path: format!("$.meeting.decisions[{i}].case"),
                });
            }
            if self.decisions[..i].iter().any(|e| e.case == d.case) {
                return Err(MeetingError::DuplicateDecision {
                    case: d.case.clone(),
                    path: format!("$.meeting.decisions[{i}].case"),
                });
            }
            for (j, r) in d.roles().iter().enumerate() {
                self.not_before(
                    r.due,
                    &format!("$.meeting.decisions[{i}].outcome.roles[{j}].due"),
                )?;
            }
            self.not_before(
                d.next_review(),
                &format!("$.meeting.decisions[{i}].outcome.next_review"),
            )?;
        }
        Ok(ty)
    }

    fn not_before(&self, date: Option<NaiveDate>, path: &str) -> Result<(), MeetingError> {
        match date.filter(|d| *d < self.date) {
            Some(d) => Err(MeetingError::DateBeforeMeeting {
                date: d,
                meeting_date: self.date,
                path: path.into(),
            }),
            None => Ok(()),
        }
    }

    /// Whether `case` is on the agenda.
    pub fn on_agenda(&self, case: &CaseId) -> bool {
        self.agenda.iter().any(|a| &a.case == case)
    }

    /// The first attendee without a pledge signed on or before `on`, with its index.
    pub fn unpledged_on(&self, on: NaiveDate) -> Option<(usize, &Attendee)> {
        self.attendees
            .iter()
            .enumerate()
            .find(|(_, a)| a.pledge.as_ref().is_none_or(|p| p.signed_on > on))
    }

    /// The recipients of what the meeting is shown: its attendees, in order.
    pub fn recipients(&self) -> Vec<AttendeeRef> {
        self.attendees.iter().map(Attendee::as_recipient).collect()
    }

    /// The decision about `case`, if the meeting made one.
    pub fn decision_for(&self, case: &CaseId) -> Option<&SupportDecision> {
        self.decisions.iter().find(|d| &d.case == case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn pledged(agency: &str, worker: &str) -> Attendee {
        Attendee {
            agency: agency.into(),
            worker: Some(worker.into()),
            pledge: Some(Pledge {
                signed_on: d("2024-05-10"),
                document: None,
            }),
        }
    }

    pub(crate) fn record() -> MeetingRecord {
        MeetingRecord {
            id: "m1".into(),
            meeting_type: "support_meeting".into(),
            date: d("2024-05-10"),
            convener: super::super::Convener {
                agency: "city".into(),
                role: super::super::ConvenerRole::Municipality,
            },
            attendees: vec![
                pledged("city", "w-city"),
                pledged("csw", "w-csw"),
                pledged("hc", "w-hc"),
            ],
            agenda: vec![AgendaItem {
                case: "case-y".into(),
                topic: "支援方針".into(),
            }],
            minutes: Some("家計の立て直しを優先する。".into()),
            decisions: vec![SupportDecision {
                case: "case-y".into(),
                outcome: SupportOutcome::Needed {
                    project: Some("comprehensive_consultation".into()),
                    roles: vec![RoleAssignment {
                        agency: "csw".into(),
                        worker: Some("w-csw".into()),
                        task: "生活保護申請に同行する".into(),
                        due: Some(d("2024-05-20")),
                    }],
                    next_review: Some(d("2024-06-10")),
                },
            }],
        }
    }

    fn err(r: Result<&MeetingType, MeetingError>) -> (&'static str, Option<String>) {
        let e = r.unwrap_err();
        (e.code(), e.path())
    }

    #[test]
    fn a_valid_record_and_its_recipients() {
        let t = MeetingTypes::builtin();
        let m = record();
        assert_eq!(m.check(&t).unwrap().code.as_str(), "support_meeting");
        assert_eq!(m.recipients().len(), 3);
        assert_eq!(m.unpledged_on(d("2024-05-10")), None);
        assert_eq!(m.unpledged_on(d("2024-05-09")).unwrap().0, 0);
        assert_eq!(m.decision_for(&"case-y".into()).unwrap().roles().len(), 1);
    }

    #[test]
    fn shape_errors_name_their_path() {
        let t = MeetingTypes::builtin();
        let mut m = record();
        m.attendees.push(m.attendees[1].clone());
        assert_eq!(
            err(m.check(&t)),
            (
                "duplicate_participant",
                Some("$.meeting.attendees[3]".into())
            )
        );
        let mut m = record();
        m.attendees[2].pledge.as_mut().unwrap().signed_on = d("2024-05-11");
        assert_eq!(
            err(m.check(&t)),
            (
                "pledge_after_meeting",
                Some("$.meeting.attendees[2].pledge.signed_on".into())
            )
        );
        let mut m = record();
        m.decisions.push(m.decisions[0].clone());
        assert_eq!(
            err(m.check(&t)),
            (
                "duplicate_decision",
                Some("$.meeting.decisions[1].case".into())
            )
        );
        let mut m = record();
        m.agenda.clear();
        assert_eq!(
            err(m.check(&t)),
            (
                "decision_for_unlisted_case",
                Some("$.meeting.decisions[0].case".into())
            )
        );
        let mut m = record();
        if let SupportOutcome::Needed { roles, .. } = &mut m.decisions[0].outcome {
            roles[0].due = Some(d("2024-05-01"));
        }
        assert_eq!(
            err(m.check(&t)),
            (
                "date_before_meeting",
                Some("$.meeting.decisions[0].outcome.roles[0].due".into())
            )
        );
        let mut m = record();
        m.meeting_type = "network_meeting".into();
        assert_eq!(
            err(m.check(&t)),
            (
                "personal_info_not_allowed",
                Some("$.meeting.agenda[0].case".into())
            )
        );
    }

    #[test]
    fn not_needed_carries_no_roles_and_round_trips() {
        let mut m = record();
        m.decisions[0].outcome = SupportOutcome::NotNeeded {
            reason: "既存サービスで対応済み".into(),
        };
        assert!(m.decisions[0].roles().is_empty());
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["decisions"][0]["outcome"]["support"], "not_needed");
        let back: MeetingRecord = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, m);
        let mut bad = json;
        bad["decisions"][0]["outcome"]["roles"] = serde_json::json!([]);
        assert!(serde_json::from_value::<MeetingRecord>(bad).is_err());
    }

    proptest::proptest! {
        /// A disclosure on `on` may go to the meeting iff every attendee pledged on or before
        /// `on`; the refusal names the first attendee who did not.
        #[test]
        fn pledges_gate_disclosure(
            pledges in proptest::collection::vec(proptest::option::of(0i64..20), 1..6),
            on in 0i64..25,
        ) {
            let base = d("2024-05-01");
            let day = |n: i64| base + chrono::Duration::days(n);
            let mut m = record();
            m.attendees = pledges
                .iter()
                .enumerate()
                .map(|(i, p)| Attendee {
                    agency: format!("a{i}").as_str().into(),
                    worker: None,
                    pledge: p.map(|n| Pledge { signed_on: day(n), document: None }),
                })
                .collect();
            let all = pledges.iter().all(|p| p.is_some_and(|n| n <= on));
            let first = pledges.iter().position(|p| !p.is_some_and(|n| n <= on));
            proptest::prop_assert_eq!(m.unpledged_on(day(on)).is_none(), all);
            proptest::prop_assert_eq!(m.unpledged_on(day(on)).map(|(i, _)| i), first);
        }
    }
}
