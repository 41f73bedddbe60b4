//! The person record (個人の基本情報): what a window writes about a person once, and its
//! validation. A command carries a [`PersonInput`] (the birth date as typed: `1980-04-01` or
//! `昭和55年4月1日`); the master keeps the validated [`PersonRecord`].

use super::my_number::refuse_my_number;
use super::names::is_reading;
use super::PersonError;
use crate::ids::{AreaCode, PersonId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::ids::string_newtype! {
    /// The municipality's 宛名番号 (address-book number of its basic resident system): an opaque
    /// id, compared as written. Never an individual number (マイナンバー), which is refused.
    ResidentNumber,
}

/// Sex as recorded (性別). "Not recorded" is a value of its own, not a missing one: many windows
/// do not ask, and a person may decline to say.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 女性.
    Female,
    /// 男性.
    Male,
    /// Another sex or gender as the person states it (その他).
    Other,
    /// Not recorded (未記録・回答なし).
    #[default]
    NotRecorded,
}

/// What kind of other name a person goes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OtherNameKind {
    /// A former name, typically the surname before marriage or divorce (旧姓・旧氏).
    Former,
    /// A name used in daily life (通称), including a foreign resident's registered 通称.
    Alias,
}

/// Another name of the person (旧姓, 通称): searched and matched like the main name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherName {
    /// Former name or alias.
    pub kind: OtherNameKind,
    /// The name in kanji (or as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its reading in kana.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
}

/// Where the person lives (住所): the address as written and the small area (小地域) it is in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// The address as written (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The small area (小地域 / 小学校区) as the municipality numbers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_area: Option<AreaCode>,
}

/// A person as a command gives it (個人の登録・更新の入力). The birth date is typed text: ISO
/// (`1980-04-01`), era (`昭和55年4月1日`, `S55.4.1`) or any form
/// [`crate::calendar::parse_era_date`] reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Person id: the same id households use for the member.
    pub id: PersonId,
    /// Name in kanji (氏名), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Reading in kana (フリガナ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// Former names and aliases (旧姓, 通称).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<OtherName>,
    /// Sex, when recorded.
    #[serde(default)]
    pub sex: Sex,
    /// Birth date as typed (西暦 or 和暦).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Address and small area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Phone numbers (home, mobile …) as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// The municipality's 宛名番号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_number: Option<ResidentNumber>,
}

/// A validated person record (個人の基本情報), as the master keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRecord {
    /// Person id.
    pub id: PersonId,
    /// Name in kanji (氏名), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Reading in kana (フリガナ), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// Former names and aliases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<OtherName>,
    /// Sex.
    #[serde(default)]
    pub sex: Sex,
    /// Birth date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Address and small area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Phone numbers as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// The municipality's 宛名番号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_number: Option<ResidentNumber>,
}

impl PersonRecord {
    /// The small area of the address, if any.
    pub fn small_area(&self) -> Option<&AreaCode> {
        self.address.as_ref().and_then(|a| a.small_area.as_ref())
    }

    /// Every (name, reading) pair of the person: the main one first, then the other names.
    pub fn names(&self) -> impl Iterator<Item = (Option<&str>, Option<&str>)> {
        std::iter::once((self.name.as_deref(), self.reading.as_deref())).chain(
            self.other_names
                .iter()
                .map(|o| (o.name.as_deref(), o.reading.as_deref())),
        )
    }
}

/// The digits of a phone number (what search and matching compare): `090-1234-5678` and
/// `０９０（１２３４）５６７８` are `09012345678`.
pub fn phone_digits(phone: &str) -> String {
    phone
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect()
}

/// Whether `phone` is a phone number: 6–15 digits (ASCII or full-width) with only spaces,
/// hyphens, brackets and a leading `+` besides. Six digits admit a local number written without
/// its area code; fifteen is the longest international number (E.164).
fn valid_phone(phone: &str) -> bool {
    let digits = phone_digits(phone).len();
    (6..=15).contains(&digits)
        && phone.trim().chars().enumerate().all(|(i, c)| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(
                    c,
                    ' ' | '\u{3000}' | '-' | '－' | '‐' | '−' | 'ー' | '(' | ')' | '（' | '）'
                )
                || (i == 0 && matches!(c, '+' | '＋'))
        })
}

/// A text field: not empty, no individual number.
fn text(value: &str, path: &str) -> Result<(), PersonError> {
    if value.trim().is_empty() {
        return Err(PersonError::empty_text(path));
    }
    refuse_my_number(value, path)
}

/// A reading: a text field in kana.
fn reading(value: &str, path: &str) -> Result<(), PersonError> {
    text(value, path)?;
    if !is_reading(value) {
        return Err(PersonError::InvalidReading { path: path.into() });
    }
    Ok(())
}

