//! Timeline benchmark (not a timed test): the timeline (経過の一覧) of one case with
//! `TSUNAGU_BENCH_ENTRIES` record entries (default 1,000) — plus as many outreach attempts, a
//! tenth as many liaison contacts, a referral and a plan — in a registry that also holds
//! `TSUNAGU_BENCH_CASES` other cases (default 1,000) with ten entries each. Each run gathers,
//! filters (no filter) and orders the items: [`Registry::timeline`]. Reports p50, p99 and the
//! maximum over `TSUNAGU_BENCH_REPEAT` runs (default 1,000); the target is p99 ≤ 5 ms.
//!
//! ```text
//! cargo bench -p tsunagu --bench timeline                                            # 1,000 entries
//! TSUNAGU_BENCH_ENTRIES=50 TSUNAGU_BENCH_CASES=20 TSUNAGU_BENCH_REPEAT=20 cargo test -p tsunagu --bench timeline   # tiny (CI)
//! ```

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use std::time::Instant;
use tsunagu::record::{TimelineFilter, TimelineSubject};
use tsunagu::registry::{Command, Registry};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn run(reg: &mut Registry, today: NaiveDate, v: Value) {
    let c: Command = serde_json::from_value(v).expect("command parses");
    reg.execute(&c, today)
        .unwrap_or_else(|e| panic!("{}: {e}", e.code()));
}

/// A case with `entries` entries (and as many attempts, a tenth as many contacts).
fn add_case(reg: &mut Registry, n: u64, entries: u64, start: NaiveDate, today: NaiveDate) {
    let (h, p, c) = (format!("h-{n}"), format!("p-{n}"), format!("c-{n}"));
    run(
        reg,
        start,
        json!({ "command": "register_household", "household": {
        "id": h, "members": [ { "id": p, "relation": "head", "approx_age": 52 } ] } }),
    );
    run(
        reg,
        start,
        json!({ "command": "open_outreach_case", "case": c, "household": h, "subject": p,
        "responsible_window": "council", "outreach": { "on": start, "source": "community_report", "concern": "c" } }),
    );
    let kinds = [
        "home_visit",
        "phone",
        "interview",
        "letter",
        "visit_not_home",
    ];
    for i in 0..entries {
        let on = start + Duration::days((i % 300) as i64);
        let kind = kinds[(i % 5) as usize];
        let with = if kind == "visit_not_home" {
            json!([])
        } else {
            json!([{ "type": "person" }])
        };
        run(
            reg,
            today,
            json!({ "command": "write_entry", "entry": { "id": format!("e-{n}-{i}"), "case": c, "kind": kind,
            "on": on, "at": format!("{:02}:{:02}", 9 + i % 8, i % 60), "with": with, "text": "記録" } }),
        );
        run(
            reg,
            today,
            json!({ "command": "outreach", "case": c, "action": { "type": "attempt", "attempt": {
            "id": format!("a-{n}-{i}"), "on": on, "method": "home_visit", "outcome": if i % 3 == 0 { "met" } else { "not_home" } } } }),
        );
        if i % 10 == 0 {
            run(
                reg,
                today,
                json!({ "command": "log_contact", "contact": { "id": format!("lc-{n}-{i}"), "case": c, "on": on,
                "agency": "ward", "channel": "phone", "purpose": "調整" } }),
            );
        }
    }
}

fn main() {
    let entries = env("TSUNAGU_BENCH_ENTRIES", 1_000);
    let others = env("TSUNAGU_BENCH_CASES", 1_000);
    let repeat = env("TSUNAGU_BENCH_REPEAT", 1_000).max(1);
    let start = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let mut reg = Registry::new();
    for (id, kind) in [
        ("council", "social_welfare_council"),
        ("ward", "city_public_assistance_division"),
    ] {
        run(
            &mut reg,
            start,
            json!({ "command": "register_agency", "agency": {
            "id": id, "name": id, "kind": kind, "serves": { "any_issue": true } } }),
        );
    }
    let t0 = Instant::now();
    add_case(&mut reg, 0, entries, start, today);
    for n in 1..=others {
        add_case(&mut reg, n, 10, start, today);
    }
    let built = t0.elapsed();
    let subject = TimelineSubject::Case { case: "c-0".into() };
    let filter = TimelineFilter::default();
    let items = reg.timeline(&subject, &filter).unwrap().len();
    assert!(items as u64 >= 2 * entries, "{items} items");
    let mut times: Vec<f64> = (0..repeat)
        .map(|_| {
            let t = Instant::now();
            let out = reg.timeline(&subject, &filter).unwrap();
            let dt = t.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(out);
            dt
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "timeline: case with {entries} entries ({items} items), {others} other cases (built in {:.1} s); \
         {repeat} runs: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms (target p99 ≤ 5 ms)",
        built.as_secs_f64(),
        at(0.5),
        at(0.99),
        times[times.len() - 1]
    );
}
