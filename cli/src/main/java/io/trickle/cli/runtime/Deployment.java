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
import io.trickle.topology.capture.CapturedTable;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Deploys a set of stream tables against one PostgreSQL database: compiles each definition,
 * upstreams before the stream tables that read them ({@link StreamTableGraph}; cycles are
 * rejected), creates the target tables and the {@code trickle} schema, deploys the Debezium source
 * and one trickle sink per stream table (one per consistency group for its members) through the
 * Connect REST API, and runs the database's capture stage ({@link CaptureApp}: reads the changes
 * topic once, writes one change topic per captured table) and one Kafka Streams application per
 * stream table, reading those change topics. A definition that
 * fails is recorded as failed and skipped, and so are the stream tables that read it; the others
 * are deployed.
 */
public final class Deployment implements AutoCloseable {

  /** Where things are. {@code singleBroker} sets replication factors to 1 (embedded mode). */
  /**
   * @param timeZone the TimeZone to evaluate definitions in that do not say {@code WITH
   *     (timezone = ...)}; null for the TimeZone of trickle's database session
   */
  /**
   * @param partitions P, the tasks each stream table is spread over (its output and exchange
   *     topics' partitions); 1 runs each stream table in one task, as before exchanges existed
   */
  public record Options(PgUrl pg, String bootstrap, String connectUrl, Path stateDir,
      boolean singleBroker, int heartbeatIntervalMs, String timeZone, int partitions) {
    public Options {
      if (partitions < 1) {
        throw new IllegalArgumentException("--partitions must be at least 1, not " + partitions);
      }
    }

    public Options(PgUrl pg, String bootstrap, String connectUrl, Path stateDir,
        boolean singleBroker, int heartbeatIntervalMs, String timeZone) {
      this(pg, bootstrap, connectUrl, stateDir, singleBroker, heartbeatIntervalMs, timeZone, 1);
    }

    public Options(PgUrl pg, String bootstrap, String connectUrl, Path stateDir,
        boolean singleBroker, int heartbeatIntervalMs) {
      this(pg, bootstrap, connectUrl, stateDir, singleBroker, heartbeatIntervalMs, null);
    }
  }

  /**
   * A deployed stream table. {@code upstreamTopics}: each stream table it reads → that one's
   * output topic.
   */
  public record Deployed(StreamTableDefinition definition, Plan plan, StreamTableNames names,
      Map<String, String> upstreamTopics) {
    public Deployed {
      upstreamTopics = Map.copyOf(upstreamTopics);
    }

    public Deployed(StreamTableDefinition definition, Plan plan, StreamTableNames names) {
      this(definition, plan, names, Map.of());
    }
  }

