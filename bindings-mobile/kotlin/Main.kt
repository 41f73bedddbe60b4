// Kotlin tests of the tsunagu mobile bindings on the JVM (no test framework: a small runner that
// prints every test and closes with "N passed, N failed"; exit status 1 on any failure).
//
//   java … jp.tsunagu.mobile.tests.MainKt <tests/vectors> <tests/fixtures> [bench-n]
//   java … jp.tsunagu.mobile.tests.MainKt bench <n>       (bench.sh: the boundary benchmark only)
package jp.tsunagu.mobile.tests

import jp.tsunagu.core.*
import jp.tsunagu.mobile.*
import java.io.File
import java.time.LocalDate
import kotlin.system.exitProcess

class Failed(msg: String) : Exception(msg)

fun check(cond: Boolean, msg: () -> String) { if (!cond) throw Failed(msg()) }
fun <T> eq(expected: T, actual: T, what: String = "value") =
    check(expected == actual) { "$what: expected $expected, got $actual" }

var passed = 0
var failed = 0

fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
        println("  ok    $name")
    } catch (e: Throwable) {
        failed++
        println("  FAIL  $name: ${e::class.simpleName}: ${e.message}")
    }
}

lateinit var fixtures: File
var clock = 1_700_000_000_000L
fun now(): Long { clock += 1000; return clock }
/** Move the recording clock to 2024-04-01 (it only moves forward): the typed offline records check
 *  their dates against the day they are recorded on in Japan (`date_in_future`). */
fun recordingFromApril2024() { clock = maxOf(clock, 1_711_929_600_000L) }
fun d(s: String): LocalDate = LocalDate.parse(s)

/** The office's journal: the Sendai agencies, Y-san's household and case c-y at intake. */
fun office(journal: CaseJournal) {
    @Suppress("UNCHECKED_CAST")
    val agencies = Json.parse(File(fixtures, "sendai_agencies.json").readText()) as List<Any?>
    for (a in agencies) journal.registerAgency(d("2023-04-01"), now(), Json.write(a))
    val household = householdFromJson(File(fixtures, "y_san_household.json").readText())
    journal.registerHousehold(d("2023-06-05"), now(), household)
    journal.openCase(now(), "c-y", "h-y", "y-mother", "sendai-council",
        Intake(channel = "walk_in", receivingWindow = "sendai-council",
            chiefComplaint = "生活福祉資金を借りたい", on = d("2023-06-05")))
}

fun cmd(on: String, json: String) = CommandEvent(d(on), now(), json)

fun visit(id: String, on: String) = Contact(id = id, case = "c-y", on = d(on), agency = "aoba-ward-office",
    channel = "home_visit", purpose = "見守り訪問", cswRole = "coordinate")

fun tmp(name: String): String {
    val f = File.createTempFile("tsunagu-$name-", ".db")
    f.delete()
    f.deleteOnExit()
    return f.path
}

