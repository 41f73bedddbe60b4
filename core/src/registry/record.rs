//! Case-record commands (支援経過記録・アウトリーチ・添付書類): extending the record kinds,
//! writing an entry (or its correction, 訂正), outreach steps, attaching a document; and the
//! registry's queries over the record, with the gathering of one timeline over every record of a
//! case or a person. The record module keeps its own rules; this file checks references (the
//! case exists and is open, a member is in the case's household, an agency is in the directory,
//! a goal belongs to a plan of the case, a corrected entry is of the same case) and dates (not
//! before the case opened).

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry, RegistryError};
use crate::case::Case;
use crate::ids::*;
use crate::record::*;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Extend the record kinds (記録・添付書類の種別) with a municipality's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRecordKinds {
    /// The extension.
    pub kinds: RecordKindsDocument,
}

/// Write a case-record entry (支援経過記録); with `corrects`, a correction (訂正) that
/// supersedes an earlier entry of the same case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteEntry {
    /// The entry.
    pub entry: RecordEntry,
}

/// A step of a case's outreach (アウトリーチ): an attempt, a stage judgement, keeping the case
/// connected without a plan (つながり続ける支援) or stopping it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutreachAction {
    /// The case.
    pub case: CaseId,
    /// The step.
    pub action: OutreachCommand,
}

/// Attach a document by reference (添付書類): its kind, title, media type, SHA-256 and size,
/// and where the host keeps the bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attach {
    /// The attachment.
    pub attachment: Attachment,
}

/// `date_out_of_order` when `on` is before the case opened.
fn not_before_opening(case: &Case, on: NaiveDate, path: &str) -> Result<(), Error> {
    if on < case.opened_on() {
        return Err(RecordError::DateOutOfOrder {
            subject: format!("case `{}`", case.id()),
            on,
            last: case.opened_on(),
            path: path.into(),
        }
        .into());
    }
    Ok(())
}

impl Registry {
    fn record_case(&self, id: &CaseId, path: &str) -> Result<&Case, Error> {
        self.cases
            .get(id)
            .ok_or_else(|| not_found("case", id, path))
    }

    fn open_record_case(&self, id: &CaseId, path: &str) -> Result<&Case, Error> {
        let case = self.record_case(id, path)?;
        if !case.state().is_open() {
            return Err(RegistryError::CaseClosed {
                case: id.clone(),
                path: path.into(),
            }
            .into());
        }
        Ok(case)
    }
}

