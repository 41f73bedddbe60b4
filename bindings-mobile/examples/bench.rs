//! The boundary benchmark, Rust side: the same work as `kotlin/Bench.kt` through the same API of
//! this crate, without crossing a language boundary. `bench.sh` runs both and prints the ratio.
//!
//! `cargo run --release -p tsunagu-mobile --example bench -- 10000`

use std::time::Instant;
use tsunagu_mobile::date::IsoDate;
use tsunagu_mobile::household::{Employment, Household, Member, Relation};
use tsunagu_mobile::journal::{CaseJournal, CommandEvent};
use tsunagu_mobile::routing::{ConsentState, Router, Situation, Urgency};

const ISSUES: [&str; 5] = [
    "income_living_costs",
    "job_search",
    "child_rearing",
    "dv",
    "health_disability",
];

fn member(id: String, relation: Relation) -> Member {
    Member {
        id,
        relation,
        name: None,
        birth_date: None,
        approx_age: None,
        care_level: None,
        disabilities: vec![],
        public_assistance: false,
        single_parent: false,
        employment: None,
        foreign_national: false,
        cares_for: vec![],
        issues: vec![],
        engagement: None,
        hospitalised: false,
    }
}

fn household(i: usize) -> Household {
    let mut head = member(format!("p{i}-1"), Relation::Head);
    head.approx_age = Some((30 + i % 60) as u32);
    head.employment = i.is_multiple_of(2).then_some(Employment::PartTime);
    head.single_parent = i.is_multiple_of(3);
    head.issues = vec![ISSUES[i % ISSUES.len()].to_string()];
    let mut child = member(format!("p{i}-2"), Relation::Child);
    child.birth_date = Some(IsoDate(format!("{}-04-01", 2005 + i % 15)));
    child.issues = if i.is_multiple_of(4) {
        vec!["developmental_concern".into()]
    } else {
        vec![]
    };
    let mut members = vec![head, child];
    if i.is_multiple_of(5) {
        let mut parent = member(format!("p{i}-3"), Relation::Parent);
        parent.approx_age = Some(82);
        parent.issues = vec!["health_disability".into()];
        members.push(parent);
    }
    Household {
        id: format!("h-{i}"),
        members,
        area: None,
        issues: vec![],
        ties: vec![],
    }
}

/// The same household as [`household`] in the document format (as `Bench.householdJson`).
fn household_json(i: usize) -> String {
    let employment = if i.is_multiple_of(2) {
        r#""employment":"part_time","#
    } else {
        ""
    };
    let head = format!(
        r#"{{"id":"p{i}-1","relation":"head","approx_age":{},{employment}"single_parent":{},"issues":["{}"]}}"#,
        30 + i % 60,
        i.is_multiple_of(3),
        ISSUES[i % ISSUES.len()]
    );
    let child_issues = if i.is_multiple_of(4) {
        r#""developmental_concern""#
    } else {
        ""
    };
    let child = format!(
        r#"{{"id":"p{i}-2","relation":"child","birth_date":"{}-04-01","issues":[{child_issues}]}}"#,
        2005 + i % 15
    );
    let parent = if i.is_multiple_of(5) {
        format!(
            r#",{{"id":"p{i}-3","relation":"parent","approx_age":82,"issues":["health_disability"]}}"#
        )
    } else {
        String::new()
    };
    format!(r#"{{"id":"h-{i}","members":[{head},{child}{parent}]}}"#)
}

fn event_json(i: usize) -> String {
    format!(
        r#"{{"command":"register_household","household":{{"id":"hb-{i}","members":[{{"id":"pb-{i}","relation":"head","approx_age":{},"issues":["income_living_costs"]}}]}}}}"#,
        30 + i % 60
    )
}

fn events(n: usize) -> Vec<CommandEvent> {
    (0..n)
        .map(|i| CommandEvent {
            on: IsoDate("2024-06-01".into()),
            recorded_at_ms: 1_700_000_000_000 + i as i64,
            command_json: event_json(i),
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let router = Router::builtin()?;
    let s = Situation {
        today: IsoDate("2024-06-01".into()),
        urgency: Urgency::Normal,
        consent: ConsentState::None,
        receiving_window: None,
    };
    let hs: Vec<Household> = (0..n).map(household).collect();
    router.route_batch(hs.clone(), s.clone())?; // warm-up: one full run first, as in the Kotlin bench
    let t0 = Instant::now();
    let routed = router.route_batch(hs.clone(), s.clone())?;
    let route_ms = t0.elapsed().as_secs_f64() * 1e3;
    assert_eq!(routed.len(), n);

    router.route_batch_brief(hs.clone(), s.clone())?; // warm-up
    let tb = Instant::now();
    let brief = router.route_batch_brief(hs, s.clone())?;
    let brief_ms = tb.elapsed().as_secs_f64() * 1e3;
    assert_eq!(brief.len(), n);
    let doc = format!(
        "[{}]",
        (0..n).map(household_json).collect::<Vec<_>>().join(",")
    );
    router.route_batch_json(doc.clone(), s.clone())?; // warm-up
    let tj = Instant::now();
    let from_json = router.route_batch_json(doc.clone(), s.clone())?;
    let json_ms = tj.elapsed().as_secs_f64() * 1e3;
    assert_eq!(
        from_json, brief,
        "the JSON batch differs from the typed one"
    );
    router.route_batch_compact(doc.clone(), s.clone())?.to_briefs(); // warm-up
    let tc = Instant::now();
    let compact = router.route_batch_compact(doc.clone(), s.clone())?;
    let compact_ms = tc.elapsed().as_secs_f64() * 1e3;
    assert!(!compact.data.is_empty());
    // The same call, then every household read through the Rust view (as Bench.kt does with
    // RoutingBriefs).
    let tr = Instant::now();
    let view = router.route_batch_compact(doc, s)?;
    let mut recs = 0;
    for i in 0..view.len() {
        recs += view.get(i).map_or(0, |b| b.recommendations.len());
    }
    let read_ms = tr.elapsed().as_secs_f64() * 1e3;
    assert_eq!(
        view.to_briefs(),
        brief,
        "the compact batch differs from the brief one"
    );
    assert_eq!(
        recs,
        brief.iter().map(|b| b.recommendations.len()).sum::<usize>()
    );

    let dir = std::env::temp_dir().join(format!("tsunagu-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    CaseJournal::open(dir.join("warm.db").display().to_string(), "bench".into())?
        .append_batch(events(n))?;
    let j = CaseJournal::open(dir.join("bench.db").display().to_string(), "bench".into())?;
    let evs = events(n);
    let t1 = Instant::now();
    let receipts = j.append_batch(evs)?;
    let append_ms = t1.elapsed().as_secs_f64() * 1e3;
    assert_eq!(receipts.len(), n);
    std::fs::remove_dir_all(&dir)?;
    println!("rust route_batch n={n} ms={route_ms:.1}");
    println!("rust route_batch_brief n={n} ms={brief_ms:.1}");
    println!("rust route_batch_json n={n} ms={json_ms:.1}");
    println!("rust route_batch_compact n={n} ms={compact_ms:.1}");
    println!("rust route_batch_compact_read n={n} ms={read_ms:.1}");
    println!("rust append_batch n={n} ms={append_ms:.1}");
    Ok(())
}
