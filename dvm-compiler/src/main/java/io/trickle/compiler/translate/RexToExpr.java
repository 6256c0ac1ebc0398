package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SqlPos;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLambda;
import org.apache.calcite.rex.RexLambdaRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexLocalRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexNodeAndFieldIndex;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexPatternFieldRef;
import org.apache.calcite.rex.RexRangeRef;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitor;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;

/**
 * Calcite row expressions to the plan's {@link Expr}, over one input {@link Bound}. Operands of
 * mixed numeric kinds get explicit casts so the evaluator sees one domain per call; casts that
 * change nothing in PostgreSQL (to unconstrained numeric or text, nullability-only) are dropped.
 */
final class RexToExpr implements RexVisitor<Expr> {
  private static final ColumnType BOOL = ColumnType.of(Kind.BOOLEAN);
  private static final ColumnType TIMESTAMPTZ = ColumnType.of(Kind.TIMESTAMPTZ);

  private final RexBuilder rexBuilder;
  private final Bound input;
  private final SqlPos pos;

  private RexToExpr(RexBuilder rexBuilder, Bound input, SqlPos pos) {
    this.rexBuilder = rexBuilder;
    this.input = input;
    this.pos = pos;
  }

  static Expr translate(RexBuilder rexBuilder, RexNode rex, Bound input, SqlPos pos) {
    return rex.accept(new RexToExpr(rexBuilder, input, pos));
  }

  private ScalarCalls scalarCalls() {
    return new ScalarCalls(node -> node.accept(this), pos);
  }

  @Override
  public Expr visitInputRef(RexInputRef ref) {
    return input.ref(ref.getIndex(), pos);
  }

  @Override
  public Expr visitLiteral(RexLiteral lit) {
    if (ScalarCalls.isInterval(lit)) {
      Expr interval = ScalarCalls.intervalLiteral(lit);
      if (interval == null) {
        throw unsupported("INTERVAL " + lit.getType().getSqlTypeName().getName()
            .replace("INTERVAL_", "").replace('_', ' ') + " literals are not supported yet");
      }
      return interval;
    }
    ColumnType type = TypeMapper.exprType(lit.getType());
    if (lit.isNull()) {
      return new Expr.Literal(null, type == null ? ColumnType.of(Kind.TEXT) : type);
    }
    if (type == null) {
      throw unsupported(describeType(lit) + " literals are not supported yet");
    }
    Object value = switch (type.kind()) {
      case BOOLEAN -> lit.getValueAs(Boolean.class);
      case SMALLINT, INTEGER, BIGINT -> lit.getValueAs(BigDecimal.class).longValueExact();
      case NUMERIC -> lit.getValueAs(BigDecimal.class);
      case REAL, DOUBLE -> lit.getValueAs(Double.class);
      case TEXT -> lit.getValueAs(String.class);
      case DATE -> LocalDate.ofEpochDay(lit.getValueAs(DateString.class).getDaysSinceEpoch());
      case TIME -> LocalTime.parse(lit.getValueAs(TimeString.class).toString());
      case TIMESTAMP -> LocalDateTime.parse(
          lit.getValueAs(TimestampString.class).toString().replace(' ', 'T'));
      case TIMESTAMPTZ -> throw unsupported("timestamp with time zone literals are not supported"
          + " yet (their meaning depends on the TimeZone setting)");
      case INTERVAL -> throw new IllegalStateException("interval literals are handled above");
      case UUID -> io.trickle.compiler.expr.PgUuid.parse(String.valueOf(lit.getValue()));
      case JSONB -> throw unsupported("jsonb literals are not supported yet");
      case ARRAY -> throw unsupported("array literals are not supported yet (write ARRAY[...])");
    };
    return new Expr.Literal(value, type);
  }

  private static String describeType(RexLiteral lit) {
    String name = lit.getType().getSqlTypeName().getName();
    return name.startsWith("INTERVAL") ? "INTERVAL" : name;
  }