impl Apply for ExtendRecordKinds {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.record.kinds = reg.record.kinds.extended(&self.kinds, "$.kinds")?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for WriteEntry {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.entry.on, "$.entry.on")]
    }
    /// The id is new; the case exists, and is open unless this is a correction (a closed
    /// case's entries can still be corrected); the date is not before the case opened; a
    /// corrected entry exists, is of the same case and is the current version; members are of
    /// the case's household, agencies in the directory, goals of a plan of the case.
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let e = &self.entry;
        if reg.record.entries.get(&e.id).is_some() {
            return Err(exists("entry", &e.id, "$.entry.id"));
        }
        let case = match &e.corrects {
            None => reg.open_record_case(&e.case, "$.entry.case")?,
            Some(old) => {
                let case = reg.record_case(&e.case, "$.entry.case")?;
                let prev = reg
                    .record
                    .entries
                    .get(old)
                    .ok_or_else(|| not_found("entry", old, "$.entry.corrects"))?;
                if prev.case != e.case {
                    return Err(RegistryError::Mismatch {
                        what: format!("entry `{old}` belongs to another case"),
                        path: "$.entry.corrects".into(),
                    }
                    .into());
                }
                reg.record
                    .entries
                    .check_correctable(old, "$.entry.corrects")?;
                case
            }
        };
        not_before_opening(case, e.on, "$.entry.on")?;
        for (i, party) in e.with.iter().enumerate() {
            match party {
                Party::Person => {}
                Party::Member { person } => {
                    let in_household = reg
                        .households
                        .get(case.household())
                        .is_some_and(|h| h.member(person).is_some());
                    if !in_household {
                        return Err(RecordError::UnknownMember {
                            person: person.clone(),
                            path: format!("$.entry.with[{i}].person"),
                        }
                        .into());
                    }
                }
                Party::Agency { agency } => {
                    reg.directory
                        .check(agency, &format!("$.entry.with[{i}].agency"))?;
                }
            }
        }
        for (i, g) in e.goals.iter().enumerate() {
            let path = format!("$.entry.goals[{i}]");
            let plan = reg
                .plans
                .get(&g.plan)
                .ok_or_else(|| not_found("plan", &g.plan, &format!("{path}.plan")))?;
            if plan.current().case != e.case {
                return Err(RegistryError::Mismatch {
                    what: format!("plan `{}` belongs to another case", g.plan),
                    path: format!("{path}.plan"),
                }
                .into());
            }
            if !plan.versions().iter().any(|v| v.goal(&g.goal).is_some()) {
                return Err(RecordError::UnknownGoal {
                    plan: g.plan.clone(),
                    goal: g.goal.to_string(),
                    path: format!("{path}.goal"),
                }
                .into());
            }
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        self.entry
            .validate(&reg.record.kinds, &reg.taxonomies, "$.entry")?;
        reg.record.entries.push(self.entry.clone());
        Ok(Receipt::Recorded)
    }
}

impl OutreachAction {
    fn date_path(&self) -> &'static str {
        match self.action {
            OutreachCommand::Attempt { .. } => "$.action.attempt.on",
            _ => "$.action.on",
        }
    }
}

impl Apply for OutreachAction {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.action.on(), self.date_path())]
    }
    /// The case exists and is open (stopping keeping-connected also on a closed case); the
    /// date is not before the case opened; an attempt's id is new.
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let case = match self.action {
            OutreachCommand::StopKeepingConnected { .. } => {
                reg.record_case(&self.case, "$.case")?
            }
            _ => reg.open_record_case(&self.case, "$.case")?,
        };
        not_before_opening(case, self.action.on(), self.date_path())?;
        if let OutreachCommand::Attempt { attempt } = &self.action {
            if reg.record.attempt_ids.contains(&attempt.id) {
                return Err(exists("attempt", &attempt.id, "$.action.attempt.id"));
            }
        }
        Ok(())
    }
    /// Apply the step (`record::OutreachTrack::applied`); the stage and keeping-connected
    /// now are read with [`Registry::case_record`] (no receipt of their own, so the receipt
    /// type every binding matches on stays as it is).
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let case = reg.record_case(&self.case, "$.case")?;
        let track = reg
            .record
            .outreach
            .get(&self.case)
            .cloned()
            .unwrap_or_default();
        let next = track.applied(
            &self.case,
            &self.action,
            case.plan(),
            &reg.record.kinds,
            "$.action",
        )?;
        if let OutreachCommand::Attempt { attempt } = &self.action {
            reg.record.attempt_ids.insert(attempt.id.clone());
        }
        reg.record.outreach.insert(self.case.clone(), next);
        Ok(Receipt::Recorded)
    }
}

impl Apply for Attach {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.attachment.on, "$.attachment.on")]
    }
    /// The id is new; the case exists (open or closed: a closing document is attached too);
    /// an entry it came with exists and is of the same case.
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let a = &self.attachment;
        if reg.record.attachment(&a.id).is_some() {
            return Err(exists("attachment", &a.id, "$.attachment.id"));
        }
        reg.record_case(&a.case, "$.attachment.case")?;
        if let Some(entry) = &a.entry {
            let e = reg
                .record
                .entries
                .get(entry)
                .ok_or_else(|| not_found("entry", entry, "$.attachment.entry"))?;
            if e.case != a.case {
                return Err(RegistryError::Mismatch {
                    what: format!("entry `{entry}` belongs to another case"),
                    path: "$.attachment.entry".into(),
                }
                .into());
            }
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        self.attachment
            .validate(&reg.record.kinds, "$.attachment")?;
        reg.record.push_attachment(self.attachment.clone());
        Ok(Receipt::Recorded)
    }
}

