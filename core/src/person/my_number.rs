//! Refusing the individual number (マイナンバーの拒否). The My Number Act lists the tasks the
//! number may be used for; this work is not one of them, so no field of this system may hold one
//! (DOMAIN.md §9). The check is public so that every area can refuse it in its own fields.
//!
//! **What counts as an individual number.** Twelve digits whose twelfth is the check digit of the
//! first eleven (番号法施行令 第8条: with the digits P₁…P₁₁ counted from the right of the first
//! eleven and weights Qₙ = n + 1 for n ≤ 6, n − 5 for n ≥ 7, the check digit is 0 when
//! Σ PₙQₙ mod 11 ≤ 1, else 11 − that remainder). Digits may be full-width, and single spaces or
//! hyphens may separate them (`1234 5678 9018`, `１２３４-５６７８-９０１８`).
//!
//! **Decisions.**
//! - Twelve digits with a wrong check digit are *accepted* (as an opaque id or a text): about one
//!   random twelve-digit string in eleven passes the check, and refusing every twelve-digit
//!   string would refuse a municipality's own numbers too. A municipality whose 宛名番号 are
//!   twelve digits long should keep them at their full system width (commonly 10 or 15 digits,
//!   zero-padded): a run of more than twelve digits is not an individual number.
//! - Inside a free text every run of digits is checked; a run that starts with `+` is an
//!   international phone number (`+81 90 1234 5678` has twelve digits) and is not refused.
//! - The error never echoes the digits.

/// The check digit of the first eleven digits of an individual number.
fn check_digit(first: &[u8; 11]) -> u8 {
    let sum: u32 = (1..=11)
        .map(|n| {
            let p = u32::from(first[11 - n]);
            let q = if n <= 6 { n as u32 + 1 } else { n as u32 - 5 };
            p * q
        })
        .sum();
    let r = sum % 11;
    if r <= 1 {
        0
    } else {
        (11 - r) as u8
    }
}

/// Whether twelve digits form a valid individual number.
fn valid(digits: &[u8]) -> bool {
    let Ok(first) = <[u8; 11]>::try_from(&digits[..11.min(digits.len())]) else {
        return false;
    };
    digits.len() == 12 && check_digit(&first) == digits[11]
}

/// A decimal digit, ASCII or full-width.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// A separator allowed between the digits of one number.
fn separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '-' | '－' | '‐' | '‑' | '–' | '—' | '−' | 'ー'
    )
}

/// The runs of digits in `text`: digits joined by single separators, each with whether it began
/// with `+`.
fn runs(text: &str) -> Vec<(bool, Vec<u8>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(d) = digit(chars[i]) else {
            i += 1;
            continue;
        };
        let plus = i > 0 && matches!(chars[i - 1], '+' | '＋');
        let mut run = vec![d];
        i += 1;
        loop {
            match (chars.get(i), chars.get(i + 1)) {
                (Some(&c), _) if digit(c).is_some() => {
                    run.push(digit(c).unwrap_or_default());
                    i += 1;
                }
                (Some(&s), Some(&c)) if separator(s) && digit(c).is_some() => {
                    run.push(digit(c).unwrap_or_default());
                    i += 2;
                }
                _ => break,
            }
        }
        out.push((plus, run));
    }
    out
}

/// Whether `text`, as a whole, is an individual number: twelve digits (ASCII or full-width,
/// optionally separated by single spaces or hyphens) with a valid check digit. Nothing else may be
/// in the text.
///
/// ```
/// use tsunagu::person::looks_like_my_number;
/// assert!(looks_like_my_number("123456789018"));
/// assert!(looks_like_my_number("１２３４ ５６７８ ９０１８"));
/// assert!(!looks_like_my_number("123456789012")); // wrong check digit
/// assert!(!looks_like_my_number("1234567890185")); // thirteen digits
/// ```
pub fn looks_like_my_number(text: &str) -> bool {
    let trimmed = text.trim();
    let r = runs(trimmed);
    r.len() == 1
        && !r[0].0
        && valid(&r[0].1)
        && trimmed.chars().all(|c| digit(c).is_some() || separator(c))
}

/// Whether `text` contains an individual number anywhere: a run of exactly twelve digits (as in
/// [`looks_like_my_number`]) with a valid check digit, not starting with `+`.
///
/// ```
/// use tsunagu::person::contains_my_number;
/// assert!(contains_my_number("番号は1234-5678-9018です"));
/// assert!(!contains_my_number("tel +81 90 1234 5678"));
/// assert!(!contains_my_number("宛名番号 0001234567890"));
/// ```
pub fn contains_my_number(text: &str) -> bool {
    runs(text)
        .into_iter()
        .any(|(plus, digits)| !plus && valid(&digits))
}

/// Refuse `text` at `path` when it contains an individual number (`my_number_refused`).
pub fn refuse_my_number(text: &str, path: &str) -> Result<(), super::PersonError> {
    if contains_my_number(text) {
        return Err(super::PersonError::MyNumberRefused { path: path.into() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Eleven digits completed with their check digit.
    fn complete(first: [u8; 11]) -> String {
        let c = check_digit(&first);
        first
            .iter()
            .chain(std::iter::once(&c))
            .map(|d| char::from(b'0' + d))
            .collect()
    }

    #[test]
    fn known_numbers() {
        // 12345678901 → check digit 8 (Σ = 2·1+3·0+4·9+5·8+6·7+7·6+2·5+3·4+4·3+5·2+6·1 = 212; 212 mod 11 = 3).
        assert_eq!(complete([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]), "123456789018");
        assert!(looks_like_my_number("123456789018"));
        assert!(looks_like_my_number(" 1234-5678-9018 "));
        assert!(!looks_like_my_number("1234--5678-9018"));
        assert!(!looks_like_my_number("No.123456789018"));
        assert!(contains_my_number("No.123456789018"));
        assert!(!contains_my_number("12345678901"));
        assert!(!contains_my_number("+123456789018"));
    }

    proptest! {
        #[test]
        fn every_completed_number_is_refused(first in proptest::array::uniform11(0u8..10)) {
            let n = complete(first);
            prop_assert!(looks_like_my_number(&n));
            let memo = format!("メモ {n} 以上");
            prop_assert!(contains_my_number(&memo));
            let full: String = n.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect();
            prop_assert!(looks_like_my_number(&full));
        }

        #[test]
        fn a_wrong_check_digit_is_accepted(first in proptest::array::uniform11(0u8..10), bump in 1u8..10) {
            let n = complete(first);
            let last = (n.as_bytes()[11] - b'0' + bump) % 10;
            let wrong = format!("{}{}", &n[..11], last);
            prop_assert!(!looks_like_my_number(&wrong));
            prop_assert!(!contains_my_number(&wrong));
        }
    }
}
