//! Errors (エラー): the one public error type of the API.
//!
//! Each area of the domain (calendar, taxonomy, household, case, plan, referral …) owns its own
//! error enum and returns it; an area that calls a lower one wraps its error (`#[from]`). The
//! entry points (registry, sync, stats, schema) and the bindings return [`Error`], which gathers
//! them: converting an area error into [`Error`] lifts a wrapped lower error to its own area's
//! variant, so `Error::Agency(…)` is an agency error wherever it was raised.
//!
//! Every error has a stable snake_case [`Error::code`] that bindings expose unchanged, a message
//! that carries ids but never names or notes (messages end up in logs), where there is one the
//! JSON path of the offending field ([`Error::path`]), and an [`ErrorKind`] ([`Error::kind`]) that
//! every binding maps to its language's class in one table.
//!
//! **Stability:** a code is never renamed or reused. `tests/error_codes.rs` keeps a snapshot of the
//! full list ([`all_codes`]) and of each code's kind ([`kind_of_code`]).

pub use crate::coded::{from_json, from_toml, Coded, DocumentError, ErrorKind};

macro_rules! core_error {
    ($( $(#[$doc:meta])* $variant:ident($ty:ty) ),* $(,)?) => {
        /// The core's error: one variant per area of the domain.
        #[derive(Debug, Clone, PartialEq, thiserror::Error)]
        #[non_exhaustive]
        pub enum Error {
            /// A document that does not parse.
            #[error(transparent)]
            Document(#[from] DocumentError),
            $( $(#[$doc])* #[error(transparent)] $variant($ty), )*
            /// An example error of a given code, built by [`Error::example`] for the bindings'
            /// class tests.
            #[doc(hidden)]
            #[error("example error `{0}`")]
            Example(&'static str),
        }

        impl Error {
            /// Stable snake_case code.
            pub fn code(&self) -> &'static str {
                match self {
                    Error::Document(e) => e.code(),
                    $( Error::$variant(e) => e.code(), )*
                    Error::Example(code) => code,
                }
            }
            /// JSON path of the offending field, where there is one.
            pub fn path(&self) -> Option<String> {
                match self {
                    Error::Document(e) => e.path(),
                    $( Error::$variant(e) => e.path(), )*
                    Error::Example(_) => None,
                }
            }
            /// What kind of failure this is; the same for every error of one code.
            pub fn kind(&self) -> ErrorKind {
                let kind = match self {
                    Error::Document(e) => e.kind(),
                    $( Error::$variant(e) => e.kind(), )*
                    Error::Example(code) => kind_of_code(code).unwrap_or(ErrorKind::Invalid),
                };
                debug_assert_eq!(
                    kind_of_code(self.code()),
                    Some(kind),
                    "the kind of `{}` disagrees with the code table",
                    self.code()
                );
                kind
            }
        }
    };
}

core_error! {
    /// Japanese era dates, fiscal years, school stages.
    Calendar(crate::calendar::CalendarError),
    /// Taxonomy documents and codes.
    Taxonomy(crate::taxonomy::TaxonomyError),
    /// Household and person validation.
    Household(crate::household::HouseholdError),
    /// Agency directory.
    Agency(crate::agency::AgencyError),
    /// Case lifecycle.
    Case(crate::case::CaseError),
    /// Support plans and monitoring.
    Plan(crate::plan::PlanError),
    /// Referrals and liaison contacts.
    Referral(crate::referral::ReferralError),
    /// Routing rule documents and evaluation.
    Routing(crate::routing::RoutingError),
    /// Meeting types and records.
    Meeting(crate::meeting::MeetingError),
    /// Consent records.
    Consent(crate::consent::ConsentError),
    /// Disclosure decisions.
    Disclosure(crate::disclosure::DisclosureError),
    /// The case journal and its stores.
    Journal(crate::journal::JournalError),
    /// Cross-entity rules of the registry.
    Registry(crate::registry::RegistryError),
    /// Participation support: social resources, matching, follow-ups, resource gaps.
    Participation(crate::participation::ParticipationError),
    /// Community building: activities, sessions, per-area statistics.
    Community(crate::community::CommunityError),
    /// Disaster case management: affected households, visits, dispatches, phase end.
    Disaster(crate::disaster::DisasterError),
    /// Merging device journals and resolving conflicts.
    Sync(crate::sync::SyncError),
    /// Statistics: annual reports, partial reports, the pseudonymised export.
    Stats(crate::stats::StatsError),
    /// Workers, roles, case teams and the actor of a command.
    Worker(crate::worker::WorkerError),
    /// Access policy documents, refused reads (address restriction, access denied).
    Access(crate::access::AccessError),
    /// The person master: records, the マイナンバー refusal, search, merges and splits.
    Person(crate::person::PersonError),
    /// The case record: entries, outreach, attachments, the blob table.
    Record(crate::record::RecordError),
    /// Forms: definitions, municipal extensions and submissions.
    Forms(crate::forms::FormError),
    /// Retention (保存年限) policies and erasures.
    Retention(crate::retention::RetentionError),
    /// Limits: an input over a configured maximum, a configured value out of range.
    Limits(crate::limits::LimitError),
}

/// Hands every area's error type (and [`DocumentError`]) to the macro `$m` as
/// `$m!(Type, Type, …)`: the one list a binding uses to convert each of them (kept beside
/// [`Error`], whose variants are the same areas).
#[macro_export]
macro_rules! for_each_area_error {
    ($m:ident) => {
        $m!(
            $crate::error::DocumentError,
            $crate::calendar::CalendarError,
            $crate::taxonomy::TaxonomyError,
            $crate::household::HouseholdError,
            $crate::agency::AgencyError,
            $crate::case::CaseError,
            $crate::plan::PlanError,
            $crate::referral::ReferralError,
            $crate::routing::RoutingError,
            $crate::meeting::MeetingError,
            $crate::consent::ConsentError,
            $crate::disclosure::DisclosureError,
            $crate::journal::JournalError,
            $crate::registry::RegistryError,
            $crate::participation::ParticipationError,
            $crate::community::CommunityError,
            $crate::disaster::DisasterError,
            $crate::sync::SyncError,
            $crate::stats::StatsError,
            $crate::worker::WorkerError,
            $crate::access::AccessError,
            $crate::person::PersonError,
            $crate::record::RecordError,
            $crate::forms::FormError,
            $crate::retention::RetentionError,
            $crate::limits::LimitError,
        );
    };
}

/// `From<AreaError> for Error`: the area's own errors become its variant; a wrapped lower
/// area's error is lifted to that area's variant (flattened), so an error has one place in
/// [`Error`] whichever area raised it.
macro_rules! gather {
    ($( $ty:ident => $variant:ident $( { $( $inner:ident ),* } )? ; )*) => {
        $(
            impl From<$ty> for Error {
                fn from(e: $ty) -> Self {
                    debug_assert_eq!(
                        kind_of_code(e.code()),
                        Some(e.kind()),
                        "the kind of `{}` disagrees with the code table",
                        e.code()
                    );
                    #[allow(unreachable_patterns)]
                    match e {
                        $( $( $ty::$inner(inner) => Error::from(inner), )* )?
                        other => Error::$variant(other),
                    }
                }
            }
        )*
    };
}

use crate::access::AccessError;
use crate::agency::AgencyError;
use crate::calendar::CalendarError;
use crate::case::CaseError;
use crate::community::CommunityError;
use crate::consent::ConsentError;
use crate::disaster::DisasterError;
use crate::disclosure::DisclosureError;
use crate::forms::FormError;
use crate::household::HouseholdError;
use crate::journal::JournalError;
use crate::limits::LimitError;
use crate::meeting::MeetingError;
use crate::participation::ParticipationError;
use crate::person::PersonError;
use crate::plan::PlanError;
use crate::record::RecordError;
use crate::referral::ReferralError;
use crate::registry::RegistryError;
use crate::retention::RetentionError;
use crate::routing::RoutingError;
use crate::stats::StatsError;
use crate::sync::SyncError;
use crate::taxonomy::TaxonomyError;
use crate::worker::WorkerError;

gather! {
    CalendarError => Calendar;
    TaxonomyError => Taxonomy { Document };
    HouseholdError => Household { Document, Taxonomy, Limit };
    AgencyError => Agency { Document, Taxonomy };
    CaseError => Case { Taxonomy, Agency };
    PlanError => Plan { Agency };
    ReferralError => Referral { Taxonomy, Agency };
    RoutingError => Routing { Document, Limit };
    MeetingError => Meeting { Document, Taxonomy };
    ConsentError => Consent;
    DisclosureError => Disclosure { Taxonomy };
    JournalError => Journal;
    RegistryError => Registry;
    ParticipationError => Participation { Document, Taxonomy, Agency };
    CommunityError => Community;
    DisasterError => Disaster { Document, Taxonomy };
    SyncError => Sync;
    StatsError => Stats;
    WorkerError => Worker { Document, Taxonomy, Agency };
    AccessError => Access { Document };
    PersonError => Person { Calendar };
    RecordError => Record { Document, Taxonomy };
    FormError => Forms { Document };
    RetentionError => Retention { Document };
    LimitError => Limits { Document };
}

impl Error {
    /// An error of `code` for the bindings' class tests: it carries the code and reports the
    /// code's kind, and goes through each binding's one mapping like any other error. `None`
    /// for a code the core does not have.
    #[doc(hidden)]
    pub fn example(code: &str) -> Option<Error> {
        let code = all_codes().into_iter().find(|c| *c == code)?;
        Some(match code {
            "malformed_document" => Error::Document(DocumentError::example(code)?),
            "invalid_rule_document" => Error::Routing(RoutingError::InvalidRuleDocument {
                problems: Vec::new(),
            }),
            _ => Error::Example(code),
        })
    }
}

impl Coded for Error {
    fn code(&self) -> &'static str {
        Error::code(self)
    }
    fn path(&self) -> Option<String> {
        Error::path(self)
    }
    fn kind(&self) -> ErrorKind {
        Error::kind(self)
    }
}

/// Every error code the core can return, sorted. Snapshot-tested: codes are a public contract.
pub fn all_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = DocumentError::CODES.to_vec();
    codes.extend_from_slice(CalendarError::CODES);
    codes.extend_from_slice(crate::calendar::DateInFuture::CODES);
    codes.extend_from_slice(TaxonomyError::CODES);
    codes.extend_from_slice(HouseholdError::CODES);
    codes.extend_from_slice(AgencyError::CODES);
    codes.extend_from_slice(CaseError::CODES);
    codes.extend_from_slice(PlanError::CODES);
    codes.extend_from_slice(ReferralError::CODES);
    codes.extend_from_slice(RoutingError::CODES);
    codes.extend_from_slice(MeetingError::CODES);
    codes.extend_from_slice(ConsentError::CODES);
    codes.extend_from_slice(DisclosureError::CODES);
    codes.extend_from_slice(JournalError::CODES);
    codes.extend_from_slice(RegistryError::CODES);
    codes.extend_from_slice(ParticipationError::CODES);
    codes.extend_from_slice(CommunityError::CODES);
    codes.extend_from_slice(DisasterError::CODES);
    codes.extend_from_slice(SyncError::CODES);
    codes.extend_from_slice(StatsError::CODES);
    codes.extend_from_slice(WorkerError::CODES);
    codes.extend_from_slice(AccessError::CODES);
    codes.extend_from_slice(PersonError::CODES);
    codes.extend_from_slice(RecordError::CODES);
    codes.extend_from_slice(FormError::CODES);
    codes.extend_from_slice(RetentionError::CODES);
    codes.extend_from_slice(LimitError::CODES);
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The kind of every error code (one kind per code, whichever area returns it), sorted by
/// code. Snapshot-tested beside the codes; each area's `kind()` agrees with it (checked on
/// every error in debug builds).
pub const KINDS: &[(&str, ErrorKind)] = {
    use ErrorKind::*;
    &[
        ("access_denied", Consent),
        ("action_already_done", Transition),
        ("activity_ended", Transition),
        ("actor_required", Rule),
        ("address_restricted", Consent),
        ("age_mismatch", Invalid),
        ("agenda_case_without_consent", Consent),
        ("already_consented", Transition),
        ("already_contacted", Transition),
        ("already_exists", AlreadyExists),
        ("already_kept_connected", Transition),
        ("already_merged", Transition),
        ("already_withdrawn", Transition),
        ("assessment_required", Transition),
        ("attachment_changed", Storage),
        ("attendee_without_pledge", Consent),
        ("before_gregorian_calendar", Invalid),
        ("birth_date_in_future", Invalid),
        ("blob_too_large", Rule),
        ("case_already_linked", Rule),
        ("case_closed", Transition),
        ("case_has_plan", Rule),
        ("case_not_on_agenda", Rule),
        ("chain_broken", Storage),
        ("command_not_permitted", Rule),
        ("confidentiality_not_acknowledged", Consent),
        ("consent_not_given", Consent),
        ("consent_required", Consent),
        ("convener_not_designated", Rule),
        ("corrupt_event", Storage),
        ("date_before_birth", Invalid),
        ("date_before_consent_event", Consent),
        ("date_before_last_event", Transition),
        ("date_before_last_transition", Transition),
        ("date_before_meeting", Rule),
        ("date_beyond_horizon", Invalid),
        ("date_in_future", Rule),
        ("date_out_of_order", Rule),
        ("date_outside_era", Invalid),
        ("decision_for_unlisted_case", Rule),
        ("duplicate_activity", AlreadyExists),
        ("duplicate_agency", AlreadyExists),
        ("duplicate_code", Invalid),
        ("duplicate_consent", AlreadyExists),
        ("duplicate_contact", AlreadyExists),
        ("duplicate_decision", Invalid),
        ("duplicate_dispatch", AlreadyExists),
        ("duplicate_id", Invalid),
        ("duplicate_issue", Invalid),
        ("duplicate_match", AlreadyExists),
        ("duplicate_member", Invalid),
        ("duplicate_participant", Invalid),
        ("duplicate_reference", Invalid),
        ("duplicate_resource", AlreadyExists),
        ("duplicate_risk_rank", Invalid),
        ("duplicate_session", AlreadyExists),
        ("duplicate_worker", AlreadyExists),
        ("empty_age_range", Invalid),
        ("empty_consent_scope", Consent),
        ("empty_household", Invalid),
        ("empty_id", Invalid),
        ("empty_period", Invalid),
        ("empty_place", Invalid),
        ("empty_query", Invalid),
        ("empty_text", Invalid),
        ("entry_superseded", Transition),
        ("expiry_before_consent", Consent),
        ("fiscal_year_mismatch", Rule),
        ("fiscal_year_out_of_range", Invalid),
        ("fiscal_year_outside_era", Invalid),
        ("follow_up_not_after", Rule),
        ("future_date", Rule),
        ("gap_area_unknown", NotFound),
        ("handover_required", Transition),
        ("household_erased", Transition),
        ("illegal_referral_transition", Transition),
        ("illegal_transition", Transition),
        ("implausible_age", Invalid),
        ("inconsistent_referral", Rule),
        ("inconsistent_relation", Invalid),
        ("invalid_access_policy", RuleDocument),
        ("invalid_age_bands", Invalid),
        ("invalid_carry_over", Rule),
        ("invalid_code", Invalid),
        ("invalid_content_hash", Invalid),
        ("invalid_date", Invalid),
        ("invalid_follow_up", Rule),
        ("invalid_form_definition", Invalid),
        ("invalid_grade", Invalid),
        ("invalid_interval", Invalid),
        ("invalid_limit", Invalid),
        ("invalid_media_type", Invalid),
        ("invalid_phone", Invalid),
        ("invalid_plan", Invalid),
        ("invalid_reading", Invalid),
        ("invalid_resolution", Invalid),
        ("invalid_retention_policy", RuleDocument),
        ("invalid_rule_document", RuleDocument),
        ("invalid_submission", Invalid),
        ("invalid_variant", Invalid),
        ("journal_conflict", Storage),
        ("key_destroyed", Transition),
        ("key_too_short", Invalid),
        ("last_active_worker", Rule),
        ("limit_exceeded", Invalid),
        ("malformed_document", Document),
        ("malformed_event", Storage),
        ("meeting_not_held", Rule),
        ("meeting_record_required", Consent),
        ("met_not_allowed", Invalid),
        ("met_required", Invalid),
        ("minor_without_parent_consent", Consent),
        ("mismatch", Rule),
        ("missing_key", Storage),
        ("missing_text", Invalid),
        ("monitoring_before_plan", Rule),
        ("monitoring_concluded", Transition),
        ("monitoring_out_of_order", Rule),
        ("multiple_heads", Invalid),
        ("multiple_spouses", Invalid),
        ("my_number_refused", Invalid),
        ("name_required", Invalid),
        ("no_conveners", Invalid),
        ("no_recipients", Consent),
        ("no_roles", Invalid),
        ("no_support_decided", Rule),
        ("no_support_stage", Invalid),
        ("no_team", Transition),
        ("not_a_journal", Storage),
        ("not_allowed_to_convene", Rule),
        ("not_authorised", Transition),
        ("not_found", NotFound),
        ("not_kept_connected", Transition),
        ("not_merged", Transition),
        ("out_of_order", Storage),
        ("over_capacity", Rule),
        ("parent_of_adult", Consent),
        ("personal_info_not_allowed", Consent),
        ("phase_ended", Transition),
        ("phase_not_ended", Transition),
        ("plan_case_mismatch", Rule),
        ("plan_mismatch", Rule),
        ("plan_not_consented", Transition),
        ("plan_version_conflict", Conflict),
        ("pledge_after_meeting", Rule),
        ("proxy_without_basis", Consent),
        ("referral_consent_invalid", Consent),
        ("referral_not_accepted", Transition),
        ("referral_without_basis", Consent),
        ("retention_not_reached", Rule),
        ("rule_set_too_large", Invalid),
        ("same_window", Rule),
        ("same_worker", Rule),
        ("schema_too_new", Storage),
        ("self_reference", Invalid),
        ("self_referral", Rule),
        ("session_outside_activity", Rule),
        ("stage_unchanged", Transition),
        ("stage_without_contact", Rule),
        ("storage", Storage),
        ("tampered_ciphertext", Storage),
        ("unknown_action", NotFound),
        ("unknown_activity", NotFound),
        ("unknown_agency", NotFound),
        ("unknown_code", Invalid),
        ("unknown_consent", NotFound),
        ("unknown_dispatch", NotFound),
        ("unknown_form", NotFound),
        ("unknown_goal", NotFound),
        ("unknown_issue_status", Invalid),
        ("unknown_match", NotFound),
        ("unknown_member", Invalid),
        ("unknown_person", NotFound),
        ("unknown_plan", NotFound),
        ("unknown_resource", NotFound),
        ("unknown_retention_rule", NotFound),
        ("unknown_risk_rank", NotFound),
        ("unknown_worker", NotFound),
        ("unparseable_era_date", Invalid),
        ("unparseable_fiscal_year", Invalid),
        ("unverified_journal", Storage),
        ("urgent_information_only", Rule),
        ("weekday_mismatch", Invalid),
        ("withdrawal_before_consent", Consent),
        ("worker_inactive", Rule),
        ("worker_not_of_agency", Rule),
        ("wrong_master_key", Storage),
    ]
};

/// The kind of an error code (`None` for a code the core does not have).
///
/// ```
/// use tsunagu::error::{kind_of_code, ErrorKind};
/// assert_eq!(kind_of_code("unknown_agency"), Some(ErrorKind::NotFound));
/// assert_eq!(kind_of_code("no_such_code"), None);
/// ```
pub fn kind_of_code(code: &str) -> Option<ErrorKind> {
    KINDS
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| KINDS[i].1)
}
