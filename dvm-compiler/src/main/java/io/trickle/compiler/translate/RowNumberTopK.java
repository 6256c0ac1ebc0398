package io.trickle.compiler.translate;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.plan.TopKOp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * {@code WHERE rn = 1} (or {@code rn <= k}, {@code rn < k}) over {@code ROW_NUMBER() OVER
 * (PARTITION BY p ORDER BY o) AS rn}, when nothing above reads {@code rn}: the first k rows of
 * each partition, which a {@link TopKOp} maintains with O(k) work per change, where a window
 * operator would renumber the partition. DISTINCT ON arrives in this shape (see {@code
 * DistinctOnRewriter}); so does the hand-written top-k-per-group idiom.
 */
final class RowNumberTopK {
  private RowNumberTopK() {}

  /** The window below the filter, the rows kept per partition, and the filter's other conjuncts. */
  record Match(Window window, long limit, List<RexNode> rest) {}

  /**
   * A match when {@code filter} keeps the first rows of a lone ROW_NUMBER that {@code parent} (a
   * Project or Aggregate over the filter) drops.
   */
  static Optional<Match> match(LogicalFilter filter, RelNode parent) {
    if (!(filter.getInput() instanceof Window window) || window.groups.size() != 1
        || window.groups.get(0).aggCalls.size() != 1
        || window.groups.get(0).aggCalls.get(0).getOperator().getKind() != SqlKind.ROW_NUMBER) {
      return Optional.empty();
    }
    int rn = window.getRowType().getFieldCount() - 1;
    Set<Integer> used = parent instanceof Project p
        ? RelOptUtil.InputFinder.bits(p.getProjects(), null).asSet()
        : parent instanceof Aggregate a ? RelOptUtil.getAllFields(a) : null;
    if (used == null || used.contains(rn)) {
      return Optional.empty();
    }
    Long limit = null;
    List<RexNode> rest = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      Long k = limit == null ? limitOf(conjunct, rn) : null;
      if (k != null) {
        limit = k;
      } else if (RelOptUtil.InputFinder.bits(conjunct).get(rn)) {
        return Optional.empty();
      } else {
        rest.add(conjunct);
      }
    }
    return limit == null ? Optional.empty() : Optional.of(new Match(window, limit, rest));
  }

  /** k for {@code rn = 1}, {@code rn <= k} or {@code rn < k + 1} (either operand order), else null. */
  private static Long limitOf(RexNode conjunct, int rn) {
    if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
      return null;
    }
    SqlKind kind = call.getKind();
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    if (isRef(right, rn)) {
      kind = kind.reverse();
      RexNode t = left;
      left = right;
      right = t;
    }
    if (!isRef(left, rn) || !(right instanceof RexLiteral literal)) {
      return null;
    }
    BigDecimal v = literal.getValueAs(BigDecimal.class);
    if (v == null || v.stripTrailingZeros().scale() > 0
        || v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return null;
    }
    long k = v.signum() < 0 ? 0 : v.longValue();
    return switch (kind) {
      case EQUALS -> k == 1 ? 1L : null;
      case LESS_THAN_OR_EQUAL -> Math.max(k, 0);
      case LESS_THAN -> Math.max(k - 1, 0);
      default -> null;
    };
  }

  private static boolean isRef(RexNode node, int index) {
    return node instanceof RexInputRef ref && ref.getIndex() == index;
  }

  /**
   * @param in the window's input, translated
   * @return the filter's result: the window's input fields, and the row number unavailable
   */
  static Bound translate(Match m, Bound in, RexBuilder rexBuilder, SqlPos pos, IntSupplier ids) {
    Window.Group group = m.window().groups.get(0);
    List<Integer> partition = new ArrayList<>();
    for (int k : group.keys) {
      partition.add(in.column(k, pos));
    }
    ImmutableBitSet keys = group.keys;
    List<TopKOp.SortKey> order = new ArrayList<>();
    for (RelFieldCollation fc : group.orderKeys.getFieldCollations()) {
      if (!keys.get(fc.getFieldIndex())) {
        order.add(SortTranslator.sortKey(fc, in, pos));
      }
    }
    TopKOp topK = new TopKOp(ids.getAsInt(), pos, in.op(), partition, order, 0, m.limit());
    int[] fields = Arrays.copyOf(in.fields(), in.width() + 1);
    fields[in.width()] = -1;
    String[] unavailable = Arrays.copyOf(in.unavailable(), in.width() + 1);
    unavailable[in.width()] = "the row number of a top-k filter is not available";
    Bound out = new Bound(topK, fields, unavailable);
    if (m.rest().isEmpty()) {
      return out;
    }
    Expr predicate = RexToExpr.translate(rexBuilder,
        RexUtil.composeConjunction(rexBuilder, m.rest()), out, pos);
    return new Bound(new FilterOp(ids.getAsInt(), pos, topK, predicate), fields, unavailable);
  }
}
