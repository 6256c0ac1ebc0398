package io.trickle.connectors.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one process) running inside this
 * JVM, for {@code trickle demo}, {@code trickle run} without {@code --kafka}, and integration tests.
 *
 * <p>Every replicated internal topic is configured for one replica, so consumer groups,
 * transactions (Kafka Streams {@code exactly_once_v2}) and Connect's internal topics work.
 * The log directory is formatted on first start and reused afterwards; ports are new on every start
 * unless given, so a test can stop a broker and start it again where its clients expect it.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;
  private final int brokerPort;
  private final int controllerPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, Path logDir, int brokerPort, int controllerPort) {
    this.server = server;
    this.bootstrapServers = "127.0.0.1:" + brokerPort;
    this.logDir = logDir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker keeping its data under {@code dir} (created if missing). */
  public static EmbeddedKafka start(Path dir) {
    return start(dir, Map.of());
  }

  /**
   * Starts a broker keeping its data under {@code dir}; {@code overrides} replace or add broker
   * settings (for tests that need, say, a shorter segment size).
   */
  public static EmbeddedKafka start(Path dir, Map<String, String> overrides) {
    return start(dir, 0, 0, overrides);
  }

  /**
   * Starts a broker on the given ports (0: a free one). Restarting on the ports and directory of
   * a stopped broker brings back the same cluster at the same address.
   */
  public static EmbeddedKafka start(Path dir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    long t0 = System.nanoTime();
    Path logDir = dir.toAbsolutePath().resolve("log");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + logDir, e);
    }
    if (brokerPort == 0) {
      brokerPort = FreePorts.pick();
    }
    if (controllerPort == 0) {
      controllerPort = FreePorts.pick();
    }
    Map<String, String> props = brokerConfig(logDir, brokerPort, controllerPort);
    props.putAll(overrides);
    Properties p = new Properties();
    p.putAll(props);
    KafkaConfig config = KafkaConfig.fromProps(p, false);
    format(logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw new IllegalStateException("embedded Kafka did not start in " + logDir, e);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(server, logDir, brokerPort, controllerPort);
    kafka.awaitReady();
    LOG.info("embedded Kafka at {} started in {} ms", kafka.bootstrapServers, (System.nanoTime() - t0) / 1_000_000);
    return kafka;
  }

  private static Map<String, String> brokerConfig(Path logDir, int brokerPort, int controllerPort) {
    Map<String, String> m = new LinkedHashMap<>();
    // One process is both the only broker and the only controller voter (static quorum).
    m.put("process.roles", "broker,controller");
    m.put("node.id", String.valueOf(NODE_ID));
    m.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    m.put("controller.listener.names", CONTROLLER_LISTENER);
    m.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    m.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    m.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    m.put("inter.broker.listener.name", "PLAINTEXT");
    m.put("log.dirs", logDir.toString());
    // A single replica everywhere: there is only one broker.
    m.put("default.replication.factor", "1");
    m.put("min.insync.replicas", "1");
    m.put("offsets.topic.replication.factor", "1");
    m.put("transaction.state.log.replication.factor", "1");
    m.put("transaction.state.log.min.isr", "1");
    m.put("share.coordinator.state.topic.replication.factor", "1");
    m.put("share.coordinator.state.topic.min.isr", "1");
    // Few partitions for internal topics: creating 50 of each on first use costs seconds.
    m.put("offsets.topic.num.partitions", "5");
    m.put("transaction.state.log.num.partitions", "5");
    m.put("share.coordinator.state.topic.num.partitions", "1");
    m.put("num.partitions", "1");
    // No delay before the first rebalance: Kafka Streams and Connect join groups of one member.
    m.put("group.initial.rebalance.delay.ms", "0");
    // The cleaner's default 128 MiB dedupe buffer is wasteful for a local broker.
    m.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    m.put("log.cleaner.threads", "1");
    m.put("num.network.threads", "2");
    m.put("num.io.threads", "4");
    // Small segments keep the footprint of a long-running demo small and let compaction act.
    m.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    m.put("auto.create.topics.enable", "true");
    return m;
  }

  /** Formats the log directory for KRaft once; a formatted directory is left as it is. */
  private static void format(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(logDir.toString())
          .addDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          // Transactions v2 (KIP-890) makes this broker reject, and log at ERROR, appends of the
          // exactly-once producers after each commit (OutOfOrderSequence "no existing state"),
          // which the producers then retry; v1 has no such churn.
          .setFeatureLevel("transaction.version", (short) 1)
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka log directory " + logDir, e);
    }
  }

  /** Waits until the broker answers metadata requests, so callers can use it at once. */
  private void awaitReady() {
    Map<String, Object> cfg = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(cfg)) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("embedded Kafka at " + bootstrapServers + " is not answering", e);
    }
  }

  /** The broker's address, {@code 127.0.0.1:port}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path logDir() {
    return logDir;
  }

  public int brokerPort() {
    return brokerPort;
  }

  public int controllerPort() {
    return controllerPort;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      shutdownQuietly(server);
    }
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("embedded Kafka did not shut down cleanly", e);
    }
  }
}
