package io.trickle.compiler.expr;

import static io.trickle.compiler.expr.E.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** Expected values are PostgreSQL's (PostgresOracleIT checks the same families live). */
class CastTest {
  private static final ColumnType TIME = ColumnType.of(Kind.TIME);
  private static final ColumnType TS = ColumnType.of(Kind.TIMESTAMP);
  private static final ColumnType TSTZ = ColumnType.of(Kind.TIMESTAMPTZ);

  @Test
  void numericToIntegerRoundsHalfAwayFromZero() {
    assertThat(eval(cast(num("2.5"), INT4))).as("2.5::int").isEqualTo(3L);
    assertThat(eval(cast(num("-2.5"), INT4))).as("-2.5::int").isEqualTo(-3L);
    assertThat(eval(cast(num("2.4999"), INT4))).as("2.4999::int").isEqualTo(2L);
    EvaluatorTest.assertError(cast(num("32767.5"), INT2), "22003", "smallint out of range");
  }

  @Test
  void doubleToIntegerRoundsHalfToEven() {
    assertThat(eval(cast(f8(2.5), INT4))).as("2.5::float8::int").isEqualTo(2L);
    assertThat(eval(cast(f8(3.5), INT4))).as("3.5::float8::int").isEqualTo(4L);
    assertThat(eval(cast(f8(-2.5), INT4))).as("-2.5::float8::int").isEqualTo(-2L);
    EvaluatorTest.assertError(cast(f8(Double.NaN), INT4), "22003", "integer out of range");
    EvaluatorTest.assertError(cast(f8(9.3e18), INT8), "22003", "bigint out of range");
  }

  @Test
  void numericTypmodRoundsAndChecksPrecision() {
    ColumnType n52 = ColumnType.numeric(5, 2);
    assertThat(eval(cast(num("1.005"), n52))).as("1.005::numeric(5,2)")
        .isEqualTo(new BigDecimal("1.01"));
    assertThat(eval(cast(num("-1.005"), n52))).as("-1.005::numeric(5,2)")
        .isEqualTo(new BigDecimal("-1.01"));
    assertThat(eval(cast(i4(7), n52))).as("7::numeric(5,2)").isEqualTo(new BigDecimal("7.00"));
    assertThat(eval(cast(num("999.994"), n52))).as("999.994").isEqualTo(new BigDecimal("999.99"));
    EvaluatorTest.assertError(cast(num("999.995"), n52), "22003", "numeric field overflow");
    assertThat(eval(cast(f8(0.1), NUM))).as("0.1::float8::numeric")
        .isEqualTo(new BigDecimal("0.1"));
    assertThat(eval(cast(f8(1.0 / 3), NUM))).as("(1/3)::float8::numeric, 15 digits")
        .isEqualTo(new BigDecimal("0.333333333333333"));
  }

