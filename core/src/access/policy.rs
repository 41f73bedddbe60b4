//! The access policy (アクセス権限の方針): its vocabulary (relation to the case, record kinds,
//! actions), its rules, and the one decision [`Policy::decide`].
//!
//! **The rule is data.** A [`PolicyRule`] names roles (or `"*"`), relations to the case, record
//! kinds (or `"*"`), actions, and the information categories it opens — the general ones in
//! `categories`, the special-care ones (要配慮個人情報) in `special_care`, so that opening a
//! special-care category is always written down on purpose — and, with `disclosed = true`, the
//! categories a disclosure (第三者提供) of the case showed the requester (so a worker of another
//! agency sees what was disclosed to them, and no more). What a requester may do is the
//! **union** of every rule that admits one of their roles, their relation, the record kind and
//! the action; each category is attributed to the first such rule in document order (the rule
//! the view log records). Nothing is open that no rule opens (allow-list): a worker with no rule
//! sees nothing.
//!
//! **Decisions.** (1) A requester may hold several relations to one case (a worker of another
//! agency who also sat in the case's 支援会議): every relation held counts
//! ([`CaseParties::relations_of`], [`Policy::decide_with`]), so holding one more relation never
//! takes anything away. The decision names the closest relation (主担当, 副担当, same agency,
//! meeting member, other agency, none — in that order) for the log. (2) A rule marked `review = true` makes
//! every read it allows a read to be reviewed (the 管理者's reads of cases that are not theirs,
//! for the periodic log review); the view log keeps the flag.

use crate::ids::*;
use crate::privacy::InfoCategory;
use serde::{Deserialize, Serialize};

crate::ids::string_newtype! {
    /// Policy rule id (方針ルールID), e.g. `team_full`; what the view log records as the reason a
    /// category was shown.
    PolicyRuleId,
}

/// Relation of a worker to a case (ケースとの関係).
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
pub enum CaseRelation {
    /// 主担当: the case team's primary worker.
    Primary,
    /// 副担当: a secondary worker of the case team.
    Secondary,
    /// A worker of the agency responsible for the case (same window, not on the team) — 同一機関.
    SameAgency,
    /// A member of a meeting (支援会議, 重層的支援会議 …) at which the case was discussed — 会議構成員.
    MeetingMember,
    /// A worker of another agency that takes part in the case (a referral to or from it, a role
    /// in the plan) — 他機関.
    OtherAgency,
    /// No relation to the case — 関係なし.
    None,
}

impl CaseRelation {
    /// Every relation, closest first.
    pub const ALL: [CaseRelation; 6] = [
        CaseRelation::Primary,
        CaseRelation::Secondary,
        CaseRelation::SameAgency,
        CaseRelation::MeetingMember,
        CaseRelation::OtherAgency,
        CaseRelation::None,
    ];

    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            CaseRelation::Primary => "primary",
            CaseRelation::Secondary => "secondary",
            CaseRelation::SameAgency => "same_agency",
            CaseRelation::MeetingMember => "meeting_member",
            CaseRelation::OtherAgency => "other_agency",
            CaseRelation::None => "none",
        }
    }

    /// The relation of a code.
    pub fn from_code(code: &str) -> Option<Self> {
        CaseRelation::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Kind of record (記録の種類) a read or change touches.
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
pub enum RecordKind {
    /// 世帯: the household and its members as a whole.
    Household,
    /// 個人: one person's record (including address and phone, where held).
    Person,
    /// ケース: the case and its lifecycle.
    Case,
    /// 支援プラン: support plans and monitoring.
    Plan,
    /// 支援経過記録: dated entries of the support record.
    RecordEntry,
    /// 連絡調整: liaison contacts with other agencies.
    Contact,
    /// つなぎ: referrals.
    Referral,
    /// 会議: meeting records.
    Meeting,
    /// 同意: consent records.
    Consent,
    /// 第三者提供記録: disclosure (provision) records.
    Disclosure,
    /// 閲覧ログ: the view log itself.
    ViewLog,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 11] = [
        RecordKind::Household,
        RecordKind::Person,
        RecordKind::Case,
        RecordKind::Plan,
        RecordKind::RecordEntry,
        RecordKind::Contact,
        RecordKind::Referral,
        RecordKind::Meeting,
        RecordKind::Consent,
        RecordKind::Disclosure,
        RecordKind::ViewLog,
    ];

    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Household => "household",
            RecordKind::Person => "person",
            RecordKind::Case => "case",
            RecordKind::Plan => "plan",
            RecordKind::RecordEntry => "record_entry",
            RecordKind::Contact => "contact",
            RecordKind::Referral => "referral",
            RecordKind::Meeting => "meeting",
            RecordKind::Consent => "consent",
            RecordKind::Disclosure => "disclosure",
            RecordKind::ViewLog => "view_log",
        }
    }

    /// The kind of a code.
    pub fn from_code(code: &str) -> Option<Self> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What the requester does with the record (操作).
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
pub enum Action {
    /// 閲覧: read.
    Read,
    /// 変更: create, edit or close.
    Change,
}

