package io.trickle.compiler.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The compiled form of one stream table: an immutable DAG of operators rooted at a {@link
 * MaterializeOp}. {@link #explain()} prints it with row keys and SQL positions.
 *
 * @param timeZone the TimeZone setting the plan is evaluated in (its expressions name it too),
 *     or null when no expression depends on it; part of {@link #explain()}, so of the plan hash
 * @param warnings what the user should know about the result, e.g. that the query does not
 *     determine it and which rule trickle applies; printed by {@code explain} and at deploy
 *     time, not part of {@link #explain()}
 */
public record Plan(String streamTable, String sql, MaterializeOp root, String timeZone,
    List<String> warnings) {

  public Plan {
    Objects.requireNonNull(streamTable, "streamTable");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(root, "root");
    warnings = List.copyOf(warnings);
  }

  public Plan(String streamTable, String sql, MaterializeOp root) {
    this(streamTable, sql, root, null, List.of());
  }

  public Plan withTimeZone(String zone) {
    return new Plan(streamTable, sql, root, zone, warnings);
  }

  public Plan withWarnings(List<String> more) {
    List<String> all = new ArrayList<>(warnings);
    all.addAll(more);
    return new Plan(streamTable, sql, root, timeZone, all);
  }

  /** Every operator once, inputs before consumers (a plan can be a DAG). */
  public List<Op> operators() {
    Map<Integer, Op> seen = new LinkedHashMap<>();
    collect(root, seen);
    return List.copyOf(seen.values());
  }

  private static void collect(Op op, Map<Integer, Op> seen) {
    if (seen.containsKey(op.id())) {
      return;
    }
    for (Op in : op.inputs()) {
      collect(in, seen);
    }
    seen.put(op.id(), op);
  }

  public List<SourceOp> sources() {
    List<SourceOp> out = new ArrayList<>();
    for (Op op : operators()) {
      if (op instanceof SourceOp s) {
        out.add(s);
      }
    }
    return out;
  }

  /** Output columns of the stream table, in order. */
  public List<Column> columns() {
    return root.columns();
  }

  public String explain() {
    StringBuilder sb = new StringBuilder();
    sb.append("stream table ").append(streamTable).append('\n');
    if (timeZone != null) {
      sb.append("  evaluated in TimeZone '").append(timeZone).append("'\n");
    }
    explain(root, 0, sb, new java.util.HashSet<>());
    return sb.toString();
  }

  private static void explain(Op op, int depth, StringBuilder sb, java.util.Set<Integer> printed) {
    sb.append("  ".repeat(depth + 1)).append(op.name()).append(' ').append(op.describe());
    sb.append("  key=").append(op.key().describe(op.columns()));
    sb.append("  at ").append(op.pos());
    if (!printed.add(op.id())) {
      sb.append("  (shared, see above)\n");
      return;
    }
    sb.append('\n');
    sb.append("  ".repeat(depth + 2)).append("columns: ").append(op.columns()).append('\n');
    for (Op in : op.inputs()) {
      explain(in, depth + 1, sb, printed);
    }
  }
}
