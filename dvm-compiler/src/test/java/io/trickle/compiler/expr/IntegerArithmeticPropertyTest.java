package io.trickle.compiler.expr;

import static io.trickle.compiler.expr.E.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.ColumnType;
import java.util.function.LongBinaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.ShortRange;

/** Overflow detection agrees with Math.*Exact on the type's own range. */
class IntegerArithmeticPropertyTest {

  @Property(tries = 300)
  void bigintMatchesExactMath(@ForAll long a, @ForAll long b) {
    checkAgainst(Operator.PLUS, INT8, a, b, Math::addExact, "bigint");
    checkAgainst(Operator.MINUS, INT8, a, b, Math::subtractExact, "bigint");
    checkAgainst(Operator.TIMES, INT8, a, b, Math::multiplyExact, "bigint");
  }

  @Property(tries = 300)
  void integerMatchesExactMath(@ForAll int a, @ForAll int b) {
    checkAgainst(Operator.PLUS, INT4, a, b, (x, y) -> Math.addExact((int) x, (int) y), "integer");
    checkAgainst(Operator.MINUS, INT4, a, b,
        (x, y) -> Math.subtractExact((int) x, (int) y), "integer");
    checkAgainst(Operator.TIMES, INT4, a, b,
        (x, y) -> Math.multiplyExact((int) x, (int) y), "integer");
  }

  @Property(tries = 300)
  void smallintRangeCheck(@ForAll @ShortRange short a, @ForAll short b) {
    LongBinaryOperator plus = (x, y) -> {
      long r = x + y;
      if (r != (short) r) {
        throw new ArithmeticException();
      }
      return r;
    };
    checkAgainst(Operator.PLUS, INT2, a, b, plus, "smallint");
  }

  /** Division truncates toward zero and MOD takes the dividend's sign, as in C. */
  @Property(tries = 300)
  void divisionAndModulo(@ForAll int a, @ForAll @IntRange(min = -1000, max = 1000) int b) {
    if (b == 0) {
      assertThatThrownBy(() -> eval(call(Operator.DIVIDE, INT4, i4(a), i4(b))))
          .as("%d / 0", a).hasMessage("division by zero");
      return;
    }
    if (a == Integer.MIN_VALUE && b == -1) {
      assertThatThrownBy(() -> eval(call(Operator.DIVIDE, INT4, i4(a), i4(b))))
          .as("INT_MIN / -1").hasMessage("integer out of range");
      return;
    }
    long q = (Long) eval(call(Operator.DIVIDE, INT4, i4(a), i4(b)));
    long r = (Long) eval(call(Operator.MOD, INT4, i4(a), i4(b)));
    assertThat(q * b + r).as("%d = q*%d + r", a, b).isEqualTo(a);
    assertThat(Math.abs(r)).as("|r| < |b|").isLessThan(Math.abs((long) b));
    assertThat(r == 0 || Long.signum(r) == Integer.signum(a)).as("sign of %d %% %d", a, b)
        .isTrue();
  }

  private static void checkAgainst(Operator op, ColumnType t, long a, long b,
      LongBinaryOperator exact, String pgName) {
    Expr e = call(op, t, lit(a, t), lit(b, t));
    Long expected;
    try {
      expected = exact.applyAsLong(a, b);
    } catch (ArithmeticException ex) {
      expected = null;
    }
    if (expected == null) {
      assertThatThrownBy(() -> eval(e)).as(e.toString()).isInstanceOf(EvalException.class)
          .hasMessage(pgName + " out of range");
    } else {
      assertThat(eval(e)).as(e.toString()).isEqualTo(expected);
    }
  }
}
