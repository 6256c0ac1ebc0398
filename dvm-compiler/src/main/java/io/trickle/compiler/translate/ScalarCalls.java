package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.expr.PgInterval;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SqlPos;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's string, date/time and numeric function calls to {@link Expr}, typed as PostgreSQL
 * types them (EXTRACT is numeric, date + interval a timestamp, round(integer) a double), which
 * is not always how Calcite types them.
 */
final class ScalarCalls {
  private static final ColumnType BOOL = ColumnType.of(Kind.BOOLEAN);
  private static final ColumnType TEXT = ColumnType.of(Kind.TEXT);
  private static final ColumnType INT = ColumnType.of(Kind.INTEGER);
  private static final ColumnType NUMERIC = ColumnType.of(Kind.NUMERIC);
  private static final ColumnType DOUBLE = ColumnType.of(Kind.DOUBLE);
  private static final ColumnType TIMESTAMP = ColumnType.of(Kind.TIMESTAMP);
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private final Function<RexNode, Expr> operand;
  private final SqlPos pos;

  ScalarCalls(Function<RexNode, Expr> operand, SqlPos pos) {
    this.operand = operand;
    this.pos = pos;
  }

  /** @return the translation, or null if this is not one of the calls handled here */
  Expr translate(RexCall call) {
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    SqlKind kind = call.getKind();
    if (kind == SqlKind.LIKE) {
      return like(call, name);
    }
    return switch (name) {
      case "||" -> new Expr.Call(Operator.CONCAT, List.of(text(call, 0), text(call, 1)), TEXT);
      case "LOWER" -> new Expr.Call(Operator.LOWER, List.of(text(call, 0)), TEXT);
      case "UPPER" -> new Expr.Call(Operator.UPPER, List.of(text(call, 0)), TEXT);
      case "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH" ->
          new Expr.Call(Operator.CHAR_LENGTH, List.of(text(call, 0)), INT);
      case "SUBSTRING" -> substring(call);
      case "POSITION" -> {
        if (call.getOperands().size() != 2) {
          throw unsupported("position() with a start position is not supported");
        }
        yield new Expr.Call(Operator.POSITION, List.of(text(call, 0), text(call, 1)), INT);
      }
      case "TRIM" -> trim(call);
      case "BTRIM", "LTRIM", "RTRIM" -> {
        Operator op = Operator.valueOf(name);
        Expr chars = call.getOperands().size() > 1 ? text(call, 1)
            : new Expr.Literal(" ", TEXT);
        yield new Expr.Call(op, List.of(text(call, 0), chars), TEXT);
      }
      case "EXTRACT" -> extract(call);
      case "DATE_TRUNC" -> dateTrunc(call);
      case "ROUND", "TRUNC" -> round(call, Operator.valueOf(name));
      case "CEIL", "CEILING", "FLOOR" -> {
        if (call.getOperands().size() != 1) {
          throw unsupported(name + " ... TO <unit> is not supported");
        }
        yield unaryNumeric(call, name.equals("FLOOR") ? Operator.FLOOR : Operator.CEIL);
      }
      case "SIGN" -> unaryNumeric(call, Operator.SIGN);
      case "ABS" -> abs(call);
      case "GREATEST", "LEAST" -> extreme(call, Operator.valueOf(name));
      // PostgreSQL's date/timestamp operators (rel.PgDateTimeOperators); Calcite's own + and -
      // have kind PLUS/MINUS and never get here.
      case "+", "-" -> dates().operator(call, name.equals("+"));
      case "PGINTVL" -> dates().intervalText(call);
      case "AGE" -> dates().age(call);
      case "DATE_PART" -> dates().datePart(call);
      case "PG_SQRT" -> sqrt(call);
      case "DIV" -> {
        Expr a = operand.apply(call.getOperands().get(0));
        Expr b = operand.apply(call.getOperands().get(1));
        requireNumeric(a, Operator.DIV);
        requireNumeric(b, Operator.DIV);
        yield new Expr.Call(Operator.DIV, List.of(to(a, NUMERIC), to(b, NUMERIC)), NUMERIC);
      }
      case "->", "->>", "#>", "#>>", "JSONB_TYPEOF", "JSONB_ARRAY_LENGTH" ->
          new JsonbCalls(operand, pos).translate(call, name);
      case "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP" ->
          throw unsupported(name.toLowerCase(Locale.ROOT) + " is not allowed in a stream table:"
              + " it is stable, not immutable (its value changes with the clock), and a stream"
              + " table is maintained row by row as changes arrive, so each row would keep the"
              + " value from when it was last changed and the table could never equal its query");
      default -> null;
    };
  }

