//! Canonical JSON of payloads and the event hash (SHA-256 over the canonical pre-image).

use super::DeviceId;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, SecondsFormat, Timelike, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

mod ser;

/// Domain-separation tag, first element of every hash pre-image.
const TAG: &str = "tsunagu.journal.v1";

/// Canonical JSON of `value`: object keys sorted by code point (UTF-8 byte order), no
/// whitespace, serde_json's number and string formatting. Two values equal as JSON give the same
/// text whatever the field or map order. Fails when `value` does not serialize to JSON (e.g. a map
/// with non-string keys).
///
/// Written directly by a serde serializer (module `ser`), without building a `serde_json::Value`;
/// it gives exactly what [`canonical_json_via_value`] gives (tested), only faster.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(256);
    ser::write(value, &mut out)?;
    String::from_utf8(out).map_err(|_| serde::ser::Error::custom("canonical JSON is not UTF-8"))
}

/// The reference definition of [`canonical_json`]: `serde_json::to_value`, then every object
/// written with its keys sorted. Kept as the oracle the fast serializer is tested against.
#[cfg(test)]
pub(crate) fn canonical_json_via_value<T: Serialize + ?Sized>(
    value: &T,
) -> Result<String, serde_json::Error> {
    let value = serde_json::to_value(value)?;
    let mut out = String::with_capacity(128);
    write_value(&value, &mut out);
    Ok(out)
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::String(s) => write_string(s, out),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            use std::fmt::Write;
            // serde_json's own formatting, written in place (no temporary String).
            let _ = write!(out, "{n}");
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    if s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b < 0x7f)
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        // serde_json's escaping of a string cannot fail.
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// `recorded_at` as hashed and stored: RFC 3339, UTC, nine fractional digits
/// (`2025-04-01T09:30:00.000000000Z`).
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) fn format_time(t: &DateTime<Utc>) -> String {
    let mut out = String::with_capacity(30);
    write_time(t, &mut out);
    out
}

/// [`format_time`] into `out`. Hand-written for the years 0–9999 (replay formats every event's
/// time to re-hash it); chrono's formatter for anything else (leap seconds, other years).
fn write_time(t: &DateTime<Utc>, out: &mut String) {
    match time_text(t, None) {
        // Every byte is ASCII.
        Some(b) => out.push_str(std::str::from_utf8(&b).unwrap_or_default()),
        None => out.push_str(&t.to_rfc3339_opts(SecondsFormat::Nanos, true)),
    }
}

/// Two decimal digits of `value` (< 100) at `buf[at..at + 2]`.
fn two(buf: &mut [u8], at: usize, value: u32) {
    buf[at] = b'0' + (value / 10) as u8;
    buf[at + 1] = b'0' + (value % 10) as u8;
}

/// The canonical text of `t` when its year is 0–9999 and it is no leap second (`None` else),
/// written two digits at a time into a fixed buffer. `same_date`: the text of an earlier time on
/// the same date, whose date part (the first 11 bytes) is reused instead of recomputed.
fn time_text(t: &DateTime<Utc>, same_date: Option<&[u8; 30]>) -> Option<[u8; 30]> {
    let time = t.time();
    let nanos = time.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    let mut b = match same_date {
        Some(b) => *b,
        None => {
            let date = t.date_naive();
            let year = date.year();
            if !(0..=9999).contains(&year) {
                return None;
            }
            let mut b = *b"0000-00-00T00:00:00.000000000Z";
            let year = year as u32;
            two(&mut b, 0, year / 100);
            two(&mut b, 2, year % 100);
            two(&mut b, 5, date.month());
            two(&mut b, 8, date.day());
            b
        }
    };
    let secs = time.num_seconds_from_midnight();
    two(&mut b, 11, secs / 3600);
    two(&mut b, 14, secs / 60 % 60);
    two(&mut b, 17, secs % 60);
    two(&mut b, 20, nanos / 10_000_000);
    two(&mut b, 22, nanos / 100_000 % 100);
    two(&mut b, 24, nanos / 1_000 % 100);
    two(&mut b, 26, nanos / 10 % 100);
    b[28] = b'0' + (nanos % 10) as u8;
    Some(b)
}

