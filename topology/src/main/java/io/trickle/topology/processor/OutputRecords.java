package io.trickle.topology.processor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The output topic contract: JSON keys and values of data, marker and error records. */
public final class OutputRecords {
  public static final String MARKER_HEADER = "trickle.marker";
  public static final String ERROR_HEADER = "trickle.error";
  public static final String ROW_HASH_KEY = "__trickle_key";
  public static final String MARKER_KEY = "__trickle_marker";
  public static final String ERROR_KEY = "__trickle_error";
  private static final JsonNodeFactory NODES = DebeziumJson.MAPPER.getNodeFactory();
  /** Numerics keep their scale (12.50 stays 12.50, as the upstream's numeric(p,2) holds it). */
  private static final com.fasterxml.jackson.databind.ObjectReader EXACT_READER = DebeziumJson.MAPPER
      .reader().with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private OutputRecords() {}

  /**
   * Row-key columns by name; {} for a single-row table. A jsonb key is written in its normalised
   * form: {@code 1} and {@code 1.0} are one jsonb key, and a row whose key changes only between
   * such spellings must keep its Kafka key, or the old one would never get its tombstone.
   */
  public static byte[] key(Object[] row, List<Column> columns, List<Integer> keyColumns) {
    ObjectNode key = NODES.objectNode();
    for (int c : keyColumns) {
      Object v = row[c] instanceof io.trickle.compiler.expr.PgJsonb j ? j.normalized() : row[c];
      key.set(columns.get(c).name(), json(v));
    }
    return bytes(key);
  }

  /**
   * The key of one copy of a row identified by its hash: {@code <hash>:<ordinal>}, ordinal 1..n
   * for a row the query returns n times, so each copy is its own record and target row.
   */
  public static byte[] rowHashKey(String hex, long ordinal) {
    return bytes(NODES.objectNode().put(ROW_HASH_KEY, rowCopyKey(hex, ordinal)));
  }

  /** The {@code __trickle_key} text of copy {@code ordinal} of the row with hash {@code hex}. */
  public static String rowCopyKey(String hex, long ordinal) {
    return hex + ":" + ordinal;
  }

  /** All columns by name. */
  public static byte[] value(Object[] row, List<Column> columns) {
    ObjectNode value = NODES.objectNode();
    for (int i = 0; i < columns.size(); i++) {
      value.set(columns.get(i).name(), json(row[i]));
    }
    return bytes(value);
  }

  public static byte[] markerKey() {
    return bytes(NODES.objectNode().put(MARKER_KEY, true));
  }

  public static byte[] markerValue(Msg.Marker marker) {
    return bytes(NODES.objectNode().put("seq", marker.seq()).put("lsn", marker.lsn())
        .put("ts_ms", marker.tsMs()));
  }

  public static byte[] errorKey() {
    return bytes(NODES.objectNode().put(ERROR_KEY, true));
  }

  public static byte[] errorValue(Msg.ErrorNote error) {
    ObjectNode row = NODES.objectNode();
    for (Map.Entry<String, Object> e : error.row().entrySet()) {
      row.set(e.getKey(), json(e.getValue()));
    }
    ObjectNode value = NODES.objectNode();
    value.put("message", error.message());
    value.set("row", row);
    value.put("sqlstate", error.sqlState());
    value.put("operator", error.operator());
    value.put("position", error.position());
    return bytes(value);
  }

  public static Headers header(String name) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(name, "1".getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** A runtime value as the contract encodes it. */
  public static JsonNode json(Object v) {
    if (v == null) {
      return NODES.nullNode();
    } else if (v instanceof Long l) {
      return NODES.numberNode(l);
    } else if (v instanceof BigDecimal d) {
      return NODES.numberNode(d);
    } else if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? NODES.textNode(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
          : NODES.numberNode(d);
    } else if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (v instanceof String s) {
      return NODES.textNode(s);
    } else if (v instanceof LocalDate d) {
      return NODES.textNode(DateTimeFormatter.ISO_LOCAL_DATE.format(d));
    } else if (v instanceof LocalTime t) {
      return NODES.textNode(DateTimeFormatter.ISO_LOCAL_TIME.format(t));
    } else if (v instanceof LocalDateTime t) {
      return NODES.textNode(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
    } else if (v instanceof Instant t) {
      return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(t));
    } else if (v instanceof io.trickle.compiler.expr.PgInterval i) {
      // PostgreSQL's own output style, which its interval input (the sink's cast) reads back.
      return NODES.textNode(i.toString());
    } else if (v instanceof io.trickle.compiler.expr.PgJsonb j) {
      // jsonb travels as its text, as Debezium sends it; the sink casts it back to jsonb.
      return NODES.textNode(j.toString());
    } else if (v instanceof java.util.List<?> list) {
      var array = NODES.arrayNode(list.size());
      for (Object e : list) {
        array.add(json(e));
      }
      return array;
    }
    throw new IllegalArgumentException("not a runtime value: " + v.getClass().getName());
  }

  /**
   * The inverse of {@link #json}: a value of an output topic, read back as the runtime value of
   * a column of {@code type} (a stream table reading another one's output topic).
   *
   * @throws EvalException 22P02 when the JSON value does not fit the column type
   */
  public static Object toValue(JsonNode node, ColumnType type) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    try {
      return switch (type.kind()) {
        case DATE -> LocalDate.parse(node.asText());
        case TIME -> LocalTime.parse(node.asText());
        case TIMESTAMP -> LocalDateTime.parse(node.asText());
        case TIMESTAMPTZ -> Instant.parse(node.asText());
        case TEXT -> node.asText();
        case INTERVAL -> io.trickle.compiler.expr.PgIntervalInput.parse(node.asText());
        case ARRAY -> {
          Object[] out = new Object[node.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = toValue(node.get(i), type.element());
          }
          yield java.util.Collections.unmodifiableList(java.util.Arrays.asList(out));
        }
        default -> DebeziumJson.toValue(node, type);
      };
    } catch (java.time.DateTimeException | IllegalArgumentException e) {
      throw new EvalException("22P02", "invalid " + type + " value in an output topic: " + node);
    }
  }

  /** Parses a JSON key or value of an output topic; null stays null (a tombstone). */
  public static JsonNode parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return EXACT_READER.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new EvalException("22P02", "not JSON: " + e.getMessage());
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return DebeziumJson.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
