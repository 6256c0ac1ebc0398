package io.trickle.compiler.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden values were produced by PostgreSQL 18 (see PostgresOracleIT for the live comparison). */
class PgNumericTest {

  @ParameterizedTest(name = "{0} / {1} = {2}")
  @CsvSource({
      "1, 3, 0.33333333333333333333",
      "10, 4, 2.5000000000000000",
      "1.00, 3, 0.33333333333333333333",
      "100000, 3, 33333.333333333333",
      "2, 3.000, 0.66666666666666666667",
      "7.5, 2.5, 3.0000000000000000",
      "1, 7, 0.14285714285714285714",
      // qweight = 2 - (-1) - 1 = 2, so rscale = 16 - 8 = 8
      "123456789, 0.001, 123456789000.00000000",
      "-2, 3, -0.66666666666666666667",
      "0, 7, 0.00000000000000000000",
      "1E+3, 3, 333.3333333333333333",
  })
  void divideMatchesPostgres(String x, String y, String expected) {
    assertThat(PgNumeric.divide(new BigDecimal(x), new BigDecimal(y)).toPlainString())
        .as("%s / %s", x, y).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} % {1} = {2}")
  @CsvSource({"7, 3, 1", "-7, 3, -1", "7, -3, 1", "7.5, 2, 1.5", "-7.25, 2.5, -2.25",
      "6, 1.50, 0.00"})
  void modMatchesPostgres(String x, String y, String expected) {
    assertThat(PgNumeric.mod(new BigDecimal(x), new BigDecimal(y)).toPlainString())
        .as("%s %% %s", x, y).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void divisionByZero() {
    assertThatThrownBy(() -> PgNumeric.divide(BigDecimal.ONE, new BigDecimal("0.000")))
        .isInstanceOf(EvalException.class).hasMessage("division by zero")
        .extracting(e -> ((EvalException) e).sqlState()).isEqualTo("22012");
  }

  /** The quotient is the exact quotient rounded half away from zero at the chosen scale. */
  @Property(tries = 500)
  void quotientIsCorrectlyRounded(@ForAll("numerics") BigDecimal x,
      @ForAll("numerics") BigDecimal y) {
    Assume.that(y.signum() != 0);
    BigDecimal q = PgNumeric.divide(x, y);
    assertThat(q.scale()).as("scale of %s / %s", x, y)
        .isGreaterThanOrEqualTo(Math.max(x.scale(), y.scale()));
    // |x - q*y| <= |y| * 0.5 * 10^-scale
    BigDecimal halfUlp = BigDecimal.ONE.movePointLeft(q.scale()).divide(BigDecimal.valueOf(2));
    BigDecimal err = x.subtract(q.multiply(y)).abs();
    assertThat(err).as("error of %s / %s = %s", x, y, q)
        .isLessThanOrEqualTo(y.abs().multiply(halfUlp));
    assertThat(q).as("matches BigDecimal HALF_UP at that scale")
        .isEqualTo(x.divide(y, q.scale(), RoundingMode.HALF_UP));
  }

  /** At least 16 significant digits unless the quotient is zero. */
  @Property(tries = 300)
  void atLeastSixteenSignificantDigits(@ForAll("numerics") BigDecimal x,
      @ForAll("numerics") BigDecimal y) {
    Assume.that(y.signum() != 0 && x.signum() != 0);
    BigDecimal q = PgNumeric.divide(x, y);
    int integerDigits = Math.max(0, q.precision() - q.scale());
    int leadingZeros = q.abs().compareTo(BigDecimal.ONE) < 0
        ? q.scale() - q.precision() : 0;
    assertThat(integerDigits + q.scale() - leadingZeros).as("significant digits of %s", q)
        .isGreaterThanOrEqualTo(16);
  }

  @Provide
  Arbitrary<BigDecimal> numerics() {
    Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers()
        .between(new BigInteger("-999999999999999999999999"),
            new BigInteger("999999999999999999999999"))
        .edgeCases(c -> c.add(BigInteger.ZERO, BigInteger.ONE));
    Arbitrary<Integer> scale = Arbitraries.integers().between(0, 12);
    return Combinators.combine(unscaled, scale).as(BigDecimal::new);
  }
}
