//! Python values ⇄ core documents, and journals read from JSON Lines files.

use crate::error::IntoPy;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;
use std::io::BufRead;
use std::path::PathBuf;
use tsunagu::calendar::FiscalYear;
use tsunagu::error::{from_json, DocumentError};
use tsunagu::registry::Event;
use tsunagu::stats::{PartialReport, Position};

/// A Python object as JSON: dicts, lists, tuples, str, int, float, bool, None, `datetime.date`
/// (ISO string) and enums (their value).
pub fn to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        let v: i64 = i.extract()?;
        return Ok(Value::from(v));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = match k.extract::<String>() {
                Ok(s) => s,
                Err(_) => k.str()?.to_str()?.to_owned(),
            };
            m.insert(key, to_json(&v)?);
        }
        return Ok(Value::Object(m));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l
            .iter()
            .map(|v| to_json(&v))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t
            .iter()
            .map(|v| to_json(&v))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if obj.hasattr("isoformat")? && obj.hasattr("year")? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    if let Ok(v) = obj.getattr("value") {
        if obj.get_type().getattr("__members__").is_ok() {
            return to_json(&v);
        }
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert {} to a JSON document",
        obj.get_type().name()?
    )))
}

/// Parse a Python object into a core document: a dict/list (converted), or a JSON string.
pub fn document<T: serde::de::DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    let text = if let Ok(s) = obj.cast::<PyString>() {
        s.to_str()?.to_owned()
    } else {
        to_json(obj)?.to_string()
    };
    from_json(&text).py()
}

/// A core value as a Python object (dicts, lists, str …).
pub fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Whether an object names a file (`str` paths are not accepted here: a `str` is a document).
fn as_path(obj: &Bound<'_, PyAny>) -> Option<PathBuf> {
    if obj.cast::<PyString>().is_ok() {
        return None;
    }
    obj.extract::<PathBuf>().ok()
}

/// Events from a Python object: a list of event dicts, a JSON array or JSON Lines string, or a
/// `pathlib.Path` to a JSON Lines journal file.
pub fn events(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    if let Some(path) = as_path(obj) {
        return py.detach(|| read_jsonl(&path, 0, None)).py();
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_str()?.to_owned();
        return py.detach(|| parse_text(&text)).py();
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().map(|e| document::<Event>(&e)).collect();
    }
    let it = obj.try_iter()?;
    it.map(|e| document::<Event>(&e?)).collect()
}

fn line_error(line: usize, e: &serde_json::Error) -> tsunagu::Error {
    tsunagu::Error::Document(DocumentError {
        format: "json",
        path: format!("line {}", line + 1),
        message: e.to_string(),
    })
}

/// A JSON array of events, or JSON Lines (one event per line; blank lines skipped).
pub fn parse_text(text: &str) -> Result<Vec<Event>, tsunagu::Error> {
    if text.trim_start().starts_with('[') {
        return Ok(from_json(text)?);
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| line_error(i, &e)))
        .collect()
}

fn io_error(path: &std::path::Path, e: std::io::Error) -> tsunagu::Error {
    tsunagu::Error::Document(DocumentError {
        format: "json",
        path: "$".into(),
        message: format!("cannot read {}: {e}", path.display()),
    })
}

/// Lines `start .. stop` of a JSON Lines journal (line `i` has position `i`).
pub fn read_jsonl(
    path: &std::path::Path,
    start: usize,
    stop: Option<usize>,
) -> Result<Vec<Event>, tsunagu::Error> {
    let f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        if stop.is_some_and(|s| i >= s) {
            break;
        }
        let line = line.map_err(|e| io_error(path, e))?;
        if i < start || line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(&line).map_err(|e| line_error(i, &e))?);
    }
    Ok(out)
}

/// Fold lines `start .. stop` of a JSON Lines journal into a partial report, on `threads`
/// threads (each folds its blocks into its own partial; the partials are merged — the same
/// monoid that lets Dask scale out). Positions are line numbers.
///
/// The reading thread only reads 4 MiB blocks cut at the last newline and counts their lines;
/// the workers split the blocks into lines and parse them in place (`serde_json::from_slice`),
/// so there is no allocation or copy per line outside the event itself.
pub fn fold_jsonl(
    path: &std::path::Path,
    fy: FiscalYear,
    start: usize,
    stop: Option<usize>,
    threads: usize,
) -> Result<PartialReport, tsunagu::Error> {
    fold_blocks(
        path,
        start,
        stop,
        threads,
        || PartialReport::new(fy),
        |p, at, e| p.add(at, e),
        |a, b| a.merge(b),
    )
}

