package io.trickle.topology.processor;

import io.trickle.compiler.expr.CompiledExpr;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Evaluator;
import io.trickle.compiler.expr.SetFunction;
import io.trickle.compiler.plan.SetReturningOp;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies a set-returning function to each changed row and emits every produced row (input
 * columns ++ function columns ++ ordinal) with the change's weight. Stateless: a retraction
 * recomputes the same rows from the retracted row, because the function depends on it alone.
 */
public final class SetReturningProcessorSupplier
    implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private final SetReturningOp op;
  private final CompiledExpr[] args;

  public SetReturningProcessorSupplier(SetReturningOp op) {
    this.op = op;
    this.args = op.args().stream().map(Evaluator::compile).toArray(CompiledExpr[]::new);
  }

  @Override
  public OperatorProcessor get() {
    SetFunction function = op.function();
    int inWidth = op.firstFunctionColumn();
    int fnWidth = function.columnTypes().size();
    int width = op.columns().size();
    return new OperatorProcessor(op, op.name()) {
      @Override
      protected void onChange(Msg.Change change, Record<Object, Msg> record) {
        Object[] in = change.row();
        List<Object[]> produced;
        try {
          Object[] values = new Object[args.length];
          for (int i = 0; i < args.length; i++) {
            values[i] = args[i].eval(in);
          }
          produced = function.apply(values);
        } catch (EvalException e) {
          reportError(record, e, in, op.input().columns());
          return;
        }
        if (produced.isEmpty() && op.outer()) {
          Object[] out = new Object[width];
          System.arraycopy(in, 0, out, 0, inWidth);
          emit(record, out, change.weight());
          return;
        }
        long ordinal = 0;
        for (Object[] row : produced) {
          Object[] out = new Object[width];
          System.arraycopy(in, 0, out, 0, inWidth);
          System.arraycopy(row, 0, out, inWidth, fnWidth);
          ordinal++;
          if (op.ordinality()) {
            out[width - 1] = ordinal;
          }
          emit(record, out, change.weight());
        }
      }
    };
  }
}
