//! The case record on the device (端末の支援経過記録): entries written after each contact
//! (`write_entry`), outreach steps (`outreach`: attempts, stage judgements, keeping a case
//! connected), the timeline of a case or a person, and the person search the outreach worker
//! uses before a visit (`search_persons`, the person master's records and 名寄せ candidates).
//!
//! Entries and outreach attempts are journal events like every command: written offline on
//! several devices, carried as exports and merged by [`crate::journal::merge_journals`] (the core's
//! `sync`: an entry or an attempt is additive, so two devices' records add up; the same entry id
//! written on two devices is a conflict). Documents cross as JSON in the core's interchange
//! format (`schemas/`): an entry, an outreach step, a timeline subject and filter, a person query.
//! Results cross as JSON too (timeline items, person records): nested and open-ended, and one
//! string per call is cheaper than a record per field (see `BENCHMARKS.md`, "Mobile").

use crate::error::Result;
use crate::guard::{from_json, guarded};
use crate::journal::{CaseJournal, CommandReceipt};
use tsunagu::ids::PersonId;
use tsunagu::person::{CandidateWeights, PersonQuery};
use tsunagu::record::{TimelineFilter, TimelineSubject};
use tsunagu::registry::{Command, OutreachAction, WriteEntry};

/// A result as JSON (every type the core returns here serialises).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

#[uniffi::export]
impl CaseJournal {
    /// Write a case-record entry (支援経過記録) — `entry_json` is the core's `RecordEntry`
    /// (`{"id", "case", "kind", "on", "text", "at"?, "place"?, "with"?, "issues"?, "goals"?,
    /// "corrects"?}`; with `corrects`, a correction that supersedes an earlier entry). The event's
    /// date is the day in Japan of `recorded_at_ms` (an entry dated later is `date_in_future`).
    /// Errors at paths under `$.entry` (`not_found` `$.entry.case`, unknown kind, a マイナンバー
    /// in the text …).
    pub fn write_entry(&self, recorded_at_ms: i64, entry_json: String) -> Result<CommandReceipt> {
        guarded(|| {
            let entry = from_json(&entry_json).map_err(|e| e.under("$.entry"))?;
            self.one_receipt(recorded_at_ms, Command::WriteEntry(WriteEntry { entry }))
        })
    }

    /// Record a step of a case's outreach (アウトリーチ) — `action_json` is the core's
    /// `OutreachCommand` (`{"type": "attempt", "attempt": {"id", "on", "method", "outcome",
    /// "stage"?}}`, a stage judgement, keeping the case connected without a plan, stopping). The
    /// event's date is the day in Japan of `recorded_at_ms`. Errors at paths under `$.action`
    /// (`$.case` for the case; the argument is `case_id`: `case` is a keyword in C and
    /// Swift).
    pub fn outreach(
        &self,
        recorded_at_ms: i64,
        case_id: String,
        action_json: String,
    ) -> Result<CommandReceipt> {
        guarded(|| {
            let action = from_json(&action_json).map_err(|e| e.under("$.action"))?;
            self.one_receipt(
                recorded_at_ms,
                Command::Outreach(OutreachAction {
                    case: case_id.as_str().into(),
                    action,
                }),
            )
        })
    }

    /// The timeline (経過の一覧) of a case (`{"type": "case", "case": "c-y"}`) or a person
    /// (`{"type": "person", "person": "y-mother"}`): entries, outreach, contacts, meetings,
    /// consents … in date order, as a JSON array of the core's `TimelineItem`. `filter_json`
    /// (the core's `TimelineFilter`: kinds, dates, superseded entries) or `None` for everything.
    /// `not_found` at `$.case` for an unknown case.
    pub fn timeline_json(
        &self,
        subject_json: String,
        filter_json: Option<String>,
    ) -> Result<String> {
        guarded(|| {
            let subject: TimelineSubject = from_json(&subject_json)?;
            let filter: TimelineFilter = match filter_json {
                Some(f) => from_json(&f).map_err(|e| e.under("$.filter"))?,
                None => TimelineFilter::default(),
            };
            let items = self.with_registry(|r| r.timeline(&subject, &filter))?;
            Ok(json(&items))
        })
    }

