//! Household documents (世帯) as real records: members, certificates, eco-map ties.

use crate::date::IsoDate;
use crate::error::Result;
use tsunagu::household as h;
use tsunagu::ids::*;

/// Relation to the head of household (続柄).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Relation {
    /// 世帯主
    Head,
    /// 配偶者
    Spouse,
    /// 子
    Child,
    /// 子の配偶者
    ChildInLaw,
    /// 親
    Parent,
    /// 祖父母
    Grandparent,
    /// 孫
    Grandchild,
    /// 兄弟姉妹
    Sibling,
    /// その他
    Other,
}

/// Employment (就労状況).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Employment {
    /// 正規雇用
    FullTime,
    /// 非正規・パート
    PartTime,
    /// 自営
    SelfEmployed,
    /// 無職
    Unemployed,
    /// 学生
    Student,
    /// 退職
    Retired,
}

/// How the person engages with support (関わりの状況).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Engagement {
    /// Engaging.
    Engaged,
    /// Not (yet) engaging (ひきこもり etc.).
    NotEngaging,
    /// Refuses support (支援拒否).
    Refuses,
}

/// Tie strength on the eco-map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TieStrength {
    /// 太線
    Strong,
    /// 点線
    Weak,
    /// ストレスのある関係
    Stressful,
}

/// Disability certificate (障害者手帳).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Disability {
    /// Certificate kind code (`physical`, `intellectual`, `mental`).
    pub kind: String,
    /// Grade as written on the certificate.
    #[uniffi(default = None)]
    pub grade: Option<String>,
}

/// Household member (世帯員).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Member {
    /// Person id.
    pub id: String,
    /// Relation to the head.
    pub relation: Relation,
    /// Name (氏名): personal information.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// Birth date.
    #[uniffi(default = None)]
    pub birth_date: Option<IsoDate>,
    /// Approximate age when the birth date is unknown.
    #[uniffi(default = None)]
    pub approx_age: Option<u32>,
    /// Care level code (要介護度).
    #[uniffi(default = None)]
    pub care_level: Option<String>,
    /// Disability certificates.
    #[uniffi(default = [])]
    pub disabilities: Vec<Disability>,
    /// Receives public assistance (生活保護).
    #[uniffi(default = false)]
    pub public_assistance: bool,
    /// Single parent (ひとり親).
    #[uniffi(default = false)]
    pub single_parent: bool,
    /// Employment.
    #[uniffi(default = None)]
    pub employment: Option<Employment>,
    /// Foreign national.
    #[uniffi(default = false)]
    pub foreign_national: bool,
    /// Members this person cares for (ids).
    #[uniffi(default = [])]
    pub cares_for: Vec<String>,
    /// Issue codes (課題).
    #[uniffi(default = [])]
    pub issues: Vec<String>,
    /// Engagement.
    #[uniffi(default = None)]
    pub engagement: Option<Engagement>,
    /// In hospital.
    #[uniffi(default = false)]
    pub hospitalised: bool,
}

/// The other end of an eco-map tie.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum TieParty {
    /// An agency of the directory.
    Agency {
        /// Agency id.
        agency: String,
    },
    /// An informal support (民生委員, neighbour …).
    Informal {
        /// Kind code or free text.
        kind: String,
        /// Display label.
        label: Option<String>,
    },
}

/// An eco-map tie (エコマップ).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Tie {
    /// The member (`None`: the household as a whole).
    #[uniffi(default = None)]
    pub member: Option<String>,
    /// The other end.
    pub with: TieParty,
    /// Strength.
    pub strength: TieStrength,
}

/// Area codes of the household.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct Area {
    /// 小地域
    #[uniffi(default = None)]
    pub small_area: Option<String>,
    /// 日常生活圏域
    #[uniffi(default = None)]
    pub daily_life_area: Option<String>,
    /// 区
    #[uniffi(default = None)]
    pub ward: Option<String>,
}

/// Household (世帯).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Household {
    /// Household id.
    pub id: String,
    /// Members.
    pub members: Vec<Member>,
    /// Area codes.
    #[uniffi(default = None)]
    pub area: Option<Area>,
    /// Household-level issue codes.
    #[uniffi(default = [])]
    pub issues: Vec<String>,
    /// Eco-map ties.
    #[uniffi(default = [])]
    pub ties: Vec<Tie>,
}

macro_rules! mirror {
    ($ours:ident => $core:path { $($v:ident),* }) => {
        impl From<$ours> for $core {
            fn from(x: $ours) -> Self { match x { $($ours::$v => <$core>::$v),* } }
        }
        impl From<$core> for $ours {
            fn from(x: $core) -> Self { match x { $(<$core>::$v => $ours::$v),* } }
        }
    };
}
mirror!(Relation => h::Relation { Head, Spouse, Child, ChildInLaw, Parent, Grandparent, Grandchild, Sibling, Other });
mirror!(Employment => h::Employment { FullTime, PartTime, SelfEmployed, Unemployed, Student, Retired });
mirror!(Engagement => h::Engagement { Engaged, NotEngaging, Refuses });
mirror!(TieStrength => h::TieStrength { Strong, Weak, Stressful });

