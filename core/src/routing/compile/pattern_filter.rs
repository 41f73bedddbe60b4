//! The compiled twin of composite-pattern detection (複合課題の判定): `PatternFilter` built from
//! the pattern settings and the agency directory, deciding each pattern on the compiled facts by
//! the rules of `patterns::detect_patterns`, clause by clause (see the parent module's docs).

use super::*;

impl PatternFilter {
    pub(super) fn new(env: &RoutingEnv, issue_index: &FastMap<IssueInfo>) -> Self {
        let s = &env.pattern_settings;
        let bits = |codes: &[crate::ids::IssueCode]| {
            let mut b = Bits::default();
            for c in codes {
                if let Some(info) = issue_index.get(c.as_str()) {
                    b.set(info.index as usize);
                }
            }
            b
        };
        let exact = s
            .withdrawal_issues
            .iter()
            .chain(&s.no_income_issues)
            .chain(&s.care_need_issues)
            .chain(&s.window_child_rearing_issues)
            .chain(&s.window_poverty_issues)
            .chain(&s.window_universal_issues)
            .all(|c| issue_index.contains_key(c.as_str()));
        let mut window_issues = bits(&s.window_child_rearing_issues);
        window_issues.or(&bits(&s.window_poverty_issues));
        let mut window_universal = bits(&s.window_universal_issues);
        for issue in env.taxonomies.issues() {
            if s.window_universal_domains.contains(&issue.domain) {
                if let Some(info) = issue_index.get(issue.code.as_str()) {
                    window_universal.set(info.index as usize);
                }
            }
        }
        let mut withdrawn_or_no_income = bits(&s.withdrawal_issues);
        withdrawn_or_no_income.or(&bits(&s.no_income_issues));
        let tax = &env.taxonomies;
        let agencies = env.directory.agencies();
        let candidates = tax
            .issues()
            .iter()
            .map(|issue| {
                agencies
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| {
                        a.serves.any_issue
                            || a.serves.issues.contains(&issue.code)
                            || a.serves.domains.contains(&issue.domain)
                    })
                    .map(|(k, _)| k as u16)
                    .collect()
            })
            .collect();
        PatternFilter {
            elderly_min_age: s.elderly_min_age,
            middle_age: (s.middle_age.min, s.middle_age.max),
            withdrawn_or_no_income,
            no_income_employment: s
                .no_income_employment
                .iter()
                .fold(0, |acc, e| acc | employment_bit(*e)),
            child_max_age: s.child_max_age,
            care_recipient_min_age: s.care_recipient_min_age,
            care_need_issues: bits(&s.care_need_issues),
            infer_carers: s.infer_carers,
            young_carer_max_age: s.young_carer_max_age,
            multi_problem_min_domains: s.multi_problem_min_domains.max(1) as u32,
            isolation_domains: s
                .isolation_domains
                .iter()
                .fold(0, |acc, d| acc | domain_bit(*d)),
            window_elderly_min_age: s.window_elderly_min_age,
            window_child_max_age: s.window_child_max_age,
            window_universal,
            window_employment: s
                .window_poverty_employment
                .iter()
                .fold(0, |acc, e| acc | employment_bit(*e)),
            window_issues,
            candidates,
            any_issue: agencies
                .iter()
                .enumerate()
                .filter(|(_, a)| a.serves.any_issue)
                .map(|(k, _)| k as u16)
                .collect(),
            agencies: agencies
                .iter()
                .map(|a| AgencyLimits {
                    areas: a.areas.iter().map(|c| c.as_str().to_string()).collect(),
                    min_age: a.serves.min_age.unwrap_or(0),
                    max_age: a.serves.max_age.unwrap_or(u32::MAX),
                    requires_care_level: a.serves.requires_care_level,
                    requires_disability: a.serves.requires_disability,
                })
                .collect(),
            exact,
        }
    }

    fn known_age(m: &MemberFacts) -> Option<u32> {
        (m.age != NO_AGE).then_some(m.age)
    }

    /// Whether one composite pattern is present, decided on the compiled facts by the rules of
    /// `patterns::detect_patterns` (its module docs), clause by clause. Member ids are unique
    /// (household validation), so members are told apart by position.
    pub(super) fn one(&self, router: &Router, ctx: &Ctx<'_>, bit: u8) -> bool {
        let ms = ctx.members;
        let ps = &ctx.household.members;
        let n = ms.len();
        let age = |k: usize| Self::known_age(&ms[k]);
        let is_child = |k: usize| age(k).is_some_and(|a| a <= self.child_max_age);
        let old = |k: usize| age(k).is_some_and(|a| a >= self.care_recipient_min_age);
        let care_need = |k: usize| {
            ms[k].flags & F_CARE_RECORDED != 0 || ms[k].issues.intersects(&self.care_need_issues)
        };
        let iso = self.isolation_domains;
        let supportive = || {
            ctx.household.ties.iter().any(|t| {
                use crate::household::{TieParty, TieStrength};
                t.strength == TieStrength::Strong
                    || (t.strength == TieStrength::Weak
                        && matches!(t.with, TieParty::Informal { .. }))
            })
        };
        match bit {
            // 8050: an elderly parent and their middle-aged child, withdrawn or without income.
            b if b == pattern_bit(Pattern::EightyFifty) => (0..n).any(|p| {
                age(p).is_some_and(|a| a >= self.elderly_min_age)
                    && (0..n).any(|c| {
                        c != p
                            && age(c)
                                .is_some_and(|a| a >= self.middle_age.0 && a <= self.middle_age.1)
                            && (ms[c].issues.intersects(&self.withdrawn_or_no_income)
                                || ms[c].employment & self.no_income_employment != 0)
                            && crate::patterns::PARENT_CHILD
                                .contains(&(ps[p].relation, ps[c].relation))
                    })
            }),
            // Double care: recorded care roles, or (when none is recorded) an adult single
            // parent presumed to care for the children and the elderly members with a care need.
            b if b == pattern_bit(Pattern::DoubleCare) => {
                let any_recorded = ms.iter().any(|m| m.flags & F_CARER != 0);
                (0..n).any(|carer| {
                    let inferred = if any_recorded {
                        if ms[carer].flags & F_CARER == 0 {
                            return false;
                        }
                        false
                    } else if self.infer_carers
                        && ms[carer].flags & F_SINGLE_PARENT != 0
                        && !is_child(carer)
                    {
                        true
                    } else {
                        return false;
                    };
                    let cared = |k: usize| {
                        k != carer && (inferred || ps[carer].cares_for.contains(&ps[k].id))
                    };
                    (0..n).any(|k| cared(k) && is_child(k))
                        && (0..n).any(|k| {
                            cared(k)
                                && !is_child(k)
                                && if inferred {
                                    old(k) && care_need(k)
                                } else {
                                    old(k) || care_need(k)
                                }
                        })
                })
            }
            // Young carer: a minor who cares for another member.
            b if b == pattern_bit(Pattern::YoungCarer) => (0..n).any(|c| {
                ms[c].flags & F_CARER != 0
                    && age(c).is_some_and(|a| a <= self.young_carer_max_age)
                    && (0..n).any(|m| m != c && ps[c].cares_for.contains(&ps[m].id))
            }),
            // Multi-problem: issues in enough domains.
            b if b == pattern_bit(Pattern::MultiProblem) => {
                ctx.facts.domains.count_ones() >= self.multi_problem_min_domains
            }
            // Isolated: a household-level isolation issue; every member with one; ties recorded
            // but none supportive; or nobody engaging and no supportive tie.
            b if b == pattern_bit(Pattern::Isolated) => {
                let engaged = engagement_bit(Engagement::Engaged);
                ctx.facts.own_domains & iso != 0
                    || (n > 0 && ms.iter().all(|m| m.domains & iso != 0))
                    || (!ctx.household.ties.is_empty() && !supportive())
                    || (n > 0 && ms.iter().all(|m| m.engagement & engaged == 0) && !supportive())
            }
            // 制度の狭間: an issue that no agency covers.
            _ => self.any_gap(router, ctx),
        }
    }

    /// Whether some agency covers an issue (the agency module's `covering`, on the compiled
    /// facts): it serves the household's area, names the issue (code, domain or any issue) and
    /// fits the person (an unknown age fits any range).
    fn covered(
        &self,
        ctx: &Ctx<'_>,
        member: Option<&MemberFacts>,
        code: &str,
        index: &FastMap<IssueInfo>,
    ) -> bool {
        let candidates = match index.get(code) {
            Some(info) => &self.candidates[info.index as usize],
            None => &self.any_issue,
        };
        candidates.iter().any(|k| {
            let a = &self.agencies[*k as usize];
            (a.areas.is_empty()
                || ctx
                    .household
                    .area
                    .codes()
                    .any(|c| a.areas.iter().any(|x| x == c.as_str())))
                && member.is_none_or(|m| {
                    (m.age == NO_AGE || (m.age >= a.min_age && m.age <= a.max_age))
                        && (!a.requires_care_level || m.flags & F_CARE_RECORDED != 0)
                        && (!a.requires_disability || m.has_cert)
                })
        })
    }

    /// Whether a statutory attribute window fits the member (`Cx::fits_a_window`).
    fn fits_a_window(&self, m: &MemberFacts) -> bool {
        let age = Self::known_age(m);
        age.is_some_and(|a| a >= self.window_elderly_min_age || a <= self.window_child_max_age)
            || m.flags & (F_CARE_RECORDED | F_PUBLIC_ASSISTANCE) != 0
            || m.has_cert
            || m.issues.intersects(&self.window_issues)
            || m.employment & self.window_employment != 0
    }

    fn any_gap(&self, router: &Router, ctx: &Ctx<'_>) -> bool {
        let h = ctx.household;
        let index = &router.issue_index;
        // (a) a need of someone no statutory window fits.
        let needs = |b: &IssueBits| b.unknown || b.codes.any_outside(&self.window_universal);
        let mut anyone_fits = false;
        for m in ctx.members {
            if self.fits_a_window(m) {
                anyone_fits = true;
            } else if needs(&m.current) {
                return true;
            }
        }
        if !anyone_fits && needs(&ctx.facts.own) {
            return true;
        }
        // (b) an issue no agency covers.
        h.own_current_issues()
            .any(|c| !self.covered(ctx, None, c.as_str(), index))
            || h.members.iter().zip(ctx.members).any(|(p, m)| {
                p.current_issues()
                    .any(|c| !self.covered(ctx, Some(m), c.as_str(), index))
            })
    }
}