// ------------------------------------------------------------------------------ queries

/// The snake_case code serde gives a unit enum value.
fn serde_code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn item(
    on: NaiveDate,
    kind: TimelineKind,
    code: impl Into<String>,
    case: Option<&CaseId>,
    summary: String,
    source: String,
) -> TimelineItem {
    TimelineItem {
        on,
        at: None,
        kind,
        code: code.into(),
        case: case.cloned(),
        summary,
        source,
        superseded_by: None,
    }
}

impl Registry {
    /// The case record: kinds in force, entries, outreach, attachments.
    pub fn case_record(&self) -> &CaseRecord {
        &self.record
    }

    /// Check bytes the host hands back for attachment `id` (`not_found` at `$.attachment`;
    /// `attachment_changed` when the size or SHA-256 differ from the record).
    pub fn verify_attachment(&self, id: &AttachmentId, bytes: &[u8]) -> Result<(), Error> {
        self.record
            .attachment(id)
            .ok_or_else(|| not_found("attachment", id, "$.attachment"))?
            .verify(bytes)
            .map_err(Error::from)
    }

    /// The timeline of a case or a person: [`Registry::timeline_items`], then
    /// [`crate::record::timeline`] with `filter`. Access rules go between the two (see
    /// `record::timeline`).
    pub fn timeline(
        &self,
        subject: &TimelineSubject,
        filter: &TimelineFilter,
    ) -> Result<Vec<TimelineItem>, Error> {
        Ok(timeline(self.timeline_items(subject)?, filter))
    }

