package io.trickle.cli.runtime;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.connectors.ddl.TargetTable;
import io.trickle.connectors.ddl.TrickleSchema;
import io.trickle.connectors.debezium.DebeziumSourceConfig;
import io.trickle.connectors.rest.ConnectRestClient;
import io.trickle.connectors.sink.TrickleSinkConfig;
import io.trickle.connectors.sink.TrickleSinkConnector;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deploys a set of stream tables against one PostgreSQL database: compiles each definition,
 * creates the target tables and the {@code trickle} schema, deploys the Debezium source and one
 * trickle sink per stream table through the Connect REST API, and runs one Kafka Streams
 * application per stream table. A definition that fails is recorded as failed and skipped; the
 * others are deployed.
 */
public final class Deployment implements AutoCloseable {

  /** Where things are. {@code singleBroker} sets replication factors to 1 (embedded mode). */
  public record Options(PgUrl pg, String bootstrap, String connectUrl, Path stateDir,
      boolean singleBroker, int heartbeatIntervalMs) {}

  /** A deployed stream table. */
  public record Deployed(StreamTableDefinition definition, Plan plan, StreamTableNames names) {}

  private final Options options;
  private final PrintStream out;
  private final List<StreamTableApp> apps = new ArrayList<>();
  private final List<Deployed> deployed = new ArrayList<>();
  private final Map<String, String> failed = new LinkedHashMap<>();

  public Deployment(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public List<Deployed> deployed() {
    return List.copyOf(deployed);
  }

  /** How many stream tables are running. */
  public int running() {
    return apps.size();
  }

  /** Stream table name → why it was not deployed. */
  public Map<String, String> failed() {
    return Map.copyOf(failed);
  }

  public void deploy(List<StreamTableDefinition> definitions) throws SQLException {
    PgUrl pg = options.pg();
    String changesTopic = StreamTableNames.changesTopic(pg);
    ConnectRestClient connect = new ConnectRestClient(options.connectUrl());
    awaitConnect(connect, Duration.ofSeconds(120));
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      TrickleSchema.ensure(c);
      for (StreamTableDefinition def : definitions) {
        String target = new StreamTableNames(def.name(), "", changesTopic).targetTable();
        try {
          Plan plan = new StreamTableCompiler().compile(def, c);
          String hash = planHash(def, plan);
          StreamTableNames names = new StreamTableNames(def.name(), hash, changesTopic);
          prepareTarget(c, def, plan, names);
          deployed.add(new Deployed(def, plan, names));
          out.printf("compiled %s (%d operators, key %s)%n", def.name(), plan.operators().size(),
              plan.root().key().describe(plan.columns()));
        } catch (CompileException | UnsupportedOperationException e) {
          fail(c, def, target, e.getMessage());
        }
      }
      if (deployed.isEmpty()) {
        return;
      }
      Set<String> tables = new TreeSet<>();
      for (Deployed d : deployed) {
        for (SourceOp s : d.plan().sources()) {
          tables.add(s.qualifiedName());
        }
      }
      tables.add(TrickleSchema.HEARTBEAT);
      tables.add(TrickleSchema.SIGNAL);
      Set<String> added = DebeziumSourceConfig.ensurePublication(c, StreamTableNames.publication(pg), tables);
      boolean existed = connect.exists(StreamTableNames.sourceConnector(pg));

      try (Topics topics = new Topics(options.bootstrap(), options.singleBroker() ? Optional.of((short) 1) : Optional.empty())) {
        topics.ensureChangesTopic(changesTopic);
        for (Deployed d : deployed) {
          topics.ensureOutputTopic(d.names().outputTopic());
        }
      }
      Map<String, String> source = DebeziumSourceConfig.builder()
          .host(pg.host()).port(pg.port()).database(pg.database()).user(pg.user()).password(pg.password())
          .tables(tables).changesTopic(changesTopic).slot(StreamTableNames.slot(pg))
          .publication(StreamTableNames.publication(pg)).heartbeatIntervalMs(options.heartbeatIntervalMs())
          .signalTable(TrickleSchema.SIGNAL)
          .build();
      connect.putConnectorConfig(StreamTableNames.sourceConnector(pg), source);
      connect.awaitRunning(StreamTableNames.sourceConnector(pg), Duration.ofSeconds(60));
      if (existed && !added.isEmpty()) {
        requestIncrementalSnapshot(c, added);
      }
      for (Deployed d : deployed) {
        startStreamTable(connect, d);
      }
    }
  }

