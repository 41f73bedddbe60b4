//! Finishing a partial report into the [`AnnualReport`]: codes resolved against the journal's
//! taxonomies and meeting types, agencies' kinds and sectors looked up, figures laid out as the
//! 実績報告 states them.

use super::*;

impl PartialReport {
    /// The taxonomies in force: the built-ins extended by the journal's documents in order.
    fn taxonomies(&self) -> Result<Taxonomies, Error> {
        let mut t = super::super::id_tables::builtin_taxonomies();
        for d in self.taxonomy_docs.values() {
            t = t.extended(d.clone())?;
        }
        Ok(t)
    }

    fn meeting_types(&self) -> Result<MeetingTypes, Error> {
        let mut t = super::super::id_tables::builtin_meeting_types();
        for d in self.meeting_docs.values() {
            t = t.extended(d.clone())?;
        }
        Ok(t)
    }

    /// Finish into the annual report. Errors: `unknown_agency` (a contact with an agency the
    /// journal never registered), `unknown_code` (a meeting type or agency kind unknown to the
    /// journal's taxonomies), and taxonomy or meeting-type extension errors.
    pub fn finish(&self, settings: &ReportSettings) -> Result<AnnualReport, Error> {
        let fy = self.fiscal_year;
        let tax = self.taxonomies()?;
        let types = self.meeting_types()?;
        let bands = &settings.age_bands;

        // First consultations, their issues and ages.
        let mut fc = FirstConsultations {
            total: 0,
            monthly_average: 0.0,
            by_month: (0..12)
                .map(|i| {
                    let (y, m) = if i < 9 {
                        (fy.year(), i + 4)
                    } else {
                        (fy.year() + 1, i - 8)
                    };
                    MonthCount {
                        month: format!("{y:04}-{m:02}"),
                        count: 0,
                    }
                })
                .collect(),
            single: 0,
            continuing: 0,
            handed_over: 0,
            undecided: 0,
        };
        let mut issue_counts = vec![0u64; self.issue_codes.len()];
        let mut ages = vec![0u64; bands.bands().len() + 1];
        let mut caseload = Caseload {
            new: 0,
            carried_over: 0,
            reopened: 0,
        };
        for c in self.cases.values() {
            if let Some(opened) = c.opened_on {
                if fy.contains(opened) {
                    caseload.new += 1;
                } else if opened < fy.start() {
                    let open = c.open_at_start.as_ref().is_none_or(|v| v.value);
                    if open {
                        caseload.carried_over += 1;
                    } else if c.reopened_in_year {
                        caseload.reopened += 1;
                    }
                }
            }
            let Some(first) = c.first_consultation.filter(|d| fy.contains(*d)) else {
                continue;
            };
            fc.total += 1;
            let month = (first.month() + 8) % 12; // April → 0 … March → 11
            fc.by_month[month as usize].count += 1;
            match c.outcome {
                Some(3) => fc.continuing += 1,
                Some(2) => fc.handed_over += 1,
                Some(_) => fc.single += 1,
                None => fc.undecided += 1,
            }
            if let Some(v) = &c.issues {
                for i in v.value.iter() {
                    issue_counts[i as usize] += 1;
                }
            }
            let age = c
                .subject
                .and_then(|s| self.persons.value(s as usize).as_ref())
                .and_then(|p| match p.value.birth_date {
                    Some(b) => crate::calendar::age_on(b, first),
                    None => p.value.approx_age,
                });
            ages[bands.index_of(age)] += 1;
        }
        fc.monthly_average = fc.total as f64 / 12.0;
        let issues: BTreeMap<&IssueCode, u64> = issue_counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (self.issue_codes.key(i), *n))
            .collect();

        let mut issue_rows: Vec<CodeCount> = tax
            .issues()
            .iter()
            .map(|i| CodeCount {
                code: i.code.to_string(),
                ja: i.ja.clone(),
                count: issues.get(&i.code).copied().unwrap_or(0),
            })
            .collect();
        for (code, n) in &issues {
            if tax.issue(code).is_none() {
                issue_rows.push(CodeCount {
                    code: code.to_string(),
                    ja: code.to_string(),
                    count: *n,
                });
            }
        }

        let mut age_rows: Vec<BandCount> = bands
            .bands()
            .iter()
            .zip(&ages)
            .map(|(b, n)| BandCount {
                code: b.code.clone(),
                ja: b.ja.clone(),
                count: *n,
            })
            .collect();
        age_rows.push(BandCount {
            code: crate::stats::report::UNKNOWN_AGE.into(),
            ja: "不明".into(),
            count: ages[bands.bands().len()],
        });

        let mut closures: Vec<CodeCount> = tax
            .closure_reasons()
            .iter()
            .map(|r| CodeCount {
                code: r.code.to_string(),
                ja: r.ja.clone(),
                count: self.closures.get(r.code.as_str()).copied().unwrap_or(0),
            })
            .collect();
        let mut unknown: Vec<(&ClosureReasonCode, u64)> = self
            .closures
            .iter()
            .filter(|(code, n)| **n > 0 && tax.closure_reason(code).is_none())
            .map(|(code, n)| (code, *n))
            .collect();
        unknown.sort_unstable();
        for (code, n) in unknown {
            closures.push(CodeCount {
                code: code.to_string(),
                ja: code.to_string(),
                count: n,
            });
        }