impl Action {
    /// Both actions.
    pub const ALL: [Action; 2] = [Action::Read, Action::Change];

    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Change => "change",
        }
    }

    /// The action of a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// The wildcard `"*"` of a rule's `roles` or `kinds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Wildcard {
    /// Every value.
    #[serde(rename = "*")]
    Any,
}

/// Which roles a rule admits: `"*"` (every role) or a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Roles {
    /// `"*"`: every role.
    Any(Wildcard),
    /// The listed roles (職種・役割).
    Listed(Vec<RoleCode>),
}

impl Roles {
    /// Whether a worker holding `held` is admitted.
    pub fn admits(&self, held: &[RoleCode]) -> bool {
        match self {
            Roles::Any(_) => true,
            Roles::Listed(list) => held.iter().any(|r| list.contains(r)),
        }
    }
}

/// Which record kinds a rule covers: `"*"` (every kind) or a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Kinds {
    /// `"*"`: every kind.
    Any(Wildcard),
    /// The listed kinds.
    Listed(Vec<RecordKind>),
}

impl Kinds {
    /// Whether `kind` is covered.
    pub fn covers(&self, kind: RecordKind) -> bool {
        match self {
            Kinds::Any(_) => true,
            Kinds::Listed(list) => list.contains(&kind),
        }
    }
}

/// One rule of an access policy (アクセス権限のルール).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    /// Rule id (`[a-z0-9_]+`), unique in the policy; recorded in the view log.
    pub id: PolicyRuleId,
    /// Why the rule is there, in words a reviewer reads (no personal data).
    pub reason: String,
    /// Roles admitted.
    pub roles: Roles,
    /// Relations to the case admitted.
    pub relations: Vec<CaseRelation>,
    /// Record kinds covered.
    pub kinds: Kinds,
    /// Actions allowed.
    pub actions: Vec<Action>,
    /// General (not special-care) categories opened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<InfoCategory>,
    /// Special-care categories opened (要配慮個人情報: health and disability, legal and criminal
    /// matters), listed apart so that opening one is always deliberate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_care: Vec<InfoCategory>,
    /// The rule also opens the categories that disclosures (第三者提供) of the case showed the
    /// requester's agency or a meeting they sat in — passed to [`Policy::decide_with`] as data
    /// from the provision records. With a disclosure's basis (consent or statute) behind them,
    /// special-care categories shown so are opened too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disclosed: bool,
    /// Every read this rule allows is flagged for the periodic log review (点検対象).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub review: bool,
}

impl PolicyRule {
    /// Every category the rule opens (general and special-care), given the categories
    /// disclosed to the requester.
    pub fn opens<'a>(
        &'a self,
        disclosed: &'a [InfoCategory],
    ) -> impl Iterator<Item = InfoCategory> + 'a {
        let shown: &[InfoCategory] = if self.disclosed { disclosed } else { &[] };
        self.categories
            .iter()
            .chain(&self.special_care)
            .chain(shown)
            .copied()
    }

    fn applies(&self, relation: CaseRelation, kind: RecordKind, action: Action) -> bool {
        self.relations.contains(&relation)
            && self.kinds.covers(kind)
            && self.actions.contains(&action)
    }
}

