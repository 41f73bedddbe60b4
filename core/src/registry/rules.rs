//! Rules every area's commands share (共通の規則): the one date rule ("not after today",
//! `date_in_future`), the reference errors (`not_found`, `already_exists`), and re-rooting an
//! area's error paths at the command (`$[0]` → `$.resource`, `$` → `$.match`).

use super::command::RecordedDates;
use super::RegistryError;
use crate::agency::AgencyError;
use crate::calendar::{not_in_future, DateInFuture};
use crate::case::CaseError;
use crate::community::CommunityError;
use crate::disaster::DisasterError;
use crate::participation::ParticipationError;
use crate::taxonomy::TaxonomyError;
use crate::Error;
use chrono::NaiveDate;

/// The one date rule: a record dated after the day it is written is rejected
/// (`date_in_future`, at the first such date's path). Every command's
/// [`super::command::Apply::recorded_dates`] goes through it.
pub(super) fn check_not_future(dates: &RecordedDates, today: NaiveDate) -> Result<(), Error> {
    for &(date, path) in dates.iter() {
        not_in_future(date, today, path).map_err(RegistryError::from)?;
    }
    Ok(())
}

/// `not_found`: a referenced entity does not exist.
pub(super) fn not_found(entity: &'static str, id: impl ToString, path: &str) -> Error {
    RegistryError::NotFound {
        entity,
        id: id.to_string(),
        path: path.into(),
    }
    .into()
}

/// `already_exists`: an entity with this id already exists.
pub(super) fn exists(entity: &'static str, id: impl ToString, path: &str) -> Error {
    RegistryError::AlreadyExists {
        entity,
        id: id.to_string(),
        path: path.into(),
    }
    .into()
}

/// The path field of an error, where the error has one stored as a string.
fn path_mut(e: &mut Error) -> Option<&mut String> {
    use CommunityError as C;
    use DisasterError as D;
    use ParticipationError as P;
    match e {
        Error::Taxonomy(
            TaxonomyError::DuplicateCode { path, .. }
            | TaxonomyError::UnknownCode { path, .. }
            | TaxonomyError::InvalidCode { path, .. },
        ) => Some(path),
        Error::Agency(
            AgencyError::DuplicateAgency { path, .. }
            | AgencyError::UnknownAgency { path, .. }
            | AgencyError::EmptyAgeRange { path, .. },
        ) => Some(path),
        Error::Case(
            CaseError::DateInFuture(DateInFuture { path, .. })
            | CaseError::ReferralNotAccepted { path, .. }
            | CaseError::MissingText { path, .. },
        ) => Some(path),
        Error::Case(CaseError::DateBeforeLastEvent { path, .. }) => path.as_mut(),
        Error::Registry(
            RegistryError::NotFound { path, .. }
            | RegistryError::AlreadyExists { path, .. }
            | RegistryError::Mismatch { path, .. }
            | RegistryError::CaseClosed { path, .. }
            | RegistryError::DateInFuture(DateInFuture { path, .. }),
        ) => Some(path),
        Error::Participation(
            P::DuplicateResource { path, .. }
            | P::UnknownResource { path, .. }
            | P::UnknownPerson { path, .. }
            | P::EmptyAgeRange { path, .. }
            | P::OverCapacity { path, .. }
            | P::UnknownMatch { path, .. }
            | P::DuplicateMatch { path, .. }
            | P::DateOutOfOrder { path, .. }
            | P::FollowUpNotAfter { path, .. }
            | P::GapAreaUnknown { path, .. },
        ) => Some(path),
        Error::Community(
            C::DuplicateActivity { path, .. }
            | C::UnknownActivity { path, .. }
            | C::NoSupportStage { path, .. }
            | C::SessionOutsideActivity { path, .. }
            | C::DuplicateSession { path, .. }
            | C::DateOutOfOrder { path, .. },
        ) => Some(path),
        Error::Disaster(
            D::DateOutOfOrder { path, .. }
            | D::StageUnchanged { path, .. }
            | D::EmptyPlace { path }
            | D::DuplicateIssue { path, .. }
            | D::UnknownRiskRank { path, .. }
            | D::DuplicateRiskRank { path, .. }
            | D::InvalidInterval { path, .. }
            | D::DuplicateDispatch { path, .. }
            | D::UnknownDispatch { path, .. },
        ) => Some(path),
        _ => None,
    }
}

/// Re-root an error's path: a path starting with `from` (`$`, `$[3]`) starts with `to` instead.
pub(super) fn rebased(mut e: Error, from: &str, to: &str) -> Error {
    if let Some(p) = path_mut(&mut e) {
        if let Some(rest) = p.strip_prefix(from) {
            if rest.is_empty() || rest.starts_with(['.', '[']) {
                *p = format!("{to}{rest}");
            }
        }
    }
    e
}

/// `rebased` as a closure for `map_err`.
pub(super) fn at<E: Into<Error>>(to: &'static str) -> impl Fn(E) -> Error {
    move |e| rebased(e.into(), "$", to)
}