        let statuses = [
            (ReferralStatus::Proposed, "提案"),
            (ReferralStatus::Sent, "依頼済み"),
            (ReferralStatus::Accepted, "受諾"),
            (ReferralStatus::Declined, "辞退"),
            (ReferralStatus::Completed, "完了"),
            (ReferralStatus::Revoked, "取消"),
        ];
        let mut by_status: BTreeMap<ReferralStatus, u64> = BTreeMap::new();
        for r in self.referrals.values() {
            if r.proposed_on.is_some_and(|d| fy.contains(d)) {
                if let Some(s) = &r.status {
                    *by_status.entry(s.value).or_default() += 1;
                }
            }
        }
        let referrals = statuses
            .iter()
            .map(|(s, ja)| CodeCount {
                code: s.code().into(),
                ja: (*ja).into(),
                count: by_status.get(s).copied().unwrap_or(0),
            })
            .collect();

        // Table 1.
        let mut per_kind: BTreeMap<&AgencyKindCode, u64> = BTreeMap::new();
        // In id order, so that the first unknown agency reported does not depend on hashing.
        let mut contacts: Vec<(&AgencyId, &u64)> = self.contacts.iter().collect();
        contacts.sort_unstable();
        for (agency, n) in contacts {
            if *n == 0 {
                continue; // an agency whose contacts all fall outside the year
            }
            let kind = self
                .agencies
                .get(agency)
                .ok_or_else(|| AgencyError::UnknownAgency {
                    id: agency.clone(),
                    path: "$.contact.agency".into(),
                })?;
            if tax.agency_kind(kind).is_none() {
                return Err(TaxonomyError::UnknownCode {
                    list: "agency_kinds",
                    code: kind.to_string(),
                    path: "$.agency.kind".into(),
                }
                .into());
            }
            *per_kind.entry(kind).or_default() += n;
        }
        let rows: Vec<ContactKindRow> = tax
            .agency_kinds()
            .iter()
            .map(|k| ContactKindRow {
                sector: k.sector.to_string(),
                kind: k.code.to_string(),
                ja: k.ja.clone(),
                count: per_kind.get(&k.code).copied().unwrap_or(0),
            })
            .collect();
        let sectors: Vec<ContactSectorRow> = tax
            .sectors()
            .iter()
            .map(|s| ContactSectorRow {
                sector: s.code.to_string(),
                ja: s.ja.clone(),
                count: rows
                    .iter()
                    .filter(|r| r.sector == s.code.as_str())
                    .map(|r| r.count)
                    .sum(),
            })
            .collect();
        let total = rows.iter().map(|r| r.count).sum();

        // Meetings.
        let mut by_type: BTreeMap<&MeetingTypeCode, u64> = BTreeMap::new();
        let mut by_convener: BTreeMap<ConvenerRole, u64> = BTreeMap::new();
        let mut network: Vec<(NaiveDate, &MeetingId, &MeetingTypeCode)> = Vec::new();
        let mut case_total = 0;
        for (id, m) in &self.meetings {
            let resolved = types.check(&m.meeting_type, "$.meeting.meeting_type")?;
            if settings.network_meeting_types.contains(&resolved.base.code) {
                network.push((m.date, id, &m.meeting_type));
            } else if resolved.base.personal_info.allows_cases() {
                case_total += 1;
                *by_type.entry(&m.meeting_type).or_default() += 1;
                *by_convener.entry(m.convener).or_default() += 1;
            }
        }
        network.sort();
        let case_meetings = MeetingCounts {
            total: case_total,
            by_type: by_type
                .into_iter()
                .map(|(code, n)| CodeCount {
                    code: code.to_string(),
                    ja: types
                        .resolve(code)
                        .map(|r| r.label().ja)
                        .unwrap_or_else(|| code.to_string()),
                    count: n,
                })
                .collect(),
            by_convener: by_convener.into_iter().collect(),
        };
        let network_meetings = network
            .into_iter()
            .enumerate()
            .map(|(i, (date, _, t))| NetworkMeeting {
                number: i as u32 + 1,
                date,
                meeting_type: t.to_string(),
            })
            .collect();

        Ok(AnnualReport {
            fiscal_year: fy,
            label: fy.label_ja(),
            first_consultations: fc,
            caseload,
            issues: issue_rows,
            age_bands: age_rows,
            plans: PlanCounts {
                made: self.plans_made,
                replans: self.replans,
                monitoring: self.monitoring,
            },
            closures,
            referrals,
            contacts: ContactTable {
                rows,
                sectors,
                total,
            },
            case_meetings,
            network_meetings,
            participation: self.participation.figures(fy),
            community: self.community.figures(fy),
            record: self.record.figures(fy, |case| {
                let subject = self.cases.get(case.as_str())?.subject?;
                Some(self.persons.key(subject as usize).clone())
            }),
        })
    }
}

// ------------------------------------------------------------------------------ wire form
