package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Casts into and out of jsonb. Out of jsonb to a number or boolean needs a scalar of that JSON
 * type (PostgreSQL's jsonb_numeric, jsonb_int4, jsonb_bool, ...): numbers go through numeric,
 * so {@code '2.5'::jsonb::int} rounds as numeric does. A JSON null casts to SQL NULL, as in
 * PostgreSQL 17 and later (older versions raise an error).
 */
final class JsonbCasts {
  private JsonbCasts() {}

  static UnaryOperator<Object> toJsonb(Kind from) {
    return switch (from) {
      case JSONB -> null;
      case TEXT -> v -> PgJsonb.parse((String) v);
      default -> throw new IllegalArgumentException("cannot cast " + from + " to JSONB");
    };
  }

  static UnaryOperator<Object> fromJsonb(ColumnType to) {
    Kind k = to.kind();
    if (k == Kind.BOOLEAN) {
      return v -> {
        Object node = ((PgJsonb) v).root();
        if (node instanceof Boolean b) {
          return b;
        }
        if (node == PgJsonb.NULL) {
          return null;
        }
        throw cannotCast(node, to);
      };
    }
    if (!k.isNumeric()) {
      throw new IllegalArgumentException("cannot cast JSONB to " + k);
    }
    UnaryOperator<Object> fromNumeric = Casts.converter(ColumnType.of(Kind.NUMERIC), to);
    return v -> {
      Object node = ((PgJsonb) v).root();
      if (node == PgJsonb.NULL) {
        return null;
      }
      if (!(node instanceof BigDecimal d)) {
        throw cannotCast(node, to);
      }
      return fromNumeric == null ? d : fromNumeric.apply(d);
    };
  }

  private static EvalException cannotCast(Object node, ColumnType to) {
    String target = ColumnType.defaultPgType(to.kind()).toLowerCase(Locale.ROOT);
    return new EvalException("22023", "cannot cast jsonb " + PgJsonb.typeName(node)
        + " to type " + target);
  }
}
