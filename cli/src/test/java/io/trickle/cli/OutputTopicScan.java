package io.trickle.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Counts the committed epoch markers of a stream table's output topic, as the sink reads it. */
final class OutputTopicScan {
  private OutputTopicScan() {}

  /** Markers at offsets up to and including {@code lastOffset}. */
  static long markersUpTo(String bootstrap, String topic, long lastOffset) {
    Map<String, Object> cfg = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long markers = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = Math.min(lastOffset + 1, consumer.endOffsets(List.of(tp)).get(tp));
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          if (r.offset() <= lastOffset && r.headers().lastHeader("trickle.marker") != null) {
            markers++;
          }
        }
      }
    }
    return markers;
  }
}