  /** An interval literal as PostgreSQL reads it: the leading field decides months/days/time. */
  static Expr intervalLiteral(RexLiteral lit) {
    SqlTypeName t = lit.getType().getSqlTypeName();
    BigDecimal v = lit.getValueAs(BigDecimal.class);
    ColumnType type = ColumnType.of(Kind.INTERVAL);
    if (v == null) {
      return new Expr.Literal(null, type);
    }
    long n = v.longValueExact();
    PgInterval interval = switch (t) {
      case INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH ->
          PgInterval.ofMonths(Math.toIntExact(n));
      case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND ->
          new PgInterval(0, Math.toIntExact(n / MILLIS_PER_DAY), n % MILLIS_PER_DAY * 1000L);
      case INTERVAL_HOUR, INTERVAL_HOUR_MINUTE, INTERVAL_HOUR_SECOND, INTERVAL_MINUTE,
          INTERVAL_MINUTE_SECOND, INTERVAL_SECOND -> new PgInterval(0, 0, n * 1000L);
      default -> null;
    };
    return interval == null ? null : new Expr.Literal(interval, type);
  }

  static boolean isInterval(RexNode node) {
    return node.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH
        || node.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME;
  }

  /**
   * date/timestamp ± interval (PostgreSQL: a timestamp), interval + date/timestamp, interval ±
   * interval.
   */
  Expr intervalArithmetic(Operator op, RexCall call) {
    Expr left = operand.apply(call.getOperands().get(0));
    Expr right = operand.apply(call.getOperands().get(1));
    Kind l = left.type().kind();
    Kind r = right.type().kind();
    boolean temporalLeft = l == Kind.DATE || l == Kind.TIMESTAMP;
    boolean temporalRight = r == Kind.DATE || r == Kind.TIMESTAMP;
    if (temporalLeft && r == Kind.INTERVAL || op == Operator.PLUS && l == Kind.INTERVAL
        && temporalRight) {
      return new Expr.Call(op, List.of(left, right), TIMESTAMP);
    }
    if (l == Kind.INTERVAL && r == Kind.INTERVAL) {
      return new Expr.Call(op, List.of(left, right), ColumnType.of(Kind.INTERVAL));
    }
    throw unsupported("operator " + call.getOperator().getName() + " on " + left.type()
        + " and " + right.type() + " is not supported yet (only date or timestamp plus or minus"
        + " an interval is)");
  }

