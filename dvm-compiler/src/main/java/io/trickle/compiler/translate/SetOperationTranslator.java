package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.SetOperationOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.plan.UnionAllOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * UNION ALL becomes a {@link UnionAllOp} (a Z-set sum); UNION, INTERSECT [ALL] and EXCEPT [ALL]
 * a {@link SetOperationOp} that counts each row per input. An input whose column has another
 * runtime kind than the result (integer UNION numeric) gets a casting project first, so equal
 * values are equal rows.
 */
final class SetOperationTranslator {
  private SetOperationTranslator() {}

  /** @param kind null for UNION ALL */
  static Op translate(SetOp setOp, SetOperationOp.Kind kind, List<Bound> inputs, IntSupplier ids,
      SqlPos pos) {
    List<Column> columns = new ArrayList<>();
    for (RelDataTypeField f : setOp.getRowType().getFieldList()) {
      ColumnType type = TypeMapper.exprType(f.getType());
      if (type == null) {
        throw new CompileException(pos, "column " + f.getName() + " of a set operation has type "
            + f.getType() + ", which is not supported yet");
      }
      columns.add(new Column(f.getName(), type));
    }
    List<Op> ops = new ArrayList<>();
    for (Bound in : inputs) {
      ops.add(conform(in, columns, ids, pos));
    }
    int id = ids.getAsInt();
    return kind == null ? new UnionAllOp(id, pos, ops, columns)
        : new SetOperationOp(id, pos, kind, ops, columns);
  }

  /** The input's fields in order, cast where the runtime kind differs from the result's. */
  private static Op conform(Bound in, List<Column> columns, IntSupplier ids, SqlPos pos) {
    boolean identity = in.op().columns().size() == columns.size();
    List<Expr> exprs = new ArrayList<>();
    for (int f = 0; f < columns.size(); f++) {
      Expr e = in.ref(f, pos);
      identity &= ((Expr.ColumnRef) e).index() == f;
      if (e.type().kind() != columns.get(f).type().kind()) {
        e = new Expr.Call(Operator.CAST, List.of(e), columns.get(f).type());
        identity = false;
      }
      exprs.add(e);
    }
    if (identity) {
      return in.op();
    }
    List<Column> projected = new ArrayList<>();
    for (int f = 0; f < columns.size(); f++) {
      projected.add(new Column(columns.get(f).name(), exprs.get(f).type()));
    }
    return new ProjectOp(ids.getAsInt(), pos, in.op(), exprs, projected,
        RowKeys.project(in.op().key(), exprs));
  }
}
