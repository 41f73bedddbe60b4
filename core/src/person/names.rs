//! Japanese name normalisation for matching (氏名・フリガナの正規化): the keys the search index and
//! 名寄せ compare. A name is always stored and shown as written; only its key is normalised.
//!
//! Names in kanji ([`KanjiVariants::name_key`]) and readings in kana
//! ([`KanjiVariants::reading_key`]) are normalised separately:
//!
//! | step | kanji name | reading |
//! |---|---|---|
//! | full-width ASCII → ASCII, Latin letters lower-cased (ＹＡＭＡＤＡ = yamada) | ✓ | ✓ |
//! | half-width katakana → full-width, with ﾞ ﾟ combined (ｶﾞ = ガ) | ✓ | ✓ |
//! | spaces (half- and full-width), the middle dot ・ and the double hyphen ゠ = dropped | ✓ | ✓ |
//! | hiragana → katakana (さくら = サクラ) | ✓ | ✓ |
//! | ヶ ヵ → ケ カ (一ヶ谷 = 一ケ谷) | ✓ | ✓ |
//! | 旧字体・異体字 → the standard form, as data (`core/data/kanji_variants.toml`) | ✓ | |
//! | the iteration mark 々 → the character before it (佐々木 = 佐佐木) | ✓ | |
//! | small kana → large (ァ→ア, ッ→ツ, ャ→ヤ …; キョウコ = キヨウコ) | | ✓ |
//! | ヂ → ジ, ヅ → ズ (チヅル = チズル), ヲ → オ, ヴ → ブ | | ✓ |
//! | long vowels → ー (see below) | | ✓ |
//!
//! **Long vowels.** Readings are written with the long-vowel mark (サトー), with the vowel (サトオ)
//! or, for the o- and e-rows, the way kana spelling writes them (サトウ, ケイコ). A reading key
//! writes every long vowel as ー: after a kana whose vowel is *v*, a ー, a repeated *v*, an ウ
//! after an o- or u-row kana, or an イ after an e-row kana becomes ー (サトウ = サトオ = サトー,
//! オオノ = オーノ = オウノ, ユウコ = ユーコ, ケイコ = ケーコ, イイダ = イーダ), and repeated marks
//! collapse into one. This can make two different readings equal (エイコ and エーコ are written
//! for different names), which is what a match key wants: equal keys only make candidates, and a
//! merge is always a worker's decision. Short and long vowels stay apart (オノ ≠ オオノ, ユキ ≠
//! ユウキ).
//!
//! **Width folding by hand.** Only the folds above are needed, so the module does not use a
//! Unicode normalisation crate (NFKC brings composition tables the WebAssembly build would carry,
//! and does not fold kana, small kana or variants anyway). CJK compatibility ideographs (神 U+FA19)
//! are folded by the variant table, generated from the Unicode Character Database.

use super::PersonError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The built-in table, converted from `core/data/kanji_variants.toml` by `build.rs`.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/data/kanji_variants.json"));

/// A kanji-variant document (異体字表): standard form → variant forms, in two sections that mean
/// the same (`variants` for 旧字体・異体字, `compatibility` for the CJK compatibility ideographs);
/// the shape of `core/data/kanji_variants.toml` and of a municipality's extension.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KanjiVariantsDocument {
    /// Standard form → variants (旧字体・異体字), e.g. `"高" = ["髙"]`.
    #[serde(default)]
    pub variants: BTreeMap<String, Vec<String>>,
    /// Standard form → CJK compatibility ideographs folded into it.
    #[serde(default)]
    pub compatibility: BTreeMap<String, Vec<String>>,
}

/// The kanji-variant table in force (異体字の同一視) and the normaliser built on it.
///
/// A variant maps to exactly one standard form and no standard form is itself a variant, so a
/// name key is found in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KanjiVariants {
    map: HashMap<char, char>,
}

impl Default for KanjiVariants {
    fn default() -> Self {
        KanjiVariants::builtin().clone()
    }
}

fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    it.next().is_none().then_some(c)
}

