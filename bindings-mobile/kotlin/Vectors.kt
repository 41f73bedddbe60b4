// Conformance vectors (tests/vectors/**.json) run through the Kotlin bindings; every op maps to a
// binding call, an op this runner does not know fails the vector (never skipped).
package jp.tsunagu.mobile.tests

import jp.tsunagu.core.*
import jp.tsunagu.mobile.*
import java.io.File
import java.time.LocalDate

@Suppress("UNCHECKED_CAST")
fun obj(v: Any?): Map<String, Any?> = (v as? Map<String, Any?>) ?: emptyMap()

fun codeAndPath(e: TsunaguException): Pair<String, String?> = when (e) {
    is TsunaguException.Invalid -> e.code to e.path
    is TsunaguException.Rejected -> e.code to e.path
    is TsunaguException.InvalidRules -> e.code to e.path
    is TsunaguException.Journal -> e.code to e.path
    is TsunaguException.Internal -> e.code to e.path
}

object Vectors {
    fun runAll(dir: File) {
        val files = dir.walk().filter { it.isFile && it.extension == "json" }.sortedBy { it.path }.toList()
        test("conformance vectors found") { check(files.isNotEmpty()) { "no vectors under $dir" } }
        // Ops the core answers that no binding exposes yet (bindings_pending.json): such a vector
        // is reported as pending, with the ops named, in every binding alike.
        val pendingOps = ((obj(Json.parse(File(dir, "bindings_pending.json").readText()))["pending_ops"] as Map<*, *>)["kotlin"] as List<*>)
            .map { it as String }.toSet()
        for (f in files) {
            val doc = obj(Json.parse(f.readText()))
            val ops = (doc["when"] as? List<*> ?: emptyList<Any?>()).map { obj(it)["op"] as String }
            val pending = ops.filter { it in pendingOps }.toSortedSet()
            if (pending.isNotEmpty()) {
                println("pending vector ${f.relativeTo(dir)}: ops not yet exposed by the bindings: ${pending.joinToString()}")
                continue
            }
            test("vector ${f.relativeTo(dir)}") { runOne(doc) }
        }
    }

