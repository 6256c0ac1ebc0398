package io.trickle.compiler.translate;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.plan.TopKOp;
import io.trickle.compiler.plan.WindowCall;
import io.trickle.compiler.plan.WindowFrame;
import io.trickle.compiler.plan.WindowOp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds where a query does not determine its result: PostgreSQL may return any of several
 * answers, and trickle keeps one by a documented rule (docs/sql-reference.md, "Nondeterministic
 * queries"). A choice is determined when the columns that decide it include a unique key of the
 * rows it chooses among (the plan's row key), or every column (tied rows are then equal). The
 * check is conservative: a dependency the row keys do not show (a column fixed by the group, a
 * CHECK constraint) still gets a warning.
 */
final class Determinism {
  private Determinism() {}

  /** The rule trickle applies among rows its ORDER BY does not order, as the warnings name it. */
  static final String TOP_K_RULE = "trickle keeps the rows whose encoding sorts first among rows"
      + " that tie on every ORDER BY key";

  /**
   * ORDER BY ... LIMIT/OFFSET, DISTINCT ON and ROW_NUMBER() top-k filters: the ORDER BY (with the
   * partition columns) must decide among the input's rows.
   *
   * @param what how the user wrote it, for the message
   */
  static Optional<String> topK(TopKOp topK, String what) {
    Set<Integer> decided = new HashSet<>(topK.partitionKeys());
    for (TopKOp.SortKey k : topK.sortKeys()) {
      decided.add(k.column());
    }
    Op in = topK.input();
    if (decides(decided, in)) {
      return Optional.empty();
    }
    String by = topK.sortKeys().isEmpty() ? "has no ORDER BY, so it does not decide which rows it"
        + " keeps" : "does not decide which rows it keeps when rows tie on "
        + names(in.columns(), topK.sortKeys().stream().map(TopKOp.SortKey::column).toList());
    return Optional.of(at(topK.pos()) + what + " " + by + ": PostgreSQL may return any of them,"
        + " and " + TOP_K_RULE + "; to make it deterministic, " + fix(in, decided));
  }

  /**
   * string_agg and array_agg: PostgreSQL concatenates in input order, which only the
   * aggregate's ORDER BY (with the group columns) decides.
   */
  static Optional<String> orderedAggregate(AggCall call, List<Integer> groupKeys, Op in,
      SqlPos pos) {
    if (call.kind() != AggCall.Kind.STRING_AGG && call.kind() != AggCall.Kind.ARRAY_AGG) {
      return Optional.empty();
    }
    Set<Integer> decided = new HashSet<>(groupKeys);
    for (AggCall.OrderKey k : call.orderBy()) {
      decided.add(k.column());
    }
    // Rows that tie on the ORDER BY but add the same value (and delimiter) add the same text.
    Set<Integer> contributed = new HashSet<>();
    contributed.add(call.arg());
    for (int extra : call.extraArgs()) {
      if (!isConstant(in, extra)) {
        contributed.add(extra);
      }
    }
    if (decides(decided, in) || decided.containsAll(contributed)) {
      return Optional.empty();
    }
    String name = call.kind() == AggCall.Kind.STRING_AGG ? "string_agg" : "array_agg";
    String by = call.orderBy().isEmpty() ? "has no ORDER BY, so the order of its elements is"
        + " not decided" : "does not decide the order of elements that tie on "
        + names(in.columns(), call.orderBy().stream().map(AggCall.OrderKey::column).toList());
    String rule = call.orderBy().isEmpty() ? "trickle orders them by value"
        : "trickle orders tied elements by value";
    return Optional.of(at(pos) + name + "(" + in.columns().get(call.arg()).name() + ") " + by
        + ": PostgreSQL may return them in any order, and " + rule + "; to make it"
        + " deterministic, add " + name + "'s argument or "
        + fixColumns(in, decided) + " to its ORDER BY");
  }

  /**
   * Window functions whose value depends on the order of rows that tie on the window's ORDER BY
   * (with its PARTITION BY): ROW_NUMBER, NTILE, LAG, LEAD, FIRST/LAST/NTH_VALUE (unless a RANGE
   * frame and an argument equal among tied rows make them agree), and aggregates over a ROWS
   * frame that does not span the whole partition.
   */
  static List<String> window(WindowOp op) {
    Set<Integer> decided = new HashSet<>(op.partitionKeys());
    for (io.trickle.compiler.plan.SortKey k : op.orderKeys()) {
      decided.add(k.column());
    }
    Op in = op.input();
    if (decides(decided, in)) {
      return List.of();
    }
    java.util.LinkedHashSet<String> functions = new java.util.LinkedHashSet<>();
    for (WindowCall call : op.calls()) {
      WindowFrame f = call.frame();
      boolean wholePartition = f.lower().kind() == WindowFrame.BoundKind.UNBOUNDED_PRECEDING
          && f.upper().kind() == WindowFrame.BoundKind.UNBOUNDED_FOLLOWING;
      boolean sensitive = switch (call.kind()) {
        case ROW_NUMBER, NTILE, LAG, LEAD -> true;
        case RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST -> false;
        case FIRST_VALUE, LAST_VALUE, NTH_VALUE -> f.rows() && !wholePartition
            || !decided.contains(call.arg());
        case COUNT_STAR, COUNT, SUM, AVG, MIN, MAX -> f.rows() && !wholePartition;
      };
      if (!sensitive) {
        continue;
      }
      functions.add(call.kind().name().toLowerCase(java.util.Locale.ROOT).replace("_star", "")
          + "()");
    }
    if (functions.contains("sum()") || functions.contains("avg()")) {
      functions.remove("count()"); // Calcite's own, for SUM's NULL over no rows
    }
    if (functions.isEmpty()) {
      return List.of();
    }
    String by = op.orderKeys().isEmpty() ? "has no ORDER BY in its window"
        : "depends on the order of rows that tie on " + names(in.columns(),
            op.orderKeys().stream().map(io.trickle.compiler.plan.SortKey::column).toList());
    return List.of(at(op.pos()) + String.join(", ", functions) + " OVER " + by + ": PostgreSQL"
        + " may order them either way, and trickle orders tied rows by their encoding; to make"
        + " it deterministic, add " + fixColumns(in, decided) + " to the window's ORDER BY");
  }

  private static boolean decides(Set<Integer> decided, Op in) {
    RowKey key = in.key();
    if (key.unique() && decided.containsAll(key.columns())) {
      return true;
    }
    for (int c = 0; c < in.columns().size(); c++) {
      if (!decided.contains(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isConstant(Op in, int column) {
    return in instanceof ProjectOp p && p.exprs().get(column) instanceof Expr.Literal;
  }

  private static String fix(Op in, Set<Integer> decided) {
    return "add " + fixColumns(in, decided) + " to the ORDER BY";
  }

  /** The columns of the input's unique key not yet decided, or "every selected column". */
  private static String fixColumns(Op in, Set<Integer> decided) {
    RowKey key = in.key();
    if (key.unique() && !key.columns().isEmpty()) {
      List<Integer> missing = new ArrayList<>();
      for (int c : key.columns()) {
        if (!decided.contains(c)) {
          missing.add(c);
        }
      }
      return "a unique column such as " + names(in.columns(), missing);
    }
    return "columns that are unique together, such as the table's primary key,";
  }

  private static String names(List<Column> columns, Collection<Integer> indexes) {
    List<String> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(columns.get(i).name());
    }
    return out.size() == 1 ? out.get(0) : "(" + String.join(", ", out) + ")";
  }

  private static String at(SqlPos pos) {
    return pos.equals(SqlPos.UNKNOWN) ? "" : "line " + pos.line() + ", column " + pos.column()
        + ": ";
  }
}