impl KanjiVariants {
    /// The built-in table (`core/data/kanji_variants.toml`), parsed once.
    pub fn builtin() -> &'static KanjiVariants {
        static BUILTIN: OnceLock<KanjiVariants> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let doc: KanjiVariantsDocument =
                serde_json::from_str(BUILTIN_JSON).expect("built-in kanji variants parse");
            KanjiVariants {
                map: HashMap::new(),
            }
            .extended(&doc)
            .expect("built-in kanji variants are consistent")
        })
    }

    /// This table extended with a municipality's document. Errors (`invalid_variant`, at the
    /// entry's path): a key or variant that is not one character, a variant already mapped to
    /// another standard form, a variant that is a standard form or a standard form that is a
    /// variant (chains). Adding a variant already mapped to the same form is accepted.
    pub fn extended(&self, doc: &KanjiVariantsDocument) -> Result<KanjiVariants, PersonError> {
        let mut map = self.map.clone();
        let sections = [
            ("variants", &doc.variants),
            ("compatibility", &doc.compatibility),
        ];
        let invalid = |path: String, reason| PersonError::InvalidVariant { path, reason };
        for (section, entries) in sections {
            for (to, froms) in entries {
                let base = format!("$.{section}.{to}");
                let target =
                    single_char(to).ok_or_else(|| invalid(base.clone(), "not one character"))?;
                if map.contains_key(&target) {
                    return Err(invalid(base, "the standard form is itself a variant"));
                }
                for (i, from) in froms.iter().enumerate() {
                    let path = format!("{base}[{i}]");
                    let v = single_char(from)
                        .ok_or_else(|| invalid(path.clone(), "not one character"))?;
                    if v == target {
                        return Err(invalid(path, "a character is not a variant of itself"));
                    }
                    if map.values().any(|&t| t == v) {
                        return Err(invalid(path, "the variant is a standard form"));
                    }
                    match map.get(&v) {
                        Some(&t) if t != target => {
                            return Err(invalid(path, "the variant has another standard form"))
                        }
                        _ => {
                            map.insert(v, target);
                        }
                    }
                }
            }
        }
        Ok(KanjiVariants { map })
    }

    /// Number of variant characters in the table.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The standard form of one character (itself when it is not a variant).
    pub fn standard(&self, c: char) -> char {
        self.map.get(&c).copied().unwrap_or(c)
    }

    /// The match key of a name in kanji (or any script): widths folded, spaces and dots dropped,
    /// kana in katakana, variants in their standard form, 々 expanded. See the module doc.
    pub fn name_key(&self, name: &str) -> String {
        let mut out = String::with_capacity(name.len());
        let mut last: Option<char> = None;
        for c in folded(name) {
            let c = match c {
                '々' | '〻' => match last {
                    Some(p) => p,
                    None => c,
                },
                c => self.standard(c),
            };
            out.push(c);
            last = Some(c);
        }
        out
    }

    /// The match key of a reading (フリガナ): [`reading_key`] (the table plays no part).
    pub fn reading_key(&self, reading: &str) -> String {
        reading_key(reading)
    }
}

/// The match key of a name with the built-in variant table.
///
/// ```
/// use tsunagu::person::name_key;
/// assert_eq!(name_key("髙橋　花子"), name_key("高橋花子"));
/// assert_eq!(name_key("渡邊"), name_key("渡辺"));
/// assert_ne!(name_key("高橋"), name_key("高柳"));
/// ```
pub fn name_key(name: &str) -> String {
    KanjiVariants::builtin().name_key(name)
}

/// The match key of a reading (フリガナ): see the module doc.
///
/// ```
/// use tsunagu::person::reading_key;
/// assert_eq!(reading_key("さとう はなこ"), reading_key("ｻﾄｰﾊﾅｺ"));
/// assert_eq!(reading_key("キョウコ"), reading_key("キヨーコ"));
/// assert_ne!(reading_key("オノ"), reading_key("オオノ"));
/// ```
pub fn reading_key(reading: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(reading.len());
    let mut vowel: Option<Vowel> = None;
    for c in folded(reading) {
        let c = large_kana(c);
        let lengthens = match (vowel, c) {
            (Some(_), 'ー') => true,
            (Some(v), c) => match vowel_letter(c) {
                Some(l) => {
                    l == v
                        || (l == Vowel::U && matches!(v, Vowel::O | Vowel::U))
                        || (l == Vowel::I && v == Vowel::E)
                }
                None => false,
            },
            (None, _) => false,
        };
        if lengthens {
            if out.last() != Some(&'ー') {
                out.push('ー');
            }
            // The vowel stays: サトーー and サトーウ are サトー.
            continue;
        }
        if c == 'ー' {
            // A mark with no vowel before it (at the start, after ン): kept, collapsed.
            if out.last() != Some(&'ー') {
                out.push('ー');
            }
            continue;
        }
        vowel = vowel_of(c);
        out.push(c);
    }
    out.into_iter().collect()
}

