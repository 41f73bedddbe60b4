//! Commands (コマンド): the one [`Command`] type, declared once by `command_list!`, and the
//! journal [`Event`]. Each command is a struct owned by its area's file (`registry/case.rs`,
//! `registry/disaster.rs` …); this file only lists them with their wire names and generates the
//! enum, [`Command::name`] and the exhaustive dispatch `each_command!`.
//!
//! # How every concern reaches every command
//!
//! `each_command!(command, c => expr)` expands to a `match` with one arm per command and no
//! wildcard, `c` bound to the command's struct. Every concern is a trait that every command
//! struct implements in its area's file, and is reached only through `each_command!`:
//!
//! | concern | trait | where the impls live |
//! |---|---|---|
//! | dates recorded, references checked, how it applies | [`Apply`] | `registry/<area>.rs` |
//! | facts folded into the annual report and the ledger | `stats::fold::Facts` | `stats/fold/<area>.rs` |
//! | rows exported | `stats::fold::Rows` | `stats/fold/<area>.rs` |
//! | conflict key of sync | `sync::keys::ConflictKey` | `sync/keys.rs` |
//!
//! So a new command does not compile until each of these is answered for it.
//!
//! The wire format is that of an internally tagged enum: `{"command": "open_case", ...fields}`.
//! Newtype variants of structs with `deny_unknown_fields` serialise, deserialise and render their
//! JSON Schema exactly as the struct variants they replaced did.

