package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SortKey;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.plan.WindowCall;
import io.trickle.compiler.plan.WindowFrame;
import io.trickle.compiler.plan.WindowOp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.rex.RexWindowExclusion;

/**
 * Translates a Calcite {@link Window} (what {@code PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW} makes
 * of {@code f(...) OVER (...)} in a SELECT list) into one {@link WindowOp} per window
 * specification, chained: each appends its functions' columns, which is the column layout of
 * Calcite's Window. Arguments are input columns; offsets, bucket counts and frame offsets must be
 * constants. Calcite passes constants as references past the input's fields into {@link
 * Window#constants}.
 */
final class WindowTranslator {
  private final RexBuilder rexBuilder;
  private final Window window;
  private final SqlPos pos;
  private final int width;

  private WindowTranslator(RexBuilder rexBuilder, Window window, SqlPos pos) {
    this.rexBuilder = rexBuilder;
    this.window = window;
    this.pos = pos;
    this.width = window.getInput().getRowType().getFieldCount();
  }

  static Bound translate(RexBuilder rexBuilder, Window window, Bound in, SqlPos pos,
      IntSupplier ids) {
    return new WindowTranslator(rexBuilder, window, pos).translate(in, ids);
  }

  private Bound translate(Bound in, IntSupplier ids) {
    List<String> names = window.getRowType().getFieldNames();
    List<Integer> fields = new ArrayList<>();
    for (int f : in.fields()) {
      fields.add(f);
    }
    var op = in.op();
    int next = width;
    for (Window.Group group : window.groups) {
      if (group.exclude != RexWindowExclusion.EXCLUDE_NO_OTHER) {
        throw new CompileException(pos, "window frame " + group.exclude + " is not supported yet");
      }
      List<Integer> partition = new ArrayList<>();
      for (int k : group.keys) {
        partition.add(in.column(k, pos));
      }
      List<SortKey> order = new ArrayList<>();
      for (RelFieldCollation fc : group.orderKeys.getFieldCollations()) {
        boolean desc = fc.direction.isDescending();
        boolean nullsFirst = switch (fc.nullDirection) {
          case FIRST -> true;
          case LAST -> false;
          case UNSPECIFIED -> desc;
        };
        int column = in.column(fc.getFieldIndex(), pos);
        SortTranslator.rejectJsonbOrder(in.op().columns().get(column).type(), pos);
        SortTranslator.rejectArrayOrder(in, column, pos);
        order.add(new SortKey(column, desc, nullsFirst));
      }
      WindowFrame frame = frame(group, order, op.columns());
      List<WindowCall> calls = new ArrayList<>();
      for (Window.RexWinAggCall agg : group.aggCalls) {
        calls.add(call(agg, in, frame, names.get(next++)));
      }
      int firstNew = op.columns().size();
      op = new WindowOp(ids.getAsInt(), pos, op, partition, order, calls);
      for (int i = 0; i < calls.size(); i++) {
        fields.add(firstNew + i);
      }
    }
    int[] f = fields.stream().mapToInt(Integer::intValue).toArray();
    String[] unavailable = new String[f.length];
    System.arraycopy(in.unavailable(), 0, unavailable, 0, in.unavailable().length);
    return new Bound(op, f, unavailable);
  }

  private WindowFrame frame(Window.Group group, List<SortKey> order, List<Column> columns) {
    WindowFrame.Bound lower = bound(group.lowerBound, group.isRows, order, columns);
    WindowFrame.Bound upper = bound(group.upperBound, group.isRows, order, columns);
    return new WindowFrame(group.isRows, lower, upper);
  }

  private WindowFrame.Bound bound(RexWindowBound b, boolean rows, List<SortKey> order,
      List<Column> columns) {
    if (b.isUnboundedPreceding()) {
      return new WindowFrame.Bound(WindowFrame.BoundKind.UNBOUNDED_PRECEDING, 0);
    }
    if (b.isUnboundedFollowing()) {
      return new WindowFrame.Bound(WindowFrame.BoundKind.UNBOUNDED_FOLLOWING, 0);
    }
    if (b.isCurrentRow()) {
      return new WindowFrame.Bound(WindowFrame.BoundKind.CURRENT_ROW, 0);
    }
    if (!rows) {
      return WindowFrame.Bound.range(b.isPreceding() ? WindowFrame.BoundKind.PRECEDING
          : WindowFrame.BoundKind.FOLLOWING, rangeOffset(b.getOffset(), order, columns));
    }
    long offset = constantLong(b.getOffset(), "a frame offset");
    if (offset < 0) {
      throw new CompileException(pos, "frame starting or ending offset must not be negative");
    }
    return new WindowFrame.Bound(b.isPreceding() ? WindowFrame.BoundKind.PRECEDING
        : WindowFrame.BoundKind.FOLLOWING, offset);
  }

