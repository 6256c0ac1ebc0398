package io.trickle.bench;

import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.tpch.TpchDomain;
import io.trickle.cli.tpch.TpchGenerator;
import io.trickle.cli.tpch.TpchMutations;
import io.trickle.cli.tpch.TpchQuery;
import io.trickle.cli.tpch.TpchScale;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.trickle.connectors.ddl.TrickleSchema;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The TPC-H end-to-end harness (docs/benchmarks.md, "TPC-H end to end"): the repository's TPC-H
 * generator fills an embedded PostgreSQL 18, {@code ./trickle run} maintains a set of stream
 * tables over it as a user runs it (a child process with its embedded Kafka and Connect), and
 * the harness measures initial load, catch-up, drain after a pause, freshness under a steady
 * load, REFRESH MATERIALIZED VIEW of the same queries, and trickle's resident memory. Every
 * figure is one line {@code figure <name> <value> <unit>}; every phase ends with the oracle
 * (each stream table equal to its query as PostgreSQL runs it).
 *
 * <pre>
 *   bench/run-e2e.sh tpch [--sf 0.01] [--set four|tpch22] [--transactions N] [--writers 4]
 *       [--rate 100] [--canaries N] [--refreshes N] [--seed N] [--phases load,cycle,catchup,drain,freshness,refresh]
 *       [--state-dir DIR] [--keep] [--timeout 30m] [--trickle-arg ARG]...
 * </pre>
 */
public final class TpchEndToEnd {
  /** Characters no TPC-H line item uses as return flag or line status: canary groups of Q1. */
  private static final String CANARY_CHARS = "BCDEGHIJKLMPQSTUVWXYZ";
  private static final long CANARY_ORDER = 9_000_000_000L;
  private static final int CANARY_CUSTOMER = 1_000_000_000;
  private static final List<String> PHASES = List.of("load", "cycle", "catchup", "drain", "freshness", "refresh");

  private Path home = Path.of(".");
  private double sf = 0.01;
  private String set = "four";
  private long transactions = 2_000;
  private int writers = 4;
  private double rate = 100;
  private int canaries = 50;
  private long canaryIntervalMs = 500;
  private int refreshes = 3;
  private long seed = 42;
  private Set<String> phases = Set.copyOf(PHASES);
  private Path stateDir;
  private boolean keep;
  /** Extra arguments of {@code trickle run}, e.g. {@code --trickle-arg --partitions --trickle-arg 2}. */
  private final List<String> trickleArgs = new ArrayList<>();
  private Duration timeout = Duration.ofMinutes(30);

  /** Stream table name → definition, compiled plan and target table, in definition order. */
  private final Map<String, StreamTableDefinition> definitions = new LinkedHashMap<>();
  private final Map<String, Plan> plans = new LinkedHashMap<>();
  /** The stream tables each canary creates a new group in, with how to see it. */
  private final List<Probe> probes = new ArrayList<>();
  private TrickleProcess trickle;
  private int oracleFailures;

  /** A canary's group, visible in {@code streamTable} when {@code SELECT 1 FROM target WHERE where} finds it. */
  private record Probe(String streamTable, String where, java.util.function.IntFunction<Object[]> params) {}

  public static void main(String[] args) throws Exception {
    TpchEndToEnd b = new TpchEndToEnd();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--home" -> { b.home = Path.of(v); i++; }
        case "--sf" -> { b.sf = Double.parseDouble(v); i++; }
        case "--set" -> { b.set = v; i++; }
        case "--transactions" -> { b.transactions = Long.parseLong(v); i++; }
        case "--writers" -> { b.writers = Integer.parseInt(v); i++; }
        case "--rate" -> { b.rate = Double.parseDouble(v); i++; }
        case "--canaries" -> { b.canaries = Integer.parseInt(v); i++; }
        case "--canary-interval-ms" -> { b.canaryIntervalMs = Long.parseLong(v); i++; }
        case "--refreshes" -> { b.refreshes = Integer.parseInt(v); i++; }
        case "--seed" -> { b.seed = Long.parseLong(v); i++; }
        case "--phases" -> { b.phases = Set.of(v.split(",")); i++; }
        case "--state-dir" -> { b.stateDir = Path.of(v); i++; }
        case "--keep" -> b.keep = true;
        case "--trickle-arg" -> { b.trickleArgs.add(v); i++; }
        case "--timeout" -> { b.timeout = parseDuration(v); i++; }
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (!Set.of("four", "tpch22").contains(b.set)) {
      usage("--set is four or tpch22");
    }
    for (String p : b.phases) {
      if (!PHASES.contains(p)) {
        usage("unknown phase " + p + "; phases: " + String.join(",", PHASES));
      }
    }
    if (b.canaries > CANARY_CHARS.length() * CANARY_CHARS.length()) {
      usage("at most " + CANARY_CHARS.length() * CANARY_CHARS.length() + " canaries");
    }
    System.exit(b.run());
  }

