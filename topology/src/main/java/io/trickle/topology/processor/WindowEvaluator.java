package io.trickle.topology.processor;

import io.trickle.compiler.expr.CompiledExpr;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Evaluator;
import io.trickle.compiler.expr.RangeOffsets;
import io.trickle.compiler.expr.Values;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.SortKey;
import io.trickle.compiler.plan.WindowCall;
import io.trickle.compiler.plan.WindowFrame;
import io.trickle.compiler.plan.WindowOp;
import io.trickle.topology.state.RowCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates a {@link WindowOp}'s functions over one whole partition, as PostgreSQL does: rows
 * sorted by the ORDER BY keys (NULLs first or last as declared), peers being rows equal on every
 * key. Rows that are peers are further ordered by their exact encoding, so the result is a
 * function of the partition's contents alone (ROW_NUMBER among peers, and ROWS frames cutting
 * through peers, are arbitrary in PostgreSQL; here they are deterministic).
 */
final class WindowEvaluator {
  private final List<SortKey> orderKeys;
  private final List<WindowCall> calls;
  private final AggCall[] aggs;
  private final CompiledExpr[] defaults;

  WindowEvaluator(WindowOp op) {
    this.orderKeys = op.orderKeys();
    this.calls = op.calls();
    this.aggs = new AggCall[calls.size()];
    this.defaults = new CompiledExpr[calls.size()];
    for (int c = 0; c < calls.size(); c++) {
      WindowCall call = calls.get(c);
      if (call.kind().aggregate() != null) {
        aggs[c] = new AggCall(call.kind().aggregate(), call.kind() == WindowCall.Kind.COUNT_STAR
            ? -1 : call.arg(), call.type(), call.name());
      }
      if (call.defaultValue() != null) {
        defaults[c] = Evaluator.compile(call.defaultValue());
      }
    }
  }

