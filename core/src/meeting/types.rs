//! Meeting types (会議の種類) as data: the built-ins of `core/data/meeting_types.toml` and a
//! municipality's extensions (new types and local names mapped onto a base type).

use super::MeetingError;
pub use crate::ids::MeetingTypeCode;
use crate::taxonomy::{Label, TaxonomyError};
use serde::{Deserialize, Serialize};

/// Who convenes a meeting (招集者の立場).
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
pub enum ConvenerRole {
    /// The municipality (市町村), e.g. its welfare division.
    Municipality,
    /// The operator of the multi-agency project (多機関協働事業者), e.g. the council's CSW.
    MultiAgencyOperator,
    /// A community general support center (地域包括支援センター).
    CommunityGeneralSupportCenter,
    /// As a convener's role: an agency acting on its own account (no designation).
    /// In a type's `convened_by` list: any agency may convene, whatever its role.
    AnyAgency,
}

/// Personal-information rule (個人情報の取扱い) of a meeting type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonalInfoRule {
    /// Only what a valid consent of the person covers (本人同意が必要).
    ConsentRequired,
    /// Shareable without consent: a statute lets members exchange the information the case
    /// needs and binds them to confidentiality, leaking being punishable (守秘義務). Under
    /// 社会福祉法第106条の6 this includes special-care information (要配慮個人情報) where the
    /// case needs it: the engine allows every category and leaves "what is needed" to the
    /// presenter, who passes the categories actually shown to `disclosure::disclose`.
    StatutoryConfidentiality,
    /// No individual personal information; aggregate figures only (集計値のみ).
    AggregateOnly,
}

impl PersonalInfoRule {
    /// The categories this rule opens without consent: all of them under statutory
    /// confidentiality, none otherwise. Consent adds to these; nothing adds to aggregate-only.
    pub fn categories_without_consent(self) -> &'static [crate::privacy::InfoCategory] {
        match self {
            PersonalInfoRule::StatutoryConfidentiality => &crate::privacy::InfoCategory::ALL,
            PersonalInfoRule::ConsentRequired | PersonalInfoRule::AggregateOnly => &[],
        }
    }
    /// Whether the audience may see individual cases at all.
    pub fn allows_cases(self) -> bool {
        self != PersonalInfoRule::AggregateOnly
    }
}

/// A meeting type (会議の種類).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingType {
    /// Stable code.
    pub code: MeetingTypeCode,
    /// Japanese name.
    pub ja: String,
    /// English name.
    pub en: String,
    /// Legal basis as practitioners cite it, e.g. `社会福祉法第106条の6`.
    pub legal_basis: String,
    /// Roles that may convene it; `any_agency` lets every agency convene.
    pub convened_by: Vec<ConvenerRole>,
    /// What the meeting may see of a case.
    pub personal_info: PersonalInfoRule,
    /// Every participant must acknowledge confidentiality (守秘義務の確認) before the meeting.
    #[serde(default)]
    pub requires_acknowledgement: bool,
    /// What the meeting is for (協議事項), in the practitioners' words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
}

impl MeetingType {
    /// Whether a convener in `role` may convene this type.
    pub fn may_convene(&self, role: ConvenerRole) -> bool {
        self.convened_by.contains(&ConvenerRole::AnyAgency) || self.convened_by.contains(&role)
    }
}

/// A municipality's own name for a base meeting type (e.g. Sendai's つながる会議 for both
/// 支援会議 and 重層的支援会議: two aliases with the same Japanese name and different bases).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingAlias {
    /// Stable code of the alias (shares the namespace of type codes).
    pub code: MeetingTypeCode,
    /// Local Japanese name.
    pub ja: String,
    /// English name.
    pub en: String,
    /// The base type whose rules apply.
    pub base: MeetingTypeCode,
    /// The municipality using the name (free text, for display).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
}

/// A meeting-type document: the built-ins, or a municipality's extension.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingTypesDocument {
    /// Meeting types.
    #[serde(default)]
    pub types: Vec<MeetingType>,
    /// Local names mapped onto base types.
    #[serde(default)]
    pub aliases: Vec<MeetingAlias>,
}

/// A meeting type as looked up by a code: the base type whose rules apply, and the alias the
/// code named, if it was one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedType<'a> {
    /// The base type (rules).
    pub base: &'a MeetingType,
    /// The alias, when the code was a municipal name.
    pub alias: Option<&'a MeetingAlias>,
}

