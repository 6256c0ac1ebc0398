package io.trickle.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.topology.Epochs;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.StateStores;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root processor of the capture stage ({@link io.trickle.topology.capture.CaptureTopology}).
 * Reads the single Debezium change topic (data changes of every captured table, transaction
 * metadata, heartbeats), routes data changes of the captured tables to their source operators and closes epochs with {@link Msg.Marker}s:
 * <ul>
 *   <li>after a transaction END record;
 *   <li>after a data record outside a transaction, unless it is a non-final snapshot record;
 *   <li>after a heartbeat, unless a transaction is open: Debezium emits heartbeats between the
 *       changes of one transaction, and a marker there would publish half of it.
 * </ul>
 * The marker carries the highest source LSN seen so far, kept in a store so it survives restarts.
 *
 * <p>Debezium delivers at least once: after its Connect worker dies it resends the changes since
 * its last flushed offset, which may already be in the topic. A streamed change's position
 * ({@code source.sequence} = [LSN of the last commit before its transaction, its own LSN], then
 * {@code transaction.total_order}) grows strictly in topic order, so a change at or below the
 * highest position seen is such a replay and is skipped (metric {@code replayed-changes-skipped}).
 */
public final class DispatchProcessorSupplier implements ProcessorSupplier<byte[], byte[], Object, Msg> {
  /** The Kafka source node reading the changes topic. */
  public static final String SOURCE_NODE = "debezium-source";
  public static final String NAME = "debezium-dispatch";
  public static final String STORE = NAME + "-state";
  private static final Logger LOG = LoggerFactory.getLogger(DispatchProcessorSupplier.class);
  private static final Bytes LSN_KEY = Bytes.wrap("lsn".getBytes(StandardCharsets.UTF_8));
  private static final Bytes EPOCH_TS_KEY = Bytes.wrap("epoch-ts".getBytes(StandardCharsets.UTF_8));
  /** Present between a transaction's BEGIN and its END. */
  private static final Bytes OPEN_TX_KEY = Bytes.wrap("open-tx".getBytes(StandardCharsets.UTF_8));
  /** The highest position of a streamed change seen (see isReplay): three longs. */
  private static final Bytes POSITION_KEY = Bytes.wrap("position".getBytes(StandardCharsets.UTF_8));
  /** Snapshot records after which more records of the same snapshot follow. */
  private static final Set<String> NON_FINAL_SNAPSHOT =
      Set.of("true", "first", "first_in_data_collection", "last_in_data_collection");
  private static final Set<String> DATA_OPS = Set.of("c", "u", "d", "r", "t");

  private final Map<String, List<String>> routes;
  private final StoreBuilder<KeyValueStore<Bytes, byte[]>> store = StateStores.persistent(STORE);

  /** @param routes {@code schema.table} to the names of the source processors reading it */
  public DispatchProcessorSupplier(Map<String, List<String>> routes) {
    this.routes = Map.copyOf(routes);
  }

  /**
   * Debezium's {@code source.sequence} text, {@code ["<last commit lsn>","<lsn>"]}, read without
   * a second JSON parse (the record's own parse is the only one per change); null when it is
   * not two numbers (a {@code null} last commit: the change is then never taken for a replay).
   */
  static long[] parseSequence(String text) {
    String t = text.strip();
    if (t.length() < 2 || t.charAt(0) != '[' || t.charAt(t.length() - 1) != ']') {
      return null;
    }
    String[] parts = t.substring(1, t.length() - 1).split(",", -1);
    if (parts.length != 2) {
      return null;
    }
    long[] out = new long[2];
    for (int i = 0; i < 2; i++) {
      String p = parts[i].strip();
      if (p.length() >= 2 && p.charAt(0) == '"' && p.charAt(p.length() - 1) == '"') {
        p = p.substring(1, p.length() - 1);
      }
      try {
        out[i] = Long.parseLong(p);
      } catch (NumberFormatException e) {
        return null; // "null", or not a number
      }
    }
    return out;
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(store);
  }

