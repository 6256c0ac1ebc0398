package io.trickle.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds records of the Debezium change topic (schemas disabled, as the source contract says)
 * ahead of time, so a benchmark measures the operators, not JSON generation.
 */
public final class DebeziumRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<byte[]> records = new ArrayList<>();
  private long lsn = 1000;
  private long tsMs = 1_700_000_000_000L;
  private String txId;
  private int txOrder;

  public static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  public DebeziumRecords insert(String table, Map<String, Object> after) {
    return data(table, "c", null, after);
  }

  /** An update without a before image: the source operator looks the old row up. */
  public DebeziumRecords update(String table, Map<String, Object> after) {
    return data(table, "u", null, after);
  }

  public DebeziumRecords delete(String table, Map<String, Object> before) {
    return data(table, "d", before, null);
  }

  public DebeziumRecords begin() {
    txId = "571:" + (lsn + 1);
    txOrder = 0;
    ObjectNode v = JSON.createObjectNode().put("status", "BEGIN").put("id", txId);
    v.putNull("event_count");
    v.put("ts_ms", tsMs);
    return add(v);
  }

  public DebeziumRecords end() {
    ObjectNode v = JSON.createObjectNode().put("status", "END").put("id", txId)
        .put("event_count", txOrder).put("ts_ms", tsMs);
    txId = null;
    return add(v);
  }

  private DebeziumRecords data(String table, String op, Map<String, Object> before, Map<String, Object> after) {
    lsn += 8;
    tsMs += 1;
    ObjectNode v = JSON.createObjectNode();
    v.set("before", before == null ? JSON.nullNode() : JSON.valueToTree(before));
    v.set("after", after == null ? JSON.nullNode() : JSON.valueToTree(after));
    v.putObject("source").put("schema", "public").put("table", table).put("lsn", lsn)
        .put("ts_ms", tsMs).put("snapshot", "false");
    if (txId == null) {
      v.putNull("transaction");
    } else {
      txOrder++;
      v.putObject("transaction").put("id", txId).put("total_order", txOrder)
          .put("data_collection_order", txOrder);
    }
    v.put("op", op).put("ts_ms", tsMs + 5);
    return add(v);
  }

  private DebeziumRecords add(ObjectNode v) {
    records.add(v.toString().getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public int size() {
    return records.size();
  }

  public byte[][] toArray() {
    return records.toArray(new byte[0][]);
  }
}
