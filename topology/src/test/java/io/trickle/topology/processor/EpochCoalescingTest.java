package io.trickle.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.topology.Epochs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's minimum epoch interval: commit boundaries that follow the last marker too soon
 * are closed together at a later boundary, never in the middle of a transaction, and a boundary
 * with nothing after it is forwarded by the punctuator.
 */
class EpochCoalescingTest {
  private final List<String> seen = new ArrayList<>();

  @Test
  void boundariesTooCloseToTheLastMarkerAreClosedTogetherAtALaterBoundary() throws Exception {
    try (TopologyTestDriver driver = driver(60_000)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic("changes", new ByteArraySerializer(),
          new ByteArraySerializer());
      transaction(in, 1);  // offsets 0..2: the first END is a marker at once
      transaction(in, 2);  // 3..5: too soon, held back
      transaction(in, 3);  // 6..8: the change of 3 drops the held boundary of 2; 3's END is held
      assertThat(seen).as("before the interval has passed").containsExactly("+1", "marker 2", "+2", "+3");
      driver.advanceWallClockTime(Duration.ofMinutes(1));
      assertThat(seen).as("the punctuator forwards the last boundary, which no change followed")
          .containsExactly("+1", "marker 2", "+2", "+3", "marker 8");
    }
  }

  @Test
  void withoutAnIntervalEveryCommitIsAnEpoch() throws Exception {
    try (TopologyTestDriver driver = driver(0)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic("changes", new ByteArraySerializer(),
          new ByteArraySerializer());
      transaction(in, 1);
      transaction(in, 2);
      assertThat(seen).containsExactly("+1", "marker 2", "+2", "marker 5");
    }
  }

  private TopologyTestDriver driver(long minIntervalMs) throws Exception {
    Topology t = new Topology();
    t.addSource("src", "changes");
    t.addProcessor(DispatchProcessorSupplier.NAME, new DispatchProcessorSupplier(Map.of("public.t", List.of("collect"))),
        "src");
    t.addProcessor("collect", () -> new Processor<Object, Msg, Object, Object>() {
      @Override
      public void process(Record<Object, Msg> record) {
        if (record.value() instanceof Msg.Marker m) {
          seen.add("marker " + m.seq());
        } else if (record.value() instanceof Msg.SourceEvent e) {
          seen.add("+" + e.after().path("id").asInt());
        }
      }
    }, DispatchProcessorSupplier.NAME);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "coalescing-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    Path dir = Files.createTempDirectory("trickle-coalescing");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, org.apache.kafka.common.serialization.Serdes.ByteArraySerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, org.apache.kafka.common.serialization.Serdes.ByteArraySerde.class);
    p.put(Epochs.MIN_INTERVAL_CONFIG, String.valueOf(minIntervalMs));
    return new TopologyTestDriver(t, p);
  }

  /** BEGIN, one insert of row id {@code n} into public.t, END. */
  private static void transaction(TestInputTopic<byte[], byte[]> in, int n) {
    in.pipeInput(json("{\"status\":\"BEGIN\",\"id\":\"" + n + "\"}"));
    in.pipeInput(json("{\"op\":\"c\",\"source\":{\"schema\":\"public\",\"table\":\"t\",\"lsn\":" + (100 + n)
        + ",\"ts_ms\":1700000000000},\"before\":null,\"after\":{\"id\":" + n + "},"
        + "\"transaction\":{\"id\":\"" + n + "\",\"total_order\":1}}"));
    in.pipeInput(json("{\"status\":\"END\",\"id\":\"" + n + "\"}"));
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
