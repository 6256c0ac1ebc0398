package io.trickle.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.StateStores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table with a primary key: a captured table in the capture stage ({@link
 * io.trickle.topology.capture.CaptureTopology}), or another stream table's target table in the
 * topology of a stream table reading it. Keeps primary key → current row in its store ({@code
 * capture-<schema.table>-rows}, or {@code source-N-rows} over a stream table) and turns each
 * Debezium event into −stored/+new, which makes replays and re-snapshots idempotent, fills
 * unchanged TOAST columns, and lets a delete or TRUNCATE retract rows Debezium does not repeat.
 *
 * <p>A source over another stream table ({@link SourceOp#upstream()}) gets the same events from
 * {@link UpstreamReadProcessorSupplier}: upserts and deletes whose values are encoded as in the
 * output topic contract rather than as Debezium encodes them.
 */
public final class SourceProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(SourceProcessorSupplier.class);

  private final SourceOp op;
  private final String name;
  private final String storeName;
  private final StoreBuilder<KeyValueStore<Bytes, byte[]>> store;

  /** A source over another stream table, inside that stream table's topology. */
  public SourceProcessorSupplier(SourceOp op) {
    this(op, op.name(), op.storeNames().get(0));
  }

  /**
   * @param name the processor's name (metrics, logs, error notes)
   * @param storeName its primary key → current row store
   */
  public SourceProcessorSupplier(SourceOp op, String name, String storeName) {
    if (!op.key().unique() || op.key().columns().isEmpty()) {
      throw new UnsupportedOperationException("Table " + op.qualifiedName() + " (" + op.name()
          + ") has no primary key; keyless sources (REPLICA IDENTITY FULL, row-hash keys) are not "
          + "supported by the topology yet. Add a primary key to the table.");
    }
    this.op = op;
    this.name = name;
    this.storeName = storeName;
    this.store = StateStores.persistent(storeName);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(store);
  }

  @Override
  public SourceProcessor get() {
    return new SourceProcessor();
  }

  final class SourceProcessor extends OperatorProcessor {
    private final List<Column> columns = op.columns();
    private final int[] keyColumns = KeyCodec.toArray(op.key().columns());
    private final boolean upstream = op.readsStreamTable();
    private KeyValueStore<Bytes, byte[]> rows;
    private Sensor poison;

    private Object decode(JsonNode node, Column c) {
      return upstream ? OutputRecords.toValue(node, c.type()) : DebeziumJson.toValue(node, c.type());
    }

    SourceProcessor() {
      super(op, name);
    }

    @Override
    protected void openOperator() {
      rows = store(storeName);
      poison = TrickleMetrics.poisonRecords(context.metrics(), name);
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      throw new IllegalStateException(name + " reads Debezium events, not changes");
    }

    @Override
    protected void onSourceEvent(Msg.SourceEvent event, Record<Object, Msg> record) {
      try {
        switch (event.op()) {
          case "c", "r", "u" -> upsert(event, record);
          case "d" -> delete(event, record);
          case "t" -> truncate(record);
          default -> throw new EvalException("22023", "unknown Debezium op " + event.op());
        }
      } catch (EvalException e) {
        poison.record();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        LOG.warn("{}: skipping change of {} at topic {} partition {} offset {}: {}", name,
            op.qualifiedName(), meta == null ? "?" : meta.topic(), meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(), e.getMessage());
        reportError(record, e, new Object[0], columns);
      }
    }

    private void upsert(Msg.SourceEvent event, Record<Object, Msg> record) {
      JsonNode after = requireObject(event.after(), "after");
      Object[] key = keyOf(after);
      Bytes keyBytes = Bytes.wrap(KeyCodec.encode(key, indexes()));
      byte[] stored = rows.get(keyBytes);
      Object[] storedRow = stored == null ? null : RowCodec.decode(stored);
      Object[] row = new Object[columns.size()];
      for (int i = 0; i < row.length; i++) {
        JsonNode node = after.get(columns.get(i).name());
        if (!upstream && DebeziumJson.isUnavailable(node)) {
          if (storedRow == null) {
            LOG.warn("{}: unchanged TOAST column {} of a row never seen; using NULL", name,
                columns.get(i).name());
          }
          row[i] = storedRow == null ? null : storedRow[i];
        } else {
          row[i] = decode(node, columns.get(i));
        }
      }
      JsonNode before = event.before();
      if (before != null && before.isObject() && hasKey(before)) {
        Bytes oldKey = Bytes.wrap(KeyCodec.encode(keyOf(before), indexes()));
        if (!oldKey.equals(keyBytes)) {
          retract(oldKey, record); // a primary key change reported as one update
        }
      }
      byte[] encoded = RowCodec.encode(row);
      if (stored != null && Arrays.equals(stored, encoded)) {
        return; // a replayed or re-snapshotted row: nothing changed
      }
      if (storedRow != null) {
        emit(record, storedRow, -1);
      }
      rows.put(keyBytes, encoded);
      emit(record, row, +1);
    }

    private void delete(Msg.SourceEvent event, Record<Object, Msg> record) {
      JsonNode before = requireObject(event.before(), "before");
      retract(Bytes.wrap(KeyCodec.encode(keyOf(before), indexes())), record);
    }

    private void retract(Bytes key, Record<Object, Msg> record) {
      byte[] stored = rows.get(key);
      if (stored != null) {
        rows.delete(key);
        emit(record, RowCodec.decode(stored), -1);
      }
    }

    private void truncate(Record<Object, Msg> record) {
      List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(rows).all()) {
        it.forEachRemaining(all::add);
      }
      for (KeyValue<Bytes, byte[]> kv : all) {
        rows.delete(kv.key);
        emit(record, RowCodec.decode(kv.value), -1);
      }
    }

    /** The primary key values, in key column order. */
    private Object[] keyOf(JsonNode image) {
      Object[] key = new Object[keyColumns.length];
      for (int i = 0; i < keyColumns.length; i++) {
        Column c = columns.get(keyColumns[i]);
        key[i] = decode(image.get(c.name()), c);
        if (key[i] == null) {
          throw new EvalException("23502", "primary key column " + c.name() + " missing or NULL");
        }
      }
      return key;
    }

    private boolean hasKey(JsonNode image) {
      for (int c : keyColumns) {
        JsonNode n = image.get(columns.get(c).name());
        if (n == null || n.isNull()) {
          return false;
        }
      }
      return true;
    }

    private int[] indexes() {
      int[] idx = new int[keyColumns.length];
      Arrays.setAll(idx, i -> i);
      return idx;
    }

    private JsonNode requireObject(JsonNode node, String field) {
      if (node == null || !node.isObject()) {
        throw new EvalException("22023", "Debezium event without \"" + field + "\"");
      }
      return node;
    }
  }
}
