// Hostile and unlucky input (issue 19): null and empty documents, wrong types, huge strings, deep
// JSON, negative ages, out-of-range dates, invalid UTF-8 and binary garbage files. Every call
// either answers or throws the library's TsunaguException — any other Throwable (a JNA error, an
// InternalException of uniffi, a crash of the JVM) fails the suite — and the objects answer
// afterwards.
package jp.tsunagu.mobile.tests

import jp.tsunagu.core.*
import jp.tsunagu.mobile.*
import java.io.File
import java.time.LocalDate
import kotlin.random.Random

/** The library's exception of `body`, or null when it answered; anything else fails the test. */
fun typed(what: String, body: () -> Any?): TsunaguException? = try {
    body(); null
} catch (e: TsunaguException) {
    if (e is TsunaguException.Internal) throw Failed("$what: a panic (${e.detail})")
    e
} catch (e: Throwable) {
    throw Failed("$what: ${e::class.qualifiedName}: ${e.message}")
}

/** `body` must throw the library's exception with one of `codes`. */
fun refused(what: String, vararg codes: String, body: () -> Any?) {
    val e = typed(what, body) ?: throw Failed("$what: no exception")
    check(codeAndPath(e).first in codes) { "$what: ${codeAndPath(e)}, expected one of ${codes.toList()}" }
}

