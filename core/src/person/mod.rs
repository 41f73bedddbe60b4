//! The person master (個人台帳), Japanese name normalisation and search, and 名寄せ.
//!
//! A person exists once across households and windows (DOMAIN.md §9 "One person, many
//! windows"): a [`PersonRecord`] holds the name in kanji, the reading in kana, former names and
//! aliases (旧姓, 通称), sex ([`Sex`], "not recorded" allowed), the birth date (typed in 西暦 or
//! 和暦), the address with its small area, phones and the municipality's 宛名番号
//! ([`ResidentNumber`], an opaque id). An individual number (マイナンバー) is refused in every id
//! and text field ([`looks_like_my_number`], [`contains_my_number`]).
//!
//! - [`names`]: match keys of names and readings (旧字体・異体字 as data in
//!   `core/data/kanji_variants.toml`, widths, kana, small kana, long vowels, spaces);
//! - [`index`]: the incremental search index (kana prefix, name, birth date, small area, phone);
//! - [`dedup`]: 名寄せ candidate pairs with scores and reasons, blocked so they scale;
//! - [`master`]: the master itself, with versions, merges and splits.
//!
//! **Households.** A household keeps its members inline (`household::Person`); a member's
//! `id` refers to the master person of the same id when one is registered, and after a merge
//! [`PersonMaster::resolve`] gives the surviving person. Moving a person between households is not
//! a command yet.
//!
//! This module is pure: no clock (dates come in), no I/O.

pub mod dedup;
mod error;
pub mod index;
pub mod master;
mod my_number;
pub mod names;
mod record;

pub use dedup::{CandidatePair, CandidateWeights, MatchReason};
pub use error::PersonError;
pub use index::{MatchKeys, PersonIndex, PersonQuery};
pub use master::{MergeRecord, PersonEntry, PersonMaster, PersonSearch, PersonVersion};
pub use my_number::{contains_my_number, looks_like_my_number, refuse_my_number};
pub use names::{name_key, reading_key, KanjiVariants, KanjiVariantsDocument};
pub use record::{
    phone_digits, Address, OtherName, OtherNameKind, PersonInput, PersonRecord, ResidentNumber, Sex,
};

#[cfg(test)]
mod tests;