  /**
   * A RANGE offset in the type {@link io.trickle.compiler.expr.RangeOffsets} moves the single
   * ORDER BY value by: an integer for integer columns, numeric for numeric, double precision for
   * floating point, an interval for date and timestamp (PostgreSQL has already checked the pair).
   */
  private Object rangeOffset(RexNode offset, List<SortKey> order, List<Column> columns) {
    if (order.size() != 1) {
      throw new CompileException(pos, "RANGE with offset PRECEDING/FOLLOWING requires exactly one"
          + " ORDER BY column");
    }
    RexNode value = offset instanceof RexInputRef ref && ref.getIndex() >= width
        ? window.constants.get(ref.getIndex() - width) : offset;
    if (!(value instanceof RexLiteral lit) || lit.isNull()) {
      throw new CompileException(pos, "a RANGE frame offset must be a constant");
    }
    Kind kind = columns.get(order.get(0).column()).type().kind();
    Object v;
    if (kind == Kind.DATE || kind == Kind.TIMESTAMP) {
      Expr interval = ScalarCalls.isInterval(lit) ? ScalarCalls.intervalLiteral(lit) : null;
      if (interval == null) {
        throw new CompileException(pos, "a RANGE offset on a " + kind.name().toLowerCase(Locale.ROOT)
            + " column must be an interval with a unit, such as interval '7' day");
      }
      v = ((Expr.Literal) interval).value();
      if (v.toString().startsWith("-")) {
        throw new CompileException(pos, "invalid preceding or following size in window function");
      }
      return v;
    }
    BigDecimal n = lit.getValueAs(BigDecimal.class);
    if (n == null || n.signum() < 0) {
      throw new CompileException(pos, "invalid preceding or following size in window function");
    }
    return switch (kind) {
      case SMALLINT, INTEGER, BIGINT -> n.longValueExact();
      case NUMERIC -> n;
      case REAL, DOUBLE -> n.doubleValue();
      default -> throw new CompileException(pos, "a RANGE frame with an offset over a "
          + kind.name().toLowerCase(Locale.ROOT) + " ORDER BY is not supported yet; use ROWS, or"
          + " RANGE with UNBOUNDED and CURRENT ROW");
    };
  }

