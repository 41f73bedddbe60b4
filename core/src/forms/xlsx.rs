//! Excel workbooks of filled forms (様式のExcel出力, feature `xlsx`): one sheet in the municipal
//! layout — the title on top, each section as a shaded header row, labels in column A and values
//! in column B, repeated groups as a small table with its column labels — from
//! [`super::render::layout`], returned as the bytes of an `.xlsx` file (the host writes it).
//!
//! The writer is `rust_xlsxwriter`: pure Rust, actively maintained, writes Excel-conformant files
//! without a C library; it is behind the `xlsx` feature so the wasm build does not carry it.

use super::render::{layout, Language, PrintRow};
use super::{FormError, FormProblem, FormRecord, FormSet};
use crate::registry::Registry;
use crate::Error;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

fn storage(e: XlsxError) -> Error {
    // Writing to memory fails only on a layout the writer refuses (a sheet name, a cell range):
    // reported as a form problem, with the writer's message (no personal data).
    FormError::InvalidFormDefinition {
        problems: vec![FormProblem::new("invalid_range", "$", e.to_string())],
    }
    .into()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The workbook of a filled form, as `.xlsx` bytes.
///
/// Codes: `unknown_form` (`$.form`: the record's form is not in `forms`).
pub fn workbook(
    forms: &FormSet,
    record: &FormRecord,
    reg: &Registry,
    lang: Language,
) -> Result<Vec<u8>, Error> {
    let form = forms
        .form(&record.form)
        .ok_or_else(|| FormError::UnknownForm {
            form: record.form.to_string(),
            path: "$.form".into(),
        })?;
    let rows = layout(form, record, reg, lang);
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border(FormatBorder::Thin);
    let label = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let value = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let column = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap();

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name = sheet_name(match rows.first() {
        Some(PrintRow::Title { text }) => text,
        _ => form.id.as_str(),
    });
    sheet.set_name(name).map_err(storage)?;
    sheet.set_column_width(0, 34).map_err(storage)?;
    sheet.set_column_width(1, 60).map_err(storage)?;
    let widest = rows
        .iter()
        .map(|r| match r {
            PrintRow::Table { columns, .. } => columns.len(),
            _ => 0,
        })
        .max()
        .unwrap_or(0);
    for col in 2..=widest.max(1) {
        sheet.set_column_width(col as u16, 20).map_err(storage)?;
    }
    let mut r: u32 = 0;
    for row in &rows {
        match row {
            PrintRow::Title { text } => {
                sheet
                    .write_string_with_format(r, 0, text, &title)
                    .map_err(storage)?;
                r += 2;
            }
            PrintRow::Section { text } => {
                sheet
                    .merge_range(r, 0, r, 1, text, &header)
                    .map_err(storage)?;
                r += 1;
            }
            PrintRow::Field {
                label: l,
                value: v,
                required,
            } => {
                let l = if *required {
                    format!("{l} ※")
                } else {
                    l.clone()
                };
                sheet
                    .write_string_with_format(r, 0, &l, &label)
                    .map_err(storage)?;
                sheet
                    .write_string_with_format(r, 1, v, &value)
                    .map_err(storage)?;
                r += 1;
            }
            PrintRow::Table {
                label: l,
                columns,
                rows: entries,
            } => {
                sheet
                    .write_string_with_format(r, 0, l, &label)
                    .map_err(storage)?;
                for (i, c) in columns.iter().enumerate() {
                    sheet
                        .write_string_with_format(r, 1 + i as u16, c, &column)
                        .map_err(storage)?;
                }
                r += 1;
                for entry in entries {
                    for (i, v) in entry.iter().enumerate() {
                        sheet
                            .write_string_with_format(r, 1 + i as u16, v, &value)
                            .map_err(storage)?;
                    }
                    r += 1;
                }
            }
        }
    }
    book.save_to_buffer().map_err(storage)
}
