package io.trickle.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.trickle.compiler.plan.ColumnType;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * Debezium's temporal encodings depend on the column's declared precision; uuid and jsonb arrive
 * as text and leave (output topic, state) in their canonical form.
 */
class DebeziumJsonTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void timestampUpToMillisecondPrecisionArrivesAsEpochMillis() {
    ColumnType ts3 = new ColumnType(ColumnType.Kind.TIMESTAMP, 3, -1, "timestamp(3) without time zone");
    assertThat(DebeziumJson.toValue(F.numberNode(1706696130123L), ts3))
        .as("timestamp(3) is io.debezium.time.Timestamp (millis)")
        .isEqualTo(LocalDateTime.of(2024, 1, 31, 10, 15, 30, 123_000_000));
  }

  @Test
  void timestampWithMicrosecondPrecisionArrivesAsEpochMicros() {
    ColumnType ts = new ColumnType(ColumnType.Kind.TIMESTAMP, -1, -1, "timestamp without time zone");
    assertThat(DebeziumJson.toValue(F.numberNode(1706696130123456L), ts))
        .as("timestamp is io.debezium.time.MicroTimestamp (micros)")
        .isEqualTo(LocalDateTime.of(2024, 1, 31, 10, 15, 30, 123_456_000));
  }

  @Test
  void uuidAndJsonbRoundTripThroughSourceOutputAndState() {
    ColumnType uuid = ColumnType.of(ColumnType.Kind.UUID);
    ColumnType jsonb = ColumnType.of(ColumnType.Kind.JSONB);
    Object u = DebeziumJson.toValue(F.textNode("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), uuid);
    Object j = DebeziumJson.toValue(F.textNode("{\"b\": 1.50, \"a\": [true, null]}"), jsonb);
    assertThat(u).as("uuid value").isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(OutputRecords.json(j).textValue()).as("jsonb in the output topic")
        .isEqualTo("{\"a\": [true, null], \"b\": 1.50}");
    assertThat(OutputRecords.toValue(OutputRecords.json(j), jsonb)).as("read back from a topic")
        .isEqualTo(j);
    assertThat(OutputRecords.toValue(OutputRecords.json(u), uuid)).as("uuid read back").isEqualTo(u);
    Object[] row = io.trickle.topology.state.RowCodec.decode(
        io.trickle.topology.state.RowCodec.encode(new Object[] {u, j}));
    assertThat(row).as("state codec round trip").containsExactly(u, j);
    assertThat(row[1].toString()).as("the exact jsonb text survives the state codec")
        .isEqualTo(j.toString());
    java.util.List<io.trickle.compiler.plan.Column> columns =
        java.util.List.of(new io.trickle.compiler.plan.Column("v", jsonb));
    assertThat(OutputRecords.key(new Object[] {io.trickle.compiler.expr.PgJsonb.parse("{\"n\": 1}")},
        columns, java.util.List.of(0)))
        .as("1 and 1.0 are one jsonb key, so one Kafka key")
        .isEqualTo(OutputRecords.key(new Object[] {io.trickle.compiler.expr.PgJsonb.parse("{\"n\": 1.0}")},
            columns, java.util.List.of(0)));
  }

  @Test
  void arraysArriveAsJsonArraysOfTheirElementEncodings() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    ColumnType numerics = ColumnType.array(ColumnType.of(ColumnType.Kind.NUMERIC));
    assertThat(DebeziumJson.toValue(m.readTree("[\"1.50\",null,\"-2\"]"), numerics))
        .as("numeric[] with decimal.handling.mode=string")
        .isEqualTo(java.util.Arrays.asList(new java.math.BigDecimal("1.50"), null,
            new java.math.BigDecimal("-2")));
    ColumnType dates = ColumnType.array(ColumnType.of(ColumnType.Kind.DATE));
    assertThat(DebeziumJson.toValue(m.readTree("[19753]"), dates)).as("date[] as epoch days")
        .isEqualTo(java.util.List.of(java.time.LocalDate.of(2024, 1, 31)));
    assertThat(OutputRecords.json(DebeziumJson.toValue(m.readTree("[1,null]"),
        ColumnType.array(ColumnType.of(ColumnType.Kind.INTEGER)))).toString())
        .as("output encoding").isEqualTo("[1,null]");
  }
}
