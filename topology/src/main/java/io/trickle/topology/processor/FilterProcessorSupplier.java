package io.trickle.topology.processor;

import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Evaluator;
import io.trickle.compiler.plan.FilterOp;
import java.util.function.Predicate;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/** Forwards the changes whose row satisfies the predicate (TRUE only). Stateless. */
public final class FilterProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private final FilterOp op;
  private final Predicate<Object[]> predicate;

  public FilterProcessorSupplier(FilterOp op) {
    this.op = op;
    this.predicate = Evaluator.predicate(op.predicate());
  }

  @Override
  public OperatorProcessor get() {
    return new OperatorProcessor(op, op.name()) {
      @Override
      protected void onChange(Msg.Change change, Record<Object, Msg> record) {
        boolean keep;
        try {
          keep = predicate.test(change.row());
        } catch (EvalException e) {
          reportError(record, e, change.row(), op.input().columns());
          return;
        }
        if (keep) {
          emit(record, change.row(), change.weight());
        }
      }
    };
  }
}
