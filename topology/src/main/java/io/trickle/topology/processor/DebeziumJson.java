package io.trickle.topology.processor;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.plan.ColumnType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Debezium's JSON column encodings (decimal.handling.mode=string,
 * time.precision.mode=adaptive_time_microseconds) to runtime values.
 */
public final class DebeziumJson {
  /** Exact decimals in and out; NaN/Infinity tolerated on input. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();
  /** What pgoutput sends for an unchanged TOASTed column. */
  public static final String UNAVAILABLE = "__debezium_unavailable_value";

  private DebeziumJson() {}

  public static boolean isUnavailable(JsonNode node) {
    return node != null && node.isTextual() && UNAVAILABLE.equals(node.asText());
  }

  /**
   * @throws EvalException 22P02 when the JSON value does not fit the column type
   */
  public static Object toValue(JsonNode node, ColumnType type) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    try {
      return switch (type.kind()) {
        case BOOLEAN -> node.isBoolean() ? node.booleanValue() : Boolean.parseBoolean(node.asText());
        case SMALLINT, INTEGER, BIGINT -> node.isIntegralNumber() ? node.longValue()
            : Long.parseLong(node.asText());
        case NUMERIC -> node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText());
        case REAL, DOUBLE -> node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asText());
        case TEXT -> isBpchar(type) ? stripTrailingBlanks(node.asText()) : node.asText();
        case DATE -> LocalDate.ofEpochDay(node.asLong());
        case TIME -> LocalTime.ofNanoOfDay(Math.multiplyExact(node.asLong(), 1000L));
        // adaptive_time_microseconds: timestamp(0..3) arrives as epoch millis, (4..6) as micros.
        case TIMESTAMP -> type.precision() >= 0 && type.precision() <= 3
            ? micros(Math.multiplyExact(node.asLong(), 1000L)) : micros(node.asLong());
        case TIMESTAMPTZ -> instant(node.asText());
        // The compiler never gives a column this type; intervals live inside expressions only.
        case INTERVAL -> throw new EvalException("0A000", "interval columns are not supported");
        // io.debezium.data.Uuid and io.debezium.data.Json: PostgreSQL's output text.
        case UUID -> io.trickle.compiler.expr.PgUuid.parse(node.asText());
        case JSONB -> io.trickle.compiler.expr.PgJsonb.parse(node.asText());
        case ARRAY -> array(node, type.element());
      };
    } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
      throw new EvalException("22P02", "invalid " + type + " value from Debezium: " + node);
    }
  }

  /** Debezium sends a one-dimensional array as a JSON array of its elements' encodings. */
  private static java.util.List<Object> array(JsonNode node, ColumnType element) {
    if (!node.isArray()) {
      throw new NumberFormatException("not a JSON array");
    }
    Object[] out = new Object[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = toValue(node.get(i), element);
    }
    return java.util.Collections.unmodifiableList(java.util.Arrays.asList(out));
  }

  private static LocalDateTime micros(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  /** char(n) is {@code character(n)} in format_type; its padding is not part of the value. */
  static boolean isBpchar(ColumnType type) {
    String pg = type.pgType();
    return pg.equals("bpchar") || pg.equals("character") || pg.startsWith("character(");
  }

  static String stripTrailingBlanks(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end);
  }
}
