package io.trickle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole changes topic and reports how transactions appear in it: what the dispatcher's
 * epoch boundaries rest on (every change inside BEGIN..END of its own transaction, nothing else
 * inside a transaction, each transaction once).
 */
final class ChangesTopicScan {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the scan found; {@code anomalies} holds the first few offending offsets. */
  record Report(long records, long transactions, long heartbeatsInsideTransactions,
      long changesOutsideTheirTransaction, long repeatedTransactions, List<String> anomalies) {}

  static Report scan(String bootstrap, String topic) {
    Map<String, Object> cfg = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long records = 0;
    long transactions = 0;
    long heartbeatsInside = 0;
    long outside = 0;
    long repeated = 0;
    List<String> anomalies = new ArrayList<>();
    Set<String> ended = new HashSet<>();
    String open = null;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          records++;
          if (r.value() == null) {
            continue;
          }
          JsonNode v = read(r.value());
          if (v.has("status")) {
            String id = txId(v.path("id").asText());
            if ("BEGIN".equals(v.path("status").asText())) {
              if (open != null) {
                anomaly(anomalies, r.offset(), "BEGIN " + id + " while " + open + " is open");
              }
              open = id;
            } else {
              transactions++;
              if (!id.equals(open)) {
                anomaly(anomalies, r.offset(), "END " + id + " while " + open + " is open");
              }
              if (!ended.add(id)) {
                repeated++;
                anomaly(anomalies, r.offset(), "transaction " + id + " ends a second time");
              }
              open = null;
            }
          } else if (v.has("op")) {
            JsonNode tx = v.get("transaction");
            String id = tx == null || tx.isNull() ? null : txId(tx.path("id").asText());
            if (id != null && !id.equals(open)) {
              outside++;
              anomaly(anomalies, r.offset(), "change of " + id + " while " + open + " is open");
            }
          } else if (open != null) {
            heartbeatsInside++;
            anomaly(anomalies, r.offset(), "heartbeat inside transaction " + open);
          }
        }
      }
    }
    return new Report(records, transactions, heartbeatsInside, outside, repeated, anomalies);
  }

  /** Debezium's PostgreSQL ids are {@code txId:lsn} with the LSN of the event: keep the txId. */
  private static String txId(String id) {
    int colon = id.indexOf(':');
    return colon < 0 ? id : id.substring(0, colon);
  }

  private static void anomaly(List<String> anomalies, long offset, String what) {
    if (anomalies.size() < 10) {
      anomalies.add("@" + offset + ": " + what);
    }
  }

  private static JsonNode read(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable record in the changes topic", e);
    }
  }
}