impl PersonInput {
    /// Validate on `today` and give the record. Paths are relative to the person (`$.reading`,
    /// `$.phones[1]`); the registry re-roots them at the command (`$.person.reading`).
    ///
    /// Refused: an empty id (`empty_id`) or text (`empty_text`); a person with neither name nor
    /// reading (`name_required`); a reading that is not kana (`invalid_reading`); a phone that is
    /// not one (`invalid_phone`); a birth date the calendar cannot read (its codes, e.g.
    /// `unparseable_era_date`) or after `today` (`birth_date_in_future`); and, in every id and
    /// text field, an individual number (`my_number_refused`, see [`super::my_number`]).
    pub fn validate(&self, today: NaiveDate) -> Result<PersonRecord, PersonError> {
        if self.id.as_str().trim().is_empty() {
            return Err(PersonError::empty_id("$.id"));
        }
        refuse_my_number(self.id.as_str(), "$.id")?;
        if self.name.is_none() && self.reading.is_none() {
            return Err(PersonError::NameRequired {
                id: self.id.clone(),
                path: "$.name".into(),
            });
        }
        if let Some(n) = &self.name {
            text(n, "$.name")?;
        }
        if let Some(r) = &self.reading {
            reading(r, "$.reading")?;
        }
        for (i, o) in self.other_names.iter().enumerate() {
            let base = format!("$.other_names[{i}]");
            if o.name.is_none() && o.reading.is_none() {
                return Err(PersonError::NameRequired {
                    id: self.id.clone(),
                    path: format!("{base}.name"),
                });
            }
            if let Some(n) = &o.name {
                text(n, &format!("{base}.name"))?;
            }
            if let Some(r) = &o.reading {
                reading(r, &format!("{base}.reading"))?;
            }
        }
        let birth_date = match &self.birth_date {
            None => None,
            Some(typed) => {
                refuse_my_number(typed, "$.birth_date")?;
                let d = crate::calendar::parse_era_date(typed).map_err(|e| e.at("$.birth_date"))?;
                if d > today {
                    return Err(PersonError::BirthDateInFuture {
                        id: self.id.clone(),
                        path: "$.birth_date".into(),
                    });
                }
                Some(d)
            }
        };
        if let Some(a) = &self.address {
            if let Some(t) = &a.text {
                text(t, "$.address.text")?;
            }
            if let Some(area) = &a.small_area {
                if area.as_str().trim().is_empty() {
                    return Err(PersonError::empty_id("$.address.small_area"));
                }
                refuse_my_number(area.as_str(), "$.address.small_area")?;
            }
        }
        for (i, p) in self.phones.iter().enumerate() {
            let path = format!("$.phones[{i}]");
            refuse_my_number(p, &path)?;
            if !valid_phone(p) {
                return Err(PersonError::InvalidPhone { path });
            }
        }
        if let Some(r) = &self.resident_number {
            if r.as_str().trim().is_empty() {
                return Err(PersonError::empty_id("$.resident_number"));
            }
            refuse_my_number(r.as_str(), "$.resident_number")?;
        }
        Ok(PersonRecord {
            id: self.id.clone(),
            name: self.name.clone(),
            reading: self.reading.clone(),
            other_names: self.other_names.clone(),
            sex: self.sex,
            birth_date,
            address: self.address.clone(),
            phones: self.phones.clone(),
            resident_number: self.resident_number.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    fn input() -> PersonInput {
        PersonInput {
            id: "p-1".into(),
            name: Some("髙橋 花子".into()),
            reading: Some("タカハシ ハナコ".into()),
            other_names: vec![],
            sex: Sex::Female,
            birth_date: Some("昭和55年4月1日".into()),
            address: None,
            phones: vec!["090-1234-5678".into()],
            resident_number: Some("0001234567".into()),
        }
    }

    #[test]
    fn era_birth_date_is_read() {
        let r = input().validate(today()).unwrap();
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1980, 4, 1));
    }

    #[test]
    fn each_field_refuses_an_individual_number() {
        const N: &str = "1234 5678 9018";
        type Edit = Box<dyn Fn(&mut PersonInput)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|p| p.id = N.into()), "$.id"),
            (Box::new(|p| p.name = Some(format!("花子{N}"))), "$.name"),
            (Box::new(|p| p.phones.push(N.into())), "$.phones[1]"),
            (
                Box::new(|p| p.resident_number = Some(N.into())),
                "$.resident_number",
            ),
            (
                Box::new(|p| {
                    p.address = Some(Address {
                        text: Some(format!("青葉区 {N}")),
                        small_area: None,
                    })
                }),
                "$.address.text",
            ),
            (
                Box::new(|p| {
                    p.other_names.push(OtherName {
                        kind: OtherNameKind::Alias,
                        name: Some(N.into()),
                        reading: None,
                    })
                }),
                "$.other_names[0].name",
            ),
        ];
        for (edit, path) in cases {
            let mut p = input();
            edit(&mut p);
            let e = p.validate(today()).unwrap_err();
            assert_eq!(e.code(), "my_number_refused", "{path}");
            assert_eq!(e.path().as_deref(), Some(path));
            assert!(!e.to_string().contains("5678"), "message echoes digits");
        }
    }

    #[test]
    fn other_refusals() {
        let mut p = input();
        p.reading = Some("Takahashi".into());
        assert_eq!(p.validate(today()).unwrap_err().code(), "invalid_reading");
        let mut p = input();
        p.phones = vec!["call me".into()];
        assert_eq!(p.validate(today()).unwrap_err().code(), "invalid_phone");
        let mut p = input();
        p.birth_date = Some("令和9年1月1日".into());
        assert_eq!(
            p.validate(today()).unwrap_err().code(),
            "birth_date_in_future"
        );
        let mut p = input();
        p.birth_date = Some("昭和55年2月30日".into());
        let e = p.validate(today()).unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_deref()),
            ("invalid_date", Some("$.birth_date"))
        );
        let mut p = input();
        p.name = None;
        p.reading = None;
        assert_eq!(p.validate(today()).unwrap_err().code(), "name_required");
        let mut p = input();
        p.phones = vec!["+81 90 1234 5678".into()];
        assert!(p.validate(today()).is_ok());
    }
}
