//! A guided tour of tsunagu: Y-san's case (DOMAIN.md §8, seeds 001) walked from the first
//! consultation — her household routed with the reasons for each recommendation, the DV she
//! divorced because of recorded as past so that nothing is notified — to a support plan, a
//! 支援会議, consent, a referral, monitoring and a match with a parents' group (参加支援) — every
//! step a command in the registry, each printed as it happens.
//!
//! Run: `cargo run -p tsunagu --example tour` (the README's main job). `core/tests/tour.rs` runs
//! the same function as a test.

use serde_json::{json, Value};
use std::io::Write;
use tsunagu::journal::Store;
use tsunagu::record::{TimelineFilter, TimelineSubject};
use tsunagu::registry::{CaseBook, Command, Receipt};
use tsunagu::worker::Actor;
use tsunagu::worklist::{Lang, TaskLabels, WorklistQuery};

/// Y-san's household, the Sendai agency directory (fixtures shared with the bindings' tests).
pub const HOUSEHOLD: &str = include_str!("../../tests/fixtures/y_san_household.json");
/// The agencies of the tour.
pub const AGENCIES: &str = include_str!("../../tests/fixtures/sendai_agencies.json");

type TourResult<T> = Result<T, Box<dyn std::error::Error>>;

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().expect("tour dates are valid")
}

fn cmd(v: Value) -> TourResult<Command> {
    Ok(serde_json::from_value(v)?)
}

/// When the tour's events are recorded: the day of the command, at 09:00 UTC.
fn recorded_at(on: &str) -> chrono::DateTime<chrono::Utc> {
    date(on).and_hms_opt(9, 0, 0).expect("valid time").and_utc()
}

/// Execute one command of the tour (before any worker is registered: setup mode), journal it,
/// and print what happened.
fn step<S: Store>(
    out: &mut dyn Write,
    reg: &mut CaseBook<S>,
    on: &str,
    title: &str,
    command: Value,
) -> TourResult<Receipt> {
    step_as(out, reg, None, on, title, command)
}

/// [`step`] executed by `actor` (a worker of an agency, recorded on the journal event).
fn step_as<S: Store>(
    out: &mut dyn Write,
    reg: &mut CaseBook<S>,
    actor: Option<&Actor>,
    on: &str,
    title: &str,
    command: Value,
) -> TourResult<Receipt> {
    let command = cmd(command)?;
    let receipt = reg.execute_as(command, date(on), recorded_at(on), actor)?;
    let summary = match &receipt {
        Receipt::Recorded => "recorded".to_string(),
        Receipt::CaseTransition { transition } => {
            format!("case {} → {}", transition.from.code(), transition.to.code())
        }
        Receipt::ReferralTransition { status } => format!("referral is now {}", json!(status)),
        Receipt::Consent { track_changes } => {
            let moves: Vec<String> = track_changes
                .iter()
                .map(|t| format!("{} → {}", t.case, t.to.meeting_type()))
                .collect();
            format!(
                "consent recorded; meeting track: {}",
                if moves.is_empty() {
                    "unchanged".into()
                } else {
                    moves.join(", ")
                }
            )
        }
        Receipt::Disclosed { view, record } => format!(
            "{} view of {:?}; provision record {}",
            json!(view.level).as_str().unwrap_or_default(),
            view.shown.iter().map(|c| c.code()).collect::<Vec<_>>(),
            if record.is_some() {
                "written"
            } else {
                "not needed"
            }
        ),
        Receipt::MatchUpdated { status } => format!("match is now {}", status.stage().code()),
        Receipt::DisasterUpdated {
            stage,
            next_visit_due,
            ..
        } => format!("housing {stage}; next visit due {next_visit_due:?}"),
        Receipt::DisasterPhaseEnded { case, .. } => format!("household moved into case {case}"),
    };
    writeln!(out, "  [{on}] {title:<44} {summary}")?;
    Ok(receipt)
}

/// Y-san's household as the fixture records it, but with the DV she divorced because of
/// recorded as what it is: a past issue, known from her (課題の状態: 過去, 本人の申告).
fn household_with_past_dv() -> TourResult<Value> {
    let mut household: Value = serde_json::from_str(HOUSEHOLD)?;
    let issues = household["members"][0]["issues"]
        .as_array_mut()
        .ok_or("the fixture's first member has issues")?;
    for issue in issues.iter_mut() {
        if issue == "dv" {
            *issue = json!({ "code": "dv", "status": "past", "source": "self_reported" });
        }
    }
    Ok(household)
}