  @Override
  public Processor<byte[], byte[], Object, Msg> get() {
    return new DispatchProcessor();
  }

  private final class DispatchProcessor implements Processor<byte[], byte[], Object, Msg> {
    private ProcessorContext<Object, Msg> context;
    private KeyValueStore<Bytes, byte[]> state;
    private Sensor poison;
    private Sensor replayed;
    /** The store's {@code POSITION_KEY}, read once at init so each change costs no lookup. */
    private long[] lastPosition;
    /** False only in the benchmark mode {@code trickle.epochs=off}: markers on heartbeats only. */
    private boolean epochs = true;
    /** {@link Epochs#MIN_INTERVAL_CONFIG}: 0 closes an epoch at every source commit. */
    private long minIntervalNanos;
    private long lastMarkerNanos = Long.MIN_VALUE / 2;
    /**
     * The latest commit boundary not yet forwarded as a marker because the previous marker is
     * too recent; dropped as soon as a change after it is forwarded (the next boundary then
     * closes both transactions' epoch).
     */
    private Record<Object, Msg> pending;

    @Override
    public void init(ProcessorContext<Object, Msg> context) {
      this.context = context;
      this.epochs = Epochs.enabled(context.appConfigs());
      long minIntervalMs = Epochs.minIntervalMs(context.appConfigs());
      this.minIntervalNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(minIntervalMs);
      if (minIntervalMs > 0) {
        context.schedule(java.time.Duration.ofMillis(Math.max(1, minIntervalMs)),
            org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, now -> forwardPending());
      }
      this.state = context.getStateStore(STORE);
      this.poison = TrickleMetrics.poisonRecords(context.metrics(), NAME);
      this.replayed = TrickleMetrics.replayedChanges(context.metrics(), NAME);
      byte[] seen = state.get(POSITION_KEY);
      if (seen != null && seen.length == 24) {
        ByteBuffer b = ByteBuffer.wrap(seen);
        lastPosition = new long[] {b.getLong(), b.getLong(), b.getLong()};
      }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (record.value() == null) {
        return; // a Kafka tombstone carries no change; Debezium only sends them for compaction
      }
      JsonNode value;
      try {
        value = DebeziumJson.MAPPER.readTree(record.value());
      } catch (java.io.IOException | RuntimeException e) {
        skipPoison(record, "not JSON: " + e.getMessage());
        return;
      }
      if (value == null || !value.isObject()) {
        skipPoison(record, "not a JSON object");
      } else if (value.has("op") && value.has("source")) {
        dataChange(record, value);
      } else if (value.has("status")) {
        String status = value.path("status").asText();
        if ("END".equals(status)) {
          state.delete(OPEN_TX_KEY);
          if (epochs) {
            marker(record, value);
          }
        } else if ("BEGIN".equals(status)) {
          state.put(OPEN_TX_KEY, new byte[] {1});
        } else {
          skipPoison(record, "unknown transaction status " + status);
        }
      } else if (value.has("ts_ms") && value.size() == 1) {
        if (state.get(OPEN_TX_KEY) == null) {
          marker(record, value); // heartbeat
        }
      } else {
        skipPoison(record, "neither a data change, transaction metadata nor a heartbeat");
      }
    }

    private void dataChange(Record<byte[], byte[]> record, JsonNode value) {
      String op = value.path("op").asText();
      JsonNode source = value.path("source");
      if (!DATA_OPS.contains(op) || !source.isObject()) {
        skipPoison(record, "bad data change (op " + op + ")");
        return;
      }
      if (isReplay(source, value.get("transaction"))) {
        replayed.record();
        return;
      }
      JsonNode lsn = source.path("lsn");
      if (lsn.canConvertToLong() && lsn.asLong() > readLong(LSN_KEY, Long.MIN_VALUE)) {
        state.put(LSN_KEY, StateStores.longBytes(lsn.asLong()));
      }
      if (source.path("ts_ms").canConvertToLong()) {
        state.put(EPOCH_TS_KEY, StateStores.longBytes(source.path("ts_ms").asLong()));
      }
      String table = source.path("schema").asText() + "." + source.path("table").asText();
      List<String> targets = routes.get(table);
      if (targets != null) {
        Msg.SourceEvent event = new Msg.SourceEvent(op, value.get("before"), value.get("after"));
        Record<Object, Msg> out = new Record<>(null, event, record.timestamp(), new RecordHeaders());
        pending = null; // a change after the boundary: only a later boundary can close the epoch
        for (String target : targets) {
          context.forward(out, target);
        }
      }
      JsonNode tx = value.get("transaction");
      if (epochs && (tx == null || tx.isNull())) {
        JsonNode snapshot = source.get("snapshot");
        String s = snapshot == null || snapshot.isNull() ? null : snapshot.asText();
        if (s == null || !NON_FINAL_SNAPSHOT.contains(s)) {
          marker(record, value);
        }
      }
    }