/// Whether `text` is a reading: kana (either script, either width), the long-vowel mark, spaces
/// and middle dots only, and at least one kana.
pub fn is_reading(text: &str) -> bool {
    let mut any = false;
    for c in folded(text) {
        match c {
            'ァ'..='ヺ' | 'ー' => any = true,
            _ => return false,
        }
    }
    any
}

/// The characters of `text` with widths folded, kana in katakana, ヶ ヵ as ケ カ, and spaces,
/// middle dots and double hyphens dropped.
fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || loop {
        let c = chars.next()?;
        let c = match c {
            // Full-width ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            // Half-width katakana, with a following voiced or semi-voiced mark combined.
            '\u{FF61}'..='\u{FF9F}' => {
                let base = half_width_kana(c);
                match chars.peek() {
                    Some('\u{FF9E}') | Some('\u{3099}') | Some('\u{309B}') => {
                        if let Some(v) = voiced(base) {
                            chars.next();
                            v
                        } else {
                            base
                        }
                    }
                    Some('\u{FF9F}') | Some('\u{309A}') | Some('\u{309C}') => {
                        if let Some(v) = semi_voiced(base) {
                            chars.next();
                            v
                        } else {
                            base
                        }
                    }
                    _ => base,
                }
            }
            // Hiragana → katakana (ぁ..ゖ, ゝゞ).
            '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
                char::from_u32(c as u32 + 0x60).unwrap_or(c)
            }
            c => c,
        };
        // A voiced mark after a full-width kana: combining, spacing or half-width (キﾞ = ギ).
        let c = match chars.peek() {
            Some('\u{3099}') | Some('\u{309B}') | Some('\u{FF9E}') if voiced(c).is_some() => {
                chars.next();
                voiced(c).unwrap_or(c)
            }
            Some('\u{309A}') | Some('\u{309C}') | Some('\u{FF9F}') if semi_voiced(c).is_some() => {
                chars.next();
                semi_voiced(c).unwrap_or(c)
            }
            _ => c,
        };
        let c = match c {
            'ヶ' => 'ケ',
            'ヵ' => 'カ',
            c => c.to_ascii_lowercase(),
        };
        if c.is_whitespace() || matches!(c, '・' | '･' | '·' | '゠' | '=' | '＝') {
            continue;
        }
        return Some(c);
    })
}

/// Half-width katakana U+FF61..U+FF9F → full-width.
fn half_width_kana(c: char) -> char {
    const TABLE: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";
    let i = c as usize - 0xFF61;
    TABLE.chars().nth(i).unwrap_or(c)
}

/// The voiced (濁音) form of a katakana.
fn voiced(c: char) -> Option<char> {
    match c {
        'カ' | 'キ' | 'ク' | 'ケ' | 'コ' | 'サ' | 'シ' | 'ス' | 'セ' | 'ソ' | 'タ' | 'チ'
        | 'ツ' | 'テ' | 'ト' => char::from_u32(c as u32 + 1),
        'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => char::from_u32(c as u32 + 1),
        'ウ' => Some('ヴ'),
        'ワ' => Some('ヷ'),
        'ヲ' => Some('ヺ'),
        _ => None,
    }
}

/// The semi-voiced (半濁音) form of a katakana.
fn semi_voiced(c: char) -> Option<char> {
    match c {
        'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => char::from_u32(c as u32 + 2),
        _ => None,
    }
}

