//! The boundary guard (境界の保護): no panic of the core ends the app, and no JSON an app passes
//! in can exhaust the stack.
//!
//! **Panics.** uniffi catches a panic in every scaffolding function, but reports it as its own
//! internal error (Kotlin `InternalException`, Swift `UniffiInternalError.rustPanic`), which a
//! non-throwing Swift call meets with `try!` — a crash. So every export of this binding returns
//! [`Result`] and runs its body through the one wrapper [`guarded`], which turns a panic into the
//! library's own class: [`TsunaguError::Internal`] with code [`INTERNAL_PANIC`] (Kotlin
//! `TsunaguException.Internal`, Swift `TsunaguError.Internal`; listed in
//! `tests/vectors/errors/classes.json`). The detail is the panic's message, which the core writes
//! without personal data (ids and codes at most). Objects stay usable afterwards: the journal's
//! mutex is taken through a poisoned lock, and the book changes its state only after a command was
//! accepted and stored, so a panic inside a command leaves the state of the last accepted one.
//! [`testing_panic`] panics on purpose so that the apps' test suites (and ours, in Kotlin and
//! Swift) see the class. It is exported in every build, not behind a cargo feature: a library
//! built without it would fail uniffi's API checksum check against bindings generated with it.
//!
//! **Nesting.** Every JSON document an app passes in is read by [`from_json`], which first
//! checks its nesting depth without recursion ([`check_depth`]): deeper than [`MAX_DEPTH`] is
//! `malformed_document` naming the depth and the byte where the limit was passed, at `$`. A JSON
//! text cannot be cyclic, so a depth limit is the whole defence at this boundary (records the
//! apps pass as typed values are finite trees by construction).

use crate::error::{Result, TsunaguError};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Code of the error a panic becomes: the binding's, not a core code (as in the wasm binding).
pub const INTERNAL_PANIC: &str = "internal_panic";

/// Deepest nesting (arrays and objects) accepted in a JSON document from the app. The deepest
/// document of the core (a routing rule's nested conditions) stays far below; serde_json itself
/// stops at 128 with a message that names no depth.
pub const MAX_DEPTH: usize = 64;

/// Run the body of an export: its result, or [`TsunaguError::Internal`] if it panicked.
pub fn guarded<T>(body: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the library panicked".into());
        Err(TsunaguError::Internal {
            code: INTERNAL_PANIC.into(),
            detail,
            path: None,
        })
    })
}

/// `malformed_document` when `text` nests arrays and objects deeper than [`MAX_DEPTH`]; a scan
/// of the bytes (strings and escapes skipped), without recursion, so any length is safe.
pub fn check_depth(text: &str) -> Result<()> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (at, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(TsunaguError::malformed(
                        format!(
                            "JSON nested deeper than {MAX_DEPTH} levels (depth {depth} at byte {at})"
                        ),
                        "$",
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parse a JSON document from the app into `T`: [`check_depth`], then the core's reader
/// (`malformed_document` with the path of the field).
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    check_depth(text)?;
    Ok(tsunagu::error::from_json(text)?)
}

/// Test-only: panics with `message`, so a test can check that a panic reaches the app as
/// [`TsunaguError::Internal`] (`internal_panic`) and that the library answers afterwards. Apps
/// never call it.
#[uniffi::export]
pub fn testing_panic(message: String) -> Result<()> {
    guarded(|| panic!("testing_panic: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_internal_error() {
        let e = testing_panic("boom".into()).unwrap_err();
        assert_eq!(e.code(), INTERNAL_PANIC);
        assert!(matches!(e, TsunaguError::Internal { .. }), "{e:?}");
        assert!(format!("{e}").contains("boom"));
        assert_eq!(guarded(|| Ok(3)).unwrap(), 3);
    }

    /// Every exported function (in `#[uniffi::export]` impl blocks and free functions) returns
    /// `Result` — so Swift calls it with `try`, never `try!` — and runs its body through
    /// [`guarded`]: a new export without either fails here.
    #[test]
    fn every_export_throws_and_is_guarded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut checked = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let (mut pending, mut in_impl) = (false, false);
            for (i, line) in lines.iter().enumerate() {
                let t = line.trim();
                if t == "#[uniffi::export]" {
                    pending = true;
                } else if pending && line.starts_with("impl ") {
                    (pending, in_impl) = (false, true);
                } else if in_impl && *line == "}" {
                    in_impl = false;
                } else if t.starts_with("pub fn ")
                    && (in_impl || (pending && line.starts_with("pub fn ")))
                {
                    pending = false;
                    let rest = lines[i..].join("\n");
                    let signature = &rest[..rest.find('{').unwrap()];
                    let body = &rest[signature.len()..(signature.len() + 200).min(rest.len())];
                    let at = format!("{}:{}", path.display(), i + 1);
                    assert!(
                        signature.contains("Result<"),
                        "{at}: an export that does not throw"
                    );
                    assert!(
                        body.contains("guarded("),
                        "{at}: an export outside guard::guarded"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 60, "only {checked} exports found");
    }

    #[test]
    fn depth_is_limited_and_named_without_recursion() {
        let deep = "[".repeat(1_000_000) + &"]".repeat(1_000_000);
        let e = from_json::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!((e.code(), e.path()), ("malformed_document", Some("$")));
        assert!(format!("{e}").contains("depth 65"), "{e}");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(from_json::<serde_json::Value>(&ok).is_ok());
        // Brackets inside strings do not count.
        let s = format!("[\"{}\\\"{}\"]", "[".repeat(100), "{".repeat(100));
        assert!(from_json::<Vec<String>>(&s).is_ok());
    }
}
