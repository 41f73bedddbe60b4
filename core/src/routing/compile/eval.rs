//! Evaluation (評価): the precomputed facts of a household and its members, the composite
//! patterns decided at most once per household, the arena walk and the allocation-free hot path
//! ([`Router::matches`]).

use super::*;

impl Router {
    #[inline]
    fn issue_facts(&self, code: &str) -> Option<IssueInfo> {
        self.issue_index.get(code).copied()
    }

    pub(crate) fn member_facts(&self, p: &Person, today: chrono::NaiveDate) -> MemberFacts {
        let age = p.age_on(today);
        let stage = if !self.needs_stage {
            None
        } else {
            match p.birth_date {
                Some(b) => crate::routing::SchoolStage::on(b, today),
                None => age.map(crate::routing::SchoolStage::for_age),
            }
        };
        let mut m = MemberFacts {
            age: age.unwrap_or(NO_AGE),
            stage: stage.map_or(0, stage_bit),
            care_rank: p
                .care_level
                .as_ref()
                .and_then(|c| self.care_rank.get(c.as_str()).copied())
                .unwrap_or(0),
            has_cert: !p.disabilities.is_empty(),
            relation: relation_bit(p.relation),
            employment: p.employment.map_or(0, employment_bit),
            engagement: engagement_bit(p.engagement),
            ..MemberFacts::default()
        };
        for d in &p.disabilities {
            if let Some(i) = self.cert_index.get(d.kind.as_str()) {
                m.certs |= 1 << i;
            }
        }
        let mut flags = 0;
        if p.public_assistance {
            flags |= F_PUBLIC_ASSISTANCE;
        }
        if p.single_parent {
            flags |= F_SINGLE_PARENT;
        }
        if !p.cares_for.is_empty() {
            flags |= F_CARER;
        }
        if p.relation == Relation::Head {
            flags |= F_HEAD;
        }
        if p.hospitalised {
            flags |= F_HOSPITALISED;
        }
        if p.care_level.is_some() {
            flags |= F_CARE_RECORDED;
        }
        m.flags = flags;
        for issue in &p.issues {
            let info = self.issue_facts(issue.code.as_str());
            if issue.is_current() {
                m.current.add(info);
            } else if issue.is_suspected() {
                m.suspected.add(info);
            }
        }
        m.issues = m.current.codes;
        m.domains = m.current.domains;
        m.any_issue = m.current.any;
        m
    }

    /// Fill `members` and return the household-level facts.
    pub(crate) fn facts(
        &self,
        household: &Household,
        today: chrono::NaiveDate,
        members: &mut Vec<MemberFacts>,
    ) -> HouseholdFacts {
        members.clear();
        let mut f = HouseholdFacts::default();
        for issue in &household.issues {
            let info = self.issue_facts(issue.code.as_str());
            if issue.is_current() {
                f.current.add(info);
            } else if issue.is_suspected() {
                f.suspected.add(info);
            }
        }
        f.own_domains = f.current.domains;
        f.own = f.current;
        for p in &household.members {
            let m = self.member_facts(p, today);
            f.current.or(&m.current);
            f.suspected.or(&m.suspected);
            f.members_with_issues += u32::from(m.any_issue);
            f.engagement |= m.engagement;
            members.push(m);
        }
        f.issues = f.current.codes;
        f.domains = f.current.domains;
        f.any_issue = f.current.any;
        f
    }