impl ResolvedType<'_> {
    /// The name to display: the alias's when there is one.
    pub fn label(&self) -> Label {
        match self.alias {
            Some(a) => Label {
                ja: a.ja.clone(),
                en: a.en.clone(),
            },
            None => Label {
                ja: self.base.ja.clone(),
                en: self.base.en.clone(),
            },
        }
    }
}

/// The meeting types in force for one municipality.
///
/// ```
/// use tsunagu::meeting::{MeetingTypes, PersonalInfoRule};
/// let mut types = MeetingTypes::builtin();
/// types.extend_toml(r#"
/// [[aliases]]
/// code = "ayagawa_comprehensive_support"
/// ja = "包括的支援会議"
/// en = "Comprehensive support meeting (Ayagawa)"
/// base = "support_meeting"
/// "#).unwrap();
/// let t = types.resolve(&"ayagawa_comprehensive_support".into()).unwrap();
/// assert_eq!(t.base.legal_basis, "社会福祉法第106条の6");
/// assert_eq!(t.base.personal_info, PersonalInfoRule::StatutoryConfidentiality);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeetingTypes {
    doc: MeetingTypesDocument,
}

/// The built-in data: `core/data/meeting_types.toml`, converted to JSON by `core/build.rs`.
const BUILTIN: &str = include_str!(concat!(env!("OUT_DIR"), "/data/meeting_types.json"));