    /// Search the person master (個人台帳) across windows by kana prefix, name, birth date, small
    /// area or phone (`query_json`: the core's `PersonQuery`; `empty_query` without a criterion):
    /// `{"persons": [records], "truncated": bool}` as JSON (merged records resolve to their
    /// survivors).
    pub fn search_persons_json(&self, query_json: String) -> Result<String> {
        guarded(|| {
            let query: PersonQuery = from_json(&query_json)?;
            self.with_registry(|r| Ok(json(&r.search_persons(&query)?)))
        })
    }

    /// The current record `id` resolves to (after merges), as JSON, or `null`.
    pub fn person_json(&self, id: String) -> Result<String> {
        guarded(|| Ok(self.with_registry(|r| json(&r.person(&PersonId::from(id.as_str()))))))
    }

    /// The merges (名寄せ) that concern person `id`, as a JSON array.
    pub fn merge_history_json(&self, id: String) -> Result<String> {
        guarded(|| Ok(self.with_registry(|r| json(&r.merge_history(&PersonId::from(id.as_str()))))))
    }

    /// 名寄せ candidate pairs with scores and reasons, best first, as a JSON array
    /// (`weights_json`: the core's `CandidateWeights`, or `None` for the defaults).
    pub fn duplicate_candidates_json(&self, weights_json: Option<String>) -> Result<String> {
        guarded(|| {
            let weights: CandidateWeights = match weights_json {
                Some(w) => from_json(&w)?,
                None => CandidateWeights::default(),
            };
            Ok(self.with_registry(|r| json(&r.duplicate_candidates(&weights))))
        })
    }
}

/// The match key of a name (氏名の照合キー: 旧字体・異体字 folded, spaces removed): two names
/// with the same key are the same name for search and 名寄せ.
#[uniffi::export]
pub fn name_key(name: String) -> Result<String> {
    guarded(|| Ok(tsunagu::person::name_key(&name)))
}

/// The match key of a kana reading (よみの照合キー: katakana/hiragana, small kana, long vowels
/// folded).
#[uniffi::export]
pub fn reading_key(reading: String) -> Result<String> {
    guarded(|| Ok(tsunagu::person::reading_key(&reading)))
}

