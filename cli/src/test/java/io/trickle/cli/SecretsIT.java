package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.StreamTableNames;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code trickle run} against a PostgreSQL user that must authenticate with a password, given
 * through {@code --pg-password-file}: the stream table is maintained (so Debezium and the sink
 * did get the password), {@code wait} and {@code status} log in with the same file, yet no
 * connector config, task config or status that Connect serves, and nothing trickle, Connect,
 * Debezium or Kafka print or log, contains the password.
 */
class SecretsIT {
  private static final String PASSWORD = "Tr1ckle-S3cret.pw";
  private static final String USER = "trickle_app";

  @TempDir
  Path dir;

  @Test
  void thePasswordReachesTheConnectorsButNeverShows() throws Exception {
    StringWriter logs = new StringWriter();
    Appender capture = captureLogs(logs);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ExecutorService runner = Executors.newSingleThreadExecutor();
    CountDownLatch stop = new CountDownLatch(1);
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("pg"))) {
      requirePasswordFor(server);
      String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres?user=" + USER;
      assertThatThrownBy(() -> DriverManager.getConnection(url).close())
          .as("precondition: the user cannot log in without its password").isInstanceOf(SQLException.class);

      Path passwordFile = Files.writeString(dir.resolve("pg-password"), PASSWORD + "\n");
      Path definitions = Files.createDirectories(dir.resolve("definitions"));
      String definition = "CREATE STREAM TABLE spend AS SELECT customer, sum(amount) AS total, count(*) AS n"
          + " FROM payments GROUP BY customer;";
      Files.writeString(definitions.resolve("spend.sql"), definition);

      PrintStream tee = new PrintStream(out, true, StandardCharsets.UTF_8);
      System.setOut(tee);
      System.setErr(tee);
      RunCommand run = new RunCommand();
      new CommandLine(run).parseArgs("--pg", url, "--pg-password-file", passwordFile.toString(),
          "--definitions", definitions.toString(), "--state-dir", dir.resolve("state").toString(),
          "--heartbeat", "300");
      Future<Integer> exit = runner.submit(() -> run.runUntil(stop));

      PgUrl pg = PgUrl.parse(url, passwordFile);
      try (Connection c = pg.connect(); Statement s = c.createStatement()) {
        awaitRegistered(c, exit);
        assertThat(Freshness.await(c, Duration.ofSeconds(180))).as("initial load").isNull();
        s.execute("INSERT INTO payments SELECT 100 + i, 'c' || (i % 3), i FROM generate_series(1, 30) i");
        s.execute("UPDATE payments SET amount = amount * 2 WHERE id % 2 = 0");
        s.execute("DELETE FROM payments WHERE id % 5 = 0");
        assertThat(Freshness.await(c, Duration.ofSeconds(180))).as("after inserts, updates and deletes").isNull();
        StreamTableDefinition def = DefinitionParser.parse(definition);
        Plan plan = new StreamTableCompiler().compile(def, c);
        String target = new StreamTableNames(def.name(), "", StreamTableNames.changesTopic(pg)).targetTable();
        Oracle.Result r = Oracle.check(c, def.name(), target, def.selectSql(), plan.columns());
        assertThat(r.ok()).as("the stream table equals its query: " + r.summary()).isTrue();
      }
      assertThat(Main.execute("wait", "--pg", url, "--pg-password-file", passwordFile.toString(), "--timeout", "120s"))
          .as("exit code of trickle wait with --pg-password-file").isZero();
      assertThat(Main.execute("status", "--pg", url, "--pg-password-file", passwordFile.toString()))
          .as("exit code of trickle status with --pg-password-file").isZero();

      String connectUrl = connectUrl(out);
      List<String> served = servedByConnect(connectUrl);
      assertThat(served).as("Connect serves the source and the sink").hasSizeGreaterThanOrEqualTo(2);
      for (String body : served) {
        assertThat(body).as("a response of Connect's REST API").doesNotContain(PASSWORD);
      }
      assertThat(String.join("\n", served)).as("connector configs hold references to the in-process secret")
          .contains("${trickle:postgres-postgres}");
      stop.countDown();
      assertThat(exit.get()).as("exit code of trickle run").isZero();
    } finally {
      stop.countDown();
      runner.shutdownNow();
      System.setOut(savedOut);
      System.setErr(savedErr);
      releaseLogs(capture);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).as("what trickle run, wait and status printed").contains("running spend")
        .contains("all stream tables are current").doesNotContain(PASSWORD);
    assertThat(logs.toString()).as("the log lines of trickle, Connect, Debezium and Kafka")
        .isNotEmpty().doesNotContain(PASSWORD);
    byte[] secret = PASSWORD.getBytes(StandardCharsets.UTF_8);
    List<Path> holding = new ArrayList<>();
    try (var files = Files.walk(dir.resolve("state"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(f), secret) >= 0) {
          holding.add(f);
        }
      }
    }
    assertThat(holding).as("files under --state-dir (Kafka's topics, Connect's, RocksDB) holding the password")
        .isEmpty();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A superuser that must log in with a SCRAM password, for normal and replication connections. */
  private static void requirePasswordFor(EmbeddedPostgresServer server) throws Exception {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + USER + " LOGIN SUPERUSER REPLICATION PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE TABLE payments (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL)");
      s.execute("INSERT INTO payments SELECT i, 'c' || (i % 4), i * 1.5 FROM generate_series(1, 40) i");
      s.execute("ALTER TABLE payments OWNER TO " + USER);
      Path hba = server.dataDir().resolve("pg_hba.conf");
      String rules = "host all " + USER + " 127.0.0.1/32 scram-sha-256\n"
          + "host replication " + USER + " 127.0.0.1/32 scram-sha-256\n";
      Files.writeString(hba, rules + Files.readString(hba));
      try (ResultSet rs = s.executeQuery("SELECT pg_reload_conf()")) {
        rs.next();
      }
    }
    Thread.sleep(500); // the postmaster rereads pg_hba.conf on SIGHUP, asynchronously
  }

  /** Waits until {@code run} has registered the stream table, or failed. */
  private static void awaitRegistered(Connection c, Future<Integer> exit) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      if (exit.isDone()) {
        throw new AssertionError("trickle run ended early with exit code " + exit.get());
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM trickle.stream_tables WHERE status <> 'error'")) {
        if (rs.next() && rs.getLong(1) > 0) {
          return;
        }
      } catch (SQLException e) {
        // the trickle schema does not exist yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("trickle run registered no stream table within 180 s");
  }

  /** The Connect REST address, from the "kafka ..., connect URL; ..." line run prints once deployed. */
  private static String connectUrl(ByteArrayOutputStream out) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    do {
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
        int i = line.indexOf(", connect ");
        if (line.startsWith("kafka ") && i > 0) {
          return line.substring(i + ", connect ".length(), line.indexOf(';', i));
        }
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("trickle run did not print its Connect address:\n" + out.toString(StandardCharsets.UTF_8));
  }

  /** The config, task configs and status of every connector, as Connect serves them. */
  private static List<String> servedByConnect(String connectUrl) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<String> bodies = new ArrayList<>();
    String list = get(http, connectUrl + "/connectors?expand=info&expand=status");
    bodies.add(list);
    for (String name : new io.trickle.connectors.rest.ConnectRestClient(connectUrl).connectors()) {
      bodies.add(get(http, connectUrl + "/connectors/" + name + "/config"));
      bodies.add(get(http, connectUrl + "/connectors/" + name + "/tasks"));
      bodies.add(get(http, connectUrl + "/connectors/" + name + "/status"));
    }
    return bodies;
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + url).isEqualTo(200);
    return r.body();
  }

  /** Sends every logger's INFO and above to {@code sink} too; the console keeps its own levels. */
  private static Appender captureLogs(StringWriter sink) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    Appender appender = WriterAppender.newBuilder().setName("secrets-it-capture").setTarget(sink)
        .setLayout(PatternLayout.newBuilder().withPattern("%level %c - %msg%n%throwable").build()).build();
    appender.start();
    config.addAppender(appender);
    List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
    loggers.add(config.getRootLogger());
    for (LoggerConfig lc : loggers) {
      Appender err = lc.getAppenders().get("err");
      if (err != null) {
        lc.removeAppender("err");
        lc.addAppender(err, lc.getLevel().isMoreSpecificThan(Level.WARN) ? lc.getLevel() : Level.WARN, null);
      }
      if (lc.getLevel().isMoreSpecificThan(Level.INFO)) {
        lc.setLevel(Level.INFO);
      }
      lc.addAppender(appender, Level.INFO, null);
    }
    ctx.updateLoggers();
    return appender;
  }

  private static void releaseLogs(Appender appender) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.reconfigure();
    appender.stop();
  }
}
