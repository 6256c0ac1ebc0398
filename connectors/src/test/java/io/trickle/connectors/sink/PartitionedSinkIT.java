package io.trickle.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.connectors.ddl.TrickleSchema;
import io.trickle.connectors.embedded.EmbeddedConnect;
import io.trickle.connectors.embedded.EmbeddedKafka;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import io.trickle.connectors.rest.ConnectRestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink on a real broker and Connect worker over an output topic of three partitions: the
 * single task is assigned every partition, applies an epoch once all three closed it, and after a
 * restart of its task resumes every partition from PostgreSQL's applied offsets, with nothing lost
 * or doubled. The expected contents are computed from the records produced.
 */
class PartitionedSinkIT {
  private static final String TOPIC = "trickle.st.parts.h1";
  private static final String CONNECTOR = "trickle-sink-parts";

  @TempDir Path dir;

  @Test
  void threePartitionsAreAppliedTogetherAndResumedAfterARestart() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start();
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), dir.resolve("connect"));
        Connection c = DriverManager.getConnection(pg.jdbcUrl());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
      TrickleSchema.ensure(c);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE public.parts (k int PRIMARY KEY, v int)");
        s.execute("INSERT INTO " + TrickleSchema.STREAM_TABLES + " (name, target_table, definition, plan_hash, status)"
            + " VALUES ('parts', 'public.parts', 'test', 'h1', 'starting')");
      }
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      PartitionedSinkTest.Topic out = new PartitionedSinkTest.Topic(TOPIC, 3);
      Sent sent = new Sent(producer, out);
      ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
      rest.putConnectorConfig(CONNECTOR, config(pg.jdbcUrl()));
      rest.awaitRunning(CONNECTOR, Duration.ofSeconds(60));

      // Row keys stay in their partition (k mod 3), as the output is partitioned by key.
      out.row(0, 3, 1).row(1, 1, 1).row(2, 2, 1).marker(0, 10).marker(1, 10).row(2, 5, 1);
      sent.flush();
      out.marker(0, 20).row(1, 4, 1).marker(1, 20);
      sent.flush();
      // Partition 2 has not closed 10: nothing may be applied, however long the sink has.
      TimeUnit.SECONDS.sleep(5);
      assertThat(rows(c)).as("before partition 2's marker").isEmpty();
      out.marker(2, 10);
      sent.flush();
      awaitRows(c, out.expectedUpTo(10), "epoch 10, closed by all three partitions");
      assertThat(offsets(c)).as("each partition's offset of marker 10")
          .isEqualTo(Map.of(0, out.markerOffset(0, 10), 1, out.markerOffset(1, 10), 2, out.markerOffset(2, 10)));

      // Partitions 0 and 1 have closed 20 and hold data of 30; partition 2 holds data of 20.
      out.row(0, 6, 2).tombstone(1, 1).row(2, 2, 2);
      sent.flush();
      rest.restart(CONNECTOR, true, false);
      rest.awaitRunning(CONNECTOR, Duration.ofSeconds(60));
      out.marker(2, 20).marker(0, 30).marker(1, 30).row(2, 8, 3).marker(2, 30);
      sent.flush();
      awaitRows(c, out.expectedUpTo(30), "epoch 30 after the restart");
      assertThat(offsets(c)).as("every partition at its marker of 30")
          .isEqualTo(Map.of(0, out.markerOffset(0, 30), 1, out.markerOffset(1, 30), 2, out.markerOffset(2, 30)));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT epochs_applied, status FROM trickle.stream_tables WHERE name = 'parts'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("epochs 10, 20, 30, each applied once").isEqualTo(3);
        assertThat(rs.getString(2)).isEqualTo("running");
      }
    }
  }

  private static Map<String, String> config(String jdbcUrl) {
    Map<String, String> m = TrickleSinkConnector.baseConfig(TOPIC, jdbcUrl, null);
    m.put(TrickleSinkConfig.STREAM_TABLE, "parts");
    m.put(TrickleSinkConfig.TARGET_TABLE, "public.parts");
    return m;
  }

  /** Produces the records the test topic has gained since the last flush, each to its partition. */
  private static final class Sent {
    final KafkaProducer<byte[], byte[]> producer;
    final PartitionedSinkTest.Topic topic;
    final long[] sent;

    Sent(KafkaProducer<byte[], byte[]> producer, PartitionedSinkTest.Topic topic) {
      this.producer = producer;
      this.topic = topic;
      this.sent = new long[topic.partitions.size()];
    }

    void flush() throws Exception {
      for (int p = 0; p < sent.length; p++) {
        List<SinkRecord> log = topic.partitions.get(p);
        for (; sent[p] < log.size(); sent[p]++) {
          SinkRecord r = log.get((int) sent[p]);
          RecordHeaders headers = new RecordHeaders();
          r.headers().forEach(h -> headers.add(h.key(), new byte[0]));
          long offset = producer.send(new ProducerRecord<>(TOPIC, p, null, (byte[]) r.key(), (byte[]) r.value(),
              headers)).get(30, TimeUnit.SECONDS).offset();
          assertThat(offset).as("offset in partition " + p).isEqualTo(r.kafkaOffset());
        }
      }
    }
  }

  private static Map<Integer, Integer> rows(Connection c) throws Exception {
    Map<Integer, Integer> out = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT k, v FROM public.parts")) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getInt(2));
      }
    }
    return out;
  }

  private static void awaitRows(Connection c, Map<Integer, Integer> expected, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!rows(c).equals(expected) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
    assertThat(rows(c)).as(what).isEqualTo(expected);
  }

  private static Map<Integer, Long> offsets(Connection c) throws Exception {
    Map<Integer, Long> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT applied_offsets -> ? FROM trickle.stream_tables WHERE name = 'parts'")) {
      ps.setString(1, TOPIC);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getString(1) != null) {
          JsonNode n = OutputRecords.parse(rs.getString(1));
          n.fields().forEachRemaining(e -> out.put(Integer.valueOf(e.getKey()), e.getValue().asLong()));
        }
      }
    }
    return out;
  }
}
