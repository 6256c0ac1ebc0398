package io.trickle.connectors.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 18 server (zonky's embedded binaries) set up as a Debezium source: logical WAL,
 * replication slots and senders, synchronous commit, and a short WAL writer delay so committed
 * changes reach the replication stream quickly.
 *
 * <p>The data directory ({@code <dir>/data}) is initialised on first start and reused afterwards.
 * Server output goes to {@code <dir>/postgres.log}.
 *
 * <p>Running as root needs nothing special: PostgreSQL refuses to run as root, but zonky 2.2
 * detects root and starts initdb, pg_ctl and postgres under {@code unshare -U} (a new user
 * namespace where the process is not root while its files stay root's), so {@code unshare}
 * from util-linux must be installed.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres pg;
  private final Path dataDir;
  /** A directory this class created and removes on close, or null. */
  private Path temporaryDir;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedPostgresServer(EmbeddedPostgres pg, Path dataDir) {
    this.pg = pg;
    this.dataDir = dataDir;
  }

  /** Starts a throw-away server in a new temporary directory, deleted again by {@link #close()}. */
  public static EmbeddedPostgresServer start() {
    Path tmp;
    try {
      tmp = Files.createTempDirectory("trickle-pg");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    EmbeddedPostgresServer server = start(tmp);
    server.temporaryDir = tmp;
    return server;
  }

  /** Starts a server with its data under {@code dir} (created if missing), on a free port. */
  public static EmbeddedPostgresServer start(Path dir) {
    return start(dir, 0, Map.of());
  }

  /**
   * Starts a server with its data under {@code dir} on {@code port} (0: a free one);
   * {@code serverConfig} adds or replaces {@code postgresql.conf} settings.
   */
  public static EmbeddedPostgresServer start(Path dir, int port, Map<String, String> serverConfig) {
    long t0 = System.nanoTime();
    Path base = dir.toAbsolutePath();
    Path dataDir = base.resolve("data");
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dataDir, e);
    }
    Map<String, String> config = new LinkedHashMap<>();
    // Debezium's pgoutput source needs logical decoding, a slot and a WAL sender per connector.
    config.put("wal_level", "logical");
    config.put("max_wal_senders", "10");
    config.put("max_replication_slots", "10");
    // zonky turns this off for speed; a commit must be durable before trickle reports it applied.
    config.put("synchronous_commit", "on");
    // WAL reaches the walsender sooner, which shortens the commit-to-Kafka latency.
    config.put("wal_writer_delay", "10ms");
    config.put("timezone", "UTC");
    config.putAll(serverConfig);

    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        // Keep the data: the directory is the caller's, and a restart must find its tables.
        .setCleanDataDirectory(false)
        .setOutputRedirector(Redirect.appendTo(base.resolve("postgres.log").toFile()))
        .setErrorRedirector(Redirect.appendTo(base.resolve("postgres.log").toFile()));
    if (port > 0) {
      b.setPort(port);
    }
    config.forEach(b::setServerConfig);
    EmbeddedPostgres pg;
    try {
      pg = b.start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("embedded PostgreSQL did not start in " + dataDir
          + " (see " + base.resolve("postgres.log") + ")", e);
    }
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, dataDir);
    LOG.info("embedded PostgreSQL at {} started in {} ms", server.jdbcUrl(), (System.nanoTime() - t0) / 1_000_000);
    return server;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres} (trust authentication). */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** The JDBC URL of another database on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return pg.getPort();
  }

  /** The superuser, which has no password (trust authentication on localhost). */
  public String user() {
    return "postgres";
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        pg.close();
      } catch (IOException e) {
        LOG.warn("embedded PostgreSQL did not stop cleanly", e);
      }
      if (temporaryDir != null) {
        deleteRecursively(temporaryDir);
      }
    }
  }

  private static void deleteRecursively(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}", root, e);
    }
  }
}
