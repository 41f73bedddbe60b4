//! Worker roles as data (職種・役割): the built-in list in `core/data/roles.toml` and a
//! municipality's extensions.

use super::WorkerError;
use crate::ids::RoleCode;
use crate::taxonomy::{Label, TaxonomyError};
use serde::{Deserialize, Serialize};

/// A worker role (職種・役割): 相談支援員, 主任相談支援員, CSW, アウトリーチ支援員, 管理者, 事務 ….
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Stable code, e.g. `community_social_worker`.
    pub code: RoleCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
}

impl Role {
    /// The bilingual label.
    pub fn label(&self) -> Label {
        Label {
            ja: self.ja.clone(),
            en: self.en.clone(),
        }
    }
}

/// A role document (職種の定義): the built-in list or a municipality's extension.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesDocument {
    /// Roles, in display order.
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// The roles in force (職種一覧): built-ins from `core/data/roles.toml` plus extensions.
/// Extending is all or nothing; a duplicate code is `duplicate_code`, a malformed one
/// `invalid_code` (list `roles`, path `$.roles[i].code`).
///
/// ```
/// use tsunagu::worker::Roles;
/// let roles = Roles::builtin();
/// assert!(roles.get(&"community_social_worker".into()).is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Roles {
    doc: RolesDocument,
}

/// The built-in data: `core/data/roles.toml`, converted to JSON by `core/build.rs`.
const BUILTIN: &str = include_str!(concat!(env!("OUT_DIR"), "/data/roles.json"));

/// A code is lowercase ASCII letters, digits and `_`, starting with a letter (as the taxonomy's).
fn valid_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Roles {
    /// The built-in roles.
    pub fn builtin() -> Self {
        let doc: RolesDocument =
            serde_json::from_str(BUILTIN).expect("built-in roles parse (checked by tests)");
        Roles {
            doc: RolesDocument::default(),
        }
        .extended(doc)
        .expect("built-in roles are consistent (checked by tests)")
    }

    /// A copy extended by `ext`; fails (and changes nothing) on a duplicate or invalid code.
    pub fn extended(&self, ext: RolesDocument) -> Result<Self, WorkerError> {
        let mut out = self.doc.clone();
        for (i, r) in ext.roles.into_iter().enumerate() {
            let path = format!("$.roles[{i}].code");
            if !valid_code(r.code.as_str()) {
                return Err(TaxonomyError::InvalidCode {
                    code: r.code.0,
                    path,
                }
                .into());
            }
            if out.roles.iter().any(|e| e.code == r.code) {
                return Err(TaxonomyError::DuplicateCode {
                    list: "roles",
                    code: r.code.0,
                    path,
                }
                .into());
            }
            out.roles.push(r);
        }
        Ok(Roles { doc: out })
    }

    /// Extend in place from a JSON document (all or nothing).
    pub fn extend_json(&mut self, text: &str) -> Result<(), WorkerError> {
        let ext: RolesDocument = crate::coded::from_json(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Extend in place from a TOML document (all or nothing).
    pub fn extend_toml(&mut self, text: &str) -> Result<(), WorkerError> {
        let ext: RolesDocument = crate::coded::from_toml(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Every role, in display order.
    pub fn roles(&self) -> &[Role] {
        &self.doc.roles
    }

    /// Role by code.
    pub fn get(&self, code: &RoleCode) -> Option<&Role> {
        self.doc.roles.iter().find(|r| &r.code == code)
    }

    /// `Ok` when the role exists; otherwise `unknown_code` (list `roles`) at `path`.
    pub fn check(&self, code: &RoleCode, path: &str) -> Result<&Role, WorkerError> {
        self.get(code).ok_or_else(|| {
            TaxonomyError::UnknownCode {
                list: "roles",
                code: code.to_string(),
                path: path.to_string(),
            }
            .into()
        })
    }
}

impl Default for Roles {
    fn default() -> Self {
        Self::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;

    #[test]
    fn builtin_has_the_six_roles_of_the_system() {
        let roles = Roles::builtin();
        let codes: Vec<&str> = roles.roles().iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "consultation_support_worker",
                "chief_consultation_support_worker",
                "community_social_worker",
                "outreach_support_worker",
                "manager",
                "clerk"
            ]
        );
        assert_eq!(roles.get(&"manager".into()).unwrap().ja, "管理者");
    }

    #[test]
    fn a_municipality_extends_roles_all_or_nothing() {
        let mut roles = Roles::builtin();
        roles
            .extend_toml(
                "[[roles]]\ncode = \"marugoto_consultant\"\nja = \"丸ごと相談員\"\nen = \"All-round consultant\"\n",
            )
            .unwrap();
        assert!(roles.check(&"marugoto_consultant".into(), "$").is_ok());

        let before = roles.clone();
        let err = roles
            .extend_json(
                r#"{"roles":[{"code":"peer_supporter","ja":"ピアサポーター","en":"Peer supporter"},
                             {"code":"manager","ja":"管理者","en":"Manager"}]}"#,
            )
            .unwrap_err();
        assert_eq!(err.code(), "duplicate_code");
        assert_eq!(err.path().as_deref(), Some("$.roles[1].code"));
        assert_eq!(roles, before, "a refused extension changes nothing");

        let err = roles
            .extend_json(r#"{"roles":[{"code":"Bad-Code","ja":"x","en":"x"}]}"#)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_code");
        let err = roles.check(&"wizard".into(), "$.worker.roles").unwrap_err();
        assert_eq!(err.code(), "unknown_code");
        assert_eq!(err.path().as_deref(), Some("$.worker.roles"));
    }
}
