//! The social-resource directory (社会資源リスト) and its kinds as data.

use super::{Day, ParticipationError, ResourceId, ResourceKindCode, WishCode};
use crate::agency::Directory;
use crate::ids::*;
use crate::taxonomy::{Label, Taxonomies, TaxonomyError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A social-resource kind (社会資源の種別): 居場所, サロン, 通いの場, 当事者・家族の会 ….
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceKind {
    /// Stable code, e.g. `peer_group`.
    pub code: ResourceKindCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
}

impl ResourceKind {
    /// The bilingual label.
    pub fn label(&self) -> Label {
        Label {
            ja: self.ja.clone(),
            en: self.en.clone(),
        }
    }
}

/// A resource-kind document: the built-in list or a municipality's extension.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceKindsDocument {
    /// Kinds, in display order.
    #[serde(default)]
    pub kinds: Vec<ResourceKind>,
}

/// The resource kinds in force: built-ins from `core/data/social_resources.toml` plus extensions.
/// Extending is all or nothing; a duplicate code is `duplicate_code`, a malformed one
/// `invalid_code` (list `resource_kinds`, path `$.kinds[i].code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResourceKinds {
    doc: ResourceKindsDocument,
}

/// The built-in data: `core/data/social_resources.toml`, converted to JSON by `core/build.rs`.
const BUILTIN: &str = include_str!(concat!(env!("OUT_DIR"), "/data/social_resources.json"));

