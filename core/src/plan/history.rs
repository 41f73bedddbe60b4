//! Plan versions (支援プランの履歴): [`PlanHistory`] keeps every version of one plan and is the
//! only way a version changes (re-plan, consent, monitoring); [`overdue_monitoring`] reads the
//! current versions.

use super::*;
use crate::agency::Directory;
use crate::calendar::not_in_future;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Plans whose monitoring is overdue on `today`: due strictly before `today`.
///
/// Only the current (highest) version of each plan id counts, whatever order the versions come
/// in. Plans without consent and concluded versions are never overdue (see
/// [`SupportPlan::next_monitoring_due`]). Sorted most overdue first, then by plan id.
pub fn overdue_monitoring<'a>(
    plans: impl IntoIterator<Item = &'a SupportPlan>,
    today: NaiveDate,
) -> Vec<OverdueMonitoring> {
    let mut current: BTreeMap<&PlanId, &SupportPlan> = BTreeMap::new();
    for p in plans {
        let slot = current.entry(&p.id).or_insert(p);
        if p.version > slot.version {
            *slot = p;
        }
    }
    let mut out: Vec<OverdueMonitoring> = current
        .values()
        .filter_map(|p| {
            let due = p.next_monitoring_due()?;
            (due < today).then(|| OverdueMonitoring {
                plan: p.id.clone(),
                version: p.version,
                case: p.case.clone(),
                due_on: due,
                days_overdue: (today - due).num_days(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then_with(|| a.plan.cmp(&b.plan))
    });
    out
}

/// Every version of one support plan (支援プランの履歴). Never empty; versions run 1, 2, … and
/// only the last ([`PlanHistory::current`]) can change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "PlanHistoryDocument", into = "PlanHistoryDocument")]
pub struct PlanHistory {
    versions: Vec<SupportPlan>,
}

/// Serialized form of a [`PlanHistory`]; checked on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanHistoryDocument {
    /// Versions, oldest first.
    pub versions: Vec<SupportPlan>,
}

impl TryFrom<PlanHistoryDocument> for PlanHistory {
    type Error = PlanError;
    fn try_from(doc: PlanHistoryDocument) -> Result<Self, PlanError> {
        let Some(first) = doc.versions.first() else {
            return Err(PlanError::InvalidPlan {
                plan: PlanId::new(""),
                path: "$.versions".into(),
                reason: "a plan history has at least one version",
            });
        };
        for (i, v) in doc.versions.iter().enumerate() {
            v.validate_structure()?;
            if v.id != first.id || v.case != first.case {
                return Err(PlanError::PlanMismatch {
                    plan: v.id.clone(),
                    case: v.case.clone(),
                    current: first.id.clone(),
                    current_case: first.case.clone(),
                });
            }
            let expected = i as u32 + 1;
            if v.version != expected {
                return Err(PlanError::PlanVersionConflict {
                    plan: v.id.clone(),
                    got: v.version,
                    expected,
                });
            }
        }
        Ok(PlanHistory {
            versions: doc.versions,
        })
    }
}

impl From<PlanHistory> for PlanHistoryDocument {
    fn from(h: PlanHistory) -> Self {
        PlanHistoryDocument {
            versions: h.versions,
        }
    }
}

impl PlanHistory {
    /// Start a history with version 1 of a plan.
    ///
    /// Checks [`SupportPlan::validate`], that the version is 1, that it has no monitoring records
    /// yet, and that `created_on` and any consent date are not after `today`.
    ///
    /// Codes: `invalid_plan`, `duplicate_id`, `unknown_goal`, `unknown_agency`,
    /// `plan_version_conflict`, `date_in_future`.
    pub fn new(
        plan: SupportPlan,
        directory: &Directory,
        today: NaiveDate,
    ) -> Result<Self, PlanError> {
        if plan.version != 1 {
            return Err(PlanError::PlanVersionConflict {
                plan: plan.id.clone(),
                got: plan.version,
                expected: 1,
            });
        }
        check_new_version(&plan, directory, today)?;
        Ok(PlanHistory {
            versions: vec![plan],
        })
    }

    /// The current (latest) version.
    pub fn current(&self) -> &SupportPlan {
        self.versions.last().expect("a plan history is never empty")
    }

    /// Every version, oldest first (read-only).
    pub fn versions(&self) -> &[SupportPlan] {
        &self.versions
    }

    /// Version `n` (from 1), if it exists.
    pub fn version(&self, n: u32) -> Option<&SupportPlan> {
        n.checked_sub(1)
            .and_then(|i| self.versions.get(usize::try_from(i).ok()?))
    }

    /// Re-plan (リプラン): add `next` as the new current version; earlier versions stay as they
    /// were.
    ///
    /// `next` must have the same plan id and case, version = current + 1, no monitoring records,
    /// and a `created_on` not before the current version's creation nor its latest monitoring
    /// record, and not after `today`. A re-plan does not require the current version's monitoring
    /// to have decided `replan`: a 重層的支援会議 may revise a plan at any time.
    ///
    /// Codes: as [`PlanHistory::new`], plus `plan_mismatch` and `invalid_plan` at `$.created_on`.
    pub fn replan(
        &mut self,
        next: SupportPlan,
        directory: &Directory,
        today: NaiveDate,
    ) -> Result<&SupportPlan, PlanError> {
        let cur = self.current();
        if next.id != cur.id || next.case != cur.case {
            return Err(PlanError::PlanMismatch {
                plan: next.id.clone(),
                case: next.case.clone(),
                current: cur.id.clone(),
                current_case: cur.case.clone(),
            });
        }
        if next.version != cur.version + 1 {
            return Err(PlanError::PlanVersionConflict {
                plan: next.id.clone(),
                got: next.version,
                expected: cur.version + 1,
            });
        }
        let floor = cur
            .records
            .last()
            .map_or(cur.created_on, |r| r.on.max(cur.created_on));
        if next.created_on < floor {
            return Err(next.invalid(
                "$.created_on",
                "a new version cannot predate the current version or its monitoring",
            ));
        }
        check_new_version(&next, directory, today)?;
        self.versions.push(next);
        Ok(self.current())
    }

    /// Record the person's consent to the current version.
    ///
    /// Codes: `already_consented`, `invalid_plan` (consent before the plan was made),
    /// `date_in_future`.
    pub fn record_consent(
        &mut self,
        consent: PlanConsent,
        today: NaiveDate,
    ) -> Result<(), PlanError> {
        let cur = self.current();
        if cur.consent.is_some() {
            return Err(PlanError::AlreadyConsented {
                plan: cur.id.clone(),
                version: cur.version,
            });
        }
        if consent.on < cur.created_on {
            return Err(cur.invalid("$.on", "consent is before the plan was made"));
        }
        not_in_future(consent.on, today, "$.on")?;
        self.current_mut().consent = Some(consent);
        Ok(())
    }

    /// Record a monitoring of the current version.
    ///
    /// The version must have consent; the record must not predate the plan or the latest record,
    /// nor follow a record that decided re-plan or close, nor be after `today`; every goal it
    /// reviews must exist in the current version, each at most once. Nothing changes on error.
    ///
    /// Codes: `plan_not_consented`, `monitoring_before_plan`, `monitoring_out_of_order`,
    /// `monitoring_concluded`, `unknown_goal`, `duplicate_id`, `date_in_future`.
    pub fn record_monitoring(
        &mut self,
        record: MonitoringRecord,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, PlanError> {
        let cur = self.current();
        cur.check_record(&record, "$", &cur.records)?;
        not_in_future(record.on, today, "$.on")?;
        let cur = self.current_mut();
        cur.records.push(record);
        Ok(cur.next_monitoring_due())
    }

    /// Record that an action of the current version was done on `on` (完了).
    ///
    /// Only the current version takes it (earlier versions are read-only; an action carried into
    /// a new version is completed there). The date must not precede the version's creation nor
    /// follow `today`. Completing an action does not need consent to the plan nor an unconcluded
    /// version: work agreed in a plan may finish after the monitoring that closed it. Nothing
    /// changes on error.
    ///
    /// Codes: `unknown_action` (`$.action`), `action_already_done` (`$.action`), `invalid_plan`
    /// (`$.on`, before the version was made), `date_in_future` (`$.on`).
    pub fn complete_action(
        &mut self,
        action: &ActionId,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), PlanError> {
        let cur = self.current();
        let Some(a) = cur.action(action) else {
            return Err(PlanError::UnknownAction {
                plan: cur.id.clone(),
                action: action.clone(),
                path: "$.action".into(),
            });
        };
        if let Some(done) = a.done_on {
            return Err(PlanError::ActionAlreadyDone {
                plan: cur.id.clone(),
                version: cur.version,
                action: action.clone(),
                on: done,
            });
        }
        if on < cur.created_on {
            return Err(cur.invalid("$.on", "done date is before the plan was made"));
        }
        not_in_future(on, today, "$.on")?;
        if let Some(a) = self
            .current_mut()
            .actions
            .iter_mut()
            .find(|a| &a.id == action)
        {
            a.done_on = Some(on);
        }
        Ok(())
    }

    fn current_mut(&mut self) -> &mut SupportPlan {
        self.versions
            .last_mut()
            .expect("a plan history is never empty")
    }
}

fn check_new_version(
    plan: &SupportPlan,
    directory: &Directory,
    today: NaiveDate,
) -> Result<(), PlanError> {
    plan.validate(directory)?;
    if !plan.records.is_empty() {
        return Err(plan.invalid(
            "$.records",
            "a new version starts without monitoring records",
        ));
    }
    not_in_future(plan.created_on, today, "$.created_on")?;
    for (i, a) in plan.actions.iter().enumerate() {
        if let Some(done) = a.done_on {
            not_in_future(done, today, &format!("$.actions[{i}].done_on"))?;
        }
    }
    if let Some(c) = &plan.consent {
        not_in_future(c.on, today, "$.consent.on")?;
    }
    Ok(())
}
