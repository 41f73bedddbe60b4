//! Typed calls for the records outreach workers make offline (issue 9): affected-household
//! records and watching-over visits (災害ケースマネジメント・見守り訪問), and match follow-ups
//! (参加支援の定着支援), with their due lists.
//!
//! Each call takes the core's own records (`tsunagu::disaster::{OpenRecord, Visit, VisitDue,
//! DamageLevel, HousingStage, VisitorRole}`, `tsunagu::participation::{FollowUp, FollowUpNext,
//! FollowUpDue, Observation, StopReason, MatchStage}`, derived for uniffi under the core's `uniffi`
//! feature), wraps them in the core's command (`open_disaster_record`, `disaster` with
//! `record_visit` / `assess_risk` / `move_stage`, `match` with `propose` / `record_follow_up`),
//! appends it to the journal like every other call (so it works offline and merges with
//! `merge_journals`: visits and follow-ups recorded on several devices add up), and converts the
//! core's receipt. The rules are the core's; the binding only converts. The event's date (the
//! `today` the core checks recorded dates against: `date_in_future`) is the date in Japan of
//! `recorded_at_ms` (`tsunagu::calendar::date_in_japan`).
//!
//! Error paths name the call's arguments: `$.record.household` (open), `$.record` (an unknown
//! record id), `$.visit.on`, `$.visit.rank_after`, `$.on`, `$.rank`, `$.stage.place`,
//! `$.proposal.person`, `$.match_id`, `$.follow_up.next.date`. They are the core command's paths
//! with the command's wrapper (`$.action`, `$.match`) replaced by the argument name.

use crate::date::IsoDate;
use crate::error::Result;
use crate::journal::CaseJournal;
use tsunagu::disaster as d;
use tsunagu::disaster::{HousingStage, OpenRecord, Visit, VisitDue};
use tsunagu::participation as p;
use tsunagu::participation::{FollowUp, FollowUpDue, MatchStage, StopReason};
use tsunagu::registry::{Command, DisasterAction, MatchAction, OpenDisasterRecord, Receipt};

/// An affected-household record after a call (被災世帯の記録の状態).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisasterUpdate {
    /// Journal seq of the event.
    pub seq: u64,
    /// Current housing-stage code (`shelter`, `temporary_prefab` …).
    pub stage: String,
    /// Current risk rank.
    pub rank: String,
    /// When the next watching-over visit is due (none once the phase has ended).
    pub next_visit_due: Option<IsoDate>,
}

/// A resource proposed to a person (社会資源の提案): a new match. Kept here: the core has no
/// record for it (these are the fields of the command variant `MatchCommand::Propose`). Its dates
/// are text so that an impossible Swift date is the core's `invalid_date` at its path.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MatchProposal {
    /// New match id.
    pub id: String,
    /// The person (a member of `household`).
    pub person: String,
    /// Their household (registered).
    pub household: String,
    /// The social resource (in the directory).
    pub resource: String,
    /// Date proposed.
    pub on: IsoDate,
    /// First follow-up date (after `on`).
    pub next_follow_up: IsoDate,
}

/// A match after a call (マッチングの状態).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MatchUpdate {
    /// Journal seq of the event.
    pub seq: u64,
    /// Stage now.
    pub stage: MatchStage,
    /// Next follow-up date; none exactly when stopped.
    pub next_follow_up: Option<IsoDate>,
    /// Why it stopped, when stopped.
    pub stop_reason: Option<StopReason>,
}

fn disaster_update((seq, receipt): (u64, Receipt)) -> DisasterUpdate {
    match receipt {
        Receipt::DisasterUpdated {
            stage,
            rank,
            next_visit_due,
        } => DisasterUpdate {
            seq,
            stage,
            rank: rank.to_string(),
            next_visit_due: next_visit_due.map(IsoDate::from),
        },
        other => unreachable!("a disaster command gives a disaster receipt, not {other:?}"),
    }
}

