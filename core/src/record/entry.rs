//! Case-record entries (支援経過記録): what a worker writes after each contact — kind, date and
//! time, place, whom it reached, the narrative, and links to issues and plan goals — and their
//! correction (訂正), which is a new entry that supersedes the old one: nothing is ever edited,
//! and the original stays readable in the entry's history.

use super::ids::*;
use super::kinds::RecordKinds;
use super::RecordError;
use crate::ids::*;
use crate::plan::GoalId;
use crate::taxonomy::Taxonomies;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// Whom an entry reached (面談の相手, 電話の相手, 手紙の宛先).
///
/// Decision: three kinds of party, matching who a worker meets — the person the case is about
/// (本人), another member of their household (世帯員), an agency of the directory (関係機関).
/// Anyone else (a neighbour, a landlord) is written in the narrative, not as a party, so that no
/// name outside the registry's records becomes structured data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Party {
    /// The person the case is about (本人).
    Person,
    /// Another member of the case's household (世帯員).
    Member {
        /// The member.
        person: PersonId,
    },
    /// An agency of the directory (関係機関).
    Agency {
        /// The agency.
        agency: AgencyId,
    },
}

impl Party {
    /// Stable code of the party's kind (`person`, `member`, `agency`).
    pub fn code(&self) -> &'static str {
        match self {
            Party::Person => "person",
            Party::Member { .. } => "member",
            Party::Agency { .. } => "agency",
        }
    }
}

/// A link from an entry to a goal of a support plan (支援プランの目標).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalRef {
    /// The plan (of the entry's case).
    pub plan: PlanId,
    /// A goal of any version of the plan (a goal dropped at re-planning can still be written
    /// about).
    pub goal: GoalId,
}

/// A case-record entry (支援経過記録の1件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordEntry {
    /// Entry id.
    pub id: EntryId,
    /// The case.
    pub case: CaseId,
    /// Kind (`interview`, `phone`, `home_visit`, `accompanied_support`, `visit_not_home`,
    /// `letter`, `email`, or a municipality's).
    pub kind: EntryKindCode,
    /// Date of the contact.
    pub on: NaiveDate,
    /// Time of the contact (`"14:30"`), where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<NaiveTime>,
    /// Place (自宅, 事務所, 同行先の窓口 …): a kind of place, not an address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Whom it reached: required for every kind except those that reach nobody, where it must
    /// be empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<Party>,
    /// The narrative (経過). Personal: never in errors, summaries or the export.
    pub text: String,
    /// Issues the entry is about (taxonomy codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
    /// Plan goals the entry is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalRef>,
    /// The entry this one corrects (訂正): it supersedes that entry, which stays in the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<EntryId>,
    /// The worker who wrote it, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<WorkerId>,
}

impl RecordEntry {
    /// The entry's own rules, with paths under `at` (`$.entry`): the kind is known
    /// (`unknown_code`), the narrative and a given place are not blank (`empty_text`), the
    /// parties agree with the kind (`met_required`, `met_not_allowed`), issues are known codes
    /// (`unknown_code`), and no issue, goal or party is listed twice (`duplicate_reference`).
    /// References to the case, members, agencies and plans are the registry's to check.
    pub fn validate(
        &self,
        kinds: &RecordKinds,
        tax: &Taxonomies,
        at: &str,
    ) -> Result<(), RecordError> {
        let kind = kinds.check_entry_kind(&self.kind, &format!("{at}.kind"))?;
        if self.text.trim().is_empty() {
            return Err(RecordError::EmptyText {
                subject: format!("entry `{}`", self.id),
                path: format!("{at}.text"),
            });
        }
        if self.place.as_deref().is_some_and(|p| p.trim().is_empty()) {
            return Err(RecordError::EmptyText {
                subject: format!("entry `{}`", self.id),
                path: format!("{at}.place"),
            });
        }
        match (kind.contact.names_parties(), self.with.is_empty()) {
            (true, true) => {
                return Err(RecordError::MetRequired {
                    entry: self.id.clone(),
                    kind: self.kind.clone(),
                    path: format!("{at}.with"),
                })
            }
            (false, false) => {
                return Err(RecordError::MetNotAllowed {
                    entry: self.id.clone(),
                    kind: self.kind.clone(),
                    path: format!("{at}.with"),
                })
            }
            _ => {}
        }
        no_repeats(
            self.with.iter(),
            |p| p.code().to_string(),
            &format!("{at}.with"),
        )?;
        for (i, code) in self.issues.iter().enumerate() {
            tax.check_issue(code, &format!("{at}.issues[{i}]"))?;
        }
        no_repeats(
            self.issues.iter(),
            |c| c.to_string(),
            &format!("{at}.issues"),
        )?;
        no_repeats(
            self.goals.iter(),
            |g| format!("{}/{}", g.plan, g.goal),
            &format!("{at}.goals"),
        )?;
        Ok(())
    }
}

