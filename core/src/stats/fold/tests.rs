//! Tests of the participation and community facts: they merge like the rest of the report
//! (partials of any partition, merged in any order, equal the single pass; the ledger agrees),
//! and count the fiscal year only.

use crate::calendar::FiscalYear;
use crate::registry::{Command, Event};
use crate::stats::{PartialReport, Position, ReportSettings};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use serde_json::json;

/// An issue-9 event from a few random numbers (the fold does not validate, so the events
/// need not form a valid journal; ids collide on purpose).
fn event(kind: u8, id: u8, day: u16, n: u8) -> Event {
    let on = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap() + Duration::days(i64::from(day));
    let next = on + Duration::days(14);
    let m = format!("m-{}", id % 6);
    let a = format!("a-{}", id % 5);
    let area = format!("area-{}", id % 3);
    let reasons = ["settled", "person_declined", "moved", "other"];
    let reason = reasons[usize::from(n) % reasons.len()];
    let stages = [
        vec!["place_to_belong"],
        vec!["watching_over", "everyday_help"],
        vec!["place_to_belong", "watching_over", "everyday_help"],
    ];
    let v = match kind % 9 {
        0 => json!({ "command": "match", "match": { "type": "propose", "id": m, "person": "p",
                     "household": "h", "resource": "r", "on": on, "next_follow_up": next } }),
        1 => {
            json!({ "command": "match", "match": { "type": "mark_tried", "id": m, "on": on, "next_follow_up": next } })
        }
        2 => {
            json!({ "command": "match", "match": { "type": "mark_continuing", "id": m, "on": on, "next_follow_up": next } })
        }
        3 => {
            let next = if n % 3 == 0 {
                json!({ "type": "stop", "reason": reason })
            } else {
                json!({ "type": "next_on", "date": next })
            };
            json!({ "command": "match", "match": { "type": "record_follow_up", "id": m,
                     "follow_up": { "on": on, "observation": "irregular", "next": next } } })
        }
        4 => {
            json!({ "command": "match", "match": { "type": "stop", "id": m, "on": on, "reason": reason } })
        }
        5 => json!({ "command": "record_resource_gap", "gap": { "area": area,
                     "need": if n % 2 == 0 { json!({ "type": "participation" }) } else { json!({ "type": "wish", "wish": "farming" }) } } }),
        6 => {
            json!({ "command": "register_activity", "activity": { "id": a, "name": "x", "small_area": area,
                     "operator": "npo", "stages": stages[usize::from(n) % 3], "started_on": on } })
        }
        7 => json!({ "command": "end_activity", "activity": a, "on": on }),
        _ => {
            json!({ "command": "record_session", "session": { "activity": a, "on": on, "participants": n } })
        }
    };
    let command: Command = serde_json::from_value(v).unwrap();
    Event::new(on, command)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The participation and community facts merge like the rest of the report: partials of
    /// any partition, merged in any order, equal the single pass.
    #[test]
    fn support_figures_merge_over_any_partition(
        raw in proptest::collection::vec((any::<u8>(), any::<u8>(), 0u16..640, any::<u8>()), 0..80),
        assign in proptest::collection::vec(0usize..4, 80),
    ) {
        let year = FiscalYear::new(2024).unwrap();
        let events: Vec<Event> = raw.iter().map(|&(k, i, d, n)| event(k, i, d, n)).collect();
        let single = PartialReport::from_events(year, &events);
        let mut parts: Vec<Vec<(Position, &Event)>> = vec![Vec::new(); 4];
        for (i, e) in events.iter().enumerate() {
            parts[assign[i]].push((i as Position, e));
        }
        let partials: Vec<PartialReport> =
            parts.into_iter().map(|p| PartialReport::from_positioned(year, p)).collect();
        let forward = partials
            .iter()
            .cloned()
            .try_fold(PartialReport::new(year), |acc, p| acc.merge(p))
            .unwrap();
        let backward = partials
            .into_iter()
            .rev()
            .try_fold(PartialReport::new(year), |acc, p| p.merge(acc))
            .unwrap();
        prop_assert_eq!(&forward, &single);
        prop_assert_eq!(&backward, &single);
        // A ledger keeps these commands whole and folds them the same way.
        prop_assert_eq!(&crate::stats::Ledger::from_events(&events).partial_report(year), &single);
        let s = ReportSettings::default();
        let r = single.finish(&s).unwrap();
        prop_assert_eq!(&forward.finish(&s).unwrap(), &r);
        // Totals agree with the rows.
        prop_assert_eq!(r.participation.stopped,
            r.participation.stopped_by_reason.iter().map(|c| c.count).sum::<u64>());
        prop_assert_eq!(r.community.sessions, r.community.areas.iter().map(|a| a.sessions).sum::<u64>());
    }
}

#[test]
fn figures_count_the_year_only() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let ev = |on: &str, v: serde_json::Value| Event {
        on: d(on),
        command: serde_json::from_value(v).unwrap(),
        by: None,
    };
    let events = vec![
        ev(
            "2024-03-20",
            json!({ "command": "match", "match": { "type": "propose", "id": "m-old", "person": "p",
            "household": "h", "resource": "r", "on": "2024-03-20", "next_follow_up": "2024-04-03" } }),
        ),
        ev(
            "2024-05-01",
            json!({ "command": "match", "match": { "type": "propose", "id": "m-1", "person": "p",
            "household": "h", "resource": "r", "on": "2024-05-01", "next_follow_up": "2024-05-15" } }),
        ),
        ev(
            "2024-06-01",
            json!({ "command": "match", "match": { "type": "stop", "id": "m-1", "on": "2024-06-01", "reason": "not_suitable" } }),
        ),
        ev(
            "2025-04-02",
            json!({ "command": "match", "match": { "type": "stop", "id": "m-old", "on": "2025-04-02", "reason": "moved" } }),
        ),
        ev(
            "2024-04-01",
            json!({ "command": "register_activity", "activity": { "id": "a", "name": "x", "small_area": "s1",
            "operator": "npo", "stages": ["watching_over"], "started_on": "2023-04-01", "ended_on": "2024-03-31" } }),
        ),
        ev(
            "2024-04-01",
            json!({ "command": "register_activity", "activity": { "id": "b", "name": "y", "small_area": "s1",
            "operator": "npo", "stages": ["watching_over"], "started_on": "2024-04-01" } }),
        ),
        ev(
            "2024-04-10",
            json!({ "command": "record_session", "session": { "activity": "b", "on": "2024-04-10", "participants": 8 } }),
        ),
    ];
    let r = crate::stats::annual_report(
        &events,
        FiscalYear::new(2024).unwrap(),
        &ReportSettings::default(),
    )
    .unwrap();
    let p = &r.participation;
    assert_eq!((p.proposed, p.stopped, p.live_at_end), (1, 1, 1));
    let not_suitable = p
        .stopped_by_reason
        .iter()
        .find(|c| c.code == "not_suitable")
        .unwrap();
    assert_eq!(
        (not_suitable.count, not_suitable.ja.as_str()),
        (1, "合わなかった")
    );
    // Activity `a` ended before the year: not counted.
    assert_eq!((r.community.activities, r.community.participants), (1, 8));
    assert_eq!(r.community.areas[0].by_stage[1].participants, 8);
    assert_eq!(r.community.areas[0].by_stage[0].participants, 0);
}
