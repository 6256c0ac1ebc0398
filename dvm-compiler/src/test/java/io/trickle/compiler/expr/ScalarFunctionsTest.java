package io.trickle.compiler.expr;

import static io.trickle.compiler.expr.E.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The scalar functions one by one, with the PostgreSQL results they must reproduce. */
class ScalarFunctionsTest {
  private static final ColumnType TS = ColumnType.of(Kind.TIMESTAMP);
  private static final ColumnType IV = ColumnType.of(Kind.INTERVAL);

  private static Expr date(String s) {
    return lit(LocalDate.parse(s), DATE);
  }

  private static Expr months(int n) {
    return lit(PgInterval.ofMonths(n), IV);
  }

  @Test
  void dateplusIntervalClampsToTheMonthEndAndIsATimestamp() {
    assertThat(eval(call(Operator.PLUS, TS, date("2024-01-31"), months(1))))
        .as("leap February").isEqualTo(LocalDateTime.parse("2024-02-29T00:00"));
    assertThat(eval(call(Operator.PLUS, TS, date("2023-01-31"), months(1))))
        .as("common February").isEqualTo(LocalDateTime.parse("2023-02-28T00:00"));
    assertThat(eval(call(Operator.MINUS, TS, date("2024-03-31"), months(1))))
        .isEqualTo(LocalDateTime.parse("2024-02-29T00:00"));
    assertThat(eval(call(Operator.PLUS, TS, date("2024-02-29"), months(12))))
        .isEqualTo(LocalDateTime.parse("2025-02-28T00:00"));
    Expr dayAndTime = lit(new PgInterval(0, 1, 3_600_000_000L), IV);
    assertThat(eval(call(Operator.MINUS, TS, lit(LocalDateTime.parse("2024-03-01T00:30"), TS),
        dayAndTime))).isEqualTo(LocalDateTime.parse("2024-02-28T23:30"));
    assertThat(eval(call(Operator.PLUS, TS, lit(null, DATE), months(1)))).isNull();
    assertThatThrownBy(() -> eval(call(Operator.PLUS, TS, date("2024-01-31"),
        months(3_600_000)))).isInstanceOf(EvalException.class)
        .hasMessage("timestamp out of range");
  }

  @Test
  void intervalPrintsLikePostgres() {
    assertThat(new PgInterval(14, 3, 3_723_000_000L)).hasToString("1 year 2 mons 3 days 01:02:03");
    assertThat(new PgInterval(0, -90, 0)).hasToString("-90 days");
    assertThat(new PgInterval(0, 0, 0)).hasToString("00:00:00");
  }

  @Test
  void extractIsNumericWithPostgresYearRules() {
    Expr year = text("year");
    ColumnType num = NUM;
    assertThat(eval(call(Operator.EXTRACT, num, year, date("2024-02-29"))))
        .isEqualTo(new BigDecimal("2024"));
    assertThat(eval(call(Operator.EXTRACT, num, year, date("-0043-03-15"))))
        .as("44 BC; there is no year 0").isEqualTo(new BigDecimal("-44"));
    assertThat(eval(call(Operator.EXTRACT, num, text("century"), date("2000-12-31"))))
        .isEqualTo(new BigDecimal("20"));
    assertThat(eval(call(Operator.EXTRACT, num, text("dow"), date("2024-03-03"))))
        .as("Sunday").isEqualTo(new BigDecimal("0"));
    assertThat(eval(call(Operator.EXTRACT, num, text("second"),
        lit(LocalDateTime.parse("2024-01-01T10:15:30.5"), TS))))
        .isEqualTo(new BigDecimal("30.500000"));
  }

  @Test
  void dateTruncFollowsPostgres() {
    Expr ts = lit(LocalDateTime.parse("2024-02-29T13:45:10.25"), TS);
    assertThat(eval(call(Operator.DATE_TRUNC, TS, text("week"), ts)))
        .isEqualTo(LocalDateTime.parse("2024-02-26T00:00"));
    assertThat(eval(call(Operator.DATE_TRUNC, TS, text("quarter"), ts)))
        .isEqualTo(LocalDateTime.parse("2024-01-01T00:00"));
    assertThat(eval(call(Operator.DATE_TRUNC, TS, text("century"), ts)))
        .isEqualTo(LocalDateTime.parse("2001-01-01T00:00"));
  }

