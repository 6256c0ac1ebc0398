package io.trickle.compiler.expr;

import static io.trickle.compiler.expr.E.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static final Expr DIV_BY_ZERO = call(Operator.DIVIDE, INT4, i4(1), i4(0));

  @Test
  void columnRefsAndLiterals() {
    assertThat(eval(col(1, TEXT), 1L, "x")).as("$1").isEqualTo("x");
    assertThat(eval(i4(7))).as("literal").isEqualTo(7L);
    assertThat(eval(i4(null))).as("NULL literal").isNull();
  }

  @Test
  void integerArithmetic() {
    assertThat(eval(call(Operator.PLUS, INT4, i4(2), i4(3)))).as("2+3").isEqualTo(5L);
    assertThat(eval(call(Operator.MINUS, INT4, i4(2), i4(3)))).as("2-3").isEqualTo(-1L);
    assertThat(eval(call(Operator.TIMES, INT4, i4(-4), i4(3)))).as("-4*3").isEqualTo(-12L);
    assertThat(eval(call(Operator.DIVIDE, INT4, i4(-7), i4(2)))).as("-7/2").isEqualTo(-3L);
    assertThat(eval(call(Operator.MOD, INT4, i4(-7), i4(2)))).as("-7%2").isEqualTo(-1L);
    assertThat(eval(call(Operator.MOD, INT4, i4(7), i4(-2)))).as("7%-2").isEqualTo(1L);
    assertThat(eval(call(Operator.NEGATE, INT4, i4(5)))).as("-5").isEqualTo(-5L);
    assertThat(eval(call(Operator.PLUS, INT4, i4(null), i4(3)))).as("NULL+3").isNull();
    assertThat(eval(call(Operator.MOD, INT8, i8(Long.MIN_VALUE), i8(-1)))).as("min%-1")
        .isEqualTo(0L);
  }

  @Test
  void integerOverflowUsesTheResultType() {
    assertError(call(Operator.PLUS, INT4, i4(Integer.MAX_VALUE), i4(1)), "22003",
        "integer out of range");
    assertError(call(Operator.TIMES, INT2, lit(300L, INT2), lit(300L, INT2)), "22003",
        "smallint out of range");
    assertError(call(Operator.TIMES, INT8, i8(Long.MAX_VALUE), i8(2)), "22003",
        "bigint out of range");
    assertError(call(Operator.DIVIDE, INT8, i8(Long.MIN_VALUE), i8(-1)), "22003",
        "bigint out of range");
    assertError(call(Operator.NEGATE, INT4, i4(Integer.MIN_VALUE)), "22003",
        "integer out of range");
    assertThat(eval(call(Operator.PLUS, INT8, i4(Integer.MAX_VALUE), i4(1))))
        .as("int4 operands in a bigint domain").isEqualTo(2147483648L);
  }

  @Test
  void divisionByZero() {
    assertError(DIV_BY_ZERO, "22012", "division by zero");
    assertError(call(Operator.MOD, INT4, i4(1), i4(0)), "22012", "division by zero");
    assertError(call(Operator.DIVIDE, NUM, num("1"), num("0.00")), "22012", "division by zero");
    assertError(call(Operator.MOD, NUM, num("1"), num("0")), "22012", "division by zero");
    assertError(call(Operator.DIVIDE, FLOAT8, f8(1.0), f8(0.0)), "22012", "division by zero");
    assertThat(eval(call(Operator.DIVIDE, INT4, i4(null), i4(0)))).as("NULL/0").isNull();
  }

  @Test
  void numericArithmetic() {
    assertThat(eval(call(Operator.PLUS, NUM, num("1.5"), num("2.25"))))
        .as("1.5+2.25").isEqualTo(new BigDecimal("3.75"));
    assertThat(eval(call(Operator.TIMES, NUM, num("1.50"), num("2.0"))))
        .as("scale s1+s2").isEqualTo(new BigDecimal("3.000"));
    assertThat(eval(call(Operator.DIVIDE, NUM, num("1"), num("3"))))
        .as("1/3").isEqualTo(new BigDecimal("0.33333333333333333333"));
    assertThat(eval(call(Operator.MOD, NUM, num("-7.5"), num("2"))))
        .as("-7.5%2").isEqualTo(new BigDecimal("-1.5"));
    assertThat(eval(call(Operator.PLUS, NUM, i4(1), num("0.5"))))
        .as("int operand widened").isEqualTo(new BigDecimal("1.5"));
  }

  @Test
  void floatArithmetic() {
    assertThat(eval(call(Operator.PLUS, FLOAT8, f8(0.1), f8(0.2)))).as("0.1+0.2")
        .isEqualTo(0.1 + 0.2);
    assertThat(eval(call(Operator.PLUS, FLOAT4, lit(0.1, FLOAT4), lit(0.2, FLOAT4))))
        .as("float4 rounding").isEqualTo((double) (0.1f + 0.2f));
    assertThat(eval(call(Operator.TIMES, FLOAT8, i4(3), num("0.5")))).as("mixed operands")
        .isEqualTo(1.5);
    assertError(call(Operator.TIMES, FLOAT8, f8(1e300), f8(1e300)), "22003",
        "value out of range: overflow");
    assertError(call(Operator.TIMES, FLOAT8, f8(1e-300), f8(1e-300)), "22003",
        "value out of range: underflow");
    assertThat(eval(call(Operator.DIVIDE, FLOAT8, f8(Double.NaN), f8(0.0))))
        .as("NaN/0 is NaN in PG").isEqualTo(Double.NaN);
  }

  @Test
  void dateArithmeticIsRejectedAtCompileTime() {
    Expr bad = call(Operator.TIMES, DATE, lit(java.time.LocalDate.EPOCH, DATE), i4(1));
    assertThatThrownBy(() -> Evaluator.compile(bad)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dateIntegerArithmeticAndIntervals() {
    assertThat(eval(call(Operator.PLUS, DATE, lit(java.time.LocalDate.EPOCH, DATE), i4(1))))
        .as("date + 1").isEqualTo(java.time.LocalDate.of(1970, 1, 2));
    assertThatThrownBy(() -> eval(call(Operator.PLUS, DATE, lit(java.time.LocalDate.EPOCH, DATE),
        i4(Integer.MAX_VALUE)))).isInstanceOf(EvalException.class).hasMessage("date out of range");
    PgInterval month = PgIntervalInput.parse("1 mon");
    assertThat(month.compareTo(PgIntervalInput.parse("30 days"))).as("1 mon = 30 days").isZero();
    assertThat(Values.sameKey(month, PgIntervalInput.parse("720 hours"))).as("as group keys")
        .isTrue();
    assertThat(Values.keyHash(month)).as("hash of equal intervals")
        .isEqualTo(Values.keyHash(PgIntervalInput.parse("720 hours")));
    for (String text : new String[] {"1 year 2 mons -3 days +04:05:06.5", "-1 years -2 mons", "-1 days +02:00:00",
        "-1 days -02:00:00", "00:00:00", "1 day", "-00:00:00.000001"}) {
      assertThat(PgIntervalInput.parse(text)).as("reads its own output: %s", text)
          .hasToString(text);
    }
    assertThat(IntervalArithmetic.age(java.time.LocalDateTime.of(2024, 3, 1, 0, 0),
        java.time.LocalDateTime.of(2024, 1, 31, 12, 0))).as("age borrows the earlier month's length (January)")
        .hasToString("1 mon 12:00:00");
    assertThatThrownBy(() -> PgIntervalInput.parse("1.5 days"))
        .as("fractional days are spread with PostgreSQL's rounding, not read")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void comparisons() {
    assertThat(eval(call(Operator.EQUALS, BOOL, num("1.0"), num("1.00")))).as("1.0=1.00")
        .isEqualTo(true);
    assertThat(eval(call(Operator.EQUALS, BOOL, i4(1), num("1.00")))).as("1=1.00")
        .isEqualTo(true);
    assertThat(eval(call(Operator.LESS_THAN, BOOL, text("a"), text("b")))).as("'a'<'b'")
        .isEqualTo(true);
    assertThat(eval(call(Operator.LESS_THAN, BOOL, text("Z"), text("a")))).as("C collation")
        .isEqualTo(true);
    assertThat(eval(call(Operator.GREATER_THAN, BOOL, f8(Double.NaN), f8(1e308))))
        .as("NaN is largest").isEqualTo(true);
    assertThat(eval(call(Operator.EQUALS, BOOL, f8(Double.NaN), f8(Double.NaN))))
        .as("NaN=NaN").isEqualTo(true);
    assertThat(eval(call(Operator.EQUALS, BOOL, f8(-0.0), f8(0.0)))).as("-0=0").isEqualTo(true);
    assertThat(eval(call(Operator.EQUALS, BOOL, i4(null), i4(1)))).as("NULL=1").isNull();
    assertThat(eval(call(Operator.NOT_EQUALS, BOOL, i4(1), i4(null)))).as("1<>NULL").isNull();
    assertThat(eval(call(Operator.IS_DISTINCT_FROM, BOOL, i4(null), i4(null))))
        .as("NULL IS DISTINCT FROM NULL").isEqualTo(false);
    assertThat(eval(call(Operator.IS_DISTINCT_FROM, BOOL, i4(1), i4(null))))
        .as("1 IS DISTINCT FROM NULL").isEqualTo(true);
    assertThat(eval(call(Operator.IS_NOT_DISTINCT_FROM, BOOL, num("2"), num("2.0"))))
        .as("2 IS NOT DISTINCT FROM 2.0").isEqualTo(true);
  }

  /** SQL truth tables over {TRUE, FALSE, NULL}. */
  @Test
  void threeValuedLogic() {
    Boolean[] vals = {true, false, null};
    Boolean[][] and = {{true, false, null}, {false, false, false}, {null, false, null}};
    Boolean[][] or = {{true, true, true}, {true, false, null}, {true, null, null}};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        String desc = vals[i] + " op " + vals[j];
        assertThat(eval(call(Operator.AND, BOOL, bool(vals[i]), bool(vals[j]))))
            .as("AND " + desc).isEqualTo(and[i][j]);
        assertThat(eval(call(Operator.OR, BOOL, bool(vals[i]), bool(vals[j]))))
            .as("OR " + desc).isEqualTo(or[i][j]);
      }
    }
    Boolean[] not = {false, true, null};
    Boolean[] isTrue = {true, false, false};
    Boolean[] isFalse = {false, true, false};
    Boolean[] isNull = {false, false, true};
    for (int i = 0; i < 3; i++) {
      Expr v = bool(vals[i]);
      String d = String.valueOf(vals[i]);
      assertThat(eval(call(Operator.NOT, BOOL, v))).as("NOT " + d).isEqualTo(not[i]);
      assertThat(eval(call(Operator.IS_TRUE, BOOL, v))).as(d + " IS TRUE").isEqualTo(isTrue[i]);
      assertThat(eval(call(Operator.IS_NOT_TRUE, BOOL, v))).as(d + " IS NOT TRUE")
          .isEqualTo(!isTrue[i]);
      assertThat(eval(call(Operator.IS_FALSE, BOOL, v))).as(d + " IS FALSE")
          .isEqualTo(isFalse[i]);
      assertThat(eval(call(Operator.IS_NOT_FALSE, BOOL, v))).as(d + " IS NOT FALSE")
          .isEqualTo(!isFalse[i]);
      assertThat(eval(call(Operator.IS_NULL, BOOL, v))).as(d + " IS NULL").isEqualTo(isNull[i]);
      assertThat(eval(call(Operator.IS_NOT_NULL, BOOL, v))).as(d + " IS NOT NULL")
          .isEqualTo(!isNull[i]);
    }
  }

  @Test
  void nAryLogicShortCircuits() {
    Expr boom = call(Operator.EQUALS, BOOL, DIV_BY_ZERO, i4(1));
    assertThat(eval(call(Operator.AND, BOOL, bool(null), bool(false), boom)))
        .as("FALSE stops AND").isEqualTo(false);
    assertThat(eval(call(Operator.OR, BOOL, bool(null), bool(true), boom)))
        .as("TRUE stops OR").isEqualTo(true);
    assertThat(eval(call(Operator.AND, BOOL, bool(true), bool(true), bool(true))))
        .as("3-ary AND").isEqualTo(true);
  }

  @Test
  void caseTakesFirstTrueBranchAndIsLazy() {
    Expr c = call(Operator.CASE, INT4,
        bool(null), DIV_BY_ZERO,
        bool(false), DIV_BY_ZERO,
        bool(true), i4(2),
        bool(true), DIV_BY_ZERO,
        DIV_BY_ZERO);
    assertThat(eval(c)).as("first TRUE branch").isEqualTo(2L);
    Expr noElse = call(Operator.CASE, INT4, bool(false), i4(1));
    assertThat(eval(noElse)).as("missing ELSE is NULL").isNull();
    Expr withElse = call(Operator.CASE, NUM, bool(null), num("1.5"), i4(3));
    assertThat(eval(withElse)).as("ELSE coerced to numeric").isEqualTo(new BigDecimal("3"));
    Expr byColumn = call(Operator.CASE, TEXT,
        call(Operator.GREATER_THAN, BOOL, col(0, INT4), i4(10)), text("big"), text("small"));
    assertThat(eval(byColumn, 11L)).as("CASE on a column").isEqualTo("big");
    assertThat(eval(byColumn, new Object[] {null})).as("NULL condition").isEqualTo("small");
  }

  @Test
  void coalesceIsLazy() {
    assertThat(eval(call(Operator.COALESCE, INT4, i4(null), i4(4), DIV_BY_ZERO)))
        .as("first non-null").isEqualTo(4L);
    assertThat(eval(call(Operator.COALESCE, INT4, i4(null), i4(null)))).as("all null").isNull();
  }

  @Test
  void predicateRejectsNull() {
    Predicate<Object[]> p = Evaluator.predicate(
        call(Operator.GREATER_THAN, BOOL, col(0, INT4), i4(1)));
    assertThat(List.of(new Object[] {2L}, new Object[] {1L}, new Object[] {null}).stream()
        .map(p::test).toList()).as("2>1, 1>1, NULL>1").containsExactly(true, false, false);
  }

  @Test
  void valuesCompareAndSameKey() {
    assertThat(Values.compare(1L, new BigDecimal("0.5"))).as("1 vs 0.5").isPositive();
    assertThat(Values.compare(Double.NaN, Double.POSITIVE_INFINITY)).as("NaN vs inf").isPositive();
    assertThat(Values.compare(false, true)).as("false < true").isNegative();
    assertThat(Values.compare("\uFFFF", "\uD83D\uDE00")).as("code point order").isNegative();
    assertThat(Values.compare(java.time.LocalDate.of(2024, 1, 1),
        java.time.LocalDate.of(2023, 12, 31))).as("dates").isPositive();
    assertThat(Values.sameKey(null, null)).as("nulls group together").isTrue();
    assertThat(Values.sameKey(null, 1L)).as("null vs 1").isFalse();
    assertThat(Values.sameKey(new BigDecimal("1.0"), new BigDecimal("1.00"))).as("1.0 vs 1.00")
        .isTrue();
    assertThat(Values.keyHash(new BigDecimal("1.0"))).as("hash 1.0 vs 1")
        .isEqualTo(Values.keyHash(1L));
    assertThat(Values.keyHash(new BigDecimal("1E+18"))).as("hash 1E+18 vs long")
        .isEqualTo(Values.keyHash(1_000_000_000_000_000_000L));
    assertThat(Values.keyHash(Double.NaN)).as("hash NaN").isEqualTo(Values.keyHash(-Double.NaN));
    assertThat(Values.sameKey(-0.0, 0.0)).as("-0.0 vs 0.0").isTrue();
    assertThat(Values.keyHash(-0.0)).as("hash -0.0").isEqualTo(Values.keyHash(0.0));
    assertThat(Values.sameKey("a", "a ")).as("text is exact").isFalse();
    Object[] sorted = {"b", "a", "B"};
    Arrays.sort(sorted, Values::compare);
    assertThat(sorted).as("sorted text").containsExactly("B", "a", "b");
  }

  static void assertError(Expr e, String sqlState, String message) {
    CompiledExpr c = Evaluator.compile(e);
    assertThatThrownBy(() -> c.eval(new Object[0])).as(e.toString())
        .isInstanceOf(EvalException.class)
        .hasMessage(message)
        .extracting(t -> ((EvalException) t).sqlState()).isEqualTo(sqlState);
  }
}
