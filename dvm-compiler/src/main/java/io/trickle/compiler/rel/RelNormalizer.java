package io.trickle.compiler.rel;

import java.util.List;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.CoreRules;

/**
 * Heuristic rewrites before translation. Filters are pushed into joins so that comma joins with
 * WHERE equalities become equi-joins; projects are merged and removed. AVG is deliberately not
 * reduced to SUM/COUNT: the runtime computes it natively with PostgreSQL's numeric division.
 */
public final class RelNormalizer {
  private static final HepProgram PROGRAM = new HepProgramBuilder()
      .addMatchOrder(HepMatchOrder.BOTTOM_UP)
      .addRuleCollection(List.of(
          CoreRules.FILTER_PROJECT_TRANSPOSE,
          CoreRules.FILTER_INTO_JOIN,
          CoreRules.JOIN_CONDITION_PUSH,
          CoreRules.JOIN_PUSH_EXPRESSIONS,
          CoreRules.FILTER_MERGE,
          CoreRules.PROJECT_MERGE,
          CoreRules.PROJECT_REMOVE,
          CoreRules.AGGREGATE_PROJECT_MERGE))
      .build();

  private RelNormalizer() {}

  public static RelNode normalize(RelNode rel) {
    HepPlanner planner = new HepPlanner(PROGRAM);
    planner.setRoot(rel);
    return planner.findBestExp();
  }
}