  @Test
  void likeUsesBackslashEscapesAndPostgresErrors() {
    assertThat(like("a%b", "a\\%b", null)).isTrue();
    assertThat(like("axb", "a\\%b", null)).isFalse();
    assertThat(like("a_b", "a!_b", "!")).isTrue();
    assertThat(like("hello world", "%o%o%", null)).isTrue();
    assertThat(like("hello", "h_l%", null)).isTrue();
    assertThat(like("😀x", "_x", null)).as("one character, two UTF-16 units").isTrue();
    assertThat(like("x", "x\\", null)).as("the escape is never reached").isFalse();
    assertThatThrownBy(() -> like("xy", "x\\", null)).isInstanceOf(EvalException.class)
        .hasMessage("LIKE pattern must not end with escape character");
    assertThat(eval(call(Operator.LIKE, BOOL, text(null), text("a")))).isNull();
    assertThat(eval(call(Operator.ILIKE, BOOL, text("PROMO BRUSHED"), text("promo%"))))
        .isEqualTo(true);
    assertThatThrownBy(() -> eval(call(Operator.ILIKE, BOOL, text("É"), text("é"))))
        .isInstanceOf(EvalException.class).hasMessageContaining("depends on the collation");
  }

  private static Boolean like(String s, String p, String escape) {
    return (Boolean) (escape == null ? eval(call(Operator.LIKE, BOOL, text(s), text(p)))
        : eval(call(Operator.LIKE, BOOL, text(s), text(p), text(escape))));
  }

  @Test
  void substringPositionTrimAndLengthCountCharacters() {
    assertThat(eval(call(Operator.SUBSTRING, TEXT, text("hello"), i4(0), i4(3)))).isEqualTo("he");
    assertThat(eval(call(Operator.SUBSTRING, TEXT, text("hello"), i4(-1), i4(3)))).isEqualTo("h");
    assertThat(eval(call(Operator.SUBSTRING, TEXT, text("😀abc"), i4(2)))).isEqualTo("abc");
    assertThatThrownBy(() -> eval(call(Operator.SUBSTRING, TEXT, text("x"), i4(1), i4(-1))))
        .isInstanceOf(EvalException.class).hasMessage("negative substring length not allowed");
    assertThat(eval(call(Operator.POSITION, INT4, text("b"), text("😀ab")))).isEqualTo(3L);
    assertThat(eval(call(Operator.POSITION, INT4, text(""), text("ab")))).isEqualTo(1L);
    assertThat(eval(call(Operator.BTRIM, TEXT, text("xxaxx"), text("x")))).isEqualTo("a");
    assertThat(eval(call(Operator.RTRIM, TEXT, text("a  "), text(" ")))).isEqualTo("a");
    assertThat(eval(call(Operator.CHAR_LENGTH, INT4, text("😀a")))).isEqualTo(2L);
    assertThat(eval(call(Operator.CONCAT, TEXT, text("a"), text(null)))).isNull();
    assertThat(eval(call(Operator.UPPER, TEXT, text("abc1")))).isEqualTo("ABC1");
  }

  @Test
  void roundingFollowsPostgres() {
    assertThat(eval(call(Operator.ROUND, NUM, num("2.5")))).isEqualTo(new BigDecimal("3"));
    assertThat(eval(call(Operator.ROUND, NUM, num("-2.5")))).isEqualTo(new BigDecimal("-3"));
    assertThat(eval(call(Operator.ROUND, FLOAT8, f8(2.5)))).as("rint").isEqualTo(2.0);
    assertThat(eval(call(Operator.ROUND, NUM, num("1234.5"), i4(-2))))
        .isEqualTo(new BigDecimal("1200"));
    assertThat(eval(call(Operator.ROUND, NUM, num("1.5"), i4(3))))
        .isEqualTo(new BigDecimal("1.500"));
    assertThat(eval(call(Operator.TRUNC, NUM, num("-1.99"), i4(1))))
        .isEqualTo(new BigDecimal("-1.9"));
    assertThat(eval(call(Operator.CEIL, NUM, num("-0.5")))).isEqualTo(new BigDecimal("0"));
    assertThat(eval(call(Operator.FLOOR, NUM, num("-0.5")))).isEqualTo(new BigDecimal("-1"));
    assertThatThrownBy(() -> eval(call(Operator.ABS, INT4, i4(Integer.MIN_VALUE))))
        .isInstanceOf(EvalException.class).hasMessage("integer out of range");
  }

  @Test
  void greatestAndLeastIgnoreNulls() {
    assertThat(eval(call(Operator.GREATEST, NUM, num("1"), num(null), num("2.5"))))
        .isEqualTo(new BigDecimal("2.5"));
    assertThat(eval(call(Operator.LEAST, NUM, num(null), num(null)))).isNull();
    assertThat(eval(call(Operator.LEAST, NUM, i4(3), num("2.5")))).isEqualTo(new BigDecimal("2.5"));
  }
}