    private void marker(Record<byte[], byte[]> record, JsonNode value) {
      long seq = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
      long lsn = readLong(LSN_KEY, 0L);
      long recordTs = value.path("ts_ms").canConvertToLong() ? value.path("ts_ms").asLong() : record.timestamp();
      long ts = readLong(EPOCH_TS_KEY, recordTs);
      state.delete(EPOCH_TS_KEY);
      Record<Object, Msg> marker = new Record<>(null, new Msg.Marker(seq, lsn, ts), record.timestamp(),
          new RecordHeaders());
      long now = System.nanoTime();
      if (minIntervalNanos > 0 && now - lastMarkerNanos < minIntervalNanos) {
        pending = marker; // coalesced with the next boundary, or forwarded by the punctuator
        return;
      }
      pending = null;
      lastMarkerNanos = now;
      context.forward(marker);
    }

    /** Forwards the boundary held back, if no change has followed it. */
    private void forwardPending() {
      if (pending != null) {
        Record<Object, Msg> marker = pending;
        pending = null;
        lastMarkerNanos = System.nanoTime();
        context.forward(marker);
      }
    }

    /**
     * True if this streamed change is at or below the highest position seen ({@code
     * POSITION_KEY}); remembers its
     * position otherwise. The position is (last commit LSN, LSN, order in its transaction): one
     * WAL record can hold several changes (a multi-row insert), which then share an LSN.
     * Snapshot records share one LSN and are never replays by this test.
     */
    private boolean isReplay(JsonNode source, JsonNode transaction) {
      JsonNode snapshot = source.get("snapshot");
      if (snapshot != null && !snapshot.isNull() && !"false".equals(snapshot.asText())) {
        return false;
      }
      long[] sequence = sequence(source.path("sequence"));
      if (sequence == null) {
        return false;
      }
      long order = transaction != null && transaction.path("total_order").canConvertToLong()
          ? transaction.path("total_order").asLong() : 0L;
      long[] position = {sequence[0], sequence[1], order};
      if (lastPosition != null && java.util.Arrays.compare(position, lastPosition) <= 0) {
        return true;
      }
      lastPosition = position;
      state.put(POSITION_KEY, ByteBuffer.allocate(24).putLong(position[0]).putLong(position[1])
          .putLong(position[2]).array());
      return false;
    }

    /**
     * Debezium's {@code "[\"<last commit lsn>\",\"<lsn>\"]"}, or null when absent or when the
     * last commit is unknown (then the change is never taken for a replay).
     */
    private long[] sequence(JsonNode sequence) {
      return sequence.isTextual() ? parseSequence(sequence.asText()) : null;
    }

    private long readLong(Bytes key, long absent) {
      byte[] bytes = state.get(key);
      return bytes == null ? absent : StateStores.readLong(bytes);
    }

    private void skipPoison(Record<byte[], byte[]> record, String why) {
      poison.record();
      RecordMetadata meta = context.recordMetadata().orElse(null);
      LOG.warn("Skipping unreadable source record at topic {} partition {} offset {}: {}",
          meta == null ? "?" : meta.topic(), meta == null ? -1 : meta.partition(),
          meta == null ? -1 : meta.offset(), why);
    }
  }
}