  /** A Connect cluster started alongside (docker compose) may still be booting. */
  private static void awaitConnect(ConnectRestClient connect, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!connect.healthy()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka Connect at " + connect.baseUrl() + " is not answering after "
            + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for Kafka Connect", e);
      }
    }
  }

  private void startStreamTable(ConnectRestClient connect, Deployed d) {
    String name = d.definition().name();
    try {
      StreamTableApp app = new StreamTableApp(d.names(), d.plan(), options.bootstrap(), options.stateDir(),
          options.singleBroker(), (n, e) -> Catalog.markError(options.pg().jdbcUrl(), n,
              "stream processing failed: " + e));
      app.start();
      apps.add(app);
      connect.putConnectorConfig(d.names().sinkConnector(), sinkConfig(d));
      connect.awaitRunning(d.names().sinkConnector(), Duration.ofSeconds(60));
      out.printf("running %s -> %s%n", name, d.names().targetTable());
    } catch (RuntimeException e) {
      Catalog.markError(options.pg().jdbcUrl(), name, "deployment failed: " + e.getMessage());
      failed.put(name, e.getMessage());
      out.printf("error: stream table %s could not be started: %s%n", name, e.getMessage());
    }
  }

  private Map<String, String> sinkConfig(Deployed d) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("connector.class", TrickleSinkConnector.class.getName());
    m.put("tasks.max", "1");
    m.put("topics", d.names().outputTopic());
    m.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    m.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    // The stream table's application writes transactionally: read only committed epochs.
    m.put("consumer.override.isolation.level", "read_committed");
    m.put("consumer.override.auto.offset.reset", "earliest");
    m.put(TrickleSinkConfig.CONNECTION_URL, options.pg().jdbcUrl());
    m.put(TrickleSinkConfig.STREAM_TABLE, d.definition().name());
    m.put(TrickleSinkConfig.TARGET_TABLE, d.names().targetTable());
    return m;
  }

  private void prepareTarget(Connection c, StreamTableDefinition def, Plan plan, StreamTableNames names)
      throws SQLException {
    String target = names.targetTable();
    if (names.planHash().equals(Catalog.deployedHash(c, def.name())) && exists(c, target)) {
      return;
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + target);
      s.execute(TargetTable.createSql(target, plan.columns(), plan.root().key()));
      Catalog.register(c, def.name(), target, def.selectSql(), names.planHash());
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private void fail(Connection c, StreamTableDefinition def, String target, String message) throws SQLException {
    failed.put(def.name(), message);
    Catalog.markError(c, def.name(), target, def.selectSql(), message);
    out.printf("error: stream table %s: %s%n", def.name(), message);
  }

  /** Tables added to a running deployment are snapshotted incrementally, without a new slot. */
  private void requestIncrementalSnapshot(Connection c, Set<String> added) throws SQLException {
    StringBuilder data = new StringBuilder("{\"data-collections\": [");
    int i = 0;
    for (String t : added) {
      data.append(i++ == 0 ? "" : ", ").append('"').append(t).append('"');
    }
    data.append("], \"type\": \"incremental\"}");
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TrickleSchema.SIGNAL
        + " (id, type, data) VALUES (gen_random_uuid()::text, 'execute-snapshot', ?)")) {
      ps.setString(1, data.toString());
      ps.executeUpdate();
    }
    out.printf("requested an incremental snapshot of %s%n", added);
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  static String planHash(StreamTableDefinition def, Plan plan) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(plan.explain().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest()).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (StreamTableApp app : apps) {
      app.close();
    }
    apps.clear();
  }
}