/// Who may run a command (コマンドの実行権限): a rule of the policy's `commands` section.
///
/// **Decisions.** (1) A command listed in no rule is not restricted by this section (the case
/// commands are judged by the area rules and the actor's standing; this section governs the
/// administration of workers, roles, teams and address restrictions). (2) A command listed in
/// some rule is permitted when **any** rule listing it admits one of the actor's roles, the
/// actor's relation to the case the command names (when the rule lists relations) and, for a
/// rule marked `unassigned`, only while the case has no team yet (the worker of the window who
/// takes a new case on becomes its 主担当). (3) Setup mode (no worker registered, no actor) is
/// not judged: there is nobody to judge. (4) Journal replay, import and sync do not judge
/// again: an event was permitted under the policy of its day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandRule {
    /// Rule id (`[a-z0-9_]+`), unique among the command rules.
    pub id: PolicyRuleId,
    /// Why, in words a reviewer reads.
    pub reason: String,
    /// The commands (wire names, e.g. `register_worker`).
    pub commands: Vec<String>,
    /// Roles admitted.
    pub roles: Roles,
    /// Relations to the case the command names that are admitted; absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations: Option<Vec<CaseRelation>>,
    /// Only while the case has no team yet (the first assignment).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unassigned: bool,
}

/// A policy document (アクセス権限の方針文書): rules to add or replace (by id) and rule ids to
/// remove. The built-in policy is one (`core/data/access_policy.toml`); a municipality extends
/// it with another or replaces it with a standalone one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    /// Rules, in document order (the order attributes a category to its first rule).
    #[serde(default)]
    pub rules: Vec<PolicyRule>,
    /// Ids of rules (of the policy being extended) to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<PolicyRuleId>,
    /// Who may run which command ([`CommandRule`]); a rule with a known id replaces it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<CommandRule>,
}

/// Who asks (閲覧者・操作者): a worker of an agency with their roles. The integrator builds it
/// from the registry's actor and the worker's record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requester {
    /// The worker (職員).
    pub worker: WorkerId,
    /// The worker's agency (所属機関).
    pub agency: AgencyId,
    /// The roles the worker holds.
    pub roles: Vec<RoleCode>,
}

/// Who is around a case, as plain data (the integrator fills it from the case team, the case's
/// responsible window, its referrals and meetings), to find a requester's [`CaseRelation`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseParties {
    /// 主担当.
    pub primary: Option<WorkerId>,
    /// 副担当.
    #[serde(default)]
    pub secondary: Vec<WorkerId>,
    /// The agency responsible for the case (its window, 受付・担当機関).
    pub agency: Option<AgencyId>,
    /// Other agencies taking part (referrals, plan roles).
    #[serde(default)]
    pub other_agencies: Vec<AgencyId>,
    /// Workers who were members of a meeting at which the case was discussed.
    #[serde(default)]
    pub meeting_members: Vec<WorkerId>,
}

impl CaseParties {
    /// Every relation `requester` holds to the case, closest first; `[None]` when none.
    pub fn relations_of(&self, requester: &Requester) -> Vec<CaseRelation> {
        let w = &requester.worker;
        let held = [
            (self.primary.as_ref() == Some(w), CaseRelation::Primary),
            (self.secondary.contains(w), CaseRelation::Secondary),
            (
                self.agency.as_ref() == Some(&requester.agency),
                CaseRelation::SameAgency,
            ),
            (
                self.meeting_members.contains(w),
                CaseRelation::MeetingMember,
            ),
            (
                self.other_agencies.contains(&requester.agency),
                CaseRelation::OtherAgency,
            ),
        ];
        let out: Vec<CaseRelation> = held
            .into_iter()
            .filter(|(h, _)| *h)
            .map(|(_, r)| r)
            .collect();
        if out.is_empty() {
            vec![CaseRelation::None]
        } else {
            out
        }
    }
}

/// One category allowed, with the rule that allowed it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessGrant {
    /// The category.
    pub category: InfoCategory,
    /// The first rule (in policy order) that opens it.
    pub rule: PolicyRuleId,
}