fn valid_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl ResourceKinds {
    /// The built-in kinds.
    pub fn builtin() -> Self {
        let doc: ResourceKindsDocument = serde_json::from_str(BUILTIN)
            .expect("built-in resource kinds parse (checked by tests)");
        ResourceKinds {
            doc: ResourceKindsDocument::default(),
        }
        .extended(doc)
        .expect("built-in resource kinds are consistent (checked by tests)")
    }

    /// A copy extended by `ext`; fails (and changes nothing) on a duplicate or invalid code.
    pub fn extended(&self, ext: ResourceKindsDocument) -> Result<Self, ParticipationError> {
        let mut out = self.doc.clone();
        for (i, k) in ext.kinds.into_iter().enumerate() {
            let path = format!("$.kinds[{i}].code");
            if !valid_code(k.code.as_str()) {
                return Err(TaxonomyError::InvalidCode {
                    code: k.code.0,
                    path,
                }
                .into());
            }
            if out.kinds.iter().any(|e| e.code == k.code) {
                return Err(TaxonomyError::DuplicateCode {
                    list: "resource_kinds",
                    code: k.code.0,
                    path,
                }
                .into());
            }
            out.kinds.push(k);
        }
        Ok(ResourceKinds { doc: out })
    }

    /// Extend in place from a JSON document (all or nothing).
    pub fn extend_json(&mut self, text: &str) -> Result<(), ParticipationError> {
        let ext: ResourceKindsDocument = crate::coded::from_json(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Extend in place from a TOML document (all or nothing).
    pub fn extend_toml(&mut self, text: &str) -> Result<(), ParticipationError> {
        let ext: ResourceKindsDocument = crate::coded::from_toml(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Every kind, in display order.
    pub fn kinds(&self) -> &[ResourceKind] {
        &self.doc.kinds
    }

    /// Kind by code.
    pub fn get(&self, code: &ResourceKindCode) -> Option<&ResourceKind> {
        self.doc.kinds.iter().find(|k| &k.code == code)
    }

    /// `Ok` when the kind exists; otherwise `unknown_code` (list `resource_kinds`) at `path`.
    pub fn check(
        &self,
        code: &ResourceKindCode,
        path: &str,
    ) -> Result<&ResourceKind, ParticipationError> {
        self.get(code).ok_or_else(|| {
            TaxonomyError::UnknownCode {
                list: "resource_kinds",
                code: code.to_string(),
                path: path.to_string(),
            }
            .into()
        })
    }
}

impl Default for ResourceKinds {
    fn default() -> Self {
        Self::builtin()
    }
}

/// Accessibility features (利用しやすさ) a resource offers and a person may need.
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
pub enum Accessibility {
    /// 車椅子で利用できる (step-free).
    Wheelchair,
    /// 公共交通機関で行ける.
    PublicTransport,
    /// 送迎あり.
    PickUp,
    /// 多言語・やさしい日本語の対応.
    LanguageSupport,
    /// 手話・筆談の対応.
    HearingSupport,
    /// 託児あり (participants can bring or leave small children).
    Childcare,
    /// オンライン参加可.
    Online,
}

impl Accessibility {
    /// Bilingual label.
    pub fn label(self) -> Label {
        let (ja, en) = match self {
            Accessibility::Wheelchair => ("車椅子対応", "wheelchair accessible"),
            Accessibility::PublicTransport => ("公共交通で行ける", "reachable by public transport"),
            Accessibility::PickUp => ("送迎あり", "pick-up service"),
            Accessibility::LanguageSupport => ("多言語対応", "language support"),
            Accessibility::HearingSupport => ("手話・筆談対応", "sign language or written support"),
            Accessibility::Childcare => ("託児あり", "childcare available"),
            Accessibility::Online => ("オンライン参加可", "online participation"),
        };
        Label {
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// Whom a resource's target issues refer to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The people who have the issue themselves (本人).
    #[default]
    Person,
    /// Family members and carers of someone who has it (家族・介護者), e.g. a parents' group.
    Carers,
    /// Either.
    Both,
}

/// Target people (対象者) of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Minimum age of participants (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Maximum age of participants (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u32>,
    /// Issues and needs served (e.g. `developmental_concern`, `social_isolation`,
    /// `hikikomori`); empty means open to anyone (誰でも).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
    /// Disability certificate kinds served (e.g. `intellectual` for a parents' group of children
    /// with 療育手帳).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<CertificateKindCode>,
    /// Whether the issues and certificates are the participant's own or a family member's.
    #[serde(default)]
    pub audience: Audience,
}

/// Capacity (定員) and the current count of participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Places.
    pub limit: u32,
    /// Participants now.
    pub current: u32,
}

impl Capacity {
    /// Places still free.
    pub fn free(&self) -> u32 {
        self.limit.saturating_sub(self.current)
    }
}

/// A social resource (社会資源): a place, activity or group a person can be connected to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialResource {
    /// Resource id.
    pub id: ResourceId,
    /// Display name (an activity or organisation, not a person).
    pub name: String,
    /// Kind code, checked against [`ResourceKinds`].
    pub kind: ResourceKindCode,
    /// Areas where it is held / which it serves (小地域, 日常生活圏域, 区); empty means the whole
    /// municipality.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<AreaCode>,
    /// Days it is held; empty means by arrangement (any day).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub days: BTreeSet<Day>,
    /// Target people.
    #[serde(default)]
    pub target: Target,
    /// Accessibility features offered.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub accessibility: BTreeSet<Accessibility>,
    /// Capacity; `None` means no fixed limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Capacity>,
    /// Contact agency (窓口), in the agency directory.
    pub contact: AgencyId,
    /// Free keywords a wish can match (`cooking`, `farming`, `parenting` …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<WishCode>,
}

/// The social-resource directory, validated against kinds, agencies and the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct ResourceDirectory {
    resources: Vec<SocialResource>,
}

impl ResourceDirectory {
    /// Build a directory: ids unique, kind, contact agency, issue and certificate codes known,
    /// age range non-empty, current count within capacity. Errors carry the JSON path
    /// (`$[2].target.issues[0]`).
    pub fn new(
        resources: Vec<SocialResource>,
        kinds: &ResourceKinds,
        agencies: &Directory,
        tax: &Taxonomies,
    ) -> Result<Self, ParticipationError> {
        for (i, r) in resources.iter().enumerate() {
            if resources[..i].iter().any(|o| o.id == r.id) {
                return Err(ParticipationError::DuplicateResource {
                    id: r.id.clone(),
                    path: format!("$[{i}].id"),
                });
            }
            kinds.check(&r.kind, &format!("$[{i}].kind"))?;
            agencies.check(&r.contact, &format!("$[{i}].contact"))?;
            for (j, code) in r.target.issues.iter().enumerate() {
                tax.check_issue(code, &format!("$[{i}].target.issues[{j}]"))?;
            }
            for (j, code) in r.target.certificates.iter().enumerate() {
                tax.check_certificate_kind(code, &format!("$[{i}].target.certificates[{j}]"))?;
            }
            if let (Some(min), Some(max)) = (r.target.min_age, r.target.max_age) {
                if min > max {
                    return Err(ParticipationError::EmptyAgeRange {
                        id: r.id.clone(),
                        min,
                        max,
                        path: format!("$[{i}].target"),
                    });
                }
            }
            if let Some(c) = r.capacity {
                if c.current > c.limit {
                    return Err(ParticipationError::OverCapacity {
                        id: r.id.clone(),
                        current: c.current,
                        limit: c.limit,
                        path: format!("$[{i}].capacity.current"),
                    });
                }
            }
        }
        Ok(ResourceDirectory { resources })
    }

    /// A directory from resources already validated one by one (the registry checks each resource
    /// as it is registered, so a long directory is not re-checked on every change).
    pub(crate) fn from_checked(resources: Vec<SocialResource>) -> Self {
        ResourceDirectory { resources }
    }

    /// Parse and validate a JSON array of resources.
    pub fn from_json(
        text: &str,
        kinds: &ResourceKinds,
        agencies: &Directory,
        tax: &Taxonomies,
    ) -> Result<Self, ParticipationError> {
        let resources: Vec<SocialResource> = crate::coded::from_json(text)?;
        Self::new(resources, kinds, agencies, tax)
    }

    /// Resource by id.
    pub fn get(&self, id: &ResourceId) -> Option<&SocialResource> {
        self.resources.iter().find(|r| &r.id == id)
    }

    /// `Ok` when the resource exists; otherwise `unknown_resource` at `path`.
    pub fn check(
        &self,
        id: &ResourceId,
        path: &str,
    ) -> Result<&SocialResource, ParticipationError> {
        self.get(id)
            .ok_or_else(|| ParticipationError::UnknownResource {
                id: id.clone(),
                path: path.to_string(),
            })
    }

    /// All resources, in document order.
    pub fn resources(&self) -> &[SocialResource] {
        &self.resources
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agency::Agency;
    use crate::coded::Coded;

    pub(crate) fn agencies(tax: &Taxonomies) -> Directory {
        let a: Agency = serde_json::from_value(serde_json::json!({
            "id": "csw_x", "name": "社協 X地区", "kind": "social_welfare_council"
        }))
        .unwrap();
        Directory::new(vec![a], tax).unwrap()
    }

    fn resource(id: &str) -> SocialResource {
        SocialResource {
            id: id.into(),
            name: "サロン".into(),
            kind: "salon".into(),
            areas: vec![],
            days: BTreeSet::new(),
            target: Target::default(),
            accessibility: BTreeSet::new(),
            capacity: None,
            contact: "csw_x".into(),
            tags: vec![],
        }
    }

    #[test]
    fn builtin_kinds_cover_the_issue_list() {
        let kinds = ResourceKinds::builtin();
        for code in [
            "place_to_belong",
            "salon",
            "gathering_place",
            "community_dining",
            "work_experience",
            "volunteering",
            "peer_group",
        ] {
            let k = kinds.get(&code.into()).unwrap_or_else(|| panic!("{code}"));
            assert!(!k.ja.is_empty() && !k.en.is_empty());
        }
    }

    #[test]
    fn kinds_extend_and_reject_duplicates_without_change() {
        let mut kinds = ResourceKinds::builtin();
        let n = kinds.kinds().len();
        kinds
            .extend_toml(
                "[[kinds]]\ncode = \"farm_work\"\nja = \"農作業体験\"\nen = \"Farm work\"\n",
            )
            .unwrap();
        assert_eq!(kinds.kinds().len(), n + 1);
        let before = kinds.clone();
        let err = kinds
            .extend_json(r#"{"kinds":[{"code":"new_kind","ja":"新","en":"New"},{"code":"salon","ja":"x","en":"x"}]}"#)
            .unwrap_err();
        assert_eq!(err.code(), "duplicate_code");
        assert_eq!(err.path().as_deref(), Some("$.kinds[1].code"));
        assert!(err.to_string().contains("resource_kinds"));
        assert_eq!(kinds, before);
        let err = kinds
            .extend_json(r#"{"kinds":[{"code":"Bad","ja":"x","en":"x"}]}"#)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_code");
        let err = kinds
            .extend_json(r#"{"kinds":[{"code":"a"}]}"#)
            .unwrap_err();
        assert_eq!(err.code(), "malformed_document");
    }

    #[test]
    fn directory_validation_names_the_field() {
        let tax = Taxonomies::builtin();
        let kinds = ResourceKinds::builtin();
        let ag = agencies(&tax);
        let ok = ResourceDirectory::new(vec![resource("a"), resource("b")], &kinds, &ag, &tax);
        assert_eq!(ok.unwrap().resources().len(), 2);

        let err = ResourceDirectory::new(vec![resource("a"), resource("a")], &kinds, &ag, &tax)
            .unwrap_err();
        assert_eq!(
            (err.code(), err.path().as_deref()),
            ("duplicate_resource", Some("$[1].id"))
        );

        let mut r = resource("a");
        r.kind = "karaoke".into();
        let err = ResourceDirectory::new(vec![r], &kinds, &ag, &tax).unwrap_err();
        assert_eq!(
            (err.code(), err.path().as_deref()),
            ("unknown_code", Some("$[0].kind"))
        );

        let mut r = resource("a");
        r.contact = "nobody".into();
        let err = ResourceDirectory::new(vec![r], &kinds, &ag, &tax).unwrap_err();
        assert_eq!(
            (err.code(), err.path().as_deref()),
            ("unknown_agency", Some("$[0].contact"))
        );

        let mut r = resource("a");
        r.target.issues = vec!["social_isolation".into(), "flying".into()];
        let err = ResourceDirectory::new(vec![r], &kinds, &ag, &tax).unwrap_err();
        assert_eq!(
            (err.code(), err.path().as_deref()),
            ("unknown_code", Some("$[0].target.issues[1]"))
        );

        let mut r = resource("a");
        r.target.certificates = vec!["psychic".into()];
        let err = ResourceDirectory::new(vec![r], &kinds, &ag, &tax).unwrap_err();
        assert_eq!(err.path().as_deref(), Some("$[0].target.certificates[0]"));

        let mut r = resource("a");
        r.target.min_age = Some(65);
        r.target.max_age = Some(18);
        let err = ResourceDirectory::new(vec![r], &kinds, &ag, &tax).unwrap_err();
        assert_eq!(err.code(), "empty_age_range");

        let mut r = resource("a");
        r.capacity = Some(Capacity {
            limit: 10,
            current: 11,
        });
        let err = ResourceDirectory::new(vec![r], &kinds, &ag, &tax).unwrap_err();
        assert_eq!(
            (err.code(), err.path().as_deref()),
            ("over_capacity", Some("$[0].capacity.current"))
        );
    }

    #[test]
    fn directory_parses_json_and_rejects_unknown_fields() {
        let tax = Taxonomies::builtin();
        let kinds = ResourceKinds::builtin();
        let ag = agencies(&tax);
        let dir = ResourceDirectory::from_json(
            r#"[{"id":"r1","name":"親の会","kind":"peer_group","days":["saturday"],
                 "target":{"issues":["developmental_concern"],"audience":"carers"},
                 "accessibility":["childcare"],"capacity":{"limit":20,"current":12},"contact":"csw_x"}]"#,
            &kinds,
            &ag,
            &tax,
        )
        .unwrap();
        let r = dir.get(&"r1".into()).unwrap();
        assert_eq!(r.target.audience, Audience::Carers);
        assert_eq!(r.capacity.unwrap().free(), 8);
        let err = ResourceDirectory::from_json(
            r#"[{"id":"r1","name":"x","kind":"salon","contact":"csw_x","colour":"red"}]"#,
            &kinds,
            &ag,
            &tax,
        )
        .unwrap_err();
        assert_eq!(err.code(), "malformed_document");
        assert_eq!(
            dir.check(&"zz".into(), "$.resource").unwrap_err().code(),
            "unknown_resource"
        );
    }
}
