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

use super::erasure::*;
use super::forms::*;
use super::person::*;
use super::protection::*;
use super::record::*;
use super::worker::*;
#[cfg(doc)]
use super::CaseBook;
use super::{case::*, consent::*, disclosure::*, meeting::*, plan::*, referral::*};
use super::{community::*, disaster::*, participation::*};
use super::{config::*, household::*};
use super::{household_move::*, limits::*};
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
            /// Move a person between households (転居・世帯分離・転入).
            MovePerson(MovePerson) = "move_person",
            /// Set the limits in force (上限の設定).
            ConfigureLimits(ConfigureLimits) = "configure_limits",
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
            /// Mark an action of the current plan version done (支援内容の完了).
            CompletePlanAction(CompletePlanAction) = "complete_plan_action",
            /// Log a liaison contact (連絡調整).
            LogContact(LogContact) = "log_contact",
            /// Propose a referral (つなぎ).
            ProposeReferral(ProposeReferral) = "propose_referral",
            /// Act on a referral as `actor`.
            Referral(ReferralAction) = "referral",
            /// Share a proposed referral's information on consent or a legal basis (提供記録).
            ShareReferralInfo(ShareReferralInfo) = "share_referral_info",
            /// Record a meeting (会議) held.
            HoldMeeting(HoldMeeting) = "hold_meeting",
            /// Designate an agency as convener of a meeting type (招集者の指定).
            DesignateConvener(DesignateConvener) = "designate_convener",
            /// Record a meeting held that binds disclosure (会議録: attendees, pledges, agenda, minutes, 支援決定).
            RecordMeeting(RecordMeeting) = "record_meeting",
            /// Record an attendee's confidentiality pledge (守秘義務の誓約).
            RecordPledge(RecordPledge) = "record_pledge",
            /// Make a support plan from a meeting's decision (支援決定からプランへ).
            PlanFromDecision(PlanFromDecision) = "plan_from_decision",
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
            /// Extend the worker roles (職種) with a municipality's document.
            ExtendRoles(ExtendRoles) = "extend_roles",
            /// Register a worker (職員) of an agency; the first one ends setup mode.
            RegisterWorker(RegisterWorker) = "register_worker",
            /// Update a worker in post: roles, or leaving (退職・異動).
            UpdateWorker(UpdateWorker) = "update_worker",
            /// Assign a case's team (主担当 / 副担当).
            AssignTeam(AssignTeam) = "assign_team",
            /// Hand a case over (引継ぎ): the 主担当 moves, with date and reason.
            HandOver(HandOver) = "hand_over",
            /// Record an address restriction (住所秘匿, DV等支援措置) with its named workers.
            ProtectAddress(ProtectAddress) = "protect_address",
            /// Lift an applicant's address restriction from a date (住所秘匿の解除).
            LiftAddressProtection(LiftAddressProtection) = "lift_address_protection",
            /// Register a person in the person master (個人の登録); the birth date may be 和暦.
            RegisterPerson(RegisterPerson) = "register_person",
            /// Replace a person's record (個人の更新), keeping the replaced version.
            UpdatePerson(UpdatePerson) = "update_person",
            /// Merge two records of one person (名寄せ); reversible by `split_person`.
            MergePersons(MergePersons) = "merge_persons",
            /// Undo a merge (名寄せの解除); the pair is not proposed again.
            SplitPerson(SplitPerson) = "split_person",
            /// Extend the record kinds (記録・添付書類の種別) with a municipality's document.
            ExtendRecordKinds(ExtendRecordKinds) = "extend_record_kinds",
            /// Write a case-record entry (支援経過記録), or a correction (訂正) that supersedes one.
            WriteEntry(WriteEntry) = "write_entry",
            /// A step of a case's outreach (アウトリーチ): attempt, stage, keeping connected.
            Outreach(OutreachAction) = "outreach",
            /// Attach a document by reference (添付書類) with its SHA-256 and size.
            Attach(Attach) = "attach",
            /// Keep a filled form whole (様式の記録), after the commands it produced.
            RecordForm(RecordForm) = "record_form",
            /// Extend the kanji variants name matching folds (異体字) with a municipality's document.
            ExtendKanjiVariants(ExtendKanjiVariants) = "extend_kanji_variants",
            /// Erase a household's personal data after retention (保存年限経過後の消去): its data
            /// key is destroyed; the erasure itself stays in clear.
            EraseHousehold(EraseHousehold) = "erase_household",
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

/// A journal event: a command accepted on a date (`on` is the `today` it was executed with), by
/// an actor (`by`) when one acted.
///
/// **Schema migration of the actor.** `by` is omitted from the JSON when absent, so an event
/// written before actors existed has the same canonical JSON, and so the same hash, as it always
/// had: old journals verify and replay unchanged. An event with an actor has `by` in its canonical
/// JSON, so its hash covers who acted. Replay passes `by` to [`Registry::execute_as`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The date the command was executed (its `today`).
    pub on: NaiveDate,
    /// The command.
    pub command: Command,
    /// Who executed it (実行者); absent for events of setup mode and of journals older than
    /// actors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<crate::worker::Actor>,
}

impl Event {
    /// An event without an actor.
    pub fn new(on: NaiveDate, command: Command) -> Event {
        Event {
            on,
            command,
            by: None,
        }
    }

    /// An event executed by `by` (when given).
    pub fn with_actor(on: NaiveDate, command: Command, by: Option<crate::worker::Actor>) -> Event {
        Event { on, command, by }
    }
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
