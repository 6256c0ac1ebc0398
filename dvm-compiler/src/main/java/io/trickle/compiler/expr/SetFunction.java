package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import java.util.List;

/**
 * A set-returning function such as {@code generate_series} or {@code unnest}: the argument values
 * of one input row in, the rows it produces out. Evaluated by {@link
 * io.trickle.compiler.plan.SetReturningOp}. Implementations are immutable values (records) whose
 * {@code toString()} is stable, because the plan prints and compares them.
 */
public interface SetFunction {

  /** The name PostgreSQL knows the function by, for {@code explain} and errors. */
  String name();

  /** The types of the columns of every produced row, in order. */
  List<ColumnType> columnTypes();

  /**
   * True when one call never produces two equal rows (generate_series), so the input's row key
   * plus the produced columns identify an output row; false when it may (unnest).
   */
  boolean distinctRows();

  /**
   * The rows produced for one input row. Each row has {@link #columnTypes()}.size() values in
   * the runtime classes of those types. NULL arguments are passed as null (most functions then
   * produce no rows, as PostgreSQL's strict functions do).
   *
   * @throws EvalException for an error PostgreSQL would raise (for example a zero step)
   */
  List<Object[]> apply(Object[] args);
}
