package io.trickle.compiler.rel;

import java.util.List;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.sql2rel.RelDecorrelator;

/**
 * Heuristic rewrites before translation. Subqueries (EXISTS, IN, NOT IN) are first rewritten
 * into correlates, joins and aggregates, and correlates are then decorrelated into plain joins
 * (a correlate that cannot be decorrelated is rejected by the translator). Filters are pushed
 * into joins so that comma joins with WHERE equalities become equi-joins; a join against a
 * distinct aggregate whose columns are not used becomes a semi-join; projects are merged and
 * removed. AVG is deliberately not reduced to SUM/COUNT: the runtime computes it natively with
 * PostgreSQL's numeric division.
 */
public final class RelNormalizer {
  private static final HepProgram SUB_QUERIES = new HepProgramBuilder()
      .addRuleCollection(List.of(
          CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
          CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
          CoreRules.JOIN_SUB_QUERY_TO_CORRELATE))
      .build();

  /** {@code f(...) OVER (...)} in a project becomes a Window below a plain project. */
  private static final HepProgram WINDOWS = new HepProgramBuilder()
      .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
      .build();

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
      .addMatchOrder(HepMatchOrder.BOTTOM_UP)
      .addRuleCollection(List.of(
          CoreRules.PROJECT_TO_SEMI_JOIN,
          CoreRules.PROJECT_MERGE,
          CoreRules.PROJECT_REMOVE))
      .build();

  /**
   * Inner joins gathered into one multi-join and re-ordered so that each next input shares an
   * equality with those joined before: {@code FROM part, supplier, partsupp} must not start with
   * the cross product {@code part × supplier}, whose state and per-change work are the product
   * of both tables.
   */
  private static final HepProgram JOIN_ORDER = new HepProgramBuilder()
      .addMatchOrder(HepMatchOrder.BOTTOM_UP)
      .addRuleCollection(List.of(
          CoreRules.JOIN_TO_MULTI_JOIN,
          CoreRules.PROJECT_MULTI_JOIN_MERGE,
          CoreRules.FILTER_MULTI_JOIN_MERGE))
      .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
      .addRuleCollection(List.of(
          CoreRules.FILTER_INTO_JOIN,
          CoreRules.JOIN_CONDITION_PUSH,
          CoreRules.PROJECT_MERGE,
          CoreRules.PROJECT_REMOVE))
      .build();

  private RelNormalizer() {}

  public static RelNode normalize(RelNode rel) {
    HepPlanner subQueries = new HepPlanner(SUB_QUERIES);
    subQueries.setRoot(rel);
    RelNode decorrelated = RelDecorrelator.decorrelateQuery(subQueries.findBestExp(),
        RelFactories.LOGICAL_BUILDER.create(rel.getCluster(), null));
    HepPlanner windows = new HepPlanner(WINDOWS);
    windows.setRoot(decorrelated);
    HepPlanner planner = new HepPlanner(PROGRAM);
    planner.setRoot(EquiJoinConditions.rewrite(windows.findBestExp()));
    // Filters have now been pushed into the joins, whose conditions get their second rewrite.
    RelNode normalized = EquiJoinConditions.rewrite(planner.findBestExp());
    if (!CrossProducts.present(normalized)) {
      return normalized;
    }
    HepPlanner joinOrder = new HepPlanner(JOIN_ORDER);
    joinOrder.setRoot(normalized);
    return joinOrder.findBestExp();
  }
}
