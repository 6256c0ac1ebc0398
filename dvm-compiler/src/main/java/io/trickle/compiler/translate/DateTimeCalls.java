package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.expr.PgIntervalInput;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;

/**
 * PostgreSQL's date and timestamp operators and functions Calcite does not type itself (see
 * rel.PgDateTimeOperators and PgFunctionTable), typed as PostgreSQL types them: date ± integer
 * is a date, date - date an integer, timestamp - timestamp and age() an interval, date_part()
 * double precision.
 */
final class DateTimeCalls {
  private static final ColumnType DATE = ColumnType.of(Kind.DATE);
  private static final ColumnType INTEGER = ColumnType.of(Kind.INTEGER);
  private static final ColumnType TIMESTAMP = ColumnType.of(Kind.TIMESTAMP);
  private static final ColumnType INTERVAL = ColumnType.of(Kind.INTERVAL);
  private static final ColumnType DOUBLE = ColumnType.of(Kind.DOUBLE);
  private static final ColumnType TEXT = ColumnType.of(Kind.TEXT);
  private static final List<String> FIELDS = List.of("microseconds", "milliseconds", "second",
      "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century",
      "millennium", "dow", "isodow", "doy", "epoch", "isoyear");
  private static final List<String> TIME_FIELDS =
      List.of("microseconds", "milliseconds", "second", "minute", "hour", "epoch");

  private final Function<RexNode, Expr> operand;
  private final SqlPos pos;

  DateTimeCalls(Function<RexNode, Expr> operand, SqlPos pos) {
    this.operand = operand;
    this.pos = pos;
  }

  /** date ± integer, integer + date, date - date, timestamp/date - timestamp/date. */
  Expr operator(RexCall call, boolean plus) {
    Expr left = operand.apply(call.getOperands().get(0));
    Expr right = operand.apply(call.getOperands().get(1));
    Kind l = left.type().kind();
    Kind r = right.type().kind();
    Operator op = plus ? Operator.PLUS : Operator.MINUS;
    if (l == Kind.DATE && r.isInteger() || plus && l.isInteger() && r == Kind.DATE) {
      return new Expr.Call(op, List.of(left, right), DATE);
    }
    if (!plus && l == Kind.DATE && r == Kind.DATE) {
      return new Expr.Call(op, List.of(left, right), INTEGER);
    }
    if (!plus && (l == Kind.DATE || l == Kind.TIMESTAMP) && (r == Kind.DATE
        || r == Kind.TIMESTAMP)) {
      return new Expr.Call(op, List.of(ScalarCalls.to(left, TIMESTAMP),
          ScalarCalls.to(right, TIMESTAMP)), INTERVAL);
    }
    throw new CompileException(pos, "operator " + (plus ? "+" : "-") + " on " + left.type()
        + " and " + right.type() + " is not supported yet");
  }

  /** {@code interval '1 year 2 months'}, read now with PostgreSQL's interval input rules. */
  Expr intervalText(RexCall call) {
    Expr text = operand.apply(call.getOperands().get(0));
    if (!(text instanceof Expr.Literal l) || !(l.value() instanceof String s)) {
      throw new CompileException(pos, "an interval literal must be a constant");
    }
    try {
      return new Expr.Literal(PgIntervalInput.parse(s), INTERVAL);
    } catch (IllegalArgumentException | EvalException e) {
      throw new CompileException(pos, e.getMessage());
    }
  }

  /** age(a, b): dates are read as timestamps at midnight, as PostgreSQL casts them. */
  Expr age(RexCall call) {
    if (call.getOperands().size() != 2) {
      throw new CompileException(pos, "age() with one argument is stable (it reads the current"
          + " date) and not allowed in a stream table");
    }
    Expr a = operand.apply(call.getOperands().get(0));
    Expr b = operand.apply(call.getOperands().get(1));
    for (Expr e : List.of(a, b)) {
      if (e.type().kind() != Kind.DATE && e.type().kind() != Kind.TIMESTAMP) {
        throw new CompileException(pos, "age() of " + e.type() + " is not supported");
      }
    }
    return new Expr.Call(Operator.AGE, List.of(ScalarCalls.to(a, TIMESTAMP),
        ScalarCalls.to(b, TIMESTAMP)), INTERVAL);
  }

  /**
   * date_part(field, x): double precision. PostgreSQL's date_part(text, date) is a SQL function
   * over the timestamp at midnight, so a date is cast to timestamp first.
   */
  Expr datePart(RexCall call) {
    Expr field = operand.apply(call.getOperands().get(0));
    Expr value = operand.apply(call.getOperands().get(1));
    if (!(field instanceof Expr.Literal l) || !(l.value() instanceof String s)) {
      throw new CompileException(pos, "date_part() needs a constant field name");
    }
    String f = s.strip().toLowerCase(Locale.ROOT);
    f = switch (f) {
      case "microsecond", "us", "usec", "usecs", "useconds" -> "microseconds";
      case "millisecond", "ms", "msec", "msecs", "mseconds" -> "milliseconds";
      case "seconds", "sec", "secs" -> "second";
      case "minutes", "min", "mins" -> "minute";
      case "hours", "hr", "hrs" -> "hour";
      case "days" -> "day";
      case "weeks" -> "week";
      case "months", "mon", "mons" -> "month";
      case "years", "yr", "yrs" -> "year";
      default -> f;
    };
    value = PinnedTimeZone.wallClock(value, f.equals("epoch"), pos);
    Kind k = value.type().kind();
    if (k == Kind.DATE) {
      value = ScalarCalls.to(value, TIMESTAMP);
      k = Kind.TIMESTAMP;
    }
    if (k != Kind.TIMESTAMP && k != Kind.TIME || !FIELDS.contains(f)
        || k == Kind.TIME && !TIME_FIELDS.contains(f)) {
      throw new CompileException(pos, "date_part('" + s + "', " + value.type()
          + ") is not supported");
    }
    return new Expr.Call(Operator.DATE_PART, List.of(new Expr.Literal(f, TEXT), value), DOUBLE);
  }
}
