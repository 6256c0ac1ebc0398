package io.trickle.bench;

import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.Stack;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import io.trickle.topology.Epochs;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The end-to-end harness: embedded PostgreSQL 18, a KRaft broker and a Connect worker in this
 * JVM, two stream tables of {@code examples/demo} over tables filled at scale, and four numbers:
 * initial-load rows/s, throughput in source changes/s, freshness lag p50/p99, and incremental
 * update versus {@code REFRESH MATERIALIZED VIEW}. See docs/benchmarks.md.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.trickle.bench.EndToEnd [--rows N] [--changes N]
 *       [--tx-size N] [--probes N] [--epochs on|off] [--state-dir DIR]
 * </pre>
 */
public final class EndToEnd {
  /** A GROUP BY aggregate, and a three-table join with an aggregate. */
  static final String[] DEFINITIONS = {"order_status_totals", "region_category_revenue"};

  private int rows = 100_000;
  private int changes = 20_000;
  private int txSize = 10;
  private int probes = 50;
  private boolean epochs = true;
  private Path stateDir;

  public static void main(String[] args) throws Exception {
    EndToEnd e = new EndToEnd();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--rows" -> { e.rows = Integer.parseInt(v); i++; }
        case "--changes" -> { e.changes = Integer.parseInt(v); i++; }
        case "--tx-size" -> { e.txSize = Integer.parseInt(v); i++; }
        case "--probes" -> { e.probes = Integer.parseInt(v); i++; }
        case "--epochs" -> { e.epochs = !"off".equals(v); i++; }
        case "--state-dir" -> { e.stateDir = Path.of(v); i++; }
        default -> {
          System.err.println("usage: EndToEnd [--rows N] [--changes N] [--tx-size N] [--probes N]"
              + " [--epochs on|off] [--state-dir DIR]");
          System.exit(2);
        }
      }
    }
    System.exit(e.run());
  }

  int run() throws Exception {
    Path dir = stateDir != null ? stateDir.toAbsolutePath() : Files.createTempDirectory("trickle-e2e");
    // Read by StreamTableApp: the benchmark-only switch of docs/benchmarks.md.
    System.setProperty(Epochs.CONFIG, epochs ? "on" : "off");
    say("rows %d, changes %d in transactions of %d, %d freshness probes, epochs %s, %d cores, state in %s",
        rows, changes, txSize, probes, epochs ? "on" : "off", Runtime.getRuntime().availableProcessors(), dir);
    try (EmbeddedPostgresServer pgServer = EmbeddedPostgresServer.start(dir.resolve("postgres"))) {
      PgUrl pg = PgUrl.parse(pgServer.jdbcUrl());
      long sourceRows;
      long t0 = System.nanoTime();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
        sourceRows = BenchDatabase.seed(c, rows);
      }
      say("seeded %,d source rows in %.1f s", sourceRows, secs(t0));
      try (Stack stack = Stack.start(null, null, dir);
          Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
        Deployment deployment = new Deployment(new Deployment.Options(pg, stack.bootstrap(),
            stack.connectUrl(), dir, true, 500), new PrintStream(OutputStream.nullOutputStream()));
        try (deployment) {
          long deploy = System.nanoTime();
          deployment.deploy(definitions());
          if (!deployment.failed().isEmpty()) {
            say("error: deployment failed: %s", deployment.failed());
            return 1;
          }
          double deploySecs = secs(deploy);
          check(Freshness.await(c, Duration.ofMinutes(30)), "initial load");
          double load = secs(deploy);
          say("RESULT initial load: %,d source rows reflected in %.1f s after deploy = %,.0f rows/s"
              + " (deploy itself %.1f s: compile, connectors, apps)", sourceRows, load, sourceRows / load, deploySecs);

          throughput(c, pg);
          List<double[]> lags = freshness(c, pg);
          recompute(c, deployment, lags);

          boolean ok = true;
          for (Deployment.Deployed d : deployment.deployed()) {
            Oracle.Result r = Oracle.check(c, d.definition().name(), d.names().targetTable(),
                d.definition().selectSql(), d.plan().columns());
            say("check %s", r.summary());
            ok &= r.ok();
          }
          return ok ? 0 : 1;
        }
      }
    }
  }

  /** Applies the changes as fast as one connection can, then waits until every stream table reflects them. */
  private void throughput(Connection status, PgUrl pg) throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    int customers = BenchDatabase.customers(rows);
    long start = System.nanoTime();
    try (Connection w = DriverManager.getConnection(pg.jdbcUrl())) {
      w.setAutoCommit(false);
      try (PreparedStatement ps = w.prepareStatement(
          "UPDATE orders SET amount = ?::numeric, status = ?, customer_id = ? WHERE id = ?")) {
        for (int i = 0; i < changes; i++) {
          ps.setString(1, rnd.nextInt(100_000) / 100 + "." + rnd.nextInt(10) + "0");
          ps.setString(2, BenchDatabase.STATUSES[rnd.nextInt(BenchDatabase.STATUSES.length)]);
          ps.setInt(3, 1 + rnd.nextInt(customers));
          ps.setLong(4, 1 + rnd.nextInt(rows));
          ps.addBatch();
          if ((i + 1) % txSize == 0 || i + 1 == changes) {
            ps.executeBatch();
            w.commit();
          }
        }
      }
    }
    double written = secs(start);
    check(Freshness.await(status, Duration.ofMinutes(30)), "throughput run");
    double total = secs(start);
    say("RESULT throughput: %,d changes (%,d transactions of %d) committed in %.1f s (%,.0f changes/s written);"
        + " all stream tables reflect them %.1f s after the first commit = %,.0f changes/s (epochs %s)",
        changes, (changes + txSize - 1) / txSize, txSize, written, changes / written, total, changes / total,
        epochs ? "on" : "off");
  }

  /**
   * Single-row commits, one at a time about every 200 ms: each inserts a product of a new
   * category and an order of a new status, so a new row appears in both stream tables; the lag
   * is the time from commit() returning until a poll sees that row.
   */
  private List<double[]> freshness(Connection c, PgUrl pg) throws Exception {
    double[] agg = new double[probes];
    double[] join = new double[probes];
    try (Connection w = DriverManager.getConnection(pg.jdbcUrl());
        PreparedStatement product = w.prepareStatement("INSERT INTO products VALUES (?, 'probe', ?, 1.00)");
        PreparedStatement order = w.prepareStatement(
            "INSERT INTO orders VALUES (?, 1, ?, 1, 1.00, ?, timestamp '2026-06-01')");
        PreparedStatement seeAgg = c.prepareStatement("SELECT 1 FROM order_status_totals WHERE status = ?");
        PreparedStatement seeJoin = c.prepareStatement("SELECT 1 FROM region_category_revenue WHERE category = ?")) {
      w.setAutoCommit(false);
      for (int i = 0; i < probes; i++) {
        String tag = "probe-" + i;
        product.setInt(1, 10_000_000 + i);
        product.setString(2, tag);
        product.executeUpdate();
        order.setLong(1, 1_000_000_000L + i);
        order.setInt(2, 10_000_000 + i);
        order.setString(3, tag);
        order.executeUpdate();
        w.commit();
        long committed = System.nanoTime();
        seeAgg.setString(1, tag);
        seeJoin.setString(1, tag);
        double a = -1;
        double j = -1;
        while (a < 0 || j < 0) {
          if (a < 0 && exists(seeAgg)) {
            a = (System.nanoTime() - committed) / 1e6;
          }
          if (j < 0 && exists(seeJoin)) {
            j = (System.nanoTime() - committed) / 1e6;
          }
          if (System.nanoTime() - committed > 60_000_000_000L) {
            throw new IllegalStateException("probe " + tag + " not visible after 60 s");
          }
          Thread.sleep(1);
        }
        agg[i] = a;
        join[i] = j;
        Thread.sleep(200);
      }
    }
    say("RESULT freshness lag, commit -> row visible in the stream table (client-measured, polled every ~1 ms,"
        + " one single-transaction probe every ~200 ms):");
    say("RESULT   order_status_totals      %s", new Percentiles(agg).describe());
    say("RESULT   region_category_revenue  %s", new Percentiles(join).describe());
    return List.of(agg, join);
  }

  /** REFRESH MATERIALIZED VIEW of each definition, against the incremental lag of one small change. */
  private void recompute(Connection c, Deployment deployment, List<double[]> lags) throws SQLException {
    int i = 0;
    for (String name : DEFINITIONS) {
      Deployment.Deployed d = deployment.deployed().stream()
          .filter(x -> x.definition().name().equals(name)).findFirst().orElseThrow();
      String mv = "bench_mv_" + name;
      String select = d.definition().selectSql().strip();
      if (select.endsWith(";")) {
        select = select.substring(0, select.length() - 1);
      }
      try (Statement s = c.createStatement()) {
        s.execute("DROP MATERIALIZED VIEW IF EXISTS " + mv);
        s.execute("CREATE MATERIALIZED VIEW " + mv + " AS " + select);
        double[] refresh = new double[5];
        for (int k = 0; k < refresh.length; k++) {
          long t = System.nanoTime();
          s.execute("REFRESH MATERIALIZED VIEW " + mv);
          refresh[k] = (System.nanoTime() - t) / 1e6;
        }
        double full = new Percentiles(refresh).at(50);
        double incremental = new Percentiles(lags.get(i++)).at(50);
        say("RESULT recompute vs incremental, %s: REFRESH MATERIALIZED VIEW median %.0f ms (of %d) over %,d orders;"
            + " one small change reflected incrementally in p50 %.0f ms; incremental is %.2fx %s",
            name, full, refresh.length, rows, incremental, full >= incremental ? full / incremental : incremental / full,
            full >= incremental ? "faster" : "SLOWER (end-to-end latency, not compute, dominates at this size)");
        s.execute("DROP MATERIALIZED VIEW " + mv);
      }
    }
  }

  private static boolean exists(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  private static void check(String failure, String what) {
    if (failure != null) {
      throw new IllegalStateException(what + ": " + failure);
    }
  }

  static List<StreamTableDefinition> definitions() throws Exception {
    List<StreamTableDefinition> out = new ArrayList<>();
    for (String name : DEFINITIONS) {
      try (InputStream in = EndToEnd.class.getResourceAsStream("/examples/demo/" + name + ".sql")) {
        out.add(DefinitionParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static void say(String fmt, Object... args) {
    System.out.printf("[e2e] " + fmt + "%n", args);
    System.out.flush();
  }

}