  private final Options options;
  private final PrintStream out;
  private final List<StreamTableApp> apps = new ArrayList<>();
  /** The database's capture stage, once started. */
  private CaptureApp capture;
  private final List<Deployed> deployed = new ArrayList<>();
  private final Map<String, String> failed = new LinkedHashMap<>();
  private Supervisor.Settings supervisorSettings = Supervisor.Settings.DEFAULT;
  private Supervisor supervisor;

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
    try {
      deployAll(definitions);
    } catch (SQLException | RuntimeException e) {
      // run stops here: what it declared as starting will not start, and wait must say so.
      for (StreamTableDefinition def : definitions) {
        if (!failed.containsKey(def.name())) {
          Catalog.markError(options.pg(), def.name(), "trickle run failed before this stream"
              + " table was running: " + e.getMessage());
        }
      }
      throw e;
    }
  }

  private void deployAll(List<StreamTableDefinition> definitions) throws SQLException {
    PgUrl pg = options.pg();
    String changesTopic = StreamTableNames.changesTopic(pg);
    ConnectRestClient connect = new ConnectRestClient(options.connectUrl());
    awaitConnect(connect, Duration.ofSeconds(120));
    try (Connection c = pg.connect()) {
      TrickleSchema.ensure(c);
      declareAll(c, definitions);
      StreamTableGraph graph = StreamTableGraph.of(definitions);
      Map<String, String> streamTables = new LinkedHashMap<>();
      for (StreamTableDefinition def : definitions) {
        streamTables.put(StreamTableGraph.targetTable(def.name()), def.name());
      }
      for (StreamTableDefinition def : definitions) {
        String cycle = graph.cycles().get(def.name());
        if (cycle != null) {
          fail(c, def, new StreamTableNames(def.name(), "", changesTopic).targetTable(), cycle);
        }
      }
      Map<String, Deployed> byName = new LinkedHashMap<>();
      for (StreamTableDefinition def : graph.order()) {
        String target = new StreamTableNames(def.name(), "", changesTopic).targetTable();
        try {
          for (String up : graph.upstreams(def.name())) {
            if (failed.containsKey(up)) {
              throw new CompileException(def.start(), "it reads stream table " + up
                  + ", which failed: " + failed.get(up));
            }
          }
          Plan plan = new StreamTableCompiler(options.timeZone()).compile(def, c, streamTables);
          for (String warning : plan.warnings()) {
            out.println("warning: " + def.name() + ": " + warning);
          }
          Map<String, String> upstreamTopics = new TreeMap<>();
          for (SourceOp s : plan.sources()) {
            if (s.readsStreamTable()) {
              Deployed up = byName.get(s.upstream());
              if (up == null) {
                throw new CompileException(s.pos(), "it reads stream table " + s.upstream()
                    + " (through a view?), which is not deployed before it; name the stream"
                    + " table in FROM so that it is deployed first");
              }
              upstreamTopics.put(s.upstream(), up.names().outputTopic());
            }
          }
          String hash = planHash(def, plan, upstreamTopics, changeTopics(plan), options.partitions());
          StreamTableNames names = new StreamTableNames(def.name(), hash, changesTopic);
          ConsistencyGroups.check(def);
          rejectReservedColumns(def, plan);
          prepareTarget(c, def, plan, names);
          Deployed d = new Deployed(def, plan, names, upstreamTopics);
          deployed.add(d);
          byName.put(def.name(), d);
          out.printf("compiled %s (%d operators, key %s)%n", def.name(), plan.operators().size(),
              plan.root().key().describe(plan.columns()));
        } catch (CompileException | UnsupportedOperationException | IllegalArgumentException e) {
          fail(c, def, target, e.getMessage());
        } catch (SQLException e) {
          // e.g. a target table PostgreSQL refuses: this stream table fails, the others run
          fail(c, def, target, "cannot create target table " + target + ": " + e.getMessage());
        }
      }
      for (String name : failed.keySet()) {
        // A sink left from an earlier run must not write into a table that may no longer be ours.
        String sink = new StreamTableNames(name, "", changesTopic).sinkConnector();
        if (connect.exists(sink)) {
          connect.delete(sink);
        }
      }
      if (deployed.isEmpty()) {
        return;
      }
      Set<String> tables = new TreeSet<>();
      for (Deployed d : deployed) {
        for (SourceOp s : d.plan().sources()) {
          if (!s.readsStreamTable()) {
            tables.add(s.qualifiedName()); // stream tables are read from their output topics
          }
        }
      }
      tables.add(TrickleSchema.HEARTBEAT);
      tables.add(TrickleSchema.SIGNAL);
      Set<String> added = DebeziumSourceConfig.ensurePublication(c, StreamTableNames.publication(pg), tables);
      boolean existed = connect.exists(StreamTableNames.sourceConnector(pg));

      List<CapturedTable> captured = CapturedTable.of(deployed.stream().map(Deployed::plan).toList());
      try (Topics topics = new Topics(options.bootstrap(), options.singleBroker() ? Optional.of((short) 1) : Optional.empty())) {
        topics.ensureChangesTopic(changesTopic);
        for (CapturedTable t : captured) {
          topics.ensureChangeTopic(StreamTableNames.changeTopic(pg, t.qualifiedName()), options.partitions());
        }
        for (Deployed d : deployed) {
          topics.ensureOutputTopic(d.names().outputTopic(), options.partitions());
        }
      }
      Map<String, String> source = DebeziumSourceConfig.builder()
          .host(pg.host()).port(pg.port()).database(pg.database()).user(pg.user()).password(pg.connectPassword())
          .tables(tables).changesTopic(changesTopic).slot(StreamTableNames.slot(pg))
          .publication(StreamTableNames.publication(pg)).heartbeatIntervalMs(options.heartbeatIntervalMs())
          .signalTable(TrickleSchema.SIGNAL)
          .build();
      connect.putConnectorConfig(StreamTableNames.sourceConnector(pg), source);
      connect.restartIfFailed(StreamTableNames.sourceConnector(pg), Duration.ofSeconds(30));
      connect.awaitRunning(StreamTableNames.sourceConnector(pg), Duration.ofSeconds(60));
      if (existed && !added.isEmpty()) {
        requestIncrementalSnapshot(c, added);
      }
      if (!captured.isEmpty()) {
        startCapture(captured);
      }
      ConsistencyGroups groups = ConsistencyGroups.of(deployed);
      for (Deployed d : deployed) {
        startStreamTable(connect, d, groups.groupOf(d.definition().name()) == null);
      }
      for (Map.Entry<String, List<Deployed>> g : groups.groups().entrySet()) {
        startGroupSink(connect, g.getKey(), g.getValue());
      }
      supervise(connect, groups);
    }
  }

  /**
   * Before anything is compiled, every definition this deployment will maintain is recorded as
   * {@code starting}, in one transaction: {@code trickle wait} then never sees a partial set.
   */
  private static void declareAll(Connection c, List<StreamTableDefinition> definitions) throws SQLException {
    Catalog.inTransaction(c, () -> {
      for (StreamTableDefinition def : definitions) {
        Catalog.declare(c, def.name(), StreamTableGraph.targetTable(def.name()), def.selectSql());
      }
    });
  }

  /** Watches the source, the sinks and the applications of what runs, restarting failed ones. */
  private void supervise(ConnectRestClient connect, ConsistencyGroups groups) {
    List<String> running = new ArrayList<>();
    for (Deployed d : deployed) {
      if (!failed.containsKey(d.definition().name())) {
        running.add(d.definition().name());
      }
    }
    Map<String, List<String>> connectors = new LinkedHashMap<>();
    connectors.put(StreamTableNames.sourceConnector(options.pg()), running);
    for (Deployed d : deployed) {
      String name = d.definition().name();
      if (running.contains(name)) {
        String group = groups.groupOf(name);
        String connector = group == null ? d.names().sinkConnector()
            : StreamTableNames.groupSinkConnector(options.pg(), group);
        connectors.computeIfAbsent(connector, k -> new ArrayList<>()).add(name);
      }
    }
    Map<CaptureApp, List<String>> captures = capture == null ? Map.of() : Map.of(capture, running);
    supervisor = new Supervisor(options.pg(), connect, connectors, apps, captures,
        supervisorSettings, out);
    supervisor.start();
  }

  /** How the supervisor polls and backs off (tests shorten it). */
  public void supervisorSettings(Supervisor.Settings settings) {
    this.supervisorSettings = settings;
  }

  /**
   * A query over a row-hash stream table can see its hidden columns, but must not output them:
   * the target table adds its own.
   */
  private static void rejectReservedColumns(StreamTableDefinition def, Plan plan) {
    for (io.trickle.compiler.plan.Column col : plan.columns()) {
      if (col.name().startsWith("__trickle_")) {
        throw new CompileException(def.start(), "output column " + col.name() + " is reserved for"
            + " trickle's hidden columns; select the user columns (or rename it with AS)");
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

  /**
   * Starts the database's capture stage, before any stream table: it reads the changes topic
   * once and writes the change topics every stream table reads. It captures the tables of every
   * stream table deployed now; a table added later is added to its topology (its state is named
   * from the table, so the other tables' state stays) and gets its rows from the incremental
   * snapshot Debezium is asked for.
   */
  private void startCapture(List<CapturedTable> tables) {
    List<String> names = new ArrayList<>();
    for (Deployed d : deployed) {
      if (!failed.containsKey(d.definition().name())) {
        names.add(d.definition().name());
      }
    }
    capture = new CaptureApp(options.pg(), tables, options.bootstrap(), options.stateDir(),
        options.singleBroker(), e -> {
          for (String n : names) {
            Catalog.markError(options.pg(), n, "the capture stage of database "
                + options.pg().database() + " failed: " + e, TrickleSchema.ERROR_CAPTURE);
          }
        });
    capture.start();
    out.printf("capturing %s -> %d change topic(s)%n",
        tables.stream().map(CapturedTable::qualifiedName).toList(), tables.size());
  }

  /** Each captured table the plan reads → its change topic. */
  private Map<String, String> changeTopics(Plan plan) {
    Map<String, String> out = new TreeMap<>();
    for (SourceOp s : plan.sources()) {
      if (!s.readsStreamTable()) {
        out.put(s.qualifiedName(), StreamTableNames.changeTopic(options.pg(), s.qualifiedName()));
      }
    }
    return out;
  }

  /** @param ownSink false for a consistency group member, whose group sink applies it */
  private void startStreamTable(ConnectRestClient connect, Deployed d, boolean ownSink) {
    String name = d.definition().name();
    try {
      StreamTableApp app = new StreamTableApp(d.names(), d.plan(), d.upstreamTopics(), options.bootstrap(),
          options.stateDir(), options.singleBroker(), options.partitions(), (n, e) -> Catalog.markError(options.pg(), n,
              "stream processing failed: " + e, TrickleSchema.ERROR_APP));
      app.start();
      apps.add(app);
      if (ownSink) {
        connect.putConnectorConfig(d.names().sinkConnector(), sinkConfig(d));
        connect.restartIfFailed(d.names().sinkConnector(), Duration.ofSeconds(30));
        connect.awaitRunning(d.names().sinkConnector(), Duration.ofSeconds(60));
      } else if (connect.exists(d.names().sinkConnector())) {
        connect.delete(d.names().sinkConnector()); // it joined a group: the group sink applies it now
      }
      out.printf("running %s -> %s%n", name, d.names().targetTable());
    } catch (RuntimeException e) {
      Catalog.markError(options.pg(), name, "deployment failed: " + e.getMessage());
      failed.put(name, e.getMessage());
      out.printf("error: stream table %s could not be started: %s%n", name, e.getMessage());
    }
  }

  /** One sink for all members of a group, so they are applied in one transaction per epoch. */
  private void startGroupSink(ConnectRestClient connect, String group, List<Deployed> members) {
    List<Deployed> running = new ArrayList<>();
    for (Deployed d : members) {
      if (!failed.containsKey(d.definition().name())) {
        running.add(d);
      }
    }
    if (running.isEmpty()) {
      return;
    }
    String connector = StreamTableNames.groupSinkConnector(options.pg(), group);
    try {
      connect.putConnectorConfig(connector, groupSinkConfig(group, running));
      connect.restartIfFailed(connector, Duration.ofSeconds(30));
      connect.awaitRunning(connector, Duration.ofSeconds(60));
      out.printf("consistency group %s: %s applied together%n", group,
          running.stream().map(d -> d.definition().name()).toList());
    } catch (RuntimeException e) {
      for (Deployed d : running) {
        Catalog.markError(options.pg(), d.definition().name(),
            "the sink of consistency group " + group + " failed: " + e.getMessage());
        failed.put(d.definition().name(), e.getMessage());
      }
      out.printf("error: consistency group %s could not be started: %s%n", group, e.getMessage());
    }
  }

  private Map<String, String> groupSinkConfig(String group, List<Deployed> members) {
    Map<String, String> m = sinkConfig(members);
    m.put(TrickleSinkConfig.GROUP, group);
    m.put(TrickleSinkConfig.MEMBERS, String.join(",", members.stream().map(d -> d.definition().name()).toList()));
    m.put(TrickleSinkConfig.TARGET_TABLES, String.join(",", members.stream().map(d -> d.names().targetTable()).toList()));
    m.put(TrickleSinkConfig.TOPICS, m.get("topics"));
    return m;
  }

  /** A stream table of its own is a consistency group of one, configured by name and target. */
  private Map<String, String> sinkConfig(Deployed d) {
    Map<String, String> m = sinkConfig(List.of(d));
    m.put(TrickleSinkConfig.STREAM_TABLE, d.definition().name());
    m.put(TrickleSinkConfig.TARGET_TABLE, d.names().targetTable());
    return m;
  }

  /** What every sink of these stream tables' output topics has in common. */
  private Map<String, String> sinkConfig(List<Deployed> members) {
    return TrickleSinkConnector.baseConfig(String.join(",", members.stream().map(d -> d.names().outputTopic()).toList()),
        options.pg().jdbcUrl(), options.pg().connectPassword());
  }

  /**
   * Creates the target table, or keeps it when it holds this plan's results. Trickle drops or
   * replaces only a table it created: one whose oid it recorded in {@code trickle.stream_tables}
   * when it created it (a table dropped and created again under the same name, by anyone, has a
   * new oid). Any other table of that name fails this stream table, and is left alone.
   */
  private void prepareTarget(Connection c, StreamTableDefinition def, Plan plan, StreamTableNames names)
      throws SQLException {
    String target = names.targetTable();
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      Long existing = oidOf(c, target);
      if (existing != null) {
        if (!existing.equals(Catalog.targetOid(c, def.name()))) {
          throw notOurs(def, names);
        }
        s.execute("LOCK TABLE " + target + " IN ACCESS EXCLUSIVE MODE");
        if (!existing.equals(oidOf(c, target))) {
          throw notOurs(def, names); // replaced by another table of that name meanwhile
        }
        if (names.planHash().equals(Catalog.deployedHash(c, def.name()))) {
          c.commit();
          return;
        }
        s.execute("DROP TABLE " + target);
      }
      s.execute(TargetTable.createSql(target, plan.columns(), plan.root().key(),
          TargetTable.serverVersionNum(c)));
      s.execute("COMMENT ON TABLE " + target + " IS 'trickle stream table: created and maintained by"
          + " trickle (see trickle.stream_tables); do not write to it'");
      Catalog.register(c, def.name(), target, def.selectSql(), names.planHash());
      Catalog.recordTargetOid(c, def.name(), oidOf(c, target));
      c.commit();
    } catch (SQLException | RuntimeException e) {
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

  private static CompileException notOurs(StreamTableDefinition def, StreamTableNames names) {
    return new CompileException(def.start(), "table " + names.qualifiedName() + " already exists"
        + " and was not created by trickle for stream table " + def.name() + "; trickle never"
        + " drops or replaces a table it did not create: drop or rename that table yourself, or"
        + " give the stream table another name");
  }

  /** The oid of a table named by SQL text ({@link StreamTableNames#targetTable()}), or null. */
  private static Long oidOf(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::oid")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long oid = rs.getLong(1);
        return rs.wasNull() ? null : oid;
      }
    }
  }

  static String planHash(StreamTableDefinition def, Plan plan) {
    return planHash(def, plan, Map.of());
  }

  static String planHash(StreamTableDefinition def, Plan plan, Map<String, String> upstreamTopics) {
    return planHash(def, plan, upstreamTopics, Map.of(), 1);
  }

  /**
   * The topics a stream table reads are part of the hash: a redefined upstream starts a new
   * topic, and its downstreams must then rebuild their state from it, under a new application
   * id; so must a stream table whose change topics are named or partitioned otherwise (P).
   *
   * @param changeTopics each captured table the plan reads → its change topic
   * @param partitions P, the partitions of every change topic
   */
  static String planHash(StreamTableDefinition def, Plan plan, Map<String, String> upstreamTopics,
      Map<String, String> changeTopics, int partitions) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(plan.explain().getBytes(StandardCharsets.UTF_8));
      if (partitions != 1) {
        md.update(("partitions=" + partitions + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<String, String> e : new TreeMap<>(upstreamTopics).entrySet()) {
        md.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (!changeTopics.isEmpty()) {
        for (Map.Entry<String, String> e : new TreeMap<>(changeTopics).entrySet()) {
          md.update(("captured " + e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (supervisor != null) {
      supervisor.close();
      supervisor = null;
    }
    for (StreamTableApp app : apps) {
      app.close();
    }
    apps.clear();
    if (capture != null) {
      capture.close();
      capture = null;
    }
  }
}