  /** The ORDER BY comparison; 0 means peers. */
  int compareOrder(Object[] a, Object[] b) {
    for (SortKey k : orderKeys) {
      Object x = a[k.column()];
      Object y = b[k.column()];
      int c;
      if (x == null || y == null) {
        c = x == y ? 0 : (x == null) == k.nullsFirst() ? -1 : 1;
      } else {
        c = Values.compare(x, y);
        if (k.descending()) {
          c = -c;
        }
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * The partition's output rows (each input row followed by the function results), one per
   * input row, in window order.
   *
   * @throws EvalException for an error PostgreSQL raises (e.g. a SUM overflowing bigint)
   */
  List<Object[]> evaluate(List<Object[]> partition) {
    int n = partition.size();
    record Sorted(Object[] row, byte[] bytes) {}
    List<Sorted> sorted = new ArrayList<>(n);
    for (Object[] r : partition) {
      sorted.add(new Sorted(r, RowCodec.encode(r)));
    }
    Comparator<Sorted> order = (a, b) -> compareOrder(a.row(), b.row());
    sorted.sort(order.thenComparing((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes())));
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = sorted.get(i).row();
    }
    int[] peerStart = new int[n];
    int[] peerEnd = new int[n];
    int[] peerGroup = new int[n];
    for (int i = 0; i < n; i++) {
      boolean peer = i > 0 && compareOrder(rows[i - 1], rows[i]) == 0;
      peerStart[i] = peer ? peerStart[i - 1] : i;
      peerGroup[i] = i == 0 ? 1 : peer ? peerGroup[i - 1] : peerGroup[i - 1] + 1;
    }
    for (int i = n - 1; i >= 0; i--) {
      peerEnd[i] = i < n - 1 && peerStart[i + 1] == peerStart[i] ? peerEnd[i + 1] : i;
    }
    int width = n == 0 ? 0 : rows[0].length;
    Object[][] out = new Object[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOf(rows[i], width + calls.size());
    }
    for (int c = 0; c < calls.size(); c++) {
      WindowCall call = calls.get(c);
      if (call.kind().usesFrame()) {
        framed(c, call, rows, peerStart, peerEnd, out, width);
        continue;
      }
      for (int i = 0; i < n; i++) {
        out[i][width + c] = switch (call.kind()) {
          case ROW_NUMBER -> (long) i + 1;
          case RANK -> (long) peerStart[i] + 1;
          case DENSE_RANK -> (long) peerGroup[i];
          case PERCENT_RANK -> n > 1 ? (double) peerStart[i] / (n - 1) : 0.0d;
          case CUME_DIST -> (double) (peerEnd[i] + 1) / n;
          case NTILE -> ntile(i, n, call.n());
          case LAG, LEAD -> {
            long j = call.kind() == WindowCall.Kind.LAG ? i - call.n() : i + call.n();
            yield j >= 0 && j < n ? rows[(int) j][call.arg()]
                : defaults[c] == null ? null : defaults[c].eval(rows[i]);
          }
          default -> throw new IllegalStateException(call.kind() + " reads a frame");
        };
      }
    }
    return Arrays.asList(out);
  }

  /** PostgreSQL's ntile: the first {@code n % buckets} buckets hold one row more. */
  private static Object ntile(int i, int n, long buckets) {
    long per = n / buckets;
    long extra = n % buckets;
    long big = extra * (per + 1);
    return i < big ? i / (per + 1) + 1 : (i - big) / per + extra + 1;
  }

  private void framed(int c, WindowCall call, Object[][] rows, int[] peerStart, int[] peerEnd,
      Object[][] out, int width) {
    int n = rows.length;
    WindowFrame f = call.frame();
    FrameAggregate agg = aggs[c] == null ? null : new FrameAggregate(aggs[c], call, rows);
    for (int i = 0; i < n; i++) {
      long lo = f.lower().rangeOffset() != null ? rangeBound(f.lower(), rows, i, peerStart, peerEnd, true)
          : bound(f.lower(), f.rows(), i, n, peerStart, peerEnd, true);
      long hi = f.upper().rangeOffset() != null ? rangeBound(f.upper(), rows, i, peerStart, peerEnd, false)
          : bound(f.upper(), f.rows(), i, n, peerStart, peerEnd, false);
      lo = Math.max(lo, 0);
      hi = Math.min(hi, n - 1);
      out[i][width + c] = switch (call.kind()) {
        case FIRST_VALUE -> lo <= hi ? rows[(int) lo][call.arg()] : null;
        case LAST_VALUE -> lo <= hi ? rows[(int) hi][call.arg()] : null;
        case NTH_VALUE -> lo + call.n() - 1 <= hi ? rows[(int) (lo + call.n() - 1)][call.arg()] : null;
        default -> agg.over((int) lo, (int) hi);
      };
    }
  }

  /**
   * A RANGE offset bound over the single ORDER BY key: the first (lower) or last (upper) row whose
   * value lies at or beyond the current value moved by the offset, towards the preceding rows for
   * PRECEDING. A row whose key is NULL has its NULL peers as frame, and NULLs are never in the
   * frame of a row with a value (PostgreSQL's rule). Rows are sorted, so a binary search finds it.
   */
  private long rangeBound(WindowFrame.Bound b, Object[][] rows, int i, int[] peerStart,
      int[] peerEnd, boolean lower) {
    SortKey key = orderKeys.get(0);
    Object v = rows[i][key.column()];
    if (v == null) {
      return lower ? peerStart[i] : peerEnd[i];
    }
    int n = rows.length;
    int from = 0;
    int to = n - 1;
    while (from <= to && rows[from][key.column()] == null) {
      from++;
    }
    while (to >= from && rows[to][key.column()] == null) {
      to--;
    }
    boolean towardsStart = b.kind() == WindowFrame.BoundKind.PRECEDING;
    // In ascending order the preceding rows hold smaller values, in descending order larger ones.
    Object target = RangeOffsets.shift(v, b.rangeOffset(), towardsStart == key.descending());
    if (target == null) {
      // The moved value overflows: the bound lies beyond every row on that side.
      if (towardsStart) {
        return lower ? from : from - 1;
      }
      return lower ? to + 1 : to;
    }
    // The first row not before the target (lower), or the last row not after it (upper).
    int lo = from;
    int hi = to + 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = RangeOffsets.compare(rows[mid][key.column()], target);
      if (key.descending()) {
        c = -c;
      }
      if (lower ? c < 0 : c <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lower ? lo : lo - 1;
  }

  private static long bound(WindowFrame.Bound b, boolean rowsMode, int i, int n, int[] peerStart,
      int[] peerEnd, boolean lower) {
    return switch (b.kind()) {
      case UNBOUNDED_PRECEDING -> 0;
      case UNBOUNDED_FOLLOWING -> n - 1;
      case CURRENT_ROW -> rowsMode ? i : lower ? peerStart[i] : peerEnd[i];
      case PRECEDING -> (long) i - b.offset();
      case FOLLOWING -> (long) i + b.offset();
    };
  }

  /**
   * An aggregate over frames whose bounds never move backwards (true of every supported frame):
   * rows entering are added and rows leaving are retracted, except where retraction is not exact
   * (MIN/MAX, and float sums, which would drift), which recompute the frame when its start moves.
   */
  private static final class FrameAggregate {
    private final AggCall agg;
    private final Object[][] rows;
    private final boolean invertible;
    private final boolean max;
    private Accumulator acc;
    private int from = 0;
    private int to = -1;

    FrameAggregate(AggCall agg, WindowCall call, Object[][] rows) {
      this.agg = agg;
      this.rows = rows;
      this.max = agg.kind() == AggCall.Kind.MAX;
      boolean floating = call.type().kind() == io.trickle.compiler.plan.ColumnType.Kind.REAL
          || call.type().kind() == io.trickle.compiler.plan.ColumnType.Kind.DOUBLE;
      this.invertible = !agg.kind().needsSortedState() && !floating;
      this.acc = new Accumulator(new Object[0], 1);
    }

    Object over(int lo, int hi) {
      if (lo > hi) {
        acc = new Accumulator(new Object[0], 1);
        from = lo;
        to = lo - 1;
        return AggregateMath.result(acc, 0, agg);
      }
      boolean slide = from <= to && lo >= from && lo <= to + 1 && hi >= to
          && (lo == from || invertible);
      if (!slide) {
        acc = new Accumulator(new Object[0], 1);
        from = lo;
        to = lo - 1;
      }
      for (int r = from; r < lo; r++) {
        add(rows[r], -1);
      }
      from = lo;
      for (int r = to + 1; r <= hi; r++) {
        add(rows[r], +1);
      }
      to = hi;
      return AggregateMath.result(acc, 0, agg);
    }

    private void add(Object[] row, long w) {
      acc.count += w;
      Object v = agg.arg() < 0 ? null : row[agg.arg()];
      AggregateMath.add(acc, 0, agg, v, w);
      if (agg.kind().needsSortedState() && v != null && w > 0) {
        Object cur = acc.extremes[0];
        if (cur == null || (max ? Values.compare(v, cur) > 0 : Values.compare(v, cur) < 0)) {
          acc.extremes[0] = v;
        }
      }
    }
  }
}
