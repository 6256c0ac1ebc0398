package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.function.IntPredicate;

/** =, <>, <, <=, >, >= (NULL when either side is NULL) and IS [NOT] DISTINCT FROM (never NULL). */
final class Comparisons {
  private Comparisons() {}

  static CompiledExpr compare(Operator op, Kind leftKind, Kind rightKind,
      CompiledExpr left, CompiledExpr right) {
    Comparator<Object> cmp = comparator(leftKind, rightKind);
    IntPredicate test = switch (op) {
      case EQUALS -> c -> c == 0;
      case NOT_EQUALS -> c -> c != 0;
      case LESS_THAN -> c -> c < 0;
      case LESS_THAN_OR_EQUAL -> c -> c <= 0;
      case GREATER_THAN -> c -> c > 0;
      case GREATER_THAN_OR_EQUAL -> c -> c >= 0;
      default -> throw new IllegalArgumentException("not a comparison: " + op);
    };
    return row -> {
      Object a = left.eval(row);
      if (a == null) {
        return null;
      }
      Object b = right.eval(row);
      if (b == null) {
        return null;
      }
      return test.test(cmp.compare(a, b));
    };
  }

  static CompiledExpr distinct(boolean wantDistinct, Kind leftKind, Kind rightKind,
      CompiledExpr left, CompiledExpr right) {
    Comparator<Object> cmp = comparator(leftKind, rightKind);
    return row -> {
      Object a = left.eval(row);
      Object b = right.eval(row);
      boolean same = a == null || b == null ? a == b : cmp.compare(a, b) == 0;
      return same != wantDistinct;
    };
  }

  /** Picks the comparison once per expression; mixed kinds fall back to {@link Values#compare}. */
  static Comparator<Object> comparator(Kind left, Kind right) {
    if (left == right) {
      switch (left) {
        case SMALLINT, INTEGER, BIGINT:
          return (a, b) -> Long.compare((Long) a, (Long) b);
        case NUMERIC:
          return (a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b);
        case REAL, DOUBLE:
          return (a, b) -> Values.compareDoubles((Double) a, (Double) b);
        case TEXT:
          return (a, b) -> TextOrder.compare((String) a, (String) b);
        case UUID:
          return (a, b) -> ((String) a).compareTo((String) b);
        case JSONB:
          // equality only: the translator rejects ordering comparisons of jsonb
          return (a, b) -> a.equals(b) ? 0 : 1;
        case ARRAY:
          // Equality only (the translator rejects ordering): PostgreSQL's array_eq.
          return (a, b) -> Values.sameKey(a, b) ? 0 : 1;
        default:
          break;
      }
    }
    if (left.isInteger() && right.isInteger()) {
      return (a, b) -> Long.compare((Long) a, (Long) b);
    }
    return Values::compare;
  }
}
