package io.trickle.cli.tpch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One order and its line items, generated together because the order's price and status derive from them. */
record TpchOrder(long orderKey, int custKey, char status, long totalCents, LocalDate orderDate,
    String priority, String clerk, String comment, List<Line> lines) {

  record Line(long orderKey, int partKey, int suppKey, int lineNumber, int quantity, long extendedCents,
      int discountPct, int taxPct, char returnFlag, char lineStatus, LocalDate shipDate,
      LocalDate commitDate, LocalDate receiptDate, String shipInstruct, String shipMode, String comment) {

    String copyRow() {
      return orderKey + "|" + partKey + "|" + suppKey + "|" + lineNumber + "|" + quantity + "|"
          + TpchDomain.money(extendedCents) + "|0." + pct(discountPct) + "|0." + pct(taxPct) + "|"
          + returnFlag + "|" + lineStatus + "|" + shipDate + "|" + commitDate + "|" + receiptDate + "|"
          + shipInstruct + "|" + shipMode + "|" + comment + "\n";
    }

    private static String pct(int p) {
      return p < 10 ? "0" + p : Integer.toString(p);
    }
  }

  String copyRow() {
    return orderKey + "|" + custKey + "|" + status + "|" + TpchDomain.money(totalCents) + "|" + orderDate
        + "|" + priority + "|" + clerk + "|0|" + comment + "\n";
  }

  /** Generates order {@code orderKey} (4.2.3): 1 to 7 lines, ship dates 1 to 121 days after the order. */
  static TpchOrder generate(long orderKey, TpchScale scale, Random r) {
    return generate(orderKey, scale, r, false);
  }

  /**
   * @param large seven lines of 43 to 50 units each (over 300 in total), so Q18's "large volume"
   *     orders exist at every scale factor, not only from SF 1 up
   */
  static TpchOrder generate(long orderKey, TpchScale scale, Random r, boolean large) {
    int custKey = customerWithOrders(scale, r);
    long days = TpchDomain.START_DATE.until(TpchDomain.LAST_ORDER_DATE, java.time.temporal.ChronoUnit.DAYS);
    LocalDate orderDate = TpchDomain.START_DATE.plusDays(r.nextInt((int) days + 1));
    String priority = TpchText.pick(r, TpchDomain.PRIORITIES);
    String clerk = TpchDomain.padded("Clerk#", 1 + r.nextInt(scale.clerks()));
    String comment = TpchText.comment(r, 19, 78);
    int n = large ? 7 : 1 + r.nextInt(7);
    List<Line> lines = new ArrayList<>(n);
    long total = 0;
    int open = 0;
    for (int i = 1; i <= n; i++) {
      Line l = line(orderKey, i, orderDate, scale, r, large);
      lines.add(l);
      // totalprice = sum(extendedprice * (1 + tax) * (1 - discount)), rounded to cents per line.
      total += Math.round(l.extendedCents() * (100 + l.taxPct()) * (100 - l.discountPct()) / 10_000.0);
      open += l.lineStatus() == 'O' ? 1 : 0;
    }
    char status = open == n ? 'O' : open == 0 ? 'F' : 'P';
    return new TpchOrder(orderKey, custKey, status, total, orderDate, priority, clerk, comment, lines);
  }

  static Line line(long orderKey, int lineNumber, LocalDate orderDate, TpchScale scale, Random r, boolean large) {
    int partKey = 1 + r.nextInt(scale.parts());
    int suppKey = TpchDomain.suppliersOf(partKey, scale.suppliers())[r.nextInt(4)];
    int quantity = large ? 43 + r.nextInt(8) : 1 + r.nextInt(50);
    long extended = quantity * TpchDomain.retailPriceCents(partKey);
    int discount = r.nextInt(11);
    int tax = r.nextInt(9);
    LocalDate ship = orderDate.plusDays(1 + r.nextInt(121));
    LocalDate commit = orderDate.plusDays(30 + r.nextInt(61));
    LocalDate receipt = ship.plusDays(1 + r.nextInt(30));
    char returnFlag = receipt.isAfter(TpchDomain.CURRENT_DATE) ? 'N' : r.nextBoolean() ? 'R' : 'A';
    char lineStatus = ship.isAfter(TpchDomain.CURRENT_DATE) ? 'O' : 'F';
    return new Line(orderKey, partKey, suppKey, lineNumber, quantity, extended, discount, tax, returnFlag,
        lineStatus, ship, commit, receipt, TpchText.pick(r, TpchDomain.SHIP_INSTRUCT),
        TpchText.pick(r, TpchDomain.SHIP_MODES), TpchText.comment(r, 10, 43));
  }

  /** Customers whose key is a multiple of 3 place no orders (4.2.3), which Q13 and Q22 rely on. */
  static int customerWithOrders(TpchScale scale, Random r) {
    while (true) {
      int c = 1 + r.nextInt(scale.customers());
      if (c % 3 != 0) {
        return c;
      }
    }
  }
}
