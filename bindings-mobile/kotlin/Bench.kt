// The boundary benchmark, Kotlin side (bench.sh runs it against examples/bench.rs, which does the
// same work in Rust): route n households in one call (with explanations; lean brief; lean brief
// from one JSON array; compact from one JSON array, the call alone and with every household read
// through the RoutingBriefs view), append n events in one batch. Each: five untimed calls, then
// five timed ones (median and minimum wall time, median process CPU time). The data generators
// are identical in both languages; arguments (the JSON text, journals) are built before the clock
// starts on both sides.
package jp.tsunagu.mobile.tests

import jp.tsunagu.core.*
import jp.tsunagu.mobile.*
import java.io.File
import java.time.LocalDate

object Bench {
    private val ISSUES = listOf("income_living_costs", "job_search", "child_rearing", "dv", "health_disability")

    /** A current issue (what a plain code string means on the wire). */
    fun current(code: String) = Issue(code = code, status = IssueStatus.CURRENT)

    fun household(i: Int): Household {
        val members = mutableListOf(
            Person(id = "p$i-1", relation = Relation.HEAD, engagement = Engagement.ENGAGED, approxAge = (30 + i % 60).toUInt(),
                employment = if (i % 2 == 0) Employment.PART_TIME else null, singleParent = i % 3 == 0,
                issues = listOf(current(ISSUES[i % ISSUES.size]))),
            Person(id = "p$i-2", relation = Relation.CHILD, engagement = Engagement.ENGAGED, birthDate = LocalDate.of(2005 + i % 15, 4, 1),
                issues = if (i % 4 == 0) listOf(current("developmental_concern")) else emptyList()),
        )
        if (i % 5 == 0) members.add(Person(id = "p$i-3", relation = Relation.PARENT, engagement = Engagement.ENGAGED, approxAge = 82u, issues = listOf(current("health_disability"))))
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

    /** `clock_gettime` of the C library (through JNA, already on the classpath). */
    interface LibC : com.sun.jna.Library {
        fun clock_gettime(clock: Int, tp: LongArray): Int
    }
    private val libc: LibC by lazy { com.sun.jna.Native.load("c", LibC::class.java) }

    /** CPU time of the whole process so far (every thread: JIT and GC included), in ns:
     *  `CLOCK_PROCESS_CPUTIME_ID`, read the same way by examples/bench.rs. */
    fun cpuNs(): Long {
        val ts = LongArray(2) // struct timespec of 64-bit Linux
        return if (libc.clock_gettime(2, ts) == 0) ts[0] * 1_000_000_000L + ts[1] else 0L
    }

    const val WARM = 5
    const val RUNS = 5

    /** [WARM] untimed calls, then [RUNS] timed ones (each after its own untimed [setup]); prints
     *  `kotlin <name> n=<n> ms=<median wall> min_ms=<min wall> cpu_ms=<median CPU>` and returns
     *  the last result. examples/bench.rs measures the same way. */
    fun <S, T> measure(name: String, n: Int, setup: () -> S, f: (S) -> T): T {
        repeat(WARM) { (f(setup()) as? AutoCloseable)?.close() }
        val walls = DoubleArray(RUNS)
        val cpus = DoubleArray(RUNS)
        var last: T? = null
        for (i in 0 until RUNS) {
            // A previous journal is closed outside the clock (Rust drops its result there too).
            (last as? AutoCloseable)?.close()
            val x = setup()
            val t = System.nanoTime()
            val c = cpuNs()
            last = f(x)
            walls[i] = (System.nanoTime() - t) / 1e6
            cpus[i] = (cpuNs() - c) / 1e6
        }
        fun median(a: DoubleArray) = a.sorted()[a.size / 2]
        println("kotlin $name n=$n ms=${"%.1f".format(median(walls))} min_ms=${"%.1f".format(walls.min())} cpu_ms=${"%.1f".format(median(cpus))}")
        return last!!
    }

    fun run(n: Int) {
        val router = Router.builtin()
        val s = Situation(urgency = Urgency.NORMAL, consent = ConsentState.NONE, receivingWindow = null, today = LocalDate.of(2024, 6, 1))
        val hs = (0 until n).map { household(it) }
        val routed = measure("route_batch", n, {}) { router.routeBatch(hs, s) }
        check(routed.size == n) { "routed ${routed.size}" }
        val brief = measure("route_batch_brief", n, {}) { router.routeBatchBrief(hs, s) }
        check(brief.size == n && brief[n - 1].recommendations.size == routed[n - 1].recommendations.size) { "brief ${brief.size}" }
        val doc = (0 until n).joinToString(",", "[", "]") { householdJson(it) }
        val fromJson = measure("route_batch_json", n, {}) { router.routeBatchJson(doc, s) }
        check(fromJson == brief) { "the JSON batch differs from the typed one" }
        val compact = measure("route_batch_compact", n, {}) { router.routeBatchCompact(doc, s) }
        check(compact.data.isNotEmpty()) { "empty compact batch" }
        // routeBatchBriefs (the same call and the view), then every household read through the
        // view (what a list that shows every row does).
        val view = measure("route_batch_compact_read", n, {}) {
            val v = router.routeBatchBriefs(doc, s)
            var recs = 0
            for (b in v) recs += b.recommendations.size
            check(recs >= n) { "recommendations $recs" }
            v
        }
        check(view == brief) { "the compact batch differs from the brief one" }
        val events = (0 until n).map { CommandEvent(LocalDate.of(2024, 6, 1), 1_700_000_000_000L + it, eventJson(it)) }
        val j = measure("append_batch", n, {
            val f = File.createTempFile("tsunagu-bench", ".db").also { it.delete() }
            // SQLite's write-ahead log and shared memory too (deleted last, after the file).
            for (x in listOf("-wal", "-shm")) File(f.path + x).deleteOnExit()
            f.deleteOnExit()
            CaseJournal.open(f.path, "bench")
        }) { j -> j.appendBatch(events); j }
        check(j.len() == n.toULong()) { "appended ${j.len()}" }
        j.close()
    }
}
