package io.trickle.topology;

import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.JoinOp.JoinKind;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Every join kind, with and without an equality and a residual, against recomputation from
 * scratch in plain Java with SQL semantics: random insert/update/delete/truncate histories on
 * both sides over a key domain of three values plus NULL. After every epoch the materialized
 * output (applied to a map as the sink does, multiplicities expanded) equals
 * {@code select ... from l <kind> join r on [k = rk] [and v < w]}.
 */
class JoinKindsVersusRecomputeTest {
  private static final SourceOp L = Plans.source(1, "l", col("id", Plans.INT), col("k", Plans.INT),
      col("v", Plans.INT));
  private static final SourceOp R = Plans.source(2, "r", col("rid", Plans.INT), col("rk", Plans.INT),
      col("w", Plans.INT));
  private static final ColumnType BOOL = ColumnType.of(ColumnType.Kind.BOOLEAN);

  /** One source change; {@code table} is "l" or "r"; {@code truncate} wins over the rest. */
  record Action(String table, int id, boolean delete, boolean truncate, Integer k, Integer v) {}

  @Provide
  Arbitrary<List<List<Action>>> histories() {
    Arbitrary<Action> action = Combinators.combine(
        Arbitraries.of("l", "r"), Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 2).injectNull(0.15),
        Arbitraries.integers().between(-3, 3).injectNull(0.15))
        .as((table, id, dice, k, v) -> new Action(table, id, dice < 6, dice == 19 && id == 0, k, v));
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 20)
  void inner(@ForAll("histories") List<List<Action>> epochs, @ForAll boolean equi, @ForAll boolean residual) {
    check(JoinKind.INNER, equi, residual, epochs);
  }

  @Property(tries = 20)
  void left(@ForAll("histories") List<List<Action>> epochs, @ForAll boolean equi, @ForAll boolean residual) {
    check(JoinKind.LEFT, equi, residual, epochs);
  }

  @Property(tries = 20)
  void right(@ForAll("histories") List<List<Action>> epochs, @ForAll boolean equi, @ForAll boolean residual) {
    check(JoinKind.RIGHT, equi, residual, epochs);
  }

  @Property(tries = 20)
  void full(@ForAll("histories") List<List<Action>> epochs, @ForAll boolean equi, @ForAll boolean residual) {
    check(JoinKind.FULL, equi, residual, epochs);
  }

  @Property(tries = 20)
  void semi(@ForAll("histories") List<List<Action>> epochs, @ForAll boolean equi, @ForAll boolean residual) {
    check(JoinKind.SEMI, equi, residual, epochs);
  }

  @Property(tries = 20)
  void anti(@ForAll("histories") List<List<Action>> epochs, @ForAll boolean equi, @ForAll boolean residual) {
    check(JoinKind.ANTI, equi, residual, epochs);
  }

  static JoinOp join(JoinKind kind, boolean equi, boolean residual) {
    Expr lessThan = new Expr.Call(Operator.LESS_THAN,
        List.of(new Expr.ColumnRef(2, Plans.INT), new Expr.ColumnRef(5, Plans.INT)), BOOL);
    List<Column> columns = kind.leftOnly() ? L.columns() : Plans.concat(L.columns(), R.columns());
    RowKey key = switch (kind) {
      case INNER -> RowKey.of(List.of(0, 3));
      case SEMI, ANTI -> RowKey.of(List.of(0));
      default -> RowKey.ROW_HASH;
    };
    return new JoinOp(3, SqlPos.UNKNOWN, kind, L, R, equi ? List.of(1) : List.of(),
        equi ? List.of(1) : List.of(), residual ? lessThan : null, columns, key);
  }

  /** SQL: {@code k = rk} and {@code v < w} are unknown (no match) when an operand is NULL. */
  private static boolean matches(Integer[] l, Integer[] r, boolean equi, boolean residual) {
    if (equi && (l[1] == null || !l[1].equals(r[1]))) {
      return false;
    }
    return !residual || (l[2] != null && r[2] != null && l[2] < r[2]);
  }

  static Map<String, Long> recompute(JoinKind kind, boolean equi, boolean residual,
      Map<String, Map<Integer, Integer[]>> tables) {
    Map<String, Long> out = new HashMap<>();
    List<Integer[]> ls = new ArrayList<>(tables.get("l").values());
    List<Integer[]> rs = new ArrayList<>(tables.get("r").values());
    Integer[] nulls = new Integer[3];
    boolean[] rightMatched = new boolean[rs.size()];
    for (Integer[] l : ls) {
      boolean matched = false;
      for (int i = 0; i < rs.size(); i++) {
        if (matches(l, rs.get(i), equi, residual)) {
          matched = true;
          rightMatched[i] = true;
          if (!kind.leftOnly()) {
            add(out, row(l, rs.get(i)));
          }
        }
      }
      if (kind == JoinKind.SEMI && matched || kind == JoinKind.ANTI && !matched) {
        add(out, row(l, null));
      }
      if (kind.preservesLeft() && !matched) {
        add(out, row(l, nulls));
      }
    }
    for (int i = 0; i < rs.size(); i++) {
      if (kind.preservesRight() && !rightMatched[i]) {
        add(out, row(nulls, rs.get(i)));
      }
    }
    return out;
  }

  private static void add(Map<String, Long> out, String row) {
    out.merge(row, 1L, Long::sum);
  }

  private static String row(Integer[] l, Integer[] r) {
    ObjectNode v = Harness.JSON.createObjectNode().put("id", l[0]).put("k", l[1]).put("v", l[2]);
    if (r != null) {
      v.put("rid", r[0]).put("rk", r[1]).put("w", r[2]);
    }
    return v.toString();
  }

  private static void check(JoinKind kind, boolean equi, boolean residual, List<List<Action>> epochs) {
    JoinOp join = join(kind, equi, residual);
    Plan plan = new Plan("lr", "select * from l " + kind + " join r on ...",
        new MaterializeOp(4, SqlPos.UNKNOWN, join, "lr"));
    Map<String, Map<Integer, Integer[]>> tables = Map.of("l", new TreeMap<>(), "r", new TreeMap<>());
    Map<String, String> materialized = new HashMap<>();
    try (Harness h = new Harness(plan)) {
      for (List<Action> epoch : epochs) {
        boolean tx = epoch.size() > 1;
        if (tx) {
          h.begin();
        }
        for (Action a : epoch) {
          apply(h, tables.get(a.table()), a);
        }
        if (tx) {
          h.end();
        }
        h.advance(java.time.Duration.ofMillis(100));
        for (TestRecord<byte[], byte[]> r : h.drainRecords()) {
          if (Harness.header(r, "trickle.marker") != null) {
            continue;
          }
          assertThat(Harness.header(r, "trickle.error")).as("no error records").isNull();
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            assertThat(materialized.remove(key)).as("tombstone for an existing key " + key).isNotNull();
          } else {
            materialized.put(key, new String(r.value(), StandardCharsets.UTF_8));
          }
        }
        assertThat(contents(materialized)).as("%s join (equi %s, residual %s) after epoch %s of %s",
            kind, equi, residual, epoch, epochs).isEqualTo(recompute(kind, equi, residual, tables));
      }
    }
  }

  /** The materialized rows as a multiset: each record is one row (a row hash's copies are keyed apart). */
  static Map<String, Long> contents(Map<String, String> materialized) {
    Map<String, Long> out = new HashMap<>();
    for (String value : materialized.values()) {
      out.merge(Harness.parse(value.getBytes(StandardCharsets.UTF_8)).toString(), 1L, Long::sum);
    }
    return out;
  }

  private static void apply(Harness h, Map<Integer, Integer[]> table, Action a) {
    String[] names = a.table().equals("l") ? new String[] {"id", "k", "v"} : new String[] {"rid", "rk", "w"};
    if (a.truncate()) {
      table.clear();
      h.truncate(a.table());
    } else if (a.delete()) {
      if (table.remove(a.id()) != null) {
        h.delete(a.table(), Harness.row(names[0], a.id()));
      }
    } else {
      Map<String, Object> after = Harness.row(names[0], a.id(), names[1], a.k(), names[2], a.v());
      if (table.put(a.id(), new Integer[] {a.id(), a.k(), a.v()}) == null) {
        h.insert(a.table(), after);
      } else {
        h.update(a.table(), after);
      }
    }
  }
}
