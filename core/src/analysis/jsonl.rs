//! JSON Lines (one JSON document per line, blank lines skipped): text written and parsed, and
//! files (feature `files`) read in order or folded on several threads.
//!
//! The readers are generic over the document type `P` (the registry's `Event` in practice). A
//! line that does not parse is `malformed_document` at path `line N` (N from 1); a file that
//! cannot be read is `malformed_document` at `$` with the message `cannot read PATH: …`.
//!
//! Positions are line numbers from 0 (blank lines keep their number), so a partition of a file
//! by line ranges folds to the same result as the whole file.

use crate::error::{from_json, DocumentError};
use crate::Error;
use serde::{de::DeserializeOwned, Serialize};
#[cfg(feature = "files")]
use std::io::{BufRead, Read};
#[cfg(feature = "files")]
use std::path::Path;

#[cfg(feature = "files")]
/// Bytes read per block by the threaded readers (cut after the last newline of each block).
const BLOCK: usize = 4 << 20;

/// The longest line read by default (`MAX_LINE_BYTES` = 64 MiB, 上限; the default of the limit
/// `jsonl_line_bytes`, `core/data/limits.toml`; the `*_limited` readers take another): a journal
/// event is a few kilobytes and a household document a few tens, so a longer line is not a
/// document but a broken or hostile file — without a limit, one 4 GB line would grow a buffer
/// until memory ran out. A longer line is `limit_exceeded` at `line N`, naming the limit.
pub const MAX_LINE_BYTES: usize = crate::limits::DEFAULT_JSONL_LINE_BYTES;

fn too_long(line: usize, max: usize) -> Error {
    crate::limits::LimitError::Exceeded {
        limit: crate::limits::Limit::JsonlLineBytes,
        max,
        found: max + 1,
        path: format!("line {}", line + 1),
    }
    .into()
}

fn line_error(line: usize, e: &serde_json::Error) -> Error {
    Error::Document(DocumentError {
        format: "json",
        path: format!("line {}", line + 1),
        message: e.to_string(),
    })
}

#[cfg(feature = "files")]
fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Document(DocumentError {
        format: "json",
        path: "$".into(),
        message: format!("cannot read {}: {e}", path.display()),
    })
}

