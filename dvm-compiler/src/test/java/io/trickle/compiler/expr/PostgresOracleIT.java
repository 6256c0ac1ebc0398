package io.trickle.compiler.expr;

import static io.trickle.compiler.expr.E.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.ColumnType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the same expressions in a real PostgreSQL and in the evaluator and requires identical
 * text output (or the same SQLSTATE and message). Values go through {@code ::text} on both sides,
 * so the text output functions are checked as well.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOracleIT {
  private EmbeddedPostgres pg;
  private Connection conn;
  private final Random random = new Random(20261124);
  private final List<String> mismatches = new ArrayList<>();
  private int checked;

  /** An operand: its SQL spelling and its IR literal. */
  record Lit(String sql, Expr expr) {}

  @BeforeAll
  void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    conn = pg.getPostgresDatabase().getConnection();
    try (Statement s = conn.createStatement()) {
      s.execute("set extra_float_digits = 1");
      s.execute("set timezone = 'UTC'");
    }
  }

  @BeforeEach
  void reset() {
    mismatches.clear();
    checked = 0;
  }

  @AfterAll
  void stop() throws Exception {
    conn.close();
    pg.close();
  }

  @Test
  void numericDivisionMatchesPostgres() throws SQLException {
    String[][] known = {{"1", "3"}, {"10", "4"}, {"1.00", "3"}, {"100000", "3"},
        {"2", "3.000"}, {"7.5", "2.5"}, {"1", "7"}, {"123456789", "0.001"}, {"0", "7"},
        {"0.0000001", "3"}, {"99999999", "0.00000001"}, {"-1", "3"}, {"1", "-3"},
        {"5", "2"}, {"-5", "2"}, {"1e30", "7"}, {"1", "12345678901234567890"}};
    for (String[] k : known) {
      check(Operator.DIVIDE, NUM, numLit(k[0]), numLit(k[1]));
    }
    for (int i = 0; i < 600; i++) {
      Lit b = randomNumeric();
      if (new BigDecimal(b.sql().replace("'", "").replace("::numeric", "")).signum() == 0) {
        continue;
      }
      check(Operator.DIVIDE, NUM, randomNumeric(), b);
    }
    report();
  }

  @Test
  void numericArithmeticMatchesPostgres() throws SQLException {
    for (int i = 0; i < 200; i++) {
      check(Operator.PLUS, NUM, randomNumeric(), randomNumeric());
      check(Operator.MINUS, NUM, randomNumeric(), randomNumeric());
      check(Operator.TIMES, NUM, randomNumeric(), randomNumeric());
      check(Operator.MOD, NUM, randomNumeric(), randomNumeric());
    }
    report();
  }

  @Test
  void integerArithmeticMatchesPostgres() throws SQLException {
    ColumnType[] types = {INT2, INT4, INT8};
    Operator[] ops = {Operator.PLUS, Operator.MINUS, Operator.TIMES, Operator.DIVIDE,
        Operator.MOD};
    for (ColumnType t : types) {
      for (int i = 0; i < 150; i++) {
        for (Operator op : ops) {
          check(op, t, randomInt(t), randomInt(t));
        }
        check(Operator.NEGATE, t, randomInt(t));
      }
    }
    report();
  }

  @Test
  void floatArithmeticMatchesPostgres() throws SQLException {
    Operator[] ops = {Operator.PLUS, Operator.MINUS, Operator.TIMES, Operator.DIVIDE};
    for (ColumnType t : new ColumnType[] {FLOAT4, FLOAT8}) {
      for (int i = 0; i < 150; i++) {
        for (Operator op : ops) {
          check(op, t, randomFloat(t), randomFloat(t));
        }
      }
    }
    report();
  }

  @Test
  void castsMatchPostgres() throws SQLException {
    for (int i = 0; i < 200; i++) {
      Lit n = randomNumeric();
      check(Operator.CAST, INT4, n);
      check(Operator.CAST, INT8, n);
      check(Operator.CAST, FLOAT8, n);
      check(Operator.CAST, FLOAT4, n);
      check(Operator.CAST, ColumnType.numeric(10, 2), n);
      check(Operator.CAST, ColumnType.numeric(5, 0), n);
      Lit d = randomFloat(FLOAT8);
      check(Operator.CAST, TEXT, d);
      if (Double.isFinite(((Expr.Literal) d.expr()).value() instanceof Double x ? x : 0)) {
        check(Operator.CAST, NUM, d); // trickle has no numeric Infinity/NaN
      }
      check(Operator.CAST, INT4, d);
      check(Operator.CAST, INT8, d);
      check(Operator.CAST, FLOAT4, d);
      Lit f = randomFloat(FLOAT4);
      check(Operator.CAST, TEXT, f);
      if (Double.isFinite((Double) ((Expr.Literal) f.expr()).value())) {
        check(Operator.CAST, NUM, f);
      }
      check(Operator.CAST, INT2, f);
    }
    for (String s : new String[] {"0.5", "1.5", "2.5", "-2.5", "-0.5", "32767.4", "32767.5",
        "2147483647.5", "-2147483648.5", "9.995", "12345678.995", "-0.004"}) {
      Lit n = new Lit("'" + s + "'::numeric", num(s));
      check(Operator.CAST, INT2, n);
      check(Operator.CAST, INT4, n);
      check(Operator.CAST, ColumnType.numeric(10, 2), n);
      check(Operator.CAST, ColumnType.numeric(3, 1), n);
      Lit d = new Lit("'" + s + "'::float8", f8(Double.parseDouble(s)));
      check(Operator.CAST, INT4, d);
      check(Operator.CAST, INT2, d);
    }
    for (double d : new double[] {0.1, 1e15, 1e14, 123456789012345.6, 1e-4, 1e-5, 0.00012345,
        1.0 / 3, 2e22, 1e23, 5e-324, Double.MAX_VALUE, -0.0, Double.NaN,
        Double.POSITIVE_INFINITY, 100, 1e16, 4.35, 0.3, 2.0 / 3}) {
      check(Operator.CAST, TEXT, float8(d));
      check(Operator.CAST, TEXT, float4((float) d));
    }
    for (float f : new float[] {1e6f, 123456f, 1234567f, 1e-4f, 1e-5f, 0.1f, 3.4028235e38f,
        1.4e-45f, 16777216f, 100000f}) {
      check(Operator.CAST, TEXT, float4(f));
    }
    for (String s : new String[] {"42", " 42 ", "+42", "-42", "4_2", "_42", "42_", "4__2",
        "0x1F", "0X1f", "0o17", "0b101", "0x", "0x_1F", "-0x80000000", "2147483647",
        "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "32768", "abc", "", " ", "4 2", "1.0",
        "1e3", "\t7\n", "٣"}) {
      Lit t = textLit(s);
      check(Operator.CAST, INT2, t);
      check(Operator.CAST, INT4, t);
      check(Operator.CAST, INT8, t);
    }
    for (String s : new String[] {"1.5", " -1.50 ", "1e3", "1.5e-3", "1.50E+2", ".5", "5.",
        "1_000.000_1", "+.5e1", "abc", "", "1e", "e5", "0.000", "0x1F", "-0b1_01", "0o_17",
        "0xFFFFFFFFFFFFFFFFFFFF", "0x", "0x1.8", "1__0", "_1"}) {
      check(Operator.CAST, NUM, textLit(s));
    }
    for (String s : new String[] {"1.5", " -1.5e3 ", "inf", "-Infinity", "NaN", "nan", "1e400",
        "1e-400", "4.9e-324", "0x10", "1.5d", "abc", ".5", "5.", "3.4028236e38", "1e-46"}) {
      check(Operator.CAST, FLOAT8, textLit(s));
      check(Operator.CAST, FLOAT4, textLit(s));
    }
    for (String s : new String[] {"t", "TRUE", " yes ", "y", "on", "of", "off", "o", "0", "1",
        "f", "no", "n", "tr", "truex", "2", ""}) {
      check(Operator.CAST, BOOL, textLit(s));
    }
    for (String s : new String[] {"2024-01-31", " 2024-1-5 ", "2024-02-30", "2024-13-01",
        "2024-01-31 10:15:30", "20240131", "x"}) {
      check(Operator.CAST, DATE, textLit(s));
    }
    for (String s : new String[] {"10:15", "10:15:30", "10:15:30.1234567", "25:00", "x"}) {
      check(Operator.CAST, ColumnType.of(ColumnType.Kind.TIME), textLit(s));
    }
    for (String s : new String[] {"2024-01-31 10:15:30.5", "2024-01-31T10:15:30",
        "2024-01-31"}) {
      check(Operator.CAST, ColumnType.of(ColumnType.Kind.TIMESTAMP), textLit(s));
      check(Operator.CAST, ColumnType.of(ColumnType.Kind.TIMESTAMPTZ), textLit(s));
    }
    for (String s : new String[] {"2024-01-31 10:15:30+02", "2024-01-31 10:15:30Z",
        "2024-01-31 10:15:30.25-05:30"}) {
      check(Operator.CAST, ColumnType.of(ColumnType.Kind.TIMESTAMPTZ), textLit(s));
    }
    Lit longText = textLit("héllo wörld  ");
    check(Operator.CAST, new ColumnType(ColumnType.Kind.TEXT, 4, -1, "character varying(4)"),
        longText);
    check(Operator.CAST, new ColumnType(ColumnType.Kind.TEXT, 13, -1, "character(13)"),
        longText);
    check(Operator.CAST, TEXT, new Lit("true", bool(true)));
    check(Operator.CAST, INT4, new Lit("true", bool(true)));
    check(Operator.CAST, BOOL, new Lit("0::int4", i4(0)));
    report();
  }

  @Test
  void comparisonsMatchPostgres() throws SQLException {
    Operator[] ops = {Operator.EQUALS, Operator.LESS_THAN, Operator.GREATER_THAN_OR_EQUAL,
        Operator.IS_DISTINCT_FROM};
    for (int i = 0; i < 150; i++) {
      for (Operator op : ops) {
        Lit n = randomNumeric();
        Lit m = random.nextBoolean() ? randomNumeric() : n;
        check(op, BOOL, n, m);
        check(op, BOOL, randomInt(INT4), randomNumeric());
        check(op, BOOL, randomFloat(FLOAT8), randomNumeric());
        check(op, BOOL, randomFloat(FLOAT8), randomInt(INT8));
        check(op, BOOL, randomFloat(FLOAT8), randomFloat(FLOAT8));
      }
    }
    String[] texts = {"a", "B", "b", "ab", "a b", "\u00e9", "e\u0301", "\uffff", "\ud83d\ude00",
        "", "Z", "z", "10", "9"};
    for (String x : texts) {
      for (String y : texts) {
        check(Operator.LESS_THAN, BOOL, textLit(x), textLit(y));
        check(Operator.EQUALS, BOOL, textLit(x), textLit(y));
      }
    }
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
        0.0, 1.0};
    for (double x : specials) {
      for (double y : specials) {
        check(Operator.LESS_THAN, BOOL, float8(x), float8(y));
        check(Operator.EQUALS, BOOL, float8(x), float8(y));
      }
    }
    report();
  }

  // ---- generators ----

  private Lit randomNumeric() {
    int digits = 1 + random.nextInt(random.nextBoolean() ? 6 : 30);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    BigDecimal v = new BigDecimal(new BigInteger(sb.toString()), random.nextInt(Math.max(1,
        Math.min(digits + 3, 14))));
    if (random.nextBoolean()) {
      v = v.negate();
    }
    String s = v.toPlainString();
    return new Lit("'" + s + "'::numeric", num(s));
  }

  private Lit randomInt(ColumnType t) {
    long bound = t == INT2 ? Short.MAX_VALUE : t == INT4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
    long v = switch (random.nextInt(4)) {
      case 0 -> random.nextLong() % (bound + 1 == 0 ? Long.MAX_VALUE : bound + 1);
      case 1 -> random.nextInt(21) - 10;
      case 2 -> (random.nextBoolean() ? 1 : -1) * (bound - random.nextInt(3));
      default -> (long) (Math.sqrt(bound) * (random.nextDouble() * 2 - 1) * 1.5);
    };
    String pgName = t == INT2 ? "int2" : t == INT4 ? "int4" : "int8";
    return new Lit("'" + v + "'::" + pgName, lit(v, t));
  }

  private Lit randomFloat(ColumnType t) {
    double v = switch (random.nextInt(5)) {
      case 0 -> random.nextGaussian() * 1000;
      case 1 -> Math.pow(10, random.nextInt(80) - 40) * random.nextDouble();
      case 2 -> random.nextInt(11) - 5;
      case 3 -> Double.longBitsToDouble(random.nextLong());
      default -> Math.round(random.nextDouble() * 100) / 4.0;
    };
    return t == FLOAT4 ? float4((float) v) : float8(v);
  }

  private static Lit float8(double d) {
    return new Lit("'" + Double.toString(d) + "'::float8", f8(d));
  }

  private static Lit float4(float f) {
    return new Lit("'" + Float.toString(f) + "'::float4", lit((double) f, FLOAT4));
  }

  private static Lit numLit(String s) {
    return new Lit("'" + s + "'::numeric", num(new BigDecimal(s).toPlainString()));
  }

  private static Lit textLit(String s) {
    return new Lit("'" + s.replace("'", "''") + "'::text collate \"C\"", text(s));
  }

  // ---- comparison ----

  private void check(Operator op, ColumnType type, Lit... args) throws SQLException {
    String sql;
    List<Expr> exprs = new ArrayList<>();
    for (Lit a : args) {
      exprs.add(a.expr());
    }
    sql = switch (op) {
      case PLUS -> args[0].sql() + " + " + args[1].sql();
      case MINUS -> args[0].sql() + " - " + args[1].sql();
      case TIMES -> args[0].sql() + " * " + args[1].sql();
      case DIVIDE -> args[0].sql() + " / " + args[1].sql();
      case MOD -> args[0].sql() + " % " + args[1].sql();
      case NEGATE -> "- " + args[0].sql();
      case CAST -> "cast(" + args[0].sql() + " as " + type.pgType() + ")";
      case EQUALS -> args[0].sql() + " = " + args[1].sql();
      case LESS_THAN -> args[0].sql() + " < " + args[1].sql();
      case GREATER_THAN_OR_EQUAL -> args[0].sql() + " >= " + args[1].sql();
      case IS_DISTINCT_FROM -> args[0].sql() + " is distinct from " + args[1].sql();
      default -> throw new IllegalArgumentException(op.name());
    };
    String theirs = postgres("select (" + sql + ")::text");
    String ours = ours(new Expr.Call(op, exprs, type));
    checked++;
    if (!theirs.equals(ours)) {
      mismatches.add(sql + "\n    pg:   " + theirs + "\n    ours: " + ours);
    }
  }

  private String postgres(String sql) throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return String.valueOf(rs.getString(1));
    } catch (SQLException e) {
      String msg = e.getMessage().replaceFirst("^ERROR: ", "").replaceAll("\\n.*", "");
      return "ERROR " + e.getSQLState() + " " + msg;
    }
  }

  private static String ours(Expr e) {
    try {
      return String.valueOf(Evaluator.compile(cast(e, TEXT)).eval(new Object[0]));
    } catch (EvalException ex) {
      return "ERROR " + ex.sqlState() + " " + ex.getMessage();
    } catch (RuntimeException ex) {
      return "EXCEPTION " + ex;
    }
  }

  private void report() {
    assertThat(mismatches).as("%d of %d expressions differ from PostgreSQL", mismatches.size(),
        checked).isEmpty();
  }
}
