//! Taxonomies (分類) as data: issue categories, domains, sectors, agency kinds, component
//! projects, intake channels, closure reasons, care levels and disability certificate kinds.
//!
//! Each entry has a stable code and ja/en labels. The built-in defaults ([`Taxonomies::builtin`])
//! come from `core/data/taxonomy.toml`, distilled from DOMAIN.md and the seeds: the 16 items of
//! the national intake form (相談受付・申込票), the seeds' further items (dementia, hoarding,
//! disaster recovery …), and every row of Ishinomaki's Table 1 as agency kinds in its five
//! sectors. A municipality extends them with a JSON or TOML document of the same shape
//! ([`Taxonomies::extend_json`], [`Taxonomies::extend_toml`]); a duplicate code, or a reference
//! to an unknown code (an agency kind in an unknown sector), is an error naming it, and a failed
//! extension changes nothing.
//!
//! This module owns the vocabulary only; which window covers which issue lives in the agency
//! directory and the routing rules.

mod data;

pub use data::{
    AgencyKind, CareLevel, ClosureReason, Domain, IssueCategory, Label, Sector, TaxonomyDocument,
    Term,
};

use crate::coded::Coded;
use crate::ids::*;

/// Errors of taxonomy documents and lookups.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TaxonomyError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// A code that is defined twice (in one document, or already built in).
    #[error("duplicate {list} code `{code}` at {path}")]
    DuplicateCode {
        /// Which list (`issues`, `agency_kinds` …).
        list: &'static str,
        /// The code.
        code: String,
        /// JSON path of the entry.
        path: String,
    },
    /// A code that no entry defines.
    #[error("unknown {list} code `{code}` at {path}")]
    UnknownCode {
        /// Which list the code should be in.
        list: &'static str,
        /// The code.
        code: String,
        /// JSON path of the reference.
        path: String,
    },
    /// A code that is empty or not snake_case.
    #[error("invalid code `{code}` at {path}: codes are non-empty lower snake_case")]
    InvalidCode {
        /// The code.
        code: String,
        /// JSON path.
        path: String,
    },
}

impl TaxonomyError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &["duplicate_code", "unknown_code", "invalid_code"];
}

impl Coded for TaxonomyError {
    fn code(&self) -> &'static str {
        match self {
            TaxonomyError::Document(e) => e.code(),
            TaxonomyError::DuplicateCode { .. } => "duplicate_code",
            TaxonomyError::UnknownCode { .. } => "unknown_code",
            TaxonomyError::InvalidCode { .. } => "invalid_code",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            TaxonomyError::Document(e) => e.path(),
            TaxonomyError::DuplicateCode { path, .. }
            | TaxonomyError::UnknownCode { path, .. }
            | TaxonomyError::InvalidCode { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            TaxonomyError::Document(e) => e.kind(),
            TaxonomyError::DuplicateCode { .. } => crate::coded::ErrorKind::Invalid,
            TaxonomyError::UnknownCode { .. } => crate::coded::ErrorKind::Invalid,
            TaxonomyError::InvalidCode { .. } => crate::coded::ErrorKind::Invalid,
        }
    }
}

/// The vocabularies in force for one municipality: the built-ins plus its extensions.
///
/// ```
/// use tsunagu::taxonomy::{Taxonomies, Domain};
/// let tax = Taxonomies::builtin();
/// let hikikomori = tax.issue(&"hikikomori".into()).unwrap();
/// assert_eq!(hikikomori.domain, Domain::Isolation);
/// assert_eq!(tax.sector_of(&"community_general_support_center".into()).unwrap().as_str(), "community_welfare_medical");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Taxonomies {
    doc: TaxonomyDocument,
}

/// The built-in data: `core/data/taxonomy.toml`, converted to JSON by `core/build.rs`.
const BUILTIN: &str = include_str!(concat!(env!("OUT_DIR"), "/data/taxonomy.json"));

impl Taxonomies {
    /// The built-in defaults.
    pub fn builtin() -> Self {
        let doc: TaxonomyDocument =
            serde_json::from_str(BUILTIN).expect("built-in taxonomy parses (checked by tests)");
        let empty = Taxonomies {
            doc: TaxonomyDocument::default(),
        };
        empty
            .extended(doc)
            .expect("built-in taxonomy is consistent (checked by tests)")
    }

