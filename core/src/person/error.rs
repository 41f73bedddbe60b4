//! Errors of the person master (個人台帳のエラー): what a person record, a search, the kanji
//! variant table, a merge and a split can refuse. Messages carry ids and paths, never a name, a
//! reading, a phone number or the digits of a refused number.

use crate::calendar::CalendarError;
use crate::coded::{Coded, ErrorKind};
use crate::ids::PersonId;

/// Errors of the person master.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PersonError {
    /// A field holds what looks like an individual number (マイナンバー: twelve digits whose last
    /// one is the check digit), which this system never stores (`my_number_refused`).
    #[error(
        "a field looks like an individual number (マイナンバー), which is never stored, at {path}"
    )]
    MyNumberRefused {
        /// JSON path of the field.
        path: String,
    },
    /// A person with neither a name nor a reading (`name_required`).
    #[error("person `{id}` has neither a name nor a reading at {path}")]
    NameRequired {
        /// The person.
        id: PersonId,
        /// JSON path.
        path: String,
    },
    /// A reading (フリガナ) with characters that are not kana (`invalid_reading`).
    #[error("a reading must be kana (hiragana or katakana) at {path}")]
    InvalidReading {
        /// JSON path.
        path: String,
    },
    /// A phone number that is not digits with optional separators, or has too few or too many
    /// digits (`invalid_phone`).
    #[error("a phone number must have 6 to 15 digits, with only spaces, hyphens, brackets and a leading + besides, at {path}")]
    InvalidPhone {
        /// JSON path.
        path: String,
    },
    /// An id or text field that is empty (`empty_id` for ids, `empty_text` for texts).
    #[error("empty {what} at {path}")]
    Empty {
        /// `id` or `text` (the code is `empty_id` or `empty_text`).
        what: &'static str,
        /// JSON path.
        path: String,
    },
    /// A birth date after the day the record is written (`birth_date_in_future`).
    #[error("person `{id}` has a birth date after today at {path}")]
    BirthDateInFuture {
        /// The person.
        id: PersonId,
        /// JSON path.
        path: String,
    },
    /// A birth date written in a form the calendar does not accept (era or Gregorian).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A kanji-variant document entry that is not one character, maps one variant to two
    /// standard forms, or makes a chain (a variant that is also a standard form)
    /// (`invalid_variant`).
    #[error("invalid kanji variant entry at {path}: {reason}")]
    InvalidVariant {
        /// JSON path (`$.variants.高[0]`).
        path: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A search with no criterion (`empty_query`).
    #[error("a person search needs at least one criterion")]
    EmptyQuery,
    /// A person merged into another: it can no longer be changed or merged (`already_merged`);
    /// update the surviving person, or split first.
    #[error("person `{id}` has been merged into `{into}` at {path}")]
    AlreadyMerged {
        /// The merged person.
        id: PersonId,
        /// Where it was merged.
        into: PersonId,
        /// JSON path.
        path: String,
    },
    /// Splitting a person that is not merged into another (`not_merged`).
    #[error("person `{id}` is not merged into another at {path}")]
    NotMerged {
        /// The person.
        id: PersonId,
        /// JSON path.
        path: String,
    },
    /// A split dated before the merge it undoes (`date_out_of_order`).
    #[error("{on} is before {last} at {path}")]
    DateOutOfOrder {
        /// The date given.
        on: chrono::NaiveDate,
        /// The earliest allowed date.
        last: chrono::NaiveDate,
        /// JSON path.
        path: String,
    },
    /// Merging a person into itself (`self_reference`).
    #[error("person `{id}` cannot be merged into itself at {path}")]
    SelfMerge {
        /// The person.
        id: PersonId,
        /// JSON path.
        path: String,
    },
}

