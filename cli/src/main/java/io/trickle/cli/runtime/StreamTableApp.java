package io.trickle.cli.runtime;

import io.trickle.compiler.plan.Plan;
import io.trickle.topology.Epochs;
import io.trickle.topology.TopologyFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream table's Kafka Streams application. Each stream table runs in its own
 * {@link KafkaStreams} instance, so a failing one is shut down alone and the others go on. It
 * reads the change topics of the captured tables it reads (written by its database's {@link
 * CaptureApp}) and the output topics of the stream tables it reads.
 */
public final class StreamTableApp extends KafkaStreamsApp {
  private static final Logger LOG = LoggerFactory.getLogger(StreamTableApp.class);

  private final String name;
  private final Plan plan;
  private final StreamTableNames names;
  private final Map<String, String> upstreamTopics;
  private final BiConsumer<String, Throwable> failureListener;
  private final TopologyFactory.Settings settings;
  private final String bootstrap;
  private final boolean singleBroker;
  private java.util.concurrent.ScheduledExecutorService purger;

  /** How long one exactly-once transaction may stay open before the broker aborts it. */
  static final int TRANSACTION_TIMEOUT_MS = 120_000;

  public StreamTableApp(StreamTableNames names, Plan plan, String bootstrap, Path stateDir,
      boolean singleBroker, BiConsumer<String, Throwable> onFailure) {
    this(names, plan, Map.of(), bootstrap, stateDir, singleBroker, onFailure);
  }

  /** @param upstreamTopics each stream table the plan reads → that one's output topic */
  public StreamTableApp(StreamTableNames names, Plan plan, Map<String, String> upstreamTopics,
      String bootstrap, Path stateDir, boolean singleBroker, BiConsumer<String, Throwable> onFailure) {
    this(names, plan, upstreamTopics, bootstrap, stateDir, singleBroker, 1, onFailure);
  }

  /**
   * @param partitions P: with P > 1 the stream table runs as P tasks per stage, its keyed
   *     operators fed through exchange topics ({@link TopologyFactory.Settings})
   */
  public StreamTableApp(StreamTableNames names, Plan plan, Map<String, String> upstreamTopics,
      String bootstrap, Path stateDir, boolean singleBroker, int partitions,
      BiConsumer<String, Throwable> onFailure) {
    this.name = plan.streamTable();
    this.bootstrap = bootstrap;
    this.singleBroker = singleBroker;
    // The first stage reads change topics and upstream output topics, all with P partitions.
    this.settings = new TopologyFactory.Settings(partitions, partitions,
        names.exchangeTopicPrefix(), false);
    this.plan = plan;
    this.names = names;
    this.upstreamTopics = Map.copyOf(upstreamTopics);
    this.failureListener = onFailure;
    Properties p = streamsConfig(names.applicationId(), bootstrap, stateDir, singleBroker);
    p.put(io.trickle.topology.Partitioning.CONFIG, String.valueOf(partitions));
    init(p);
  }

  /** Kafka Streams' record cache; only the aligner's buffer uses it (see StateStores). */
  static final long RECORD_CACHE_BYTES = 16L * 1024 * 1024;

  /**
   * The Kafka Streams configuration of every trickle application (a stream table's, a capture
   * stage's): exactly-once, one thread, 100 ms commits.
   */
  static Properties streamsConfig(String applicationId, String bootstrap, Path stateDir,
      boolean singleBroker) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // Which process a member of the group is (operations, and the scale-out test): several
    // trickle run processes share a stream table's tasks.
    p.put(StreamsConfig.CLIENT_ID_CONFIG, applicationId + "-pid" + ProcessHandle.current().pid());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("streams").toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Output becomes visible to read_committed readers at each commit: this bounds freshness.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // The aligners order a task's inputs by epoch; Kafka Streams' own wait for data on every
    // input partition (to process in timestamp order) only adds latency.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    // Kafka Streams adds a gauge to a store's metrics whenever an iterator opens on it with none
    // open, and removes it at close: the JMX reporter then re-registers the store's MBean twice
    // per prefix scan (a join probe, a MIN/MAX lookup), which took a fifth to a half of a stream
    // thread's time. Store-level metrics stay in Kafka Streams' registry, not in JMX.
    p.put(org.apache.kafka.common.metrics.JmxReporter.EXCLUDE_CONFIG,
        "kafka\\.streams:type=stream-state-metrics,.*");
    // The record cache serves only stores built with it (the aligner's buffer,
    // StateStores.persistentCached); every other store has caching disabled.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, RECORD_CACHE_BYTES);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    if (singleBroker) {
      p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    }
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // A crashed instance's tasks move on after 10 s instead of the default 45 s.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
    // One bounded block cache and memtable budget for every store of the process.
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, io.trickle.topology.state.BoundedRocksDb.class);
    // Kafka Streams' 10 s default lets the broker abort a transaction whose records take longer
    // to process (an initial load under CPU starvation, a change joined against a large group);
    // the task is then fenced, restores and retries the same records, and never gets past them.
    // A restarted instance reuses its process id from the state directory, so it fences its own
    // open transaction at once: the longer timeout only delays readers if an instance never
    // comes back.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        TRANSACTION_TIMEOUT_MS);
    // Benchmarks only (docs/benchmarks.md): -Dtrickle.epochs=off measures what epochs cost.
    String epochs = System.getProperty(Epochs.CONFIG);
    if (epochs != null) {
      p.put(Epochs.CONFIG, epochs);
    }
    return p;
  }

  @Override
  protected Topology topology() {
    return TopologyFactory.buildStreamTable(plan, names::changeTopic, upstreamTopics,
        names.outputTopic(), settings).topology();
  }

  @Override
  protected void onFailure(Throwable e) {
    LOG.error("stream table {} failed; shutting down its application only", name, e);
    failureListener.accept(name, e);
  }

  @Override
  public void start() {
    List<String> exchanges = exchangeTopics();
    if (!exchanges.isEmpty()) {
      try (Topics topics = new Topics(bootstrap, singleBroker ? java.util.Optional.of((short) 1)
          : java.util.Optional.empty())) {
        for (String t : exchanges) {
          topics.ensureExchangeTopic(t, settings.partitions());
        }
        topics.awaitVisible(exchanges, Duration.ofSeconds(60));
      }
      purger = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trickle-purge-" + name);
        t.setDaemon(true);
        return t;
      });
      purger.scheduleWithFixedDelay(() -> purge(exchanges), 30, 30, java.util.concurrent.TimeUnit.SECONDS);
    }
    super.start();
  }

  /** The exchange topics between this stream table's stages (none with one partition). */
  public List<String> exchangeTopics() {
    return TopologyFactory.buildStreamTable(plan, names::changeTopic, upstreamTopics, names.outputTopic(),
        settings).exchangeTopics();
  }

  /**
   * Deletes what this application has consumed and committed from its exchange topics, as Kafka
   * Streams does for its own repartition topics: they hold each record only until its reader has
   * committed past it.
   */
  private void purge(List<String> exchanges) {
    Properties p = new Properties();
    p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(names.applicationId()).partitionsToOffsetAndMetadata()
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> delete =
          new java.util.HashMap<>();
      committed.forEach((tp, offset) -> {
        if (offset != null && exchanges.contains(tp.topic())) {
          delete.put(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(offset.offset()));
        }
      });
      if (!delete.isEmpty()) {
        admin.deleteRecords(delete).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.debug("stream table {}: exchange topics not purged this time: {}", name, e.toString());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void close() {
    if (purger != null) {
      purger.shutdownNow();
    }
    super.close();
  }
}