  private Expr like(RexCall call, String name) {
    boolean ilike = name.contains("ILIKE");
    boolean negated = name.startsWith("NOT");
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < call.getOperands().size(); i++) {
      args.add(text(call, i));
    }
    Expr e = new Expr.Call(ilike ? Operator.ILIKE : Operator.LIKE, args, BOOL);
    return negated ? new Expr.Call(Operator.NOT, List.of(e), BOOL) : e;
  }

  private Expr substring(RexCall call) {
    List<Expr> args = new ArrayList<>();
    args.add(text(call, 0));
    for (int i = 1; i < call.getOperands().size(); i++) {
      Expr e = operand.apply(call.getOperands().get(i));
      if (!e.type().kind().isInteger()) {
        throw unsupported("substring() with a " + e.type() + " position is not supported (the"
            + " regular-expression forms are not supported yet)");
      }
      args.add(e);
    }
    return new Expr.Call(Operator.SUBSTRING, args, TEXT);
  }

  private Expr trim(RexCall call) {
    RexLiteral flag = (RexLiteral) call.getOperands().get(0);
    SqlTrimFunction.Flag f = flag.getValueAs(SqlTrimFunction.Flag.class);
    Operator op = switch (f) {
      case BOTH -> Operator.BTRIM;
      case LEADING -> Operator.LTRIM;
      case TRAILING -> Operator.RTRIM;
    };
    return new Expr.Call(op, List.of(text(call, 2), text(call, 1)), TEXT);
  }

  private Expr extract(RexCall call) {
    RexLiteral flag = (RexLiteral) call.getOperands().get(0);
    TimeUnitRange unit = flag.getValueAs(TimeUnitRange.class);
    Expr value = operand.apply(call.getOperands().get(1));
    String field = unit.name().toLowerCase(Locale.ROOT);
    value = PinnedTimeZone.wallClock(value, field.equals("epoch"), pos);
    Kind k = value.type().kind();
    if (k != Kind.DATE && k != Kind.TIMESTAMP && k != Kind.TIME) {
      throw unsupported("EXTRACT from " + value.type() + " is not supported yet");
    }
    if (!EXTRACT_FIELDS.contains(field) || k == Kind.DATE && TIME_FIELDS.contains(field)
        || k == Kind.TIME && !TIME_FIELDS.contains(field) && !field.equals("epoch")) {
      throw unsupported("EXTRACT(" + field.toUpperCase(Locale.ROOT) + " FROM " + value.type()
          + ") is not supported");
    }
    return new Expr.Call(Operator.EXTRACT, List.of(new Expr.Literal(field, TEXT), value), NUMERIC);
  }

  private static final List<String> TIME_FIELDS =
      List.of("microsecond", "millisecond", "second", "minute", "hour");
  private static final List<String> EXTRACT_FIELDS = List.of("microsecond", "millisecond",
      "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century",
      "millennium", "dow", "isodow", "doy", "epoch", "isoyear");
  private static final List<String> TRUNC_UNITS = List.of("microseconds", "milliseconds",
      "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century",
      "millennium");

  private Expr dateTrunc(RexCall call) {
    Expr unit = operand.apply(call.getOperands().get(0));
    Expr value = operand.apply(call.getOperands().get(1));
    if (!(unit instanceof Expr.Literal l) || !(l.value() instanceof String s)
        || !TRUNC_UNITS.contains(s.toLowerCase(Locale.ROOT))) {
      throw unsupported("date_trunc() needs a constant unit, one of " + TRUNC_UNITS);
    }
    if (value.type().kind() == Kind.TIMESTAMPTZ) {
      return new Expr.Call(Operator.DATE_TRUNC, List.of(new Expr.Literal(
          s.toLowerCase(Locale.ROOT), TEXT), value, PinnedTimeZone.zoneLiteral(pos)), value.type());
    }
    if (value.type().kind() != Kind.TIMESTAMP) {
      throw unsupported("date_trunc() of " + value.type() + " is not supported yet");
    }
    return new Expr.Call(Operator.DATE_TRUNC,
        List.of(new Expr.Literal(s.toLowerCase(Locale.ROOT), TEXT), value), TIMESTAMP);
  }

  /**
   * round/trunc(numeric [, digits]) stay numeric; with one argument an integer or real is
   * resolved by PostgreSQL to the double precision overload.
   */
  private Expr round(RexCall call, Operator op) {
    Expr value = operand.apply(call.getOperands().get(0));
    Kind k = value.type().kind();
    if (call.getOperands().size() == 2) {
      Expr digits = operand.apply(call.getOperands().get(1));
      if (!digits.type().kind().isInteger() || k == Kind.REAL || k == Kind.DOUBLE) {
        throw unsupported(op.name().toLowerCase(Locale.ROOT) + "() with digits needs a numeric"
            + " value and an integer digit count");
      }
      return new Expr.Call(op, List.of(to(value, NUMERIC), digits), NUMERIC);
    }
    ColumnType type = k == Kind.NUMERIC ? NUMERIC : DOUBLE;
    requireNumeric(value, op);
    return new Expr.Call(op, List.of(to(value, type)), type);
  }

  private DateTimeCalls dates() {
    return new DateTimeCalls(operand, pos);
  }

  /** sqrt(numeric) is numeric; any other number is resolved to the double precision overload. */
  private Expr sqrt(RexCall call) {
    Expr value = operand.apply(call.getOperands().get(0));
    requireNumeric(value, Operator.SQRT);
    ColumnType type = value.type().kind() == Kind.NUMERIC ? NUMERIC : DOUBLE;
    return new Expr.Call(Operator.SQRT, List.of(to(value, type)), type);
  }

  private Expr unaryNumeric(RexCall call, Operator op) {
    Expr value = operand.apply(call.getOperands().get(0));
    requireNumeric(value, op);
    ColumnType type = value.type().kind() == Kind.NUMERIC ? NUMERIC : DOUBLE;
    return new Expr.Call(op, List.of(to(value, type)), type);
  }

  private Expr abs(RexCall call) {
    Expr value = operand.apply(call.getOperands().get(0));
    requireNumeric(value, Operator.ABS);
    return new Expr.Call(Operator.ABS, List.of(value), ColumnType.of(value.type().kind()));
  }

  private void requireNumeric(Expr value, Operator op) {
    if (!value.type().kind().isNumeric()) {
      throw unsupported(op.name().toLowerCase(Locale.ROOT) + "() of " + value.type()
          + " is not supported");
    }
  }

  /** GREATEST/LEAST over numbers or dates/times, in the kind PostgreSQL would unify them to. */
  private Expr extreme(RexCall call, Operator op) {
    List<Expr> args = new ArrayList<>();
    Kind common = null;
    for (RexNode n : call.getOperands()) {
      Expr e = operand.apply(n);
      args.add(e);
      Kind k = e.type().kind();
      if (e instanceof Expr.Literal l && l.value() == null) {
        continue;
      }
      common = common == null ? k : TypeMapper.comparisonKind(common, k);
      if (common == null) {
        throw unsupported(op.name().toLowerCase(Locale.ROOT) + "() of mixed types is not"
            + " supported");
      }
    }
    if (common == null || common == Kind.TEXT || common == Kind.BOOLEAN
        || common == Kind.TIMESTAMPTZ || common == Kind.JSONB) {
      throw unsupported(op.name().toLowerCase(Locale.ROOT) + "() of " + (common == null ? "NULLs"
          : ColumnType.defaultPgType(common)) + " is not supported yet");
    }
    ColumnType type = ColumnType.of(common);
    List<Expr> coerced = new ArrayList<>();
    for (Expr e : args) {
      coerced.add(to(e, type));
    }
    return new Expr.Call(op, coerced, type);
  }

  private Expr text(RexCall call, int i) {
    return to(operand.apply(call.getOperands().get(i)), TEXT);
  }

  /** A cast where the kinds differ (all integer kinds share one runtime class). */
  static Expr to(Expr e, ColumnType type) {
    Kind from = e.type().kind();
    if (from == type.kind() || from.isInteger() && type.kind().isInteger()) {
      return e;
    }
    if (e instanceof Expr.Literal l && l.value() == null) {
      return new Expr.Literal(null, type);
    }
    if (PinnedTimeZone.dependsOnZone(from, type.kind())) {
      return PinnedTimeZone.convert(e, type, SqlPos.UNKNOWN);
    }
    return new Expr.Call(Operator.CAST, List.of(e), type);
  }

  private CompileException unsupported(String reason) {
    return new CompileException(pos, reason);
  }
}
