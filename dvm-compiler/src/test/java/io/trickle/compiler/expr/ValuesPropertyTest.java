package io.trickle.compiler.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ValuesPropertyTest {

  @Property(tries = 500)
  void compareIsAntisymmetricAndConsistentWithSameKey(@ForAll("numbers") Object a,
      @ForAll("numbers") Object b) {
    int ab = Values.compare(a, b);
    int ba = Values.compare(b, a);
    assertThat(Integer.signum(ab)).as("sign(compare(%s,%s))", a, b).isEqualTo(-Integer.signum(ba));
    assertThat(Values.sameKey(a, b)).as("sameKey(%s,%s)", a, b).isEqualTo(ab == 0);
    if (Values.sameKey(a, b)) {
      assertThat(Values.keyHash(a)).as("keyHash %s vs %s", a, b).isEqualTo(Values.keyHash(b));
    }
  }

  @Property(tries = 300)
  void compareIsTransitive(@ForAll("numbers") Object a, @ForAll("numbers") Object b,
      @ForAll("numbers") Object c) {
    if (Values.compare(a, b) <= 0 && Values.compare(b, c) <= 0) {
      assertThat(Values.compare(a, c)).as("%s <= %s <= %s", a, b, c).isLessThanOrEqualTo(0);
    }
  }

  @Property(tries = 500)
  void textOrderIsCodePointOrder(@ForAll String a, @ForAll String b) {
    int expected = Integer.signum(java.util.Arrays.compare(a.codePoints().toArray(),
        b.codePoints().toArray()));
    assertThat(Integer.signum(Values.compare(a, b))).as("compare(%s,%s)", a, b)
        .isEqualTo(expected);
  }

  @Property(tries = 500)
  void doubleTextOutputRoundTrips(@ForAll double d) {
    String s = PgText.formatDouble(d, false);
    assertThat(PgText.parseDouble(s, false)).as("%s -> %s", d, s).isEqualTo(d);
  }

  @Property(tries = 500)
  void realTextOutputRoundTrips(@ForAll float f) {
    String s = PgText.formatDouble(f, true);
    assertThat((float) PgText.parseDouble(s, true)).as("%s -> %s", f, s).isEqualTo(f);
  }

  /** Long and BigDecimal mixes with equal values at different scales. */
  @Provide
  Arbitrary<Object> numbers() {
    Arbitrary<Long> small = Arbitraries.longs().between(-5, 5);
    return Arbitraries.oneOf(
        small.map(l -> (Object) l),
        small.map(l -> (Object) BigDecimal.valueOf(l).setScale(2)),
        Arbitraries.integers().between(-50, 50).map(i -> (Object) BigDecimal.valueOf(i, 1)),
        Arbitraries.longs().map(l -> (Object) l));
  }
}
