// The offline journal as a worker uses it (issues 16, 17, 18: the mobile part): the actor on
// every event, case-record entries and outreach attempts written on two devices and merged, the
// case timeline, the worklist of the worker's day, forms.
package jp.tsunagu.mobile.tests

import jp.tsunagu.mobile.*
import java.time.LocalDate

/** 2024-02-05T00:00Z (09:00 in Japan): after every record's date below. */
private var t = 1_707_091_200_000L
private fun at(): Long { t += 1000; return t }

/** The office in setup mode: the council, the 8050 household, its outreach case, the first CSW. */
fun outreachOffice(): CaseJournal {
    val j = CaseJournal.inMemory("office")
    j.registerAgency(d("2024-02-01"), at(), """{"id": "sendai-council", "name": "社協", "kind": "social_welfare_council"}""")
    j.appendBatch(listOf(
        CommandEvent(d("2024-02-01"), at(), """{"command": "register_household", "household": {"id": "h-8050",
            "area": {"daily_life_area": "sendai-aoba"}, "members": [{"id": "p1", "relation": "head", "approx_age": 82},
            {"id": "p2", "relation": "child", "approx_age": 52}]}}"""),
        CommandEvent(d("2024-02-01"), at(), """{"command": "open_outreach_case", "case": "c-o", "household": "h-8050",
            "subject": "p2", "responsible_window": "sendai-council",
            "outreach": {"on": "2024-02-01", "source": "community_report", "concern": "見かけない"}}"""),
        CommandEvent(d("2024-02-01"), at(), """{"command": "register_worker", "worker": {"id": "csw-1",
            "agency": "sendai-council", "name": "相談員A", "roles": ["community_social_worker"]}}"""),
    ))
    return j
}

fun entry(id: String) = """{"id": "$id", "case": "c-o", "kind": "visit_not_home", "on": "2024-02-02", "text": "不在"}"""
fun attempt(id: String) = """{"type": "attempt", "attempt": {"id": "$id", "on": "2024-02-02", "method": "home_visit", "outcome": "not_home"}}"""

fun rejected(what: String, code: String, body: () -> Unit) {
    try {
        body()
        throw Failed("$what: no exception")
    } catch (e: TsunaguException.Rejected) {
        eq(code, e.code, what)
    }
}

fun offline() {
    test("actor: after the first worker every command names its actor, and the journal records it") {
        val j = outreachOffice()
        val n = j.len()
        rejected("a note without a worker", "actor_required") { j.writeEntry(at(), entry("e1")) }
        rejected("an unknown worker", "unknown_worker") {
            j.asActor("csw-9", "sendai-council").writeEntry(at(), entry("e1"))
        }
        rejected("a worker of another agency", "worker_not_of_agency") {
            j.asActor("csw-1", "aoba-ward-office").outreach(at(), "c-o", attempt("a1"))
        }
        eq(n, j.len(), "refused commands append nothing")
        val csw = j.asActor("csw-1", "sendai-council")
        eq("csw-1", csw.actor()?.worker, "actor")
        eq(null, j.actor(), "the journal itself has no actor")
        csw.writeEntry(at(), entry("e1"))
        csw.outreach(at(), "c-o", attempt("a1"))
        eq(n + 2uL, j.len(), "the handle appends to the same journal")
        val events = Json.parse(j.exportJson()) as List<*>
        eq(mapOf("worker" to "csw-1", "agency" to "sendai-council"), obj(obj(events.last())["payload"])["by"], "by")
        eq(null, obj(obj(events[1])["payload"])["by"], "setup mode has no actor")
    }

    test("record: entries and outreach attempts written offline on two devices merge into one timeline") {
        val base = outreachOffice()
        val devices = listOf("tablet-a", "tablet-b").map { name ->
            CaseJournal.inMemory(name).also { it.importJson(base.exportJson()) }.asActor("csw-1", "sendai-council")
        }
        devices[0].writeEntry(at(), entry("e-a"))
        devices[0].outreach(at(), "c-o", attempt("a-a"))
        devices[1].writeEntry(at(), entry("e-b"))
        devices[1].outreach(at(), "c-o", attempt("a-b"))
        for (order in listOf(devices, devices.reversed())) {
            val merged = mergeJournals(order.map { it.exportJson() }, "", "office")
            eq(0, merged.conflicts.size, "conflicts")
            val timeline = merged.journal.timelineJson("""{"type": "case", "case": "c-o"}""", null)
            for (id in listOf("e-a", "e-b", "a-a", "a-b")) check(timeline.contains(":$id\"")) { "$id missing from $timeline" }
            eq(base.len() + 4uL, merged.journal.len(), "events")
        }
        val e = try { devices[0].timelineJson("""{"type": "case", "case": "c-none"}""", null); null } catch (x: TsunaguException.Rejected) { x }
        eq("not_found" to "$.case", e?.code to e?.path, "unknown case")
    }

    test("person search: an empty query is a typed error, a kana prefix finds nobody in an empty master") {
        val j = outreachOffice()
        val e = try { j.searchPersonsJson("{}"); null } catch (x: TsunaguException.Invalid) { x }
        eq("empty_query", e?.code, "empty query")
        eq(nameKey("髙橋"), nameKey("高橋"), "旧字体 folded")
        eq(true, looksLikeMyNumber("123456789018"), "a マイナンバー is recognised")
    }

    test("worklist: the worker's day from the journal on the device") {
        val j = outreachOffice()
        val list = obj(Json.parse(j.workerWorklistJson("csw-1", d("2024-02-05"))))
        eq("2024-02-05", list["on"], "on")
        val e = try { j.worklistJson("""{"on": "not a date"}"""); null } catch (x: TsunaguException.Invalid) { x }
        eq("malformed_document", e?.code, "bad query")
    }

    test("forms: the national sheets; a bad submission lists its problems; an unknown form is Rejected") {
        val forms = Forms.builtin()
        check(forms.formIds().size >= 4) { "national sheets: ${forms.formIds()}" }
        val j = outreachOffice()
        rejected("unknown form", "unknown_form") { forms.submit(j, """{"form": "no_such_form", "record": "r1", "values": {}}""", d("2024-02-05")) }
        val e = try { checkFormDefinition("""{"id": "x", "title": {"ja": "", "en": ""}, "sections": []}"""); null }
            catch (x: TsunaguException.Invalid) { x } catch (x: TsunaguException) { x }
        check(e != null) { "an empty definition is refused" }
    }
}