  @Override
  public Expr visitCall(RexCall call) {
    SqlKind kind = call.getKind();
    switch (kind) {
      case SEARCH:
        return RexUtil.expandSearch(rexBuilder, null, call).accept(this);
      case CAST:
        return cast(call);
      case PLUS_PREFIX:
        return call.getOperands().get(0).accept(this);
      case PLUS, CHECKED_PLUS:
        return arithmetic(Operator.PLUS, call);
      case MINUS, CHECKED_MINUS:
        return arithmetic(Operator.MINUS, call);
      case TIMES, CHECKED_TIMES:
        return arithmetic(Operator.TIMES, call);
      case DIVIDE, CHECKED_DIVIDE:
        return arithmetic(Operator.DIVIDE, call);
      case MOD:
        return arithmetic(Operator.MOD, call);
      case MINUS_PREFIX, CHECKED_MINUS_PREFIX:
        return arithmetic(Operator.NEGATE, call);
      case EQUALS:
        return comparison(Operator.EQUALS, call);
      case NOT_EQUALS:
        return comparison(Operator.NOT_EQUALS, call);
      case LESS_THAN:
        return comparison(Operator.LESS_THAN, call);
      case LESS_THAN_OR_EQUAL:
        return comparison(Operator.LESS_THAN_OR_EQUAL, call);
      case GREATER_THAN:
        return comparison(Operator.GREATER_THAN, call);
      case GREATER_THAN_OR_EQUAL:
        return comparison(Operator.GREATER_THAN_OR_EQUAL, call);
      case IS_DISTINCT_FROM:
        return comparison(Operator.IS_DISTINCT_FROM, call);
      case IS_NOT_DISTINCT_FROM:
        return comparison(Operator.IS_NOT_DISTINCT_FROM, call);
      case AND:
        return predicate(Operator.AND, call);
      case OR:
        return predicate(Operator.OR, call);
      case NOT:
        return predicate(Operator.NOT, call);
      case IS_NULL:
        return predicate(Operator.IS_NULL, call);
      case IS_NOT_NULL:
        return predicate(Operator.IS_NOT_NULL, call);
      case IS_TRUE:
        return predicate(Operator.IS_TRUE, call);
      case IS_NOT_TRUE:
        return predicate(Operator.IS_NOT_TRUE, call);
      case IS_FALSE:
        return predicate(Operator.IS_FALSE, call);
      case IS_NOT_FALSE:
        return predicate(Operator.IS_NOT_FALSE, call);
      case CASE:
        return caseWhen(call);
      case COALESCE:
        return coalesce(call);
      default:
        Expr array = ArrayCalls.translate(call, node -> node.accept(this), pos);
        if (array != null) {
          return array;
        }
        Expr scalar = scalarCalls().translate(call);
        if (scalar == null) {
          throw unsupported(describe(call) + " is not supported yet");
        }
        return scalar;
    }
  }

  private static String describe(RexCall call) {
    String name = call.getOperator().getName();
    return call.getOperator() instanceof org.apache.calcite.sql.SqlFunction
        ? "function " + name.toLowerCase(Locale.ROOT) + "()" : "operator " + name;
  }

  private Expr cast(RexCall call) {
    Expr operand = call.getOperands().get(0).accept(this);
    ColumnType target = TypeMapper.castTarget(call.getType());
    if (target == null) {
      throw unsupported("CAST to " + call.getType().getSqlTypeName().getName()
          + " is not supported yet");
    }
    Kind from = operand.type().kind();
    if (from.isInteger() && target.kind().isInteger() && from.ordinal() <= target.kind().ordinal()) {
      return operand;
    }
    if (from == target.kind()) {
      return changesValue(operand, target) ? new Expr.Call(Operator.CAST, List.of(operand), target)
          : operand;
    }
    Expr folded = foldTemporal(operand, target);
    if (folded != null) {
      return folded;
    }
    if (target.kind() == Kind.TIMESTAMPTZ && operand instanceof Expr.Literal l
        && l.value() instanceof String text) {
      Expr instant = PinnedTimeZone.timestamptzLiteral(text, target, pos);
      if (instant != null) {
        return instant;
      }
    }
    if (target.kind() == Kind.INTERVAL) {
      throw unsupported("a cast from " + operand.type() + " to interval is not supported yet");
    }
    if (PinnedTimeZone.dependsOnZone(from, target.kind())) {
      return PinnedTimeZone.convert(operand, target, pos);
    }
    if (from == Kind.TIMESTAMPTZ || target.kind() == Kind.TIMESTAMPTZ) {
      throw unsupported("a cast between " + operand.type() + " and " + target
          + " depends on the TimeZone and DateStyle settings, which is not supported yet");
    }
    return new Expr.Call(Operator.CAST, List.of(operand), target);
  }

  /** numeric(p,s) to numeric(p2,s2) with room for every digit on both sides of the point. */
  private static boolean widens(ColumnType from, ColumnType to) {
    return from.precision() >= 0 && to.scale() >= from.scale()
        && to.precision() - to.scale() >= from.precision() - from.scale();
  }