fn match_update((seq, receipt): (u64, Receipt)) -> MatchUpdate {
    match receipt {
        Receipt::MatchUpdated { status } => MatchUpdate {
            seq,
            stage: status.stage(),
            next_follow_up: status.next_follow_up().map(IsoDate::from),
            stop_reason: match status {
                p::MatchStatus::Stopped { reason, .. } => Some(reason),
                _ => None,
            },
        },
        other => unreachable!("a match command gives a match receipt, not {other:?}"),
    }
}

impl CaseJournal {
    /// A command on an affected-household record, with `$.action` paths re-rooted at `$`.
    fn disaster(
        &self,
        recorded_at_ms: i64,
        record: String,
        action: d::DisasterCommand,
    ) -> Result<DisasterUpdate> {
        let command = Command::Disaster(DisasterAction {
            record: record.as_str().into(),
            action,
        });
        self.one_core(recorded_at_ms, command)
            .map(disaster_update)
            .map_err(|e| e.rebased("$.action", "$"))
    }
}

#[uniffi::export]
impl CaseJournal {
    /// Open an affected-household record (被災世帯の記録) for a registered household: damage
    /// level, housing stage, initial risk rank and issues. The first watching-over visit is due
    /// the rank's interval after `record.on`. Errors: `not_found` (`$.record.household`),
    /// `already_exists` (`$.record.id`), `unknown_risk_rank` (`$.record.rank`), unknown issue
    /// codes (`$.record.issues[i]`), `empty_place` (`$.record.stage.place`), `invalid_date`
    /// (`$.record.on`).
    pub fn open_disaster_record(
        &self,
        recorded_at_ms: i64,
        record: OpenRecord,
    ) -> Result<DisasterUpdate> {
        crate::guard::guarded(|| {
            self.one_core(
                recorded_at_ms,
                Command::OpenDisasterRecord(OpenDisasterRecord { record }),
            )
            .map(disaster_update)
        })
    }

    /// Record a watching-over visit (見守り訪問) to an affected household — offline like every
    /// call; visits recorded on several devices all count after a merge. A visit that met the
    /// household moves the next due date; `rank_after` records a new risk assessment with it.
    /// Errors: `not_found` (`$.record`), `date_out_of_order` (`$.visit.on`, before the record
    /// was opened), `unknown_risk_rank` (`$.visit.rank_after`), `phase_ended`, `invalid_date`
    /// (`$.visit.on`).
    pub fn record_watching_visit(
        &self,
        recorded_at_ms: i64,
        record: String,
        visit: Visit,
    ) -> Result<DisasterUpdate> {
        crate::guard::guarded(|| {
            self.disaster(
                recorded_at_ms,
                record,
                d::DisasterCommand::RecordVisit { visit },
            )
        })
    }

    /// Record a risk assessment (リスク判定) of an affected household on `on`: its rank sets the
    /// visit interval. Errors: `not_found` (`$.record`), `unknown_risk_rank` (`$.rank`),
    /// `date_out_of_order` (`$.on`), `phase_ended`, `invalid_date` (`$.on`).
    pub fn assess_risk(
        &self,
        recorded_at_ms: i64,
        record: String,
        on: IsoDate,
        rank: String,
    ) -> Result<DisasterUpdate> {
        crate::guard::guarded(|| {
            let on = on.get("$.on")?;
            self.disaster(
                recorded_at_ms,
                record,
                d::DisasterCommand::AssessRisk {
                    on,
                    rank: rank.as_str().into(),
                },
            )
        })
    }

    /// Record a move to another housing stage (住まいの移行) on `on`. Errors: `not_found`
    /// (`$.record`), `date_out_of_order` (`$.on`), `stage_unchanged` (`$.stage`), `empty_place`
    /// (`$.stage.place`), `phase_ended`, `invalid_date` (`$.on`).
    pub fn move_housing_stage(
        &self,
        recorded_at_ms: i64,
        record: String,
        on: IsoDate,
        stage: HousingStage,
    ) -> Result<DisasterUpdate> {
        crate::guard::guarded(|| {
            let on = on.get("$.on")?;
            self.disaster(
                recorded_at_ms,
                record,
                d::DisasterCommand::MoveStage { on, stage },
            )
        })
    }

