package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.Stack;
import io.trickle.cli.tpch.TpchAcceptance;
import io.trickle.cli.tpch.TpchGenerator;
import io.trickle.cli.tpch.TpchMutations;
import io.trickle.cli.tpch.TpchQuery;
import io.trickle.cli.tpch.TpchScale;
import io.trickle.compiler.CompileException;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPC-H on the real stack (PostgreSQL 18, KRaft broker, Connect with Debezium and the trickle
 * sink, one Kafka Streams application per stream table). Data from {@link TpchGenerator} at a
 * small scale factor; the 22 queries of {@code tpch/queries}, as the specification writes them,
 * are deployed through {@link Deployment}. Each either compiles, is maintained, and equals
 * PostgreSQL's result ({@link Oracle}: multiset equality, ties at ORDER BY ... LIMIT tolerated,
 * no multiplicity of zero or less) after the initial load and after every mutation cycle, or is
 * rejected at compile time with a plain message and listed in
 * {@link TpchAcceptance#KNOWN_UNSUPPORTED}.
 *
 * <p>{@code -Dtrickle.tpch.sf=0.1 -Dtrickle.tpch.cycles=N} runs the large configuration (not
 * part of CI). Every run logs the initial load time, per-cycle change and catch-up times and the
 * time PostgreSQL takes to {@code REFRESH MATERIALIZED VIEW} the same queries.
 * {@code -Dtrickle.tpch.only=q09,q18} deploys only those queries (the acceptance test then
 * reports the others as missing).
 */
class TpchIT {
  private static final Logger LOG = LogManager.getLogger(TpchIT.class);

  static final double SF = Double.parseDouble(System.getProperty("trickle.tpch.sf", "0.002"));
  static final int CYCLES = Integer.getInteger("trickle.tpch.cycles", 3);
  static final long SEED = Long.getLong("trickle.tpch.seed", 20240601L);
  static final Duration CATCH_UP = Duration.ofSeconds(SF >= 0.05 ? 3600 : 240);

  /** A rejection names a construct in words: no Java class names, no stack trace. */
  private static final Pattern JAVA_LEAK =
      Pattern.compile("(Exception|\\bjava\\.|\\borg\\.apache|\\bio\\.trickle\\.|\\n\\s*at )");

  @TempDir
  static Path dir;

  static EmbeddedPostgresServer pgServer;
  static PgUrl pg;
  static Stack stack;
  static Deployment deployment;
  static TpchScale scale;
  static final List<TpchQuery> queries = new ArrayList<>();
  /** Query id → first rejection (as written) and the next one once ORDER BY/LIMIT is cut. */
  static final Map<String, String> probeAsWritten = new TreeMap<>();
  static final Map<String, String> probeUnordered = new TreeMap<>();
  /** Stream table name → the query id it came from. */
  static final Map<String, String> deployedIds = new LinkedHashMap<>();
  static final Map<String, String> timings = new LinkedHashMap<>();
  static long loadMillis;
  static long deployStartNanos;

  @BeforeAll
  static void start(TestInfo info) throws Exception {
    Configurator.setLevel(TpchIT.class.getName(), Level.INFO);
    // TpchPartitionedIT runs this class's test again with P > 1 over a few queries.
    boolean partitionedRun = info.getTestClass().orElseThrow() != TpchIT.class;
    int partitions = Integer.getInteger("trickle.tpch.partitions",
        partitionedRun ? TpchPartitionedIT.PARTITIONS : 1);
    Stream.of(queries, probeAsWritten.keySet(), probeUnordered.keySet(), deployedIds.keySet(),
        timings.keySet()).forEach(java.util.Collection::clear);
    scale = TpchScale.of(SF);
    queries.addAll(TpchQuery.load(TpchAcceptance.TPCH_DIR.resolve("queries")));
    String only = System.getProperty("trickle.tpch.only", partitionedRun ? TpchPartitionedIT.QUERIES : "");
    if (!only.isBlank()) { // e.g. -Dtrickle.tpch.only=q09,q18 while investigating one query
      List<String> ids = List.of(only.split(","));
      queries.removeIf(q -> !ids.contains(q.id()));
    }
    pgServer = EmbeddedPostgresServer.start(dir.resolve("pg"));
    pg = PgUrl.parse(pgServer.jdbcUrl());
    long t0 = System.nanoTime();
    Map<String, Long> rows = new TpchGenerator(scale, SEED).createAndLoad(pg.jdbcUrl());
    loadMillis = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("TPC-H SF {} generated and loaded by COPY in {} ms: {}", SF, loadMillis, rows);

    long p0 = System.nanoTime();
    List<StreamTableDefinition> defs = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      for (TpchQuery q : queries) {
        String rejected = probe(c, q.text());
        if (rejected != null) {
          probeAsWritten.put(q.id(), rejected);
          String unordered = q.withoutOrderBy();
          probeUnordered.put(q.id(), unordered == null ? rejected : String.valueOf(probe(c, unordered)));
        }
        if (rejected == null || !rejected.startsWith("CRASH ")) {
          StreamTableDefinition def = parseOrNull(q.text());
          if (def != null) {
            defs.add(def);
            deployedIds.put(def.name(), q.id());
          }
        }
      }
    }
    LOG.info("probe-compiled {} queries in {} ms", queries.size(),
        (System.nanoTime() - p0) / 1_000_000);
    stack = Stack.start(null, null, dir.resolve("stack"));
    // -Dtrickle.tpch.partitions=N runs the 22 stream tables split over N tasks per stage (through
    // exchanges); CI keeps 1, since 22 x stages x N tasks on two cores exceed its time budget.
    deployment = new Deployment(new Deployment.Options(pg, stack.bootstrap(), stack.connectUrl(),
        dir.resolve("stack"), true, 300, null, partitions), new PrintStream(new LogLines(), true, StandardCharsets.UTF_8));
    deployStartNanos = System.nanoTime();
    deployment.deploy(defs);
    LOG.info("deployed {} stream tables at P = {} in {} ms", deployment.running(), partitions,
        (System.nanoTime() - deployStartNanos) / 1_000_000);
  }

  /** Deployment's progress lines, as log lines with their time. */
  private static final class LogLines extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        LOG.info("deployment: {}", line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  /** Compiles without deploying: null when it compiles, else the message ("CRASH ..." if not a CompileException). */
  private static String probe(Connection c, String text) {
    try {
      new StreamTableCompiler().compile(DefinitionParser.parse(text), c);
      return null;
    } catch (CompileException | UnsupportedOperationException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return "CRASH " + e;
    }
  }

  private static StreamTableDefinition parseOrNull(String text) {
    try {
      return DefinitionParser.parse(text);
    } catch (CompileException e) {
      return null;
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (deployment != null) {
      deployment.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (pgServer != null) {
      pgServer.close();
    }
  }

  @Test
  void everyQueryIsMaintainedOrRejectedAtCompileTime() throws Exception {
    List<String> problems = new ArrayList<>();
    Map<String, String> failed = deployment.failed();
    for (TpchQuery q : queries) {
      String name = "tpch_" + q.id();
      String asWritten = probeAsWritten.get(q.id());
      if (asWritten != null && asWritten.startsWith("CRASH ")) {
        problems.add(q.id() + " crashed the compiler instead of being rejected: " + asWritten);
      } else if (failed.containsKey(name) && JAVA_LEAK.matcher(failed.get(name)).find()) {
        problems.add(q.id() + " is rejected with an internal message: " + failed.get(name));
      } else if (!deployedIds.containsKey(name)) {
        problems.add(q.id() + " does not parse as a definition: " + asWritten);
      } else if (failed.containsKey(name) && !TpchAcceptance.KNOWN_UNSUPPORTED.contains(q.id())) {
        problems.add(q.id() + " is rejected but not listed in KNOWN_UNSUPPORTED: " + failed.get(name));
      } else if (!failed.containsKey(name) && TpchAcceptance.KNOWN_UNSUPPORTED.contains(q.id())) {
        problems.add(q.id() + " compiles now: remove it from KNOWN_UNSUPPORTED");
      }
    }
    Map<String, Oracle.Result> last = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      try (Statement s = c.createStatement()) {
        for (String name : failed.keySet()) {
          s.execute("DELETE FROM trickle.stream_tables WHERE name = '" + name + "'");
        }
      }
      String wait = Freshness.await(c, CATCH_UP);
      long initial = (System.nanoTime() - deployStartNanos) / 1_000_000;
      assertThat(wait).as("initial load of %d stream tables", maintained().size()).isNull();
      timings.put("initial load (deploy + snapshot + apply)", initial + " ms");
      check(c, "after the initial load", last, problems);
      for (TpchQuery q : queries) {
        long n = countRows(c, q);
        if (n == 0) {
          LOG.info("{} returns no rows at SF {} (PostgreSQL), so its oracle proves little", q.id(), SF);
        }
      }

      TpchMutations mutations = new TpchMutations(scale, SEED);
      for (int i = 1; i <= CYCLES; i++) {
        long m0 = System.nanoTime();
        TpchMutations.Cycle cycle = mutations.run(c);
        long m1 = System.nanoTime();
        wait = Freshness.await(c, CATCH_UP);
        long m2 = System.nanoTime();
        assertThat(wait).as("catch-up after %s", cycle.describe()).isNull();
        timings.put("cycle " + i, String.format("changes %d ms, catch-up %d ms (%s)",
            (m1 - m0) / 1_000_000, (m2 - m1) / 1_000_000, cycle.describe()));
        check(c, "after mutation cycle " + i, last, problems);
      }
      refreshTimes(c);
    }
    logSummary(failed, last);
    assertThat(problems).as("TPC-H problems at SF %s", SF).isEmpty();
  }

  private static List<Deployment.Deployed> maintained() {
    Map<String, String> failed = deployment.failed();
    return deployment.deployed().stream().filter(d -> !failed.containsKey(d.definition().name())).toList();
  }

  private static void check(Connection c, String when, Map<String, Oracle.Result> last, List<String> problems)
      throws SQLException {
    for (Deployment.Deployed d : maintained()) {
      Oracle.Result r = Oracle.check(c, d.definition().name(), d.names().targetTable(),
          d.definition().selectSql(), d.plan().columns());
      Oracle.Result before = last.get(d.definition().name());
      if (before == null || before.ok()) {
        last.put(d.definition().name(), r);
      }
      if (!r.ok()) {
        problems.add(when + ": " + r.summary());
      }
    }
    LOG.info("oracle {}: {} stream tables checked", when, maintained().size());
  }

  private static long countRows(Connection c, TpchQuery q) throws SQLException {
    StreamTableDefinition def = DefinitionParser.parse(q.text());
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + stripSemicolon(def.selectSql()) + ") q")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What PostgreSQL's own answer costs: a full recomputation per refresh. */
  private static void refreshTimes(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (Deployment.Deployed d : maintained()) {
        String mv = "tpch_mv_" + deployedIds.get(d.definition().name());
        s.execute("CREATE MATERIALIZED VIEW " + mv + " AS " + stripSemicolon(d.definition().selectSql()));
        long t0 = System.nanoTime();
        s.execute("REFRESH MATERIALIZED VIEW " + mv);
        timings.put("REFRESH MATERIALIZED VIEW " + mv, (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    }
  }

  private static void logSummary(Map<String, String> failed, Map<String, Oracle.Result> last) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("TPC-H at SF %s, %d mutation cycles%n", SF, CYCLES));
    sb.append(String.format("%-5s %-11s %8s  %s%n", "query", "status", "rows", "reason"));
    for (TpchQuery q : queries) {
      String name = "tpch_" + q.id();
      Oracle.Result r = last.get(name);
      if (failed.containsKey(name) || r == null) {
        String reason = failed.getOrDefault(name, probeAsWritten.getOrDefault(q.id(), "not deployed"));
        String next = probeUnordered.get(q.id());
        if (next != null && !next.equals(reason)) {
          reason += "; without ORDER BY/LIMIT: " + ("null".equals(next) ? "compiles" : next);
        }
        sb.append(String.format("%-5s %-11s %8s  %s%n", q.id(), "rejected", "-", reason));
      } else {
        sb.append(String.format("%-5s %-11s %8d  %s%n", q.id(), r.ok() ? "maintained" : "WRONG", r.tableRows(),
            r.ok() ? "" : r.summary()));
      }
    }
    sb.append(String.format("timings (data generated and loaded by COPY in %d ms):%n", loadMillis));
    timings.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append(System.lineSeparator()));
    LOG.info("\n{}", sb.toString().stripTrailing());
  }

  private static String stripSemicolon(String sql) {
    String s = sql.strip();
    return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
  }
}
