//! Text normalisation shared by the date and fiscal-year parsers: full-width forms, dash
//! look-alikes, era ligatures, spaces and kanji numerals.

/// Normalise `input` for parsing: full-width ASCII (Ｒ５．１１．１６) becomes ASCII, dash
/// look-alikes (‐ – — − ー) become `-`, the era ligatures ㍾㍽㍼㍻㋿ become their two kanji, all
/// whitespace (including the ideographic space) is dropped and ASCII letters are upper-cased.
pub(crate) fn normalize(input: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(input.len());
    for c in input.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => '-',
            '\u{337E}' => {
                out.extend(['明', '治']);
                continue;
            }
            '\u{337D}' => {
                out.extend(['大', '正']);
                continue;
            }
            '\u{337C}' => {
                out.extend(['昭', '和']);
                continue;
            }
            '\u{337B}' => {
                out.extend(['平', '成']);
                continue;
            }
            '\u{32FF}' => {
                out.extend(['令', '和']);
                continue;
            }
            c => c,
        };
        if c.is_whitespace() {
            continue;
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The input as echoed in an error message: at most 32 characters.
pub(crate) fn echo(input: &str) -> String {
    const MAX: usize = 32;
    let mut out: String = input.chars().take(MAX).collect();
    if input.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

/// A cursor over normalised characters.
pub(crate) struct Cursor<'a> {
    chars: &'a [char],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(chars: &'a [char]) -> Self {
        Cursor { chars, pos: 0 }
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    /// Consume `c` if it is next.
    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consume `s` if it is next.
    pub(crate) fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        let matches = self
            .chars
            .get(self.pos..self.pos + n)
            .is_some_and(|w| w.iter().copied().eq(s.chars()));
        if matches {
            self.pos += n;
        }
        matches
    }

    /// Consume one of `options` and return it.
    pub(crate) fn eat_any(&mut self, options: &[char]) -> Option<char> {
        let c = self.peek()?;
        if options.contains(&c) {
            self.pos += 1;
            Some(c)
        } else {
            None
        }
    }

    /// A number of at most four digits: ASCII digits (`05`, `2023`) or kanji numerals
    /// (`十一`, `二十三`, `二〇二三`). Returns the value and the number of characters read.
    pub(crate) fn number(&mut self) -> Option<(u32, usize)> {
        let start = self.pos;
        let digits: Vec<char> = self.chars[start..]
            .iter()
            .copied()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() {
            if digits.len() > 4 {
                return None;
            }
            self.pos += digits.len();
            let value = digits
                .iter()
                .fold(0, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0));
            return Some((value, digits.len()));
        }
        let run: Vec<char> = self.chars[start..]
            .iter()
            .copied()
            .take_while(|c| *c == '十' || kanji_digit(*c).is_some())
            .collect();
        let value = kanji_number(&run)?;
        self.pos += run.len();
        Some((value, run.len()))
    }
}

fn kanji_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|k| k == c)
        .map(|p| p as u32)
}

/// `十` = 10, `十一` = 11, `二十` = 20, `二十三` = 23; or positional `二〇二三` = 2023.
fn kanji_number(run: &[char]) -> Option<u32> {
    if run.is_empty() || run.len() > 4 {
        return None;
    }
    match run.iter().position(|c| *c == '十') {
        Some(ten) => {
            let (tens, ones) = (&run[..ten], &run[ten + 1..]);
            let tens = match tens {
                [] => 1,
                [c] => kanji_digit(*c).filter(|v| *v >= 2)?,
                _ => return None,
            };
            let ones = match ones {
                [] => 0,
                [c] => kanji_digit(*c).filter(|v| *v >= 1)?,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
        None => run
            .iter()
            .try_fold(0, |acc, c| Some(acc * 10 + kanji_digit(*c)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<u32> {
        let chars: Vec<char> = s.chars().collect();
        let mut c = Cursor::new(&chars);
        let v = c.number()?.0;
        c.at_end().then_some(v)
    }

    #[test]
    fn normalises_full_width_dashes_ligatures_spaces() {
        let n: String = normalize("Ｒ５．１１．１６").into_iter().collect();
        assert_eq!(n, "R5.11.16");
        let n: String = normalize(" r 5 ー 1\u{3000}－2 ").into_iter().collect();
        assert_eq!(n, "R5-1-2");
        let n: String = normalize("㋿5年").into_iter().collect();
        assert_eq!(n, "令和5年");
    }

    #[test]
    fn kanji_numerals() {
        assert_eq!(num("十"), Some(10));
        assert_eq!(num("十一"), Some(11));
        assert_eq!(num("二十"), Some(20));
        assert_eq!(num("三十一"), Some(31));
        assert_eq!(num("五"), Some(5));
        assert_eq!(num("二〇二三"), Some(2023));
        assert_eq!(num("一十"), None);
        assert_eq!(num("十十"), None);
        assert_eq!(num("12345"), None);
        assert_eq!(num("0512"), Some(512));
    }

    #[test]
    fn echo_truncates() {
        assert_eq!(echo("abc"), "abc");
        let long = "あ".repeat(40);
        assert_eq!(echo(&long).chars().count(), 33);
    }
}