  private static void usage(String problem) {
    System.err.println("error: " + problem);
    System.err.println("usage: bench/run-e2e.sh tpch [--sf 0.01] [--set four|tpch22] [--transactions N]"
        + " [--writers N] [--rate TX_PER_S] [--canaries N] [--canary-interval-ms N] [--refreshes N] [--seed N]"
        + " [--phases " + String.join(",", PHASES) + "] [--state-dir DIR] [--keep] [--timeout 30m]");
    System.exit(2);
  }

  private static Duration parseDuration(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofSeconds(Long.parseLong(s));
    };
  }

  int run() throws Exception {
    Path dir = stateDir != null ? stateDir.toAbsolutePath() : Files.createTempDirectory("trickle-tpch-bench");
    Files.createDirectories(dir);
    home = home.toAbsolutePath().normalize();
    TpchScale scale = TpchScale.of(sf);
    say("config sf %s, set %s, %d transactions per phase by %d writers, freshness at %.0f tx/s with %d canaries,"
        + " seed %d, phases %s, %d cores, load average %s, state in %s", sf, set, transactions, writers, rate,
        canaries, seed, String.join(",", PHASES.stream().filter(phases::contains).toList()),
        Runtime.getRuntime().availableProcessors(), loadAverage(), dir);
    AtomicBoolean cleaned = new AtomicBoolean();
    EmbeddedPostgresServer[] pgHolder = new EmbeddedPostgresServer[1];
    Runnable cleanup = () -> {
      if (!cleaned.compareAndSet(false, true)) {
        return;
      }
      try {
        if (trickle != null) {
          trickle.close();
        }
      } catch (Exception e) {
        say("cleanup: stopping trickle failed: %s", e);
      }
      if (pgHolder[0] != null) {
        pgHolder[0].close();
      }
      if (!keep) {
        deleteTree(dir);
      } else {
        say("kept %s", dir);
      }
    };
    // Ctrl-C or a kill of the harness still stops trickle and PostgreSQL and removes the state.
    Thread hook = new Thread(cleanup, "tpch-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      pgHolder[0] = EmbeddedPostgresServer.start(dir.resolve("postgres"));
      String url = pgHolder[0].jdbcUrl();
      return measure(url, scale, dir);
    } finally {
      cleanup.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running (or ran) the same cleanup.
      }
    }
  }

  private int measure(String url, TpchScale scale, Path dir) throws Exception {
    long t0 = System.nanoTime();
    Map<String, Long> rows = new TpchGenerator(scale, seed).createAndLoad(url);
    long sourceRows = rows.values().stream().mapToLong(Long::longValue).sum();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // The MIN/MAX writers look up a priority's current extreme order.
      s.execute("CREATE INDEX bench_orders_priority_price ON orders (o_orderpriority, o_totalprice)");
      s.execute("ANALYZE orders");
    }
    say("generated TPC-H SF %s (%s) in %.1f s", sf, rows, secs(t0));
    Path defsDir = writeDefinitions(dir.resolve("definitions"));
    try (Connection c = DriverManager.getConnection(url)) {
      for (StreamTableDefinition d : definitions.values()) {
        plans.put(d.name(), new StreamTableCompiler().compile(d, c));
      }
    }
    TpchWriters writerSet = new TpchWriters(url, scale, seed, writers);
    try (Connection c = DriverManager.getConnection(url)) {
      // Initial load: from the launch of `trickle run` until every stream table reflects the
      // database as it was at the launch (what `trickle wait` waits for), then the oracle.
      long launch = System.nanoTime();
      trickle = TrickleProcess.launch(home, url, defsDir, dir.resolve("trickle-state"), dir.resolve("trickle.log"),
          trickleArgs);
      say("launched ./trickle run (pid %d, log %s)", trickle.pid(), dir.resolve("trickle.log"));
      Map<String, Double> load = awaitTables(c, launch, "initial load");
      double loadSecs = max(load);
      figure("load.seconds", loadSecs, "s");
      figure("load.source_rows", sourceRows, "rows");
      figure("load.rows_per_s", sourceRows / loadSecs, "rows/s");
      perTable("load.seconds", load);
      figure("memory.rss_after_load_mb", trickle.statusKb("VmRSS") / 1024.0, "MB");
      oracle(c, "load");

      if (phases.contains("cycle")) {
        // One change cycle of the TPC-H acceptance (TpchMutations: six transactions touching
        // every table, group keys and join keys included), as TpchIT runs it.
        long start = System.nanoTime();
        TpchMutations.Cycle cycle;
        try (Connection w = DriverManager.getConnection(url)) {
          cycle = new TpchMutations(scale, seed).run(w);
        }
        double written = secs(start);
        Map<String, Double> done = awaitTables(c, start, "cycle");
        say("%s, written in %.1f s", cycle.describe(), written);
        long changes = cycle.insertedOrders() + cycle.insertedLines() + cycle.deletedOrders() + cycle.deletedLines()
            + cycle.updatedRows();
        figure("cycle.row_changes", changes, "rows");
        figure("cycle.seconds", max(done), "s");
        figure("cycle.lag_after_last_commit_s", max(done) - written, "s");
        perTable("cycle.seconds", done);
        oracle(c, "cycle");
      }

      if (phases.contains("catchup")) {
        TpchWriters.Result w = writerSet.run(transactions, 0, () -> false);
        Map<String, Double> done = awaitTables(c, w.firstCommit(), "catch-up");
        double total = max(done);
        describe("catch-up", w);
        figure("catchup.transactions", w.transactions(), "tx");
        figure("catchup.row_changes", w.rowChanges(), "rows");
        figure("catchup.write_seconds", w.writeSeconds(), "s");
        figure("catchup.write_tx_per_s", w.transactions() / w.writeSeconds(), "tx/s");
        figure("catchup.seconds", total, "s");
        figure("catchup.lag_after_last_commit_s", total - w.writeSeconds(), "s");
        figure("catchup.changes_per_s", w.rowChanges() / total, "rows/s");
        perTable("catchup.lag_after_last_commit_s", shift(done, -w.writeSeconds()));
        oracle(c, "catchup");
      }

      if (phases.contains("drain")) {
        trickle.pause();
        TpchWriters.Result w;
        try {
          w = writerSet.run(transactions, 0, () -> false);
        } finally {
          trickle.resume();
        }
        long resumed = System.nanoTime();
        Map<String, Double> done = awaitTables(c, resumed, "drain");
        double total = max(done);
        describe("drain (written while trickle was stopped)", w);
        figure("drain.transactions", w.transactions(), "tx");
        figure("drain.row_changes", w.rowChanges(), "rows");
        figure("drain.seconds", total, "s");
        figure("drain.changes_per_s", w.rowChanges() / total, "rows/s");
        perTable("drain.seconds", done);
        oracle(c, "drain");
      }

      if (phases.contains("freshness")) {
        freshness(c, url, writerSet);
        oracle(c, "freshness");
      }
      figure("memory.rss_peak_mb", trickle.statusKb("VmHWM") / 1024.0, "MB");
      figure("memory.rss_end_mb", trickle.statusKb("VmRSS") / 1024.0, "MB");
      trickle.close();
      if (phases.contains("refresh")) {
        refresh(c);
      }
    }
    figure("oracle.tables_differing", oracleFailures, "tables");
    say(oracleFailures == 0 ? "every stream table equalled its query after every phase"
        : "FAILED: %d stream table check(s) differed from the query (lines starting 'oracle')", oracleFailures);
    return oracleFailures == 0 ? 0 : 1;
  }

  /** Writes the set's definition files; records the definitions and the canary probes. */
  private Path writeDefinitions(Path out) throws IOException {
    Files.createDirectories(out);
    Map<String, TpchQuery> tpch = new LinkedHashMap<>();
    for (TpchQuery q : TpchQuery.load(home.resolve("tpch/queries"))) {
      tpch.put(q.id(), q);
    }
    Map<String, String> texts = new LinkedHashMap<>();
    java.util.function.IntFunction<Object[]> q1Group =
        i -> new Object[] {String.valueOf(flag(i)), String.valueOf(status(i))};
    if (set.equals("tpch22")) {
      for (TpchQuery q : tpch.values()) {
        texts.put(q.id() + ".sql", q.text());
      }
      probes.add(new Probe("tpch_q01", "l_returnflag = ? AND l_linestatus = ?", q1Group));
      probes.add(new Probe("tpch_q04", "o_orderpriority = ?", i -> new Object[] {priority(i)}));
    } else {
      texts.put("q01.sql", tpch.get("q01").text());
      texts.put("segment_revenue.sql", """
          -- Revenue per market segment over customer ⋈ orders ⋈ lineitem.
          CREATE STREAM TABLE bench_segment_revenue AS
          SELECT c_mktsegment, sum(l_extendedprice * (1 - l_discount)) AS revenue, count(*) AS line_count
          FROM customer, orders, lineitem
          WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey
          GROUP BY c_mktsegment;
          """);
      texts.put("top10_orders.sql", """
          -- The ten orders of highest revenue over the same join.
          CREATE STREAM TABLE bench_top10_orders AS
          SELECT o_orderkey, c_mktsegment, sum(l_extendedprice * (1 - l_discount)) AS revenue
          FROM customer, orders, lineitem
          WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey
          GROUP BY o_orderkey, c_mktsegment
          ORDER BY revenue DESC, o_orderkey
          LIMIT 10;
          """);
      texts.put("priority_minmax.sql", """
          -- MIN/MAX per order priority.
          CREATE STREAM TABLE bench_priority_minmax AS
          SELECT o_orderpriority, min(o_totalprice) AS min_price, max(o_totalprice) AS max_price,
              count(*) AS order_count
          FROM orders
          GROUP BY o_orderpriority;
          """);
      probes.add(new Probe("tpch_q01", "l_returnflag = ? AND l_linestatus = ?", q1Group));
      probes.add(new Probe("bench_segment_revenue", "c_mktsegment = ?", i -> new Object[] {segment(i)}));
      // Each canary's revenue is above every earlier one's, so the latest reflected canary is always
      // in the top 10; stream tables reflect source commits in order, so a later canary in the
      // table means this one's commit is reflected too (it may already be outranked).
      probes.add(new Probe("bench_top10_orders", "o_orderkey BETWEEN ? AND ?",
          i -> new Object[] {CANARY_ORDER + i, CANARY_ORDER + 1_000_000L}));
      probes.add(new Probe("bench_priority_minmax", "o_orderpriority = ?", i -> new Object[] {priority(i)}));
    }
    for (Map.Entry<String, String> e : texts.entrySet()) {
      Files.writeString(out.resolve(e.getKey()), e.getValue());
      StreamTableDefinition d = DefinitionParser.parse(e.getValue());
      definitions.put(d.name(), d);
    }
    return out;
  }

  /**
   * Blocks until every stream table of the set reflects the WAL position current at the call,
   * as {@code trickle wait} ({@link Freshness#await}) does, and records when each got there.
   *
   * @param from the start of the measured interval ({@link System#nanoTime()})
   * @return stream table → seconds from {@code from} until it reflected that position
   */
  private Map<String, Double> awaitTables(Connection c, long from, String what) throws Exception {
    String target;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      target = rs.getString(1);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean heartbeat = false;
    Map<String, Double> done = new TreeMap<>();
    while (true) {
      long now = System.nanoTime();
      trickle.requireAlive();
      if (exists(c, TrickleSchema.STREAM_TABLES)) {
        if (!heartbeat && exists(c, TrickleSchema.HEARTBEAT)) {
          // A change beyond the target, so an idle database need not wait for a scheduled heartbeat.
          try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + TrickleSchema.HEARTBEAT + " SET ts = now() WHERE id = 1");
          }
          heartbeat = true;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name, status, error,"
            + " coalesce(reflected_lsn >= CAST(? AS pg_lsn), false),"
            + " CASE WHEN status = 'running' THEN to_regclass(target_table) IS NOT NULL END"
            + " FROM " + TrickleSchema.STREAM_TABLES)) {
          ps.setString(1, target);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String name = rs.getString(1);
              if ("error".equals(rs.getString(2))) {
                throw new IllegalStateException(what + ": stream table " + name + " is in error: " + rs.getString(3));
              }
              if ("running".equals(rs.getString(2)) && rs.getBoolean(5) && rs.getBoolean(4)
                  && definitions.containsKey(name) && !done.containsKey(name)) {
                done.put(name, (now - from) / 1e9);
              }
            }
          }
        }
      }
      if (done.size() == definitions.size()) {
        return done;
      }
      if (System.nanoTime() > deadline) {
        List<String> missing = definitions.keySet().stream().filter(n -> !done.containsKey(n)).toList();
        throw new IllegalStateException(what + ": timed out after " + timeout + " waiting for WAL position "
            + target + "; still waiting for " + missing);
      }
      Thread.sleep(20);
    }
  }

  /** Each stream table against its query (DESIGN §10); a difference is reported and counted. */
  private void oracle(Connection c, String phase) throws SQLException {
    Map<String, String> targets = new TreeMap<>();
    for (Freshness.Row r : Freshness.read(c, false)) {
      targets.put(r.name(), r.target());
    }
    long t = System.nanoTime();
    int failed = 0;
    for (StreamTableDefinition d : definitions.values()) {
      Oracle.Result r = Oracle.check(c, d.name(), targets.get(d.name()), d.selectSql(), plans.get(d.name()).columns());
      if (!r.ok()) {
        failed++;
        say("oracle after %s: %s", phase, r.summary());
      }
    }
    oracleFailures += failed;
    say("oracle after %s: %d of %d stream tables equal their query (checked in %.1f s)", phase,
        definitions.size() - failed, definitions.size(), secs(t));
  }

  /**
   * Background writers at {@code rate} transactions/s; meanwhile a canary transaction every
   * {@code canaryIntervalMs}, each creating a new group in every probed stream table. A poller
   * (about every 2 ms) looks for each outstanding canary's group in each probed target table; the
   * lag is the time from the canary's {@code commit()} returning until the poll sees it. Canaries
   * are sent on schedule whether or not earlier ones are visible yet, so a pipeline that falls
   * behind shows a growing lag instead of slowing the canaries down. After the last canary the
   * background writers stop and the harness waits for the outstanding canaries. Each canary is
   * deleted once it and every earlier one have been seen everywhere.
   */
  private void freshness(Connection status, String url, TpchWriters writerSet) throws Exception {
    Map<String, String> targets = new TreeMap<>();
    for (Freshness.Row r : Freshness.read(status, false)) {
      targets.put(r.name(), r.target());
    }
    AtomicBoolean stop = new AtomicBoolean();
    TpchWriters.Result[] background = new TpchWriters.Result[1];
    Exception[] failure = new Exception[2];
    Thread load = new Thread(() -> {
      try {
        background[0] = writerSet.run(-1, rate, stop::get);
      } catch (Exception e) {
        failure[0] = e;
      }
    }, "tpch-background");
    java.util.concurrent.atomic.AtomicLongArray committed = new java.util.concurrent.atomic.AtomicLongArray(canaries);
    double[][] lags = new double[probes.size()][canaries];
    for (double[] l : lags) {
      java.util.Arrays.fill(l, -1);
    }
    Thread poller = new Thread(() -> {
      try (Connection pc = DriverManager.getConnection(url)) {
        int deleted = 0; // canaries [0, deleted) are seen everywhere and deleted
        while (deleted < canaries) {
          for (int i = deleted; i < canaries && committed.get(i) != 0; i++) {
            for (int p = 0; p < probes.size(); p++) {
              if (lags[p][i] < 0 && visible(pc, targets.get(probes.get(p).streamTable()), probes.get(p), i)) {
                lags[p][i] = (System.nanoTime() - committed.get(i)) / 1e6;
              }
            }
          }
          while (deleted < canaries && committed.get(deleted) != 0 && seenEverywhere(lags, deleted)) {
            deleteCanary(pc, deleted++);
          }
          if (!trickle.alive() || failure[0] != null) {
            return;
          }
          Thread.sleep(2);
        }
      } catch (Exception e) {
        failure[1] = e;
      }
    }, "tpch-canary-poller");
    load.start();
    poller.start();
    long deadline;
    try (Connection w = DriverManager.getConnection(url)) {
      w.setAutoCommit(false);
      Thread.sleep(2_000); // let the background load settle
      long start = System.nanoTime();
      for (int i = 0; i < canaries && failure[0] == null && failure[1] == null; i++) {
        long at = start + i * canaryIntervalMs * 1_000_000L;
        long now = System.nanoTime();
        if (at > now) {
          Thread.sleep((at - now) / 1_000_000);
        }
        insertCanary(w, i);
        committed.set(i, System.nanoTime());
        trickle.requireAlive();
      }
    } finally {
      stop.set(true);
      load.join();
      deadline = System.nanoTime() + timeout.toNanos();
      while (poller.isAlive() && System.nanoTime() < deadline && trickle.alive()) {
        poller.join(1_000);
      }
    }
    trickle.requireAlive();
    for (Exception e : failure) {
      if (e != null) {
        throw e;
      }
    }
    if (poller.isAlive()) {
      poller.interrupt();
      throw new IllegalStateException("freshness: canaries still not visible after " + timeout);
    }
    TpchWriters.Result b = background[0];
    double secs = b.writeSeconds();
    figure("freshness.background_tx_per_s", b.transactions() / secs, "tx/s");
    figure("freshness.background_changes_per_s", b.rowChanges() / secs, "rows/s");
    figure("freshness.canaries", canaries, "tx");
    for (int p = 0; p < probes.size(); p++) {
      Percentiles pc = new Percentiles(lags[p]);
      figure("freshness.p50_ms." + probes.get(p).streamTable(), pc.at(50), "ms");
      figure("freshness.p99_ms." + probes.get(p).streamTable(), pc.at(99), "ms");
    }
    // The last canary deletions: let trickle reflect them before the oracle.
    awaitTables(status, System.nanoTime(), "freshness");
  }

  private static boolean seenEverywhere(double[][] lags, int canary) {
    for (double[] l : lags) {
      if (l[canary] < 0) {
        return false;
      }
    }
    return true;
  }

  /** One transaction: a customer of a new segment, its order of a new priority, one line of a new Q1 group. */
  private void insertCanary(Connection w, int i) throws SQLException {
    LocalDate orderDate = LocalDate.of(1993, 8, 1);
    try (PreparedStatement cu = w.prepareStatement("INSERT INTO customer VALUES (?, ?, 'canary', 0, '10-100-100-1000',"
        + " 0, ?, 'canary')");
        PreparedStatement o = w.prepareStatement("INSERT INTO orders VALUES (?, ?, 'F', ?, ?, ?, 'Clerk#000000001',"
            + " 0, 'canary')");
        PreparedStatement l = w.prepareStatement("INSERT INTO lineitem VALUES (?, 1, ?, 1, 1, ?, 0, 0, ?, ?, ?, ?, ?,"
            + " 'NONE', 'AIR', 'canary')")) {
      cu.setInt(1, CANARY_CUSTOMER + i);
      cu.setString(2, "Customer#canary" + i);
      cu.setString(3, segment(i));
      cu.executeUpdate();
      BigDecimal price = BigDecimal.valueOf(9_000_000L + i); // above every earlier canary
      o.setLong(1, CANARY_ORDER + i);
      o.setInt(2, CANARY_CUSTOMER + i);
      o.setBigDecimal(3, price);
      o.setObject(4, orderDate);
      o.setString(5, priority(i));
      o.executeUpdate();
      l.setLong(1, CANARY_ORDER + i);
      l.setInt(2, TpchDomain.suppliersOf(1, TpchScale.of(sf).suppliers())[0]);
      l.setBigDecimal(3, price);
      l.setString(4, String.valueOf(flag(i)));
      l.setString(5, String.valueOf(status(i)));
      l.setObject(6, orderDate.plusDays(9));   // shipped: within Q1's date filter
      l.setObject(7, orderDate.plusDays(4));   // committed before received: counted by Q4
      l.setObject(8, orderDate.plusDays(19));
      l.executeUpdate();
    }
    w.commit();
  }

  private static void deleteCanary(Connection w, int i) throws SQLException {
    try (Statement s = w.createStatement()) { // autocommit: one transaction per statement is fine here
      s.executeUpdate("DELETE FROM orders WHERE o_orderkey = " + (CANARY_ORDER + i));
      s.executeUpdate("DELETE FROM lineitem WHERE l_orderkey = " + (CANARY_ORDER + i));
      s.executeUpdate("DELETE FROM customer WHERE c_custkey = " + (CANARY_CUSTOMER + i));
    }
  }

  private static boolean visible(Connection c, String target, Probe p, int i) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + target + " WHERE " + p.where())) {
      Object[] params = p.params().apply(i);
      for (int k = 0; k < params.length; k++) {
        ps.setObject(k + 1, params[k]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static char flag(int i) {
    return CANARY_CHARS.charAt(i % CANARY_CHARS.length());
  }

  private static char status(int i) {
    return CANARY_CHARS.charAt(i / CANARY_CHARS.length());
  }

  private static String segment(int i) {
    return String.format("CNRY%06d", i);
  }

  private static String priority(int i) {
    return "CANARY-" + i;
  }

  /** REFRESH MATERIALIZED VIEW of each query (median of --refreshes), with trickle stopped. */
  private void refresh(Connection c) throws SQLException {
    double total = 0;
    for (StreamTableDefinition d : definitions.values()) {
      String select = d.selectSql().strip();
      if (select.endsWith(";")) {
        select = select.substring(0, select.length() - 1);
      }
      String mv = "bench_mv_" + d.name();
      try (Statement s = c.createStatement()) {
        s.execute("DROP MATERIALIZED VIEW IF EXISTS " + mv);
        s.execute("CREATE MATERIALIZED VIEW " + mv + " AS " + select + " WITH NO DATA");
        double[] ms = new double[Math.max(1, refreshes)];
        for (int k = 0; k < ms.length; k++) {
          long t = System.nanoTime();
          s.execute("REFRESH MATERIALIZED VIEW " + mv);
          ms[k] = (System.nanoTime() - t) / 1e6;
        }
        s.execute("DROP MATERIALIZED VIEW " + mv);
        double median = new Percentiles(ms).at(50);
        total += median;
        figure("refresh_mv_ms." + d.name(), median, "ms");
      }
    }
    figure("refresh_mv_ms.all", total, "ms");
  }

  private void describe(String phase, TpchWriters.Result w) {
    say("%s: %d transactions (%s), %d source row changes, written in %.1f s", phase, w.transactions(),
        w.kinds(), w.rowChanges(), w.writeSeconds());
  }

  private static void perTable(String name, Map<String, Double> byTable) {
    for (Map.Entry<String, Double> e : byTable.entrySet()) {
      figure(name + "." + e.getKey(), e.getValue(), "s");
    }
  }

  private static Map<String, Double> shift(Map<String, Double> m, double by) {
    Map<String, Double> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v + by));
    return out;
  }

  private static double max(Map<String, Double> m) {
    return m.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
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

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      say("cleanup: could not remove %s: %s", dir, e.getMessage());
    }
  }

  /** One figure per line, for grep: {@code figure <name> <value> <unit>}. */
  static void figure(String name, double value, String unit) {
    String v = value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format("%d", (long) value)
        : String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
    System.out.printf("figure %s %s %s%n", name, v, unit);
    System.out.flush();
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void say(String fmt, Object... args) {
    System.out.printf("[tpch-e2e] " + fmt + "%n", args);
    System.out.flush();
  }
}
