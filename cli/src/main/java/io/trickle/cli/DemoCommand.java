package io.trickle.cli;

import io.trickle.cli.demo.DemoSchema;
import io.trickle.cli.demo.DemoWorkload;
import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.Stack;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Everything in one process: PostgreSQL 18, Kafka, Connect, sample"
    + " stream tables, a live change stream, and a final check of every stream table against its query.")
final class DemoCommand implements Callable<Integer> {
  static final String[] DEFINITIONS = {"order_status_totals", "region_category_revenue",
      "category_price_range", "large_orders", "order_totals"};

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long the live change stream runs (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--state-dir", description = "Local state; default: a fresh temporary directory.")
  Path stateDir;

  @Option(names = "--pause-ms", defaultValue = "20", description = "Pause between source transactions (default ${DEFAULT-VALUE}).")
  int pauseMs;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    Path dir = stateDir != null ? stateDir.toAbsolutePath() : Files.createTempDirectory("trickle-demo");
    say("state in %s", dir);
    try (EmbeddedPostgresServer pgServer = EmbeddedPostgresServer.start(dir.resolve("postgres"))) {
      // Trust authentication: the connectors need no password, whatever PGPASSWORD or ~/.pgpass hold.
      PgUrl pg = PgUrl.parse(pgServer.jdbcUrl()).withConnectPassword("");
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
        DemoSchema.create(c);
        DemoSchema.seed(c, 42);
      }
      say("PostgreSQL 18 ready at %s with sample data (%.1fs)", pg.jdbcUrl(), secs(t0));
      try (Stack stack = Stack.start(null, null, dir);
          Deployment deployment = new Deployment(new Deployment.Options(pg, stack.bootstrap(),
              stack.connectUrl(), dir, true, 500), System.out)) {
        say("Kafka at %s, Connect at %s (%.1fs)", stack.bootstrap(), stack.connectUrl(), secs(t0));
        deployment.deploy(definitions());
        if (!deployment.failed().isEmpty()) {
          say("error: %d stream table(s) failed to deploy: %s", deployment.failed().size(), deployment.failed());
          return 1;
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
          long load = System.nanoTime();
          String failure = Freshness.await(c, Duration.ofSeconds(120));
          if (failure != null) {
            say("error: initial load did not finish: %s", failure);
            return 1;
          }
          say("initial load done in %.1fs; live changes for %ds", secs(load), duration.toSeconds());
          runWorkload(pg, c);
          failure = Freshness.await(c, Duration.ofSeconds(120));
          if (failure != null) {
            say("error: stream tables did not catch up: %s", failure);
            return 1;
          }
          probeLatency(c);
          // The probes wait for large_orders only; the other stream tables apply the last probe
          // on their own schedule (their own applications), so the checks wait for all of them.
          failure = Freshness.await(c, Duration.ofSeconds(120));
          if (failure != null) {
            say("error: stream tables did not catch up after the probes: %s", failure);
            return 1;
          }
          boolean ok = true;
          for (Deployment.Deployed d : deployment.deployed()) {
            Oracle.Result r = Oracle.check(c, d.definition().name(), d.names().targetTable(),
                d.definition().selectSql(), d.plan().columns());
            say("check %s", r.summary());
            ok &= r.ok();
          }
          say("resident memory %s; wall time %.1fs", residentMemory(), secs(t0));
          say(ok ? "demo OK: every stream table equals its query" : "demo FAILED: a stream table differs from its query");
          return ok ? 0 : 1;
        }
      }
    }
  }

  private void runWorkload(PgUrl pg, Connection statusConnection) throws Exception {
    try (Connection wc = DriverManager.getConnection(pg.jdbcUrl())) {
      DemoWorkload workload = new DemoWorkload(wc, 7, pauseMs);
      Thread t = new Thread(workload, "demo-workload");
      t.start();
      long end = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < end && workload.failure() == null) {
        Thread.sleep(Math.min(2000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        StringBuilder line = new StringBuilder(String.format("%6d source transactions |", workload.transactions()));
        for (Freshness.Row r : Freshness.read(statusConnection, false)) {
          line.append(' ').append(r.name()).append('=').append(r.lagMs() == null ? "-" : r.lagMs() + "ms");
        }
        say("%s", line);
      }
      workload.stop();
      t.join();
      if (workload.failure() != null) {
        throw workload.failure();
      }
      say("change stream stopped after %d source transactions", workload.transactions());
    }
  }

  /** Median time from a single-row commit until its row is visible in a stream table. */
  private void probeLatency(Connection c) throws Exception {
    long[] ms = new long[20];
    c.setAutoCommit(true);
    for (int i = 0; i < ms.length; i++) {
      long id = 900_000_000L + i;
      long start = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders VALUES (?, 1, 1, 1, 999.00, 'new', now()::timestamp)")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM large_orders WHERE id = ?")) {
        ps.setLong(1, id);
        while (true) {
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              break;
            }
          }
          if (System.nanoTime() - start > 30_000_000_000L) {
            throw new IllegalStateException("a single-row change was not visible after 30 s");
          }
          Thread.sleep(2);
        }
      }
      ms[i] = (System.nanoTime() - start) / 1_000_000;
      Thread.sleep(50);
    }
    Arrays.sort(ms);
    say("single-row change visible in the stream table: median %d ms, max %d ms (%d probes)",
        ms[ms.length / 2], ms[ms.length - 1], ms.length);
  }

  static List<StreamTableDefinition> definitions() throws Exception {
    List<StreamTableDefinition> out = new ArrayList<>();
    for (String name : DEFINITIONS) {
      try (InputStream in = DemoCommand.class.getResourceAsStream("/examples/demo/" + name + ".sql")) {
        out.add(DefinitionParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  private static String residentMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return line.substring(6).trim();
        }
      }
    } catch (java.io.IOException e) {
      // Not Linux: fall through.
    }
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " MB heap";
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void say(String fmt, Object... args) {
    System.out.printf("[demo] " + fmt + "%n", args);
  }
}