    /// The whole document (built-ins and extensions merged).
    pub fn document(&self) -> &TaxonomyDocument {
        &self.doc
    }

    /// A copy extended by `ext`; fails (and changes nothing) on duplicate or unknown codes.
    pub fn extended(&self, ext: TaxonomyDocument) -> Result<Self, TaxonomyError> {
        let merged = self.doc.merged(ext)?;
        Ok(Taxonomies { doc: merged })
    }

    /// Extend in place from a JSON document (all or nothing).
    pub fn extend_json(&mut self, text: &str) -> Result<(), TaxonomyError> {
        let ext: TaxonomyDocument = crate::coded::from_json(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Extend in place from a TOML document (all or nothing).
    pub fn extend_toml(&mut self, text: &str) -> Result<(), TaxonomyError> {
        let ext: TaxonomyDocument = crate::coded::from_toml(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Issue category by code.
    pub fn issue(&self, code: &IssueCode) -> Option<&IssueCategory> {
        self.doc.issues.iter().find(|i| &i.code == code)
    }
    /// All issue categories.
    pub fn issues(&self) -> &[IssueCategory] {
        &self.doc.issues
    }
    /// Agency kind by code.
    pub fn agency_kind(&self, code: &AgencyKindCode) -> Option<&AgencyKind> {
        self.doc.agency_kinds.iter().find(|k| &k.code == code)
    }
    /// All agency kinds, in table order.
    pub fn agency_kinds(&self) -> &[AgencyKind] {
        &self.doc.agency_kinds
    }
    /// The sector an agency kind belongs to.
    pub fn sector_of(&self, kind: &AgencyKindCode) -> Option<&SectorCode> {
        self.agency_kind(kind).map(|k| &k.sector)
    }
    /// All sectors, in table order.
    pub fn sectors(&self) -> &[Sector] {
        &self.doc.sectors
    }
    /// Component projects (事業).
    pub fn projects(&self) -> &[Term<ProjectCode>] {
        &self.doc.projects
    }
    /// Intake channels (受付経路).
    pub fn channels(&self) -> &[Term<ChannelCode>] {
        &self.doc.channels
    }
    /// Closure reason by code.
    pub fn closure_reason(&self, code: &ClosureReasonCode) -> Option<&ClosureReason> {
        self.doc.closure_reasons.iter().find(|r| &r.code == code)
    }
    /// All closure reasons.
    pub fn closure_reasons(&self) -> &[ClosureReason] {
        &self.doc.closure_reasons
    }
    /// Care level by code.
    pub fn care_level(&self, code: &CareLevelCode) -> Option<&CareLevel> {
        self.doc.care_levels.iter().find(|c| &c.code == code)
    }
    /// Disability certificate kinds.
    pub fn certificate_kinds(&self) -> &[Term<CertificateKindCode>] {
        &self.doc.certificate_kinds
    }

    /// `Ok` when `code` is a known issue category; otherwise `unknown_code` at `path`.
    pub fn check_issue(
        &self,
        code: &IssueCode,
        path: &str,
    ) -> Result<&IssueCategory, TaxonomyError> {
        self.issue(code)
            .ok_or_else(|| unknown("issues", code.as_str(), path))
    }
    /// `Ok` when `code` is a known agency kind.
    pub fn check_agency_kind(
        &self,
        code: &AgencyKindCode,
        path: &str,
    ) -> Result<&AgencyKind, TaxonomyError> {
        self.agency_kind(code)
            .ok_or_else(|| unknown("agency_kinds", code.as_str(), path))
    }
    /// `Ok` when `code` is a known project.
    pub fn check_project(&self, code: &ProjectCode, path: &str) -> Result<(), TaxonomyError> {
        check_term(&self.doc.projects, code, "projects", path)
    }
    /// `Ok` when `code` is a known intake channel.
    pub fn check_channel(&self, code: &ChannelCode, path: &str) -> Result<(), TaxonomyError> {
        check_term(&self.doc.channels, code, "channels", path)
    }
    /// `Ok` when `code` is a known closure reason.
    pub fn check_closure_reason(
        &self,
        code: &ClosureReasonCode,
        path: &str,
    ) -> Result<&ClosureReason, TaxonomyError> {
        self.closure_reason(code)
            .ok_or_else(|| unknown("closure_reasons", code.as_str(), path))
    }
    /// `Ok` when `code` is a known care level.
    pub fn check_care_level(
        &self,
        code: &CareLevelCode,
        path: &str,
    ) -> Result<&CareLevel, TaxonomyError> {
        self.care_level(code)
            .ok_or_else(|| unknown("care_levels", code.as_str(), path))
    }
    /// `Ok` when `code` is a known certificate kind.
    pub fn check_certificate_kind(
        &self,
        code: &CertificateKindCode,
        path: &str,
    ) -> Result<(), TaxonomyError> {
        check_term(&self.doc.certificate_kinds, code, "certificate_kinds", path)
    }
}

impl Default for Taxonomies {
    fn default() -> Self {
        Self::builtin()
    }
}

fn unknown(list: &'static str, code: &str, path: &str) -> TaxonomyError {
    TaxonomyError::UnknownCode {
        list,
        code: code.to_string(),
        path: path.to_string(),
    }
}

fn check_term<C: PartialEq + AsRef<str>>(
    terms: &[Term<C>],
    code: &C,
    list: &'static str,
    path: &str,
) -> Result<(), TaxonomyError> {
    if terms.iter().any(|t| &t.code == code) {
        Ok(())
    } else {
        Err(unknown(list, code.as_ref(), path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_the_sixteen_intake_form_items() {
        let tax = Taxonomies::builtin();
        let mut items: Vec<u8> = tax
            .issues()
            .iter()
            .filter_map(|i| i.intake_form_item)
            .collect();
        items.sort_unstable();
        items.dedup();
        assert_eq!(items, (1..=16).collect::<Vec<u8>>());
        for code in [
            "dementia",
            "hoarding",
            "disaster_recovery",
            "disaster_loan_repayment",
            "school_refusal",
        ] {
            assert!(tax.issue(&code.into()).is_some(), "{code} missing");
        }
    }

    #[test]
    fn every_issue_has_labels_and_life_threatening_ones_are_flagged() {
        let tax = Taxonomies::builtin();
        for i in tax.issues() {
            assert!(!i.ja.is_empty() && !i.en.is_empty(), "{}", i.code);
        }
        let flagged: Vec<&str> = tax
            .issues()
            .iter()
            .filter(|i| i.life_threatening)
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(flagged, ["dv", "abuse", "suicide_risk"]);
    }

    /// Every row of Ishinomaki's Table 1 (seeds 003), in its sector.
    #[test]
    fn builtin_agency_kinds_cover_table_1() {
        let tax = Taxonomies::builtin();
        let table: &[(&str, &[&str])] = &[
            (
                "government",
                &[
                    "市保護課",
                    "市障害福祉課",
                    "市介護保険課",
                    "市子育て支援課",
                    "市教育委員会",
                    "市住宅管理課",
                    "市虐待防止センター",
                    "市民相談センター",
                    "市福祉総務課",
                    "市健康推進課",
                    "総合支所",
                    "市その他",
                    "他の行政機関",
                    "ハローワーク",
                ],
            ),
            (
                "community_welfare_medical",
                &[
                    "地域包括支援センター",
                    "生活支援コーディネーター",
                    "障がい児（者）相談支援事業所",
                    "ケアマネージャー",
                    "介護保険事業所",
                    "障がい者関連事業所",
                    "社会福祉協議会",
                    "医療機関・薬局",
                    "民生委員児童委員",
                    "町内会関係",
                    "福祉協力員",
                    "近隣住民",
                ],
            ),
            (
                "childcare_education",
                &["保育園・幼稚園", "小学校", "中学校", "高校"],
            ),
            ("police_justice", &["警察", "検察庁", "弁護士"]),
            (
                "private",
                &[
                    "大家・不動産・住宅関連事業者",
                    "民間事業者",
                    "からころステーション",
                    "NPO",
                    "その他",
                ],
            ),
        ];
        assert_eq!(tax.sectors().len(), 5);
        for (sector, rows) in table {
            for ja in *rows {
                let kind = tax
                    .agency_kinds()
                    .iter()
                    .find(|k| k.ja == *ja && k.sector.as_str() == *sector)
                    .unwrap_or_else(|| panic!("Table 1 row {ja} missing in {sector}"));
                assert!(!kind.en.is_empty());
            }
        }
    }

    #[test]
    fn other_vocabularies_are_present() {
        let tax = Taxonomies::builtin();
        assert_eq!(tax.projects().len(), 5);
        assert_eq!(tax.document().care_levels.len(), 7);
        assert_eq!(tax.certificate_kinds().len(), 3);
        assert!(
            tax.closure_reason(&"transferred".into())
                .unwrap()
                .requires_accepted_referral
        );
        assert!(
            !tax.closure_reason(&"resolved".into())
                .unwrap()
                .requires_accepted_referral
        );
        assert!(tax.channels().iter().any(|c| c.code.as_str() == "outreach"));
    }

    #[test]
    fn extension_from_json_and_toml() {
        let mut tax = Taxonomies::builtin();
        let before = tax.issues().len();
        tax.extend_json(
            r#"{"issues":[{"code":"pet_care","ja":"ペットの世話","en":"Pet care","domain":"welfare"}]}"#,
        )
        .unwrap();
        tax.extend_toml(
            "[[agency_kinds]]\ncode = \"food_bank\"\nja = \"フードバンク\"\nen = \"Food bank\"\nsector = \"private\"\n",
        )
        .unwrap();
        assert_eq!(tax.issues().len(), before + 1);
        assert_eq!(
            tax.sector_of(&"food_bank".into()).unwrap().as_str(),
            "private"
        );
    }

    #[test]
    fn duplicate_code_is_named_and_changes_nothing() {
        let mut tax = Taxonomies::builtin();
        let before = tax.clone();
        let err = tax
            .extend_json(
                r#"{"issues":[{"code":"new_one","ja":"新","en":"New","domain":"welfare"},
                              {"code":"hikikomori","ja":"x","en":"x","domain":"welfare"}]}"#,
            )
            .unwrap_err();
        assert_eq!(err.code(), "duplicate_code");
        assert_eq!(err.path().as_deref(), Some("$.issues[1].code"));
        assert!(err.to_string().contains("hikikomori"));
        assert_eq!(tax, before);
    }

    #[test]
    fn unknown_sector_and_project_are_named() {
        let mut tax = Taxonomies::builtin();
        let err = tax
            .extend_json(
                r#"{"agency_kinds":[{"code":"x_kind","ja":"x","en":"x","sector":"nowhere"}]}"#,
            )
            .unwrap_err();
        assert_eq!(err.code(), "unknown_code");
        assert_eq!(err.path().as_deref(), Some("$.agency_kinds[0].sector"));
        assert!(err.to_string().contains("nowhere"));
        let err = tax
            .extend_json(
                r#"{"agency_kinds":[{"code":"y_kind","ja":"y","en":"y","sector":"private","projects":["flying"]}]}"#,
            )
            .unwrap_err();
        assert_eq!(err.path().as_deref(), Some("$.agency_kinds[0].projects[0]"));
    }

    #[test]
    fn malformed_documents_and_bad_codes() {
        let mut tax = Taxonomies::builtin();
        let err = tax.extend_json(r#"{"issues":[{"code":"a"}]}"#).unwrap_err();
        assert_eq!(err.code(), "malformed_document");
        let err = tax.extend_toml("[[issues]]\ncode = 3\n").unwrap_err();
        assert_eq!(err.code(), "malformed_document");
        assert_eq!(err.path().as_deref(), Some("line 2"));
        let err = tax
            .extend_json(r#"{"issues":[{"code":"Bad Code","ja":"x","en":"x","domain":"welfare"}]}"#)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_code");
        let err = tax.extend_json(r#"{"unknown_list":[]}"#).unwrap_err();
        assert_eq!(err.code(), "malformed_document");
    }
}
