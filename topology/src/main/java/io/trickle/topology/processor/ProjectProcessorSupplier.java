package io.trickle.topology.processor;

import io.trickle.compiler.expr.CompiledExpr;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Evaluator;
import io.trickle.compiler.plan.ProjectOp;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/** Computes the output expressions over each changed row; the weight is unchanged. Stateless. */
public final class ProjectProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private final ProjectOp op;
  private final CompiledExpr[] exprs;

  public ProjectProcessorSupplier(ProjectOp op) {
    this.op = op;
    List<CompiledExpr> compiled = op.exprs().stream().map(Evaluator::compile).toList();
    this.exprs = compiled.toArray(new CompiledExpr[0]);
  }

  @Override
  public OperatorProcessor get() {
    return new OperatorProcessor(op, op.name()) {
      @Override
      protected void onChange(Msg.Change change, Record<Object, Msg> record) {
        Object[] out = new Object[exprs.length];
        try {
          for (int i = 0; i < exprs.length; i++) {
            out[i] = exprs[i].eval(change.row());
          }
        } catch (EvalException e) {
          reportError(record, e, change.row(), op.input().columns());
          return;
        }
        emit(record, out, change.weight());
      }
    };
  }
}
