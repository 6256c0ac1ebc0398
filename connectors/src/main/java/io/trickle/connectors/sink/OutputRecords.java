package io.trickle.connectors.sink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The output topic's record format (docs/architecture.md, "Output topics"): JSON keys and values,
 * epoch markers and error notices told apart by header.
 */
public final class OutputRecords {
  public static final String MARKER_HEADER = "trickle.marker";
  public static final String ERROR_HEADER = "trickle.error";

  /** Exact decimals: numeric values must reach PostgreSQL digit for digit. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private OutputRecords() {}

  public static JsonNode parse(Object bytesOrString) {
    if (bytesOrString == null) {
      return null;
    }
    try {
      if (bytesOrString instanceof byte[] b) {
        return JSON.readTree(b);
      }
      return JSON.readTree(bytesOrString.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON document: " + e.getMessage(), e);
    }
  }

  public static String text(Object bytesOrString) {
    if (bytesOrString instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return bytesOrString == null ? null : bytesOrString.toString();
  }

  /** PostgreSQL's text form of a JSON scalar, for {@code CAST(? AS type)}; null for JSON null. */
  public static String sqlText(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBigDecimal()) {
      return v.decimalValue().toPlainString();
    }
    if (v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    return v.toString();
  }

  /**
   * A value for a PostgreSQL array column: the output topic's JSON array as an array literal
   * ({@code {1,NULL,"a \"b\""}}), every element quoted except NULL; other values as {@link
   * #sqlText}.
   */
  public static String sqlText(JsonNode v, String columnType) {
    if (v == null || v.isNull() || !v.isArray() || !columnType.endsWith("[]")) {
      return sqlText(v);
    }
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < v.size(); i++) {
      String e = sqlText(v.get(i));
      sb.append(i == 0 ? "" : ",");
      if (e == null) {
        sb.append("NULL");
      } else {
        sb.append('"').append(e.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return sb.append('}').toString();
  }

  /** A 64-bit LSN in PostgreSQL's {@code pg_lsn} text form, {@code X/Y}. */
  public static String pgLsn(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase() + "/"
        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }
}
