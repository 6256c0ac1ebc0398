package io.trickle.topology.processor;

import io.trickle.compiler.plan.UnionAllOp;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One input of a UNION ALL: processor {@code union-N-input-i} forwards its input's changes
 * unchanged (a Z-set sum needs no state). One processor per input, so that an input used twice
 * still counts twice and the consumer's marker alignment sees one parent per input.
 */
public final class UnionAllProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private final UnionAllOp op;
  private final int input;

  public UnionAllProcessorSupplier(UnionAllOp op, int input) {
    this.op = op;
    this.input = input;
  }

  public static String processorName(UnionAllOp op, int input) {
    return op.name() + "-input-" + input;
  }

  @Override
  public OperatorProcessor get() {
    return new OperatorProcessor(op, processorName(op, input)) {
      @Override
      protected void onChange(Msg.Change change, Record<Object, Msg> record) {
        emit(record, change.row(), change.weight());
      }
    };
  }
}
