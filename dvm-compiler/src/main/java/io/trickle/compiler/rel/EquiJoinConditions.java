package io.trickle.compiler.rel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Rewrites join conditions so that more of them are equi-join keys.
 *
 * <p>A disjunction whose branches share a conjunct, such as TPC-H Q19's
 * {@code (p_partkey = l_partkey AND ...) OR (p_partkey = l_partkey AND ...)}, has that conjunct
 * pulled out in front ({@code (A AND B) OR (A AND C)} is {@code A AND (B OR C)} in SQL's
 * three-valued logic too), as PostgreSQL's planner does; otherwise the join would have no key.
 *
 * <p>Decorrelation joins a subquery's groups back to the outer correlation values with
 * {@code IS NOT DISTINCT FROM}, which the runtime can only evaluate as a residual over a join
 * without a key (O(n) per change). When either side of such a top-level conjunct is NOT NULL,
 * it is true exactly when {@code =} is, so it becomes an equi-join key.
 */
final class EquiJoinConditions {
  private final Map<RelNode, RelNode> done = new IdentityHashMap<>();

  private EquiJoinConditions() {}

  static RelNode rewrite(RelNode rel) {
    return new EquiJoinConditions().visit(rel);
  }

  /** Memoised by identity, so a subplan shared in the DAG stays shared. */
  private RelNode visit(RelNode rel) {
    RelNode out = done.get(rel);
    if (out != null) {
      return out;
    }
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode input : rel.getInputs()) {
      RelNode r = visit(input);
      inputs.add(r);
      changed |= r != input;
    }
    out = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
    if (out instanceof LogicalJoin join) {
      RexNode condition = rewriteCondition(join.getCluster().getRexBuilder(), join.getCondition());
      if (condition != join.getCondition()) {
        out = join.copy(join.getTraitSet(), condition, join.getLeft(), join.getRight(),
            join.getJoinType(), join.isSemiJoinDone());
      }
    }
    done.put(rel, out);
    return out;
  }

  private static RexNode rewriteCondition(RexBuilder rex, RexNode written) {
    boolean disjunction = RelOptUtil.conjunctions(written).stream()
        .anyMatch(c -> c.getKind() == SqlKind.OR);
    RexNode condition = disjunction ? RexUtil.pullFactors(rex, written) : written;
    List<RexNode> conjuncts = RelOptUtil.conjunctions(condition);
    boolean changed = condition != written;
    List<RexNode> out = new ArrayList<>();
    for (RexNode c : conjuncts) {
      if (c.getKind() == SqlKind.IS_NOT_DISTINCT_FROM) {
        RexCall call = (RexCall) c;
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        if (!a.getType().isNullable() || !b.getType().isNullable()) {
          out.add(rex.makeCall(SqlStdOperatorTable.EQUALS, a, b));
          changed = true;
          continue;
        }
      }
      out.add(c);
    }
    return changed ? RexUtil.composeConjunction(rex, out) : condition;
  }
}
