package io.trickle.cli.tpch;

import java.time.LocalDate;
import java.util.List;

/** The specification's value domains (TPC-H 4.2.2 and 4.2.3) and the derived columns. */
public final class TpchDomain {
  public static final List<String> REGIONS = List.of("AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST");

  /** Nation name and region key, in nation key order. */
  public static final List<String> NATIONS = List.of("ALGERIA", "ARGENTINA", "BRAZIL", "CANADA", "EGYPT",
      "ETHIOPIA", "FRANCE", "GERMANY", "INDIA", "INDONESIA", "IRAN", "IRAQ", "JAPAN", "JORDAN", "KENYA",
      "MOROCCO", "MOZAMBIQUE", "PERU", "CHINA", "ROMANIA", "SAUDI ARABIA", "VIETNAM", "RUSSIA",
      "UNITED KINGDOM", "UNITED STATES");
  public static final int[] NATION_REGION =
      {0, 1, 1, 1, 4, 0, 3, 3, 2, 2, 4, 4, 2, 4, 0, 0, 0, 1, 2, 3, 4, 2, 3, 3, 1};

  public static final List<String> SEGMENTS =
      List.of("AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD");
  public static final List<String> PRIORITIES =
      List.of("1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW");
  public static final List<String> SHIP_INSTRUCT =
      List.of("DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN");
  public static final List<String> SHIP_MODES = List.of("REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB");
  public static final List<String> TYPE_SIZE = List.of("STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO");
  public static final List<String> TYPE_FINISH = List.of("ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED");
  public static final List<String> TYPE_METAL = List.of("TIN", "NICKEL", "BRASS", "STEEL", "COPPER");
  public static final List<String> CONTAINER_SIZE = List.of("SM", "LG", "MED", "JUMBO", "WRAP");
  public static final List<String> CONTAINER_KIND =
      List.of("CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM");
  public static final List<String> COLORS = List.of("almond", "antique", "aquamarine", "azure", "beige",
      "bisque", "black", "blanched", "blue", "blush", "brown", "burlywood", "burnished", "chartreuse",
      "chiffon", "chocolate", "coral", "cornflower", "cornsilk", "cream", "cyan", "dark", "deep", "dim",
      "dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro", "ghost", "goldenrod",
      "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki", "lace", "lavender", "lawn", "lemon",
      "light", "lime", "linen", "magenta", "maroon", "medium", "metallic", "midnight", "mint", "misty",
      "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale", "papaya", "peach", "peru", "pink",
      "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle", "salmon", "sandy",
      "seashell", "sienna", "sky", "slate", "smoke", "snow", "spring", "steel", "tan", "thistle", "tomato",
      "turquoise", "violet", "wheat", "white", "yellow");

  public static final LocalDate START_DATE = LocalDate.of(1992, 1, 1);
  /** The last order date: END_DATE (1998-12-31) minus 151 days. */
  public static final LocalDate LAST_ORDER_DATE = LocalDate.of(1998, 8, 2);
  /** Line items received by then are returned ('R' or 'A'); shipped after it they are open ('O'). */
  public static final LocalDate CURRENT_DATE = LocalDate.of(1995, 6, 17);

  private TpchDomain() {}

  /** p_retailprice in cents, a function of the part key (4.2.3). */
  public static long retailPriceCents(long partKey) {
    return 90_000 + ((partKey / 10) % 20_001) + 100 * (partKey % 1_000);
  }

  /**
   * The four suppliers of a part (4.2.3's formula), made distinct when a tiny scale factor makes
   * the formula collide.
   */
  public static int[] suppliersOf(long partKey, int suppliers) {
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      long s = (partKey + i * ((suppliers / 4) + (partKey - 1) / suppliers)) % suppliers + 1;
      while (contains(out, i, (int) s)) {
        s = s % suppliers + 1;
      }
      out[i] = (int) s;
    }
    return out;
  }

  private static boolean contains(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  /** Phone numbers start with the country code, nation key + 10 (4.2.2.9). */
  public static String phone(int nationKey, java.util.Random r) {
    return (nationKey + 10) + "-" + (100 + r.nextInt(900)) + "-" + (100 + r.nextInt(900)) + "-"
        + (1000 + r.nextInt(9000));
  }

  /** A decimal(15,2) from cents, e.g. -12.05. */
  public static String money(long cents) {
    String sign = cents < 0 ? "-" : "";
    long a = Math.abs(cents);
    return sign + a / 100 + "." + (a % 100 < 10 ? "0" : "") + a % 100;
  }

  public static String padded(String prefix, long n) {
    return String.format("%s%09d", prefix, n);
  }
}