fun robustness() {
    val j = CaseJournal.inMemory("robust")
    val router = Router.builtin()
    val vocab = Vocabulary.builtin()
    val forms = Forms.builtin()
    val today = d("2024-04-01")
    val situation = Situation(Urgency.NORMAL, ConsentState.NONE, null, today)
    // Every entry point that takes a document, by name.
    val documents: List<Pair<String, (String) -> Any?>> = listOf(
        "householdFromJson" to { s -> householdFromJson(s) },
        "execute" to { s -> j.execute(CommandEvent(today, now(), s)) },
        "appendBatch" to { s -> j.appendBatch(listOf(CommandEvent(today, now(), s))) },
        "registerAgency" to { s -> j.registerAgency(today, now(), s) },
        "importJson" to { s -> j.importJson(s) },
        "mergeJournals" to { s -> mergeJournals(listOf(s), "", "m") },
        "previewDisclosure" to { s -> j.previewDisclosure(s) },
        "writeEntry" to { s -> j.writeEntry(now(), s) },
        "outreach" to { s -> j.outreach(now(), "c-1", s) },
        "timelineJson" to { s -> j.timelineJson(s, null) },
        "searchPersonsJson" to { s -> j.searchPersonsJson(s) },
        "worklistJson" to { s -> j.worklistJson(s) },
        "Router.extended" to { s -> router.extended(s) },
        "routeJson" to { s -> router.routeJson(s, "{}") },
        "routeBatchJson" to { s -> router.routeBatchJson(s, situation) },
        "routeBatchCompact" to { s -> router.routeBatchCompact(s, situation) },
        "Vocabulary.extend" to { s -> vocab.extend(s) },
        "loadDirectory" to { s -> vocab.loadDirectory(s) },
        "Forms.extend" to { s -> forms.extend(s) },
        "Forms.submit" to { s -> forms.submit(j, s, today) },
        "checkFormDefinition" to { s -> checkFormDefinition(s) },
    )
    test("robustness: empty, null and wrong-typed documents are typed errors at every entry point") {
        for ((name, call) in documents) for (doc in listOf("", "null", "[]", "{}", "42", "\"text\"", "[1, {\"a\": []}]", "{\"command\": 5}")) {
            // Some of these are valid documents somewhere (an empty batch); none may crash.
            typed("$name($doc)", { call(doc) })
        }
        for ((name, call) in documents) refused("$name(\"\")", "malformed_document") { call("") }
    }
    test("robustness: deep JSON is malformed_document naming the depth, at every entry point") {
        for (deep in listOf("[".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000), "[".repeat(65) + "]".repeat(65))) {
            for ((name, call) in documents) {
                val e = typed(name) { call(deep) } as? TsunaguException.Invalid ?: throw Failed("$name: deep JSON accepted")
                eq("malformed_document", e.code, name)
                check(e.detail.contains("depth")) { "$name: ${e.detail}" }
            }
        }
    }
    test("robustness: huge strings are typed errors or answers, never a crash") {
        val huge = "令".repeat(5_000_000)
        refused("parseEraDate(huge)", "unparseable_era_date") { parseEraDate(huge) }
        refused("householdFromJson(huge)", "malformed_document") { householdFromJson(huge) }
        refused("importJson(huge)", "malformed_document") { j.importJson("[\"$huge\"]") }
        typed("a case id of 1 MB") { j.timelineJson("{\"type\": \"case\", \"case\": \"${"c".repeat(1_000_000)}\"}", null) }
        typed("a device id of 1 MB") { CaseJournal.inMemory("d".repeat(1_000_000)).len() }
    }
    test("robustness: negative ages and out-of-range dates are typed errors") {
        eq(null, ageOn(d("2030-01-01"), today), "born after today: no age")
        refused("a negative approx_age", "malformed_document") {
            householdFromJson("""{"id": "h", "members": [{"id": "p", "relation": "head", "approx_age": -5}]}""")
        }
        for (date in listOf(LocalDate.MIN, LocalDate.MAX, LocalDate.of(-1, 1, 1), LocalDate.of(10000, 1, 1))) {
            refused("formatEraDate($date)", "invalid_date") { formatEraDate(date, jp.tsunagu.core.EraStyle.KANJI) }
            refused("fiscalYearOf($date)", "invalid_date") { fiscalYearOf(date) }
            refused("execute on $date", "invalid_date") { j.execute(CommandEvent(date, now(), "{}")) }
        }
        for (ms in listOf(Long.MIN_VALUE, Long.MAX_VALUE)) refused("recordedAtMs $ms", "invalid_date") {
            j.registerAgency(today, ms, """{"id": "a", "name": "n", "kind": "social_welfare_council"}""")
        }
        typed("令和9999年") { parseEraDate("令和9999年1月1日") }
        refused("2月30日", "unparseable_era_date", "invalid_date") { parseEraDate("令和5年2月30日") }
    }
    test("robustness: invalid UTF-8 and binary garbage files are typed errors") {
        val rnd = Random(19)
        val garbage = File.createTempFile("tsunagu-garbage-", ".db").apply { deleteOnExit(); writeBytes(rnd.nextBytes(64 * 1024)) }
        val e = typed("open(garbage)") { CaseJournal.open(garbage.path, "x") } ?: throw Failed("a garbage file opened")
        check(e is TsunaguException.Journal) { "garbage file: ${e::class.simpleName}" }
        val sqliteHeader = "SQLite format 3\u0000".toByteArray() + rnd.nextBytes(8 * 4096)
        val torn = File.createTempFile("tsunagu-torn-", ".db").apply { deleteOnExit(); writeBytes(sqliteHeader) }
        typed("open(torn SQLite)") { CaseJournal.open(torn.path, "x").verify() } ?: throw Failed("a torn file opened and verified")
        val badUtf8 = byteArrayOf(0x5b, 0x22, 0xff.toByte(), 0xfe.toByte(), 0xc3.toByte(), 0x28, 0x22, 0x5d)
        val text = String(badUtf8, Charsets.UTF_8)  // what an app reading such a file gets (U+FFFD)
        for ((name, call) in documents) typed("$name(invalid UTF-8)") { call(text) }
        refused("importJson(invalid UTF-8)", "malformed_document") { j.importJson(text) }
        for ((name, call) in documents) typed("$name(binary)") { call(String(rnd.nextBytes(4096), Charsets.ISO_8859_1)) }
        // A lone surrogate has no UTF-8 form: the generated Kotlin refuses it before the call
        // (a CharacterCodingException, catchable); the library is never reached.
        try { typed("lone surrogate") { parseEraDate("\uD800令和5年") } } catch (e: Failed) {
            check(e.message!!.contains("CharacterCodingException") || e.message!!.contains("MalformedInput")) { e.message!! }
        }
        refused("a directory as a journal", "storage", "not_a_journal") { CaseJournal.open(garbage.parentFile.path, "x") }
    }
    test("robustness: the objects answer after all of it") {
        eq(0uL, j.len(), "nothing was appended")
        j.verify()
        check(router.ruleCount() > 0u) { "router" }
        check(vocab.counts().issues > 0u) { "vocabulary" }
    }
}