    /// Affected households whose watching-over visit is due on or before `today`, most overdue
    /// first (the visit list, 見守り訪問予定).
    pub fn visits_due(&self, today: IsoDate) -> Result<Vec<VisitDue>> {
        crate::guard::guarded(|| {
            let today = today.get("$.today")?;
            Ok(self.with_registry(|r| r.visits_due(today)))
        })
    }

    /// Affected households whose watching-over visit was due before `today` (overdue), most
    /// overdue first.
    pub fn visits_overdue(&self, today: IsoDate) -> Result<Vec<VisitDue>> {
        crate::guard::guarded(|| {
            let today = today.get("$.today")?;
            Ok(self.with_registry(|r| r.visits_overdue(today)))
        })
    }

    /// Propose a social resource to a person (マッチングの提案): a new match with its first
    /// follow-up date. Errors: `not_found` (`$.proposal.household`, `$.proposal.person`),
    /// `duplicate_match` (`$.proposal.id`), `unknown_resource` (`$.proposal.resource`),
    /// `follow_up_not_after` (`$.proposal.next_follow_up`), `invalid_date`.
    pub fn propose_match(
        &self,
        recorded_at_ms: i64,
        proposal: MatchProposal,
    ) -> Result<MatchUpdate> {
        crate::guard::guarded(|| {
            let on = proposal.on.get("$.proposal.on")?;
            let next_follow_up = proposal.next_follow_up.get("$.proposal.next_follow_up")?;
            let command = Command::Match(MatchAction {
                r#match: p::MatchCommand::Propose {
                    id: proposal.id.as_str().into(),
                    person: proposal.person.as_str().into(),
                    household: proposal.household.as_str().into(),
                    resource: proposal.resource.as_str().into(),
                    on,
                    next_follow_up,
                },
            });
            self.one_core(recorded_at_ms, command)
                .map(match_update)
                .map_err(|e| e.rebased("$.match", "$.proposal"))
        })
    }

    /// Record a follow-up visit after matching (定着支援) with the next date or the end of the
    /// match. Errors: `unknown_match` (`$.match_id`), `illegal_transition` (stopped, or
    /// `settled` before continuing), `date_out_of_order` (`$.follow_up.on`),
    /// `follow_up_not_after` (`$.follow_up.next.date`), `invalid_date`.
    pub fn record_follow_up(
        &self,
        recorded_at_ms: i64,
        match_id: String,
        follow_up: FollowUp,
    ) -> Result<MatchUpdate> {
        crate::guard::guarded(|| {
            let command = Command::Match(MatchAction {
                r#match: p::MatchCommand::RecordFollowUp {
                    id: match_id.as_str().into(),
                    follow_up,
                },
            });
            self.one_core(recorded_at_ms, command)
                .map(match_update)
                .map_err(|e| {
                    e.rebased("$.match.id", "$.match_id")
                        .rebased("$.match", "$")
                })
        })
    }

    /// Live matches whose follow-up (定着支援) is due on or before `today`, most overdue first.
    pub fn follow_ups_due(&self, today: IsoDate) -> Result<Vec<FollowUpDue>> {
        crate::guard::guarded(|| {
            let today = today.get("$.today")?;
            Ok(self.with_registry(|r| r.follow_ups_due(today)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::CommandEvent;
    use chrono::NaiveDate;
    use tsunagu::disaster::{DamageLevel, VisitorRole};
    use tsunagu::participation::{FollowUpNext, Observation};

    fn date(s: &str) -> IsoDate {
        IsoDate(s.into())
    }

    /// Recording moments: 2024-04-01T00:00:00Z plus a few milliseconds (09:00 in Japan), after
    /// every record's date, so no record is in the future of its recording day.
    const T: i64 = 1_711_929_600_000;

    fn journal() -> std::sync::Arc<CaseJournal> {
        let j = CaseJournal::in_memory("tablet-a".into()).unwrap();
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
        let agencies: Vec<serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(format!("{fixtures}/sendai_agencies.json")).unwrap(),
        )
        .unwrap();
        for a in agencies {
            j.register_agency(date("2023-04-01"), 1, a.to_string())
                .unwrap();
        }
        let h = std::fs::read_to_string(format!("{fixtures}/y_san_household.json")).unwrap();
        j.register_household(
            date("2024-01-05"),
            2,
            crate::household::household_from_json(h).unwrap(),
        )
        .unwrap();
        j
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn opening() -> OpenRecord {
        OpenRecord {
            id: "dr-y".into(),
            household: "h-y".into(),
            disaster: "2024_noto_peninsula".into(),
            on: day("2024-01-10"),
            damage: DamageLevel::Total,
            stage: HousingStage::Shelter,
            rank: "b".into(),
            issues: vec!["disaster_recovery".into()],
        }
    }

    fn visit(on: &str, met: bool) -> Visit {
        Visit {
            on: day(on),
            role: VisitorRole::SupportCentreStaff,
            by: Some("w-1".into()),
            met,
            rank_after: None,
        }
    }

    #[test]
    fn visits_move_the_due_lists() {
        let j = journal();
        let opened = j.open_disaster_record(T + 3, opening()).unwrap();
        assert_eq!(opened.stage, "shelter");
        assert_eq!(opened.next_visit_due, Some(date("2024-01-24")));
        assert!(j.visits_overdue(date("2024-01-24")).unwrap().is_empty());
        let due = j.visits_due(date("2024-01-24")).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].days_overdue, due[0].last_visit), (0, None));
        let overdue = j.visits_overdue(date("2024-01-26")).unwrap();
        assert_eq!(overdue[0].record.as_str(), "dr-y");
        assert_eq!(overdue[0].days_overdue, 2);
        // Nobody at home: the clock does not move.
        let missed = j.record_watching_visit(T + 4, "dr-y".into(), visit("2024-01-25", false));
        assert_eq!(missed.unwrap().next_visit_due, Some(date("2024-01-24")));
        let mut met = visit("2024-01-26", true);
        met.rank_after = Some("a".into());
        let after = j.record_watching_visit(T + 5, "dr-y".into(), met).unwrap();
        assert_eq!(after.rank, "a");
        assert_eq!(after.next_visit_due, Some(date("2024-02-02")));
        assert!(j.visits_overdue(date("2024-01-26")).unwrap().is_empty());
        let moved = j
            .move_housing_stage(
                T + 6,
                "dr-y".into(),
                date("2024-03-01"),
                HousingStage::TemporaryPrefab,
            )
            .unwrap();
        assert_eq!(moved.stage, "temporary_prefab");
        let assessed = j
            .assess_risk(T + 7, "dr-y".into(), date("2024-03-01"), "c".into())
            .unwrap();
        assert_eq!(assessed.next_visit_due, Some(date("2024-02-25")));
    }

    #[test]
    fn invalid_visits_carry_code_and_argument_path() {
        let j = journal();
        let mut o = opening();
        o.household = "h-nowhere".into();
        let e = j.open_disaster_record(T + 3, o).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("not_found", Some("$.record.household"))
        );
        j.open_disaster_record(T + 3, opening()).unwrap();
        let n = j.len();
        let e = j
            .record_watching_visit(T + 4, "dr-nowhere".into(), visit("2024-01-20", true))
            .unwrap_err();
        assert_eq!((e.code(), e.path()), ("not_found", Some("$.record")));
        let e = j
            .record_watching_visit(T + 4, "dr-y".into(), visit("2024-01-01", true))
            .unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("date_out_of_order", Some("$.visit.on"))
        );
        let mut v = visit("2024-01-20", true);
        v.rank_after = Some("z".into());
        let e = j
            .record_watching_visit(T + 4, "dr-y".into(), v)
            .unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("unknown_risk_rank", Some("$.visit.rank_after"))
        );
        // A visit dated after the day it is recorded (in Japan) is refused: 2024-04-02 recorded
        // at 09:00 JST on 2024-04-01; the same visit recorded the next morning is accepted.
        let e = j
            .record_watching_visit(T + 4, "dr-y".into(), visit("2024-04-02", true))
            .unwrap_err();
        assert_eq!((e.code(), e.path()), ("date_in_future", Some("$.visit.on")));
        assert_eq!(j.len(), n, "rejected visits append nothing");
        let next_morning = T + 86_400_000;
        j.record_watching_visit(next_morning, "dr-y".into(), visit("2024-04-02", true))
            .unwrap();
    }

    #[test]
    fn follow_ups_after_matching() {
        let j = journal();
        let resource = r#"{"command":"register_resource","resource":{"id":"r-cafe","name":"子ども食堂","kind":"peer_group","areas":["sendai-aoba"],"contact":"sendai-council"}}"#;
        j.execute(CommandEvent {
            on: date("2024-01-05"),
            recorded_at_ms: 3,
            command_json: resource.into(),
        })
        .unwrap();
        let proposal = MatchProposal {
            id: "m-1".into(),
            person: "y-mother".into(),
            household: "h-y".into(),
            resource: "r-cafe".into(),
            on: date("2024-01-10"),
            next_follow_up: date("2024-01-20"),
        };
        let e = j
            .propose_match(
                T + 4,
                MatchProposal {
                    person: "nobody".into(),
                    ..proposal.clone()
                },
            )
            .unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("not_found", Some("$.proposal.person"))
        );
        let m = j.propose_match(T + 4, proposal).unwrap();
        assert_eq!(
            (m.stage, m.next_follow_up),
            (MatchStage::Proposed, Some(date("2024-01-20")))
        );
        assert!(j.follow_ups_due(date("2024-01-19")).unwrap().is_empty());
        let due = j.follow_ups_due(date("2024-01-22")).unwrap();
        assert_eq!((due[0].id.as_str(), due[0].days_overdue), ("m-1", 2));
        let fu = |on: &str, next: FollowUpNext| FollowUp {
            on: day(on),
            by: None,
            observation: Observation::Irregular,
            next,
        };
        let e = j
            .record_follow_up(
                T + 5,
                "m-1".into(),
                fu(
                    "2024-01-22",
                    FollowUpNext::NextOn {
                        date: day("2024-01-21"),
                    },
                ),
            )
            .unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("follow_up_not_after", Some("$.follow_up.next.date"))
        );
        let e = j
            .record_follow_up(
                T + 5,
                "m-2".into(),
                fu(
                    "2024-01-22",
                    FollowUpNext::NextOn {
                        date: day("2024-02-22"),
                    },
                ),
            )
            .unwrap_err();
        assert_eq!((e.code(), e.path()), ("unknown_match", Some("$.match_id")));
        let next = j
            .record_follow_up(
                T + 5,
                "m-1".into(),
                fu(
                    "2024-01-22",
                    FollowUpNext::NextOn {
                        date: day("2024-02-22"),
                    },
                ),
            )
            .unwrap();
        assert_eq!(next.next_follow_up, Some(date("2024-02-22")));
        assert!(j.follow_ups_due(date("2024-01-22")).unwrap().is_empty());
        let stopped = j
            .record_follow_up(
                T + 6,
                "m-1".into(),
                fu(
                    "2024-02-22",
                    FollowUpNext::Stop {
                        reason: StopReason::NotSuitable,
                    },
                ),
            )
            .unwrap();
        assert_eq!(
            (stopped.stage, stopped.next_follow_up, stopped.stop_reason),
            (MatchStage::Stopped, None, Some(StopReason::NotSuitable))
        );
    }
}
