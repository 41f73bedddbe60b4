//! The meeting track (検討の場) of a case: 支援会議 while the person has not consented,
//! 重層的支援会議 once a consent to that meeting is in effect, and back from the day it is
//! withdrawn or expires. Changes are events ([`TrackChange`]) the journal records.

use super::{ConsentEvent, ConsentRecord};
use crate::ids::*;
use crate::meeting::{
    MeetingTypeCode, MeetingTypes, MULTI_LAYERED_SUPPORT_MEETING, SUPPORT_MEETING,
};
use crate::privacy::Audience;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a case is discussed (検討の場).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingTrack {
    /// 支援会議 (社会福祉法第106条の6): no consent; members share under statutory confidentiality.
    SupportMeeting,
    /// 重層的支援会議: the person consented; the audience widens to the multi-agency meeting.
    MultiLayered,
}

impl MeetingTrack {
    /// The base meeting type of the track.
    pub fn meeting_type(self) -> MeetingTypeCode {
        match self {
            MeetingTrack::SupportMeeting => SUPPORT_MEETING.into(),
            MeetingTrack::MultiLayered => MULTI_LAYERED_SUPPORT_MEETING.into(),
        }
    }
}

/// What moved a case between tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrackCause {
    /// A consent came into effect.
    ConsentGiven,
    /// A consent was withdrawn.
    ConsentWithdrawn,
    /// A consent passed its expiry date.
    ConsentExpired,
}

/// A case moved between tracks (event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackChange {
    /// The case.
    pub case: CaseId,
    /// The person whose consent it is.
    pub person: PersonId,
    /// First day on the new track.
    pub on: NaiveDate,
    /// Previous track.
    pub from: MeetingTrack,
    /// New track.
    pub to: MeetingTrack,
    /// Why.
    pub cause: TrackCause,
    /// The consent record responsible.
    pub consent: super::ConsentId,
}

fn multi_layered() -> Audience {
    Audience::Meeting {
        meeting_type: MULTI_LAYERED_SUPPORT_MEETING.into(),
        participants_acknowledged: true,
    }
}

fn opens_track(c: &ConsentRecord, person: &PersonId, types: &MeetingTypes) -> bool {
    &c.person == person && c.covers_audience(&multi_layered(), types)
}

/// The track of `person`'s case on `on`: [`MeetingTrack::MultiLayered`] when some consent of the
/// person naming 重層的支援会議 (or a municipal alias of it) is in effect on that day, whatever
/// its scope; otherwise [`MeetingTrack::SupportMeeting`].
pub fn meeting_track(
    consents: &[ConsentRecord],
    person: &PersonId,
    on: NaiveDate,
    types: &MeetingTypes,
) -> MeetingTrack {
    if consents
        .iter()
        .any(|c| opens_track(c, person, types) && c.in_effect_on(on))
    {
        MeetingTrack::MultiLayered
    } else {
        MeetingTrack::SupportMeeting
    }
}

/// The track change, if any, that a consent event causes for `case`: call it with the records
/// as they were before the event, and journal the change next to the event.
pub fn track_after(
    case: &CaseId,
    before: &[ConsentRecord],
    event: &ConsentEvent,
    types: &MeetingTypes,
) -> Option<TrackChange> {
    let (person, cause) = match event {
        ConsentEvent::Given { record } => (&record.person, TrackCause::ConsentGiven),
        ConsentEvent::Withdrawn { person, .. } => (person, TrackCause::ConsentWithdrawn),
        ConsentEvent::Refused { .. } => return None,
    };
    let on = event.on();
    let mut after = before.to_vec();
    super::apply(&mut after, event);
    let from = meeting_track(before, person, on, types);
    let to = meeting_track(&after, person, on, types);
    (from != to).then(|| TrackChange {
        case: case.clone(),
        person: person.clone(),
        on,
        from,
        to,
        cause,
        consent: event.consent().clone(),
    })
}

