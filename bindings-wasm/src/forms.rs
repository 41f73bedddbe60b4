//! Forms (様式, issue 18): the four national sheets of 包括的相談支援 and a municipality's
//! extensions, as the core's `FormSet` holds them — definitions, the options of every choice
//! field with their labels, validation of a filled form (every problem with the path of its
//! field), the commands a submission yields, executing them as one unit (by the registry
//! handle's actor), and the print layout (`PrintRow`s in Japanese or English).
//!
//! The forms in force belong to the registry (`registry.extendForms`, shared by its `asActor`
//! handles), as its taxonomies do: a submission is read against both. So no export takes
//! another binding object as an argument (wasm-bindgen's glue would throw a plain `Error`,
//! not a `TsunaguError`, for a value of the wrong class).

use crate::convert::date;
use crate::convert::{from_js, from_js_or_default, json_text, text, to_js_value};
use crate::error::{to_js, JsResult};
use crate::registry::Registry;
use std::collections::BTreeMap;
use tsunagu::forms::{
    choice_options, layout, Choices, Field, FieldType, FormDefinition, FormSet, Language,
    Submission,
};
use tsunagu::taxonomy::Label;
use wasm_bindgen::prelude::*;

/// One option of a choice field.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct ChoiceOption {
    /// The code the submission holds.
    pub code: String,
    /// Its labels.
    pub label: Label,
}

fn collect_options(
    fields: &[Field],
    prefix: &str,
    tax: &tsunagu::taxonomy::Taxonomies,
    out: &mut BTreeMap<String, Vec<ChoiceOption>>,
) {
    for f in fields {
        let key = format!("{prefix}{}", f.id.as_str());
        let choices: Option<&Choices> = match &f.field_type {
            FieldType::Choice { choices } | FieldType::MultiChoice { choices, .. } => Some(choices),
            FieldType::Group { fields, .. } => {
                collect_options(fields, &format!("{key}."), tax, out);
                None
            }
            _ => None,
        };
        if let Some(c) = choices {
            let list = choice_options(c, tax)
                .into_iter()
                .map(|(code, label)| ChoiceOption { code, label })
                .collect();
            out.insert(key, list);
        }
    }
}

/// Check a form document (every problem in `problems`); returns nothing when it is sound.
///
/// Codes: `malformed_document`, `invalid_form_definition`.
#[wasm_bindgen(js_name = checkFormDefinition)]
pub fn check_form_definition(
    #[wasm_bindgen(unchecked_param_type = "FormDefinition")] form: JsValue,
) -> JsResult<()> {
    let form: FormDefinition = from_js(form, "$")?;
    FormSet::check_definition(&form).map_err(to_js)
}

#[wasm_bindgen]
impl Registry {
    /// Apply a municipality's extension document (all or nothing).
    ///
    /// Codes: `malformed_document`, `invalid_form_definition` (every problem in `problems`).
    #[wasm_bindgen(js_name = extendForms)]
    pub fn extend_forms(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FormExtension")] document: JsValue,
    ) -> JsResult<u32> {
        let text = json_text(&document, "$")?;
        let mut set = self.forms_mut();
        set.extend_json(&text).map_err(to_js)?;
        Ok(set.forms().len() as u32)
    }

    /// Every form, national first.
    #[wasm_bindgen(unchecked_return_type = "FormDefinition[]")]
    pub fn forms(&self) -> JsResult<JsValue> {
        to_js_value(self.forms_ref().forms())
    }

    /// A form by id, or `null`.
    #[wasm_bindgen(unchecked_return_type = "FormDefinition | null")]
    pub fn form(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> JsResult<JsValue> {
        let id = text(&id, "id")?;
        to_js_value(&self.forms_ref().form(&id.as_str().into()))
    }

    /// The options of every choice field of a form with their labels, by field id (a field of
    /// a repeated group as `group.field`), from the registry's taxonomies: a page shows labels,
    /// never codes.
    ///
    /// Codes: `malformed_document`, `unknown_form` (`$.form`).
    #[wasm_bindgen(unchecked_return_type = "Record<string, ChoiceOption[]>")]
    #[wasm_bindgen(js_name = formOptions)]
    pub fn form_options(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] form: JsValue,
    ) -> JsResult<JsValue> {
        let set = self.forms_ref();
        let form = find(&set, &text(&form, "form")?)?;
        let book = self.book();
        let tax = book.registry().taxonomies();
        let mut out = BTreeMap::new();
        for s in &form.sections {
            collect_options(&s.fields, "", tax, &mut out);
        }
        to_js_value(&out)
    }