  /** {@code '2024-01-31'::date} and the like, when the string is plain ISO; else null. */
  private static Expr foldTemporal(Expr operand, ColumnType target) {
    if (!(operand instanceof Expr.Literal l) || !(l.value() instanceof String s)) {
      return null;
    }
    try {
      return switch (target.kind()) {
        case DATE -> new Expr.Literal(LocalDate.parse(s.strip()), target);
        case TIME -> target.precision() >= 0 ? null
            : new Expr.Literal(LocalTime.parse(s.strip()), target);
        case TIMESTAMP -> target.precision() >= 0 ? null
            : new Expr.Literal(LocalDateTime.parse(s.strip().replace(' ', 'T')), target);
        default -> null;
      };
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** A same-kind cast matters only if it can round or truncate. */
  private static boolean changesValue(Expr operand, ColumnType target) {
    return switch (target.kind()) {
      case NUMERIC -> target.precision() >= 0 && !widens(operand.type(), target);
      case TEXT -> target.precision() >= 0 && !target.equals(operand.type())
          && !(operand instanceof Expr.Literal l && l.value() instanceof String s
              && s.length() <= target.precision());
      case TIME, TIMESTAMP -> target.precision() >= 0 && !target.equals(operand.type());
      default -> false;
    };
  }

  private Expr arithmetic(Operator op, RexCall call) {
    if (call.getOperands().stream().anyMatch(ScalarCalls::isInterval)) {
      return scalarCalls().intervalArithmetic(op, call);
    }
    ColumnType type = TypeMapper.exprType(call.getType());
    if (type == null || !type.kind().isNumeric()) {
      throw unsupported("operator " + call.getOperator().getName() + " on "
          + call.getType().getSqlTypeName().getName().toLowerCase(Locale.ROOT)
          + " values is not supported yet");
    }
    List<Expr> translated = new ArrayList<>();
    for (RexNode operand : call.getOperands()) {
      translated.add(operand.accept(this));
    }
    type = widened(type, translated);
    List<Expr> args = new ArrayList<>();
    for (Expr e : translated) {
      args.add(coerce(e, type.kind()));
    }
    return new Expr.Call(op, args, type);
  }

  /**
   * Calcite types some calls unlike PostgreSQL (EXTRACT is bigint to Calcite, numeric to
   * PostgreSQL; date + interval a date, not a timestamp). Where an operand already carries the
   * PostgreSQL type, the enclosing arithmetic, CASE or COALESCE widens to it as PostgreSQL does.
   */
  private static ColumnType widened(ColumnType type, List<Expr> operands) {
    Kind kind = type.kind();
    for (Expr e : operands) {
      Kind k = e.type().kind();
      if (kind.isNumeric() && k.isNumeric() && rank(k) > rank(kind)
          || kind == Kind.DATE && k == Kind.TIMESTAMP) {
        kind = k == Kind.REAL ? Kind.DOUBLE : k;
      }
    }
    return kind == type.kind() ? type : ColumnType.of(kind);
  }

  private static int rank(Kind k) {
    return k.isInteger() ? 0 : k == Kind.NUMERIC ? 1 : 2;
  }

  private Expr comparison(Operator op, RexCall call) {
    Expr left = call.getOperands().get(0).accept(this);
    Expr right = call.getOperands().get(1).accept(this);
    Kind common = TypeMapper.comparisonKind(left.type().kind(), right.type().kind());
    if (common == null) {
      throw unsupported("cannot compare " + left.type() + " with " + right.type());
    }
    if (common == Kind.JSONB && op != Operator.EQUALS && op != Operator.NOT_EQUALS
        && op != Operator.IS_DISTINCT_FROM && op != Operator.IS_NOT_DISTINCT_FROM) {
      throw unsupported("ordering jsonb values (" + call.getOperator().getName() + ") is not"
          + " supported: PostgreSQL orders jsonb strings by collation");
    }
    if (common == Kind.ARRAY && (op != Operator.EQUALS && op != Operator.NOT_EQUALS
        && op != Operator.IS_DISTINCT_FROM && op != Operator.IS_NOT_DISTINCT_FROM
        || left.type().element().kind() != right.type().element().kind())) {
      throw unsupported("comparing arrays other than = / <> / IS [NOT] DISTINCT FROM between"
          + " arrays of one element type is not supported yet (" + left.type() + " vs "
          + right.type() + ")");
    }
    if (common == Kind.TIMESTAMPTZ && left.type().kind() != right.type().kind()) {
      // PostgreSQL compares them as timestamptz, reading the other side in the TimeZone.
      left = left.type().kind() == common ? left : PinnedTimeZone.convert(left, TIMESTAMPTZ, pos);
      right = right.type().kind() == common ? right
          : PinnedTimeZone.convert(right, TIMESTAMPTZ, pos);
    }
    return new Expr.Call(op, List.of(coerce(left, common), coerce(right, common)), BOOL);
  }

  private Expr predicate(Operator op, RexCall call) {
    List<Expr> args = new ArrayList<>();
    for (RexNode operand : call.getOperands()) {
      args.add(operand.accept(this));
    }
    return new Expr.Call(op, args, BOOL);
  }

  private Expr caseWhen(RexCall call) {
    ColumnType type = resultType(call);
    List<RexNode> ops = call.getOperands();
    List<Expr> translated = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      boolean isValue = i % 2 == 1 || i == ops.size() - 1;
      Expr e = ops.get(i).accept(this);
      translated.add(e);
      if (isValue) {
        values.add(e);
      }
    }
    type = widened(type, values);
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      boolean isValue = i % 2 == 1 || i == ops.size() - 1;
      args.add(isValue ? coerce(translated.get(i), type.kind()) : translated.get(i));
    }
    return new Expr.Call(Operator.CASE, args, type);
  }