use super::person::*;
#[cfg(doc)]
use super::CaseBook;
use super::{case::*, consent::*, disclosure::*, meeting::*, plan::*, referral::*};
use super::{community::*, disaster::*, participation::*};
use super::{config::*, household::*};
use super::{Receipt, Registry};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The list of commands, written once: `Variant(Type) = "wire_name"` with the variant's doc.
///
/// `command_list!(@list <mode> (<args>))` hands the list to the rule `<mode>`:
/// `define` generates the enum and [`Command::name`]; `dispatch` the exhaustive `match` of
/// `each_command!`.
macro_rules! command_list {
    (@list $mode:ident $args:tt) => {
        $crate::registry::command::command_list! { $mode $args [
            /// Extend the taxonomies with a municipality's document.
            ExtendTaxonomy(ExtendTaxonomy) = "extend_taxonomy",
            /// Extend the meeting types (e.g. municipal names such as つながる会議).
            ExtendMeetingTypes(ExtendMeetingTypes) = "extend_meeting_types",
            /// Add an agency to the directory.
            RegisterAgency(RegisterAgency) = "register_agency",
            /// Register a household (世帯).
            RegisterHousehold(RegisterHousehold) = "register_household",
            /// Replace a registered household's document (members move, issues change).
            UpdateHousehold(UpdateHousehold) = "update_household",
            /// Open a case at intake (受付).
            OpenCase(OpenCase) = "open_case",
            /// Open a case by outreach, before the person engages (アウトリーチ).
            OpenOutreachCase(OpenOutreachCase) = "open_outreach_case",
            /// A lifecycle command on a case.
            Case(CaseAction) = "case",
            /// Make the first version of a support plan (支援プラン).
            CreatePlan(CreatePlan) = "create_plan",
            /// Re-plan (リプラン): the next version of a plan.
            Replan(Replan) = "replan",
            /// Record the person's consent to the current plan version.
            ConsentToPlan(ConsentToPlan) = "consent_to_plan",
            /// Record monitoring (モニタリング) of the current plan version.
            RecordMonitoring(RecordMonitoring) = "record_monitoring",
            /// Log a liaison contact (連絡調整).
            LogContact(LogContact) = "log_contact",
            /// Propose a referral (つなぎ).
            ProposeReferral(ProposeReferral) = "propose_referral",
            /// Act on a referral as `actor`.
            Referral(ReferralAction) = "referral",
            /// Record a meeting (会議) held.
            HoldMeeting(HoldMeeting) = "hold_meeting",
            /// Give, refuse or withdraw consent (同意).
            Consent(ConsentAction) = "consent",
            /// Show a case to an audience: decided by the disclosure rules, recorded as a provision record.
            Disclose(Disclose) = "disclose",
            /// Extend the social-resource kinds (社会資源の種別) with a municipality's document.
            ExtendResourceKinds(ExtendResourceKinds) = "extend_resource_kinds",
            /// Add a social resource (社会資源: 居場所, サロン, 当事者の会 …) to the directory.
            RegisterResource(RegisterResource) = "register_resource",
            /// Replace a registered social resource (days, capacity, contact changed).
            UpdateResource(UpdateResource) = "update_resource",
            /// A command on match records (マッチング): propose, tried, continuing, follow-up visit
            /// (定着支援), stop with a reason. Every live match keeps its next follow-up date.
            Match(MatchAction) = "match",
            /// Count one person's need that no resource met (社会資源の不足) in its area, on `today`.
            RecordResourceGap(RecordResourceGap) = "record_resource_gap",
            /// Register a community activity or place (地域活動・場) of a small area.
            RegisterActivity(RegisterActivity) = "register_activity",
            /// Record a session (開催) of an activity, with counts only.
            RecordSession(RecordSession) = "record_session",
            /// An activity ended (休止・終了); its record and sessions stay.
            EndActivity(EndActivity) = "end_activity",
            /// Replace the risk ranks and watching-over intervals (見守りランクと訪問頻度).
            SetVisitIntervals(SetVisitIntervals) = "set_visit_intervals",
            /// Open an affected-household record (被災世帯の記録) for a registered household.
            OpenDisasterRecord(OpenDisasterRecord) = "open_disaster_record",
            /// A command on an affected-household record: housing-stage move, issue, risk assessment,
            /// watching-over visit (見守り訪問), professional dispatch (専門職派遣) and its report.
            Disaster(DisasterAction) = "disaster",
            /// End the disaster phase (被災者支援から地域福祉へ): the household moves into an ordinary
            /// case and the record is kept, read-only, linked to it. The case is one of the household's
            /// open cases; to open a new one, send `open_case` and this command in one batch
            /// ([`CaseBook::execute_batch`]), so that both happen or neither does.
            EndDisasterPhase(EndDisasterPhase) = "end_disaster_phase",
            /// Register a person in the person master (個人の登録); the birth date may be 和暦.
            RegisterPerson(RegisterPerson) = "register_person",
            /// Replace a person's record (個人の更新), keeping the replaced version.
            UpdatePerson(UpdatePerson) = "update_person",
            /// Merge two records of one person (名寄せ); reversible by `split_person`.
            MergePersons(MergePersons) = "merge_persons",
            /// Undo a merge (名寄せの解除); the pair is not proposed again.
            SplitPerson(SplitPerson) = "split_person",
            /// Extend the kanji variants name matching folds (異体字) with a municipality's document.
            ExtendKanjiVariants(ExtendKanjiVariants) = "extend_kanji_variants",
        ] }
    };
    (define () [$( $(#[$doc:meta])* $variant:ident($ty:ident) = $wire:literal, )*]) => {
        /// A command: the only way the registry changes. Serialised as `{"command": "...", ...}`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(tag = "command", deny_unknown_fields)]
        #[allow(clippy::large_enum_variant)]
        pub enum Command {
            $( $(#[$doc])* #[serde(rename = $wire)] $variant($ty), )*
        }

        impl Command {
            /// Stable snake_case name of the command (as in the JSON tag).
            pub fn name(&self) -> &'static str {
                match self {
                    $( Command::$variant(_) => $wire, )*
                }
            }
        }

        $(
            impl From<$ty> for Command {
                fn from(c: $ty) -> Command {
                    Command::$variant(c)
                }
            }
        )*
    };
    (dispatch ($command:expr, $c:ident => $body:expr) [$( $(#[$doc:meta])* $variant:ident($ty:ident) = $wire:literal, )*]) => {
        match $command {
            $( $crate::registry::Command::$variant($c) => $body, )*
        }
    };
}
pub(crate) use command_list;

/// `each_command!(command, c => expr)`: an exhaustive `match` on a `&Command` (or `Command`) with
/// `c` bound to the command's struct in every arm, and no wildcard. Used for every concern, so a
/// command added to the list fails to compile until each concern's trait is implemented for it.
macro_rules! each_command {
    ($command:expr, $c:ident => $body:expr) => {
        $crate::registry::command::command_list!(@list dispatch ($command, $c => $body))
    };
}
pub(crate) use each_command;

command_list!(@list define ());

/// A journal event: a command accepted on a date (`on` is the `today` it was executed with).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The date the command was executed (its `today`).
    pub on: NaiveDate,
    /// The command.
    pub command: Command,
}

/// The dates a command records as having happened, each with its JSON path.
pub(crate) type RecordedDates = Vec<(NaiveDate, &'static str)>;

/// What the registry needs from a command; implemented by every command struct in its area's
/// file. [`Registry::execute`] runs, in order: the one date rule over
/// [`Apply::recorded_dates`], [`Apply::check`], then [`Apply::apply`].
pub(crate) trait Apply {
    /// The dates this command records as having happened, with their JSON paths: records are
    /// written after the fact, so none may be after `today` (`date_in_future`). Dates of what is
    /// planned (a next follow-up, an activity's end in the directory) are not listed. Case and
    /// plan commands list none: their modules check their own dates.
    fn recorded_dates(&self) -> RecordedDates;

    /// The references the command checks before anything else: entities that must exist (a
    /// case, a household and its member, an agency) or must not yet (a new id).
    fn check(&self, reg: &Registry) -> Result<(), Error>;

    /// Apply the command on `today` (after [`Apply::check`] passed): the area's own rules, then
    /// the change. On error nothing changes.
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error>;
}
