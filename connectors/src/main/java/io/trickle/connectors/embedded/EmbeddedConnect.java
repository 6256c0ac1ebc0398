package io.trickle.connectors.embedded;

import io.trickle.connectors.rest.ConnectRestClient;
import io.trickle.connectors.secrets.SecretReferences;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A distributed-mode Kafka Connect worker running inside this JVM, with its REST API on
 * {@code http://127.0.0.1:<free port>}.
 *
 * <p>Plugins are found with {@code plugin.discovery=service_load}: only classes listed in a
 * {@code META-INF/services/<plugin interface>} file on the classpath are seen (Debezium's
 * PostgreSQL connector and JDBC sink, Kafka's converters and transforms, and trickle's own sink
 * through {@code connectors/src/main/resources/META-INF/services/org.apache.kafka.connect.sink.SinkConnector}).
 * This skips the reflective classpath scan, which costs about five seconds.
 *
 * <p>The worker declares the {@code file} and {@code env} config providers
 * ({@link SecretReferences#workerConfig}), so connector configs refer to passwords instead of
 * holding them.
 *
 * <p>Connect's state (connector configs, source offsets, statuses) lives in Kafka topics named
 * after {@code groupId}, so a worker restarted against the same broker resumes its connectors.
 * The directory holds nothing but {@code secrets/}, the only place its file config provider reads.
 */
public final class EmbeddedConnect implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnect.class);
  public static final String DEFAULT_GROUP_ID = "trickle-connect";

  private final Connect<DistributedHerder> connect;
  private final String restUrl;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedConnect(Connect<DistributedHerder> connect, String restUrl) {
    this.connect = connect;
    this.restUrl = restUrl;
  }

  /** Starts a worker of group {@value #DEFAULT_GROUP_ID} against {@code bootstrapServers}. */
  public static EmbeddedConnect start(String bootstrapServers, Path dir) {
    return start(bootstrapServers, dir, Map.of());
  }

  /** Starts a worker; {@code overrides} replace or add worker settings. */
  public static EmbeddedConnect start(String bootstrapServers, Path dir, Map<String, String> overrides) {
    return start(bootstrapServers, dir, 0, overrides);
  }

  /**
   * Starts a worker with its REST API on {@code port} (0: a free one), so a restarted worker can
   * keep the address its clients were given.
   */
  public static EmbeddedConnect start(String bootstrapServers, Path dir, int port, Map<String, String> overrides) {
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    if (port == 0) {
      port = FreePorts.pick();
    }
    Map<String, String> props = workerConfig(bootstrapServers, port, secretsDir(dir));
    props.putAll(overrides);
    // startConnect() installs Connect's plugin class loader as this thread's context loader; the
    // herder's threads inherit it from here, the caller's thread gets its own loader back.
    ClassLoader callerLoader = Thread.currentThread().getContextClassLoader();
    Connect<DistributedHerder> connect;
    try {
      connect = new ConnectDistributed().startConnect(props);
    } finally {
      Thread.currentThread().setContextClassLoader(callerLoader);
    }
    String url = "http://127.0.0.1:" + port;
    EmbeddedConnect worker = new EmbeddedConnect(connect, url);
    worker.awaitHealthy(Duration.ofSeconds(60));
    LOG.info("embedded Connect at {} started in {} ms", url, (System.nanoTime() - t0) / 1_000_000);
    return worker;
  }

  /**
   * The default directory the worker's {@code file} config provider may read:
   * {@code <dir>/secrets}. Override {@code config.providers.file.param.allowed.paths} to move it.
   */
  public static Path secretsDir(Path dir) {
    return dir.toAbsolutePath().resolve("secrets");
  }

  private static Map<String, String> workerConfig(String bootstrapServers, int port, Path secretsDir) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bootstrap.servers", bootstrapServers);
    m.put("group.id", DEFAULT_GROUP_ID);
    m.put("listeners", "http://127.0.0.1:" + port);
    m.put("rest.advertised.host.name", "127.0.0.1");
    m.put("rest.advertised.port", String.valueOf(port));
    // Plugins come from META-INF/services only: the reflective scan of the classpath takes seconds.
    m.put("plugin.discovery", "service_load");
    // Internal topics with one replica (single broker) and few partitions (faster to create).
    m.put("config.storage.topic", DEFAULT_GROUP_ID + "-configs");
    m.put("offset.storage.topic", DEFAULT_GROUP_ID + "-offsets");
    m.put("status.storage.topic", DEFAULT_GROUP_ID + "-status");
    m.put("config.storage.replication.factor", "1");
    m.put("offset.storage.replication.factor", "1");
    m.put("status.storage.replication.factor", "1");
    m.put("offset.storage.partitions", "1");
    m.put("status.storage.partitions", "1");
    // Worker-wide defaults; connectors set their own converters.
    m.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    m.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    m.put("key.converter.schemas.enable", "false");
    m.put("value.converter.schemas.enable", "false");
    // Debezium confirms the replication slot's LSN only when Connect commits offsets: commit often
    // so PostgreSQL can recycle WAL and a restart replays little.
    m.put("offset.flush.interval.ms", "1000");
    // Connectors may tune their own producer/consumer (e.g. producer.override.linger.ms).
    m.put("connector.client.config.override.policy", "All");
    // A restarted single worker gets its tasks back at once instead of after up to five minutes.
    m.put("scheduled.rebalance.max.delay.ms", "0");
    // Connector configs hold ${file:...} / ${env:...} references to passwords, never passwords:
    // Connect stores configs in a topic and serves them over REST, and resolves references only
    // when it starts a connector or task.
    m.putAll(SecretReferences.workerConfig(secretsDir));
    return m;
  }

  private void awaitHealthy(Duration timeout) {
    ConnectRestClient client = new ConnectRestClient(restUrl);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!client.healthy()) {
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("embedded Connect at " + restUrl + " not healthy after " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while starting Connect", e);
      }
    }
  }

  /** The REST address, {@code http://127.0.0.1:port}. */
  public String restUrl() {
    return restUrl;
  }

  public int restPort() {
    return Integer.parseInt(restUrl.substring(restUrl.lastIndexOf(':') + 1));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        connect.stop();
      } catch (RuntimeException e) {
        LOG.warn("embedded Connect did not stop cleanly", e);
      }
    }
  }
}
