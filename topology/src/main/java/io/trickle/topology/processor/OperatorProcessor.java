package io.trickle.topology.processor;

import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.Op;
import io.trickle.topology.TrickleMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor whose output is again Z-set changes. Markers and error notes pass through by
 * default; {@link #emit} forwards a change and counts it.
 */
public abstract class OperatorProcessor extends ZSetProcessor<Object, Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorProcessor.class);

  private final Op origin;
  private final String processorName;
  private Sensor changes;
  private Sensor evalErrors;

  protected OperatorProcessor(Op op, String processorName) {
    this.origin = op;
    this.processorName = processorName;
  }

  @Override
  protected final void open() {
    changes = TrickleMetrics.changesProcessed(context.metrics(), processorName);
    evalErrors = TrickleMetrics.evaluationErrors(context.metrics(), processorName);
    openOperator();
  }

  protected void openOperator() {}

  @Override
  protected void onMarker(Msg.Marker marker, Record<Object, Msg> record) {
    context.forward(record);
  }

  @Override
  protected void onError(Msg.ErrorNote error, Record<Object, Msg> record) {
    context.forward(record);
  }

  protected void emit(Record<Object, Msg> cause, Object[] row, long weight) {
    if (weight != 0) {
      changes.record();
      context.forward(cause.withValue(new Msg.Change(row, weight)));
    }
  }

  /**
   * An error PostgreSQL would raise for this row: never crash, but log it, count it and tell the
   * materialize operator so the stream table is marked errored. The change itself is skipped.
   */
  protected void reportError(Record<Object, Msg> cause, EvalException e, Object[] row,
      List<Column> columns) {
    evalErrors.record();
    LOG.warn("{} at {}: {} (SQLSTATE {}) for row {}", processorName, origin.pos(), e.getMessage(),
        e.sqlState(), java.util.Arrays.toString(row));
    context.forward(cause.withValue(new Msg.ErrorNote(processorName, origin.pos().toString(),
        e.sqlState(), e.getMessage(), named(row, columns))));
  }

  static Map<String, Object> named(Object[] row, List<Column> columns) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < row.length; i++) {
      out.put(i < columns.size() ? columns.get(i).name() : "$" + i, row[i]);
    }
    return out;
  }
}