fun flows() {
    test("open a journal, record a household and an intake; the file survives reopening") {
        val path = tmp("flow")
        val j = CaseJournal.open(path, "tablet-a")
        office(j)
        val h = j.household("h-y") ?: throw Failed("household h-y missing")
        eq(3, h.members.size, "members")
        eq(Relation.HEAD, h.members[0].relation, "relation")
        eq(d("2009-06-10"), h.members[1].birthDate, "birth date as LocalDate")
        val cases = j.cases()
        eq(1, cases.size, "cases")
        eq("intake", cases[0].state, "state")
        val n = j.len()
        j.close()
        val again = CaseJournal.open(path, "tablet-a")
        eq(n, again.len(), "events after reopening")
        eq(cases, again.cases(), "cases after reopening")
        eq(n, again.verify().events, "verified events")
    }

    test("route a household with explanations; batch equals one by one") {
        val router = Router.builtin()
        val h = householdFromJson(File(fixtures, "y_san_household.json").readText())
        val s = Situation(today = d("2023-06-05"), urgency = Urgency.NORMAL, consent = ConsentState.NONE, receivingWindow = null)
        val r = router.route(h, s)
        eq("h-y", r.household, "household")
        check(r.recommendations.isNotEmpty()) { "no recommendation" }
        eq((1..r.recommendations.size).map { it.toUInt() }, r.recommendations.map { it.rank }, "ranks")
        check(r.recommendations.all { it.explanation.description.ja.isNotEmpty() }) { "explanations missing" }
        check(r.recommendations.any { it.explanation.facts.isNotEmpty() }) { "no facts" }
        val j = CaseJournal.inMemory("tablet-a")
        office(j)
        eq(r, j.routeHousehold(router, "h-y", s), "routing the registered household")
        val other = h.copy(id = "h-2", members = h.members.take(1))
        eq(listOf(r, router.route(other, s)), router.routeBatch(listOf(h, other), s), "batch")
    }

    test("lean batch: brief routing equals the full routing without explanations, typed or from JSON") {
        val router = Router.builtin()
        val text = File(fixtures, "y_san_household.json").readText()
        val h = householdFromJson(text)
        val other = h.copy(id = "h-2", members = h.members.take(1))
        val s = Situation(today = d("2023-06-05"), urgency = Urgency.NORMAL, consent = ConsentState.NONE, receivingWindow = "self_reliance_support_office")
        val brief = router.routeBatchBrief(listOf(h, other, Household(id = "h-empty", members = listOf(Person(id = "e1", relation = Relation.HEAD, engagement = Engagement.ENGAGED)))), s)
        eq(listOf("h-y", "h-2", "h-empty"), brief.map { it.household }, "households in order")
        for (b in brief.take(2)) {
            val full = router.route(if (b.household == "h-y") h else other, s)
            eq(full.recommendations.map { RecommendationBrief(it.rank, it.rule, it.agencyKind, it.project, it.urgency, it.meeting) },
                b.recommendations, "brief of ${b.household}")
        }
        // Nothing matches an empty household: the fallback goes to the receiving window.
        eq(listOf(RecommendationBrief(1u, "fallback", "self_reliance_support_office", "comprehensive_consultation", Urgency.NORMAL, null)),
            brief[2].recommendations, "fallback")
        val fromJson = router.routeBatchJson("[$text]", s)
        eq(brief.take(1), fromJson, "same brief from the JSON document")
        try {
            router.routeBatchJson("[$text, {\"id\": \"x\", \"members\": [{\"id\": \"x1\", \"relation\": \"cousin\"}]}]", s)
            throw Failed("expected malformed_document")
        } catch (e: TsunaguException.Invalid) {
            eq("malformed_document", e.code, "code")
            check(e.path?.startsWith("$[1]") == true) { "path ${e.path}" }
        }
    }

    test("plan: adopt a support plan and find it on the monitoring due list") {
        val j = CaseJournal.inMemory("tablet-a")
        office(j)
        val plan = """{"command":"create_plan","plan":{"id":"p-y","case":"c-y","version":1,"created_on":"2023-06-22",
            "chief_complaint":"生活が苦しい","wishes":"子どもたちと暮らしたい","policy":"生活の安定",
            "approaches":["problem_solving"],
            "long_term_goals":[{"id":"g1","text":"安定した収入","target_date":"2024-03-31"}],
            "short_term_goals":[{"id":"g2","text":"申請が通る","target_date":"2023-08-31"}],
            "actions":[{"id":"a1","description":"申請に同行","responsible":{"type":"agency","agency":"sendai-council"},"schedule":{"text":"7月"},"goals":["g2"]}],
            "monitoring":{"first_on":"2023-08-01","interval_days":60}}}"""
        val receipts = j.appendBatch(listOf(
            cmd("2023-06-12", """{"command":"case","case":"c-y","action":{"action":"begin_assessment"}}"""),
            cmd("2023-06-12", """{"command":"case","case":"c-y","action":{"action":"record_assessment","assessment":{"on":"2023-06-12","issues":[{"member":"y-mother","issues":["income_living_costs"]}],"strengths":[],"wishes":"暮らしたい","urgency":"high"}}}"""),
            cmd("2023-06-22", """{"command":"case","case":"c-y","action":{"action":"decide","outcome":"continuing_support"}}"""),
            cmd("2023-06-22", plan),
            cmd("2023-06-23", """{"command":"consent_to_plan","plan":"p-y","consent":{"on":"2023-06-23","method":"signature"}}"""),
            cmd("2023-06-23", """{"command":"case","case":"c-y","action":{"action":"adopt_plan","plan":"p-y"}}"""),
        ))
        eq(6, receipts.size, "receipts")
        eq("case_transition", receipts[0].kind, "first receipt")
        eq(emptyList<OverdueMonitoring>(), j.dueMonitoring(d("2023-07-31")), "nothing due in July")
        val due = j.dueMonitoring(d("2023-08-10"))
        eq(1, due.size, "due list")
        eq("p-y", due[0].plan, "plan")
        eq(d("2023-08-01"), due[0].dueOn, "due on")
        eq(9L, due[0].daysOverdue, "days overdue")
    }

    test("record a visit offline on two devices, merge in either order: same journal, both visits") {
        val base = CaseJournal.inMemory("office")
        office(base)
        val export = base.exportJson()
        val a = CaseJournal.inMemory("tablet-a")
        val b = CaseJournal.inMemory("tablet-b")
        eq(base.len().toUInt(), a.importJson(export), "imported")
        b.importJson(export)
        a.recordContact(now(), visit("lc-a", "2023-06-20"))
        b.recordContact(now(), visit("lc-b", "2023-06-20"))
        val m1 = mergeJournals(listOf(a.exportJson(), b.exportJson()), tmp("m1"), "office")
        val m2 = mergeJournals(listOf(b.exportJson(), a.exportJson(), a.exportJson()), tmp("m2"), "office")
        eq(emptyList<ConflictInfo>(), m1.conflicts, "conflicts")
        eq(listOf("lc-a", "lc-b"), m1.journal.contactIds(), "visits")
        eq(base.len() + 2uL, m1.journal.verify().events, "merged events")
        eq(m1.journal.verify().lastHash, m2.journal.verify().lastHash, "deterministic merge")
        // Merging the merged journal again with a device's changes nothing.
        val m3 = mergeJournals(listOf(m1.journal.exportJson(), a.exportJson()), "", "office")
        eq(m1.journal.verify().lastHash, m3.journal.verify().lastHash, "idempotent")
    }

    test("acting on the same case on two devices is a conflict to resolve, never dropped") {
        val base = CaseJournal.inMemory("office")
        office(base)
        val a = CaseJournal.inMemory("tablet-a")
        val b = CaseJournal.inMemory("tablet-b")
        a.importJson(base.exportJson()); b.importJson(base.exportJson())
        val begin = """{"command":"case","case":"c-y","action":{"action":"begin_assessment"}}"""
        a.execute(cmd("2023-06-12", begin))
        b.execute(cmd("2023-06-12", begin))
        val m = mergeJournals(listOf(a.exportJson(), b.exportJson()), "", "office")
        eq(1, m.conflicts.size, "conflicts")
        val c = m.conflicts[0]
        eq("rejected", c.kind, "kind")
        eq("case", c.command, "command")
        check(c.code != null) { "rejection code missing" }
        eq(base.len() + 2uL, m.journal.len(), "both events kept")
        eq(null, m.journal.resolve(0u, Resolution.KeepMerged, d("2023-06-13"), now()), "keep merged appends nothing")
        eq(emptyList<ConflictInfo>(), m.journal.conflicts(), "resolved")
    }

    test("concurrent household edits: conflict, then take the other side as a new event") {
        val base = CaseJournal.inMemory("office")
        office(base)
        val a = CaseJournal.inMemory("tablet-a")
        val b = CaseJournal.inMemory("tablet-b")
        a.importJson(base.exportJson()); b.importJson(base.exportJson())
        val h = base.household("h-y")!!
        fun withJob(e: Employment) = h.copy(members = h.members.mapIndexed { i, m -> if (i == 0) m.copy(employment = e) else m })
        a.updateHousehold(d("2023-06-10"), now(), withJob(Employment.UNEMPLOYED))
        b.updateHousehold(d("2023-06-10"), now(), withJob(Employment.FULL_TIME))
        val m = mergeJournals(listOf(a.exportJson(), b.exportJson()), "", "office")
        eq(listOf("concurrent_edit"), m.conflicts.map { it.kind }, "conflicts")
        eq("household:h-y", m.conflicts[0].record, "record")
        eq(Employment.FULL_TIME, m.journal.household("h-y")!!.members[0].employment, "later edit in force")
        check(m.journal.resolve(0u, Resolution.TakeOther, d("2023-06-30"), now()) != null) { "no event" }
        eq(Employment.UNEMPLOYED, m.journal.household("h-y")!!.members[0].employment, "other side taken")
    }

    test("errors arrive as TsunaguException with code and path; a rejected batch appends nothing") {
        val j = CaseJournal.inMemory("tablet-a")
        office(j)
        try {
            j.openCase(now(), "c-2", "h-nowhere", "x", "sendai-council",
                Intake("walk_in", "sendai-council", "相談", d("2023-06-05")))
            throw Failed("no exception")
        } catch (e: TsunaguException.Rejected) {
            eq("not_found", e.code, "code")
            eq("$.household", e.path, "path")
        }
        val before = j.len()
        try {
            j.appendBatch(listOf(cmd("2023-06-20", Json.write(mapOf("command" to "log_contact", "contact" to mapOf(
                "id" to "lc-1", "case" to "c-y", "on" to "2023-06-20", "agency" to "aoba-ward-office",
                "channel" to "phone", "purpose" to "連絡")))), cmd("2023-06-20", "{not json")))
            throw Failed("no exception")
        } catch (e: TsunaguException.Invalid) {
            eq("malformed_document", e.code, "code")
            check(e.path?.startsWith("$[1]") == true) { "path ${e.path}" }
        }
        eq(before, j.len(), "nothing appended")
        try {
            Router.builtin().extended("""{"rules":[{"id":"x","description":{"ja":"x","en":"x"},"priority":"high","when":{"all":[]},"then":{}}]}""")
            throw Failed("no exception")
        } catch (e: TsunaguException.InvalidRules) {
            eq("invalid_rule_document", e.code, "code")
            check(e.problems.size >= 2) { "problems ${e.problems}" }
        }
    }

    test("era dates and fiscal years are LocalDate") {
        eq(LocalDate.of(2023, 11, 16), parseEraDate("令和5年11月16日"), "parse")
        eq("令和元年5月1日", formatEraDate(LocalDate.of(2019, 5, 1), EraStyle.KANJI), "format")
        eq("R1.5.1", formatEraDate(LocalDate.of(2019, 5, 1), EraStyle.SHORT), "short")
        val fy = fiscalYearOf(LocalDate.of(2024, 2, 1))
        eq(2023, fy.year, "fiscal year")
        eq(LocalDate.of(2023, 4, 1), fy.start, "start")
        try { parseEraDate("令和99年13月1日"); throw Failed("no exception") } catch (e: TsunaguException.Invalid) {
            check(e.code.isNotEmpty()) { "code" }
        }
    }

    test("one journal shared by 8 threads") {
        val j = CaseJournal.inMemory("tablet-a")
        office(j)
        // One timestamp for all: the journal refuses a device's clock going back, and threads
        // reading a clock before taking the journal's lock would race on that order.
        val at = now()
        val threads = (0 until 8).map { t ->
            Thread { for (k in 0 until 10) j.recordContact(at, visit("lc-$t-$k", "2023-06-20")) }
        }
        threads.forEach { it.start() }; threads.forEach { it.join() }
        eq(80u, j.contactCount(), "contacts")
        j.verify()
    }

    test("importJson verifies the export's hash chain: a broken export imports nothing") {
        val base = CaseJournal.inMemory("office")
        office(base)
        val events = Json.parse(base.exportJson()) as List<*>
        val j = CaseJournal.inMemory("tablet-a")
        try {
            j.importJson(Json.write(events.drop(1)))
            throw Failed("no exception")
        } catch (e: TsunaguException.Journal) {
            eq("unverified_journal", e.code, "code"); eq("\$[0]", e.path, "path (the first event out of place)")
        }
        eq(0uL, j.len(), "nothing imported")
        eq(base.len().toUInt(), j.importJson(base.exportJson()), "the whole export")
    }
}

