// Hand-written view over the compact batch result (振り分け結果の一覧): compiled with the
// generated bindings (build.sh copies it next to them), so app code reads typed briefs and never
// the encoding. The layout is documented in bindings-mobile/src/routing_briefs.rs.
package jp.tsunagu.mobile

import jp.tsunagu.core.Situation
import jp.tsunagu.core.Urgency
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * The brief routing of a batch of households, read from a [CompactBriefs] without copying it:
 * a read-only `List<RoutingBrief>` (`size`, `get(i)`, iteration, `==` with any list). Each
 * `get(i)` builds that household's [RoutingBrief] on demand: the codes come from the shared code
 * table (no string is decoded), the household id is decoded from UTF-8. The values equal
 * [Router.routeBatchBrief] / [Router.routeBatchJson] for the same households.
 */
class RoutingBriefs(val compact: CompactBriefs) : AbstractList<RoutingBrief>(), RandomAccess {
    private val buf: ByteBuffer = ByteBuffer.wrap(compact.data).order(ByteOrder.LITTLE_ENDIAN)
    private val codes: List<String> = compact.codes
    private val n = buf.getInt(0)
    private val m = buf.getInt(4)
    private val recTable = 8
    private val idTable = recTable + 4 * (n + 1)
    private val recs = idTable + 4 * (n + 1)
    private val idArea = recs + 10 * m

    override val size: Int get() = n

    /** Household id of entry [index], without building its recommendations. */
    fun household(index: Int): String {
        checkIndex(index)
        val i0 = buf.getInt(idTable + 4 * index)
        val i1 = buf.getInt(idTable + 4 * index + 4)
        return String(compact.data, idArea + i0, i1 - i0, Charsets.UTF_8)
    }

    /** Number of recommendations of entry [index] (at least one). */
    fun recommendationCount(index: Int): Int {
        checkIndex(index)
        return buf.getInt(recTable + 4 * index + 4) - buf.getInt(recTable + 4 * index)
    }

    /** The first recommendation's rule id of entry [index] (what a list row shows first). */
    fun firstRule(index: Int): String {
        checkIndex(index)
        return codes[u16(recs + 10 * buf.getInt(recTable + 4 * index))]
    }

    override fun get(index: Int): RoutingBrief {
        checkIndex(index)
        val r0 = buf.getInt(recTable + 4 * index)
        val r1 = buf.getInt(recTable + 4 * index + 4)
        val recommendations = ArrayList<RecommendationBrief>(r1 - r0)
        for (j in r0 until r1) {
            val o = recs + 10 * j
            recommendations.add(
                RecommendationBrief(
                    rank = (j - r0 + 1).toUInt(),
                    rule = codes[u16(o)],
                    agencyKind = code(u16(o + 2)),
                    project = code(u16(o + 4)),
                    urgency = when (u16(o + 8)) { 0 -> Urgency.IMMEDIATE; 1 -> Urgency.HIGH; else -> Urgency.NORMAL },
                    meeting = code(u16(o + 6)),
                ),
            )
        }
        return RoutingBrief(household(index), recommendations)
    }

    private fun u16(offset: Int): Int = buf.getShort(offset).toInt() and 0xFFFF
    private fun code(i: Int): String? = if (i == 0xFFFF) null else codes[i]
    private fun checkIndex(index: Int) {
        if (index < 0 || index >= n) throw IndexOutOfBoundsException("index $index, size $n")
    }
}

/** The lean batch of a JSON array of households as a [RoutingBriefs] list (the result crosses
 *  as one buffer). */
fun Router.routeBatchBriefs(householdsJson: String, situation: Situation): RoutingBriefs =
    RoutingBriefs(routeBatchCompact(householdsJson, situation))
