//! The form document (様式の定義): a form's sections and fields, each field's type, labels in
//! Japanese and English, whether it is required, its help text and, for choices, where the
//! choices come from (a taxonomy or a list written in the form).

use crate::taxonomy::Label;
use serde::{Deserialize, Serialize};

macro_rules! form_id {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
                 Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Build from anything string-like.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The raw string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_string())
            }
        }
    )*};
}

form_id! {
    /// Form id (様式ID), e.g. `intake`; lower snake_case, unique in a [`super::FormSet`].
    FormId,
    /// Field or section id (項目ID), lower snake_case, unique within its form (a repeated group's
    /// fields are unique within the group).
    FieldId,
    /// Id of one filled form kept in the registry (様式の記録ID), chosen by the caller; the ids of
    /// the records a submission creates (a consent record) are derived from it.
    FormRecordId,
}

/// What a form does when it is submitted: the four national sheets of 包括的相談支援 each produce
/// their domain commands; a municipality's own form is kept as a record only.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// 相談受付・申込票: registers the household if new, opens the case, records the consent.
    Intake,
    /// アセスメントシート: the case's assessment and the household's issues.
    Assessment,
    /// プラン(案): the plan's first version or a re-plan, and its adoption once consented.
    Plan,
    /// 評価・終結: the monitoring record and the case's closure (or continuation, or re-plan).
    Evaluation,
    /// A municipality's own form (独自様式): kept as a form record, no other command.
    Custom,
}

impl FormKind {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            FormKind::Intake => "intake",
            FormKind::Assessment => "assessment",
            FormKind::Plan => "plan",
            FormKind::Evaluation => "evaluation",
            FormKind::Custom => "custom",
        }
    }
}

/// A form document (様式): its id, kind, title and sections, in print order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormDefinition {
    /// Form id.
    pub id: FormId,
    /// What submitting it does.
    pub kind: FormKind,
    /// Title (様式名), e.g. 相談受付・申込票.
    pub title: Label,
    /// Sections (欄), in print order.
    pub sections: Vec<Section>,
}

/// A section of a form (欄): a header row in print and Excel, then its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Section id (unique among the form's sections).
    pub id: FieldId,
    /// Heading.
    pub label: Label,
    /// Fields, in print order.
    pub fields: Vec<Field>,
}

/// A field (項目) of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Field id: the key of its value in a submission.
    pub id: FieldId,
    /// Label printed left of the value.
    pub label: Label,
    /// The value's type.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// A value must be given (a required text must not be blank; a required group needs a row).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Help text (記入要領) shown beside the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Label>,
}

/// The type of a field's value, and the JSON a submission gives for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldType {
    /// One line of text (a string).
    Text,
    /// Several lines of text (a string), e.g. 生活歴 or the worker's 見立て.
    LongText,
    /// A date: ISO `2023-11-16` or 和暦 `令和5年11月16日` / `R5.11.16` (read by
    /// [`crate::calendar::parse_era_date`]); kept as ISO. `era` prints it in 和暦.
    Date {
        /// Print in 和暦 (令和5年11月16日) rather than ISO.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        era: bool,
    },
    /// A number, optionally whole and within bounds.
    Number {
        /// Whole numbers only.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        integer: bool,
        /// Least value allowed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Greatest value allowed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// Yes or no (a boolean), e.g. the consent check box.
    Boolean,
    /// One code of the choices (a string).
    Choice {
        /// Where the choices come from.
        choices: Choices,
    },
    /// Several codes of the choices: an array of codes, or, when `main` is set, also
    /// `{"selected": [...], "main": "code"}` with the most pressing one marked ◎.
    MultiChoice {
        /// Where the choices come from.
        choices: Choices,
        /// One selected code may be marked as the main concern (◎).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        main: bool,
    },
    /// A person (本人・相談者・世帯員): `"p-1"` or `{"id": "p-1", "name": …, "relation": …,
    /// "birth_date": …, "approx_age": …}`, the id filled by the person search, never typed.
    Person,
    /// An agency of the directory (窓口・関係機関), by id.
    Agency,
    /// A worker (職員), by id.
    Worker,
    /// A repeated group (繰り返し欄): an array of rows, each an object of the group's fields.
    Group {
        /// The fields of one row.
        fields: Vec<Field>,
        /// Fewest rows (a required group needs at least one anyway).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_rows: Option<u32>,
        /// Most rows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_rows: Option<u32>,
    },
}

impl FieldType {
    /// Stable snake_case name of the type (as in the `kind` tag).
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Date { .. } => "date",
            FieldType::Number { .. } => "number",
            FieldType::Boolean => "boolean",
            FieldType::Choice { .. } => "choice",
            FieldType::MultiChoice { .. } => "multi_choice",
            FieldType::Person => "person",
            FieldType::Agency => "agency",
            FieldType::Worker => "worker",
            FieldType::Group { .. } => "group",
        }
    }
}

/// Where a choice field's choices come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "from", rename_all = "snake_case", deny_unknown_fields)]
pub enum Choices {
    /// A taxonomy in force (built-ins plus the municipality's extension): a municipality adds
    /// choices by extending the taxonomy.
    Taxonomy {
        /// Which vocabulary.
        list: TaxonomyList,
        /// Issues only: just the items of the national intake form (its 16 choices).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        intake_form_only: bool,
    },
    /// Choices written in the form; a municipal extension may add more.
    Listed {
        /// The choices, in print order.
        options: Vec<Choice>,
    },
}

/// One listed choice: a stable code and its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable snake_case code (the value a submission gives).
    pub code: String,
    /// Labels.
    pub label: Label,
}

/// A taxonomy a choice field can draw on (see [`crate::taxonomy::Taxonomies`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxonomyList {
    /// Issue categories (相談内容・課題).
    Issues,
    /// Intake channels (相談経路).
    Channels,
    /// Closure reasons (終結理由).
    ClosureReasons,
    /// Component projects (事業).
    Projects,
    /// Agency kinds (関係機関の種別).
    AgencyKinds,
    /// Disability certificate kinds (障害者手帳の種別).
    CertificateKinds,
}

impl FormDefinition {
    /// Field by id, at the top level of any section (not inside a group).
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields().find(|f| f.id.as_str() == id)
    }
    /// Every top-level field, section by section.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }
}
