package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/** ARRAY[...] and cardinality(array); other array functions are not handled yet. */
final class ArrayCalls {
  /** Element kinds an array value may have (as for array columns). */
  static final Set<Kind> ELEMENTS = EnumSet.of(Kind.BOOLEAN, Kind.SMALLINT, Kind.INTEGER,
      Kind.BIGINT, Kind.NUMERIC, Kind.TEXT, Kind.DATE);

  private ArrayCalls() {}

  /** @return the translation, or null if {@code call} is not an array call handled here */
  static Expr translate(RexCall call, Function<RexNode, Expr> operand, SqlPos pos) {
    if (call.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR) {
      ColumnType type = TypeMapper.exprType(call.getType());
      if (type == null || !ELEMENTS.contains(type.element().kind())) {
        throw new CompileException(pos, "ARRAY[...] of " + call.getType().getComponentType()
            + " is not supported yet");
      }
      List<Expr> args = new ArrayList<>();
      for (RexNode o : call.getOperands()) {
        args.add(operand.apply(o));
      }
      return new Expr.Call(Operator.ARRAY, args, type);
    }
    if (call.getOperator().getName().equalsIgnoreCase("CARDINALITY")) {
      Expr array = operand.apply(call.getOperands().get(0));
      if (array.type().kind() != Kind.ARRAY) {
        throw new CompileException(pos, "cardinality of " + array.type() + " is not supported");
      }
      return new Expr.Call(Operator.CARDINALITY, List.of(array), ColumnType.of(Kind.INTEGER));
    }
    return null;
  }
}