fn valid_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl MeetingTypes {
    /// The built-in types (DOMAIN.md §5).
    pub fn builtin() -> Self {
        let doc: MeetingTypesDocument =
            serde_json::from_str(BUILTIN).expect("built-in meeting types parse (checked by tests)");
        MeetingTypes {
            doc: MeetingTypesDocument::default(),
        }
        .extended(doc)
        .expect("built-in meeting types are consistent (checked by tests)")
    }

    /// A copy extended by `ext`. Fails, changing nothing, on a duplicate code (a type or alias
    /// code already defined), an invalid code, a type nobody may convene, or an alias whose base
    /// is unknown or itself an alias.
    pub fn extended(&self, ext: MeetingTypesDocument) -> Result<Self, MeetingError> {
        let mut out = self.doc.clone();
        for (i, t) in ext.types.into_iter().enumerate() {
            let path = format!("$.types[{i}].code");
            check_new_code(&out, &t.code, &path, "meeting_types")?;
            if t.convened_by.is_empty() {
                return Err(super::MeetingError::NoConveners {
                    meeting_type: t.code.clone(),
                    path: format!("$.types[{i}].convened_by"),
                });
            }
            out.types.push(t);
        }
        for (i, a) in ext.aliases.into_iter().enumerate() {
            check_new_code(
                &out,
                &a.code,
                &format!("$.aliases[{i}].code"),
                "meeting_types",
            )?;
            if !out.types.iter().any(|t| t.code == a.base) {
                return Err(TaxonomyError::UnknownCode {
                    list: "meeting_types",
                    code: a.base.to_string(),
                    path: format!("$.aliases[{i}].base"),
                }
                .into());
            }
            out.aliases.push(a);
        }
        Ok(MeetingTypes { doc: out })
    }

    /// Extend in place from a JSON document (all or nothing).
    pub fn extend_json(&mut self, text: &str) -> Result<(), MeetingError> {
        let ext: MeetingTypesDocument = crate::coded::from_json(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Extend in place from a TOML document (all or nothing).
    pub fn extend_toml(&mut self, text: &str) -> Result<(), MeetingError> {
        let ext: MeetingTypesDocument = crate::coded::from_toml(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// The whole document.
    pub fn document(&self) -> &MeetingTypesDocument {
        &self.doc
    }

    /// Every base type.
    pub fn types(&self) -> &[MeetingType] {
        &self.doc.types
    }

    /// Every alias.
    pub fn aliases(&self) -> &[MeetingAlias] {
        &self.doc.aliases
    }

    /// The type or alias named by `code`, resolved to its base type.
    pub fn resolve(&self, code: &MeetingTypeCode) -> Option<ResolvedType<'_>> {
        if let Some(base) = self.doc.types.iter().find(|t| &t.code == code) {
            return Some(ResolvedType { base, alias: None });
        }
        let alias = self.doc.aliases.iter().find(|a| &a.code == code)?;
        let base = self.doc.types.iter().find(|t| t.code == alias.base)?;
        Some(ResolvedType {
            base,
            alias: Some(alias),
        })
    }

    /// Like [`MeetingTypes::resolve`], but an unknown code is `unknown_code` at `path`.
    pub fn check(
        &self,
        code: &MeetingTypeCode,
        path: &str,
    ) -> Result<ResolvedType<'_>, TaxonomyError> {
        self.resolve(code)
            .ok_or_else(|| TaxonomyError::UnknownCode {
                list: "meeting_types",
                code: code.to_string(),
                path: path.to_string(),
            })
    }

    /// Whether two codes (types or aliases) name the same base type.
    pub fn same_base(&self, a: &MeetingTypeCode, b: &MeetingTypeCode) -> bool {
        match (self.resolve(a), self.resolve(b)) {
            (Some(x), Some(y)) => x.base.code == y.base.code,
            _ => false,
        }
    }
}

impl Default for MeetingTypes {
    fn default() -> Self {
        Self::builtin()
    }
}

fn check_new_code(
    doc: &MeetingTypesDocument,
    code: &MeetingTypeCode,
    path: &str,
    list: &'static str,
) -> Result<(), TaxonomyError> {
    if !valid_code(code.as_str()) {
        return Err(TaxonomyError::InvalidCode {
            code: code.to_string(),
            path: path.to_string(),
        });
    }
    if doc.types.iter().any(|t| &t.code == code) || doc.aliases.iter().any(|a| &a.code == code) {
        return Err(TaxonomyError::DuplicateCode {
            list,
            code: code.to_string(),
            path: path.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;

    fn rule(types: &MeetingTypes, code: &str) -> PersonalInfoRule {
        types.resolve(&code.into()).unwrap().base.personal_info
    }

    #[test]
    fn builtin_types_have_their_rules_and_bases() {
        let t = MeetingTypes::builtin();
        use PersonalInfoRule::*;
        let expected = [
            (
                "support_meeting",
                StatutoryConfidentiality,
                "社会福祉法第106条の6",
            ),
            (
                "multi_layered_support_meeting",
                ConsentRequired,
                "重層的支援体制整備事業実施要綱（本人同意に基づく情報共有）",
            ),
            (
                "community_care_meeting",
                StatutoryConfidentiality,
                "介護保険法第115条の48",
            ),
            (
                "child_protection_council",
                StatutoryConfidentiality,
                "児童福祉法第25条の2",
            ),
            (
                "self_reliance_support_meeting",
                StatutoryConfidentiality,
                "生活困窮者自立支援法第9条",
            ),
            (
                "case_conference",
                ConsentRequired,
                "本人の同意（個人情報の保護に関する法律第27条第1項・第69条第1項）",
            ),
            (
                "promotion_meeting",
                AggregateOnly,
                "多機関の協働による包括的支援体制構築事業実施要綱",
            ),
            (
                "network_meeting",
                AggregateOnly,
                "重層的支援体制整備事業実施要綱（関係機関のネットワークづくり）",
            ),
            (
                "council",
                AggregateOnly,
                "介護保険法第115条の45第2項第5号（生活支援体制整備事業）",
            ),
        ];
        assert_eq!(t.types().len(), expected.len());
        for (code, r, basis) in expected {
            let ty = t.resolve(&code.into()).unwrap().base;
            assert_eq!(ty.personal_info, r, "{code}");
            assert_eq!(ty.legal_basis, basis, "{code}");
            assert!(!ty.purposes.is_empty(), "{code}");
            // Every statutory-confidentiality type asks members to acknowledge it.
            if r == StatutoryConfidentiality {
                assert!(ty.requires_acknowledgement, "{code}");
            }
        }
    }

    #[test]
    fn conveners_follow_the_table() {
        let t = MeetingTypes::builtin();
        let support = t.resolve(&"support_meeting".into()).unwrap().base;
        assert!(support.may_convene(ConvenerRole::Municipality));
        assert!(!support.may_convene(ConvenerRole::MultiAgencyOperator));
        assert!(!support.may_convene(ConvenerRole::AnyAgency));
        let ml = t
            .resolve(&"multi_layered_support_meeting".into())
            .unwrap()
            .base;
        assert!(ml.may_convene(ConvenerRole::MultiAgencyOperator));
        assert!(!ml.may_convene(ConvenerRole::CommunityGeneralSupportCenter));
        let ccm = t.resolve(&"community_care_meeting".into()).unwrap().base;
        assert!(ccm.may_convene(ConvenerRole::CommunityGeneralSupportCenter));
        let case = t.resolve(&"case_conference".into()).unwrap().base;
        for role in [
            ConvenerRole::Municipality,
            ConvenerRole::MultiAgencyOperator,
            ConvenerRole::CommunityGeneralSupportCenter,
            ConvenerRole::AnyAgency,
        ] {
            assert!(case.may_convene(role));
        }
    }

    #[test]
    fn sendai_names_one_meeting_for_two_bases() {
        let mut t = MeetingTypes::builtin();
        t.extend_toml(
            r#"
[[aliases]]
code = "sendai_tsunagaru_support"
ja = "つながる会議"
en = "Tsunagaru meeting (support meeting)"
base = "support_meeting"
municipality = "仙台市"
[[aliases]]
code = "sendai_tsunagaru_multi_layered"
ja = "つながる会議"
en = "Tsunagaru meeting (multi-layered)"
base = "multi_layered_support_meeting"
municipality = "仙台市"
"#,
        )
        .unwrap();
        assert_eq!(
            rule(&t, "sendai_tsunagaru_support"),
            PersonalInfoRule::StatutoryConfidentiality
        );
        assert_eq!(
            rule(&t, "sendai_tsunagaru_multi_layered"),
            PersonalInfoRule::ConsentRequired
        );
        let r = t.resolve(&"sendai_tsunagaru_support".into()).unwrap();
        assert_eq!(r.label().ja, "つながる会議");
        assert!(t.same_base(
            &"sendai_tsunagaru_support".into(),
            &"support_meeting".into()
        ));
        assert!(!t.same_base(
            &"sendai_tsunagaru_support".into(),
            &"sendai_tsunagaru_multi_layered".into()
        ));
    }

    #[test]
    fn extension_errors_name_the_code_and_change_nothing() {
        let mut t = MeetingTypes::builtin();
        let before = t.clone();
        let dup = r#"{"aliases":[{"code":"support_meeting","ja":"x","en":"x","base":"support_meeting"}]}"#;
        let e = t.extend_json(dup).unwrap_err();
        assert_eq!(e.code(), "duplicate_code");
        assert_eq!(e.path().as_deref(), Some("$.aliases[0].code"));
        let unknown =
            r#"{"aliases":[{"code":"ok_alias","ja":"x","en":"x","base":"no_such_type"}]}"#;
        let e = t.extend_json(unknown).unwrap_err();
        assert_eq!(e.code(), "unknown_code");
        assert_eq!(e.path().as_deref(), Some("$.aliases[0].base"));
        // An alias of an alias is refused: bases are base types only.
        let chain = r#"{"aliases":[{"code":"a1","ja":"x","en":"x","base":"support_meeting"},{"code":"a2","ja":"x","en":"x","base":"a1"}]}"#;
        assert_eq!(t.extend_json(chain).unwrap_err().code(), "unknown_code");
        let invalid = r#"{"types":[{"code":"Bad Code","ja":"x","en":"x","legal_basis":"x","convened_by":["municipality"],"personal_info":"aggregate_only"}]}"#;
        assert_eq!(t.extend_json(invalid).unwrap_err().code(), "invalid_code");
        let nobody = r#"{"types":[{"code":"lonely","ja":"x","en":"x","legal_basis":"x","convened_by":[],"personal_info":"aggregate_only"}]}"#;
        let e = t.extend_json(nobody).unwrap_err();
        assert_eq!(e.code(), "no_conveners");
        assert_eq!(e.path().as_deref(), Some("$.types[0].convened_by"));
        let unknown_field = r#"{"types":[],"colour":"red"}"#;
        assert_eq!(
            t.extend_json(unknown_field).unwrap_err().code(),
            "malformed_document"
        );
        assert_eq!(t, before);
    }

    #[test]
    fn a_municipality_adds_its_own_type() {
        let mut t = MeetingTypes::builtin();
        t.extend_json(r#"{"types":[{"code":"ward_liaison","ja":"区連絡会","en":"Ward liaison","legal_basis":"要綱","convened_by":["municipality"],"personal_info":"aggregate_only"}]}"#).unwrap();
        assert_eq!(rule(&t, "ward_liaison"), PersonalInfoRule::AggregateOnly);
        assert!(t.resolve(&"nope".into()).is_none());
        assert_eq!(
            t.check(&"nope".into(), "$.meeting_type")
                .unwrap_err()
                .code(),
            "unknown_code"
        );
    }
}
