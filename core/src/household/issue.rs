//! Recorded issues (地域生活課題の記録): an issue code with its status (現在・過去・疑い・解決),
//! onset date and source, and its two wire forms.
//!
//! Wire compatibility decides the shape. An issue written as a plain code string (`"dv"`) — the
//! only form before issue status existed, in vectors, fixtures and journals — still parses and
//! means *current, no onset, unknown source*; the object form
//! (`{"code": "dv", "status": "past", "source": "self_reported"}`) carries the rest. An issue that
//! is current with neither onset nor source always serialises back as the plain string, so the
//! canonical JSON of an older household (which the journal hashes) does not change.
//!
//! Decisions where the sources leave a detail open:
//! - `status` may be left out of the object form; it then means current.
//! - An unknown status does not fail the parse: it is kept as [`IssueStatus::Unrecognised`] so
//!   that household validation can refuse it with a typed error (`unknown_issue_status`) and the
//!   JSON path of the field, like every other bad value of a household. A validated household
//!   never holds it, and nothing treats it as current.
//! - Routing, pattern detection and the annual report look at [`Issue::is_current`] issues only;
//!   a routing rule opts into suspected issues explicitly (`IssueSelector::suspected`).

use crate::ids::IssueCode;
use chrono::NaiveDate;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Status of a recorded issue (課題の状態).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum IssueStatus {
    /// 現在の課題: the household lives with it now. The default.
    #[default]
    Current,
    /// 過去の課題: part of the history (e.g. DV before a divorce); not acted on now.
    Past,
    /// 疑い: not confirmed (a worker's impression, a neighbour's report). Acted on only where a
    /// rule says so — the statutory notification duties are triggered by suspicion
    /// (虐待を受けたと思われる).
    Suspected,
    /// 解決: resolved during support.
    Resolved,
    /// A status this version does not know, kept only so that validation can refuse it with its
    /// JSON path (`unknown_issue_status`); never in a validated household, never in the schema.
    #[serde(other)]
    #[schemars(skip)]
    Unrecognised,
}

impl IssueStatus {
    /// Every known status, in declaration order.
    pub const ALL: [IssueStatus; 4] = [
        IssueStatus::Current,
        IssueStatus::Past,
        IssueStatus::Suspected,
        IssueStatus::Resolved,
    ];
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            IssueStatus::Current => "current",
            IssueStatus::Past => "past",
            IssueStatus::Suspected => "suspected",
            IssueStatus::Resolved => "resolved",
            IssueStatus::Unrecognised => "unrecognised",
        }
    }
    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            IssueStatus::Current => "現在",
            IssueStatus::Past => "過去",
            IssueStatus::Suspected => "疑い",
            IssueStatus::Resolved => "解決",
            IssueStatus::Unrecognised => "不明な状態",
        }
    }
}

/// Who the issue is known from (情報源).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum IssueSource {
    /// 本人: the person said so.
    SelfReported,
    /// 家族: a family member said so.
    Family,
    /// 関係機関: an agency reported it.
    Agency,
    /// 職員の見立て: the worker's own assessment.
    WorkerAssessment,
}

/// An issue recorded for a member or a household (地域生活課題): the taxonomy code, its status,
/// when it began and who it is known from. See the module docs for the two wire forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Issue {
    /// Issue code (taxonomy).
    pub code: IssueCode,
    /// Status; current unless recorded otherwise.
    pub status: IssueStatus,
    /// When it began (発生時期), if known; not after the day of validation.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub onset: Option<NaiveDate>,
    /// Who it is known from; `None` = not recorded.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub source: Option<IssueSource>,
}

impl Issue {
    /// A current issue with no onset and no source (what a plain code string means).
    pub fn current(code: impl Into<IssueCode>) -> Self {
        Issue {
            code: code.into(),
            status: IssueStatus::Current,
            onset: None,
            source: None,
        }
    }
    /// The same issue with another status.
    pub fn with_status(mut self, status: IssueStatus) -> Self {
        self.status = status;
        self
    }
    /// Whether the issue is current (routing, patterns and the report count only these).
    pub fn is_current(&self) -> bool {
        self.status == IssueStatus::Current
    }
    /// Whether the issue is suspected (a routing rule may opt into these).
    pub fn is_suspected(&self) -> bool {
        self.status == IssueStatus::Suspected
    }
    /// Whether it is written as the plain code string.
    fn is_plain(&self) -> bool {
        self.is_current() && self.onset.is_none() && self.source.is_none()
    }
}

impl From<&str> for Issue {
    fn from(code: &str) -> Self {
        Issue::current(code)
    }
}

impl From<String> for Issue {
    fn from(code: String) -> Self {
        Issue::current(code)
    }
}

impl From<IssueCode> for Issue {
    fn from(code: IssueCode) -> Self {
        Issue::current(code)
    }
}

/// An issue in object form (課題の記録): the code with its status, onset and source.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "IssueRecord")]
struct IssueObject {
    /// Issue code (taxonomy).
    code: IssueCode,
    /// Status (`current` when not given).
    #[serde(default)]
    status: IssueStatus,
    /// When it began, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    onset: Option<NaiveDate>,
    /// Who it is known from, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<IssueSource>,
}

impl Serialize for Issue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_plain() {
            return self.code.serialize(s);
        }
        IssueObject {
            code: self.code.clone(),
            status: self.status,
            onset: self.onset,
            source: self.source,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Issue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IssueVisitor;
        impl<'de> Visitor<'de> for IssueVisitor {
            type Value = Issue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an issue code, or an object {code, status, onset, source}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Issue, E> {
                Ok(Issue::current(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Issue, A::Error> {
                let o = IssueObject::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Issue {
                    code: o.code,
                    status: o.status,
                    onset: o.onset,
                    source: o.source,
                })
            }
        }
        d.deserialize_any(IssueVisitor)
    }
}

impl schemars::JsonSchema for Issue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Issue".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An issue (地域生活課題): a plain issue code (current, no onset, unknown source) or an object with status, onset and source.",
            "anyOf": [
                generator.subschema_for::<IssueCode>(),
                generator.subschema_for::<IssueObject>(),
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_string_parses_as_current_and_serialises_back_unchanged() {
        let i: Issue = serde_json::from_str("\"dv\"").unwrap();
        assert_eq!(i, Issue::current("dv"));
        assert_eq!(serde_json::to_string(&i).unwrap(), "\"dv\"");
    }

    #[test]
    fn object_form_round_trips_and_a_bare_object_collapses_to_the_string() {
        let text = r#"{"code":"dv","status":"past","onset":"2015-04-01","source":"self_reported"}"#;
        let i: Issue = serde_json::from_str(text).unwrap();
        assert_eq!(i.status, IssueStatus::Past);
        assert_eq!(i.source, Some(IssueSource::SelfReported));
        assert_eq!(serde_json::to_string(&i).unwrap(), text);
        let bare: Issue = serde_json::from_str(r#"{"code":"dv"}"#).unwrap();
        assert_eq!(serde_json::to_string(&bare).unwrap(), "\"dv\"");
    }

    #[test]
    fn unknown_status_is_kept_for_validation_and_unknown_fields_fail() {
        let i: Issue = serde_json::from_str(r#"{"code":"dv","status":"former"}"#).unwrap();
        assert_eq!(i.status, IssueStatus::Unrecognised);
        assert!(!i.is_current());
        assert!(serde_json::from_str::<Issue>(r#"{"code":"dv","since":"x"}"#).is_err());
        assert!(serde_json::from_str::<Issue>("3").is_err());
    }
}