  private WindowCall call(Window.RexWinAggCall agg, Bound in, WindowFrame frame, String name) {
    String fn = agg.getOperator().getName().toLowerCase(Locale.ROOT);
    if (agg.distinct) {
      throw new CompileException(pos, fn + "(DISTINCT ...) OVER is not supported yet");
    }
    if (agg.ignoreNulls) {
      throw new CompileException(pos, fn + "(...) IGNORE NULLS is not supported yet");
    }
    List<RexNode> ops = agg.getOperands();
    WindowCall.Kind kind = switch (agg.getKind()) {
      case ROW_NUMBER -> WindowCall.Kind.ROW_NUMBER;
      case RANK -> WindowCall.Kind.RANK;
      case DENSE_RANK -> WindowCall.Kind.DENSE_RANK;
      case PERCENT_RANK -> WindowCall.Kind.PERCENT_RANK;
      case CUME_DIST -> WindowCall.Kind.CUME_DIST;
      case NTILE -> WindowCall.Kind.NTILE;
      case LAG -> WindowCall.Kind.LAG;
      case LEAD -> WindowCall.Kind.LEAD;
      case FIRST_VALUE -> WindowCall.Kind.FIRST_VALUE;
      case LAST_VALUE -> WindowCall.Kind.LAST_VALUE;
      case NTH_VALUE -> WindowCall.Kind.NTH_VALUE;
      case COUNT -> ops.isEmpty() ? WindowCall.Kind.COUNT_STAR : WindowCall.Kind.COUNT;
      case SUM -> WindowCall.Kind.SUM;
      case AVG -> WindowCall.Kind.AVG;
      case MIN -> WindowCall.Kind.MIN;
      case MAX -> WindowCall.Kind.MAX;
      default -> throw new CompileException(pos, "window function " + fn + "() is not supported yet");
    };
    if (kind == WindowCall.Kind.COUNT && ops.size() > 1) {
      throw new CompileException(pos, "count with several arguments is not supported yet");
    }
    int arg = -1;
    ColumnType argType = null;
    boolean takesColumn = switch (kind) {
      case LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE, COUNT, SUM, AVG, MIN, MAX -> true;
      default -> false;
    };
    if (takesColumn) {
      arg = column(ops.get(0), in, fn);
      argType = in.op().columns().get(arg).type();
    }
    long n = 0;
    Expr defaultValue = null;
    switch (kind) {
      case LAG, LEAD -> {
        n = ops.size() > 1 ? constantLong(ops.get(1), "the offset of " + fn + "()") : 1;
        if (ops.size() > 2) {
          defaultValue = defaultValue(ops.get(2), in, argType);
        }
      }
      case NTILE -> {
        n = constantLong(ops.get(0), "the argument of ntile()");
        if (n <= 0) {
          throw new CompileException(pos, "argument of ntile must be greater than zero");
        }
      }
      case NTH_VALUE -> {
        n = constantLong(ops.get(1), "the position in nth_value()");
        if (n <= 0) {
          throw new CompileException(pos, "argument of nth_value must be greater than zero");
        }
      }
      default -> { }
    }
    ColumnType type = switch (kind) {
      case ROW_NUMBER, RANK, DENSE_RANK -> ColumnType.of(Kind.BIGINT);
      case NTILE -> ColumnType.of(Kind.INTEGER);
      case PERCENT_RANK, CUME_DIST -> ColumnType.of(Kind.DOUBLE);
      case LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE -> argType;
      default -> {
        AggCall.Kind aggKind = kind.aggregate();
        ColumnType t = AggregateTypes.of(aggKind, argType);
        if (t == null) {
          throw new CompileException(pos, fn + "(" + argType + ") is not supported");
        }
        yield t;
      }
    };
    WindowFrame usedFrame = kind.usesFrame() ? frame : WindowFrame.DEFAULT;
    return new WindowCall(kind, arg, n, defaultValue, usedFrame, type, name);
  }

  private int column(RexNode operand, Bound in, String fn) {
    if (operand instanceof RexInputRef ref && ref.getIndex() < width) {
      return in.column(ref.getIndex(), pos);
    }
    throw new CompileException(pos, "a constant argument to " + fn + "() OVER is not supported yet");
  }

  /** LAG/LEAD's default: a column of the current row or a constant, in the argument's type. */
  private Expr defaultValue(RexNode operand, Bound in, ColumnType argType) {
    Expr e;
    if (operand instanceof RexInputRef ref && ref.getIndex() < width) {
      e = in.ref(ref.getIndex(), pos);
    } else {
      e = RexToExpr.translate(rexBuilder, constant(operand, "the default of lag()/lead()"), in, pos);
    }
    if (e.type().kind() != argType.kind()) {
      e = new Expr.Call(Operator.CAST, List.of(e), argType);
    }
    return e;
  }

  private RexLiteral constant(RexNode operand, String what) {
    RexNode n = operand;
    while (n instanceof org.apache.calcite.rex.RexCall c && c.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
      n = c.getOperands().get(0);
    }
    if (n instanceof RexInputRef ref && ref.getIndex() >= width) {
      return window.constants.get(ref.getIndex() - width);
    }
    if (n instanceof RexLiteral lit) {
      return lit;
    }
    throw new CompileException(pos, what + " must be a constant; an expression is not supported"
        + " yet");
  }

  private long constantLong(RexNode operand, String what) {
    RexLiteral lit = constant(operand, what);
    BigDecimal v = lit.getValueAs(BigDecimal.class);
    if (v == null) {
      throw new CompileException(pos, what + " must not be NULL");
    }
    try {
      return v.longValueExact();
    } catch (ArithmeticException e) {
      throw new CompileException(pos, what + " must be an integer");
    }
  }
}
