//! The taxonomy document: entry types and the all-or-nothing merge of an extension.

use super::TaxonomyError;
use crate::ids::*;
use serde::{Deserialize, Serialize};

/// A bilingual label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Label {
    /// Japanese label (the term practitioners use).
    pub ja: String,
    /// English label.
    pub en: String,
}

/// A plain taxonomy entry: a stable code and its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Term<C> {
    /// Stable code.
    pub code: C,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
}

/// Domain of a community-life issue (地域生活課題), Social Welfare Act art. 4(3).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// 福祉
    Welfare,
    /// 介護
    LongTermCare,
    /// 介護予防
    CarePrevention,
    /// 保健医療
    HealthMedical,
    /// 住まい
    Housing,
    /// 就労
    Work,
    /// 教育
    Education,
    /// 社会的孤立
    Isolation,
    /// 地域社会への参加の機会の確保 (barriers to participation)
    Participation,
}

impl Domain {
    /// Every domain, in statutory order.
    pub const ALL: [Domain; 9] = [
        Domain::Welfare,
        Domain::LongTermCare,
        Domain::CarePrevention,
        Domain::HealthMedical,
        Domain::Housing,
        Domain::Work,
        Domain::Education,
        Domain::Isolation,
        Domain::Participation,
    ];
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Domain::Welfare => "welfare",
            Domain::LongTermCare => "long_term_care",
            Domain::CarePrevention => "care_prevention",
            Domain::HealthMedical => "health_medical",
            Domain::Housing => "housing",
            Domain::Work => "work",
            Domain::Education => "education",
            Domain::Isolation => "isolation",
            Domain::Participation => "participation",
        }
    }
    /// Labels.
    pub fn label(self) -> Label {
        let (ja, en) = match self {
            Domain::Welfare => ("福祉", "welfare"),
            Domain::LongTermCare => ("介護", "long-term care"),
            Domain::CarePrevention => ("介護予防", "care prevention"),
            Domain::HealthMedical => ("保健医療", "health and medical care"),
            Domain::Housing => ("住まい", "housing"),
            Domain::Work => ("就労", "work"),
            Domain::Education => ("教育", "education"),
            Domain::Isolation => ("社会的孤立", "social isolation"),
            Domain::Participation => ("社会参加", "participation in society"),
        };
        Label {
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// Issue category (相談内容 / 課題の分類).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IssueCategory {
    /// Stable code, e.g. `hikikomori`.
    pub code: IssueCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// The art. 4(3) domain it belongs to.
    pub domain: Domain,
    /// Item number (1–16) on the national intake form (相談受付・申込票), where it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake_form_item: Option<u8>,
    /// Issues that signal risk to life (abuse, DV, suicide risk): routing puts immediate response first.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub life_threatening: bool,
}

/// Sector (分野) grouping agency kinds; Ishinomaki's Table 1 has five.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sector {
    /// Stable code, e.g. `government`.
    pub code: SectorCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
}

/// Agency kind (関係機関の種別).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgencyKind {
    /// Stable code.
    pub code: AgencyKindCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// Sector it belongs to.
    pub sector: SectorCode,
    /// Component projects an agency of this kind typically runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<ProjectCode>,
}

/// Closure reason (終結理由).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClosureReason {
    /// Stable code.
    pub code: ClosureReasonCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// A case may close with this reason only after a referral to another window was accepted
    /// (warm hand-off: "not our field" is never a reason by itself).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requires_accepted_referral: bool,
}

/// Long-term-care certification level (要支援1–2 / 要介護1–5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CareLevel {
    /// Stable code, e.g. `care_3`.
    pub code: CareLevelCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// Order of need (要支援1 = 1 … 要介護5 = 7).
    pub rank: u8,
}

/// A taxonomy document: the built-in defaults, or a municipality's extension (every list optional).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyDocument {
    /// Issue categories.
    #[serde(default)]
    pub issues: Vec<IssueCategory>,
    /// Sectors.
    #[serde(default)]
    pub sectors: Vec<Sector>,
    /// Agency kinds.
    #[serde(default)]
    pub agency_kinds: Vec<AgencyKind>,
    /// Component projects.
    #[serde(default)]
    pub projects: Vec<Term<ProjectCode>>,
    /// Intake channels.
    #[serde(default)]
    pub channels: Vec<Term<ChannelCode>>,
    /// Closure reasons.
    #[serde(default)]
    pub closure_reasons: Vec<ClosureReason>,
    /// Care levels.
    #[serde(default)]
    pub care_levels: Vec<CareLevel>,
    /// Disability certificate kinds.
    #[serde(default)]
    pub certificate_kinds: Vec<Term<CertificateKindCode>>,
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && code.starts_with(|c: char| c.is_ascii_lowercase())
}

fn add_all<T, C>(
    list: &'static str,
    base: &mut Vec<T>,
    ext: Vec<T>,
    code_of: impl Fn(&T) -> &C,
) -> Result<(), TaxonomyError>
where
    C: AsRef<str> + PartialEq,
{
    for (i, entry) in ext.into_iter().enumerate() {
        let code = code_of(&entry).as_ref().to_string();
        let path = format!("$.{list}[{i}].code");
        if !valid_code(&code) {
            return Err(TaxonomyError::InvalidCode { code, path });
        }
        if base.iter().any(|e| code_of(e).as_ref() == code) {
            return Err(TaxonomyError::DuplicateCode { list, code, path });
        }
        base.push(entry);
    }
    Ok(())
}

impl TaxonomyDocument {
    /// `self` plus `ext`, checked: no duplicate, invalid or dangling code.
    pub(crate) fn merged(&self, ext: TaxonomyDocument) -> Result<TaxonomyDocument, TaxonomyError> {
        let mut out = self.clone();
        add_all("issues", &mut out.issues, ext.issues, |e| &e.code)?;
        add_all("sectors", &mut out.sectors, ext.sectors, |e| &e.code)?;
        let kinds_start = out.agency_kinds.len();
        add_all("projects", &mut out.projects, ext.projects, |e| &e.code)?;
        add_all(
            "agency_kinds",
            &mut out.agency_kinds,
            ext.agency_kinds,
            |e| &e.code,
        )?;
        add_all("channels", &mut out.channels, ext.channels, |e| &e.code)?;
        add_all(
            "closure_reasons",
            &mut out.closure_reasons,
            ext.closure_reasons,
            |e| &e.code,
        )?;
        add_all("care_levels", &mut out.care_levels, ext.care_levels, |e| {
            &e.code
        })?;
        add_all(
            "certificate_kinds",
            &mut out.certificate_kinds,
            ext.certificate_kinds,
            |e| &e.code,
        )?;
        for (i, kind) in out.agency_kinds.iter().enumerate().skip(kinds_start) {
            let idx = i - kinds_start;
            if !out.sectors.iter().any(|s| s.code == kind.sector) {
                return Err(TaxonomyError::UnknownCode {
                    list: "sectors",
                    code: kind.sector.to_string(),
                    path: format!("$.agency_kinds[{idx}].sector"),
                });
            }
            for (j, p) in kind.projects.iter().enumerate() {
                if !out.projects.iter().any(|t| &t.code == p) {
                    return Err(TaxonomyError::UnknownCode {
                        list: "projects",
                        code: p.to_string(),
                        path: format!("$.agency_kinds[{idx}].projects[{j}]"),
                    });
                }
            }
        }
        Ok(out)
    }
}
