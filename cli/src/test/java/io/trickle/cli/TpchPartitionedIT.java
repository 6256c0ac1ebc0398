package io.trickle.cli;

/**
 * {@link TpchIT}'s test again with every stream table split over {@link #PARTITIONS} tasks per
 * stage (through the exchanges, the output partitioned, the sink's frontier across partitions),
 * over a few queries that cover multi-way joins, an outer join with a nested aggregate, an IN
 * subquery with HAVING, and top-k: all 22 at P > 1 take CI past its time budget on two cores.
 * {@code -Dtrickle.tpch.partitions} and {@code -Dtrickle.tpch.only} override both.
 */
class TpchPartitionedIT extends TpchIT {
  static final int PARTITIONS = 2;
  static final String QUERIES = "q03,q09,q13,q18";
}
