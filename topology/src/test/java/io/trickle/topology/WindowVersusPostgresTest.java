package io.trickle.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Iterator;
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
 * Window functions compiled by the real compiler and run in the topology, against PostgreSQL
 * itself as the oracle: every epoch of a random history of inserts, updates and deletes is
 * applied to both, and the stream table must equal the query's result on PostgreSQL. Table
 * {@code w(id, p, o, v, n numeric(6,2), t text collate "C")} with small domains, so partitions
 * share rows and ORDER BY keys tie. Where PostgreSQL's result depends on how it orders peers
 * (ROW_NUMBER, ROWS frames, FIRST_VALUE), the queries order by a total order (…, id); ranking
 * functions and RANGE frames are tie-insensitive and are tested on tied keys. Numbers are
 * compared to 15 significant digits (float results are printed differently by Java and
 * PostgreSQL).
 */
class WindowVersusPostgresTest {
  private static EmbeddedPostgres postgres;
  private static Connection connection;

  @BeforeContainer
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
    try (Statement st = connection.createStatement()) {
      st.execute("create table w (id int primary key, p int, o int, v int, n numeric(6,2),"
          + " t text collate \"C\", d date)");
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    connection.close();
    postgres.close();
  }

  /** {@code d} in days since 1970-01-01, as Debezium encodes a date. */
  record Action(int id, boolean delete, Integer p, Integer o, Integer v, String n, String t, Integer d) {}

