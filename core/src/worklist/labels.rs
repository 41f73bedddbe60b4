//! Task labels as data (タスクの表示名): the Japanese and English label of every task kind,
//! worklist section and urgency tier, from `core/data/task_labels.toml`, replaceable by a
//! municipality. A UI shows these, never the raw codes.

use super::{Task, TaskKind, Tier};
use crate::taxonomy::TaxonomyError;
use crate::Error;
use serde::{Deserialize, Serialize};

/// The built-in labels (`core/data/task_labels.toml`, embedded as JSON by the build script).
const BUILTIN: &str = include_str!(concat!(env!("OUT_DIR"), "/data/task_labels.json"));

/// A language a label is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    En,
}

/// One label: a code and its text in each language (`{name}` placeholders in task kinds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskLabel {
    /// The code labelled.
    pub code: String,
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl TaskLabel {
    fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// A labels document: any of the three lists, each entry replacing the label of its code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskLabelsDocument {
    /// Task kinds (codes of [`TaskKind`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<TaskLabel>,
    /// Worklist sections: `overdue`, `due_today`, `due_this_week`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<TaskLabel>,
    /// Urgency tiers (codes of [`Tier`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TaskLabel>,
}

/// Labels of every task kind, section and tier, complete (the built-ins fill what a municipality
/// does not replace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TaskLabels {
    doc: TaskLabelsDocument,
}

const SECTIONS: [&str; 3] = ["overdue", "due_today", "due_this_week"];

fn tier_code(t: Tier) -> &'static str {
    match t {
        Tier::Urgent => "urgent",
        Tier::High => "high",
        Tier::Routine => "routine",
        Tier::Paperwork => "paperwork",
    }
}

const TIERS: [Tier; 4] = [Tier::Urgent, Tier::High, Tier::Routine, Tier::Paperwork];

impl Default for TaskLabels {
    fn default() -> Self {
        Self::builtin()
    }
}

impl TaskLabels {
    /// The built-in labels.
    pub fn builtin() -> Self {
        let doc: TaskLabelsDocument =
            serde_json::from_str(BUILTIN).expect("the built-in task labels parse");
        TaskLabels { doc }
    }

    /// These labels with a municipality's replacements. Every code must be a known kind,
    /// section or tier (`unknown_code` at `$.kinds[i].code` …); nothing changes on error.
    pub fn extended(&self, doc: TaskLabelsDocument) -> Result<TaskLabels, Error> {
        let mut out = self.clone();
        for (list, given, known) in [
            ("kinds", &doc.kinds, &mut out.doc.kinds),
            ("sections", &doc.sections, &mut out.doc.sections),
            ("tiers", &doc.tiers, &mut out.doc.tiers),
        ] {
            for (i, l) in given.iter().enumerate() {
                let Some(slot) = known.iter_mut().find(|k| k.code == l.code) else {
                    return Err(TaxonomyError::UnknownCode {
                        list: "task label",
                        code: l.code.clone(),
                        path: format!("$.{list}[{i}].code"),
                    }
                    .into());
                };
                *slot = l.clone();
            }
        }
        Ok(out)
    }

    /// [`TaskLabels::extended`] with a JSON document (`document` errors for a malformed one).
    pub fn extended_json(&self, text: &str) -> Result<TaskLabels, Error> {
        let doc: TaskLabelsDocument = crate::coded::from_json(text)?;
        self.extended(doc)
    }

    fn find<'a>(list: &'a [TaskLabel], code: &str) -> &'a TaskLabel {
        list.iter()
            .find(|l| l.code == code)
            .expect("the built-in labels cover every code (tested)")
    }

    /// The label template of a task kind.
    pub fn kind(&self, kind: TaskKind, lang: Lang) -> &str {
        Self::find(&self.doc.kinds, kind.code()).text(lang)
    }

    /// The label of a worklist section (`overdue`, `due_today`, `due_this_week`); `None` for
    /// another code.
    pub fn section(&self, code: &str, lang: Lang) -> Option<&str> {
        SECTIONS
            .contains(&code)
            .then(|| Self::find(&self.doc.sections, code).text(lang))
    }

    /// The label of an urgency tier.
    pub fn tier(&self, tier: Tier, lang: Lang) -> &str {
        Self::find(&self.doc.tiers, tier_code(tier)).text(lang)
    }

    /// A task's label: its kind's template with each `{name}` replaced by the task's parameter
    /// `name` (a placeholder without a parameter is left as written).
    pub fn render(&self, task: &Task, lang: Lang) -> String {
        let mut text = self.kind(task.kind, lang).to_string();
        for (name, value) in &task.params {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// Whether every kind, section and tier has a label (always true of the built-ins).
    pub fn is_complete(&self) -> bool {
        let has = |list: &[TaskLabel], code: &str| list.iter().any(|l| l.code == code);
        TaskKind::ALL.iter().all(|k| has(&self.doc.kinds, k.code()))
            && SECTIONS.iter().all(|s| has(&self.doc.sections, s))
            && TIERS.iter().all(|t| has(&self.doc.tiers, tier_code(*t)))
    }
}