/** The compact batch through the RoutingBriefs view equals the brief batch (issue 8). */
fun compact(vectors: File) {
    test("compact batch: RoutingBriefs equals routeBatchJson on every routing vector, one by one and all in one batch") {
        val router = Router.builtin()
        val cases = routeCases(vectors)
        check(cases.size >= 5) { "route steps found: ${cases.size}" }
        val all = cases.joinToString(",", "[", "]") { it.first }
        var several = 0
        for ((h, s) in cases) {
            val one = router.routeBatchBriefs("[$h]", s)
            eq(router.routeBatchJson("[$h]", s), one, "one household")
            val briefs = router.routeBatchJson(all, s)
            val view = router.routeBatchBriefs(all, s)
            eq(briefs.size, view.size, "size")
            eq(briefs, view, "whole batch (List equality)")
            eq(briefs, view.toList(), "iteration")
            for (i in briefs.indices) {
                eq(briefs[i], view[i], "get($i)")
                eq(briefs[i].household, view.household(i), "household($i)")
                eq(briefs[i].recommendations.size, view.recommendationCount(i), "recommendationCount($i)")
                eq(briefs[i].recommendations[0].rule, view.firstRule(i), "firstRule($i)")
            }
            eq(view.compact.codes.distinct(), view.compact.codes, "each code once")
            eq(briefs, RoutingBriefs(router.routeBatchCompact(all, s)), "routeBatchCompact through the view")
            several += briefs.count { it.recommendations.size > 1 }
        }
        check(several > 0) { "no household with several recommendations" }
        val empty = router.routeBatchBriefs("[]", cases[0].second)
        eq(0, empty.size, "empty batch")
        try { empty[0]; throw Failed("no exception") } catch (e: IndexOutOfBoundsException) { }
        try {
            router.routeBatchCompact("""[{"id": "x", "members": [{"id": "x1", "relation": "cousin"}]}]""", cases[0].second)
            throw Failed("expected malformed_document")
        } catch (e: TsunaguException.Invalid) {
            eq("malformed_document", e.code, "code")
            check(e.path?.startsWith("$[0]") == true) { "path ${e.path}" }
        }
    }
    test("compact batch equals the brief batch on the benchmark's households (non-ASCII ids too)") {
        val router = Router.builtin()
        val s = Situation(urgency = Urgency.NORMAL, consent = ConsentState.GIVEN, receivingWindow = null, today = d("2024-06-01"))
        val hs = (0 until 300).map { Bench.household(it) }.map { if (it.id.endsWith("7")) it.copy(id = "世帯-${it.id}") else it }
        val doc = hs.joinToString(",", "[", "]") { householdToJson(it) }
        eq(router.routeBatchBrief(hs, s), router.routeBatchBriefs(doc, s), "300 households")
    }
}

