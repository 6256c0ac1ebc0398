package io.trickle.cli.tpch;

/**
 * Row counts for a scale factor, as in the specification (SF 1 = 10,000 suppliers, 200,000
 * parts, 150,000 customers, 1,500,000 orders). Fractional factors are allowed; every table keeps
 * at least a handful of rows so each join has partners.
 */
public record TpchScale(double sf, int suppliers, int parts, int customers, int orders, int clerks) {
  public static TpchScale of(double sf) {
    if (!(sf > 0)) {
      throw new IllegalArgumentException("scale factor must be positive, got " + sf);
    }
    return new TpchScale(sf, count(10_000, sf, 8), count(200_000, sf, 20), count(150_000, sf, 30),
        count(1_500_000, sf, 150), count(1_000, sf, 1));
  }

  private static int count(int perSf, double sf, int min) {
    return (int) Math.max(min, Math.round(perSf * sf));
  }

  /** Orders keys are sparse as in dbgen: the first 8 of every 32 keys are used. */
  public static long orderKey(long index) {
    return (index / 8) * 32 + index % 8 + 1;
  }
}