/// What a requester may do: the categories allowed, each with its rule (for the view log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessDecision {
    /// The relation judged.
    pub relation: CaseRelation,
    /// The record kind.
    pub kind: RecordKind,
    /// The action.
    pub action: Action,
    /// Categories allowed, in [`InfoCategory::ALL`] order (empty: nothing).
    pub grants: Vec<AccessGrant>,
    /// Some allowing rule asks for the read to be reviewed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub review: bool,
}

impl AccessDecision {
    /// The categories allowed.
    pub fn categories(&self) -> Vec<InfoCategory> {
        self.grants.iter().map(|g| g.category).collect()
    }
    /// Whether `category` is allowed.
    pub fn allows(&self, category: InfoCategory) -> bool {
        self.grants.iter().any(|g| g.category == category)
    }
    /// Whether nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.grants.is_empty()
    }
    /// The rule that allowed `category`.
    pub fn rule_for(&self, category: InfoCategory) -> Option<&PolicyRuleId> {
        self.grants
            .iter()
            .find(|g| g.category == category)
            .map(|g| &g.rule)
    }
}

/// The bit of a category in a category mask (bit i = [`InfoCategory::ALL`]`[i]`).
pub(crate) fn bit(c: InfoCategory) -> u8 {
    1 << InfoCategory::ALL
        .iter()
        .position(|x| *x == c)
        .expect("every category is in ALL")
}

/// The categories of a mask, in [`InfoCategory::ALL`] order.
pub(crate) fn categories_of(mask: u8) -> Vec<InfoCategory> {
    InfoCategory::ALL
        .into_iter()
        .filter(|c| mask & bit(*c) != 0)
        .collect()
}

const SLOTS: usize = CaseRelation::ALL.len() * RecordKind::ALL.len() * Action::ALL.len();

fn slot(relation: CaseRelation, kind: RecordKind, action: Action) -> usize {
    ((relation as usize) * RecordKind::ALL.len() + kind as usize) * Action::ALL.len()
        + action as usize
}

/// A validated access policy (アクセス権限の方針), ready to decide. Built only by the loaders
/// (`Policy::builtin`, `from_toml`, `from_json`, `extend_*`), so every policy is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub(super) rules: Vec<PolicyRule>,
    /// The command rules, in order.
    pub(super) commands: Vec<CommandRule>,
    /// For each (relation, kind, action), the rules that apply, in order.
    index: Vec<Vec<u16>>,
}

impl Policy {
    /// A policy of `rules` (already validated by the loader).
    pub(super) fn of_rules(rules: Vec<PolicyRule>) -> Policy {
        let mut index = vec![Vec::new(); SLOTS];
        for r in CaseRelation::ALL {
            for k in RecordKind::ALL {
                for a in Action::ALL {
                    index[slot(r, k, a)] = rules
                        .iter()
                        .enumerate()
                        .filter(|(_, rule)| rule.applies(r, k, a))
                        .map(|(i, _)| i as u16)
                        .collect();
                }
            }
        }
        Policy {
            rules,
            index,
            commands: Vec::new(),
        }
    }

    /// The command rules, in order.
    pub fn command_rules(&self) -> &[CommandRule] {
        &self.commands
    }