/// `duplicate_reference` at `{path}[i]` for the first item equal to an earlier one.
fn no_repeats<'a, T: Eq + std::hash::Hash + 'a>(
    items: impl Iterator<Item = &'a T>,
    show: impl Fn(&T) -> String,
    path: &str,
) -> Result<(), RecordError> {
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.enumerate() {
        if !seen.insert(item) {
            return Err(RecordError::DuplicateReference {
                value: show(item),
                path: format!("{path}[{i}]"),
            });
        }
    }
    Ok(())
}

/// The entries of a registry: every entry ever written (corrected ones included), with indexes
/// by id and by case, and which entry superseded which.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EntryLog {
    entries: Vec<RecordEntry>,
    #[serde(skip)]
    index: std::collections::BTreeMap<EntryId, usize>,
    #[serde(skip)]
    by_case: std::collections::BTreeMap<CaseId, Vec<usize>>,
    #[serde(skip)]
    superseded_by: std::collections::BTreeMap<EntryId, EntryId>,
}

impl EntryLog {
    /// Entry by id (a corrected one included).
    pub fn get(&self, id: &EntryId) -> Option<&RecordEntry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }
    /// Every entry in the order written.
    pub fn all(&self) -> &[RecordEntry] {
        &self.entries
    }
    /// The entries of a case in the order written (corrected ones included).
    pub fn of_case<'a>(&'a self, case: &CaseId) -> impl Iterator<Item = &'a RecordEntry> + 'a {
        self.by_case
            .get(case)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }
    /// The entry that corrected `id`, if one did.
    pub fn superseded_by(&self, id: &EntryId) -> Option<&EntryId> {
        self.superseded_by.get(id)
    }
    /// Whether `id` is the current version (not corrected by a later entry).
    pub fn is_current(&self, id: &EntryId) -> bool {
        !self.superseded_by.contains_key(id)
    }
    /// The versions of an entry, oldest first: the first entry of its chain of corrections up
    /// to the current one. Empty for an unknown id.
    pub fn history(&self, id: &EntryId) -> Vec<&RecordEntry> {
        let Some(mut e) = self.get(id) else {
            return Vec::new();
        };
        while let Some(prev) = e.corrects.as_ref().and_then(|p| self.get(p)) {
            e = prev;
        }
        let mut out = vec![e];
        while let Some(next) = self.superseded_by(&e.id).and_then(|n| self.get(n)) {
            out.push(next);
            e = next;
        }
        out
    }
    /// `entry_superseded` when `corrects` names an entry a later one already corrected.
    pub fn check_correctable(&self, corrects: &EntryId, path: &str) -> Result<(), RecordError> {
        match self.superseded_by.get(corrects) {
            Some(by) => Err(RecordError::EntrySuperseded {
                entry: corrects.clone(),
                by: by.clone(),
                path: path.into(),
            }),
            None => Ok(()),
        }
    }

    /// Add a checked entry.
    pub(crate) fn push(&mut self, entry: RecordEntry) {
        let i = self.entries.len();
        self.index.insert(entry.id.clone(), i);
        self.by_case.entry(entry.case.clone()).or_default().push(i);
        if let Some(old) = &entry.corrects {
            self.superseded_by.insert(old.clone(), entry.id.clone());
        }
        self.entries.push(entry);
    }
}