  private Expr coalesce(RexCall call) {
    ColumnType type = resultType(call);
    List<Expr> translated = new ArrayList<>();
    for (RexNode operand : call.getOperands()) {
      translated.add(operand.accept(this));
    }
    type = widened(type, translated);
    List<Expr> args = new ArrayList<>();
    for (Expr e : translated) {
      args.add(coerce(e, type.kind()));
    }
    return new Expr.Call(Operator.COALESCE, args, type);
  }

  private ColumnType resultType(RexCall call) {
    ColumnType type = TypeMapper.exprType(call.getType());
    if (type == null) {
      throw unsupported(call.getKind() + " of type " + call.getType() + " is not supported yet");
    }
    return type;
  }

  /** Integers of different widths are all Long at runtime, so only other kinds need a cast. */
  private static Expr coerce(Expr e, Kind kind) {
    Kind from = e.type().kind();
    if (from == kind || from.isInteger() && kind.isInteger()) {
      return e;
    }
    if (e instanceof Expr.Literal l) {
      Object folded = foldNumeric(l.value(), kind);
      if (l.value() == null || folded != null) {
        return new Expr.Literal(folded, ColumnType.of(kind));
      }
    }
    return new Expr.Call(Operator.CAST, List.of(e), ColumnType.of(kind));
  }

  /** A numeric literal converted exactly to another numeric kind, or null if not that simple. */
  private static Object foldNumeric(Object value, Kind kind) {
    if (value instanceof Long n) {
      return switch (kind) {
        case NUMERIC -> BigDecimal.valueOf(n);
        case DOUBLE -> n.doubleValue();
        default -> null;
      };
    }
    if (value instanceof BigDecimal d && kind == Kind.DOUBLE) {
      return d.doubleValue();
    }
    return null;
  }

  private CompileException unsupported(String reason) {
    return new CompileException(pos, reason);
  }

  @Override
  public Expr visitLocalRef(RexLocalRef localRef) {
    throw unsupported("local references are not supported");
  }

  @Override
  public Expr visitOver(RexOver over) {
    throw unsupported("window functions (OVER) are not supported yet");
  }

  @Override
  public Expr visitCorrelVariable(RexCorrelVariable correlVariable) {
    throw unsupported("correlated subqueries are not supported yet");
  }

  @Override
  public Expr visitDynamicParam(RexDynamicParam dynamicParam) {
    throw unsupported("query parameters are not allowed in a stream table definition");
  }

  @Override
  public Expr visitRangeRef(RexRangeRef rangeRef) {
    throw unsupported("range references are not supported");
  }

  @Override
  public Expr visitFieldAccess(RexFieldAccess fieldAccess) {
    throw unsupported("field access is not supported yet");
  }

  @Override
  public Expr visitSubQuery(RexSubQuery subQuery) {
    throw unsupported("subqueries are not supported yet");
  }

  @Override
  public Expr visitTableInputRef(RexTableInputRef fieldRef) {
    throw unsupported("table input references are not supported");
  }

  @Override
  public Expr visitPatternFieldRef(RexPatternFieldRef fieldRef) {
    throw unsupported("MATCH_RECOGNIZE is not supported");
  }

  @Override
  public Expr visitLambda(RexLambda fieldRef) {
    throw unsupported("lambda expressions are not supported");
  }

  @Override
  public Expr visitLambdaRef(RexLambdaRef fieldRef) {
    throw unsupported("lambda expressions are not supported");
  }

  @Override
  public Expr visitNodeAndFieldIndex(RexNodeAndFieldIndex nodeAndFieldIndex) {
    throw unsupported("this expression is not supported");
  }
}
