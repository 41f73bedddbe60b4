//! Statistics benchmark (not a timed test): the annual report (実績報告) of a synthetic journal
//! (`stats::fixtures::Synthetic`), computed two ways in one run —
//!
//! * **event fold**: [`PartialReport::add`] over the in-memory [`Event`]s, in 1M-event chunks,
//!   each chunk's partial merged into the total, then `finish` (single thread);
//! * **ledger**: the same events pushed once into a [`Ledger`] (timed as its *build*), then
//!   [`Ledger::annual_report`] (timed as the *report*, best of `TSUNAGU_BENCH_REPEAT`) — the
//!   loaded form an analyst reports from, as pandas is given loaded DataFrames.
//!
//! Both reports are checked equal before anything is printed.
//!
//! ```text
//! cargo bench -p tsunagu --bench stats                                           # 1 M cases, 10 M contacts
//! TSUNAGU_BENCH_CASES=200 TSUNAGU_BENCH_CONTACTS=2000 cargo test -p tsunagu --bench stats   # tiny (CI)
//! ```

use std::time::Instant;
use tsunagu::calendar::FiscalYear;
use tsunagu::registry::Event;
use tsunagu::stats::fixtures::Synthetic;
use tsunagu::stats::{Ledger, PartialReport, Position, ReportSettings};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// CPU seconds (user + system) of this process from `/proc/self/stat` (Linux; 10 ms ticks).
fn cpu_seconds() -> f64 {
    let read = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let after = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        Some((utime + stime) / 100.0)
    };
    read().unwrap_or(f64::NAN)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[derive(Default)]
struct Clock {
    wall: f64,
    cpu: f64,
}

impl Clock {
    fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let (c0, t0) = (cpu_seconds(), Instant::now());
        let out = f();
        self.wall += t0.elapsed().as_secs_f64();
        self.cpu += cpu_seconds() - c0;
        out
    }
}

fn main() {
    let cases = env("TSUNAGU_BENCH_CASES", 1_000_000);
    let contacts = env("TSUNAGU_BENCH_CONTACTS", 10_000_000);
    let repeat = env("TSUNAGU_BENCH_REPEAT", 3).max(1);
    let fy = FiscalYear::new(2022).expect("a valid year");
    let settings = ReportSettings::default();
    let s = Synthetic {
        seed: 1,
        cases,
        contacts,
        fiscal_year: fy,
    };
    println!("load average at start: {}", loadavg());

    // Generate in chunks (untimed); fold each chunk and push it into the ledger (timed apart).
    let (mut fold, mut build) = (Clock::default(), Clock::default());
    let mut total = PartialReport::new(fy);
    let mut ledger = Ledger::new();
    let mut chunk: Vec<Event> = Vec::with_capacity(1 << 20);
    let mut pos: Position = 0;
    let mut flush = |chunk: &mut Vec<Event>, total: &mut PartialReport, ledger: &mut Ledger| {
        let base = pos;
        let part = fold.time(|| {
            PartialReport::from_positioned(
                fy,
                chunk
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (base + i as Position, e)),
            )
        });
        *total = fold.time(|| {
            std::mem::replace(total, PartialReport::new(fy))
                .merge(part)
                .expect("same year")
        });
        build.time(|| {
            for (i, e) in chunk.iter().enumerate() {
                ledger.push(base + i as Position, e);
            }
        });
        pos += chunk.len() as Position;
        chunk.clear();
    };
    s.generate(|e| {
        chunk.push(e);
        if chunk.len() == chunk.capacity() {
            flush(&mut chunk, &mut total, &mut ledger);
        }
    });
    flush(&mut chunk, &mut total, &mut ledger);
    let from_fold = fold.time(|| total.finish(&settings).expect("a valid journal"));

    let (mut best_wall, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    let mut from_ledger = None;
    for _ in 0..repeat {
        let mut once = Clock::default();
        from_ledger = Some(once.time(|| ledger.annual_report(fy, &settings).expect("valid")));
        best_wall = best_wall.min(once.wall);
        best_cpu = best_cpu.min(once.cpu);
    }
    assert_eq!(
        from_ledger.as_ref(),
        Some(&from_fold),
        "ledger and event fold disagree"
    );
    let prev = fy.prev().expect("a previous year");
    let mut other = Clock::default();
    let other_report = other.time(|| ledger.annual_report(prev, &settings).expect("valid"));
    assert_eq!(other_report.fiscal_year, prev);

    let n = ledger.events() as f64;
    println!(
        "{cases} cases, {contacts} contacts, {} events, fiscal year {}",
        ledger.events(),
        fy.year()
    );
    println!("| measure | wall s | CPU s | M events/s (wall) |");
    println!("| --- | ---: | ---: | ---: |");
    let row = |name: &str, wall: f64, cpu: f64| {
        println!("| {name} | {wall:.3} | {cpu:.3} | {:.1} |", n / wall / 1e6)
    };
    row(
        "event fold + merge + finish (1 thread)",
        fold.wall,
        fold.cpu,
    );
    row("ledger build (push every event)", build.wall, build.cpu);
    row(
        &format!("ledger report, best of {repeat}"),
        best_wall,
        best_cpu,
    );
    row("ledger report, the previous year", other.wall, other.cpu);
    println!(
        "event fold ÷ ledger report: {:.1}× (wall)",
        fold.wall / best_wall
    );
    println!("load average at end: {}", loadavg());
}
