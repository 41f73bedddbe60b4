// The boundary benchmark, Kotlin side (bench.sh runs it against examples/bench.rs, which does the
// same work in Rust): route n households in one call (with explanations; lean brief; lean brief
// from one JSON array; compact from one JSON array, the call alone and with every household read
// through the RoutingBriefs view), append n events in one batch. The data generators are identical in both
// languages; the JSON text is built before the clock starts on both sides.
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

    /** The same household as [household] in the document format. */
    fun householdJson(i: Int): String {
        val head = """{"id":"p$i-1","relation":"head","approx_age":${30 + i % 60},""" +
            (if (i % 2 == 0) "\"employment\":\"part_time\"," else "") +
            """"single_parent":${i % 3 == 0},"issues":["${ISSUES[i % ISSUES.size]}"]}"""
        val child = """{"id":"p$i-2","relation":"child","birth_date":"${2005 + i % 15}-04-01","issues":[""" +
            (if (i % 4 == 0) "\"developmental_concern\"" else "") + "]}"
        val parent = if (i % 5 == 0) """,{"id":"p$i-3","relation":"parent","approx_age":82,"issues":["health_disability"]}""" else ""
        return """{"id":"h-$i","members":[$head,$child$parent]}"""
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
        router.routeBatchBrief(hs, s) // warm-up
        val tb0 = System.nanoTime()
        val brief = router.routeBatchBrief(hs, s)
        val tb1 = System.nanoTime()
        check(brief.size == n && brief[n - 1].recommendations.size == routed[n - 1].recommendations.size) { "brief ${brief.size}" }
        val doc = (0 until n).joinToString(",", "[", "]") { householdJson(it) }
        router.routeBatchJson(doc, s) // warm-up
        val tj0 = System.nanoTime()
        val fromJson = router.routeBatchJson(doc, s)
        val tj1 = System.nanoTime()
        check(fromJson == brief) { "the JSON batch differs from the typed one" }
        router.routeBatchCompact(doc, s) // warm-up
        RoutingBriefs(router.routeBatchCompact(doc, s)).forEach { it.recommendations.size }
        val tc0 = System.nanoTime()
        val compact = router.routeBatchCompact(doc, s)
        val tc1 = System.nanoTime()
        check(compact.data.isNotEmpty()) { "empty compact batch" }
        // The same call, then every household read through the view (what a list that shows
        // every row does).
        val tr0 = System.nanoTime()
        val view = RoutingBriefs(router.routeBatchCompact(doc, s))
        var recs = 0
        for (b in view) recs += b.recommendations.size
        val tr1 = System.nanoTime()
        check(view == brief && recs == brief.sumOf { it.recommendations.size }) { "the compact batch differs from the brief one" }
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
        println("kotlin route_batch_brief n=$n ms=${"%.1f".format(ms(tb0, tb1))}")
        println("kotlin route_batch_json n=$n ms=${"%.1f".format(ms(tj0, tj1))}")
        println("kotlin route_batch_compact n=$n ms=${"%.1f".format(ms(tc0, tc1))}")
        println("kotlin route_batch_compact_read n=$n ms=${"%.1f".format(ms(tr0, tr1))}")
        println("kotlin append_batch n=$n ms=${"%.1f".format(ms(t2, t3))}")
    }
}