/// Parse a stored `recorded_at`: the canonical form fast, any other RFC 3339 text through chrono.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let canonical_shape = b.len() == 30
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            29 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if canonical_shape {
        let n = |from: usize, to: usize| {
            b[from..to]
                .iter()
                .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        let date = NaiveDate::from_ymd_opt(n(0, 4) as i32, n(5, 7), n(8, 10))?;
        let time = NaiveTime::from_hms_nano_opt(n(11, 13), n(14, 16), n(17, 19), n(20, 29))?;
        return Some(date.and_time(time).and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Hash of one event (lowercase hex SHA-256). `payload_json` must already be canonical;
/// `prev_hash` is the text as carried by an envelope (any string, normally 64 hex digits).
pub(crate) fn event_hash(
    seq: u64,
    device: &DeviceId,
    device_seq: u64,
    recorded_at: &DateTime<Utc>,
    payload_json: &str,
    prev_hash: &str,
) -> String {
    let mut pre = Preimage::default();
    pre.head(seq, device.as_str(), device_seq, recorded_at, payload_json);
    if prev_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        // The usual case (hex): nothing to escape.
        pre.buf.push(b'"');
        pre.buf.extend_from_slice(prev_hash.as_bytes());
        pre.buf.push(b'"');
    } else {
        let mut escaped = String::new();
        write_string(prev_hash, &mut escaped);
        pre.buf.extend_from_slice(escaped.as_bytes());
    }
    pre.buf.push(b']');
    hex(&Sha256::digest(&pre.buf))
}

/// The pre-image of one event, built in a buffer reused across events (by append and replay),
/// with what repeats from one event to the next kept: the last device's JSON string and the
/// last time's date text. What it hashes is exactly the documented pre-image (tested against
/// [`event_hash`], fresh and reused over random sequences).
#[derive(Debug, Default)]
pub(crate) struct Preimage {
    buf: Vec<u8>,
    /// Device of the last pre-image, and its JSON string (quoted, escaped).
    device: String,
    device_json: Vec<u8>,
    /// Date of the last time written by the fast path, and that time's text.
    date: Option<chrono::NaiveDate>,
    time: [u8; 30],
}

impl Preimage {
    /// SHA-256 of one event's pre-image, with the previous event's digest given as bytes
    /// (written as lowercase hex, exactly what [`event_hash`] hashes for the same digest's hex).
    pub(crate) fn digest(
        &mut self,
        seq: u64,
        device: &str,
        device_seq: u64,
        recorded_at: &DateTime<Utc>,
        payload_json: &str,
        prev: &[u8; 32],
    ) -> [u8; 32] {
        self.head(seq, device, device_seq, recorded_at, payload_json);
        self.buf.push(b'"');
        self.buf.extend_from_slice(&hex_bytes(prev));
        self.buf.extend_from_slice(b"\"]");
        Sha256::digest(&self.buf).into()
    }

    /// The pre-image up to (and including) the comma before `prev_hash`, into the cleared
    /// buffer.
    fn head(
        &mut self,
        seq: u64,
        device: &str,
        device_seq: u64,
        recorded_at: &DateTime<Utc>,
        payload_json: &str,
    ) {
        let buf = &mut self.buf;
        buf.clear();
        buf.reserve(payload_json.len() + 192);
        // `TAG` needs no escaping: written as is.
        buf.extend_from_slice(b"[\"");
        buf.extend_from_slice(TAG.as_bytes());
        buf.extend_from_slice(b"\",");
        push_u64(seq, buf);
        buf.push(b',');
        if self.device != device || self.device_json.is_empty() {
            let mut escaped = String::with_capacity(device.len() + 2);
            write_string(device, &mut escaped);
            self.device_json = escaped.into_bytes();
            self.device.clear();
            self.device.push_str(device);
        }
        buf.extend_from_slice(&self.device_json);
        buf.push(b',');
        push_u64(device_seq, buf);
        buf.extend_from_slice(b",\"");
        let date = recorded_at.date_naive();
        let same_date = (self.date == Some(date)).then_some(&self.time);
        match time_text(recorded_at, same_date) {
            Some(text) => {
                buf.extend_from_slice(&text);
                self.time = text;
                self.date = Some(date);
            }
            None => buf.extend_from_slice(
                recorded_at
                    .to_rfc3339_opts(SecondsFormat::Nanos, true)
                    .as_bytes(),
            ),
        }
        buf.extend_from_slice(b"\",");
        buf.extend_from_slice(payload_json.as_bytes());
        buf.push(b',');
    }
}

/// Decimal digits of `n` (what `{n}` writes), without the formatting machinery.
fn push_u64(mut n: u64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Each byte's two lowercase hex digits.
const HEX_PAIRS: [[u8; 2]; 256] = {
    let mut t = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = [HEX_DIGITS[b >> 4], HEX_DIGITS[b & 0xf]];
        b += 1;
    }
    t
};

/// Lowercase hex of a digest, spelt in a stack buffer.
fn hex_bytes(bytes: &[u8; 32]) -> [u8; 64] {
    let mut spelt = [0u8; 64];
    for (pair, b) in spelt.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[*b as usize]);
    }
    spelt
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for chunk in bytes.chunks(32) {
        let mut spelt = [0u8; 64];
        for (pair, b) in spelt.chunks_exact_mut(2).zip(chunk) {
            pair.copy_from_slice(&HEX_PAIRS[*b as usize]);
        }
        // Hex digits are ASCII.
        out.push_str(std::str::from_utf8(&spelt[..chunk.len() * 2]).unwrap_or_default());
    }
    out
}

