//! Statistics of configuration commands (設定): documents and agencies are kept whole by the
//! ledger (the report resolves codes and agency kinds when it is finished); the export
//! resolves agencies' kinds and sectors.

use super::sink::{FactSink, Facts, Kept, Rows};
use crate::error::Error;
use crate::registry::{ExtendMeetingTypes, ExtendTaxonomy, RegisterAgency};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for ExtendTaxonomy {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        sink.kept(at, on, Kept::Taxonomy(self.document.clone()));
    }
}
impl Rows for ExtendTaxonomy {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        x.tax = x.tax.extended(self.document.clone())?;
        Ok(())
    }
}

impl Facts for ExtendMeetingTypes {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        sink.kept(at, on, Kept::MeetingTypes(self.document.clone()));
    }
}
impl Rows for ExtendMeetingTypes {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        x.types = x.types.extended(self.document.clone())?;
        Ok(())
    }
}

impl Facts for RegisterAgency {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        sink.kept(
            at,
            on,
            Kept::Agency(self.agency.id.clone(), self.agency.kind.clone()),
        );
    }
}
impl Rows for RegisterAgency {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let i = x.agency(&self.agency.id) as usize;
        x.agencies[i].kind = Some(self.agency.kind.clone());
        x.agencies[i].sector = x.tax.sector_of(&self.agency.kind).cloned();
        Ok(())
    }
}
