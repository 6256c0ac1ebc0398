package io.trickle.cli.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;

/**
 * Builds the records the Debezium PostgreSQL connector writes to {@code trickle.src.<db>.changes}
 * as trickle configures it (JsonConverter without schemas, decimal.handling.mode=string,
 * time.precision.mode=adaptive_time_microseconds, provide.transaction.metadata=true): data
 * changes, transaction BEGIN/END, heartbeats. Column values come in as PostgreSQL's text output
 * (what pgoutput sends and what JDBC's {@code getString} returns) and are encoded per type.
 */
public final class DebeziumRecords {
  /** A Kafka record of the changes topic: key and value as JSON text. */
  public record SourceRecord(String key, String value) {}

  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** PostgreSQL's ISO output of timestamptz in a session with TimeZone UTC: {@code 2024-01-01 10:00:00.5+00}. */
  private static final DateTimeFormatter PG_TIMESTAMPTZ = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
      .appendOffset("+HH:mm", "+00").toFormatter();
  private static final DateTimeFormatter DEBEZIUM_TIMESTAMPTZ = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true).optionalEnd()
      .appendLiteral('Z').toFormatter();

  private final String server;
  private final String database;

  /** @param server the connector's topic prefix; @param database the captured database's name */
  public DebeziumRecords(String server, String database) {
    this.server = server;
    this.database = database;
  }

  /** One column value in Debezium's JSON encoding; {@code text} null is SQL NULL. */
  public static JsonNode encode(PgTable.PgColumn col, String text) {
    if (text == null) {
      return NullNode.instance;
    }
    return switch (col.typeOid()) {
      case 16 -> BooleanNode.valueOf(text.equals("t") || text.equals("true"));
      case 20, 21, 23, 26 -> LongNode.valueOf(Long.parseLong(text));
      case 700, 701 -> switch (text) {
        case "NaN", "Infinity", "-Infinity" -> TextNode.valueOf(text);
        default -> DoubleNode.valueOf(Double.parseDouble(text));
      };
      // decimal.handling.mode=string: the digits exactly as PostgreSQL prints them.
      case 1700 -> TextNode.valueOf(text);
      case 1082 -> LongNode.valueOf(LocalDate.parse(text).toEpochDay());
      case 1083 -> LongNode.valueOf(LocalTime.parse(text).toNanoOfDay() / 1000);
      case 1114 -> {
        LocalDateTime t = LocalDateTime.parse(text.replace(' ', 'T'));
        long micros = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
        // adaptive_time_microseconds: timestamp(0..3) as io.debezium.time.Timestamp (millis).
        yield LongNode.valueOf(col.typmod() >= 0 && col.typmod() <= 3 ? Math.floorDiv(micros, 1000L) : micros);
      }
      case 1184 -> TextNode.valueOf(DEBEZIUM_TIMESTAMPTZ.format(
          OffsetDateTime.parse(text, PG_TIMESTAMPTZ).withOffsetSameInstant(ZoneOffset.UTC)));
      default -> TextNode.valueOf(text); // text, varchar, bpchar (blank-padded, as Debezium sends it), ...
    };
  }

  /** A row image: every column whose text is known; {@code onlyKey} keeps the replica identity. */
  public static ObjectNode image(PgTable table, List<String> texts, boolean onlyKey) {
    ObjectNode o = NODES.objectNode();
    for (int i = 0; i < table.columns().size(); i++) {
      PgTable.PgColumn col = table.columns().get(i);
      if (!onlyKey || col.key()) {
        o.set(col.name(), encode(col, texts.get(i)));
      }
    }
    return o;
  }

  /**
   * A data change. {@code before} is null for inserts and (under REPLICA IDENTITY DEFAULT) for
   * updates; for deletes it holds only the key columns. {@code tx} is null outside a transaction
   * (snapshot records).
   */
  public SourceRecord change(PgTable table, String op, ObjectNode before, ObjectNode after, long lsn,
      long tsMs, String snapshot, TxPosition tx) {
    ObjectNode v = NODES.objectNode();
    v.set("before", before == null ? NullNode.instance : before);
    v.set("after", after == null ? NullNode.instance : after);
    ObjectNode source = v.putObject("source");
    source.put("version", "3.5.0.Final").put("connector", "postgresql").put("name", server)
        .put("ts_ms", tsMs).put("snapshot", snapshot).put("db", database).put("schema", table.schema())
        .put("table", table.name());
    if (tx == null) {
      source.putNull("txId");
    } else {
      source.put("txId", tx.xid());
    }
    source.put("lsn", lsn);
    if (tx == null) {
      v.putNull("transaction");
    } else {
      v.putObject("transaction").put("id", tx.id()).put("total_order", tx.totalOrder())
          .put("data_collection_order", tx.collectionOrder());
    }
    v.put("op", op).put("ts_ms", tsMs);
    ObjectNode key = after != null ? keyOf(table, after) : before != null ? keyOf(table, before) : null;
    return new SourceRecord(key == null ? null : key.toString(), v.toString());
  }

  /** Where a change sits in its transaction. */
  public record TxPosition(long xid, String id, long totalOrder, long collectionOrder) {}

  public SourceRecord begin(String txId, long tsMs) {
    ObjectNode v = NODES.objectNode().put("status", "BEGIN").put("id", txId);
    v.putNull("event_count");
    v.putNull("data_collections");
    v.put("ts_ms", tsMs);
    return new SourceRecord(NODES.objectNode().put("id", txId).toString(), v.toString());
  }

  public SourceRecord end(String txId, long tsMs, java.util.Map<String, Long> perTable) {
    long total = perTable.values().stream().mapToLong(Long::longValue).sum();
    ObjectNode v = NODES.objectNode().put("status", "END").put("id", txId).put("event_count", total);
    var collections = v.putArray("data_collections");
    perTable.forEach((t, n) -> collections.addObject().put("data_collection", t).put("event_count", n));
    v.put("ts_ms", tsMs);
    return new SourceRecord(NODES.objectNode().put("id", txId).toString(), v.toString());
  }

  public SourceRecord heartbeat(long tsMs) {
    return new SourceRecord(NODES.objectNode().put("serverName", server).toString(),
        NODES.objectNode().put("ts_ms", tsMs).toString());
  }

  private static ObjectNode keyOf(PgTable table, ObjectNode image) {
    ObjectNode k = NODES.objectNode();
    for (PgTable.PgColumn c : table.columns()) {
      if (c.key() && image.has(c.name())) {
        k.set(c.name(), image.get(c.name()));
      }
    }
    return k;
  }
}
