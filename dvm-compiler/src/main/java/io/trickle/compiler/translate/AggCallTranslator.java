package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Translates Calcite's aggregate calls (with DISTINCT, FILTER and ORDER BY inside the call) and
 * grouping sets into {@link AggCall}s and grouping-set positions.
 */
final class AggCallTranslator {
  /** Default cap on the grouping sets of one GROUP BY (CUBE of n columns has 2^n). */
  static final int DEFAULT_MAX_GROUPING_SETS = 64;

  private AggCallTranslator() {}

  /**
   * The grouping sets as positions into the group columns (which are {@code groupSet} in
   * ascending field order), in Calcite's order.
   */
  static List<List<Integer>> groupSets(Aggregate aggregate, SqlPos pos, int maxGroupingSets) {
    List<Integer> fields = aggregate.getGroupSet().asList();
    List<ImmutableBitSet> sets = aggregate.getGroupSets();
    if (sets.size() > maxGroupingSets) {
      throw new CompileException(pos, "GROUP BY with " + sets.size() + " grouping sets exceeds"
          + " the limit of " + maxGroupingSets + " (each set is maintained as its own group;"
          + " raise it with the definition option max_grouping_sets)");
    }
    List<List<Integer>> out = new ArrayList<>();
    for (ImmutableBitSet set : sets) {
      List<Integer> positions = new ArrayList<>();
      for (int field : set) {
        positions.add(fields.indexOf(field));
      }
      out.add(positions);
    }
    return out;
  }

  static AggCall aggCall(AggregateCall call, Bound in, SqlPos pos, String name) {
    String fn = call.getAggregation().getName().toLowerCase(Locale.ROOT);
    List<Integer> argFields = call.getArgList();
    ColumnType firstType = argFields.isEmpty() ? null
        : in.op().columns().get(in.column(argFields.get(0), pos)).type();
    if (firstType != null && (call.getAggregation().getKind() == SqlKind.MIN
        || call.getAggregation().getKind() == SqlKind.MAX)) {
      SortTranslator.rejectJsonbOrder(firstType, pos);
    }
    AggCall.Kind kind = switch (call.getAggregation().getKind()) {
      case COUNT -> argFields.isEmpty() ? AggCall.Kind.COUNT_STAR : AggCall.Kind.COUNT;
      case SUM -> AggCall.Kind.SUM;
      case AVG -> AggCall.Kind.AVG;
      // bool_and / every and bool_or are MIN / MAX over booleans in Calcite.
      case MIN -> isBoolean(firstType) ? AggCall.Kind.BOOL_AND : AggCall.Kind.MIN;
      case MAX -> isBoolean(firstType) ? AggCall.Kind.BOOL_OR : AggCall.Kind.MAX;
      case STDDEV_POP -> AggCall.Kind.STDDEV_POP;
      case STDDEV_SAMP -> AggCall.Kind.STDDEV_SAMP;
      case VAR_POP -> AggCall.Kind.VAR_POP;
      case VAR_SAMP -> AggCall.Kind.VAR_SAMP;
      // Calcite's validator rewrites string_agg into LISTAGG, with the same two arguments.
      case STRING_AGG, LISTAGG -> AggCall.Kind.STRING_AGG;
      case GROUPING -> AggCall.Kind.GROUPING;
      case SINGLE_VALUE -> AggCall.Kind.SINGLE_VALUE;
      case ARRAY_AGG -> AggCall.Kind.ARRAY_AGG;
      default -> throw new CompileException(pos, "aggregate function " + fn
          + "() is not supported yet");
    };
    int filter = call.filterArg < 0 ? -1 : in.column(call.filterArg, pos);
    if (kind == AggCall.Kind.GROUPING) {
      List<Integer> columns = new ArrayList<>();
      for (int f : argFields) {
        columns.add(in.column(f, pos));
      }
      return new AggCall(kind, -1, AggregateTypes.of(kind, null), name, false, -1, columns,
          List.of());
    }
    if (kind == AggCall.Kind.COUNT_STAR) {
      return new AggCall(kind, -1, AggregateTypes.of(kind, null), name, false, filter, List.of(),
          List.of());
    }
    int expectedArgs = kind == AggCall.Kind.STRING_AGG ? 2 : 1;
    if (argFields.size() != expectedArgs) {
      throw new CompileException(pos, fn + " with " + argFields.size()
          + " arguments is not supported yet");
    }
    List<AggCall.OrderKey> orderBy = new ArrayList<>();
    for (RelFieldCollation c : call.getCollation().getFieldCollations()) {
      if (kind != AggCall.Kind.STRING_AGG && kind != AggCall.Kind.ARRAY_AGG) {
        // The other supported aggregates do not depend on input order; PostgreSQL ignores it.
        continue;
      }
      boolean descending = c.getDirection().isDescending();
      boolean nullsFirst = switch (c.nullDirection) {
        case FIRST -> true;
        case LAST -> false;
        // PostgreSQL's default: NULLs sort as larger than every value.
        default -> descending;
      };
      int column = in.column(c.getFieldIndex(), pos);
      SortTranslator.rejectJsonbOrder(in.op().columns().get(column).type(), pos);
      SortTranslator.rejectArrayOrder(in, column, pos);
      orderBy.add(new AggCall.OrderKey(column, descending, nullsFirst));
    }
    int arg = in.column(argFields.get(0), pos);
    List<Integer> extra = new ArrayList<>();
    for (int i = 1; i < argFields.size(); i++) {
      extra.add(in.column(argFields.get(i), pos));
    }
    ColumnType type = AggregateTypes.of(kind, firstType);
    if (type == null) {
      throw new CompileException(pos, fn + "(" + firstType + ") is not supported");
    }
    // DISTINCT does not change MIN, MAX, BOOL_AND and BOOL_OR.
    boolean distinct = call.isDistinct() && !kind.needsSortedState()
        && kind != AggCall.Kind.BOOL_AND && kind != AggCall.Kind.BOOL_OR;
    return new AggCall(kind, arg, type, name, distinct, filter, extra, orderBy);
  }

  private static boolean isBoolean(ColumnType t) {
    return t != null && t.kind() == ColumnType.Kind.BOOLEAN;
  }
}