/// Route the registered household (振り分け) with the default rules and the tour's directory,
/// and print each recommendation with the facts that satisfied its rule.
fn show_routing<S: Store>(out: &mut dyn Write, reg: &CaseBook<S>) -> TourResult<()> {
    use tsunagu::routing::{ConsentState, Router, RoutingEnv, Situation};
    let tax = tsunagu::taxonomy::Taxonomies::builtin();
    let directory = tsunagu::agency::Directory::from_json(AGENCIES, &tax)?;
    let router = Router::builtin(RoutingEnv::new(tax, directory))?;
    let household = reg
        .registry()
        .household(&"h-y".into())
        .ok_or("h-y is registered")?;
    let mut situation = Situation::new(date("2023-06-05"));
    situation.consent = ConsentState::None;
    situation.receiving_window = Some("social_welfare_council".into());
    let routing = router.evaluate(household, &situation);
    writeln!(out, "  routing (振り分け), consent not yet given:")?;
    for r in &routing.recommendations {
        let target = [
            r.agency_kind.as_ref().map(|k| k.to_string()),
            r.project.as_ref().map(|p| p.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" / ");
        let meeting = r
            .meeting
            .as_ref()
            .map(|m| format!(", next meeting {m}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  route {} {:<26} → {target} ({}{meeting})",
            r.rank,
            r.rule.as_str(),
            r.urgency.code()
        )?;
        for f in &r.explanation.facts {
            if f.kind != "pattern_evidence" {
                writeln!(out, "      because {}", f.text.en)?;
            }
        }
    }
    let immediate = routing
        .recommendations
        .iter()
        .filter(|r| r.urgency.code() == "immediate")
        .count();
    writeln!(
        out,
        "  {immediate} immediate recommendations: her DV is recorded as past, so no one notifies the child guidance centre (recorded as current, immediate.dv_children would come first)"
    )?;
    Ok(())
}

/// Walk the whole tour on `reg`, writing to `out`.
pub fn run<S: Store>(out: &mut dyn Write, reg: &mut CaseBook<S>) -> TourResult<()> {
    writeln!(
        out,
        "tsunagu {} — guided tour: Y-san's case (Sendai, seeds 001)\n",
        tsunagu::VERSION
    )?;

    writeln!(out, "1. The municipality's support system: agencies")?;
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES)?;
    let batch = agencies
        .iter()
        .map(|a| cmd(json!({ "command": "register_agency", "agency": a })))
        .collect::<TourResult<Vec<_>>>()?;
    reg.execute_batch(batch, date("2023-04-01"), recorded_at("2023-04-01"))?;
    writeln!(
        out,
        "  {} agencies registered; Sendai calls its 支援会議 つながる会議",
        agencies.len()
    )?;
    step(
        out,
        reg,
        "2023-04-01",
        "municipal meeting name つながる会議",
        json!({
            "command": "extend_meeting_types",
            "document": { "aliases": [ { "code": "tsunagaru_kaigi", "ja": "つながる会議", "en": "Tsunagaru meeting", "base": "support_meeting" } ] }
        }),
    )?;

    writeln!(
        out,
        "\n2. Intake (受付): she comes to the council for a welfare-fund loan"
    )?;
    let household = household_with_past_dv()?;
    step(
        out,
        reg,
        "2023-06-05",
        "register household h-y (DV recorded as past)",
        json!({ "command": "register_household", "household": household }),
    )?;
    let findings = reg.registry().patterns(&"h-y".into(), date("2023-06-05"))?;
    for f in &findings {
        let facts: Vec<&str> = f.evidence.facts.iter().map(|l| l.en.as_str()).collect();
        writeln!(
            out,
            "  pattern {:<14} {}",
            json!(f.pattern).as_str().unwrap_or_default(),
            facts.join("; ")
        )?;
    }
    show_routing(out, reg)?;
    step(
        out,
        reg,
        "2023-06-05",
        "open case c-y at the council",
        json!({
            "command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother",
            "responsible_window": "sendai-council",
            "intake": { "channel": "walk_in", "receiving_window": "sendai-council",
                        "chief_complaint": "生活福祉資金を借りたい。仕事が続かず生活が苦しい。", "on": "2023-06-05" }
        }),
    )?;

    writeln!(
        out,
        "\n3. Assessment (アセスメント): the CSW listens to the whole household"
    )?;
    step(
        out,
        reg,
        "2023-06-12",
        "begin assessment",
        json!({ "command": "case", "case": "c-y", "action": { "action": "begin_assessment" } }),
    )?;
    // The assessment lists her current issues: the DV is in her past (recorded on the household).
    step(
        out,
        reg,
        "2023-06-12",
        "record assessment",
        json!({
            "command": "case", "case": "c-y", "action": { "action": "record_assessment", "assessment": {
                "on": "2023-06-12",
                "issues": [ { "member": "y-mother", "issues": ["income_living_costs", "job_search"] },
                            { "member": "y-son2", "issues": ["developmental_concern", "health_disability"] } ],
                "strengths": ["子どもを大切にしている", "相談に来る力がある"],
                "wishes": "車を手放さずに、子どもたちと安定して暮らしたい",
                "urgency": "high" } }
        }),
    )?;

    writeln!(out, "\n4. 支援会議 (つながる会議, art. 106-6): shared without consent under statutory confidentiality")?;
    step(
        out,
        reg,
        "2023-06-20",
        "what the 支援会議 may see",
        json!({
            "command": "disclose", "provider": "sendai-council",
            "shown": ["identity", "household", "health_disability", "finances", "legal_criminal", "relations"],
            "request": { "case": "c-y", "person": "y-mother", "purpose": "support_planning", "on": "2023-06-20",
                         "audience": { "type": "meeting", "meeting_type": "tsunagaru_kaigi", "participants_acknowledged": true } }
        }),
    )?;
    step(
        out,
        reg,
        "2023-06-20",
        "hold the 支援会議",
        json!({
            "command": "hold_meeting", "meeting": {
                "id": "m-1", "meeting_type": "tsunagaru_kaigi", "date": "2023-06-20",
                "convener": { "agency": "city-hall", "role": "municipality" },
                "participants": [ { "agency": "sendai-council", "acknowledged_confidentiality": true },
                                  { "agency": "aoba-ward-office", "acknowledged_confidentiality": true },
                                  { "agency": "aoba-disability", "acknowledged_confidentiality": true } ],
                "cases": ["c-y"],
                "decisions": [ { "case": "c-y", "agency": "aoba-ward-office", "task": "生活保護の申請支援", "due": "2023-07-10" },
                               { "case": "c-y", "agency": "aoba-disability", "task": "通学バスの代替手段を検討", "due": "2023-07-31" } ],
                "next_review": "2023-09-20" }
        }),
    )?;
    step(out, reg, "2023-06-21", "重層的支援会議 before consent", json!({
        "command": "disclose", "provider": "sendai-council", "shown": ["identity", "finances"],
        "request": { "case": "c-y", "person": "y-mother", "purpose": "support_planning", "on": "2023-06-21",
                     "audience": { "type": "meeting", "meeting_type": "multi_layered_support_meeting", "participants_acknowledged": true } }
    })).map(|_| ()).or_else(|e| -> TourResult<()> {
        let code = e.downcast_ref::<tsunagu::Error>().map(|e| e.code()).unwrap_or("?");
        writeln!(out, "  [2023-06-21] 重層的支援会議 before consent               refused: {code}")?;
        Ok(())
    })?;

    writeln!(
        out,
        "\n5. Continuing support with a plan made with her (伴走型)"
    )?;
    step(
        out,
        reg,
        "2023-06-22",
        "decide: continuing support",
        json!({ "command": "case", "case": "c-y", "action": { "action": "decide", "outcome": "continuing_support" } }),
    )?;
    step(
        out,
        reg,
        "2023-06-22",
        "consent to share with 重層的支援会議",
        json!({
            "command": "consent", "action": { "command": "give", "id": "cons-1", "on": "2023-06-22", "terms": {
                "person": "y-mother", "scope": ["identity", "household", "finances", "relations"],
                "recipients": [ { "meeting_type": "multi_layered_support_meeting" } ],
                "legal_basis": "本人同意", "method": "written", "obtained_by": "sendai-council" } }
        }),
    )?;
    step(
        out,
        reg,
        "2023-06-22",
        "support plan p-y v1",
        json!({
            "command": "create_plan", "plan": {
                "id": "p-y", "case": "c-y", "version": 1, "created_on": "2023-06-22",
                "chief_complaint": "生活福祉資金を借りたい。仕事が続かず生活が苦しい。",
                "wishes": "車を手放さずに、子どもたちと安定して暮らしたい",
                "policy": "生活の安定を最優先にし、次男の通学を支える仕組みをつくる。つながり続ける。",
                "approaches": ["problem_solving", "staying_connected"],
                "long_term_goals": [ { "id": "g1", "text": "安定した収入で暮らせる", "target_date": "2024-03-31" } ],
                "short_term_goals": [ { "id": "g2", "text": "生活保護の申請が通る", "target_date": "2023-08-31" },
                                      { "id": "g3", "text": "親の会で話せる仲間ができる", "target_date": "2023-12-31" } ],
                "actions": [ { "id": "a1", "description": "生活保護の申請に同行する", "responsible": { "type": "agency", "agency": "sendai-council" }, "schedule": { "text": "7月上旬" }, "goals": ["g2"] },
                             { "id": "a2", "description": "発達が気になる子の親の会を紹介する", "responsible": { "type": "agency", "agency": "aoba-disability" }, "schedule": { "text": "9月" }, "goals": ["g3"] },
                             { "id": "a3", "description": "見守りと声かけ", "responsible": { "type": "informal", "kind": "welfare_commissioner", "label": "民生委員" }, "schedule": { "text": "月1回" }, "goals": ["g1"] } ],
                "monitoring": { "first_on": "2023-08-01", "interval_days": 60 } }
        }),
    )?;
    step(
        out,
        reg,
        "2023-06-23",
        "she consents to the plan",
        json!({ "command": "consent_to_plan", "plan": "p-y", "consent": { "on": "2023-06-23", "method": "signature" } }),
    )?;
    step(
        out,
        reg,
        "2023-06-23",
        "adopt the plan",
        json!({ "command": "case", "case": "c-y", "action": { "action": "adopt_plan", "plan": "p-y" } }),
    )?;

    writeln!(
        out,
        "\n6. Referral (つなぎ) to the ward office for public assistance, and liaison"
    )?;
    step(
        out,
        reg,
        "2023-06-26",
        "propose referral r-1",
        json!({
            "command": "propose_referral", "proposal": { "id": "r-1", "case": "c-y", "household": "h-y",
                "from": "sendai-council", "to": "aoba-ward-office", "purpose": "生活保護の申請と受給支援", "on": "2023-06-26" }
        }),
    )?;
    step(
        out,
        reg,
        "2023-06-26",
        "send it",
        json!({ "command": "referral", "referral": "r-1", "actor": "sendai-council", "action": { "action": "send", "on": "2023-06-26", "follow_up_on": "2023-07-10" } }),
    )?;
    step(
        out,
        reg,
        "2023-06-27",
        "log the phone call",
        json!({
            "command": "log_contact", "contact": { "id": "lc-1", "case": "c-y", "on": "2023-06-27", "agency": "aoba-ward-office",
                "channel": "phone", "purpose": "申請日程の調整", "csw_role": "coordinate" }
        }),
    )?;
    match step(
        out,
        reg,
        "2023-06-28",
        "the council tries to accept its own referral",
        json!({ "command": "referral", "referral": "r-1", "actor": "sendai-council", "action": { "action": "accept", "on": "2023-06-28" } }),
    ) {
        Ok(_) => return Err("the sender must not be able to accept".into()),
        Err(e) => {
            let code = e
                .downcast_ref::<tsunagu::Error>()
                .map(|e| e.code())
                .unwrap_or("?");
            writeln!(
                out,
                "  [2023-06-28] {:<44} refused: {code}",
                "the council tries to accept its own referral"
            )?;
        }
    }
    step(
        out,
        reg,
        "2023-07-03",
        "the ward office accepts",
        json!({ "command": "referral", "referral": "r-1", "actor": "aoba-ward-office", "action": { "action": "accept", "on": "2023-07-03" } }),
    )?;
    step(
        out,
        reg,
        "2023-07-20",
        "public assistance granted",
        json!({ "command": "referral", "referral": "r-1", "actor": "aoba-ward-office", "action": { "action": "complete", "on": "2023-07-20", "result": "生活保護開始（車の保有は通院・通学のため容認）" } }),
    )?;

    writeln!(out, "\n7. Monitoring (モニタリング)")?;
    let overdue = reg.registry().overdue_monitoring(date("2023-08-10"));
    writeln!(
        out,
        "  [2023-08-10] overdue monitoring: {}",
        overdue
            .iter()
            .map(|o| format!("{} (due {})", o.plan, o.due_on))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    step(
        out,
        reg,
        "2023-08-10",
        "start monitoring",
        json!({ "command": "case", "case": "c-y", "action": { "action": "start_monitoring" } }),
    )?;
    step(
        out,
        reg,
        "2023-08-10",
        "record progress",
        json!({
            "command": "record_monitoring", "plan": "p-y", "record": { "on": "2023-08-10", "by": "csw-1", "decision": "continue",
                "progress": [ { "goal": "g2", "progress": "achieved", "note": "7/20 保護開始" },
                              { "goal": "g3", "progress": "not_started" }, { "goal": "g1", "progress": "in_progress" } ] }
        }),
    )?;
    step(
        out,
        reg,
        "2023-08-10",
        "continue support",
        json!({ "command": "case", "case": "c-y", "action": { "action": "continue_support" } }),
    )?;

    writeln!(
        out,
        "\n8. Participation support (参加支援): the parents' group"
    )?;
    step(
        out,
        reg,
        "2023-08-10",
        "register the parents' group (社会資源)",
        json!({ "command": "register_resource", "resource": {
            "id": "r-parents", "name": "発達が気になる子の親の会", "kind": "peer_group",
            "areas": ["sendai-aoba"], "days": ["saturday"],
            "target": { "issues": ["developmental_concern"], "certificates": ["intellectual"], "audience": "carers" },
            "capacity": { "limit": 20, "current": 12 }, "contact": "sendai-council" } }),
    )?;
    let request: tsunagu::participation::MatchRequest = serde_json::from_value(json!({
        "person": "y-mother", "wishes": ["peer_group"],
        "constraints": { "days_available": ["saturday"] }
    }))?;
    let candidates = reg.registry().match_candidates(
        &"h-y".into(),
        &request,
        &tsunagu::participation::MatchWeights::default(),
        date("2023-08-10"),
    )?;
    if let Some(best) = candidates.first() {
        let reasons: Vec<&str> = best.reasons.iter().map(|r| r.label.ja.as_str()).collect();
        writeln!(
            out,
            "  [2023-08-10] best candidate {} (score {}): {}",
            best.resource,
            best.score,
            reasons.join(" / ")
        )?;
    }
    step(
        out,
        reg,
        "2023-08-10",
        "propose it, follow-up on 08-26",
        json!({ "command": "match", "match": { "type": "propose", "id": "m-y", "person": "y-mother",
                "household": "h-y", "resource": "r-parents", "on": "2023-08-10", "next_follow_up": "2023-08-26" } }),
    )?;
    step(
        out,
        reg,
        "2023-08-19",
        "she tried the Saturday meeting",
        json!({ "command": "match", "match": { "type": "mark_tried", "id": "m-y", "on": "2023-08-19", "next_follow_up": "2023-09-02" } }),
    )?;
    let due = reg.registry().follow_ups_due(date("2023-09-04"));
    writeln!(
        out,
        "  [2023-09-04] follow-ups due (定着支援): {}",
        due.iter()
            .map(|f| format!("{} ({} days overdue)", f.id, f.days_overdue))
            .collect::<Vec<_>>()
            .join(", ")
    )?;

    writeln!(
        out,
        "\n9. Who saw her information (access log, 第三者提供記録)"
    )?;
    for r in reg.registry().access_log(&"y-mother".into()) {
        writeln!(
            out,
            "  {} {} → {} : {:?} on basis {}",
            r.on,
            r.provider,
            r.audience,
            r.categories().iter().map(|c| c.code()).collect::<Vec<_>>(),
            r.grants
                .first()
                .map(|g| json!(g.basis).to_string())
                .unwrap_or_default()
        )?;
    }
    workers_day(out, reg)?;
    let case = reg
        .registry()
        .case(&"c-y".into())
        .ok_or("case c-y exists")?;
    writeln!(
        out,
        "\nCase c-y is {} at window {}, with {} transitions.",
        case.state().kind().code(),
        case.responsible_window(),
        case.history().len()
    )?;
    Ok(())
}

/// Her worker's day: from the first registered worker on, every command names the worker who
/// executed it (the journal records it); the case record, the worklist of the morning and the
/// case's timeline.
fn workers_day<S: Store>(out: &mut dyn Write, reg: &mut CaseBook<S>) -> TourResult<()> {
    writeln!(
        out,
        "\n10. Her worker's day (担当チーム・支援経過記録・業務一覧)"
    )?;
    step(
        out,
        reg,
        "2023-09-04",
        "register the CSW 佐藤 (ends setup mode)",
        json!({ "command": "register_worker", "worker": { "id": "csw-1", "agency": "sendai-council",
                "name": "佐藤", "roles": ["community_social_worker"] } }),
    )?;
    let sato = Actor::new("csw-1", "sendai-council");
    let by = Some(&sato);
    step_as(
        out,
        reg,
        by,
        "2023-09-04",
        "佐藤 becomes 主担当 of case c-y",
        json!({ "command": "assign_team", "case": "c-y", "main": "csw-1", "on": "2023-09-04" }),
    )?;
    step_as(
        out,
        reg,
        by,
        "2023-09-04",
        "home visit, nobody in (訪問したが不在)",
        json!({ "command": "write_entry", "entry": { "id": "e-1", "case": "c-y", "kind": "visit_not_home",
                "on": "2023-09-04", "at": "10:00", "place": "自宅", "text": "不在。手紙を置いた。", "by": "csw-1" } }),
    )?;
    step_as(
        out,
        reg,
        by,
        "2023-09-05",
        "she phones back (電話)",
        json!({ "command": "write_entry", "entry": { "id": "e-2", "case": "c-y", "kind": "phone",
                "on": "2023-09-05", "with": [{ "type": "person" }], "text": "親の会の様子を聞いた。",
                "issues": ["child_rearing"], "by": "csw-1" } }),
    )?;
    let title = "a note written without naming its worker";
    match step(
        out,
        reg,
        "2023-09-05",
        title,
        json!({ "command": "write_entry", "entry": { "id": "e-3", "case": "c-y", "kind": "phone",
                "on": "2023-09-05", "with": [{ "type": "person" }], "text": "—" } }),
    ) {
        Ok(_) => {
            return Err("a command without an actor must be refused once workers exist".into())
        }
        Err(e) => {
            let code = e
                .downcast_ref::<tsunagu::Error>()
                .map(|e| e.code())
                .unwrap_or("?");
            writeln!(out, "  [2023-09-05] {title:<44} refused: {code}")?;
        }
    }
    let mut query = WorklistQuery::on(date("2023-09-05"));
    query.worker = Some("csw-1".into());
    let list = reg.registry().worklist(&query);
    let labels = TaskLabels::builtin();
    writeln!(
        out,
        "  [2023-09-05] 佐藤's worklist: {} overdue, {} due today, {} due this week",
        list.overdue.len(),
        list.due_today.len(),
        list.due_this_week.len()
    )?;
    for e in list.entries() {
        writeln!(
            out,
            "    {} — case {}, due {}",
            labels.render(&e.task, Lang::Ja),
            e.task.case.as_ref().map_or("-", |c| c.as_str()),
            e.task.due_on
        )?;
    }
    let items = reg.registry().timeline(
        &TimelineSubject::Case { case: "c-y".into() },
        &TimelineFilter::default(),
    )?;
    writeln!(
        out,
        "  timeline of case c-y: {} items, the last three:",
        items.len()
    )?;
    for item in items.iter().skip(items.len().saturating_sub(3)) {
        writeln!(out, "    {} {}", item.on, item.summary)?;
    }
    Ok(())
}

/// The tour on a journal file: run it, close the file, reopen it, verify the hash chain and show
/// that replay rebuilds the same state.
pub fn run_on_file(out: &mut dyn Write, path: &std::path::Path) -> TourResult<()> {
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let state = {
        let mut book = CaseBook::open_file(path, "council-desk-1")?;
        run(out, &mut book)?;
        serde_json::to_value(book.registry())?
    };
    let reopened = CaseBook::open_file(path, "council-desk-1")?;
    reopened.verify()?;
    writeln!(out, "\n11. The journal ({})", path.display())?;
    writeln!(
        out,
        "  {} events, hash chain verified up to {}…",
        reopened.journal().len(),
        &reopened.journal().last_hash()[..16]
    )?;
    let same = serde_json::to_value(reopened.registry())? == state;
    writeln!(
        out,
        "  reopened and replayed: state {} the state the commands produced",
        if same { "equals" } else { "DIFFERS FROM" }
    )?;
    if !same {
        return Err("replay differs".into());
    }
    Ok(())
}

#[allow(dead_code)]
fn main() -> TourResult<()> {
    // The journal file: the first argument, or `tour.journal.sqlite` in the current directory.
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tour.journal.sqlite".to_string());
    let stdout = std::io::stdout();
    run_on_file(&mut stdout.lock(), std::path::Path::new(&path))?;
    Ok(())
}
