package io.trickle.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.trickle.topology.processor.OutputRecords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Scalar functions (LIKE/ILIKE, upper, substring, ||, EXTRACT, date ± interval, round,
 * greatest, date ± integer, age() and other interval-valued columns, date_part, sqrt, div) in
 * filters, projections and grouping keys, compiled by the real compiler and run in
 * the topology over random histories of inserts, updates, deletes and truncates. The oracle is
 * recomputation from scratch by PostgreSQL itself: the same rows are kept in an embedded
 * PostgreSQL table and the defining query is run there after every epoch.
 */
class ScalarFunctionsVersusRecomputeTest {
  private static EmbeddedPostgres postgres;
  private static Connection connection;

  private static final List<String> TEXTS =
      java.util.Arrays.asList("apple", "Banana", "ab", "b", "", "xab", "a%b", null);
  private static final List<LocalDate> DATES = java.util.Arrays.asList(LocalDate.of(2024, 1, 31),
      LocalDate.of(2024, 2, 29), LocalDate.of(2023, 12, 31), LocalDate.of(2024, 3, 1),
      LocalDate.of(2023, 1, 31), null);
  private static final List<String> NUMBERS =
      java.util.Arrays.asList("1.25", "-1.25", "0.05", "10", "-0.349", null);
  /** jsonb as a client writes it (Debezium sends PostgreSQL's output text; both must read alike). */
  private static final List<String> JSONS = java.util.Arrays.asList("{\"k\": \"x\", \"n\": 1}",
      "{\"n\":2.50,\"k\":\"y\",\"k\":\"x\"}", "{\"a\": {\"b\": [1, \"two\", null]}, \"n\": null}",
      "[3, {\"k\": \"x\"}, \"s\"]", "\"x\"", "{\"k\": null, \"n\": 1.0}", "{\"a\": [true]}",
      "null", "[1, 1, null, \"a\", [2]]", null);
  private static final List<String> UUIDS = java.util.Arrays.asList(
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
      "{ffffffff-0000-4000-8000-000000000000}", "00000000000040008000000000000001", null);

  @BeforeContainer
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
    try (Statement st = connection.createStatement()) {
      st.execute("create table s (id int primary key, t text, d date, n numeric, j jsonb,"
          + " u uuid)");
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    connection.close();
    postgres.close();
  }

  record Action(int id, boolean delete, boolean truncate, String t, LocalDate d, String n,
      String j, String u) {}

