//! Fixture writers and benchmark drivers for the bindings' tests and benchmarks (feature
//! `testing`): what the bindings used to carry themselves. The fixtures are
//! [`stats::fixtures`]; these functions write them out and time the core on them without a
//! host-language object per event.

use crate::calendar::FiscalYear;
use crate::registry::Event;
use crate::stats::{
    self, fixtures::Synthetic, AnnualReport, PartialReport, Position, ReportSettings,
};
use crate::Error;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Events per chunk handed to the timed folds (generation is not timed).
const CHUNK: usize = 1 << 20;

/// The Ishinomaki 2020 journal ([`stats::fixtures::ishinomaki_2020`]) as JSON Lines text.
pub fn ishinomaki_2020_jsonl() -> String {
    crate::analysis::jsonl::to_text(&stats::fixtures::ishinomaki_2020())
}

/// Write the synthetic journal `synthetic` to `path` as JSON Lines, generated event by event
/// (never all in memory); `replayable` writes the registry's replayable (date) order instead,
/// which needs the events in memory. Returns the number of events.
pub fn write_synthetic_journal(
    path: &Path,
    synthetic: &Synthetic,
    replayable: bool,
) -> std::io::Result<u64> {
    let f = std::fs::File::create(path)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    let mut n = 0u64;
    let mut err = Ok(());
    let mut write = |e: &Event| {
        if err.is_ok() {
            err = serde_json::to_writer(&mut w, e)
                .map_err(std::io::Error::other)
                .and_then(|_| w.write_all(b"\n"));
            n += 1;
        }
    };
    if replayable {
        for e in synthetic.events() {
            write(&e);
        }
    } else {
        synthetic.generate(|e| write(&e));
    }
    err?;
    w.flush()?;
    Ok(n)
}

/// What a timed run measured: the events, the seconds of the two timed phases, the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// Events generated and folded.
    pub events: u64,
    /// Seconds of the first phase (folding / building the ledger).
    pub build_seconds: f64,
    /// Seconds of the second phase (finishing / the ledger's report; the best of the repeats).
    pub report_seconds: f64,
    /// The annual report.
    pub report: AnnualReport,
}

/// Generate `synthetic` in chunks and hand each full chunk (and the last one) to `flush`, which
/// returns the time it spent; generation itself is not timed.
fn chunked(
    synthetic: &Synthetic,
    mut flush: impl FnMut(&[Event], Position) -> Result<Duration, Error>,
) -> Result<(u64, Duration), Error> {
    let mut chunk: Vec<Event> = Vec::with_capacity(CHUNK);
    let mut pos: Position = 0;
    let mut spent = Duration::ZERO;
    let mut err = Ok(());
    let mut run = |chunk: &mut Vec<Event>, pos: &mut Position| {
        if err.is_ok() {
            match flush(chunk, *pos) {
                Ok(d) => spent += d,
                Err(e) => err = Err(e),
            }
        }
        *pos += chunk.len() as Position;
        chunk.clear(); // dropping the events is not timed
    };
    synthetic.generate(|e| {
        chunk.push(e);
        if chunk.len() == CHUNK {
            run(&mut chunk, &mut pos);
        }
    });
    run(&mut chunk, &mut pos);
    err?;
    Ok((pos, spent))
}

/// Time the statistics ledger on a synthetic journal: the ledger built by pushing every event,
/// then its annual report of the synthetic year (the best of `repeat` runs).
pub fn bench_ledger_report(synthetic: &Synthetic, repeat: usize) -> Result<Timing, Error> {
    let mut ledger = stats::Ledger::new();
    let (events, build) = chunked(synthetic, |chunk, base| {
        let t0 = Instant::now();
        for (i, e) in chunk.iter().enumerate() {
            ledger.push(base + i as Position, e);
        }
        Ok(t0.elapsed())
    })?;
    let settings = ReportSettings::default();
    let mut best = f64::INFINITY;
    let mut report = None;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        report = Some(ledger.annual_report(synthetic.fiscal_year, &settings)?);
        best = best.min(t0.elapsed().as_secs_f64());
    }
    Ok(Timing {
        events,
        build_seconds: build.as_secs_f64(),
        report_seconds: best,
        report: report.expect("at least one run"),
    })
}

/// Time the annual report's fold on a synthetic journal: each chunk folded on `threads` threads
/// into partials that are merged (timed), then the partial finished (timed).
pub fn bench_core_report(synthetic: &Synthetic, threads: usize) -> Result<Timing, Error> {
    let fy: FiscalYear = synthetic.fiscal_year;
    let mut total = PartialReport::new(fy);
    let (events, fold) = chunked(synthetic, |chunk, base| {
        let t0 = Instant::now();
        let per = chunk.len().div_ceil(threads.max(1)).max(1);
        let parts: Vec<PartialReport> = std::thread::scope(|sc| {
            let hs: Vec<_> = chunk
                .chunks(per)
                .enumerate()
                .map(|(k, c)| {
                    sc.spawn(move || {
                        let off = base + (k * per) as Position;
                        PartialReport::from_positioned(
                            fy,
                            c.iter().enumerate().map(|(i, e)| (off + i as Position, e)),
                        )
                    })
                })
                .collect();
            hs.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        for p in parts {
            total = std::mem::replace(&mut total, PartialReport::new(fy)).merge(p)?;
        }
        Ok(t0.elapsed())
    })?;
    let t1 = Instant::now();
    let report = total.finish(&ReportSettings::default())?;
    Ok(Timing {
        events,
        build_seconds: fold.as_secs_f64(),
        report_seconds: t1.elapsed().as_secs_f64(),
        report,
    })
}
