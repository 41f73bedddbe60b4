//! Pseudonymised export (仮名加工した分析用データ): tables of cases, persons, issues, contacts,
//! referrals and meetings for analysis outside the case system.
//!
//! What leaves: codes (issues, agency kinds, sectors, closure reasons, meeting types, states),
//! dates of records (intake, contact, meeting …), and keyed pseudonyms ([`Pseudonymiser`]) in
//! place of every id — of cases, households, persons, agencies (an "agency" may be a single
//! 民生委員 or a neighbour), referrals, contacts and meetings. What never leaves: names, free
//! text (chief complaints, purposes, notes, wishes), birth dates (coarsened to age bands: the
//! person's band on `as_of`, the subject's band on the intake date), persons' and households'
//! areas. The participation, community and disaster tables ([`SupportTables`]) are
//! described below.
//!
//! Small vocabularies are interned: rows hold indices into [`ExportTables::agencies`],
//! [`ExportTables::issue_codes`] and [`ExportTables::age_bands`], so ten million contacts take
//! about 40 bytes each and a binding can hand them to Arrow as dictionary columns.
//!
//! The export is one ordered pass over the journal (agencies and households are registered
//! before they are referenced); it does not re-validate commands.
//!
//! # Participation, community and disaster tables
//!
//! [`SupportTables`] holds the participation support (参加支援), community building (地域づくり)
//! and disaster case management (災害ケースマネジメント) tables, folded in the same ordered pass.
//!
//! The rules of the export hold here too: keyed pseudonyms ([`super::Pseudonymiser`]) in place of
//! every id, codes and record dates leave, names and free text never do. What this module adds is
//! the line between a **place** and a **person**: the area of a social resource, of a community
//! activity and of a resource gap is the figure's key — per-area figures are what the data are for
//! (社会資源の開発, 地域づくり) — and it names a place, so it leaves as the municipality codes it. A
//! person's or a household's area never leaves (no table has one), nor does anything
//! that would place a person: a wide-area evacuee's destination, a worker, a name.
//!
//! Decisions, table by table (column names as in the Python tables):
//!
//! | table | what leaves | what stays in |
//! |---|---|---|
//! | `resources` (社会資源) | pseudonym; kind code; the areas it serves (a place; empty = the whole municipality); capacity limit and current count (numbers, no one in them); the contact agency's pseudonym (as in the other tables) | name (it often names the organiser or a house), days, target, accessibility, free keywords (`tags`) |
//! | `matches` (マッチング) | match, person and resource pseudonyms; the stage after the journal; the dates it was proposed, tried, continued, stopped; the stop reason code | the household (join through `persons`), next follow-up dates (planning, not facts) |
//! | `match_follow_ups` (定着支援) | match pseudonym; date; the observation code | the worker |
//! | `resource_gaps` (社会資源の不足) | area (a place: where the need was found); need code; the **month** counted and the number of persons — one row per area, need and month | the day (see below); a wish that is not a code (typed prose) leaves as `wish:uncoded` |
//! | `activities` (地域活動) | pseudonym; small area and daily-life area (places); operator kind; the stage codes it serves; its resource's pseudonym; start and end dates | name |
//! | `activity_sessions` (開催) | activity pseudonym; date; participant and supporter counts (延べ人数: counts, never persons) | — |
//! | `disaster_records` (被災世帯) | record, household, disaster and linked case pseudonyms; date opened; damage level; the **current housing-stage code** (`wide_area_evacuation`, never where to); the current risk rank; whether the disaster phase ended, and when | the place of a wide-area evacuation, the disaster issues (what is carried over is in the ordinary case's assessment, exported in `issues`), the stage history |
//! | `disaster_visits` (見守り訪問) | record pseudonym; date; visitor role; whether the household was met; the rank in force that day (after the visit) and the rank decided on the visit | the worker |
//! | `disaster_dispatches` (専門職派遣) | dispatch and record pseudonyms; profession; purpose (issue code); sending agency's pseudonym; status; requested, dispatched and reported dates; outcome code | issues found (as above) |
//!
//! **Linkage.** A gap is usually recorded on the day a worker looked for a resource for one
//! person, so a gap's day next to a match's or an intake's day could tie that person to the area
//! — the household's area, which must not leave. Gaps therefore leave counted per month (the
//! annual report's fiscal year is whole months, so its figures can still be recomputed). What
//! remains by design: a match ties a person to a resource and so to the areas that resource
//! serves — where the person goes, not where they live.
//!
//! The disaster id is pseudonymised like every other id (it may be a free string); records of
//! one disaster share its pseudonym. A dispatch id is unique only within its record, so its
//! pseudonym is of the record and dispatch ids together.
//!
//! Like the rest of the export this is a fold over accepted events: it does not re-validate.

pub(super) mod exporter;
pub(super) mod tables;

pub use tables::*;

use super::{AgeBands, Pseudonymiser};
use crate::error::Error;
use crate::ids::IssueCode;
use crate::registry::Event;
use crate::stats::id_tables::IdMap;
use chrono::NaiveDate;
use exporter::Exporter;
use std::collections::BTreeMap;

/// Export the journal `events` as pseudonymised tables. `key` hashes every id; `as_of` is the
/// date on which persons' age bands are taken; `bands` are the age bands (an extra `unknown`
/// band closes the list). Errors: taxonomy or meeting-type extension errors from the journal.
pub fn export<E: std::borrow::Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
    key: &Pseudonymiser,
    as_of: NaiveDate,
    bands: &AgeBands,
) -> Result<ExportTables, Error> {
    let mut x = Exporter {
        key,
        bands,
        tax: crate::stats::id_tables::builtin_taxonomies(),
        types: crate::stats::id_tables::builtin_meeting_types(),
        agency_index: IdMap::default(),
        agencies: Vec::new(),
        issue_index: BTreeMap::new(),
        persons: IdMap::default(),
        person_order: Vec::new(),
        cases: BTreeMap::new(),
        case_pseudonyms: IdMap::default(),
        subjects: IdMap::default(),
        referrals: BTreeMap::new(),
        participation: Default::default(),
        community: Default::default(),
        disaster: Default::default(),
        out: ExportTables::default(),
    };
    for e in events {
        super::fold::rows_of(e.borrow(), &mut x)?;
    }
    let mut out = std::mem::take(&mut x.out);
    for (row, issues) in std::mem::take(&mut x.cases).into_values() {
        out.cases.push(row);
        out.issues.extend(issues);
    }
    for id in &x.person_order {
        if let Some(p) = x.persons.get(id) {
            out.persons.push(PersonRow {
                person: key.pseudonym("person", id.as_str()),
                household: key.pseudonym("household", p.household.as_str()),
                relation: p.relation,
                age_band: x.band_at(id, as_of),
            });
        }
    }
    out.referrals = std::mem::take(&mut x.referrals).into_values().collect();
    out.agencies = std::mem::take(&mut x.agencies);
    let mut codes: Vec<(u32, IssueCode)> = x.issue_index.into_iter().map(|(c, i)| (i, c)).collect();
    codes.sort();
    out.issue_codes = codes.into_iter().map(|(_, c)| c).collect();
    out.age_bands = bands.bands().iter().map(|b| b.code.clone()).collect();
    out.age_bands.push(super::report::UNKNOWN_AGE.into());
    let support = &mut out.support;
    x.disaster.finish(
        &mut support.disaster_records,
        &mut support.visits,
        &mut support.dispatches,
    );
    Ok(out)
}

#[cfg(test)]
mod tests;
