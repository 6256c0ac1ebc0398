package io.trickle.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.Plan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
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
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Aggregates compiled by the real compiler and run in the topology over random histories of
 * inserts, updates and deletes (groups empty out and come back, NULLs everywhere), compared after
 * every epoch with the same query recomputed from scratch by PostgreSQL itself: DISTINCT,
 * FILTER, the variance family (exact numeric scales), BOOL_AND/OR, STRING_AGG with and without
 * ORDER BY, HAVING, ROLLUP/CUBE/GROUPING SETS with GROUPING(), and aggregates over aggregates.
 * Numeric results must match digit for digit including scale; double precision ones to 12
 * significant digits (PostgreSQL's running float computation rounds differently).
 */
class CompiledAggregatesVersusPostgresTest {
  /** Reads numbers as BigDecimal with their scale (Jackson strips trailing zeros by default). */
  private static final ObjectMapper EXACT = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
  private static EmbeddedPostgres postgres;
  private static Connection connection;

  @BeforeContainer
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
    try (Statement st = connection.createStatement()) {
      st.execute("create table t (id int primary key, g int, h int, v int, n numeric,"
          + " f double precision, b boolean, s text collate \"C\")");
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    connection.close();
    postgres.close();
  }

  record Row(int id, Integer g, Integer h, Integer v, String n, Double f, Boolean b, String s) {}

  record Action(boolean delete, Row row) {}

  @Provide
  Arbitrary<List<List<Action>>> histories() {
    Arbitrary<Row> row = Combinators.combine(
        Arbitraries.integers().between(0, 6),
        Arbitraries.integers().between(0, 2).injectNull(0.15),
        Arbitraries.integers().between(0, 1).injectNull(0.15),
        Arbitraries.integers().between(-3, 3).injectNull(0.2),
        Arbitraries.of("1", "1.5", "2.25", "-0.10", "3.000", "7").injectNull(0.2),
        Arbitraries.of(0.5, 1.0, -2.25, 1e10, 3.1, 0.1).injectNull(0.2),
        Arbitraries.of(true, false).injectNull(0.2),
        Arbitraries.of("a", "b", "ab", "", "é", "b").injectNull(0.2))
        .as(Row::new);
    Arbitrary<Action> action = Combinators.combine(Arbitraries.integers().between(0, 9), row)
        .as((dice, r) -> new Action(dice < 3, r));
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(14);
  }

  @Property(tries = 8)
  void distinctAggregates(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, count(distinct v) as cv, sum(distinct v) as sv, avg(distinct n) as an,"
        + " count(distinct s) as cs, count(distinct f) as cf, count(*) as c from t group by g",
        epochs);
  }

  @Property(tries = 8)
  void varianceFamily(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, stddev(v) as sv, stddev_pop(v) as spv, variance(n) as vn, var_pop(n) as vpn,"
        + " stddev_samp(n) as ssn, stddev_pop(n) as spn, var_samp(f) as vf, stddev_pop(f) as spf"
        + " from t group by g", epochs);
  }

  @Property(tries = 6)
  void globalVarianceAndDistinct(@ForAll("histories") List<List<Action>> epochs) {
    check("select var_samp(v) as vv, stddev(n) as sn, count(distinct g) as cg,"
        + " sum(distinct n) as sn2 from t", epochs);
  }

  @Property(tries = 8)
  void boolAggregates(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, bool_and(b) as ba, bool_or(b) as bo, every(v > 0) as ev from t group by g",
        epochs);
  }

  @Property(tries = 8)
  void stringAggregates(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, string_agg(s, ',' order by id) as byid,"
        + " string_agg(s, '-' order by v desc nulls last, id) as byv,"
        + " string_agg(distinct s, '|' order by s) as ds, string_agg(s, ';') as unordered"
        + " from t group by g",
        // Without ORDER BY PostgreSQL's order is unspecified; trickle's is the values' order.
        "select g, string_agg(s, ',' order by id) as byid,"
        + " string_agg(s, '-' order by v desc nulls last, id) as byv,"
        + " string_agg(distinct s, '|' order by s) as ds, string_agg(s, ';' order by s) as unordered"
        + " from t group by g", epochs);
  }

  /** ARRAY_AGG keeps NULL elements (unlike STRING_AGG) and is NULL over no rows. */
  @Property(tries = 8)
  void arrayAggregates(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, array_agg(v order by id) as byid,"
        + " array_agg(s order by v desc nulls last, id) as byv,"
        + " array_agg(distinct n order by n) as dn, array_agg(b order by id) filter (where v > 0)"
        + " as fb, cardinality(array_agg(id order by id)) as c from t group by g", epochs);
  }

  /** Arrays as group keys (PostgreSQL's array equality) and unnested again. */
  @Property(tries = 6)
  void arraysGroupedAndUnnested(@ForAll("histories") List<List<Action>> epochs) {
    check("select a, count(*) as groups from (select g, array_agg(v order by v, id) as a from t"
        + " group by g) x group by a", epochs);
    check("select x.g, u.e, u.o from (select g, array_agg(v order by id) as a from t group by g)"
        + " x, unnest(x.a) with ordinality u(e, o)", epochs);
    check("select id, u.e from t left join lateral unnest(array[v, h, null]) u(e) on true"
        + " where array[g, h] = array[1, 0] or array[g] <> array[v]", epochs);
  }

  @Property(tries = 8)
  void filterOnAggregates(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, count(*) filter (where v > 0) as pos, sum(v) filter (where b) as sb,"
        + " count(distinct s) filter (where v is not null) as cs,"
        + " string_agg(s, ',' order by id) filter (where b) as sa,"
        + " max(n) filter (where not b) as mn, stddev_pop(v) filter (where g > 0) as sd"
        + " from t group by g", epochs);
  }

  @Property(tries = 6)
  void havingWithNewAggregates(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, stddev_samp(v) as sd, string_agg(s, ',' order by id) as ss from t group by g"
        + " having count(distinct v) > 1 and bool_or(b)", epochs);
  }

  @Property(tries = 8)
  void rollup(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, h, count(*) as c, sum(v) as sv, grouping(g, h) as gr, count(distinct s) as ds"
        + " from t group by rollup (g, h)", epochs);
  }

  @Property(tries = 6)
  void cubeAndGroupingSets(@ForAll("histories") List<List<Action>> epochs) {
    check("select g, h, count(v) as c, grouping(h) as gh from t group by cube (g, h)", epochs);
    check("select g, h, min(v) as m, var_pop(n) as vp from t group by grouping sets ((g), (h), ())",
        epochs);
  }

  @Property(tries = 6)
  void aggregateOverAggregate(@ForAll("histories") List<List<Action>> epochs) {
    check("select c, count(*) as groups from (select g, count(*) as c from t group by g) x"
        + " group by c", epochs);
    check("select sum(c) as total, count(distinct c) as dc from (select g, count(v) as c from t"
        + " group by g) x", epochs);
  }

  private static void check(String sql, List<List<Action>> epochs) {
    check(sql, sql, epochs);
  }

  private static void check(String sql, String oracle, List<List<Action>> epochs) {
    Plan plan = new StreamTableCompiler().compile(StreamTableDefinition.of("st", sql), connection);
    Map<Integer, Row> table = new TreeMap<>();
    Map<String, String> materialized = new HashMap<>();
    try (Harness h = new Harness(plan)) {
      h.heartbeat();
      for (List<Action> epoch : epochs) {
        boolean tx = epoch.size() > 1;
        if (tx) {
          h.begin();
        }
        for (Action a : epoch) {
          apply(h, table, a);
        }
        if (tx) {
          h.end();
        }
        h.advance(java.time.Duration.ofMillis(100));
        for (TestRecord<byte[], byte[]> r : h.drainRecords()) {
          if (Harness.header(r, "trickle.marker") != null) {
            continue;
          }
          assertThat(Harness.header(r, "trickle.error")).as("no error records: %s",
              r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)).isNull();
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            assertThat(materialized.remove(key)).as("tombstone for an existing key " + key).isNotNull();
          } else {
            materialized.put(key, new String(r.value(), StandardCharsets.UTF_8));
          }
        }
        assertThat(contents(plan, materialized))
            .as("%s after epoch %s of %s; plan:%n%s", sql, epoch, epochs, plan.explain())
            .isEqualTo(recompute(plan, oracle, table));
      }
    }
  }

  private static void apply(Harness h, Map<Integer, Row> table, Action a) {
    int id = a.row().id();
    if (a.delete()) {
      if (table.remove(id) != null) {
        h.delete("t", Harness.row("id", id));
      }
      return;
    }
    Row r = a.row();
    Map<String, Object> after = Harness.row("id", id, "g", r.g(), "h", r.h(), "v", r.v(),
        "n", r.n(), "f", r.f(), "b", r.b(), "s", r.s());
    if (table.put(id, r) == null) {
      h.insert("t", after);
    } else {
      h.update("t", after);
    }
  }

  /** The stream table's rows as canonical strings with multiplicities. */
  private static Map<String, Long> contents(Plan plan, Map<String, String> materialized) {
    Map<String, Long> out = new HashMap<>();
    for (String value : materialized.values()) {
      ObjectNode v;
      try {
        v = (ObjectNode) EXACT.readTree(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> cells = new ArrayList<>();
      for (Column c : plan.columns()) {
        JsonNode n = v.get(c.name());
        Object java = n == null || n.isNull() ? null : n.isArray() ? n.toString()
            : n.isTextual() ? n.asText() : n.isBoolean() ? n.asBoolean() : n.decimalValue();
        cells.add(canonical(java, c.type()));
      }
      out.merge(cells.toString(), 1L, Long::sum);
    }
    return out;
  }

  /** The same query, run by PostgreSQL over the current table contents. */
  private static Map<String, Long> recompute(Plan plan, String oracle, Map<Integer, Row> table) {
    Map<String, Long> out = new HashMap<>();
    try (Statement st = connection.createStatement()) {
      connection.setAutoCommit(false);
      st.execute("delete from t");
      try (PreparedStatement ins = connection.prepareStatement(
          "insert into t values (?, ?, ?, ?, ?::numeric, ?, ?, ?)")) {
        for (Row r : table.values()) {
          ins.setInt(1, r.id());
          ins.setObject(2, r.g(), Types.INTEGER);
          ins.setObject(3, r.h(), Types.INTEGER);
          ins.setObject(4, r.v(), Types.INTEGER);
          ins.setObject(5, r.n(), Types.VARCHAR);
          ins.setObject(6, r.f(), Types.DOUBLE);
          ins.setObject(7, r.b(), Types.BOOLEAN);
          ins.setObject(8, r.s(), Types.VARCHAR);
          ins.executeUpdate();
        }
      }
      try (ResultSet rs = st.executeQuery(oracle)) {
        while (rs.next()) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < plan.columns().size(); i++) {
            Object o = rs.getObject(i + 1);
            if (o instanceof java.sql.Array a) {
              o = EXACT.valueToTree(a.getArray()).toString();
            } else if (o instanceof Integer n) {
              o = BigDecimal.valueOf(n);
            } else if (o instanceof Long n) {
              o = BigDecimal.valueOf(n);
            }
            cells.add(canonical(o, plan.columns().get(i).type()));
          }
          out.merge(cells.toString(), 1L, Long::sum);
        }
      }
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      throw new IllegalStateException(oracle, e);
    }
    return out;
  }

  private static String canonical(Object v, ColumnType type) {
    if (v == null) {
      return "NULL";
    }
    if (type.kind() == ColumnType.Kind.DOUBLE || type.kind() == ColumnType.Kind.REAL) {
      double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
      if (!Double.isFinite(d) || d == 0) {
        return Double.toString(d == 0 ? 0.0 : d);
      }
      return new BigDecimal(d).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v.toString();
  }
}