  @Provide
  Arbitrary<List<List<Action>>> histories() {
    Arbitrary<Action> action = Combinators.combine(Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 19), Arbitraries.of(TEXTS), Arbitraries.of(DATES),
        Arbitraries.of(NUMBERS), Arbitraries.of(JSONS), Arbitraries.of(UUIDS))
        .as((id, dice, t, d, n, j, u) -> new Action(id, dice < 5, dice == 19 && id == 0, t, d, n,
            j, u));
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 12)
  void textFunctionsInFilterAndProjection(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select id, upper(t) as u, substring(t from 1 for 2) as p, t || '!' as e,"
        + " position('b' in t) as pos from s where t like 'a%' or t ilike '%B%'"
        + " or t not like '%\\%%'", epochs);
  }

  @Property(tries = 12)
  void dateArithmeticAndExtractAsGroupingKey(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select extract(year from d) as y, count(*) as c, sum(n) as total from s"
        + " where d < date '2024-01-31' + interval '1' month group by extract(year from d)",
        epochs);
  }

  @Property(tries = 12)
  void numericAndDateProjection(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select id, round(n, 1) as r, greatest(n, 0) as g, d + interval '1' month as due,"
        + " case when t like 'a%' then extract(day from d) else 0 end as k from s", epochs);
  }

  @Property(tries = 12)
  void dateIntegerArithmeticIntervalsAndMathInProjectionAndFilter(
      @ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select id, d + 1 as next_day, 1 + d as next_too, d - 7 as week_ago,"
        + " d - date '2024-01-01' as days, age(d::timestamp, timestamp '2023-06-15 12:00:00') as a,"
        + " d + interval '1 mon' - d as span, date_part('dow', d) as dow, sqrt(abs(n)) as r,"
        + " div(n, 0.3) as q, mod(id, 3) as m from s"
        + " where d - 30 < date '2024-02-01' or d + interval '1 year 2 days' - d > interval '367 days'",
        epochs);
  }

  @Property(tries = 12)
  void intervalAsGroupingKey(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select age(d::timestamp, timestamp '2023-12-31 00:00:00') as a, count(*) as c,"
        + " sum(n) as total from s group by age(d::timestamp, timestamp '2023-12-31 00:00:00')",
        epochs);
  }

  @Property(tries = 12)
  void jsonbOperatorsAndUuidInFilterAndProjection(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select id, j, u, j -> 'k' as k, j ->> 'n' as n, j -> 0 as first, j ->> -1 as last,"
        + " j #> '{a,b,1}' as p, j #>> '{a,b}' as pt, jsonb_typeof(j) as ty, u::text as ut,"
        + " (j -> 'n')::numeric as nn, (j ->> 'n')::numeric as nt from s"
        + " where j ->> 'k' = 'x' or j -> 'n' = '1' or u = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'"
        + " or j is null", epochs);
  }

  @Property(tries = 12)
  void jsonbAndUuidAsGroupingKeysAndDistinct(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select j -> 'k' as k, u, count(*) as c, sum(n) as total from s"
        + " group by j -> 'k', u", epochs);
    check("select distinct j -> 'a' as a from s", epochs);
    check("select u, count(distinct j) as dj, count(j) as cj from s group by u", epochs);
  }

  @Property(tries = 12)
  void joinOnUuidAndOnJsonb(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select x.id, y.id as other from s x join s y on x.u = y.u and x.id < y.id", epochs);
    check("select x.id, y.id as other, x.j -> 'k' as k from s x join s y on x.j -> 'k' = y.j -> 'k'"
        + " where x.id <> y.id", epochs);
  }

  @Property(tries = 12)
  void jsonbSetReturningFunctionsInFrom(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    // A derived table keeps the functions to arrays and objects (anything else is an error).
    String typed = "(select id, case when jsonb_typeof(j) = 'array' then j end as a,"
        + " case when jsonb_typeof(j) = 'object' then j end as o from s) s";
    check("select s.id, e, e ->> 0 as first from " + typed + ", jsonb_array_elements(s.a) e",
        epochs);
    check("select s.id, e.value from " + typed + " cross join lateral"
        + " jsonb_array_elements_text(s.a) e", epochs);
    check("select s.id, kv.key, kv.value from " + typed + " left join lateral jsonb_each(s.o) kv"
        + " on true", epochs);
    check("select kv.key, kv.value, count(*) as c from " + typed + ", jsonb_each_text(s.o) kv"
        + " group by kv.key, kv.value", epochs);
  }

  private static void check(String sql, List<List<Action>> epochs) throws SQLException {
    Plan plan = new StreamTableCompiler().compile(StreamTableDefinition.of("st", sql), connection);
    try (Statement st = connection.createStatement()) {
      st.execute("truncate s");
    }
    Map<String, String> materialized = new HashMap<>();
    Map<Integer, Action> table = new HashMap<>();
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
          assertThat(Harness.header(r, "trickle.error")).as("no error records").isNull();
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            assertThat(materialized.remove(key)).as("tombstone for an existing key " + key)
                .isNotNull();
          } else {
            materialized.put(key, new String(r.value(), StandardCharsets.UTF_8));
          }
        }
        assertThat(JoinKindsVersusRecomputeTest.contents(materialized))
            .as("%s after epoch %s of %s; plan:%n%s", sql, epoch, epochs, plan.explain())
            .isEqualTo(postgresResult(sql));
      }
    }
  }

  /** The query run by PostgreSQL, each row encoded as the output topic encodes it. */
  private static Map<String, Long> postgresResult(String sql) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        ObjectNode row = Harness.JSON.createObjectNode();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.set(md.getColumnName(i), OutputRecords.json(value(rs, i, md.getColumnTypeName(i))));
        }
        String normalized = Harness.parse(row.toString().getBytes(StandardCharsets.UTF_8))
            .toString();
        out.merge(normalized, 1L, Long::sum);
      }
    }
    return out;
  }

  private static Object value(ResultSet rs, int i, String type) throws SQLException {
    Object v = switch (type) {
      case "int2", "int4", "int8" -> rs.getObject(i) == null ? null : rs.getLong(i);
      case "numeric" -> rs.getBigDecimal(i);
      case "float8" -> rs.getDouble(i);
      case "date" -> rs.getObject(i, LocalDate.class);
      case "timestamp" -> rs.getObject(i, LocalDateTime.class);
      default -> rs.getString(i);
    };
    return rs.wasNull() ? null : v;
  }

  private static void apply(Harness h, Map<Integer, Action> table, Action a) throws SQLException {
    if (a.truncate()) {
      table.clear();
      h.truncate("s");
      postgres("truncate s");
    } else if (a.delete()) {
      if (table.remove(a.id()) != null) {
        h.delete("s", Harness.row("id", a.id()));
        postgres("delete from s where id = " + a.id());
      }
    } else {
      Map<String, Object> after = Harness.row("id", a.id(), "t", a.t(),
          "d", a.d() == null ? null : (int) a.d().toEpochDay(), "n", a.n(), "j", a.j(),
          "u", a.u());
      boolean insert = table.put(a.id(), a) == null;
      if (insert) {
        h.insert("s", after);
      } else {
        h.update("s", after);
      }
      try (PreparedStatement ps = connection.prepareStatement(insert
          ? "insert into s (t, d, n, j, u, id) values (?, ?, ?::numeric, ?::jsonb, ?::uuid, ?)"
          : "update s set t = ?, d = ?, n = ?::numeric, j = ?::jsonb, u = ?::uuid where id = ?")) {
        ps.setString(1, a.t());
        ps.setObject(2, a.d());
        ps.setString(3, a.n());
        ps.setString(4, a.j());
        ps.setString(5, a.u());
        ps.setInt(6, a.id());
        ps.executeUpdate();
      }
    }
  }

  private static void postgres(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    }
  }

}