  @Provide
  Arbitrary<List<List<Action>>> histories() {
    Arbitrary<Action> action = Combinators.combine(
        Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 2).injectNull(0.15),
        Arbitraries.integers().between(0, 3).injectNull(0.15),
        Arbitraries.integers().between(-3, 3).injectNull(0.15),
        Arbitraries.of("1.50", "-2.25", "0.00", "10.10", "3.33").injectNull(0.15),
        Arbitraries.of("a", "b", "B", "ab", "é").injectNull(0.15),
        Arbitraries.of(19_750, 19_751, 19_753, 19_781, 19_782).injectNull(0.15))
        .as((id, dice, p, o, v, n, t, d) -> new Action(id, dice < 3, p, o, v, n, t, d));
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 8)
  void ranking(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, row_number() over (partition by p order by o, id) as rn,"
        + " rank() over (partition by p order by o) as rk,"
        + " dense_rank() over (partition by p order by o) as dr from w", epochs);
  }

  @Property(tries = 8)
  void distributionAndNtile(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, percent_rank() over (partition by p order by o desc) as pr,"
        + " cume_dist() over (partition by p order by o desc nulls last) as cd,"
        + " ntile(3) over (partition by p order by o, id) as nt from w", epochs);
  }

  @Property(tries = 8)
  void lagLead(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, lag(v) over (partition by p order by o, id) as lg,"
        + " lead(v, 2, -1) over (partition by p order by o nulls first, id) as ld,"
        + " lag(n, 1, n) over (order by id) as ln from w", epochs);
  }

  @Property(tries = 8)
  void aggregatesOverDefaultFrameWithPeers(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select id, sum(v) over (partition by p order by o) as s,"
        + " count(*) over (partition by p) as c, count(v) over (partition by p order by o) as cv,"
        + " avg(n) over (partition by p order by o) as a, sum(n) over (partition by p) as sn from w",
        epochs);
  }

  @Property(tries = 8)
  void aggregatesOverRowsFrames(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, sum(n) over (order by o, id rows between 1 preceding and 1 following) as s,"
        + " avg(v) over (partition by p order by o, id rows between 2 preceding and current row) as a,"
        + " min(v) over (partition by p order by o, id rows between 1 preceding and 1 following) as mi,"
        + " max(t) over (partition by p order by o, id rows between current row and 2 following) as mx,"
        + " count(*) over (order by id rows between 1 following and 3 following) as c from w",
        epochs);
  }

  @Property(tries = 8)
  void valueFunctions(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, first_value(v) over (partition by p order by o, id) as f,"
        + " last_value(v) over (partition by p order by o, id) as l,"
        + " nth_value(v, 2) over (partition by p order by o, id rows between unbounded preceding"
        + " and unbounded following) as n2,"
        + " last_value(o) over (partition by p order by o range between current row and unbounded"
        + " following) as lo, max(v) over (partition by p order by o range between unbounded"
        + " preceding and current row) as mx from w", epochs);
  }

  @Property(tries = 8)
  void aggregatesOverRangeOffsetFrames(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select id, sum(v) over (partition by p order by o range between 1 preceding and 1"
        + " following) as s, count(*) over (order by o desc range between 2 preceding and current"
        + " row) as c, max(v) over (order by o range between 1 following and 2 following) as mx,"
        + " min(v) over (order by o desc nulls last range between unbounded preceding and 1"
        + " preceding) as mi, sum(v) over (order by n range between 1.5 preceding and 0.5"
        + " following) as sn, first_value(o) over (order by o range between 1 preceding and"
        + " unbounded following) as f from w", epochs);
  }

  @Property(tries = 8)
  void rangeOffsetFramesOverDates(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select id, count(*) over (order by d range between interval '3' day preceding and"
        + " current row) as c3, sum(v) over (partition by p order by d desc range between"
        + " interval '1' month preceding and interval '1' day following) as s from w", epochs);
  }

  @Property(tries = 8)
  void textOrder(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, row_number() over (order by t desc, id) as r,"
        + " rank() over (partition by p order by t nulls first) as rk from w", epochs);
  }

  @Property(tries = 8)
  void filterBelowAndExpressionAbove(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select id, v - avg(v) over (partition by p) as d, sum(v) over (partition by p) * 2 as s2"
        + " from w where v is not null or o > 1", epochs);
  }

  @Property(tries = 8)
  void withoutKeyInTheOutput(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select p, count(*) over (partition by p) as c, count(*) over () as total from w", epochs);
  }

  @Property(tries = 8)
  void overAGroupedAggregate(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select p, sum(v) as s, rank() over (order by sum(v) desc) as r from w group by p",
        epochs);
  }

  private static Plan compile(String sql) {
    return new StreamTableCompiler().compile(StreamTableDefinition.of("st", sql), connection);
  }

  private static void check(String sql, List<List<Action>> epochs) throws Exception {
    Plan plan = compile(sql);
    try (Statement st = connection.createStatement()) {
      st.execute("truncate w");
    }
    Map<Integer, Action> table = new TreeMap<>();
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
          assertThat(Harness.header(r, "trickle.error")).as("error record %s",
              r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)).isNull();
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            assertThat(materialized.remove(key)).as("tombstone for an existing key " + key).isNotNull();
          } else {
            materialized.put(key, new String(r.value(), StandardCharsets.UTF_8));
          }
        }
        assertThat(canonical(JoinKindsVersusRecomputeTest.contents(materialized)))
            .as("%s after epoch %s of %s; plan:%n%s", sql, epoch, epochs, plan.explain())
            .isEqualTo(postgres(sql));
      }
    }
  }

  /** The query's result on PostgreSQL, as canonical JSON row → multiplicity. */
  private static Map<String, Long> postgres(String sql) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("select to_jsonb(q)::text from (" + sql + ") q")) {
      while (rs.next()) {
        out.merge(canonical(Harness.JSON.readTree(rs.getString(1))), 1L, Long::sum);
      }
    }
    return out;
  }

  private static Map<String, Long> canonical(Map<String, Long> rows) throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (Map.Entry<String, Long> e : rows.entrySet()) {
      out.merge(canonical(Harness.JSON.readTree(e.getKey())), e.getValue(), Long::sum);
    }
    return out;
  }

  /** Keys sorted; numbers to 15 significant digits without trailing zeros. */
  private static String canonical(JsonNode row) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode v = f.getValue();
      sorted.put(f.getKey(), v.isNumber() ? new BigDecimal(v.asText()).round(new MathContext(15))
          .stripTrailingZeros().toPlainString() : v.toString());
    }
    return sorted.toString();
  }

  private static void apply(Harness h, Map<Integer, Action> table, Action a) throws Exception {
    if (a.delete()) {
      if (table.remove(a.id()) != null) {
        h.delete("w", Harness.row("id", a.id()));
        try (PreparedStatement st = connection.prepareStatement("delete from w where id = ?")) {
          st.setInt(1, a.id());
          st.executeUpdate();
        }
      }
      return;
    }
    Map<String, Object> after = Harness.row("id", a.id(), "p", a.p(), "o", a.o(), "v", a.v(),
        "n", a.n(), "t", a.t(), "d", a.d());
    if (table.put(a.id(), a) == null) {
      h.insert("w", after);
    } else {
      h.update("w", after);
    }
    try (PreparedStatement st = connection.prepareStatement("insert into w values (?, ?, ?, ?,"
        + " ?::numeric, ?, date '1970-01-01' + ?::int) on conflict (id) do update set p = excluded.p,"
        + " o = excluded.o, v = excluded.v, n = excluded.n, t = excluded.t, d = excluded.d")) {
      st.setInt(1, a.id());
      st.setObject(2, a.p());
      st.setObject(3, a.o());
      st.setObject(4, a.v());
      st.setString(5, a.n());
      st.setString(6, a.t());
      st.setObject(7, a.d());
      st.executeUpdate();
    }
  }
}
