//! Statistics of case commands (ケースの流れ): a case opened (a first consultation at intake),
//! and what each lifecycle command contributes ([`CaseFact`]: engagement, assessment issues,
//! decisions, closures, reopening); in the export, the cases and issues tables.

use super::sink::{FactSink, Facts, Rows};
use crate::case::{CaseCommand, Outcome};
use crate::error::Error;
use crate::ids::*;
use crate::registry::{CaseAction, OpenCase, OpenOutreachCase};
use crate::stats::export::exporter::{outcome_rank, Exporter};
use crate::stats::export::tables::IssueRow;
use crate::stats::position::Position;
use chrono::NaiveDate;

/// The distinct issue codes of an assessment, as numbers of the partial's issue-code table:
/// numbers below 64 as bits (no allocation in the usual case), the rest sorted in `more`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(in crate::stats) struct IssueSet {
    bits: u64,
    more: Vec<u32>,
}

impl IssueSet {
    /// Add number `i`.
    pub(in crate::stats) fn insert(&mut self, i: u32) {
        if i < 64 {
            self.bits |= 1 << i;
        } else if let Err(at) = self.more.binary_search(&i) {
            self.more.insert(at, i);
        }
    }

    /// The numbers in ascending order (set bits by `trailing_zeros`, not a scan of all 64).
    pub(in crate::stats) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bits = self.bits;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                b
            })
        })
        .chain(self.more.iter().copied())
    }

    pub(in crate::stats) fn remapped(&self, to: &[u32]) -> IssueSet {
        let mut s = IssueSet::default();
        for i in self.iter() {
            s.insert(to[i as usize]);
        }
        s
    }
}

/// What one case command contributes to the report (besides its case): the facts a
/// [`super::Ledger`] stores per case command, in journal order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::stats) enum CaseFact {
    /// An outreach case engaged: its first consultation.
    Engage { on: NaiveDate },
    /// An assessment and the distinct issue codes it records (numbers of the issue-code table).
    Assessment {
        at: Position,
        on: NaiveDate,
        codes: IssueSet,
    },
    /// An outcome decided on `on`.
    Decide {
        at: Position,
        on: NaiveDate,
        outcome: Outcome,
    },
    /// Closed on `on` for `reason` (a number of the closure-reason table).
    Close {
        at: Position,
        on: NaiveDate,
        reason: u32,
    },
    /// Reopened on `on`.
    Reopen { at: Position, on: NaiveDate },
}

impl CaseFact {
    /// The fact of a case command at `at` (event date `on`), issue codes numbered by `issue`
    /// and closure reasons by `reason`; `None` for commands the report does not count.
    pub(in crate::stats) fn of(
        at: Position,
        on: NaiveDate,
        action: &CaseCommand,
        mut issue: impl FnMut(&IssueCode) -> u32,
        reason: impl FnOnce(&ClosureReasonCode) -> u32,
    ) -> Option<CaseFact> {
        Some(match action {
            CaseCommand::Engage { intake } => CaseFact::Engage { on: intake.on },
            CaseCommand::RecordAssessment { assessment } => {
                let mut codes = IssueSet::default();
                for m in &assessment.issues {
                    for code in &m.issues {
                        codes.insert(issue(code));
                    }
                }
                CaseFact::Assessment {
                    at,
                    on: assessment.on,
                    codes,
                }
            }
            CaseCommand::Decide { outcome } => CaseFact::Decide {
                at,
                on,
                outcome: *outcome,
            },
            CaseCommand::Close { reason: r, on, .. } => CaseFact::Close {
                at,
                on: *on,
                reason: reason(r),
            },
            CaseCommand::Reopen { on } => CaseFact::Reopen { at, on: *on },
            CaseCommand::BeginAssessment
            | CaseCommand::AdoptPlan { .. }
            | CaseCommand::StartMonitoring
            | CaseCommand::ContinueSupport
            | CaseCommand::Replan
            | CaseCommand::CarryOver { .. }
            | CaseCommand::TransferResponsibility { .. } => return None,
        })
    }
}

impl Facts for OpenCase {
    fn facts(&self, _: Position, _: NaiveDate, sink: &mut impl FactSink) {
        sink.open(&self.case, &self.subject, self.intake.on, true);
    }
}
impl Rows for OpenCase {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let on = self.intake.on;
        x.open(&self.case, &self.household, &self.subject, on, Some(on));
        Ok(())
    }
}

impl Facts for OpenOutreachCase {
    fn facts(&self, _: Position, _: NaiveDate, sink: &mut impl FactSink) {
        sink.open(&self.case, &self.subject, self.outreach.on, false);
    }
}
impl Rows for OpenOutreachCase {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let on = self.outreach.on;
        x.open(&self.case, &self.household, &self.subject, on, None);
        Ok(())
    }
}

impl Facts for CaseAction {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        sink.case_action(at, on, &self.case, &self.action);
    }
}
impl Rows for CaseAction {
    fn rows(&self, on: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let case = &self.case;
        if !x.cases.contains_key(case) {
            return Ok(());
        }
        match &self.action {
            CaseCommand::Engage { intake } => {
                let subject = x.subjects.get(case).cloned();
                let band = subject.map(|s| x.band_at(&s, intake.on));
                if let Some((row, _)) = x.cases.get_mut(case) {
                    row.first_consultation_on.get_or_insert(intake.on);
                    if let Some(b) = band {
                        row.age_band = b;
                    }
                }
            }
            CaseCommand::RecordAssessment { assessment } => {
                let mut rows = Vec::new();
                let case_p = x.case_pseudonym(case);
                for m in &assessment.issues {
                    let member = m
                        .member
                        .as_ref()
                        .map(|p| x.key.pseudonym("person", p.as_str()));
                    for code in &m.issues {
                        let n = x.issue_index.len() as u32;
                        let issue = *x.issue_index.entry(code.clone()).or_insert(n);
                        rows.push(IssueRow {
                            case: case_p,
                            member,
                            issue,
                        });
                    }
                }
                if let Some((_, issues)) = x.cases.get_mut(case) {
                    *issues = rows;
                }
            }
            CaseCommand::Decide { outcome } => {
                if let Some((row, _)) = x.cases.get_mut(case) {
                    if row
                        .outcome
                        .is_none_or(|o| outcome_rank(o) < outcome_rank(*outcome))
                    {
                        row.outcome = Some(*outcome);
                    }
                    if *outcome == Outcome::InformationOnly {
                        row.closed_on = Some(on);
                        row.closure_reason = Some(crate::case::INFORMATION_ONLY_REASON.into());
                    }
                }
            }
            CaseCommand::Close { reason, on, .. } => {
                if let Some((row, _)) = x.cases.get_mut(case) {
                    row.closed_on = Some(*on);
                    row.closure_reason = Some(reason.clone());
                }
            }
            CaseCommand::Reopen { .. } => {
                if let Some((row, _)) = x.cases.get_mut(case) {
                    row.closed_on = None;
                    row.closure_reason = None;
                }
            }
            CaseCommand::BeginAssessment
            | CaseCommand::AdoptPlan { .. }
            | CaseCommand::StartMonitoring
            | CaseCommand::ContinueSupport
            | CaseCommand::Replan
            | CaseCommand::CarryOver { .. }
            | CaseCommand::TransferResponsibility { .. } => {}
        }
        Ok(())
    }
}