/// The statistics ledger of a JSON Lines journal on `threads` threads (positions = line
/// numbers): each worker parses its blocks into its own ledger — parsing, pushing and dropping
/// each event on one thread — and the ledgers are merged.
pub fn ledger_jsonl(
    path: &std::path::Path,
    threads: usize,
) -> Result<tsunagu::stats::Ledger, tsunagu::Error> {
    fold_blocks(
        path,
        0,
        None,
        threads,
        tsunagu::stats::Ledger::new,
        |l, at, e| l.push(at, e),
        |mut a, b| {
            a.merge(b);
            Ok(a)
        },
    )
}

/// Lines `start .. stop` of a JSON Lines journal folded into a `T` per worker thread (`new`,
/// then `add` per event at its line number), the workers' results combined with `merge`.
fn fold_blocks<T: Send>(
    path: &std::path::Path,
    start: usize,
    stop: Option<usize>,
    threads: usize,
    new: impl Fn() -> T + Sync,
    add: impl Fn(&mut T, Position, &Event) + Sync,
    merge: impl Fn(T, T) -> Result<T, tsunagu::Error>,
) -> Result<T, tsunagu::Error> {
    use std::io::Read;
    const BLOCK: usize = 4 << 20;
    let mut f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let threads = threads.max(1);
    let stop = stop.unwrap_or(usize::MAX);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(threads * 2);
    let rx = std::sync::Mutex::new(rx);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Result<T, tsunagu::Error> {
                    let mut p = new();
                    loop {
                        let msg = rx
                            .lock()
                            .map_err(|_| io_error(path, std::io::Error::other("worker")))?
                            .recv();
                        let Ok((first, block)) = msg else { break };
                        for (k, l) in block.split(|b| *b == b'\n').enumerate() {
                            let i = first + k;
                            if i < start || i >= stop || l.iter().all(u8::is_ascii_whitespace) {
                                continue;
                            }
                            let e: Event =
                                serde_json::from_slice(l).map_err(|e| line_error(i, &e))?;
                            add(&mut p, i as Position, &e);
                        }
                    }
                    Ok(p)
                })
            })
            .collect();
        let mut read_error = None;
        let mut line = 0usize;
        let mut carry: Vec<u8> = Vec::new();
        loop {
            if line >= stop {
                break;
            }
            let mut block = std::mem::take(&mut carry);
            block.reserve(BLOCK);
            // `read_to_end` on a `take` appends without zero-filling and retries interruptions.
            let n = match (&mut f).take(BLOCK as u64).read_to_end(&mut block) {
                Ok(n) => n,
                Err(e) => {
                    read_error = Some(io_error(path, e));
                    break;
                }
            };
            if n == 0 {
                // End of file: the rest (a last line without a newline) is a block of its own.
                if !block.is_empty() {
                    let _ = tx.send((line, block));
                }
                break;
            }
            let Some(cut) = block.iter().rposition(|b| *b == b'\n') else {
                carry = block; // a line longer than the block: read on
                continue;
            };
            carry = block[cut + 1..].to_vec();
            block.truncate(cut); // without the last newline: lines = newlines + 1
            let lines = block.iter().filter(|b| **b == b'\n').count() + 1;
            if line + lines > start && tx.send((line, block)).is_err() {
                break;
            }
            line += lines;
        }
        drop(tx);
        let mut total: Option<T> = None;
        let mut err = read_error;
        for w in workers {
            match w.join() {
                Ok(Ok(p)) => {
                    total = Some(match total {
                        Some(t) => merge(t, p)?,
                        None => p,
                    })
                }
                Ok(Err(e)) => err = err.or(Some(e)),
                Err(_) => {
                    err = err.or(Some(io_error(
                        path,
                        std::io::Error::other("worker panicked"),
                    )))
                }
            }
        }
        match (err, total) {
            (Some(e), _) => Err(e),
            (None, Some(t)) => Ok(t),
            (None, None) => Ok(new()),
        }
    })
}