/// Small kana → large, and the folds of readings that sound alike (ヂ→ジ, ヅ→ズ, ヲ→オ, ヴ→ブ).
fn large_kana(c: char) -> char {
    match c {
        'ァ' => 'ア',
        'ィ' => 'イ',
        'ゥ' => 'ウ',
        'ェ' => 'エ',
        'ォ' => 'オ',
        'ッ' => 'ツ',
        'ャ' => 'ヤ',
        'ュ' => 'ユ',
        'ョ' => 'ヨ',
        'ヮ' => 'ワ',
        'ヂ' => 'ジ',
        'ヅ' => 'ズ',
        'ヲ' => 'オ',
        'ヴ' => 'ブ',
        'ヰ' => 'イ',
        'ヱ' => 'エ',
        c => c,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vowel {
    A,
    I,
    U,
    E,
    O,
}

/// The vowel a (large) katakana ends in.
fn vowel_of(c: char) -> Option<Vowel> {
    const A: &str = "アカサタナハマヤラワガザダバパ";
    const I: &str = "イキシチニヒミリギジビピ";
    const U: &str = "ウクスツヌフムユルグズブプ";
    const E: &str = "エケセテネヘメレゲゼデベペ";
    const O: &str = "オコソトノホモヨロゴゾドボポ";
    [
        (A, Vowel::A),
        (I, Vowel::I),
        (U, Vowel::U),
        (E, Vowel::E),
        (O, Vowel::O),
    ]
    .into_iter()
    .find(|(row, _)| row.contains(c))
    .map(|(_, v)| v)
}

/// The vowel a bare vowel kana writes.
fn vowel_letter(c: char) -> Option<Vowel> {
    match c {
        'ア' => Some(Vowel::A),
        'イ' => Some(Vowel::I),
        'ウ' => Some(Vowel::U),
        'エ' => Some(Vowel::E),
        'オ' => Some(Vowel::O),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn variants_from_the_brief_fold() {
        for (a, b) in [
            ("髙", "高"),
            ("﨑", "崎"),
            ("邊", "辺"),
            ("邉", "辺"),
            ("齋", "斎"),
            ("齊", "斎"),
            ("澤", "沢"),
            ("廣", "広"),
            ("濱", "浜"),
            ("德", "徳"),
            ("櫻", "桜"),
            ("國", "国"),
            ("與", "与"),
        ] {
            assert_eq!(name_key(a), b, "{a}");
        }
    }

    #[test]
    fn widths_spaces_and_kana() {
        assert_eq!(name_key("山田　太郎"), name_key("山田 太郎"));
        assert_eq!(name_key("ＹＡＭＡＤＡ Taro"), "yamadataro");
        assert_eq!(reading_key("ﾔﾏﾀﾞ ﾀﾛｳ"), reading_key("やまだ たろう"));
        assert_eq!(reading_key("ﾊﾟｸ"), "パク");
        assert_eq!(reading_key("か\u{3099}"), "ガ");
        // A half-width mark after a full-width kana (found by `keys_are_idempotent`).
        assert_eq!(reading_key("キ\u{FF9E}"), "ギ");
        assert_eq!(reading_key("ハ\u{FF9F}"), "パ");
        assert_eq!(reading_key("ジョン・スミス"), reading_key("ジョンスミス"));
        assert_eq!(name_key("佐々木"), name_key("佐佐木"));
    }

    #[test]
    fn long_vowels() {
        let k = reading_key("サトウ");
        assert_eq!(k, "サトー");
        for r in ["サトオ", "サトー", "さとう", "ｻﾄｰ", "サトーー", "サトウウ"]
        {
            assert_eq!(reading_key(r), k, "{r}");
        }
        assert_ne!(reading_key("オノ"), reading_key("オオノ"));
        assert_ne!(reading_key("ユキ"), reading_key("ユウキ"));
        assert_eq!(reading_key("ケイコ"), reading_key("ケーコ"));
        assert_ne!(reading_key("アイ"), reading_key("アー"));
    }

    #[test]
    fn extension_is_checked() {
        let base = KanjiVariants::builtin();
        let doc = |to: &str, from: &[&str]| KanjiVariantsDocument {
            variants: [(to.to_string(), from.iter().map(|s| s.to_string()).collect())].into(),
            compatibility: BTreeMap::new(),
        };
        let ext = base.extended(&doc("吉", &["吉"])).unwrap_err();
        assert_eq!(crate::Coded::code(&ext), "invalid_variant");
        // 髙 already maps to 高.
        assert!(base.extended(&doc("橋", &["髙"])).is_err());
        // 高 is a standard form.
        assert!(base.extended(&doc("橋", &["高"])).is_err());
        // 髙 is a variant, so cannot be a standard form.
        assert!(base.extended(&doc("髙", &["x"])).is_err());
        assert!(base.extended(&doc("ab", &["x"])).is_err());
        let ok = base.extended(&doc("羽", &["𦏶"])).unwrap();
        assert_eq!(ok.name_key("𦏶田"), "羽田");
        assert_eq!(ok.len(), base.len() + 1);
    }

    proptest! {
        #[test]
        fn keys_are_idempotent(s in "[ぁ-ゖァ-ヺーｦ-ﾟ高髙﨑崎辺邊　 a-zＡ-Ｚ]{0,12}") {
            let k = reading_key(&s);
            prop_assert_eq!(reading_key(&k), k.clone());
            let n = name_key(&s);
            prop_assert_eq!(name_key(&n), n.clone());
        }

        #[test]
        fn hiragana_and_katakana_readings_agree(s in "[ぁ-ゖ]{1,10}") {
            let kata: String = s.chars().map(|c| char::from_u32(c as u32 + 0x60).unwrap()).collect();
            prop_assert_eq!(reading_key(&s), reading_key(&kata));
        }
    }
}