#[cfg(feature = "files")]
fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Documents as JSON Lines text (one compact document per line, each line ended by `\n`).
pub fn to_text<'a, P: Serialize + 'a>(docs: impl IntoIterator<Item = &'a P>) -> String {
    let mut out = String::new();
    for d in docs {
        // The core's documents always serialize (plain data, string keys).
        out.push_str(&serde_json::to_string(d).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Documents from text: a JSON array, or JSON Lines (one document per line; blank lines
/// skipped).
pub fn parse_text<P: DeserializeOwned>(text: &str) -> Result<Vec<P>, Error> {
    if text.trim_start().starts_with('[') {
        return Ok(from_json(text)?);
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            if l.len() > MAX_LINE_BYTES {
                return Err(too_long(i, MAX_LINE_BYTES));
            }
            serde_json::from_str(l).map_err(|e| line_error(i, &e))
        })
        .collect()
}

#[cfg(feature = "files")]
/// Lines `start .. stop` of a JSON Lines file, in order (line `i` has position `i`).
pub fn read<P: DeserializeOwned>(
    path: &Path,
    start: usize,
    stop: Option<usize>,
) -> Result<Vec<P>, Error> {
    read_limited(path, start, stop, MAX_LINE_BYTES)
}

#[cfg(feature = "files")]
/// [`read`] with lines of at most `max_line` bytes: a line is read through a `take` of
/// `max_line + 1` bytes, so a longer one is refused without being held whole.
fn read_limited<P: DeserializeOwned>(
    path: &Path,
    start: usize,
    stop: Option<usize>,
    max_line: usize,
) -> Result<Vec<P>, Error> {
    let f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut reader = std::io::BufReader::new(f);
    let mut out = Vec::new();
    let mut line = Vec::new();
    for i in 0.. {
        if stop.is_some_and(|s| i >= s) {
            break;
        }
        line.clear();
        let n = (&mut reader)
            .take(max_line as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| io_error(path, e))?;
        if n == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        } else if n > max_line {
            return Err(too_long(i, max_line));
        }
        if i < start || blank(&line) {
            continue;
        }
        out.push(serde_json::from_slice(&line).map_err(|e| line_error(i, &e))?);
    }
    Ok(out)
}

#[cfg(feature = "files")]
/// Read a file in [`BLOCK`]-byte blocks cut after the last newline of each (the newline left
/// out), and hand each block with the number of its first line to `send`, which returns `false`
/// to stop; stops by itself at line `stop`. A line longer than a block is read on until its end.
fn read_blocks(
    path: &Path,
    stop: usize,
    send: impl FnMut(usize, Vec<u8>) -> bool,
) -> Result<(), Error> {
    read_blocks_limited(path, stop, MAX_LINE_BYTES, send)
}

#[cfg(feature = "files")]
/// [`read_blocks`] refusing a line longer than `max_line` bytes (checked while it is carried
/// from block to block, so at most one block beyond the limit is held).
fn read_blocks_limited(
    path: &Path,
    stop: usize,
    max_line: usize,
    mut send: impl FnMut(usize, Vec<u8>) -> bool,
) -> Result<(), Error> {
    let mut f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut line = 0usize;
    let mut carry: Vec<u8> = Vec::new();
    while line < stop {
        let mut block = std::mem::take(&mut carry);
        block.reserve(BLOCK);
        // `read_to_end` on a `take` appends without zero-filling and retries interruptions.
        let n = (&mut f)
            .take(BLOCK as u64)
            .read_to_end(&mut block)
            .map_err(|e| io_error(path, e))?;
        if n == 0 {
            // End of file: the rest (a last line without a newline) is a block of its own.
            if !block.is_empty() {
                longest_within(&block, line, max_line)?;
                send(line, block);
            }
            return Ok(());
        }
        let Some(cut) = block.iter().rposition(|b| *b == b'\n') else {
            if block.len() > max_line {
                return Err(too_long(line, max_line));
            }
            carry = block;
            continue;
        };
        longest_within(&block[..cut], line, max_line)?;
        carry = block[cut + 1..].to_vec();
        block.truncate(cut); // without the last newline: lines = newlines + 1
        let lines = block.iter().filter(|b| **b == b'\n').count() + 1;
        if !send(line, block) {
            return Ok(());
        }
        line += lines;
    }
    Ok(())
}

#[cfg(feature = "files")]
/// Every line of `block` (whose first line is `first`) is at most `max_line` bytes.
fn longest_within(block: &[u8], first: usize, max_line: usize) -> Result<(), Error> {
    match block
        .split(|b| *b == b'\n')
        .position(|l| l.len() > max_line)
    {
        Some(k) => Err(too_long(first + k, max_line)),
        None => Ok(()),
    }
}

#[cfg(feature = "files")]
/// Lines `start .. stop` of a JSON Lines file folded into one `T` per worker thread (`new`,
/// then `add` per document at its line number), the workers' results combined with `merge`.
///
/// The reading thread only reads blocks and counts their lines; the `threads` workers split the
/// blocks into lines and parse them in place (`serde_json::from_slice`), so nothing is copied
/// per line but the document itself. The first error (reading, or a bad line) is returned.
pub fn fold<P: DeserializeOwned, T: Send>(
    path: &Path,
    start: usize,
    stop: Option<usize>,
    threads: usize,
    new: impl Fn() -> T + Sync,
    add: impl Fn(&mut T, u64, &P) + Sync,
    merge: impl Fn(T, T) -> Result<T, Error>,
) -> Result<T, Error> {
    let threads = threads.max(1);
    let stop = stop.unwrap_or(usize::MAX);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(threads * 2);
    let rx = std::sync::Mutex::new(rx);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Result<T, Error> {
                    let mut acc = new();
                    loop {
                        let msg = rx
                            .lock()
                            .map_err(|_| io_error(path, std::io::Error::other("worker")))?
                            .recv();
                        let Ok((first, block)) = msg else { break };
                        for (k, l) in block.split(|b| *b == b'\n').enumerate() {
                            let i = first + k;
                            if i < start || i >= stop || blank(l) {
                                continue;
                            }
                            let doc: P =
                                serde_json::from_slice(l).map_err(|e| line_error(i, &e))?;
                            add(&mut acc, i as u64, &doc);
                        }
                    }
                    Ok(acc)
                })
            })
            .collect();
        let read = read_blocks(path, stop, |first, block| {
            let lines = block.iter().filter(|b| **b == b'\n').count() + 1;
            // Blocks wholly before `start` are not sent.
            first + lines <= start || tx.send((first, block)).is_ok()
        });
        drop(tx);
        let mut total: Option<T> = None;
        let mut err = read.err();
        for w in workers {
            match w.join() {
                Ok(Ok(part)) => {
                    total = Some(match total {
                        Some(t) => merge(t, part)?,
                        None => part,
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

#[cfg(feature = "files")]
/// Hand the documents of a JSON Lines file, in file order and with their line numbers, to
/// `consume` — one ordered pass, while parsing is not: a reading thread cuts the file into
/// blocks, two workers parse blocks in parallel, and the consuming thread takes the parsed
/// blocks back in file order (a few blocks in flight: never the whole file in memory). The
/// first bad line is the error, whatever `consume` returned.
pub fn in_order<P: DeserializeOwned + Send, T>(
    path: &Path,
    consume: impl FnOnce(&mut dyn Iterator<Item = (usize, P)>) -> T,
) -> Result<T, Error> {
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};
    const WORKERS: usize = 2;
    type Parsed<P> = Result<Vec<(usize, P)>, Error>;
    std::thread::scope(|s| {
        let (block_tx, block_rx) = sync_channel::<(usize, usize, Vec<u8>)>(WORKERS);
        // Held by the workers only: when they stop, the reader's `send` fails and it stops too.
        let block_rx = Arc::new(Mutex::new(block_rx));
        let (parsed_tx, parsed_rx) = sync_channel::<(usize, Parsed<P>)>(WORKERS);
        let reader = s.spawn(move || {
            let mut seq = 0usize;
            read_blocks(path, usize::MAX, |first, block| {
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
                let parsed: Parsed<P> = block
                    .split(|b| *b == b'\n')
                    .enumerate()
                    .filter(|(_, l)| !blank(l))
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
        let mut pending: std::collections::BTreeMap<usize, Parsed<P>> = Default::default();
        let mut next = 0usize;
        let mut current = Vec::new().into_iter();
        let mut docs = std::iter::from_fn(|| loop {
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
        let out = consume(&mut docs);
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

#[cfg(all(test, feature = "files"))]
/// Lines read by [`read_limited`] under `max_line` (tests).
pub(super) fn read_limited_for_test(path: &Path, max_line: usize) -> Result<usize, Error> {
    read_limited::<serde_json::Value>(path, 0, None, max_line).map(|v| v.len())
}

#[cfg(all(test, feature = "files"))]
/// Blocks sent by [`read_blocks_limited`] under `max_line` (tests).
pub(super) fn read_blocks_for_test(path: &Path, max_line: usize) -> Result<usize, Error> {
    let mut blocks = 0;
    read_blocks_limited(path, usize::MAX, max_line, |_, _| {
        blocks += 1;
        true
    })?;
    Ok(blocks)
}
