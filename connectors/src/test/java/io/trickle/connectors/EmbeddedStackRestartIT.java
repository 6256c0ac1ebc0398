package io.trickle.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.connectors.embedded.EmbeddedConnect;
import io.trickle.connectors.embedded.EmbeddedKafka;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import io.trickle.connectors.rest.ConnectRestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded servers keep their state across a restart on the same directory. */
class EmbeddedStackRestartIT {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStackRestartIT.class);

  @TempDir Path dir;

  @Test
  void postgresKeepsItsData() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"));
        Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
      s.execute("INSERT INTO kept VALUES (42)");
      try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
        rs.next();
        assertThat(rs.getString(1)).as("wal_level").isEqualTo("logical");
      }
      try (ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
        rs.next();
        assertThat(rs.getString(1)).as("synchronous_commit").isEqualTo("on");
      }
    }
    long t0 = System.nanoTime();
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"));
        Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
      LOG.info("TIMING postgres restart on existing data {} ms", (System.nanoTime() - t0) / 1_000_000);
      assertThat(rs.next() && rs.getInt(1) == 42).as("row survives the restart").isTrue();
    }
  }

  @Test
  void temporaryServerRemovesItsDirectory() throws Exception {
    Path data;
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start();
        Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      assertThat(rs.next()).as("answers").isTrue();
      data = pg.dataDir();
    }
    assertThat(data).as("temporary data directory").doesNotExist();
  }

  @Test
  void kafkaAndConnectKeepTheirState() throws Exception {
    String topic = "kept";
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
          ProducerConfig.TRANSACTIONAL_ID_CONFIG, "probe-tx"))) {
        // Transactions (Kafka Streams exactly_once_v2) need the one-replica transaction log.
        p.initTransactions();
        p.beginTransaction();
        p.send(new ProducerRecord<>(topic, "k", "v"));
        p.commitTransaction();
      }
      try (EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), dir.resolve("connect"))) {
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConnectorConfig("probe", probeConfig(topic));
        rest.awaitRunning("probe", Duration.ofSeconds(30));
      }
    }
    long t0 = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      long t1 = System.nanoTime();
      assertThat(readAll(kafka.bootstrapServers(), topic)).as("records survive the restart").containsExactly("v");
      try (EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), dir.resolve("connect"))) {
        long t2 = System.nanoTime();
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        assertThat(rest.connectors()).as("connectors survive the restart").contains("probe");
        rest.awaitRunning("probe", Duration.ofSeconds(30));
        LOG.info("TIMING restart: kafka {} ms, connect {} ms, connector running again after {} ms",
            (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
      }
    }
  }

  private static Map<String, String> probeConfig(String topic) {
    return Map.of("connector.class", ProbeSinkConnector.class.getName(), "tasks.max", "1", "topics", topic,
        "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
        "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
  }

  private static List<String> readAll(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
