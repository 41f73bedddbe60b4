//! A filled form laid out for people (様式の表示): the rows a printed page or a workbook shows —
//! the title, each section as a header, each field's label and its value as text in the chosen
//! language (choice labels, never raw codes; person and agency names, not ids, where the registry
//! knows them; dates in 和暦 where the field says so), and repeated groups as small tables.
//! [`super::xlsx`] writes these rows; a browser widget can show the same.

use super::definition::*;
use super::submission::{choice_options, parse_date, FormRecord};
use crate::ids::*;
use crate::registry::Registry;
use crate::taxonomy::Label;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The language labels and values are shown in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Japanese (dates in 和暦 where the field says so).
    #[default]
    Ja,
    /// English (dates ISO).
    En,
}

impl Language {
    fn pick(self, label: &Label) -> String {
        match self {
            Language::Ja => label.ja.clone(),
            Language::En => label.en.clone(),
        }
    }
}

/// One row of a laid-out form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "row", rename_all = "snake_case")]
pub enum PrintRow {
    /// The form's title.
    Title {
        /// Text.
        text: String,
    },
    /// A section header.
    Section {
        /// Text.
        text: String,
    },
    /// A field: label left, value right (empty when not filled).
    Field {
        /// Label.
        label: String,
        /// Value as text.
        value: String,
        /// Required field (printed with a mark).
        required: bool,
    },
    /// A repeated group: its label, the column labels and one row of texts per entry.
    Table {
        /// Label.
        label: String,
        /// Column labels.
        columns: Vec<String>,
        /// Entries.
        rows: Vec<Vec<String>>,
    },
}

struct Ctx<'a> {
    reg: &'a Registry,
    lang: Language,
}

impl Ctx<'_> {
    fn yes_no(&self, b: bool) -> String {
        match (self.lang, b) {
            (Language::Ja, true) => "はい".into(),
            (Language::Ja, false) => "いいえ".into(),
            (Language::En, true) => "Yes".into(),
            (Language::En, false) => "No".into(),
        }
    }

    fn choice(&self, choices: &Choices, code: &str) -> String {
        choice_options(choices, self.reg.taxonomies())
            .into_iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_string(), |(_, l)| self.lang.pick(&l))
    }

    fn person(&self, v: &Value) -> String {
        if let Some(name) = v.get("name").and_then(Value::as_str) {
            return name.to_string();
        }
        let id = v.get("id").and_then(Value::as_str).unwrap_or_default();
        let pid = PersonId::from(id);
        self.reg
            .households()
            .find_map(|h| h.member(&pid).and_then(|m| m.name.clone()))
            .unwrap_or_else(|| id.to_string())
    }

    fn agency(&self, id: &str) -> String {
        self.reg
            .directory()
            .get(&AgencyId::from(id))
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    /// The text of a value of `field_type` (not a group).
    fn text(&self, field_type: &FieldType, v: &Value) -> String {
        match field_type {
            FieldType::Text | FieldType::LongText | FieldType::Worker => {
                v.as_str().unwrap_or_default().to_string()
            }
            FieldType::Agency => self.agency(v.as_str().unwrap_or_default()),
            FieldType::Date { era } => {
                let s = v.as_str().unwrap_or_default();
                match (era, self.lang, parse_date(s)) {
                    (true, Language::Ja, Some(d)) => {
                        crate::calendar::format_era_date(d, crate::calendar::EraStyle::Kanji)
                            .unwrap_or_else(|_| s.to_string())
                    }
                    _ => s.to_string(),
                }
            }
            FieldType::Number { .. } => match v.as_f64() {
                Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
                Some(n) => n.to_string(),
                None => String::new(),
            },
            FieldType::Boolean => v.as_bool().map(|b| self.yes_no(b)).unwrap_or_default(),
            FieldType::Choice { choices } => self.choice(choices, v.as_str().unwrap_or_default()),
            FieldType::MultiChoice { choices, main } => {
                let selected = v.get("selected").unwrap_or(v);
                let chosen = v.get("main").and_then(Value::as_str);
                let sep = if self.lang == Language::Ja {
                    "、"
                } else {
                    ", "
                };
                selected
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|c| {
                        let mark = match (main, Some(c) == chosen) {
                            (true, true) => "◎",
                            (true, false) => "○",
                            _ => "",
                        };
                        format!("{mark}{}", self.choice(choices, c))
                    })
                    .collect::<Vec<_>>()
                    .join(sep)
            }
            FieldType::Person => self.person(v),
            FieldType::Group { .. } => String::new(),
        }
    }
}

/// Lay out a filled form: title, sections, fields and tables, in print order. Values the form
/// does not define (none, once validated) are not shown.
pub fn layout(
    form: &FormDefinition,
    record: &FormRecord,
    reg: &Registry,
    lang: Language,
) -> Vec<PrintRow> {
    let c = Ctx { reg, lang };
    let mut rows = vec![PrintRow::Title {
        text: lang.pick(&form.title),
    }];
    for section in &form.sections {
        rows.push(PrintRow::Section {
            text: lang.pick(&section.label),
        });
        for field in &section.fields {
            let value = record.values.get(&field.id);
            match &field.field_type {
                FieldType::Group { fields, .. } => rows.push(PrintRow::Table {
                    label: lang.pick(&field.label),
                    columns: fields.iter().map(|f| lang.pick(&f.label)).collect(),
                    rows: value
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|row| {
                            fields
                                .iter()
                                .map(|f| {
                                    row.get(f.id.as_str())
                                        .map(|v| c.text(&f.field_type, v))
                                        .unwrap_or_default()
                                })
                                .collect()
                        })
                        .collect(),
                }),
                t => rows.push(PrintRow::Field {
                    label: lang.pick(&field.label),
                    value: value.map(|v| c.text(t, v)).unwrap_or_default(),
                    required: field.required,
                }),
            }
        }
    }
    rows
}
