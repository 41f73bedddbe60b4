//! Arrow tables of the participation-support (参加支援), community-building (地域づくり) and
//! disaster (災害ケースマネジメント) records of the pseudonymised export, built from
//! `tsunagu::stats::SupportTables` with the same column helpers as the other export tables
//! (pseudonyms through `pseudonym_column`). What each column holds, and what never leaves, is decided
//! in the core (`stats::export_support`); this file only lays the rows out as columns.
//!
//! Sets (a resource's areas, an activity's stages) are list columns: one row per resource or
//! activity, `explode` them for per-area or per-stage figures.

use super::{code, dates, pseudonym_column, strings, table, ArrowTable};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, BooleanArray, StringArray, UInt32Array};
use pyo3::prelude::*;
use std::sync::Arc;
use tsunagu::stats::{ExportTables, SupportTables};

/// Names of the support tables, in order (they follow the six case tables in `EXPORT_TABLES`).
pub const SUPPORT_TABLES: [&str; 9] = [
    "resources",
    "matches",
    "match_follow_ups",
    "resource_gaps",
    "activities",
    "activity_sessions",
    "disaster_records",
    "disaster_visits",
    "disaster_dispatches",
];

/// Row counts of the support tables, in order.
pub fn counts(t: &ExportTables) -> Vec<(&'static str, usize)> {
    let s = &t.support;
    let n = [
        s.resources.len(),
        s.matches.len(),
        s.follow_ups.len(),
        s.gaps.len(),
        s.activities.len(),
        s.sessions.len(),
        s.disaster_records.len(),
        s.visits.len(),
        s.dispatches.len(),
    ];
    SUPPORT_TABLES.into_iter().zip(n).collect()
}

fn u32s(v: impl IntoIterator<Item = u32>) -> ArrayRef {
    Arc::new(UInt32Array::from_iter_values(v))
}

fn opt_u32s(v: impl IntoIterator<Item = Option<u32>>) -> ArrayRef {
    Arc::new(UInt32Array::from_iter(v))
}

fn opt_strings(v: impl IntoIterator<Item = Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from_iter(v))
}

fn owned(v: impl IntoIterator<Item = String>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(v))
}

fn bools(v: impl IntoIterator<Item = bool>) -> ArrayRef {
    Arc::new(BooleanArray::from_iter(v.into_iter().map(Some)))
}

/// A list-of-strings column (one list per row; an empty list is not null).
fn lists<'a, I, S>(rows: I) -> ArrayRef
where
    I: IntoIterator<Item = S>,
    S: IntoIterator<Item = &'a str>,
{
    let mut b = ListBuilder::new(StringBuilder::new());
    for row in rows {
        for s in row {
            b.values().append_value(s);
        }
        b.append(true);
    }
    Arc::new(b.finish())
}