    /// Every item on a case or a person, unordered across kinds (gathered by kind in the
    /// order of [`TimelineKind::ALL`], each source in the order recorded). An unknown case is
    /// `not_found` at `$.case`; a person without cases has only their consents and provisions.
    pub fn timeline_items(&self, subject: &TimelineSubject) -> Result<Vec<TimelineItem>, Error> {
        let (cases, person): (BTreeSet<&CaseId>, Option<&PersonId>) = match subject {
            TimelineSubject::Case { case } => {
                let c = self.record_case(case, "$.case")?;
                ([c.id()].into_iter().collect(), None)
            }
            TimelineSubject::Person { person } => (
                self.cases
                    .values()
                    .filter(|c| c.subject() == person)
                    .map(|c| c.id())
                    .collect(),
                Some(person),
            ),
        };
        let mut out = Vec::new();
        for &id in &cases {
            self.case_items(id, &mut out);
        }
        for &id in &cases {
            self.plan_items(id, &mut out);
        }
        for &id in &cases {
            self.entry_items(id, &mut out);
        }
        for &id in &cases {
            self.outreach_items(id, &mut out);
        }
        for c in &self.contacts {
            if let Some(case) = c.case.as_ref().filter(|c| cases.contains(c)) {
                out.push(item(
                    c.on,
                    TimelineKind::Contact,
                    c.channel.code(),
                    Some(case),
                    format!("連絡調整: {}（{}）", c.agency, c.channel.label().ja),
                    format!("contact:{}", c.id),
                ));
            }
        }
        for r in self.referrals.values().filter(|r| cases.contains(&r.case)) {
            out.push(item(
                r.proposed_on,
                TimelineKind::Referral,
                "proposed",
                Some(&r.case),
                format!("つなぎの提案: {} → {}", r.from, r.to),
                format!("referral:{}#0", r.id),
            ));
            for (n, t) in r.history.iter().enumerate() {
                out.push(item(
                    t.on,
                    TimelineKind::Referral,
                    t.to_state.code(),
                    Some(&r.case),
                    format!(
                        "つなぎ: {} {}（{}）",
                        r.to,
                        t.to_state.code(),
                        t.action.code()
                    ),
                    format!("referral:{}#{}", r.id, n + 1),
                ));
            }
        }
        for m in self.meetings.values() {
            if let Some(case) = m.cases.iter().find(|c| cases.contains(c)) {
                out.push(item(
                    m.date,
                    TimelineKind::Meeting,
                    m.meeting_type.as_str(),
                    Some(case),
                    format!("会議: {}", m.meeting_type),
                    format!("meeting:{}", m.id),
                ));
            }
        }
        for (n, p) in self.provisions.iter().enumerate() {
            if cases.contains(&p.case) || person == Some(&p.person) {
                out.push(item(
                    p.on,
                    TimelineKind::Disclosure,
                    serde_code(&p.level),
                    Some(&p.case),
                    format!("第三者提供: {} → {}", p.provider, p.audience),
                    format!("provision:{n}"),
                ));
            }
        }
        if let Some(person) = person {
            for c in self.consents.iter().filter(|c| &c.person == person) {
                let (code, ja) = match c.answer {
                    crate::consent::Answer::Given => ("given", "同意"),
                    crate::consent::Answer::Refused => ("refused", "不同意"),
                };
                out.push(item(
                    c.answered_on,
                    TimelineKind::Consent,
                    code,
                    None,
                    format!("同意の記録: {ja}"),
                    format!("consent:{}#0", c.id),
                ));
                if let Some(w) = c.withdrawn_on {
                    out.push(item(
                        w,
                        TimelineKind::Consent,
                        "withdrawn",
                        None,
                        "同意の撤回".into(),
                        format!("consent:{}#1", c.id),
                    ));
                }
            }
        }
        for &id in &cases {
            for a in self.record.attachments_of(id) {
                let label = self
                    .record
                    .kinds
                    .attachment_kind(&a.kind)
                    .map_or_else(|| a.kind.to_string(), |k| k.ja.clone());
                // An attachment that came with an entry of the same day takes the entry's
                // time, so it follows that entry rather than opening the day.
                let at = a
                    .entry
                    .as_ref()
                    .and_then(|e| self.record.entries.get(e))
                    .filter(|e| e.on == a.on)
                    .and_then(|e| e.at);
                out.push(TimelineItem {
                    at,
                    ..item(
                        a.on,
                        TimelineKind::Attachment,
                        a.kind.as_str(),
                        Some(id),
                        format!("添付: {label}"),
                        format!("attachment:{}", a.id),
                    )
                });
            }
        }
        Ok(out)
    }

    fn case_items(&self, id: &CaseId, out: &mut Vec<TimelineItem>) {
        let Some(c) = self.cases.get(id) else { return };
        let (code, ja) = if c.outreach().is_some() {
            ("open_outreach", "ケース開始（アウトリーチ）")
        } else {
            ("open", "ケース開始（受付）")
        };
        out.push(item(
            c.opened_on(),
            TimelineKind::CaseTransition,
            code,
            Some(id),
            format!("{ja}: {}", c.responsible_window()),
            format!("case:{id}#0"),
        ));
        for (n, t) in c.history().iter().enumerate() {
            out.push(item(
                t.on,
                TimelineKind::CaseTransition,
                t.action.code(),
                Some(id),
                format!(
                    "ケース: {} → {}（{}）",
                    t.from.code(),
                    t.to.code(),
                    t.action.code()
                ),
                format!("case:{id}#{}", n + 1),
            ));
        }
    }

