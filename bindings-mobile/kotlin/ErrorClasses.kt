// Every error code throws the class tests/vectors/errors/classes.json gives it: the binding maps
// the core's error kind to a TsunaguException variant in one table, so the same code has the same
// class family in every language.
package jp.tsunagu.mobile.tests

import jp.tsunagu.mobile.*
import java.io.File

object ErrorClasses {
    fun runAll(vectors: File) {
        val doc = obj(Json.parse(File(vectors, "errors/classes.json").readText()))
        val codes = (doc["codes"] as List<*>).map { obj(it) }
        test("error classes: every code listed") { check(codes.size > 100) { "only ${codes.size} codes" } }
        test("error classes: every code throws its class") {
            val wrong = mutableListOf<String>()
            for (c in codes) {
                val code = c["code"] as String
                val expected = c["kotlin"] as String
                eq(c["kind"] as String?, errorKindOfCode(code), "kind of $code")
                try {
                    errorForCode(code)
                    wrong += "$code: no exception"
                } catch (e: TsunaguException) {
                    val got = "TsunaguException." + e::class.simpleName
                    if (got != expected || codeAndPath(e).first != code) wrong += "$code: $got"
                }
            }
            check(wrong.isEmpty()) { wrong.joinToString("; ") }
        }
        // A panic of the library is its own class (`internal_panic` in classes.json's binding_codes), never a crash.
        val internal = obj((doc["binding_codes"] as List<*>).map { obj(it) }.single { it["code"] == "internal_panic" })
        test("error classes: a panic is ${internal["kotlin"]} and the library answers afterwards") {
            for (trigger in listOf({ errorForCode(internal["code"] as String) }, { testingPanic("on purpose") })) {
                try {
                    trigger()
                    throw Failed("no exception")
                } catch (e: TsunaguException) {
                    eq(internal["kotlin"], "TsunaguException." + e::class.simpleName, "class")
                    eq(internal["code"], codeAndPath(e).first, "code")
                }
            }
            val j = CaseJournal.inMemory("after-panic")
            try { testingPanic("inside a session") } catch (e: TsunaguException.Internal) {
                check(e.detail.contains("inside a session")) { e.detail }
            }
            eq(0uL, j.len(), "the journal answers after a panic")
        }
    }
}