/// Whether a text looks like a マイナンバー (12 digits with a valid check digit): the app
/// checks a field before sending it; the core refuses one in every record anyway.
#[uniffi::export]
pub fn looks_like_my_number(text: String) -> Result<bool> {
    guarded(|| Ok(tsunagu::person::looks_like_my_number(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::IsoDate;
    use crate::journal::{merge_journals, CommandEvent};
    use serde_json::{json, Value};
    use std::sync::Arc;

    /// 2024-02-05T00:00Z (09:00 in Japan) plus a step: after every record's date.
    const T: i64 = 1_707_091_200_000;

    fn event(on: &str, at: i64, command: Value) -> CommandEvent {
        CommandEvent {
            on: IsoDate(on.into()),
            recorded_at_ms: at,
            command_json: command.to_string(),
        }
    }

    /// The office in setup mode: the council, its CSW, the 8050 household and its outreach case.
    fn office() -> Arc<CaseJournal> {
        let j = CaseJournal::in_memory("office".into()).unwrap();
        let agency =
            json!({"id": "sendai-council", "name": "社協", "kind": "social_welfare_council"});
        j.register_agency(IsoDate("2024-02-01".into()), T, agency.to_string())
            .unwrap();
        j.append_batch(vec![
            event("2024-02-01", T + 1, json!({"command": "register_household", "household":
                {"id": "h-8050", "area": {"daily_life_area": "sendai-aoba"}, "members": [
                    {"id": "p1", "relation": "head", "approx_age": 82},
                    {"id": "p2", "relation": "child", "approx_age": 52}]}})),
            event("2024-02-01", T + 2, json!({"command": "open_outreach_case", "case": "c-o",
                "household": "h-8050", "subject": "p2", "responsible_window": "sendai-council",
                "outreach": {"on": "2024-02-01", "source": "community_report", "concern": "見かけない"}})),
            event("2024-02-01", T + 3, json!({"command": "register_worker", "worker":
                {"id": "csw-1", "agency": "sendai-council", "name": "相談員A",
                 "roles": ["community_social_worker"]}})),
        ])
        .unwrap();
        j
    }

    fn entry(id: &str) -> String {
        json!({"id": id, "case": "c-o", "kind": "visit_not_home", "on": "2024-02-02", "text": "不在"})
            .to_string()
    }

    fn attempt(id: &str) -> String {
        json!({"type": "attempt", "attempt": {"id": id, "on": "2024-02-02", "method": "home_visit",
            "outcome": "not_home"}})
        .to_string()
    }

    #[test]
    fn after_the_first_worker_every_command_names_its_actor() {
        let j = office();
        let n = j.len().unwrap();
        let e = j.write_entry(T + 10, entry("e1")).unwrap_err();
        assert_eq!(e.code(), "actor_required");
        assert!(matches!(e, crate::TsunaguError::Rejected { .. }));
        let stranger = j.as_actor("csw-9".into(), "sendai-council".into()).unwrap();
        assert_eq!(
            stranger
                .write_entry(T + 11, entry("e1"))
                .unwrap_err()
                .code(),
            "unknown_worker"
        );
        assert_eq!(j.len().unwrap(), n, "refused commands append nothing");
        let csw = j.as_actor("csw-1".into(), "sendai-council".into()).unwrap();
        assert_eq!(csw.actor().unwrap().unwrap().worker, "csw-1");
        assert!(j.actor().unwrap().is_none());
        csw.write_entry(T + 12, entry("e1")).unwrap();
        csw.outreach(T + 13, "c-o".into(), attempt("a1")).unwrap();
        let export: Vec<Value> = serde_json::from_str(&j.export_json().unwrap()).unwrap();
        let by = &export[export.len() - 1]["payload"]["by"];
        assert_eq!(by, &json!({"worker": "csw-1", "agency": "sendai-council"}));
        assert!(
            export[1]["payload"].get("by").is_none(),
            "setup mode has no actor"
        );
    }

    #[test]
    fn entries_and_attempts_of_two_devices_merge_into_one_timeline() {
        let base = office();
        let devices: Vec<Arc<CaseJournal>> = ["tablet-a", "tablet-b"]
            .iter()
            .map(|d| {
                let j = CaseJournal::in_memory(d.to_string()).unwrap();
                j.import_json(base.export_json().unwrap()).unwrap();
                j.as_actor("csw-1".into(), "sendai-council".into()).unwrap()
            })
            .collect();
        devices[0].write_entry(T + 20, entry("e-a")).unwrap();
        devices[0]
            .outreach(T + 21, "c-o".into(), attempt("a-a"))
            .unwrap();
        devices[1].write_entry(T + 22, entry("e-b")).unwrap();
        let exports = devices.iter().map(|d| d.export_json().unwrap()).collect();
        let merged = merge_journals(exports, String::new(), "office".into()).unwrap();
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        let timeline: Vec<Value> = serde_json::from_str(
            &merged
                .journal
                .timeline_json(json!({"type": "case", "case": "c-o"}).to_string(), None)
                .unwrap(),
        )
        .unwrap();
        let text = serde_json::to_string(&timeline).unwrap();
        for id in ["e-a", "e-b", "a-a"] {
            assert!(text.contains(id), "{id} in {text}");
        }
        let e = merged
            .journal
            .timeline_json(json!({"type": "case", "case": "c-none"}).to_string(), None)
            .unwrap_err();
        assert_eq!((e.code(), e.path()), ("not_found", Some("$.case")));
        let worklist: Value = serde_json::from_str(
            &merged
                .journal
                .worker_worklist_json("csw-1".into(), IsoDate("2024-02-05".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(worklist["on"], "2024-02-05");
    }
}