/// Read a JSON Lines file in 4 MiB blocks cut after the last newline of each (without it), and
/// hand each block with the number of its first line to `send` (which returns `false` to stop).
fn read_blocks(
    path: &std::path::Path,
    mut send: impl FnMut(usize, Vec<u8>) -> bool,
) -> Result<(), tsunagu::Error> {
    use std::io::Read;
    const BLOCK: usize = 4 << 20;
    let mut f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut line = 0usize;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut block = std::mem::take(&mut carry);
        block.reserve(BLOCK);
        let n = (&mut f)
            .take(BLOCK as u64)
            .read_to_end(&mut block)
            .map_err(|e| io_error(path, e))?;
        if n == 0 {
            if !block.is_empty() {
                send(line, block);
            }
            return Ok(());
        }
        let Some(cut) = block.iter().rposition(|b| *b == b'\n') else {
            carry = block; // a line longer than the block: read on
            continue;
        };
        carry = block[cut + 1..].to_vec();
        block.truncate(cut);
        let lines = block.iter().filter(|b| **b == b'\n').count() + 1;
        if !send(line, block) {
            return Ok(());
        }
        line += lines;
    }
}

/// Hand the events of a JSON Lines journal, in file order and with their line numbers (their
/// positions), to `consume` — which is one ordered pass, while parsing is not: a reading thread
/// cuts the file into blocks, two workers parse blocks into events in parallel, and the
/// consuming thread takes the parsed blocks back in file order (a few blocks in flight: never
/// the whole journal in memory). The first bad line is the error, whatever `consume` returned.
fn parse_in_order<T>(
    path: &std::path::Path,
    consume: impl FnOnce(&mut dyn Iterator<Item = (usize, Event)>) -> T,
) -> Result<T, tsunagu::Error> {
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};
    const WORKERS: usize = 2;
    type Parsed = Result<Vec<(usize, Event)>, tsunagu::Error>;
    std::thread::scope(|s| {
        let (block_tx, block_rx) = sync_channel::<(usize, usize, Vec<u8>)>(WORKERS);
        // Held by the workers only: when they stop, the reader's `send` fails and it stops too.
        let block_rx = Arc::new(Mutex::new(block_rx));
        let (parsed_tx, parsed_rx) = sync_channel::<(usize, Parsed)>(WORKERS);
        let reader = s.spawn(move || {
            let mut seq = 0usize;
            read_blocks(path, |first, block| {
                seq += 1;
                block_tx.send((seq - 1, first, block)).is_ok()
            })
        });
        for _ in 0..WORKERS {
            let (rx, tx) = (Arc::clone(&block_rx), parsed_tx.clone());
            s.spawn(move || loop {
                let msg = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                let Ok((seq, first, block)) = msg else { return };
                let parsed: Parsed = block
                    .split(|b| *b == b'\n')
                    .enumerate()
                    .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
                    .map(|(k, l)| {
                        serde_json::from_slice(l)
                            .map(|e| (first + k, e))
                            .map_err(|e| line_error(first + k, &e))
                    })
                    .collect();
                if tx.send((seq, parsed)).is_err() {
                    return;
                }
            });
        }
        drop((block_rx, parsed_tx));
        // Blocks back in file order (an error surfaces in its turn: the first bad line wins).
        let mut err = None;
        let mut pending: std::collections::BTreeMap<usize, Parsed> = Default::default();
        let mut next = 0usize;
        let mut current = Vec::new().into_iter();
        let mut events = std::iter::from_fn(|| loop {
            if let Some(e) = current.next() {
                return Some(e);
            }
            if err.is_some() {
                return None;
            }
            match pending.remove(&next) {
                Some(Ok(v)) => {
                    next += 1;
                    current = v.into_iter();
                }
                Some(Err(e)) => err = Some(e),
                None => match parsed_rx.recv() {
                    Ok((seq, parsed)) => {
                        pending.insert(seq, parsed);
                    }
                    Err(_) => return None, // all blocks parsed
                },
            }
        });
        let out = consume(&mut events);
        drop(parsed_rx); // unblocks the workers if `consume` stopped early
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(io_error(path, std::io::Error::other("reader panicked"))));
        match (err, read) {
            (Some(e), _) | (None, Err(e)) => Err(e),
            (None, Ok(())) => Ok(out),
        }
    })
}

/// The pseudonymised export of a JSON Lines journal (parsed on two workers, exported in one
/// ordered pass: see `parse_in_order`).
pub fn export_jsonl(
    path: &std::path::Path,
    key: &tsunagu::stats::Pseudonymiser,
    as_of: chrono::NaiveDate,
    bands: &tsunagu::stats::AgeBands,
) -> Result<tsunagu::stats::ExportTables, tsunagu::Error> {
    parse_in_order(path, |events| {
        tsunagu::stats::export(events.map(|(_, e)| e), key, as_of, bands)
    })?
}