/// Every track change of `person`'s case on days in `(after, through]`, in date order —
/// including expiries, which no command announces (call it when the reporting day advances).
pub fn track_changes(
    case: &CaseId,
    person: &PersonId,
    consents: &[ConsentRecord],
    types: &MeetingTypes,
    after: NaiveDate,
    through: NaiveDate,
) -> Vec<TrackChange> {
    let relevant: Vec<&ConsentRecord> = consents
        .iter()
        .filter(|c| opens_track(c, person, types))
        .collect();
    let mut points: Vec<NaiveDate> = relevant
        .iter()
        .flat_map(|c| {
            [
                Some(c.answered_on),
                c.withdrawn_on,
                c.expires_on.and_then(|e| e.succ_opt()),
            ]
        })
        .flatten()
        .filter(|p| *p > after && *p <= through)
        .collect();
    points.sort_unstable();
    points.dedup();
    points
        .into_iter()
        .filter_map(|p| {
            let prev = meeting_track(consents, person, p.pred_opt()?, types);
            let now = meeting_track(consents, person, p, types);
            if prev == now {
                return None;
            }
            let (cause, consent) = if now == MeetingTrack::MultiLayered {
                relevant
                    .iter()
                    .find(|c| c.answered_on == p && c.in_effect_on(p))
                    .map(|c| (TrackCause::ConsentGiven, c))?
            } else {
                relevant.iter().find_map(|c| {
                    if c.withdrawn_on == Some(p) {
                        Some((TrackCause::ConsentWithdrawn, c))
                    } else if c.expires_on.and_then(|e| e.succ_opt()) == Some(p) {
                        Some((TrackCause::ConsentExpired, c))
                    } else {
                        None
                    }
                })?
            };
            Some(TrackChange {
                case: case.clone(),
                person: person.clone(),
                on: p,
                from: prev,
                to: now,
                cause,
                consent: consent.id.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{d, terms};
    use super::super::*;
    use super::*;

    fn ml() -> Recipient {
        Recipient::MeetingType(MULTI_LAYERED_SUPPORT_MEETING.into())
    }

    #[test]
    fn consent_moves_the_case_and_withdrawal_moves_it_back() {
        let types = MeetingTypes::builtin();
        let case: CaseId = "case-y".into();
        let person: PersonId = "y".into();
        let mut book: Vec<ConsentRecord> = Vec::new();
        assert_eq!(
            meeting_track(&book, &person, d("2024-05-01"), &types),
            MeetingTrack::SupportMeeting
        );
        let ev = handle(
            &book,
            ConsentCommand::Give {
                id: "c1".into(),
                terms: terms("y", &InfoCategory::ALL, ml()),
                on: d("2024-06-01"),
            },
        )
        .unwrap();
        let change = track_after(&case, &book, &ev, &types).unwrap();
        assert_eq!(
            (change.from, change.to, change.cause, change.on),
            (
                MeetingTrack::SupportMeeting,
                MeetingTrack::MultiLayered,
                TrackCause::ConsentGiven,
                d("2024-06-01")
            )
        );
        apply(&mut book, &ev);
        assert_eq!(
            meeting_track(&book, &person, d("2024-06-01"), &types),
            MeetingTrack::MultiLayered
        );
        assert_eq!(
            meeting_track(&book, &person, d("2024-05-31"), &types),
            MeetingTrack::SupportMeeting
        );
        let ev = handle(
            &book,
            ConsentCommand::Withdraw {
                id: "c1".into(),
                on: d("2024-09-01"),
            },
        )
        .unwrap();
        let change = track_after(&case, &book, &ev, &types).unwrap();
        assert_eq!(change.to, MeetingTrack::SupportMeeting);
        assert_eq!(change.cause, TrackCause::ConsentWithdrawn);
        apply(&mut book, &ev);
        assert_eq!(
            meeting_track(&book, &person, d("2024-09-01"), &types),
            MeetingTrack::SupportMeeting
        );
        // A consent to another audience does not open the track; a refusal changes nothing.
        let other = handle(
            &book,
            ConsentCommand::Give {
                id: "c2".into(),
                terms: terms("y", &InfoCategory::ALL, Recipient::Agency("hw".into())),
                on: d("2024-10-01"),
            },
        )
        .unwrap();
        assert!(track_after(&case, &book, &other, &types).is_none());
        let refused = handle(
            &book,
            ConsentCommand::Refuse {
                id: "c3".into(),
                terms: terms("y", &InfoCategory::ALL, ml()),
                on: d("2024-10-01"),
            },
        )
        .unwrap();
        assert!(track_after(&case, &book, &refused, &types).is_none());
    }

    #[test]
    fn changes_over_a_period_include_expiry() {
        let types = MeetingTypes::builtin();
        let mut t = terms("y", &InfoCategory::ALL, ml());
        t.expires_on = Some(d("2025-03-31"));
        let c1 = ConsentRecord::give("c1".into(), t, d("2024-06-01")).unwrap();
        // A second consent, another person's: ignored.
        let other = ConsentRecord::give(
            "c9".into(),
            terms("z", &InfoCategory::ALL, ml()),
            d("2024-07-01"),
        )
        .unwrap();
        let book = vec![c1, other];
        let changes = track_changes(
            &"case-y".into(),
            &"y".into(),
            &book,
            &types,
            d("2024-01-01"),
            d("2025-12-31"),
        );
        let summary: Vec<_> = changes.iter().map(|c| (c.on, c.to, c.cause)).collect();
        assert_eq!(
            summary,
            [
                (
                    d("2024-06-01"),
                    MeetingTrack::MultiLayered,
                    TrackCause::ConsentGiven
                ),
                (
                    d("2025-04-01"),
                    MeetingTrack::SupportMeeting,
                    TrackCause::ConsentExpired
                ),
            ]
        );
        // The window is half-open: the day after `after` through `through`.
        assert_eq!(
            track_changes(
                &"case-y".into(),
                &"y".into(),
                &book,
                &types,
                d("2024-06-01"),
                d("2025-03-31")
            ),
            []
        );
    }

    #[test]
    fn overlapping_consents_keep_the_case_on_the_multi_layered_track() {
        let types = MeetingTypes::builtin();
        let a = ConsentRecord::give(
            "a".into(),
            terms("y", &[InfoCategory::Identity], ml()),
            d("2024-06-01"),
        )
        .unwrap()
        .withdraw(d("2024-08-01"))
        .unwrap();
        let b = ConsentRecord::give(
            "b".into(),
            terms("y", &InfoCategory::ALL, ml()),
            d("2024-07-01"),
        )
        .unwrap();
        let changes = track_changes(
            &"k".into(),
            &"y".into(),
            &[a, b],
            &types,
            d("2024-01-01"),
            d("2024-12-31"),
        );
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].consent.as_str(), "a");
        assert_eq!(
            MeetingTrack::MultiLayered.meeting_type().as_str(),
            MULTI_LAYERED_SUPPORT_MEETING
        );
    }
}
