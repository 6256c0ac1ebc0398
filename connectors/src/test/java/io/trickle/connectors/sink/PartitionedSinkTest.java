package io.trickle.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trickle.connectors.ddl.TrickleSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink over output topics with several partitions, against a real PostgreSQL: records are
 * handed to {@link TrickleSinkTask} as Connect's consumer would, partition by partition from the
 * offset the task asked for. What the target must hold after each step is computed from the
 * topic itself: every record of every partition up to its last marker with seq ≤ the frontier,
 * latest per key.
 */
class PartitionedSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedPostgres postgres;
  private static Connection c;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    c = postgres.getPostgresDatabase().getConnection();
    TrickleSchema.ensure(c);
  }

  @AfterAll
  static void stop() throws Exception {
    c.close();
    postgres.close();
  }

  @Test
  void anEpochIsAppliedOnlyOnceEveryPartitionClosedItAndARestartResumesEachPartitionAtItsOwnOffset()
      throws Exception {
    Topic out = new Topic("trickle.st.parts.h1", 3);
    register("parts", "public.parts");
    Consumer consumer = new Consumer(List.of(out));
    TrickleSinkTask task = consumer.start(single("parts", "public.parts", out));

    out.row(0, 1, 10).row(1, 2, 20).row(2, 3, 30).marker(0, 100).marker(1, 100);
    consumer.deliver(task);
    assertThat(rows("public.parts")).as("epoch 100 while partition 2 has not closed it").isEmpty();
    assertThat(catalog("parts").epochs()).as("epochs applied before partition 2's marker").isZero();

    out.row(0, 4, 40).marker(0, 200).marker(2, 100);
    consumer.deliver(task);
    assertThat(rows("public.parts")).as("every partition closed 100, only partition 0 closed 200")
        .isEqualTo(out.expectedUpTo(100)).isNotEmpty();
    assertThat(catalog("parts").lsn()).as("reflected LSN of the frontier").isEqualTo(OutputRecords.pgLsn(100 * 16));
    // Partition 1 is ahead on data (an open epoch), partition 2 behind: their offsets differ.
    // Row keys stay in their partition (0: k 1, 4; 1: k 2, 5; 2: k 3, 6), as the output is partitioned by key.
    out.row(1, 2, 21).row(1, 5, 50).marker(1, 200).row(1, 5, 51).tombstone(1, 2);
    out.row(2, 6, 60);
    consumer.deliver(task);
    assertThat(rows("public.parts")).as("200 is still open in partition 2").isEqualTo(out.expectedUpTo(100));
    Map<Integer, Long> applied = catalog("parts").offsets(out.name);
    assertThat(applied).as("applied offsets: each partition's marker of epoch 100")
        .isEqualTo(Map.of(0, out.markerOffset(0, 100), 1, out.markerOffset(1, 100), 2, out.markerOffset(2, 100)));
    task.stop();

    // Restart: a new task reads PostgreSQL's offsets, not what it had buffered.
    TrickleSinkTask restarted = consumer.start(single("parts", "public.parts", out));
    assertThat(consumer.positions()).as("each partition resumes after its own applied marker")
        .isEqualTo(Map.of(0, applied.get(0) + 1, 1, applied.get(1) + 1, 2, applied.get(2) + 1));
    consumer.deliver(restarted);
    assertThat(rows("public.parts")).as("after the restart, before partition 2 closes 200")
        .isEqualTo(out.expectedUpTo(100));
    out.marker(2, 200).marker(0, 300).marker(1, 300).marker(2, 300);
    consumer.deliver(restarted);
    assertThat(rows("public.parts")).as("after 300 closed everywhere: nothing lost, nothing doubled")
        .isEqualTo(out.expectedUpTo(300));
    Catalog row = catalog("parts");
    assertThat(row.epochs()).as("epochs applied: 100, 200, 300, each counted once").isEqualTo(3);
    assertThat(row.offsets(out.name)).as("applied offsets at the end of each partition")
        .isEqualTo(Map.of(0, out.end(0) - 1, 1, out.end(1) - 1, 2, out.end(2) - 1));
    assertThat(row.appliedOffset()).as("applied_offset follows partition 0").isEqualTo(out.end(0) - 1);
    restarted.stop();
  }

  @Test
  void theGroupFrontierIsTheLowestMemberWhateverItsPartitionCount() throws Exception {
    Topic a = new Topic("trickle.st.ga.h1", 2);
    Topic b = new Topic("trickle.st.gb.h1", 1);
    register("ga", "public.ga");
    register("gb", "public.gb");
    Consumer consumer = new Consumer(List.of(a, b));
    Map<String, String> props = connection();
    props.put(TrickleSinkConfig.GROUP, "g");
    props.put(TrickleSinkConfig.MEMBERS, "ga,gb");
    props.put(TrickleSinkConfig.TARGET_TABLES, "public.ga,public.gb");
    props.put(TrickleSinkConfig.TOPICS, a.name + "," + b.name);
    props.put("topics", a.name + "," + b.name);
    TrickleSinkTask task = consumer.start(props);

    a.row(0, 1, 1).row(1, 2, 2).marker(0, 10).marker(1, 10).row(0, 1, 3).marker(0, 20);
    b.row(0, 7, 70).marker(0, 10).row(0, 8, 80).marker(0, 20);
    consumer.deliver(task);
    assertThat(rows("public.ga")).as("a at 10: its partition 1 has not closed 20").isEqualTo(a.expectedUpTo(10));
    assertThat(rows("public.gb")).as("b held at a's frontier 10").isEqualTo(b.expectedUpTo(10));
    a.marker(1, 20);
    consumer.deliver(task);
    assertThat(rows("public.ga")).as("a at 20").isEqualTo(a.expectedUpTo(20));
    assertThat(rows("public.gb")).as("b at 20").isEqualTo(b.expectedUpTo(20));
    assertThat(catalog("ga").lsn()).as("both members reflect the same commit").isEqualTo(catalog("gb").lsn());
    task.stop();
  }

  @Test
  void aCatalogOfAnEarlierVersionResumesPartitionZeroAtItsAppliedOffset() throws Exception {
    Topic out = new Topic("trickle.st.legacy.h1", 1);
    register("legacy", "public.legacy");
    out.row(0, 1, 1).marker(0, 5).row(0, 2, 2).marker(0, 6).row(0, 3, 3).marker(0, 7);
    // What a sink of an earlier version left: epochs up to 6 applied, their offset in applied_offset,
    // in a catalog without applied_offsets (the upgraded sink starts before trickle run adds it).
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO public.legacy VALUES (1, 1), (2, 2)");
      s.execute("ALTER TABLE trickle.stream_tables DROP COLUMN applied_offsets");
      s.execute("UPDATE trickle.stream_tables SET applied_offset = " + out.markerOffset(0, 6)
          + ", epochs_applied = 2 WHERE name = 'legacy'");
    }
    Consumer consumer = new Consumer(List.of(out));
    TrickleSinkTask task = consumer.start(single("legacy", "public.legacy", out));
    assertThat(consumer.positions()).as("partition 0 resumes after applied_offset")
        .isEqualTo(Map.of(0, out.markerOffset(0, 6) + 1));
    consumer.deliver(task);
    assertThat(rows("public.legacy")).isEqualTo(out.expectedUpTo(7));
    Catalog row = catalog("legacy");
    assertThat(row.epochs()).as("only epoch 7 applied again").isEqualTo(3);
    assertThat(row.offsets(out.name)).isEqualTo(Map.of(0, out.markerOffset(0, 7)));
    assertThat(row.appliedOffset()).isEqualTo(out.markerOffset(0, 7));
    task.stop();
  }

  @Test
  void aRecreatedTargetIsRebuiltFromTheStartOfEveryPartition() throws Exception {
    Topic out = new Topic("trickle.st.again.h1", 2);
    register("again", "public.again");
    Consumer consumer = new Consumer(List.of(out));
    TrickleSinkTask task = consumer.start(single("again", "public.again", out));
    out.row(0, 1, 1).row(1, 2, 2).marker(0, 1).marker(1, 1).tombstone(0, 1).row(1, 3, 3).marker(0, 2).marker(1, 2);
    consumer.deliver(task);
    assertThat(rows("public.again")).isEqualTo(out.expectedUpTo(2));
    // What trickle run does when it recreates the target (Catalog.register): empty, next generation.
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE public.again");
      s.execute("UPDATE trickle.stream_tables SET generation = generation + 1, applied_offset = NULL,"
          + " applied_offsets = NULL, epochs_applied = 0 WHERE name = 'again'");
    }
    out.row(0, 4, 4).marker(0, 3).marker(1, 3);
    consumer.deliver(task); // the apply finds the new generation and re-seeks
    assertThat(consumer.positions()).as("every partition re-read from offset 0").isEqualTo(Map.of(0, 0L, 1, 0L));
    consumer.deliver(task);
    assertThat(rows("public.again")).as("rebuilt complete").isEqualTo(out.expectedUpTo(3));
    assertThat(catalog("again").epochs()).as("epochs of the new generation").isEqualTo(3);
    task.stop();
  }

  // --- the harness -----------------------------------------------------------------------------

  private static void register(String name, String target) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + target + " (k int PRIMARY KEY, v int)");
      s.execute("INSERT INTO " + TrickleSchema.STREAM_TABLES + " (name, target_table, definition, plan_hash, status)"
          + " VALUES ('" + name + "', '" + target + "', 'test', 'h1', 'starting')");
    }
  }

  private static Map<String, String> connection() {
    Map<String, String> props = new HashMap<>();
    props.put(TrickleSinkConfig.CONNECTION_URL, postgres.getJdbcUrl("postgres", "postgres"));
    return props;
  }

  private static Map<String, String> single(String name, String target, Topic topic) {
    Map<String, String> props = connection();
    props.put(TrickleSinkConfig.STREAM_TABLE, name);
    props.put(TrickleSinkConfig.TARGET_TABLE, target);
    props.put("topics", topic.name);
    return props;
  }

  /** The target's rows, k → v. */
  private static Map<Integer, Integer> rows(String table) throws Exception {
    Map<Integer, Integer> out = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT k, v FROM " + table)) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getInt(2));
      }
    }
    return out;
  }

  private record Catalog(long epochs, String lsn, Long appliedOffset, JsonNode appliedOffsets) {
    Map<Integer, Long> offsets(String topic) {
      Map<Integer, Long> out = new TreeMap<>();
      if (appliedOffsets != null && appliedOffsets.has(topic)) {
        appliedOffsets.get(topic).fields().forEachRemaining(e -> out.put(Integer.valueOf(e.getKey()), e.getValue().asLong()));
      }
      return out;
    }
  }

  private static Catalog catalog(String name) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT epochs_applied, reflected_lsn::text, applied_offset,"
        + " applied_offsets::text FROM " + TrickleSchema.STREAM_TABLES + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("catalog row of " + name).isTrue();
        return new Catalog(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3),
            rs.getString(4) == null ? null : JSON.readTree(rs.getString(4)));
      }
    }
  }

  /** An output topic as the stream table's P materialize tasks write it: one log per partition. */
  static final class Topic {
    final String name;
    final List<List<SinkRecord>> partitions = new ArrayList<>();

    Topic(String name, int count) {
      this.name = name;
      for (int p = 0; p < count; p++) {
        partitions.add(new ArrayList<>());
      }
    }

    Topic row(int partition, int k, int v) {
      return append(partition, "{\"k\":" + k + "}", "{\"k\":" + k + ",\"v\":" + v + "}", null);
    }

    Topic tombstone(int partition, int k) {
      return append(partition, "{\"k\":" + k + "}", null, null);
    }

    Topic marker(int partition, long seq) {
      return append(partition, "{\"__marker\":true}",
          "{\"seq\":" + seq + ",\"lsn\":" + seq * 16 + ",\"ts_ms\":" + System.currentTimeMillis() + "}",
          OutputRecords.MARKER_HEADER);
    }

    private Topic append(int partition, String key, String value, String header) {
      List<SinkRecord> log = partitions.get(partition);
      ConnectHeaders headers = new ConnectHeaders();
      if (header != null) {
        headers.addString(header, "");
      }
      log.add(new SinkRecord(name, partition, null, key.getBytes(StandardCharsets.UTF_8), null,
          value == null ? null : value.getBytes(StandardCharsets.UTF_8), log.size(), 0L, TimestampType.CREATE_TIME,
          headers));
      return this;
    }

    long end(int partition) {
      return partitions.get(partition).size();
    }

    long markerOffset(int partition, long seq) {
      for (SinkRecord r : partitions.get(partition)) {
        if (isMarker(r) && seq(r) == seq) {
          return r.kafkaOffset();
        }
      }
      throw new IllegalArgumentException("no marker " + seq + " in partition " + partition);
    }

    /** Every partition's records up to its last marker with seq ≤ {@code frontier}, latest per key. */
    Map<Integer, Integer> expectedUpTo(long frontier) {
      Map<Integer, Integer> out = new TreeMap<>();
      for (List<SinkRecord> log : partitions) {
        Map<Integer, Integer> pending = new LinkedHashMap<>();
        Set<Integer> deleted = new java.util.HashSet<>();
        for (SinkRecord r : log) {
          if (isMarker(r)) {
            if (seq(r) > frontier) {
              break;
            }
            out.putAll(pending);
            deleted.forEach(out::remove);
            pending.clear();
            deleted.clear();
          } else {
            JsonNode key = OutputRecords.parse(r.key());
            JsonNode value = OutputRecords.parse(r.value());
            int k = key.get("k").asInt();
            if (value == null) {
              pending.remove(k);
              deleted.add(k);
            } else {
              deleted.remove(k);
              pending.put(k, value.get("v").asInt());
            }
          }
        }
      }
      return out;
    }

    private static boolean isMarker(SinkRecord r) {
      return r.headers().lastWithName(OutputRecords.MARKER_HEADER) != null;
    }

    private static long seq(SinkRecord r) {
      return OutputRecords.parse(r.value()).get("seq").asLong();
    }
  }

  /**
   * Connect's consumer for one task: every partition of the topics assigned, each read from its
   * position, which the task may move with {@link SinkTaskContext#offset}.
   */
  private static final class Consumer implements SinkTaskContext {
    final List<Topic> topics;
    final Map<TopicPartition, Long> position = new HashMap<>();

    Consumer(List<Topic> topics) {
      this.topics = topics;
    }

    TrickleSinkTask start(Map<String, String> props) {
      position.clear();
      TrickleSinkTask task = new TrickleSinkTask();
      task.initialize(this);
      task.start(props);
      for (TopicPartition tp : assignment()) {
        position.put(tp, 0L); // the committed offsets say nothing: the task must seek
      }
      task.open(assignment());
      return task;
    }

    /** Hands the task everything from each partition's position to its end, as one batch each. */
    void deliver(TrickleSinkTask task) {
      for (Topic t : topics) {
        for (int p = 0; p < t.partitions.size(); p++) {
          TopicPartition tp = new TopicPartition(t.name, p);
          long from = position.get(tp);
          List<SinkRecord> batch = t.partitions.get(p).subList((int) from, t.partitions.get(p).size());
          position.put(tp, (long) t.partitions.get(p).size());
          task.put(new ArrayList<>(batch));
        }
      }
    }

    /** The position of each partition of a single-topic consumer. */
    Map<Integer, Long> positions() {
      return position.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    }

    @Override
    public Set<TopicPartition> assignment() {
      Set<TopicPartition> out = new java.util.LinkedHashSet<>();
      for (Topic t : topics) {
        for (int p = 0; p < t.partitions.size(); p++) {
          out.add(new TopicPartition(t.name, p));
        }
      }
      return out;
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
      position.put(tp, offset);
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
      position.putAll(offsets);
    }

    @Override
    public Map<String, String> configs() {
      return Map.of();
    }

    @Override
    public void timeout(long timeoutMs) {}

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }
}