/// The 32 bytes spelt by 64 lowercase hex digits; `None` for anything else.
pub(crate) fn parse_hex32(hex: &str) -> Option<[u8; 32]> {
    /// Value of each lowercase hex digit, 0xff for every other byte.
    const DIGIT: [u8; 256] = {
        let mut t = [0xffu8; 256];
        let mut c = 0;
        while c < 16 {
            t[HEX_DIGITS[c] as usize] = c as u8;
            c += 1;
        }
        t
    };
    let b = hex.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let (h, l) = (DIGIT[pair[0] as usize], DIGIT[pair[1] as usize]);
        bad |= h | l;
        *o = h << 4 | (l & 0xf);
    }
    // Any non-digit sets the high bits of `bad` (digits are at most 0x0f).
    (bad <= 0x0f).then_some(out)
}

/// Serde form of a stored 32-byte hash: its lowercase hex string (so a [`super::StoredEvent`]
/// reads and writes the same JSON as when it carried hex strings).
pub(crate) mod hex32 {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// As lowercase hex.
    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(bytes))
    }

    /// From 64 lowercase hex digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse_hex32(&text)
            .ok_or_else(|| D::Error::custom("a hash must be 64 lowercase hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, HashMap};

    fn same<T: Serialize + ?Sized>(value: &T) {
        let fast = canonical_json(value);
        let reference = canonical_json_via_value(value);
        match (&fast, &reference) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => panic!("fast {fast:?} vs reference {reference:?}"),
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            "[a-z_]{0,6}",
            "[ -~]{0,4}",
            "[\\u{0}-\\u{1f}\"\\\\あ-ん🙂]{0,3}"
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[\\u{0}-\\u{7f}あ-ん]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn fast_serializer_equals_the_value_reference(v in json_value()) {
            let fast = canonical_json(&v).unwrap();
            prop_assert_eq!(&fast, &canonical_json_via_value(&v).unwrap());
            // And it is JSON (floats may not read back bit-exact: serde_json's parser).
            prop_assert!(serde_json::from_str::<Value>(&fast).is_ok());
        }

        #[test]
        fn fast_serializer_equals_the_reference_on_floats(x in any::<f32>(), y in any::<f64>()) {
            same(&(x, y, vec![x], Some(y)));
        }
    }

    #[test]
    fn fast_serializer_equals_the_reference_on_every_shape() {
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Newtype(u8);
        #[derive(Serialize)]
        struct Tuple(i8, &'static str);
        #[derive(Serialize)]
        enum E {
            A,
            B(u32),
            C(u8, u8),
            D { z: u8, a: Option<u8> },
        }
        #[derive(Serialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        enum Tagged {
            Zeta { b: u8, a: Vec<E> },
        }
        #[derive(Serialize)]
        struct Flat {
            z: u8,
            #[serde(flatten)]
            rest: BTreeMap<String, u8>,
        }
        same(&Unit);
        same(&Newtype(7));
        same(&Tuple(-3, "x"));
        same(&[E::A, E::B(1), E::C(1, 2), E::D { z: 1, a: None }]);
        same(&Tagged::Zeta {
            b: 2,
            a: vec![E::D { z: 0, a: Some(1) }],
        });
        same(&Flat {
            z: 1,
            rest: [("a".to_string(), 2), ("zz".to_string(), 3)].into(),
        });
        same(&'é');
        same(&serde_bytes_like());
        same(&(u128::MAX, i128::MIN, 5u128));
        let mut int_keys = HashMap::new();
        int_keys.insert(10, "x");
        int_keys.insert(9, "y");
        same(&int_keys);
        let mut bool_keys = BTreeMap::new();
        bool_keys.insert(true, 1);
        same(&bool_keys);
        let mut tuple_keys = HashMap::new();
        tuple_keys.insert((1, 2), 3);
        same(&tuple_keys);
        same(&(f64::NAN, f64::INFINITY, -0.0f64, 1e300, 0.1f32));
    }

    fn serde_bytes_like() -> Vec<u8> {
        vec![0, 1, 255]
    }

    #[test]
    fn fast_serializer_equals_the_reference_on_every_vector_command() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
        let mut commands = 0;
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let v: Value =
                        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                    let mut stack = vec![&v];
                    while let Some(node) = stack.pop() {
                        if let Some(c) = node.get("command").filter(|c| c.is_object()) {
                            if let Ok(cmd) =
                                serde_json::from_value::<crate::registry::Command>(c.clone())
                            {
                                same(&cmd);
                                commands += 1;
                            }
                        }
                        match node {
                            Value::Array(a) => stack.extend(a),
                            Value::Object(o) => stack.extend(o.values()),
                            _ => {}
                        }
                    }
                    same(&v);
                }
            }
        }
        assert!(
            commands >= 20,
            "only {commands} commands found in the vectors"
        );
    }

    #[test]
    fn keys_are_sorted_whatever_the_input_order() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"d":[1,"x"],"c":null}}"#).unwrap();
        assert_eq!(
            canonical_json(&a).unwrap(),
            r#"{"a":{"c":null,"d":[1,"x"]},"b":1}"#
        );
        let mut h = HashMap::new();
        for k in ["z", "y", "x", "w", "v"] {
            h.insert(k.to_string(), k.len());
        }
        let b: BTreeMap<_, _> = h.clone().into_iter().collect();
        assert_eq!(canonical_json(&h).unwrap(), canonical_json(&b).unwrap());
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            canonical_json(&"引きこもり \"x\"\n").unwrap(),
            "\"引きこもり \\\"x\\\"\\n\""
        );
    }

    #[test]
    fn non_json_payloads_fail() {
        let mut m = HashMap::new();
        m.insert((1, 2), 3);
        assert!(canonical_json(&m).is_err());
    }

    #[test]
    fn hash_is_sha256_of_the_documented_preimage() {
        let t = DateTime::parse_from_rfc3339("2025-04-01T09:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let h = event_hash(
            1,
            &DeviceId::new("dev"),
            1,
            &t,
            r#"{"a":1}"#,
            super::super::GENESIS_HASH,
        );
        let pre = format!(
            r#"["tsunagu.journal.v1",1,"dev",1,"2025-04-01T09:30:00.000000000Z",{{"a":1}},"{}"]"#,
            super::super::GENESIS_HASH
        );
        assert_eq!(h, hex(&Sha256::digest(pre.as_bytes())));
        assert_eq!(h.len(), 64);
        // Any change to any field changes the hash.
        assert_ne!(
            h,
            event_hash(
                2,
                &DeviceId::new("dev"),
                1,
                &t,
                r#"{"a":1}"#,
                super::super::GENESIS_HASH
            )
        );
        assert_ne!(
            h,
            event_hash(
                1,
                &DeviceId::new("dev2"),
                1,
                &t,
                r#"{"a":1}"#,
                super::super::GENESIS_HASH
            )
        );
        assert_ne!(
            h,
            event_hash(
                1,
                &DeviceId::new("dev"),
                2,
                &t,
                r#"{"a":1}"#,
                super::super::GENESIS_HASH
            )
        );
        assert_ne!(
            h,
            event_hash(
                1,
                &DeviceId::new("dev"),
                1,
                &t,
                r#"{"a":2}"#,
                super::super::GENESIS_HASH
            )
        );
        assert_ne!(
            h,
            event_hash(
                1,
                &DeviceId::new("dev"),
                1,
                &(t + chrono::Duration::nanoseconds(1)),
                r#"{"a":1}"#,
                super::super::GENESIS_HASH
            )
        );
        assert_ne!(
            h,
            event_hash(1, &DeviceId::new("dev"), 1, &t, r#"{"a":1}"#, &h)
        );
    }

    #[test]
    fn times_format_and_parse_canonically() {
        let samples = [
            "2025-04-01T09:30:00.000000000Z",
            "0001-01-01T00:00:00.000000001Z",
            "9999-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00.123456789Z",
        ];
        for text in samples {
            let t = parse_time(text).unwrap();
            assert_eq!(format_time(&t), text);
            let chrono = DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(t, chrono);
            assert_eq!(
                format_time(&t),
                chrono.to_rfc3339_opts(SecondsFormat::Nanos, true)
            );
        }
        // Other RFC 3339 spellings still parse (same instant); impossible dates do not.
        assert_eq!(
            parse_time("2025-04-01T18:30:00+09:00"),
            parse_time("2025-04-01T09:30:00.000000000Z")
        );
        assert_eq!(parse_time("2025-02-30T09:30:00.000000000Z"), None);
        assert_eq!(parse_time("not a time"), None);
    }

    proptest! {
        #[test]
        fn format_time_is_chronos_rfc3339_with_nanos(
            // Years 1 to 9999 (the journal's range), any nanosecond.
            secs in -62_135_596_800i64..253_402_300_800, nanos in 0u32..1_000_000_000,
        ) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            prop_assert_eq!(format_time(&t), t.to_rfc3339_opts(SecondsFormat::Nanos, true));
            prop_assert_eq!(parse_time(&format_time(&t)), Some(t));
        }
    }

    #[test]
    fn plain_and_escaped_strings() {
        for s in ["dev", "端末", "a\"b", "a\\b", "tab\t", "\u{7f}"] {
            let mut out = String::new();
            write_string(s, &mut out);
            assert_eq!(out, serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn hex32_round_trips_and_rejects_other_text() {
        let d: [u8; 32] = Sha256::digest(b"abc").into();
        assert_eq!(parse_hex32(&hex(&d)), Some(d));
        let mut other = hex(&d);
        other.replace_range(63.., "g");
        assert_eq!(parse_hex32(&other), None);
        assert_eq!(parse_hex32(&hex(&d).to_uppercase()), None);
        assert_eq!(parse_hex32(&hex(&d)[..62]), None);
        assert_eq!(parse_hex32(super::super::GENESIS_HASH), Some([0; 32]));
    }

    proptest! {
        #[test]
        fn digest_from_bytes_equals_hash_from_hex(
            seq in 1u64..u64::MAX, device_seq in 1u64..1 << 62, prev in any::<[u8; 32]>(),
            device in "[ -~あ🙂]{1,8}", nanos in 0i64..4_000_000_000_000_000_000,
        ) {
            let t = DateTime::from_timestamp_nanos(nanos);
            let device = DeviceId::new(device);
            let d = Preimage::default().digest(seq, device.as_str(), device_seq, &t, r#"{"a":[1,"x"]}"#, &prev);
            let h = event_hash(seq, &device, device_seq, &t, r#"{"a":[1,"x"]}"#, &hex(&prev));
            prop_assert_eq!(hex(&d), h);
        }

        /// One `Preimage` reused over a sequence (what append and replay do: the device and the
        /// date kept from the previous event) hashes what a fresh one hashes, event by event:
        /// devices and dates repeating or not, leap seconds, years outside 0–9999.
        #[test]
        fn reused_preimage_equals_fresh(
            events in proptest::collection::vec((
                1u64..u64::MAX,
                prop_oneof!["[ -~あ🙂\"\\\\]{1,6}", Just("dev".to_string()), Just("dev2".to_string())],
                prop_oneof![
                    // Around one day (dates repeat), anywhere, and beyond year 9999.
                    1_743_465_600i64..1_743_465_600 + 3 * 86_400,
                    -62_135_596_800i64..253_402_300_800,
                    253_402_300_800i64..253_402_300_800 + 86_400,
                ],
                // Sometimes a leap second (nanos ≥ 10⁹, only at :59).
                0u32..1_100_000_000,
                any::<[u8; 32]>(),
            ), 1..40),
        ) {
            let mut reused = Preimage::default();
            for (seq, device, secs, nanos, prev) in events {
                let secs = if nanos >= 1_000_000_000 { secs - secs.rem_euclid(60) + 59 } else { secs };
                let Some(t) = DateTime::from_timestamp(secs, nanos) else { continue };
                let payload = r#"{"a":1}"#;
                let d = reused.digest(seq, &device, 7, &t, payload, &prev);
                prop_assert_eq!(d, Preimage::default().digest(seq, &device, 7, &t, payload, &prev));
                let h = event_hash(seq, &DeviceId::new(device.clone()), 7, &t, payload, &hex(&prev));
                prop_assert_eq!(hex(&d), h);
            }
        }
    }

    #[test]
    fn known_sha256_vector() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
