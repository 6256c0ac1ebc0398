package io.trickle.cli.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.cli.oracle.DebeziumRecords.SourceRecord;
import io.trickle.cli.runtime.Oracle;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.connectors.ddl.TargetTable;
import io.trickle.connectors.sink.OutputRecords;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "compiled SQL versus PostgreSQL" harness: stream tables compiled by the real compiler,
 * run in-process ({@link TopologyTestDriver} per plan, no broker), fed by PostgreSQL's own change
 * stream in Debezium's shape, and compared with PostgreSQL running the defining query.
 *
 * <p>Use it for any property "incremental result = recomputation" over SQL: create tables (with
 * primary keys) and load initial rows, {@link #open} (starts capture: a pgoutput slot, see
 * {@link PgChangeCapture}), {@link #deploy} definitions, then alternate arbitrary DML on any
 * connection with {@link #sync}, which feeds what was committed since (one epoch per
 * transaction, so every intermediate commit is maintained too) and checks every deployed stream
 * table with {@link Oracle#check}: multiset equality with the query, numerics by value, floats
 * to 9 digits, ORDER BY ... LIMIT ties tolerated, plus no error record and no multiplicity of
 * zero or less. The materialized side is what the sink would hold: records up to the last epoch
 * marker, copied into a temporary table shaped like the target table ({@link TargetTable}).
 * PostgreSQL runs the defining query under the TimeZone the plan pinned ({@link Plan#timeZone}).
 *
 * <pre>{@code
 * try (CompiledVersusPostgres h = CompiledVersusPostgres.open(jdbcUrl, List.of("public.t"))) {
 *   h.deploy(StreamTableDefinition.of("st", "select k, sum(v) from t group by k"));
 *   h.sync().forEach(r -> assertThat(r.ok()).as(r.summary()).isTrue());
 *   ... DML ...
 *   h.sync() ...
 * }
 * }</pre>
 *
 * A definition may be deployed at any point: it is replayed the whole change log so far.
 * {@link #deploy} lets the compiler's exceptions through ({@code CompileException} for a
 * rejection).
 */
public final class CompiledVersusPostgres implements AutoCloseable {
  private static final String TEMP_PREFIX = "oracle_mat_";

  private final Connection pg;
  private final PgChangeCapture capture;
  private final List<SourceRecord> log = new ArrayList<>();
  private final Map<String, Deployed> deployed = new LinkedHashMap<>();

  private record Deployed(StreamTableDefinition definition, PlanDriver driver) {}

  /** The outcome of one check of one stream table. */
  public record Check(String streamTable, Oracle.Result result, List<String> problems) {
    public boolean ok() {
      return result.ok() && problems.isEmpty();
    }

    public String summary() {
      return problems.isEmpty() ? result.summary() : result.summary() + " " + problems;
    }
  }

  private CompiledVersusPostgres(Connection pg, PgChangeCapture capture) {
    this.pg = pg;
    this.capture = capture;
  }

  /**
   * Starts capturing and takes the initial snapshot of {@code tables} ({@code schema.table}).
   * Nothing may write to the database while this runs.
   */
  public static CompiledVersusPostgres open(String jdbcUrl, List<String> tables) throws SQLException {
    Connection pg = DriverManager.getConnection(jdbcUrl);
    PgChangeCapture capture = PgChangeCapture.open(DriverManager.getConnection(jdbcUrl), "trickle_oracle");
    CompiledVersusPostgres h = new CompiledVersusPostgres(pg, capture);
    h.log.addAll(capture.snapshot(tables));
    return h;
  }

  /** A compiled plan and what compiling and catching up with the log took. */
  public record Compiled(Plan plan, long compileMillis, long replayMillis) {}

  /** Compiles against the database and replays the change log so far into the new plan. */
  public Compiled deploy(StreamTableDefinition def) {
    long t0 = System.nanoTime();
    Plan plan = new StreamTableCompiler().compile(def, pg);
    long t1 = System.nanoTime();
    PlanDriver driver = new PlanDriver(plan);
    deployed.put(def.name(), new Deployed(def, driver));
    driver.feed(log);
    return new Compiled(plan, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
  }

  /** Feeds everything committed since the last call to every plan and checks each one. */
  public List<Check> sync() throws SQLException {
    List<SourceRecord> changes = capture.poll();
    log.addAll(changes);
    List<String> diverged = capture.verifyMirror();
    if (!diverged.isEmpty()) {
      throw new IllegalStateException("the captured changes do not rebuild the tables: " + diverged);
    }
    List<Check> out = new ArrayList<>();
    for (Deployed d : deployed.values()) {
      d.driver().feed(changes);
      out.add(check(d));
    }
    return out;
  }

  /** The change records fed so far (snapshot and transactions). */
  public int logSize() {
    return log.size();
  }

  private Check check(Deployed d) throws SQLException {
    Plan plan = d.driver().plan();
    List<String> problems = new ArrayList<>(d.driver().drainProblems());
    if (d.driver().unpublished() > 0) {
      problems.add(d.driver().unpublished() + " output records after the last epoch marker");
    }
    String temp = TEMP_PREFIX + d.definition().name();
    materialize(temp, plan, d.driver().table());
    Oracle.Result r;
    // PostgreSQL runs the query under the TimeZone the plan pinned (null: it reads none).
    try (Statement s = pg.createStatement()) {
      if (plan.timeZone() != null) {
        s.execute("SET TimeZone = '" + plan.timeZone().replace("'", "''") + "'");
      }
      try {
        r = Oracle.check(pg, d.definition().name(), temp, d.definition().selectSql(),
            plan.columns());
      } finally {
        s.execute("RESET TimeZone");
      }
    }
    return new Check(d.definition().name(), r, problems);
  }

  /** The sink's view of the output topic, as a temporary table (not WAL-logged, so not captured). */
  private void materialize(String temp, Plan plan, Map<String, JsonNode> rows) throws SQLException {
    List<Column> columns = plan.columns();
    RowKey key = plan.root().key();
    try (Statement s = pg.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + temp);
      s.execute(TargetTable.createSql(temp, columns, key, TargetTable.serverVersionNum(pg)).replaceFirst("CREATE TABLE", "CREATE TEMP TABLE"));
    }
    List<String> names = new ArrayList<>();
    List<String> casts = new ArrayList<>();
    for (Column c : columns) {
      names.add(TargetTable.quote(c.name()));
      casts.add("CAST(? AS " + c.type().pgType() + ")");
    }
    if (!key.unique()) {
      names.add(TargetTable.KEY_COLUMN);
      casts.add("?");
    }
    String sql = "INSERT INTO " + temp + " (" + String.join(", ", names) + ") VALUES ("
        + String.join(", ", casts) + ")";
    try (PreparedStatement ps = pg.prepareStatement(sql)) {
      for (Map.Entry<String, JsonNode> e : rows.entrySet()) {
        JsonNode v = e.getValue();
        int i = 1;
        for (Column c : columns) {
          bind(ps, i++, v.get(c.name()));
        }
        if (!key.unique()) {
          bind(ps, i, OutputRecords.parse(e.getKey()).get(TargetTable.KEY_COLUMN));
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void bind(PreparedStatement ps, int i, JsonNode v) throws SQLException {
    String text = OutputRecords.sqlText(v);
    if (text == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, text);
    }
  }

  @Override
  public void close() throws SQLException {
    for (Deployed d : deployed.values()) {
      d.driver().close();
    }
    try {
      capture.close();
    } finally {
      pg.close();
    }
  }
}