    /// May `requester` run `command` (its wire name), holding `relations` to the case it names
    /// (`[None]` when it names none), the case having a team (`team`)? `Ok` when no command
    /// rule lists the command or one admits the requester (see [`CommandRule`]); else
    /// `command_not_permitted` at `$.command`.
    pub fn permit_command(
        &self,
        requester: &Requester,
        command: &str,
        relations: &[CaseRelation],
        team: bool,
    ) -> Result<(), super::AccessError> {
        let mut listed = self
            .commands
            .iter()
            .filter(|r| r.commands.iter().any(|c| c == command))
            .peekable();
        if listed.peek().is_none() {
            return Ok(());
        }
        let admitted = listed.any(|r| {
            r.roles.admits(&requester.roles)
                && r.relations
                    .as_ref()
                    .is_none_or(|rs| relations.iter().any(|x| rs.contains(x)))
                && !(r.unassigned && team)
        });
        if admitted {
            Ok(())
        } else {
            Err(super::AccessError::CommandNotPermitted {
                command: command.to_string(),
                path: "$.command".into(),
            })
        }
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[PolicyRule] {
        &self.rules
    }

    /// The rule of an id.
    pub fn rule(&self, id: &PolicyRuleId) -> Option<&PolicyRule> {
        self.rules.iter().find(|r| &r.id == id)
    }

    /// The policy as a document (standalone: loading it gives this policy back).
    pub fn to_document(&self) -> PolicyDocument {
        PolicyDocument {
            rules: self.rules.clone(),
            remove: Vec::new(),
            commands: self.commands.clone(),
        }
    }

    /// What `requester`, in `relation` to the case, may do with a record of `kind`: the union of
    /// the categories every applicable rule opens, each with its first rule. Nothing disclosed
    /// is counted (see [`Policy::decide_with`]).
    pub fn decide(
        &self,
        requester: &Requester,
        relation: CaseRelation,
        kind: RecordKind,
        action: Action,
    ) -> AccessDecision {
        self.decide_with(requester, &[relation], &[], kind, action)
    }

    /// [`Policy::decide`] for a requester holding every relation of `relations` (as
    /// [`CaseParties::relations_of`] gives them) — the union over all of them — to whom
    /// disclosures of the case showed `disclosed` (opened by rules marked `disclosed`). The
    /// decision names the closest relation; an empty list counts as [`CaseRelation::None`].
    pub fn decide_with(
        &self,
        requester: &Requester,
        relations: &[CaseRelation],
        disclosed: &[InfoCategory],
        kind: RecordKind,
        action: Action,
    ) -> AccessDecision {
        match relations {
            [] => self.decide_rules(
                requester,
                CaseRelation::None,
                self.index[slot(CaseRelation::None, kind, action)]
                    .iter()
                    .copied(),
                disclosed,
                kind,
                action,
            ),
            [one] => self.decide_rules(
                requester,
                *one,
                self.index[slot(*one, kind, action)].iter().copied(),
                disclosed,
                kind,
                action,
            ),
            many => {
                let closest = *many.iter().min().expect("not empty");
                let rules = (0..self.rules.len() as u16).filter(|i| {
                    let rule = &self.rules[*i as usize];
                    many.iter().any(|r| rule.applies(*r, kind, action))
                });
                self.decide_rules(requester, closest, rules, disclosed, kind, action)
            }
        }
    }

    /// For an explicit request (a change, a single record): `Ok` with the decision when every
    /// category of `needed` is allowed, else `access_denied` naming the first one that is not
    /// (in [`InfoCategory::ALL`] order). An empty `needed` asks for any category at all.
    pub fn authorise(
        &self,
        requester: &Requester,
        relations: &[CaseRelation],
        kind: RecordKind,
        action: Action,
        needed: &[InfoCategory],
    ) -> Result<AccessDecision, super::AccessError> {
        let decision = self.decide_with(requester, relations, &[], kind, action);
        let missing = if needed.is_empty() {
            decision.is_empty().then_some(InfoCategory::Identity)
        } else {
            InfoCategory::ALL
                .into_iter()
                .find(|c| needed.contains(c) && !decision.allows(*c))
        };
        match missing {
            Some(category) => Err(super::AccessError::AccessDenied { kind, category }),
            None => Ok(decision),
        }
    }

    fn decide_rules(
        &self,
        requester: &Requester,
        relation: CaseRelation,
        rules: impl Iterator<Item = u16>,
        disclosed: &[InfoCategory],
        kind: RecordKind,
        action: Action,
    ) -> AccessDecision {
        let mut first: [Option<u16>; InfoCategory::ALL.len()] = [None; InfoCategory::ALL.len()];
        let mut review = false;
        for i in rules {
            let rule = &self.rules[i as usize];
            if !rule.roles.admits(&requester.roles) {
                continue;
            }
            review |= rule.review;
            for c in rule.opens(disclosed) {
                let k = bit(c).trailing_zeros() as usize;
                first[k].get_or_insert(i);
            }
        }
        let grants = InfoCategory::ALL
            .into_iter()
            .zip(first)
            .filter_map(|(category, i)| {
                i.map(|i| AccessGrant {
                    category,
                    rule: self.rules[i as usize].id.clone(),
                })
            })
            .collect();
        AccessDecision {
            relation,
            kind,
            action,
            grants,
            review,
        }
    }
}