impl PersonError {
    /// Every code this area can return (the calendar's are listed by the calendar).
    pub const CODES: &'static [&'static str] = &[
        "my_number_refused",
        "name_required",
        "invalid_reading",
        "invalid_phone",
        "empty_id",
        "empty_text",
        "birth_date_in_future",
        "invalid_variant",
        "empty_query",
        "already_merged",
        "not_merged",
        "date_out_of_order",
        "self_reference",
    ];

    /// An empty id at `path`.
    pub(crate) fn empty_id(path: impl Into<String>) -> Self {
        PersonError::Empty {
            what: "id",
            path: path.into(),
        }
    }

    /// An empty text at `path`.
    pub(crate) fn empty_text(path: impl Into<String>) -> Self {
        PersonError::Empty {
            what: "text",
            path: path.into(),
        }
    }
}

impl PersonError {
    /// The error with its path re-rooted under `prefix`: `$.reading` under `$.person` is
    /// `$.person.reading` (a command's field holding a person).
    pub fn under(mut self, prefix: &str) -> Self {
        let slot = match &mut self {
            PersonError::MyNumberRefused { path }
            | PersonError::NameRequired { path, .. }
            | PersonError::InvalidReading { path }
            | PersonError::InvalidPhone { path }
            | PersonError::Empty { path, .. }
            | PersonError::BirthDateInFuture { path, .. }
            | PersonError::InvalidVariant { path, .. }
            | PersonError::AlreadyMerged { path, .. }
            | PersonError::NotMerged { path, .. }
            | PersonError::DateOutOfOrder { path, .. }
            | PersonError::SelfMerge { path, .. } => path,
            PersonError::Calendar(e) => {
                let rest = e.path().unwrap_or_else(|| "$".into());
                let rest = rest.strip_prefix('$').unwrap_or(&rest).to_string();
                return PersonError::Calendar(e.clone().at(format!("{prefix}{rest}")));
            }
            PersonError::EmptyQuery => return self,
        };
        if let Some(rest) = slot.strip_prefix('$') {
            *slot = format!("{prefix}{rest}");
        }
        self
    }
}

impl Coded for PersonError {
    fn code(&self) -> &'static str {
        match self {
            PersonError::MyNumberRefused { .. } => "my_number_refused",
            PersonError::NameRequired { .. } => "name_required",
            PersonError::InvalidReading { .. } => "invalid_reading",
            PersonError::InvalidPhone { .. } => "invalid_phone",
            PersonError::Empty { what: "id", .. } => "empty_id",
            PersonError::Empty { .. } => "empty_text",
            PersonError::BirthDateInFuture { .. } => "birth_date_in_future",
            PersonError::Calendar(e) => e.code(),
            PersonError::InvalidVariant { .. } => "invalid_variant",
            PersonError::EmptyQuery => "empty_query",
            PersonError::AlreadyMerged { .. } => "already_merged",
            PersonError::NotMerged { .. } => "not_merged",
            PersonError::DateOutOfOrder { .. } => "date_out_of_order",
            PersonError::SelfMerge { .. } => "self_reference",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            PersonError::MyNumberRefused { path }
            | PersonError::NameRequired { path, .. }
            | PersonError::InvalidReading { path }
            | PersonError::InvalidPhone { path }
            | PersonError::Empty { path, .. }
            | PersonError::BirthDateInFuture { path, .. }
            | PersonError::InvalidVariant { path, .. }
            | PersonError::AlreadyMerged { path, .. }
            | PersonError::NotMerged { path, .. }
            | PersonError::DateOutOfOrder { path, .. }
            | PersonError::SelfMerge { path, .. } => Some(path.clone()),
            PersonError::Calendar(e) => e.path(),
            PersonError::EmptyQuery => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            PersonError::Calendar(e) => e.kind(),
            PersonError::AlreadyMerged { .. } | PersonError::NotMerged { .. } => {
                ErrorKind::Transition
            }
            PersonError::DateOutOfOrder { .. } => ErrorKind::Rule,
            _ => ErrorKind::Invalid,
        }
    }
}