  @Test
  void toText() {
    assertThat(eval(cast(bool(true), TEXT))).as("true::text").isEqualTo("true");
    assertThat(eval(cast(i4(-5), TEXT))).as("int").isEqualTo("-5");
    assertThat(eval(cast(num("1E+3"), TEXT))).as("numeric, no exponent").isEqualTo("1000");
    assertThat(eval(cast(num("0.00100"), TEXT))).as("numeric keeps scale").isEqualTo("0.00100");
    assertThat(eval(cast(f8(0.1), TEXT))).as("0.1").isEqualTo("0.1");
    assertThat(eval(cast(f8(0.1 + 0.2), TEXT))).as("0.1+0.2").isEqualTo("0.30000000000000004");
    assertThat(eval(cast(f8(1e15), TEXT))).as("1e15").isEqualTo("1e+15");
    assertThat(eval(cast(f8(123456789012345.0), TEXT))).as("15 digits")
        .isEqualTo("123456789012345");
    assertThat(eval(cast(f8(1e-5), TEXT))).as("1e-5").isEqualTo("1e-05");
    assertThat(eval(cast(f8(0.0001), TEXT))).as("1e-4").isEqualTo("0.0001");
    assertThat(eval(cast(f8(-0.0), TEXT))).as("-0").isEqualTo("-0");
    assertThat(eval(cast(f8(Double.NaN), TEXT))).as("NaN").isEqualTo("NaN");
    assertThat(eval(cast(f8(Double.NEGATIVE_INFINITY), TEXT))).as("-inf").isEqualTo("-Infinity");
    assertThat(eval(cast(f8(1e23), TEXT))).as("1e23 (halfway bound excluded)")
        .isEqualTo("9.999999999999999e+22");
    assertThat(eval(cast(lit((double) 0.1f, FLOAT4), TEXT))).as("0.1::real").isEqualTo("0.1");
    assertThat(eval(cast(lit(1234567.0, FLOAT4), TEXT))).as("real 7 digits")
        .isEqualTo("1.234567e+06");
    assertThat(eval(cast(lit(LocalDate.of(2024, 1, 31), DATE), TEXT))).as("date")
        .isEqualTo("2024-01-31");
    assertThat(eval(cast(lit(LocalTime.of(10, 15), TIME), TEXT))).as("time")
        .isEqualTo("10:15:00");
    assertThat(eval(cast(lit(LocalDateTime.of(2024, 1, 31, 10, 15, 30, 500_000_000), TS),
        TEXT))).as("timestamp").isEqualTo("2024-01-31 10:15:30.5");
    assertThat(eval(cast(lit(Instant.parse("2024-01-31T10:15:30.123456Z"), TSTZ), TEXT)))
        .as("timestamptz in UTC").isEqualTo("2024-01-31 10:15:30.123456+00");
    ColumnType varchar3 = new ColumnType(Kind.TEXT, 3, -1, "character varying(3)");
    assertThat(eval(cast(text("abcdef"), varchar3))).as("varchar(3) truncates").isEqualTo("abc");
    ColumnType char5 = new ColumnType(Kind.TEXT, 5, -1, "character(5)");
    assertThat(eval(cast(i4(12), char5))).as("char(5) has no trailing blanks").isEqualTo("12");
  }

  @Test
  void fromText() {
    assertThat(eval(cast(text(" 42 "), INT4))).as("' 42 '::int").isEqualTo(42L);
    assertThat(eval(cast(text("1_000"), INT4))).as("underscores").isEqualTo(1000L);
    assertThat(eval(cast(text("0x1F"), INT4))).as("hex").isEqualTo(31L);
    assertThat(eval(cast(text("-9223372036854775808"), INT8))).as("bigint min")
        .isEqualTo(Long.MIN_VALUE);
    EvaluatorTest.assertError(cast(text("x"), INT4), "22P02",
        "invalid input syntax for type integer: \"x\"");
    EvaluatorTest.assertError(cast(text("1.5"), INT8), "22P02",
        "invalid input syntax for type bigint: \"1.5\"");
    EvaluatorTest.assertError(cast(text("40000"), INT2), "22003",
        "value \"40000\" is out of range for type smallint");
    assertThat(eval(cast(text("1.50e1"), NUM))).as("numeric exponent")
        .isEqualTo(new BigDecimal("15.0"));
    assertThat(eval(cast(text("1e3"), NUM))).as("1e3").isEqualTo(new BigDecimal("1000"));
    EvaluatorTest.assertError(cast(text("1,5"), NUM), "22P02",
        "invalid input syntax for type numeric: \"1,5\"");
    assertThat(eval(cast(text("-Infinity"), FLOAT8))).as("-Infinity")
        .isEqualTo(Double.NEGATIVE_INFINITY);
    EvaluatorTest.assertError(cast(text("1e400"), FLOAT8), "22003",
        "\"1e400\" is out of range for type double precision");
    assertThat(eval(cast(text(" Yes "), BOOL))).as("yes").isEqualTo(true);
    assertThat(eval(cast(text("of"), BOOL))).as("of").isEqualTo(false);
    EvaluatorTest.assertError(cast(text("o"), BOOL), "22P02",
        "invalid input syntax for type boolean: \"o\"");
    assertThat(eval(cast(text("2024-02-29"), DATE))).as("date")
        .isEqualTo(LocalDate.of(2024, 2, 29));
    EvaluatorTest.assertError(cast(text("2023-02-29"), DATE), "22008",
        "date/time field value out of range: \"2023-02-29\"");
    assertThat(eval(cast(text("2024-01-31 10:15:30+02"), TSTZ))).as("tstz with offset")
        .isEqualTo(Instant.parse("2024-01-31T08:15:30Z"));
    assertThat(eval(cast(text("10:15:30.1234567"), TIME))).as("time rounds to micros")
        .isEqualTo(LocalTime.of(10, 15, 30, 123_457_000));
  }

