package io.trickle.cli.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.cli.oracle.DebeziumRecords.SourceRecord;
import io.trickle.compiler.plan.Plan;
import io.trickle.connectors.sink.OutputRecords;
import io.trickle.topology.TopologyFactory;
import io.trickle.topology.state.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * One compiled plan in a {@link TopologyTestDriver}, read the way the sink reads the output topic:
 * records are applied to the materialized table only when an epoch marker follows them. Error
 * records and non-positive multiplicities are collected as problems rather than applied.
 */
final class PlanDriver implements AutoCloseable {
  static final String SOURCE_TOPIC = "trickle.src.db.changes";
  static final String OUTPUT_TOPIC = "trickle.st.oracle";

  private final Plan plan;
  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> input;
  private final TestOutputTopic<byte[], byte[]> output;
  /** Output key (JSON text) → value, as of the last marker. */
  private final Map<String, JsonNode> table = new LinkedHashMap<>();
  private final List<TestRecord<byte[], byte[]>> pending = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private long markers;

  PlanDriver(Plan plan) {
    this.plan = plan;
    try {
      // TopologyTestDriver commits (and may fsync a checkpoint) after every record: on tmpfs
      // that costs nothing, on a loaded disk it dominates.
      Path shm = Path.of("/dev/shm");
      stateDir = Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "trickle-oracle") : Files.createTempDirectory("trickle-oracle");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "trickle-oracle-" + plan.streamTable());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(buildInMemory(plan), props);
    input = driver.createInputTopic(SOURCE_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
    output = driver.createOutputTopic(OUTPUT_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The plan's topology with in-memory stores (see {@link StateStores#IN_MEMORY_PROPERTY}). */
  private static org.apache.kafka.streams.Topology buildInMemory(Plan plan) {
    String before = System.getProperty(StateStores.IN_MEMORY_PROPERTY);
    System.setProperty(StateStores.IN_MEMORY_PROPERTY, "true");
    try {
      return TopologyFactory.build(plan, SOURCE_TOPIC, OUTPUT_TOPIC);
    } finally {
      if (before == null) {
        System.clearProperty(StateStores.IN_MEMORY_PROPERTY);
      } else {
        System.setProperty(StateStores.IN_MEMORY_PROPERTY, before);
      }
    }
  }

  Plan plan() {
    return plan;
  }

  /** Feeds changes-topic records, then lets wall-clock punctuation release pending markers. */
  void feed(List<SourceRecord> records) {
    for (SourceRecord r : records) {
      input.pipeInput(r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
          r.value().getBytes(StandardCharsets.UTF_8));
    }
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    for (TestRecord<byte[], byte[]> r : output.readRecordsToList()) {
      if (header(r, OutputRecords.MARKER_HEADER) != null) {
        markers++;
        for (TestRecord<byte[], byte[]> p : pending) {
          apply(p);
        }
        pending.clear();
      } else if (header(r, OutputRecords.ERROR_HEADER) != null) {
        problems.add("error record: " + OutputRecords.text(r.value()));
      } else {
        pending.add(r);
      }
    }
  }

  private void apply(TestRecord<byte[], byte[]> r) {
    String key = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      table.remove(key);
      return;
    }
    table.put(key, OutputRecords.parse(r.value()));
  }

  /** Records after the last marker: an epoch the sink would not apply yet. */
  int unpublished() {
    return pending.size();
  }

  long markers() {
    return markers;
  }

  Map<String, JsonNode> table() {
    return table;
  }

  /** Problems found since the last call. */
  List<String> drainProblems() {
    List<String> out = List.copyOf(problems);
    problems.clear();
    return out;
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