/** Disaster case management and match follow-ups through the typed calls (issue 9). */
fun support() {
    fun opening(household: String = "h-y") = OpenRecord(id = "dr-y", household = household,
        disaster = "2024_noto_peninsula", on = d("2024-01-10"), damage = DamageLevel.TOTAL,
        stage = HousingStage.Shelter, rank = "b", issues = listOf("disaster_recovery"))
    fun devices(): Triple<CaseJournal, CaseJournal, CaseJournal> {
        recordingFromApril2024()
        val base = CaseJournal.inMemory("office")
        office(base)
        base.openDisasterRecord(now(), opening())
        val a = CaseJournal.inMemory("tablet-a")
        val b = CaseJournal.inMemory("tablet-b")
        a.importJson(base.exportJson()); b.importJson(base.exportJson())
        return Triple(base, a, b)
    }

    test("watching-over visits recorded offline on two devices: merged, the overdue list changes") {
        val (base, a, b) = devices()
        val overdue = base.visitsOverdue(d("2024-01-27"))
        eq(listOf("dr-y"), overdue.map { it.record }, "overdue before the visits")
        eq(d("2024-01-24"), overdue[0].due, "due (opened 01-10, rank b: 14 days)")
        eq(3L, overdue[0].daysOverdue, "days overdue")
        eq(null, overdue[0].lastVisit, "no visit yet")
        // Tablet A finds nobody at home; tablet B meets the household and raises the rank to a.
        val missed = a.recordWatchingVisit(now(), "dr-y", Visit(on = d("2024-01-25"), role = VisitorRole.SUPPORT_CENTRE_STAFF, met = false))
        eq(d("2024-01-24"), missed.nextVisitDue, "an empty doorstep does not move the clock")
        val met = b.recordWatchingVisit(now(), "dr-y", Visit(on = d("2024-01-26"), role = VisitorRole.LSA, by = "lsa-1", met = true, rankAfter = "a"))
        eq("a", met.rank, "rank after the visit")
        eq(d("2024-02-02"), met.nextVisitDue, "next visit: rank a, 7 days")
        eq(listOf("dr-y"), a.visitsOverdue(d("2024-01-27")).map { it.record }, "still overdue on tablet A alone")
        val m = mergeJournals(listOf(a.exportJson(), b.exportJson()), tmp("visits"), "office")
        eq(emptyList<ConflictInfo>(), m.conflicts, "visits add up: no conflict")
        eq(base.len() + 2uL, m.journal.verify().events, "both visits in the merged journal")
        eq(emptyList<VisitDue>(), m.journal.visitsOverdue(d("2024-01-27")), "nothing overdue after the merge")
        val due = m.journal.visitsDue(d("2024-02-02"))
        eq(listOf(VisitDue("dr-y", "h-y", "a", "shelter", d("2024-01-26"), d("2024-02-02"), 0L)), due, "due list after the merge")
        val moved = m.journal.moveHousingStage(now(), "dr-y", d("2024-03-01"), HousingStage.WideAreaEvacuation("山形県"))
        eq("wide_area_evacuation", moved.stage, "stage")
        eq("c", m.journal.assessRisk(now(), "dr-y", d("2024-03-01"), "c").rank, "risk assessed")
    }

    test("an invalid visit arrives as TsunaguException with its code and path; nothing is recorded") {
        val (_, a, _) = devices()
        val n = a.len()
        try {
            a.openDisasterRecord(now(), opening("h-nowhere").copy(id = "dr-2"))
            throw Failed("no exception")
        } catch (e: TsunaguException.Rejected) {
            eq("not_found", e.code, "code"); eq("$.record.household", e.path, "path")
        }
        try {
            a.recordWatchingVisit(now(), "dr-nowhere", Visit(on = d("2024-01-20"), role = VisitorRole.CSW, met = true))
            throw Failed("no exception")
        } catch (e: TsunaguException.Rejected) {
            eq("not_found", e.code, "code"); eq("$.record", e.path, "path")
        }
        try {
            a.recordWatchingVisit(now(), "dr-y", Visit(on = d("2024-01-01"), role = VisitorRole.CSW, met = true))
            throw Failed("no exception")
        } catch (e: TsunaguException.Rejected) {
            eq("date_out_of_order", e.code, "code"); eq("$.visit.on", e.path, "path (a visit before the record opened)")
        }
        try {
            a.recordWatchingVisit(now(), "dr-y", Visit(on = d("2024-01-20"), role = VisitorRole.CSW, met = true, rankAfter = "z"))
            throw Failed("no exception")
        } catch (e: TsunaguException.Rejected) {
            eq("unknown_risk_rank", e.code, "code"); eq("$.visit.rank_after", e.path, "path")
        }
        try {
            // Dated after the day it is recorded on (the recording clock is in April 2024).
            a.recordWatchingVisit(now(), "dr-y", Visit(on = d("2024-12-01"), role = VisitorRole.CSW, met = true))
            throw Failed("no exception")
        } catch (e: TsunaguException.Rejected) {
            eq("date_in_future", e.code, "code"); eq("$.visit.on", e.path, "path (a visit after the recording day)")
        }
        eq(n, a.len(), "nothing appended")
    }

    test("match follow-ups (定着支援) offline on two devices: the due list changes after the merge") {
        recordingFromApril2024()
        val base = CaseJournal.inMemory("office")
        office(base)
        base.execute(cmd("2024-01-05", """{"command":"register_resource","resource":{"id":"r-cafe","name":"こども食堂","kind":"peer_group","areas":["sendai-aoba"],"contact":"sendai-council"}}"""))
        val p = base.proposeMatch(now(), MatchProposal("m-1", "y-mother", "h-y", "r-cafe", d("2024-01-10"), d("2024-01-20")))
        eq(MatchStage.PROPOSED, p.stage, "stage")
        val due = base.followUpsDue(d("2024-01-22"))
        eq(listOf(FollowUpDue("m-1", "y-mother", "r-cafe", MatchStage.PROPOSED, d("2024-01-20"), 2L)), due, "due")
        val a = CaseJournal.inMemory("tablet-a")
        a.importJson(base.exportJson())
        val f = a.recordFollowUp(now(), "m-1", FollowUp(on = d("2024-01-22"), observation = Observation.IRREGULAR, next = FollowUpNext.NextOn(d("2024-02-22"))))
        eq(d("2024-02-22"), f.nextFollowUp, "next follow-up")
        try {
            a.recordFollowUp(now(), "m-9", FollowUp(on = d("2024-01-22"), observation = Observation.SETTLING, next = FollowUpNext.Stop(StopReason.SETTLED)))
            throw Failed("no exception")
        } catch (e: TsunaguException.Rejected) {
            eq("unknown_match", e.code, "code"); eq("$.match_id", e.path, "path")
        }
        val m = mergeJournals(listOf(base.exportJson(), a.exportJson()), "", "office")
        eq(emptyList<ConflictInfo>(), m.conflicts, "conflicts")
        eq(emptyList<FollowUpDue>(), m.journal.followUpsDue(d("2024-01-22")), "follow-up done")
        eq(listOf("m-1"), m.journal.followUpsDue(d("2024-02-22")).map { it.id }, "next one due")
        val stop = m.journal.recordFollowUp(now(), "m-1", FollowUp(on = d("2024-02-22"), observation = Observation.NOT_ATTENDING, next = FollowUpNext.Stop(StopReason.NOT_SUITABLE)))
        eq(MatchStage.STOPPED to StopReason.NOT_SUITABLE, stop.stage to stop.stopReason, "stopped")
    }
}

fun main(args: Array<String>) {
    if (args.isNotEmpty() && args[0] == "bench") {
        Bench.run(args.getOrNull(1)?.toInt() ?: 10_000)
        return
    }
    val vectors = File(args[0])
    fixtures = File(args[1])
    val benchN = args.getOrNull(2)?.toInt() ?: 200
    println("Kotlin tests (tsunagu ${coreVersion()})")
    flows()
    compact(vectors)
    support()
    offline()
    robustness()
    Vectors.runAll(vectors)
    ErrorClasses.runAll(vectors)
    test("benchmark runs (tiny: n=$benchN)") { Bench.run(benchN) }
    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