    /** The step format of tests/src/lib.rs: `then[i]` is `ok`, `match` or `error` for `when[i]`;
     *  `given` may hold `taxonomy`, `agencies`, `commands` and `rules` ({builtin, extend}). */
    fun runOne(doc: Map<String, Any?>) {
        val given = obj(doc["given"])
        val whens = doc["when"] as? List<*> ?: throw Failed("no `when` list")
        val thens = doc["then"] as? List<*> ?: throw Failed("no `then` list")
        check(whens.size == thens.size) { "when/then length differ" }
        val vocab = Vocabulary.builtin()
        val journal = CaseJournal.inMemory("vectors")
        val forms = Forms.builtin()
        var router = Router.builtin()
        var givenError: TsunaguException? = null
        try {
            val rules = obj(given["rules"])
            if (rules["builtin"] == false) router = Router.empty()
            rules["extend"]?.let { router = router.extended(Json.write(it)) }
            given["taxonomy"]?.let { vocab.extend(Json.write(it)) }
            given["agencies"]?.let { agencies ->
                vocab.loadDirectory(Json.write(agencies))
                for (a in agencies as List<*>) journal.registerAgency(LocalDate.of(2000, 1, 1), now(), Json.write(a))
            }
            for (c in (given["commands"] as List<*>?) ?: emptyList<Any?>()) {
                val m = obj(c)
                journal.execute(CommandEvent(LocalDate.parse(m["today"] as String), now(), Json.write(m["command"])))
            }
        } catch (e: TsunaguException) { givenError = e }
        for ((i, w) in whens.withIndex()) {
            val step = obj(w)
            val op = step["op"] as String
            val args = obj(step["args"])
            val got: Result<Any?> = if (givenError != null) Result.failure(givenError) else runCatching {
                when (op) {
                    "extend_taxonomy" -> vocab.extend(Json.write(args["document"])).let {
                        mapOf("issues" to it.issues.toLong(), "agency_kinds" to it.agencyKinds.toLong())
                    }
                    "load_directory" -> vocab.loadDirectory(Json.write(args["agencies"])).toLong()
                    "parse_era_date" -> parseEraDate(args["text"] as String).toString()
                    "format_era_date" -> formatEraDate(LocalDate.parse(args["date"] as String),
                        if (args["style"] == "short") EraStyle.SHORT else EraStyle.KANJI)
                    "fiscal_year" -> fiscalYearOf(LocalDate.parse(args["date"] as String)).let {
                        mapOf("year" to it.year.toLong(), "label_ja" to it.labelJa, "label_gregorian" to it.labelGregorian,
                            "start" to it.start.toString(), "end" to it.end.toString())
                    }
                    "parse_fiscal_year" -> parseFiscalYear(args["text"] as String).toLong()
                    "age_on" -> ageOn(LocalDate.parse(args["birth_date"] as String), LocalDate.parse(args["today"] as String))?.toLong()
                    "school_stage" -> schoolStage(LocalDate.parse(args["birth_date"] as String), LocalDate.parse(args["today"] as String)).let {
                        if (it.grade == null) mapOf("stage" to it.stage) else mapOf("stage" to it.stage, "grade" to it.grade!!.toLong())
                    }
                    "validate_household" -> {
                        vocab.validateHousehold(householdFromJson(Json.write(args["household"])), LocalDate.parse(args["today"] as String))
                        null
                    }
                    "detect_patterns" -> Json.parse(vocab.detectPatternsJson(householdFromJson(Json.write(args["household"])),
                        LocalDate.parse(args["today"] as String), args["settings"]?.let { Json.write(it) }))
                    "load_rules" -> {
                        router = router.extended(Json.write(args["document"]))
                        mapOf("loaded" to router.ruleCount().toLong())
                    }
                    "route" -> Json.parse(router.routeJson(Json.write(args["household"]), Json.write(args["situation"])))
                    "execute" -> Json.parse(journal.execute(CommandEvent(LocalDate.parse(args["today"] as String), now(),
                        Json.write(args["command"]))).detailJson)
                    // The person master (issue 17): search, records, 名寄せ, match keys.
                    "search_persons" -> obj(Json.parse(journal.searchPersonsJson(Json.write(args["query"])))).let { r ->
                        mapOf("persons" to (r["persons"] as List<*>).map { obj(it)["id"] }, "truncated" to r["truncated"])
                    }
                    "person" -> Json.parse(journal.personJson(args["id"] as String))
                    "merge_history" -> Json.parse(journal.mergeHistoryJson(args["id"] as String))
                    "duplicate_candidates" -> Json.parse(journal.duplicateCandidatesJson(args["weights"]?.let { Json.write(it) }))
                    "name_key" -> nameKey(args["text"] as String)
                    "reading_key" -> readingKey(args["text"] as String)
                    "same_name" -> nameKey(args["a"] as String) == nameKey(args["b"] as String)
                    "same_reading" -> readingKey(args["a"] as String) == readingKey(args["b"] as String)
                    "looks_like_my_number" -> looksLikeMyNumber(args["text"] as String)
                    // The worklist from the journal on the device (issue 18).
                    "worklist" -> Json.parse(journal.worklistJson(Json.write(args["query"])))
                    // Forms (issue 18): the national sheets, extensions, submissions.
                    "extend_forms" -> mapOf("forms" to forms.extend(Json.write(args["document"])).toLong())
                    "check_form_definition" -> { checkFormDefinition(Json.write(args["form"])); null }
                    "submit_form" -> Json.parse(forms.submit(journal, Json.write(args["submission"]), LocalDate.parse(args["today"] as String)))
                    "execute_form" -> journal.executeForm(forms, Json.write(args["submission"]), LocalDate.parse(args["today"] as String), now())
                        .map { Json.parse(it.detailJson) }
                    else -> throw Failed("unsupported op $op")
                }
            }
            val expect = obj(thens[i])
            val e = got.exceptionOrNull()
            if (e is Failed) throw e
            if (e != null && e !is TsunaguException) throw e
            when {
                expect.containsKey("error") -> {
                    val want = obj(expect["error"])
                    val ex = e as? TsunaguException ?: throw Failed("step $i ($op): expected error ${Json.write(want)}, got ${Json.write(got.getOrNull())}")
                    val (code, path) = codeAndPath(ex)
                    eq(want["code"], code, "step $i ($op) code")
                    if (want.containsKey("path")) eq(want["path"], path, "step $i ($op) path")
                    if (want.containsKey("problems")) {
                        val problems = ((ex as? TsunaguException.InvalidRules)?.problems
                            ?: (ex as? TsunaguException.Invalid)?.problems ?: emptyList()).map {
                            mapOf("code" to it.code, "rule" to it.rule, "path" to it.path)
                        }
                        check(Json.subset(want["problems"], problems)) {
                            "step $i ($op): expected problems ${Json.write(want["problems"])}, got ${Json.write(problems)}"
                        }
                    }
                }
                e != null -> throw Failed("step $i ($op): unexpected error ${codeAndPath(e as TsunaguException)}")
                expect.containsKey("ok") -> check(Json.same(expect["ok"], got.getOrNull())) {
                    "step $i ($op): expected ${Json.write(expect["ok"])}, got ${Json.write(got.getOrNull())}"
                }
                expect.containsKey("match") -> check(Json.subset(expect["match"], got.getOrNull())) {
                    "step $i ($op): expected to match ${Json.write(expect["match"])}, got ${Json.write(got.getOrNull())}"
                }
                else -> throw Failed("step $i: expectation has none of ok / match / error")
            }
        }
    }
}

/** Every `route` step of the routing vectors: (household JSON, situation). */
fun routeCases(dir: File): List<Pair<String, Situation>> =
    File(dir, "routing").walk().filter { it.isFile && it.extension == "json" }.sortedBy { it.path }.flatMap { f ->
        (obj(Json.parse(f.readText()))["when"] as List<*>).map { obj(it) }.filter { it["op"] == "route" }.map { step ->
            val args = obj(step["args"])
            Json.write(args["household"]) to situationOf(obj(args["situation"]))
        }
    }.toList()

/** A routing situation document as the typed record. */
fun situationOf(m: Map<String, Any?>) = Situation(
    today = LocalDate.parse(m["today"] as String),
    urgency = when (m["urgency"]) { "immediate" -> Urgency.IMMEDIATE; "high" -> Urgency.HIGH; else -> Urgency.NORMAL },
    consent = when (m["consent"]) {
        "given" -> ConsentState.GIVEN; "refused" -> ConsentState.REFUSED; "withdrawn" -> ConsentState.WITHDRAWN
        else -> ConsentState.NONE
    },
    receivingWindow = m["receiving_window"] as String?,
)
