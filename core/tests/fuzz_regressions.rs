//! The fuzz targets' inputs as ordinary tests (`fuzz/`, `scripts/fuzz.sh`): every checked-in
//! seed of every target runs here through the same code the target runs (so `cargo test`
//! exercises the corpus without cargo-fuzz), and each crash a fuzzing run found is kept as a
//! regression test below. `write_fuzz_seeds` (ignored) writes the JSON Lines and SQLite seeds.
//! The journal seeds need the SQLite store, so the file needs the `sqlite` feature.

#![cfg(feature = "sqlite")]

use std::path::{Path, PathBuf};
use tsunagu::household::Household;
use tsunagu::registry::{CaseBook, Command, Registry};
use tsunagu::routing::{Router, RoutingEnv, RuleSet, Situation};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds for {target}");
    out
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

/// What `fuzz_targets/commands.rs` does with one input.
fn run_commands(text: &str) -> usize {
    let commands: Vec<Command> = match tsunagu::error::from_json::<Vec<Command>>(text) {
        Ok(list) => list,
        Err(_) => match tsunagu::error::from_json::<Command>(text) {
            Ok(one) => vec![one],
            Err(_) => return 0,
        },
    };
    let mut reg = Registry::default();
    let mut accepted = 0;
    for c in commands.iter().take(64) {
        let before = reg.clone();
        match reg.execute(c, today()) {
            Ok(_) => accepted += 1,
            Err(_) => assert!(reg == before, "a refused command changed the registry"),
        }
    }
    accepted
}

/// What `fuzz_targets/sqlite.rs` and `jsonl.rs` do with one input (written to `path`).
fn run_file(path: &Path, data: &[u8]) -> bool {
    std::fs::write(path, data).unwrap();
    let mut opened = false;
    if let Ok(book) = CaseBook::open_file(path, "fuzz") {
        opened = true;
        let _ = book.verify();
        let _ = book.replayed();
    }
    if let Ok(file) = tsunagu::analysis::JournalFile::open(path) {
        if let Ok(events) = file.events() {
            let now = chrono::DateTime::from_timestamp(1_796_601_600, 0).unwrap();
            opened |= CaseBook::from_events("fuzz", events, now).is_ok();
        }
    }
    opened
}

#[test]
fn every_seed_of_the_parsers_is_a_value_or_a_typed_error() {
    for (_, bytes) in corpus("era_date") {
        let text = String::from_utf8(bytes).unwrap();
        let _ = tsunagu::calendar::parse_era_date(&text);
        let _ = tsunagu::calendar::parse_fiscal_year(&text);
    }
    let env = RoutingEnv::builtin();
    let builtin = RuleSet::builtin();
    let mut loaded = 0;
    for (target, extend) in [("rules_json", true), ("rules_toml", false)] {
        for (_, bytes) in corpus(target) {
            let text = String::from_utf8(bytes).unwrap();
            let set = if extend {
                builtin.extend_json(&text, &env)
            } else {
                builtin.extend_toml(&text, &env)
            };
            if let Ok(set) = set {
                Router::compile(&set, env.clone()).unwrap();
                loaded += 1;
            }
        }
    }
    assert!(loaded >= 2, "the rule seeds include valid documents");
    let router = Router::compile(&builtin, env.clone()).unwrap();
    let mut valid = 0;
    for (_, bytes) in corpus("household") {
        let text = String::from_utf8(bytes).unwrap();
        if let Ok(h) = Household::from_json(&text, &env.taxonomies, today()) {
            let _ = router.evaluate(&h, &Situation::new(today()));
            valid += 1;
        }
    }
    assert!(valid > 0, "the household seeds include valid households");
}

#[test]
fn every_command_seed_runs_and_refused_commands_change_nothing() {
    let accepted: usize = corpus("commands")
        .iter()
        .map(|(_, b)| run_commands(std::str::from_utf8(b).unwrap()))
        .sum();
    assert!(accepted > 0, "the command seeds reach the registry's rules");
}

#[test]
fn every_journal_seed_opens_and_every_corruption_of_it_is_a_typed_error() {
    let dir = std::env::temp_dir().join(format!("tsunagu-fuzz-seeds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for target in ["jsonl", "sqlite"] {
        for (k, (seed, bytes)) in corpus(target).into_iter().enumerate() {
            let path = dir.join(format!("{target}-{k}"));
            assert!(run_file(&path, &bytes), "{} opens", seed.display());
            // Corruptions as the fuzzer makes them: truncations and flipped bytes at spread
            // positions (pages, headers, rows).
            for cut in [
                bytes.len() / 3,
                bytes.len() / 2,
                bytes.len().saturating_sub(7),
            ] {
                let _ = std::fs::remove_file(&path);
                run_file(&path, &bytes[..cut]);
            }
            for i in (0..bytes.len()).step_by((bytes.len() / 97).max(1)) {
                let mut bad = bytes.clone();
                bad[i] ^= 0x5a;
                let _ = std::fs::remove_file(&path);
                run_file(&path, &bad);
            }
            let _ = std::fs::remove_file(&path);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes `fuzz/corpus/{jsonl,sqlite}/journal.*`: a journal of the command seeds.
/// `cargo test -p tsunagu --test fuzz_regressions -- --ignored write_fuzz_seeds`.
#[test]
#[ignore]
fn write_fuzz_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let sqlite = root.join("sqlite/journal.sqlite");
    let _ = std::fs::remove_file(&sqlite);
    let mut book = CaseBook::open_file(&sqlite, "seed").unwrap();
    let now = chrono::DateTime::from_timestamp(1_796_601_600, 0).unwrap();
    let mut n = 0;
    for (_, bytes) in corpus("commands") {
        let text = String::from_utf8(bytes).unwrap();
        let Ok(list) = tsunagu::error::from_json::<Vec<Command>>(&text) else {
            continue;
        };
        for c in list {
            if book.execute(c, today(), now).is_ok() {
                n += 1;
            }
            if n >= 40 {
                break;
            }
        }
        if n >= 40 {
            break;
        }
    }
    let events: Vec<_> = book
        .events()
        .unwrap()
        .into_iter()
        .map(|e| e.payload)
        .collect();
    drop(book);
    std::fs::write(
        root.join("jsonl/journal.jsonl"),
        tsunagu::analysis::jsonl::to_text(&events),
    )
    .unwrap();
    eprintln!("{n} events");
}
