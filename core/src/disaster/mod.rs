//! Disaster case management (災害ケースマネジメント, seeds 000): affected-household records,
//! watching-over visits by risk rank, dispatch of professionals, and the end of the disaster
//! phase, when households move into ordinary cases without losing their history.
//!
//! A [`DisasterRecord`] holds a household's damage level (罹災証明の被害程度), its housing stages
//! with dated moves (避難所 → 応急仮設 / みなし仮設 → 災害公営住宅 / 自宅再建, or 広域避難), the
//! disaster-specific issues (taxonomy codes such as `disaster_recovery`,
//! `disaster_loan_repayment` for 災害援護資金, `wide_area_evacuee`), watching-over visits (見守り
//! 訪問) by support-centre staff and LSA, risk assessments, and dispatches of professionals
//! (専門職派遣 — lawyers, the "サポ弁", health and welfare experts) with their own small
//! lifecycle (requested → dispatched → reported).
//!
//! The risk rank sets the visit interval through data ([`VisitIntervals`], default A 7, B 14,
//! C 30, D 90 days); [`visits_due`] and [`visits_overdue`] list the households to visit.
//! [`end_disaster_phase`] produces a [`TransitionToOrdinary`]: what an ordinary case needs, and
//! the record itself, ended and read-only — it is kept and linked, never deleted ("from disaster
//! support to community welfare"). Every command on an ended record except linking its case is
//! rejected with `phase_ended`.
//!
//! This module does not open the ordinary case (see `case`) nor store events (see `journal`).

mod apply;
mod command;
mod error;
mod ids;
mod intervals;
mod phase_end;
mod record;
mod visits;

pub use command::*;
pub use error::DisasterError;
pub use ids::*;
pub use intervals::*;
pub use phase_end::*;
pub use record::*;
pub use visits::*;

#[cfg(test)]
mod tests;
