// The boundary benchmark, Kotlin side (bench.sh runs it against examples/bench.rs, which does the
// same work in Rust): route n households in one call, append n events in one batch. The data
// generators are identical in both languages.
package jp.tsunagu.mobile.tests

import jp.tsunagu.mobile.*
import java.io.File
import java.time.LocalDate

object Bench {
    private val ISSUES = listOf("income_living_costs", "job_search", "child_rearing", "dv", "health_disability")

    fun household(i: Int): Household {
        val members = mutableListOf(
            Member(id = "p$i-1", relation = Relation.HEAD, approxAge = (30 + i % 60).toUInt(),
                employment = if (i % 2 == 0) Employment.PART_TIME else null, singleParent = i % 3 == 0,
                issues = listOf(ISSUES[i % ISSUES.size])),
            Member(id = "p$i-2", relation = Relation.CHILD, birthDate = LocalDate.of(2005 + i % 15, 4, 1),
                issues = if (i % 4 == 0) listOf("developmental_concern") else emptyList()),
        )
        if (i % 5 == 0) members.add(Member(id = "p$i-3", relation = Relation.PARENT, approxAge = 82u, issues = listOf("health_disability")))
        return Household(id = "h-$i", members = members)
    }

    fun eventJson(i: Int) =
        """{"command":"register_household","household":{"id":"hb-$i","members":[{"id":"pb-$i","relation":"head","approx_age":${30 + i % 60},"issues":["income_living_costs"]}]}}"""

    private fun ms(t0: Long, t1: Long) = (t1 - t0) / 1e6

    fun run(n: Int) {
        val router = Router.builtin()
        val s = Situation(LocalDate.of(2024, 6, 1), Urgency.NORMAL, ConsentState.NONE, null)
        val hs = (0 until n).map { household(it) }
        router.routeBatch(hs, s) // warm-up: one full run first (JIT), as in the Rust bench
        val t0 = System.nanoTime()
        val routed = router.routeBatch(hs, s)
        val t1 = System.nanoTime()
        check(routed.size == n) { "routed ${routed.size}" }
        val warm = File.createTempFile("tsunagu-bench-warm", ".db").also { it.delete(); it.deleteOnExit() }
        CaseJournal.open(warm.path, "bench").appendBatch((0 until n).map { CommandEvent(LocalDate.of(2024, 6, 1), 1_700_000_000_000L + it, eventJson(it)) })
        val f = File.createTempFile("tsunagu-bench", ".db").also { it.delete(); it.deleteOnExit() }
        val j = CaseJournal.open(f.path, "bench")
        val events = (0 until n).map { CommandEvent(LocalDate.of(2024, 6, 1), 1_700_000_000_000L + it, eventJson(it)) }
        val t2 = System.nanoTime()
        val receipts = j.appendBatch(events)
        val t3 = System.nanoTime()
        check(receipts.size == n && j.len() == n.toULong()) { "appended ${j.len()}" }
        println("kotlin route_batch n=$n ms=${"%.1f".format(ms(t0, t1))}")
        println("kotlin append_batch n=$n ms=${"%.1f".format(ms(t2, t3))}")
    }
}
