package io.trickle.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.connectors.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output topics against a real broker: they keep their tombstones for good, topics of earlier
 * versions are brought to the same settings, and a consumer that stops after reading a row and
 * resumes after the cleaner compacted the topic still sees that row's delete.
 */
class OutputTopicRetentionIT {
  @TempDir
  static Path dir;

  static EmbeddedKafka kafka;
  static Admin admin;

  @BeforeAll
  static void start() {
    // A cleaner that looks for work every 200 ms instead of every 15 s.
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), Map.of("log.cleaner.backoff.ms", "200"));
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void anOutputTopicKeepsItsTombstones() throws Exception {
    try (Topics topics = new Topics(kafka.bootstrapServers(), Optional.of((short) 1))) {
      topics.ensureOutputTopic("trickle.st.fresh.00000000");
    }
    assertSettings("trickle.st.fresh.00000000");
  }

  @Test
  void anOutputTopicOfAnEarlierVersionGetsTheSameSettings() throws Exception {
    String topic = "trickle.st.old.00000000";
    admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.of((short) 1))
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
    try (Topics topics = new Topics(kafka.bootstrapServers(), Optional.of((short) 1))) {
      topics.ensureOutputTopic(topic);
    }
    assertSettings(topic);
  }

  @Test
  void aConsumerThatResumesAfterCompactionSeesTheDelete() throws Exception {
    String topic = "trickle.st.late.00000000";
    try (Topics topics = new Topics(kafka.bootstrapServers(), Optional.of((short) 1))) {
      topics.ensureOutputTopic(topic);
    }
    // Only to make the cleaner run within the test: short segments, no compaction lag. The
    // tombstone retention stays trickle's.
    alter(topic, Map.of(TopicConfig.SEGMENT_MS_CONFIG, "200", TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"));
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, "k1", "v1")).get();
      // A consumer (a sink, a downstream stream table) applies k1 = v1, then stops.
      Map<String, String> lateState = new HashMap<>();
      long resumeAt = read(topic, 0, 1, lateState);
      assertThat(lateState).as("the late consumer's state before it stops").containsEntry("k1", "v1");
      producer.send(new ProducerRecord<>(topic, "k2", "v2")).get();
      producer.send(new ProducerRecord<>(topic, "k1", null)).get(); // the delete of k1
      // Later writes roll the segments, so the tombstone's segment becomes cleanable.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      int n = 0;
      while (!compacted(topic)) {
        assertThat(System.nanoTime()).as("the cleaner compacted the topic within 120 s").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(300);
        producer.send(new ProducerRecord<>(topic, "k3", "v3-" + n++)).get();
      }
      read(topic, resumeAt, Long.MAX_VALUE, lateState);
      assertThat(lateState).as("the late consumer, resumed after compaction, has applied the delete of k1")
          .doesNotContainKey("k1").containsEntry("k2", "v2");
      Map<String, String> fresh = new HashMap<>();
      read(topic, 0, Long.MAX_VALUE, fresh);
      assertThat(fresh).as("a consumer that reads the compacted topic from the start").isEqualTo(lateState);
    }
  }

  private static void assertSettings(String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(r)).all().get().get(r);
    assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as("cleanup.policy of " + topic)
        .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    assertThat(Long.parseLong(config.get(TopicConfig.DELETE_RETENTION_MS_CONFIG).value()))
        .as("delete.retention.ms of " + topic + ": tombstones must outlive any consumer's lag")
        .isEqualTo(Topics.TOMBSTONE_RETENTION_MS);
    assertThat(Long.parseLong(config.get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG).value()))
        .as("min.compaction.lag.ms of " + topic).isEqualTo(Topics.MIN_COMPACTION_LAG_MS);
  }

  /** The first record (k1 = v1, superseded by its tombstone) is gone. */
  private static boolean compacted(String topic) {
    Map<Long, String> seen = new HashMap<>();
    try (KafkaConsumer<String, String> c = consumer()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<String, String> rec : c.poll(Duration.ofSeconds(1))) {
          seen.put(rec.offset(), rec.key());
        }
      }
    }
    return !seen.containsKey(0L);
  }

  /** Applies records from {@code from} to {@code state} (a tombstone deletes); returns the next offset. */
  private static long read(String topic, long from, long max, Map<String, String> state) {
    try (KafkaConsumer<String, String> c = consumer()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seek(tp, from);
      long end = c.endOffsets(List.of(tp)).get(tp);
      long read = 0;
      long next = from;
      while (c.position(tp) < end && read < max) {
        for (ConsumerRecord<String, String> rec : c.poll(Duration.ofSeconds(1))) {
          if (read++ >= max) {
            break;
          }
          if (rec.value() == null) {
            state.remove(rec.key());
          } else {
            state.put(rec.key(), rec.value());
          }
          next = rec.offset() + 1;
        }
      }
      return next;
    }
  }

  private static void alter(String topic, Map<String, String> config) throws Exception {
    Collection<AlterConfigOp> ops = new ArrayList<>();
    config.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops)).all().get();
  }

  private static KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
  }

  private static KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
  }

}