    fn plan_items(&self, id: &CaseId, out: &mut Vec<TimelineItem>) {
        for h in self.plans.values().filter(|h| &h.current().case == id) {
            for v in h.versions() {
                let (code, ja) = if v.version == 1 {
                    ("plan_created", "支援プラン作成")
                } else {
                    ("replan", "リプラン")
                };
                out.push(item(
                    v.created_on,
                    TimelineKind::Plan,
                    code,
                    Some(id),
                    format!("{ja}: 第{}版", v.version),
                    format!("plan:{}#v{}", v.id, v.version),
                ));
                if let Some(consent) = &v.consent {
                    out.push(item(
                        consent.on,
                        TimelineKind::Plan,
                        "plan_consented",
                        Some(id),
                        format!("支援プランへの同意: 第{}版", v.version),
                        format!("plan:{}#v{}/consent", v.id, v.version),
                    ));
                }
                for (n, m) in v.records.iter().enumerate() {
                    out.push(item(
                        m.on,
                        TimelineKind::Monitoring,
                        serde_code(&m.decision),
                        Some(id),
                        format!(
                            "モニタリング: 第{}版（{}）",
                            v.version,
                            serde_code(&m.decision)
                        ),
                        format!("plan:{}#v{}/monitoring{}", v.id, v.version, n),
                    ));
                }
            }
        }
    }

    fn entry_items(&self, id: &CaseId, out: &mut Vec<TimelineItem>) {
        let log = &self.record.entries;
        for e in log.of_case(id) {
            let kind = self
                .record
                .kinds
                .entry_kind(&e.kind)
                .map_or_else(|| e.kind.to_string(), |k| k.ja.clone());
            let with: Vec<String> = e
                .with
                .iter()
                .map(|p| match p {
                    Party::Person => "本人".to_string(),
                    Party::Member { .. } => "世帯員".to_string(),
                    Party::Agency { agency } => format!("関係機関 {agency}"),
                })
                .collect();
            let mut summary = if e.corrects.is_some() {
                format!("訂正: {kind}")
            } else {
                kind
            };
            if !with.is_empty() {
                summary = format!("{summary}（{}）", with.join("・"));
            }
            out.push(TimelineItem {
                on: e.on,
                at: e.at,
                kind: TimelineKind::Entry,
                code: e.kind.to_string(),
                case: Some(id.clone()),
                summary,
                source: format!("entry:{}", e.id),
                superseded_by: log.superseded_by(&e.id).cloned(),
            });
        }
    }

    fn outreach_items(&self, id: &CaseId, out: &mut Vec<TimelineItem>) {
        let Some(t) = self.record.outreach.get(id) else {
            return;
        };
        for a in &t.attempts {
            let method = self
                .record
                .kinds
                .entry_kind(&a.method)
                .map_or_else(|| a.method.to_string(), |k| k.ja.clone());
            out.push(TimelineItem {
                at: a.at,
                ..item(
                    a.on,
                    TimelineKind::Outreach,
                    a.outcome.code(),
                    Some(id),
                    format!("アウトリーチ: {method} — {}", a.outcome.label().ja),
                    format!("attempt:{}", a.id),
                )
            });
        }
        for (n, s) in t.stages.iter().enumerate() {
            out.push(item(
                s.on,
                TimelineKind::Outreach,
                format!("stage_{}", s.to.code()),
                Some(id),
                format!("関係段階: {} → {}", s.from.label().ja, s.to.label().ja),
                format!("outreach:{id}#stage{n}"),
            ));
        }
        for (n, p) in t.kept.iter().enumerate() {
            out.push(item(
                p.from,
                TimelineKind::Outreach,
                "keep_connected",
                Some(id),
                "つながり続ける支援: 開始".into(),
                format!("outreach:{id}#kept{n}"),
            ));
            if let Some(to) = p.to {
                out.push(item(
                    to,
                    TimelineKind::Outreach,
                    "stop_keeping_connected",
                    Some(id),
                    "つながり続ける支援: 終了".into(),
                    format!("outreach:{id}#kept{n}/end"),
                ));
            }
        }
    }
}
