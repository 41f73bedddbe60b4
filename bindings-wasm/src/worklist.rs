//! The worklist (業務一覧, issue 18) and the timeline (支援経過の時系列) of the registry: what
//! is due for an agency, a case or a worker on a date, each task renderable in Japanese or
//! English from the core's label data; and a case's or a person's timeline. Read-only: both are
//! derived by the core from the registry.

use crate::convert::{from_js, from_js_or_default, to_js_value};
use crate::error::{to_js, JsResult};
use crate::registry::Registry;
use tsunagu::record::{TimelineFilter, TimelineSubject};
use tsunagu::worklist::{Lang, TaskLabels, WorklistQuery};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Registry {
    /// The worklist of `query` (`{on, agency?, case?, worker?, horizon_days?}`): overdue, due
    /// today and due this week, most urgent first.
    ///
    /// Codes: `malformed_document`.
    #[wasm_bindgen(unchecked_return_type = "Worklist")]
    pub fn worklist(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WorklistQuery")] query: JsValue,
    ) -> JsResult<JsValue> {
        let query: WorklistQuery = from_js(query, "$")?;
        to_js_value(&self.book().registry().worklist(&query))
    }

    /// The timeline of a case (`{type: "case", case}`) or a person (`{type: "person",
    /// person}`), ordered, filtered by `filter` (`{kinds?, from?, to?, include_superseded?}`).
    ///
    /// Codes: `malformed_document`, `not_found` (`$.case`).
    #[wasm_bindgen(unchecked_return_type = "TimelineItem[]")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TimelineSubject")] subject: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TimelineFilter | undefined")] filter: JsValue,
    ) -> JsResult<JsValue> {
        let subject: TimelineSubject = from_js(subject, "$")?;
        let filter: TimelineFilter = from_js_or_default(filter, "$.filter")?;
        let items = self.book().registry().timeline(&subject, &filter);
        to_js_value(&items.map_err(to_js)?)
    }
}

/// A task of a worklist as one line in `lang` (`"ja"` default, or `"en"`), from the core's
/// label data (`core/data/task_labels.toml`): the worker never sees a task's code.
///
/// Codes: `malformed_document`.
#[wasm_bindgen(js_name = renderTask)]
pub fn render_task(
    #[wasm_bindgen(unchecked_param_type = "Task")] task: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"ja\" | \"en\" | undefined")] lang: JsValue,
) -> JsResult<String> {
    let task: tsunagu::worklist::Task = from_js(task, "$")?;
    let lang: Option<Lang> = from_js_or_default(lang, "$.lang")?;
    Ok(TaskLabels::builtin().render(&task, lang.unwrap_or(Lang::Ja)))
}
