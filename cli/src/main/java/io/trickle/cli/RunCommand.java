package io.trickle.cli;

import io.trickle.cli.runtime.Catalog;
import io.trickle.cli.runtime.ConnectPassword;
import io.trickle.cli.runtime.Definitions;
import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.Stack;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.connectors.ddl.TrickleSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Maintain every stream table defined in a directory until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {
  @Option(names = "--pg", required = true, description = "JDBC URL of the source database; stream tables are created there too.")
  String pg;

  @Mixin
  PgPasswordOption password;

  @Option(names = "--definitions", required = true, description = "Directory of *.sql files, one CREATE STREAM TABLE each.")
  Path definitions;

  @Option(names = "--kafka", description = "Kafka bootstrap servers; default: a broker embedded in this process.")
  String kafka;

  @Option(names = "--connect", description = "Kafka Connect REST URL; default: a worker embedded in this process.")
  String connect;

  @Option(names = "--state-dir", defaultValue = "trickle-state", description = "Local state (default ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--connect-password-ref", paramLabel = "REF",
      description = "How connector configs refer to the password, as a Kafka Connect config provider"
          + " reference the worker resolves, e.g. '$${env:TRICKLE_PG_PASSWORD}' or"
          + " '$${file:/etc/kafka/secrets.properties:pg.password}'. Default: $${env:PGPASSWORD} when the"
          + " embedded worker: a reference to the password held in trickle's memory; an external worker:"
          + " $${env:PGPASSWORD} when the password comes from PGPASSWORD, else this option is required.")
  String connectPasswordRef;

  @Option(names = "--heartbeat", defaultValue = "1000", description = "Debezium heartbeat interval in ms (default ${DEFAULT-VALUE}).")
  int heartbeatMs;

  @Option(names = "--partitions", defaultValue = "1", paramLabel = "P",
      description = "Tasks each stream table is spread over: its keyed operators (joins, aggregates,"
          + " ...) are split by key over P tasks, which Kafka Streams shares among the threads and"
          + " processes running this deployment (default ${DEFAULT-VALUE}: one task per stream table).")
  int partitions;

  @Option(names = "--timezone", description = "TimeZone (a tz database name such as UTC or"
      + " Europe/Paris) that date_trunc, casts to and from timestamptz and the like are evaluated"
      + " in, for definitions without WITH (timezone = ...); default: the TimeZone of trickle's"
      + " database session, which the JDBC driver sets to this JVM's zone.")
  String timeZone;

  /** The advisory lock key (session level) under which a process deploys: "trickle" in ASCII. */
  static final long DEPLOY_LOCK = 0x747269636b6c65L;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C: let the main thread close everything in order, and keep the JVM alive until it has.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "trickle-shutdown"));
    try {
      return runUntil(stop);
    } finally {
      stopped.countDown();
    }
  }

  /** Deploys and maintains the definitions until {@code stop} is counted down. */
  int runUntil(CountDownLatch stop) throws Exception {
    PgUrl url = password.parse(pg);
    Definitions.Loaded loaded = Definitions.load(definitions, System.out);
    List<StreamTableDefinition> defs = loaded.definitions();
    if (defs.isEmpty() && loaded.failures().isEmpty()) {
      System.err.println("error: no stream table definitions (*.sql) found in " + definitions);
      return 1;
    }
    return runUntilStopped(url, loaded, defs, stop);
  }

  private int runUntilStopped(PgUrl pgUrl, Definitions.Loaded loaded, List<StreamTableDefinition> defs,
      CountDownLatch stop) throws Exception {
    try (Stack stack = Stack.start(kafka, connect, stateDir.toAbsolutePath())) {
      PgUrl url = ConnectPassword.resolve(pgUrl, connectPasswordRef, !stack.embeddedConnect(), System.out);
      return maintain(url, stack, loaded, defs, stop);
    }
  }

  private int maintain(PgUrl url, Stack stack, Definitions.Loaded loaded, List<StreamTableDefinition> defs,
      CountDownLatch stop) throws Exception {
    try (Deployment deployment = new Deployment(new Deployment.Options(url, stack.bootstrap(),
            stack.connectUrl(), stateDir.toAbsolutePath(), stack.embeddedKafka(), heartbeatMs, timeZone,
            partitions),
            System.out)) {
      // Several trickle run processes may share a deployment (scale out): they deploy one at a
      // time, so that creating the catalog, target tables and connectors never races.
      try (Connection lock = url.connect()) {
        try (java.sql.Statement s = lock.createStatement()) {
          s.execute("SELECT pg_advisory_lock(" + DEPLOY_LOCK + ")");
        }
        try (Connection c = url.connect()) {
          TrickleSchema.ensure(c);
          Catalog.recordUnreadable(c, loaded.failures()); // wait and status report them too
        }
        if (!defs.isEmpty()) {
          deployment.deploy(defs);
        }
      } // closing the session releases the lock
      System.out.printf("kafka %s, connect %s; %d stream table(s) running, %d failed. Ctrl-C stops.%n",
          stack.bootstrap(), stack.connectUrl(), deployment.running(),
          loaded.failures().size() + deployment.failed().size());
      while (!stop.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
        try (Connection c = url.connect()) {
          for (Freshness.Row r : Freshness.read(c, false)) {
            System.out.println(Freshness.format(r));
          }
        } catch (java.sql.SQLException e) {
          System.out.println("status unavailable: " + e.getMessage());
        }
      }
    }
    return 0;
  }
}
