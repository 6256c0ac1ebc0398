package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.StreamTableNames;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.trickle.connectors.embedded.EmbeddedConnect;
import io.trickle.connectors.embedded.EmbeddedKafka;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real servers of the consistency ITs: PostgreSQL, a KRaft broker and a Connect worker in
 * this JVM, each restartable at the same address, and optionally an in-process deployment.
 */
final class ItStack implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ItStack.class);
  final Path dir;
  final EmbeddedPostgresServer pgServer;
  final PgUrl pg;
  EmbeddedKafka kafka;
  EmbeddedConnect connect;
  Deployment deployment;

  private ItStack(Path dir, EmbeddedPostgresServer pgServer) {
    this.dir = dir;
    this.pgServer = pgServer;
    this.pg = PgUrl.parse(pgServer.jdbcUrl());
  }

  /** Starts PostgreSQL, runs {@code setupSql}, then starts the broker and the Connect worker. */
  static ItStack start(Path dir, String... setupSql) throws SQLException {
    ItStack s = new ItStack(dir, EmbeddedPostgresServer.start(dir.resolve("pg")));
    try (Connection c = s.connection(); Statement st = c.createStatement()) {
      for (String sql : setupSql) {
        st.execute(sql);
      }
    }
    s.kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    s.connect = EmbeddedConnect.start(s.kafka.bootstrapServers(), dir.resolve("connect"));
    return s;
  }

  Connection connection() throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl());
  }

  /** Deploys the definitions with their Kafka Streams applications running in this JVM. */
  Deployment deploy(String... definitions) throws SQLException {
    deployment = new Deployment(options(), new PrintStream(OutputStream.nullOutputStream()));
    deployment.deploy(parse(definitions));
    assertThat(deployment.failed()).as("stream tables that failed to deploy").isEmpty();
    return deployment;
  }

  /** P for the stream tables {@link #deploy} starts (default 1). */
  int partitions = 1;

  ItStack partitions(int p) {
    this.partitions = p;
    return this;
  }

  Deployment.Options options() {
    return new Deployment.Options(pg, kafka.bootstrapServers(), connect.restUrl(), dir.resolve("state"), true, 300,
        null, partitions);
  }

  /** Writes each definition to {@code <dir>/<name>.sql}, as a user's definitions directory. */
  static Path writeDefinitions(Path dir, String... definitions) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    for (String d : definitions) {
      StreamTableDefinition def = parse(d).get(0);
      java.nio.file.Files.writeString(dir.resolve(def.name() + ".sql"), d + ";\n");
    }
    return dir;
  }

  /** A file under the module's {@code target/}: it outlives a failed run's temporary directory. */
  static Path targetFile(String name) {
    return Path.of(System.getProperty("basedir", ".")).resolve("target").resolve(name);
  }

  /**
   * {@code trickle run} of the packaged jar as a child process on this stack (its output appended
   * to {@code log}), as a user starts it, so it can be killed with SIGKILL.
   */
  Process startTrickleRun(Path definitions, Path stateDir, String maxHeap, int partitions, Path log)
      throws java.io.IOException {
    Path target = targetFile("");
    String classpath = target.resolve("trickle-cli.jar") + java.io.File.pathSeparator
        + target.resolve("lib") + java.io.File.separator + "*";
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + maxHeap, "-cp", classpath, "io.trickle.cli.Main", "run",
        "--pg", pg.jdbcUrl(), "--definitions", definitions.toString(),
        "--kafka", kafka.bootstrapServers(), "--connect", connect.restUrl(),
        "--state-dir", stateDir.toString(), "--heartbeat", "300",
        "--partitions", String.valueOf(partitions));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  static List<StreamTableDefinition> parse(String... definitions) {
    List<StreamTableDefinition> defs = new ArrayList<>();
    for (String d : definitions) {
      defs.add(DefinitionParser.parse(d));
    }
    return defs;
  }

  /** Stops the Connect worker and starts a new one on the same REST port and group. */
  void restartConnect() {
    int port = connect.restPort();
    connect.close();
    connect = EmbeddedConnect.start(kafka.bootstrapServers(), dir.resolve("connect"), port, Map.of());
  }

  /** Stops the broker and starts it again on the same ports and log directory. */
  void restartKafka() {
    int broker = kafka.brokerPort();
    int controller = kafka.controllerPort();
    kafka.close();
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), broker, controller, Map.of());
  }

  /** Waits until every stream table reflects the current WAL position. */
  void awaitFresh(Connection c, String when) throws Exception {
    String stale = Freshness.await(c, Duration.ofSeconds(180));
    if (stale != null) {
      LOG.error("wait {} failed; consumer groups:\n{}", when, groupLags());
    }
    assertThat(stale).as("wait " + when).isNull();
  }

  /** Every consumer group's committed offset and the end offset, per partition: where a pipeline stopped. */
  String groupLags() {
    java.util.Properties p = new java.util.Properties();
    p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    StringBuilder out = new StringBuilder();
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
      for (var g : admin.listConsumerGroups().all().get()) {
        var committed = admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString)) {{ putAll(committed); }}
            .forEach((tp, o) -> out.append(g.groupId()).append(' ').append(tp).append(" committed ")
                .append(o == null ? "-" : ((org.apache.kafka.clients.consumer.OffsetAndMetadata) o).offset())
                .append(" end ").append(ends.get(tp).offset()).append('\n'));
      }
    } catch (Exception e) {
      out.append("cannot read consumer groups: ").append(e);
    }
    return out.toString();
  }

  /** The oracle must hold for every deployed stream table. */
  void assertOracle(Connection c, String when) throws SQLException {
    for (Deployment.Deployed d : deployment.deployed()) {
      assertOracle(c, d, when);
    }
  }

  /** The oracle for stream tables deployed elsewhere (another process): compiled here for their plans. */
  void assertOracle(Connection c, List<StreamTableDefinition> definitions, String when) throws Exception {
    for (StreamTableDefinition def : definitions) {
      Plan plan = new StreamTableCompiler().compile(def, c);
      String target = new StreamTableNames(def.name(), "", StreamTableNames.changesTopic(pg)).targetTable();
      Oracle.Result r = Oracle.check(c, def.name(), target, def.selectSql(), plan.columns());
      assertThat(r.ok()).as(when + ": " + r.summary()).isTrue();
    }
  }

  static void assertOracle(Connection c, Deployment.Deployed d, String when) throws SQLException {
    Oracle.Result r = Oracle.check(c, d.definition().name(), d.names().targetTable(),
        d.definition().selectSql(), d.plan().columns());
    assertThat(r.ok()).as(when + ": " + r.summary()).isTrue();
  }

  @Override
  public void close() {
    if (deployment != null) {
      deployment.close();
    }
    if (connect != null) {
      connect.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    pgServer.close();
  }
}