    /// Validate a filled form against the registry's taxonomies on `today`: the normalised
    /// record, or `invalid_submission` with every problem (`problems`: `{code, path, message}`,
    /// the path naming the field, `$.values.goals[0].text`).
    ///
    /// Codes: `malformed_document`, `unknown_form`, `invalid_submission`.
    #[wasm_bindgen(unchecked_return_type = "FormRecord")]
    #[wasm_bindgen(js_name = validateForm)]
    pub fn validate_form(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Submission")] submission: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        let sub: Submission = from_js(submission, "$")?;
        let today = date(&today, "today")?;
        let book = self.book();
        let record = self
            .forms_ref()
            .validate(&sub, book.registry().taxonomies(), today);
        to_js_value(&record.map_err(to_js)?)
    }

    /// The commands a filled form yields against the registry as it stands (not executed),
    /// the form record last.
    ///
    /// Codes: those of `validate`, and `not_found` (`$.case`).
    #[wasm_bindgen(unchecked_return_type = "Command[]")]
    #[wasm_bindgen(js_name = submitForm)]
    pub fn submit_form(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Submission")] submission: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        let sub: Submission = from_js(submission, "$")?;
        let today = date(&today, "today")?;
        let book = self.book();
        let commands = self.forms_ref().submit(&sub, book.registry(), today);
        to_js_value(&commands.map_err(to_js)?)
    }

    /// Submit a filled form and execute its commands on the registry as one unit (all or
    /// nothing), as the registry handle's actor (`registry.asActor(…)`); returns the receipts.
    ///
    /// Codes: those of `submit` and of every command it yields.
    #[wasm_bindgen(unchecked_return_type = "Receipt[]")]
    #[wasm_bindgen(js_name = executeForm)]
    pub fn execute_form(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Submission")] submission: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        let sub: Submission = from_js(submission, "$")?;
        let today = date(&today, "today")?;
        let commands = {
            let book = self.book();
            self.forms_ref()
                .submit(&sub, book.registry(), today)
                .map_err(to_js)?
        };
        to_js_value(&self.execute_all(commands, today)?)
    }

    /// The print layout of a filled form (`PrintRow[]`: title, sections, fields with their
    /// values as text — 和暦 dates, ◎/○ for main and other choices — and tables), in `lang`
    /// (`"ja"` default or `"en"`). The submission is validated first.
    ///
    /// Codes: those of `validate`.
    #[wasm_bindgen(unchecked_return_type = "PrintRow[]")]
    #[wasm_bindgen(js_name = formLayout)]
    pub fn form_layout(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Submission")] submission: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"ja\" | \"en\" | undefined")] lang: JsValue,
    ) -> JsResult<JsValue> {
        let sub: Submission = from_js(submission, "$")?;
        let today = date(&today, "today")?;
        let lang: Option<Language> = from_js_or_default(lang, "$.lang")?;
        let book = self.book();
        let reg = book.registry();
        let set = self.forms_ref();
        let record = set.validate(&sub, reg.taxonomies(), today).map_err(to_js)?;
        let form = find(&set, sub.form.as_str())?;
        to_js_value(&layout(form, &record, reg, lang.unwrap_or_default()))
    }
}

/// A form by id, or `unknown_form` at `$.form`.
fn find<'a>(set: &'a FormSet, id: &str) -> JsResult<&'a FormDefinition> {
    set.form(&id.into()).ok_or_else(|| {
        to_js(tsunagu::Error::from(
            tsunagu::forms::FormError::UnknownForm {
                form: id.to_string(),
                path: "$.form".into(),
            },
        ))
    })
}
