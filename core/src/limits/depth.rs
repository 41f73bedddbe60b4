//! Nesting depth of a JSON or TOML text, measured before parsing (入れ子の深さ): one pass over the
//! bytes, strings and comments skipped, stopping at the first place deeper than the limit. Linear
//! in the text and allocation-free, so a hostile document costs no more to refuse than to read.

use super::TooDeep;

/// The first place where `text` (JSON) nests arrays and objects deeper than `max`, if any.
/// Brackets inside strings do not count; the text need not be valid JSON.
pub fn json_depth(text: &str, max: usize) -> Option<TooDeep> {
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in text.as_bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(TooDeep { depth, line });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The first place where `text` (TOML) nests deeper than `max`, if any: the dotted segments of
/// the current table header (`[a.b.c]` is 3, `[[rules]]` is 2: the array and its table) plus
/// the inline arrays and tables open at that point. Strings (basic, literal, multi-line) and
/// comments do not count; the text need not be valid TOML.
pub fn toml_depth(text: &str, max: usize) -> Option<TooDeep> {
    let bytes = text.as_bytes();
    let (mut i, mut line) = (0usize, 1usize);
    let (mut header, mut inline) = (0usize, 0usize);
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            line_start = true;
            i += 1;
            continue;
        }
        if line_start && (b == b' ' || b == b'\t' || b == b'\r') {
            i += 1;
            continue;
        }
        let at_start = std::mem::replace(&mut line_start, false);
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let (end, lines) = skip_string(bytes, i);
                line += lines;
                i = end;
                continue;
            }
            b'[' if at_start && inline == 0 => {
                // A table header: `[a.b]` or `[[a.b]]`.
                let array = bytes.get(i + 1) == Some(&b'[');
                let mut j = i + if array { 2 } else { 1 };
                let mut segments = 1usize;
                while j < bytes.len() && bytes[j] != b']' && bytes[j] != b'\n' {
                    match bytes[j] {
                        b'.' => segments += 1,
                        b'"' | b'\'' => {
                            let (end, _) = skip_string(bytes, j);
                            j = end;
                            continue;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                header = segments + usize::from(array);
                if header > max {
                    return Some(TooDeep {
                        depth: header,
                        line,
                    });
                }
                while j < bytes.len() && bytes[j] == b']' {
                    j += 1;
                }
                i = j;
                continue;
            }
            b'[' | b'{' => {
                inline += 1;
                if header + inline > max {
                    return Some(TooDeep {
                        depth: header + inline,
                        line,
                    });
                }
            }
            b']' | b'}' => inline = inline.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Skip the string starting at `start` (basic or literal, single- or multi-line); returns the
/// index after it and the newlines it held.
fn skip_string(bytes: &[u8], start: usize) -> (usize, usize) {
    let quote = bytes[start];
    let triple = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    let mut lines = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            if !triple {
                return (i, lines);
            }
            lines += 1;
        }
        if quote == b'"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote {
            if !triple {
                return (i + 1, lines);
            }
            if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                return (i + 3, lines);
            }
        }
        i += 1;
    }
    (bytes.len(), lines)
}