/// One support table by name; `KeyError` for a name that is not one.
pub fn support_table(t: &ExportTables, name: &str) -> PyResult<ArrowTable> {
    let s: &SupportTables = &t.support;
    match name {
        "resources" => {
            let r = &s.resources;
            table(
                name,
                vec![
                    (
                        "resource",
                        pseudonym_column(r.iter().map(|x| Some(x.resource))),
                    ),
                    ("kind", strings(r.iter().map(|x| x.kind.as_str()))),
                    (
                        "areas",
                        lists(r.iter().map(|x| x.areas.iter().map(|a| a.as_str()))),
                    ),
                    (
                        "capacity_limit",
                        opt_u32s(r.iter().map(|x| x.capacity_limit)),
                    ),
                    (
                        "capacity_current",
                        opt_u32s(r.iter().map(|x| x.capacity_current)),
                    ),
                    (
                        "contact_agency",
                        pseudonym_column(r.iter().map(|x| Some(x.contact))),
                    ),
                ],
            )
        }
        "matches" => {
            let m = &s.matches;
            table(
                name,
                vec![
                    ("match", pseudonym_column(m.iter().map(|x| Some(x.r#match)))),
                    ("person", pseudonym_column(m.iter().map(|x| Some(x.person)))),
                    (
                        "resource",
                        pseudonym_column(m.iter().map(|x| Some(x.resource))),
                    ),
                    ("stage", strings(m.iter().map(|x| x.stage.code()))),
                    ("proposed_on", dates(m.iter().map(|x| Some(x.proposed_on)))),
                    ("tried_on", dates(m.iter().map(|x| x.tried_on))),
                    ("continuing_on", dates(m.iter().map(|x| x.continuing_on))),
                    ("stopped_on", dates(m.iter().map(|x| x.stopped_on))),
                    (
                        "stop_reason",
                        opt_strings(m.iter().map(|x| x.stop_reason.map(|r| r.code().into()))),
                    ),
                ],
            )
        }
        "match_follow_ups" => {
            let f = &s.follow_ups;
            table(
                name,
                vec![
                    ("match", pseudonym_column(f.iter().map(|x| Some(x.r#match)))),
                    ("on", dates(f.iter().map(|x| Some(x.on)))),
                    ("observation", owned(f.iter().map(|x| code(&x.observation)))),
                ],
            )
        }
        "resource_gaps" => {
            let g = &s.gaps;
            table(
                name,
                vec![
                    ("area", strings(g.iter().map(|x| x.area.as_str()))),
                    ("need", strings(g.iter().map(|x| x.need.as_str()))),
                    ("month", dates(g.iter().map(|x| Some(x.month)))),
                    ("persons", u32s(g.iter().map(|x| x.persons))),
                ],
            )
        }
        "activities" => {
            let a = &s.activities;
            table(
                name,
                vec![
                    (
                        "activity",
                        pseudonym_column(a.iter().map(|x| Some(x.activity))),
                    ),
                    (
                        "small_area",
                        strings(a.iter().map(|x| x.small_area.as_str())),
                    ),
                    (
                        "daily_life_area",
                        opt_strings(
                            a.iter()
                                .map(|x| x.daily_life_area.as_ref().map(|d| d.to_string())),
                        ),
                    ),
                    ("operator", owned(a.iter().map(|x| code(&x.operator)))),
                    ("stages", {
                        let codes: Vec<Vec<String>> = a
                            .iter()
                            .map(|x| x.stages.iter().map(code).collect())
                            .collect();
                        lists(codes.iter().map(|c| c.iter().map(String::as_str)))
                    }),
                    ("resource", pseudonym_column(a.iter().map(|x| x.resource))),
                    ("started_on", dates(a.iter().map(|x| Some(x.started_on)))),
                    ("ended_on", dates(a.iter().map(|x| x.ended_on))),
                ],
            )
        }
        "activity_sessions" => {
            let v = &s.sessions;
            table(
                name,
                vec![
                    (
                        "activity",
                        pseudonym_column(v.iter().map(|x| Some(x.activity))),
                    ),
                    ("on", dates(v.iter().map(|x| Some(x.on)))),
                    ("participants", u32s(v.iter().map(|x| x.participants))),
                    ("supporters", u32s(v.iter().map(|x| x.supporters))),
                ],
            )
        }
        "disaster_records" => {
            let r = &s.disaster_records;
            table(
                name,
                vec![
                    ("record", pseudonym_column(r.iter().map(|x| Some(x.record)))),
                    (
                        "household",
                        pseudonym_column(r.iter().map(|x| Some(x.household))),
                    ),
                    (
                        "disaster",
                        pseudonym_column(r.iter().map(|x| Some(x.disaster))),
                    ),
                    ("opened_on", dates(r.iter().map(|x| Some(x.opened_on)))),
                    ("damage", owned(r.iter().map(|x| code(&x.damage)))),
                    ("housing_stage", strings(r.iter().map(|x| x.housing_stage))),
                    ("rank", strings(r.iter().map(|x| x.rank.as_str()))),
                    ("phase_ended", bools(r.iter().map(|x| x.ended_on.is_some()))),
                    ("ended_on", dates(r.iter().map(|x| x.ended_on))),
                    ("case", pseudonym_column(r.iter().map(|x| x.case))),
                ],
            )
        }
        "disaster_visits" => {
            let v = &s.visits;
            table(
                name,
                vec![
                    ("record", pseudonym_column(v.iter().map(|x| Some(x.record)))),
                    ("on", dates(v.iter().map(|x| Some(x.on)))),
                    ("role", owned(v.iter().map(|x| code(&x.role)))),
                    ("met", bools(v.iter().map(|x| x.met))),
                    ("rank", strings(v.iter().map(|x| x.rank.as_str()))),
                    (
                        "rank_after",
                        opt_strings(
                            v.iter()
                                .map(|x| x.rank_after.as_ref().map(|r| r.to_string())),
                        ),
                    ),
                ],
            )
        }
        "disaster_dispatches" => {
            let d = &s.dispatches;
            table(
                name,
                vec![
                    (
                        "dispatch",
                        pseudonym_column(d.iter().map(|x| Some(x.dispatch))),
                    ),
                    ("record", pseudonym_column(d.iter().map(|x| Some(x.record)))),
                    ("profession", owned(d.iter().map(|x| code(&x.profession)))),
                    ("purpose", strings(d.iter().map(|x| x.purpose.as_str()))),
                    ("agency", pseudonym_column(d.iter().map(|x| x.agency))),
                    ("status", strings(d.iter().map(|x| x.status))),
                    (
                        "requested_on",
                        dates(d.iter().map(|x| Some(x.requested_on))),
                    ),
                    ("dispatched_on", dates(d.iter().map(|x| x.dispatched_on))),
                    ("reported_on", dates(d.iter().map(|x| x.reported_on))),
                    (
                        "outcome",
                        opt_strings(d.iter().map(|x| x.outcome.as_ref().map(code))),
                    ),
                ],
            )
        }
        other => Err(pyo3::exceptions::PyKeyError::new_err(other.to_string())),
    }
}