impl Household {
    /// The core document; dates are checked here (`invalid_date` at `$.members[i].birth_date`),
    /// everything else by the core's validation when the household is used.
    pub fn to_core(&self) -> Result<h::Household> {
        let mut members = Vec::with_capacity(self.members.len());
        for (i, m) in self.members.iter().enumerate() {
            let birth_date = match &m.birth_date {
                Some(d) => Some(d.get(&format!("$.members[{i}].birth_date"))?),
                None => None,
            };
            members.push(h::Person {
                id: PersonId::new(m.id.as_str()),
                name: m.name.clone(),
                relation: m.relation.into(),
                birth_date,
                approx_age: m.approx_age,
                care_level: m.care_level.as_deref().map(CareLevelCode::new),
                disabilities: m
                    .disabilities
                    .iter()
                    .map(|d| h::DisabilityCertificate {
                        kind: CertificateKindCode::new(d.kind.as_str()),
                        grade: d.grade.clone(),
                    })
                    .collect(),
                public_assistance: m.public_assistance,
                single_parent: m.single_parent,
                employment: m.employment.map(Into::into),
                foreign_national: m.foreign_national,
                cares_for: m
                    .cares_for
                    .iter()
                    .map(|p| PersonId::new(p.as_str()))
                    .collect(),
                issues: m
                    .issues
                    .iter()
                    .map(|c| IssueCode::new(c.as_str()))
                    .collect(),
                engagement: m.engagement.map(Into::into).unwrap_or_default(),
                hospitalised: m.hospitalised,
            });
        }
        let area = self.area.clone().unwrap_or_default();
        Ok(h::Household {
            id: HouseholdId::new(self.id.as_str()),
            area: h::Area {
                small_area: area.small_area.map(AreaCode::new),
                daily_life_area: area.daily_life_area.map(AreaCode::new),
                ward: area.ward.map(AreaCode::new),
            },
            members,
            issues: self
                .issues
                .iter()
                .map(|c| IssueCode::new(c.as_str()))
                .collect(),
            ties: self
                .ties
                .iter()
                .map(|t| h::Tie {
                    member: t.member.as_deref().map(PersonId::new),
                    with: match &t.with {
                        TieParty::Agency { agency } => h::TieParty::Agency {
                            agency: AgencyId::new(agency.as_str()),
                        },
                        TieParty::Informal { kind, label } => h::TieParty::Informal {
                            kind: kind.clone(),
                            label: label.clone(),
                        },
                    },
                    strength: t.strength.into(),
                })
                .collect(),
        })
    }

    /// From a core document.
    pub fn from_core(x: &h::Household) -> Household {
        Household {
            id: x.id.to_string(),
            area: Some(Area {
                small_area: x.area.small_area.as_ref().map(|c| c.to_string()),
                daily_life_area: x.area.daily_life_area.as_ref().map(|c| c.to_string()),
                ward: x.area.ward.as_ref().map(|c| c.to_string()),
            }),
            members: x
                .members
                .iter()
                .map(|m| Member {
                    id: m.id.to_string(),
                    relation: m.relation.into(),
                    name: m.name.clone(),
                    birth_date: m.birth_date.map(Into::into),
                    approx_age: m.approx_age,
                    care_level: m.care_level.as_ref().map(|c| c.to_string()),
                    disabilities: m
                        .disabilities
                        .iter()
                        .map(|d| Disability {
                            kind: d.kind.to_string(),
                            grade: d.grade.clone(),
                        })
                        .collect(),
                    public_assistance: m.public_assistance,
                    single_parent: m.single_parent,
                    employment: m.employment.map(Into::into),
                    foreign_national: m.foreign_national,
                    cares_for: m.cares_for.iter().map(|p| p.to_string()).collect(),
                    issues: m.issues.iter().map(|c| c.to_string()).collect(),
                    engagement: Some(m.engagement.into()),
                    hospitalised: m.hospitalised,
                })
                .collect(),
            issues: x.issues.iter().map(|c| c.to_string()).collect(),
            ties: x
                .ties
                .iter()
                .map(|t| Tie {
                    member: t.member.as_ref().map(|p| p.to_string()),
                    with: match &t.with {
                        h::TieParty::Agency { agency } => TieParty::Agency {
                            agency: agency.to_string(),
                        },
                        h::TieParty::Informal { kind, label } => TieParty::Informal {
                            kind: kind.clone(),
                            label: label.clone(),
                        },
                    },
                    strength: t.strength.into(),
                })
                .collect(),
        }
    }
}

/// Parse a household JSON document (the interchange format) into the record.
#[uniffi::export]
pub fn household_from_json(json: String) -> Result<Household> {
    let x: h::Household = tsunagu::error::from_json(&json)?;
    Ok(Household::from_core(&x))
}

/// A household as its JSON document (世帯の文書): the format [`household_from_json`] reads and
/// the batch calls that take documents (`Router::route_batch_json`, `route_batch_compact`) read.
/// A malformed date gives `invalid_date` with its path, as everywhere.
#[uniffi::export]
pub fn household_to_json(household: Household) -> Result<String> {
    let h = household.to_core()?;
    Ok(serde_json::to_string(&h).expect("a household serialises"))
}
