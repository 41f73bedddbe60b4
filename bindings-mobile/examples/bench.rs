//! The boundary benchmark, Rust side: the same work as `kotlin/Bench.kt` through the same API of
//! this crate, without crossing a language boundary. `bench.sh` runs both and prints the ratio.
//! Each operation: five untimed calls, then five timed ones; the median and minimum wall time and
//! the median process CPU time are printed.
//!
//! `cargo run --release -p tsunagu-mobile --example bench -- 10000`

use std::time::Instant;
use tsunagu::household::{Employment, Household, Person, Relation};
use tsunagu::routing::{ConsentState, Situation, Urgency};
use tsunagu_mobile::date::IsoDate;
use tsunagu_mobile::journal::{CaseJournal, CommandEvent};
use tsunagu_mobile::routing::Router;

const ISSUES: [&str; 5] = [
    "income_living_costs",
    "job_search",
    "child_rearing",
    "dv",
    "health_disability",
];

fn member(id: String, relation: Relation) -> Person {
    Person::new(id, relation)
}

fn household(i: usize) -> Household {
    let mut head = member(format!("p{i}-1"), Relation::Head);
    head.approx_age = Some((30 + i % 60) as u32);
    head.employment = i.is_multiple_of(2).then_some(Employment::PartTime);
    head.single_parent = i.is_multiple_of(3);
    head.issues = vec![ISSUES[i % ISSUES.len()].into()];
    let mut child = member(format!("p{i}-2"), Relation::Child);
    child.birth_date = chrono::NaiveDate::from_ymd_opt(2005 + (i % 15) as i32, 4, 1);
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
        id: format!("h-{i}").into(),
        members,
        area: Default::default(),
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

/// `struct timespec` of 64-bit Linux.
#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// CPU time of the whole process so far (every thread), in ns: `CLOCK_PROCESS_CPUTIME_ID`, read
/// the same way by `Bench.kt` (through JNA). std has no CPU clock, hence the one unsafe call.
#[allow(unsafe_code)]
fn cpu_ns() -> u64 {
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; clock_gettime writes only into it.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    if rc != 0 {
        return 0;
    }
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

/// Untimed calls before the timed ones, and timed calls (as `Bench.kt`).
const WARM: usize = 5;
const RUNS: usize = 5;

/// [`WARM`] untimed calls, then [`RUNS`] timed ones, each after its own untimed `setup` (the
/// arguments are built, or cloned, outside the clock); prints
/// `rust <name> n=<n> ms=<median wall> min_ms=<min wall> cpu_ms=<median CPU>` and returns the
/// last result. `Bench.kt` measures the same way.
fn measure<S, T>(
    name: &str,
    n: usize,
    mut setup: impl FnMut() -> S,
    mut f: impl FnMut(S) -> T,
) -> T {
    for _ in 0..WARM {
        drop(f(setup()));
    }
    let mut walls = Vec::with_capacity(RUNS);
    let mut cpus = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        // The previous result is dropped outside the clock (Kotlin frees it in a later GC).
        drop(last.take());
        let x = setup();
        let t = Instant::now();
        let c = cpu_ns();
        last = Some(f(x));
        walls.push(t.elapsed().as_secs_f64() * 1e3);
        cpus.push((cpu_ns() - c) as f64 / 1e6);
    }
    let min = walls.iter().copied().fold(f64::INFINITY, f64::min);
    walls.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    println!(
        "rust {name} n={n} ms={:.1} min_ms={min:.1} cpu_ms={:.1}",
        walls[RUNS / 2],
        cpus[RUNS / 2]
    );
    last.expect("RUNS > 0")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let router = Router::builtin()?;
    let s = Situation {
        today: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date"),
        urgency: Urgency::Normal,
        consent: ConsentState::None,
        receiving_window: None,
    };
    let hs: Vec<Household> = (0..n).map(household).collect();
    let typed = || (hs.clone(), s.clone());
    let routed = measure("route_batch", n, typed, |(h, s)| router.route_batch(h, s))?;
    assert_eq!(routed.len(), n);
    let brief = measure("route_batch_brief", n, typed, |(h, s)| {
        router.route_batch_brief(h, s)
    })?;
    assert_eq!(brief.len(), n);
    let doc = format!(
        "[{}]",
        (0..n).map(household_json).collect::<Vec<_>>().join(",")
    );
    let document = || (doc.clone(), s.clone());
    let from_json = measure("route_batch_json", n, document, |(d, s)| {
        router.route_batch_json(d, s)
    })?;
    assert_eq!(
        from_json, brief,
        "the JSON batch differs from the typed one"
    );
    let compact = measure("route_batch_compact", n, document, |(d, s)| {
        router.route_batch_compact(d, s)
    })?;
    assert!(!compact.data.is_empty());
    // The same call, then every household read through the Rust view (as Bench.kt does with
    // routeBatchBriefs and RoutingBriefs).
    let view = measure("route_batch_compact_read", n, document, |(d, s)| {
        let v = router.route_batch_compact(d, s)?;
        let mut recs = 0;
        for i in 0..v.len() {
            recs += v.get(i).map_or(0, |b| b.recommendations.len());
        }
        assert!(recs >= n);
        Ok::<_, tsunagu_mobile::TsunaguError>(v)
    })?;
    assert_eq!(
        view.to_briefs(),
        brief,
        "the compact batch differs from the brief one"
    );

    let dir = std::env::temp_dir().join(format!("tsunagu-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut k = 0;
    let j = measure(
        "append_batch",
        n,
        || {
            k += 1;
            let path = dir.join(format!("bench-{k}.db")).display().to_string();
            (CaseJournal::open(path, "bench".into()), events(n))
        },
        |(j, evs)| {
            let j = j?;
            j.append_batch(evs)?;
            Ok::<_, tsunagu_mobile::TsunaguError>(j)
        },
    )?;
    assert_eq!(j.len()?, n as u64);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
