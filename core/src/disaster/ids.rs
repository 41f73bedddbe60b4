//! Ids of disaster case management.

use crate::ids::string_newtype;

string_newtype! {
    /// Affected-household record (被災世帯の記録) id.
    DisasterRecordId,
    /// Disaster (災害) id, e.g. `2011_great_east_japan`.
    DisasterId,
    /// Professional dispatch (専門職派遣) id.
    DispatchId,
    /// Risk rank code (見守りランク), e.g. `a`.
    RiskRankCode,
}
