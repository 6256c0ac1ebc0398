package io.trickle.topology.processor;

import io.trickle.compiler.plan.SourceOp;
import io.trickle.topology.TrickleMetrics;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * {@code source-N} over a captured table, in a stream table's topology: stateless. The capture
 * stage already turned the table's Debezium events into Z-set changes (and holds the table's
 * rows), so this passes the changes read from the table's change topic on, as the source's
 * output. An error the capture stage met on the table (a value that does not fit its column) is
 * reported as this source's error, with its SQL position, and counted as a poison record here
 * too, so the stream table is marked errored as it was when each stream table parsed its own
 * changes.
 */
public final class CapturedSourceProcessorSupplier
    implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private final SourceOp op;

  public CapturedSourceProcessorSupplier(SourceOp op) {
    if (op.readsStreamTable()) {
      throw new IllegalArgumentException(op.name() + " reads a stream table, not a captured table");
    }
    this.op = op;
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return null;
  }

  @Override
  public OperatorProcessor get() {
    return new OperatorProcessor(op, op.name()) {
      private final int arity = op.columns().size();
      private Sensor poison;

      @Override
      protected void openOperator() {
        poison = TrickleMetrics.poisonRecords(context.metrics(), op.name());
      }

      @Override
      protected void onChange(Msg.Change change, Record<Object, Msg> record) {
        if (change.row().length != arity) {
          throw new IllegalStateException(op.name() + ": a row of " + op.qualifiedName() + " with "
              + change.row().length + " columns in its change topic, " + arity + " expected");
        }
        emit(record, change.row(), change.weight());
      }

      @Override
      protected void onError(Msg.ErrorNote error, Record<Object, Msg> record) {
        poison.record();
        context.forward(record.withValue(new Msg.ErrorNote(op.name(), op.pos().toString(),
            error.sqlState(), error.message(), error.row())));
      }
    };
  }
}