    pub(crate) fn ctx<'a>(
        &self,
        household: &'a Household,
        situation: &'a Situation,
        facts: HouseholdFacts,
        members: &'a [MemberFacts],
    ) -> Ctx<'a> {
        Ctx {
            household,
            situation,
            facts,
            members,
            patterns: Cell::new(0),
            known: Cell::new(0),
        }
    }

    /// Every composite pattern of the household (for explanations and tests).
    pub(crate) fn patterns(&self, ctx: &Ctx<'_>) -> u8 {
        let mut mask = 0;
        for p in ALL_PATTERNS {
            let bit = pattern_bit(p);
            if self.pattern(ctx, bit) {
                mask |= bit;
            }
        }
        mask
    }

    /// Whether the pattern `bit` is present, decided once per household: by the compiled twin of
    /// the detector when it is exact for these settings, else by the detector (all at once).
    #[inline]
    pub(crate) fn pattern(&self, ctx: &Ctx<'_>, bit: u8) -> bool {
        let known = ctx.known.get();
        if known & bit != 0 {
            return ctx.patterns.get() & bit != 0;
        }
        if !self.filter.exact {
            let mask = self.detected(ctx);
            ctx.patterns.set(mask);
            ctx.known.set(u8::MAX);
            return mask & bit != 0;
        }
        let present = self.filter.one(self, ctx, bit);
        ctx.known.set(known | bit);
        if present {
            ctx.patterns.set(ctx.patterns.get() | bit);
        }
        present
    }

    /// The composite patterns as `patterns::detect_patterns` finds them.
    pub(crate) fn detected(&self, ctx: &Ctx<'_>) -> u8 {
        let found = crate::patterns::detect_patterns(
            ctx.household,
            &self.env.taxonomies,
            &self.env.directory,
            &self.env.pattern_settings,
            ctx.situation.today,
        );
        found.iter().fold(0, |acc, f| acc | pattern_bit(f.pattern))
    }

    pub(crate) fn count(&self, of: CountOf, ctx: &Ctx<'_>) -> u32 {
        match of {
            CountOf::Domains => ctx.facts.domains.count_ones(),
            CountOf::Issues => ctx.facts.issues.count(),
            CountOf::Members => ctx.members.len() as u32,
            CountOf::MembersWithIssues => ctx.facts.members_with_issues,
        }
    }

    fn eval(&self, n: u32, ctx: &Ctx<'_>) -> bool {
        match &self.nodes[n as usize] {
            Node::All { start, len } => self.children[*start as usize..(*start + *len) as usize]
                .iter()
                .all(|c| self.eval(*c, ctx)),
            Node::Any { start, len } => self.children[*start as usize..(*start + *len) as usize]
                .iter()
                .any(|c| self.eval(*c, ctx)),
            Node::Not(c) => !self.eval(*c, ctx),
            Node::Issue(p) => p.matches(&ctx.facts.current, &ctx.facts.suspected),
            Node::Member(i) => {
                let p = &self.members[*i as usize];
                ctx.members.iter().any(|m| p.matches(m))
            }
            Node::Pattern(bit) => self.pattern(ctx, *bit),
            Node::Engagement(mask) => ctx.facts.engagement & mask != 0,
            Node::Consent(mask) => consent_bit(ctx.situation.consent) & mask != 0,
            Node::Urgency(mask) => urgency_bit(ctx.situation.urgency) & mask != 0,
            Node::Area(i) => {
                let codes = &self.areas[*i as usize];
                ctx.household
                    .area
                    .codes()
                    .any(|c| codes.iter().any(|x| x == c.as_str()))
            }
            Node::Count { of, lo, hi } => {
                let n = self.count(*of, ctx);
                n >= *lo && n <= *hi
            }
        }
    }

    /// Whether the rule at `index` (static order) matches.
    pub(crate) fn rule_matches(&self, index: usize, ctx: &Ctx<'_>) -> bool {
        self.eval(self.compiled[index].root, ctx)
    }

    pub(crate) fn target_of(&self, index: usize) -> u16 {
        self.compiled[index].target
    }

    /// The hot path: ranked matches for a household, without building explanations and without
    /// allocating once `scratch` has grown.
    ///
    /// One match per target (agency kind + project): the first rule in static order wins. Ranked
    /// by urgency (immediate first), then static order. Never empty: when no rule matches, the
    /// fallback (the receiving window's comprehensive consultation) is the one match.
    pub fn matches<'s>(
        &self,
        household: &Household,
        situation: &Situation,
        scratch: &'s mut Scratch,
    ) -> &'s [Match] {
        let mut members = std::mem::take(&mut scratch.members);
        let facts = self.facts(household, situation.today, &mut members);
        scratch.matches.clear();
        {
            let ctx = self.ctx(household, situation, facts, &members);
            for (i, rule) in self.compiled.iter().enumerate() {
                if scratch
                    .matches
                    .iter()
                    .any(|m| self.compiled[m.rule as usize].target == rule.target)
                {
                    continue;
                }
                if self.eval(rule.root, &ctx) {
                    scratch.matches.push(Match {
                        rule: i as u32,
                        urgency: self.rules[i].then.urgency.unwrap_or(situation.urgency),
                    });
                }
            }
        }
        scratch.members = members;
        if scratch.matches.is_empty() {
            scratch.matches.push(Match {
                rule: u32::MAX,
                urgency: situation.urgency,
            });
        }
        scratch
            .matches
            .sort_unstable_by_key(|m| (m.urgency, m.rule));
        &scratch.matches
    }
}
