package io.trickle.compiler.rel;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;

/**
 * Finds an inner join without a condition: the sign that the FROM order put two tables side by
 * side before the table that links them. Plans without one keep the join order as written, which
 * is what users see in {@code trickle explain} and reason about.
 */
final class CrossProducts extends RelShuttleImpl {
  private boolean found;

  private CrossProducts() {}

  static boolean present(RelNode rel) {
    CrossProducts finder = new CrossProducts();
    rel.accept(finder);
    return finder.found;
  }

  @Override
  public RelNode visit(LogicalJoin join) {
    found |= isCrossProduct(join);
    return super.visit(join);
  }

  private static boolean isCrossProduct(Join join) {
    return join.getJoinType() == JoinRelType.INNER && join.getCondition().isAlwaysTrue();
  }
}