  private static Expr atZone(Expr e, String zone, ColumnType to) {
    return new Expr.Call(Operator.AT_TIME_ZONE, java.util.List.of(e, lit(zone, TEXT)), to);
  }

  private static Expr trunc(String unit, Expr e, String zone) {
    return new Expr.Call(Operator.DATE_TRUNC, java.util.List.of(lit(unit, TEXT), e,
        lit(zone, TEXT)), TSTZ);
  }

  /** PostgreSQL's answers under SET TimeZone = 'Europe/Paris' (2024: +01, +02 from March 31). */
  @Test
  void zonedConversionsFollowPostgresAtTransitions() {
    assertThat(eval(atZone(lit(LocalDateTime.of(2024, 3, 31, 2, 30), TS), "Europe/Paris", TSTZ)))
        .as("a skipped time reads with the offset before the gap")
        .isEqualTo(Instant.parse("2024-03-31T01:30:00Z"));
    assertThat(eval(atZone(lit(LocalDateTime.of(2024, 10, 27, 2, 30), TS), "Europe/Paris", TSTZ)))
        .as("a repeated time reads with the offset after the overlap")
        .isEqualTo(Instant.parse("2024-10-27T01:30:00Z"));
    assertThat(eval(atZone(lit(Instant.parse("2024-10-27T00:30:00Z"), TSTZ), "Europe/Paris", TS)))
        .as("timestamptz to wall clock").isEqualTo(LocalDateTime.of(2024, 10, 27, 2, 30));
    assertThat(eval(trunc("day", lit(Instant.parse("2024-03-31T12:00:00Z"), TSTZ),
        "Europe/Paris"))).as("midnight before the gap").isEqualTo(Instant.parse("2024-03-30T23:00:00Z"));
    assertThat(eval(trunc("hour", lit(Instant.parse("2024-10-27T00:45:00Z"), TSTZ),
        "Europe/Paris"))).as("an hour keeps the original offset (+02)")
        .isEqualTo(Instant.parse("2024-10-27T00:00:00Z"));
    assertThat(eval(trunc("month", lit(Instant.parse("2024-10-31T23:30:00Z"), TSTZ),
        "Europe/Paris"))).as("November 1st in Paris").isEqualTo(Instant.parse("2024-10-31T23:00:00Z"));
  }

  @Test
  void betweenKinds() {
    assertThat(eval(cast(bool(true), INT4))).as("true::int").isEqualTo(1L);
    assertThat(eval(cast(i4(0), BOOL))).as("0::bool").isEqualTo(false);
    assertThat(eval(cast(num("0.1"), FLOAT8))).as("numeric to float8").isEqualTo(0.1);
    assertThat(eval(cast(f8(0.1), FLOAT4))).as("float8 to float4").isEqualTo((double) 0.1f);
    EvaluatorTest.assertError(cast(f8(1e300), FLOAT4), "22003", "value out of range: overflow");
    assertThat(eval(cast(lit(LocalDateTime.of(2024, 1, 31, 23, 0), TS), DATE)))
        .as("timestamp to date").isEqualTo(LocalDate.of(2024, 1, 31));
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> eval(cast(lit(LocalDate.of(2024, 1, 31), DATE), TSTZ)))
        .as("a plain cast never guesses a zone").hasMessageContaining("depends on the TimeZone");
    assertThat(eval(atZone(cast(lit(LocalDate.of(2024, 1, 31), DATE), TS), "Europe/Paris", TSTZ)))
        .as("date to timestamptz in Paris").isEqualTo(Instant.parse("2024-01-30T23:00:00Z"));
    assertThat(eval(cast(i4(null), TEXT))).as("NULL stays NULL").isNull();
  }
}
