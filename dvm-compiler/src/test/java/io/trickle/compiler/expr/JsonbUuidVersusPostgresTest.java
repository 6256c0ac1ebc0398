package io.trickle.compiler.expr;

import static io.trickle.compiler.expr.E.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * jsonb and uuid values against PostgreSQL: random JSON texts (duplicate keys, numbers in every
 * notation, escapes, non-ASCII keys, blanks) must read to PostgreSQL's jsonb output text, compare
 * equal exactly when PostgreSQL's jsonb equality says so, and give the same results for the
 * operators, functions and casts, errors included. uuid input and order alike.
 */
class JsonbUuidVersusPostgresTest {
  private static final ColumnType JSONB = ColumnType.of(Kind.JSONB);
  private static final ColumnType UUID = ColumnType.of(Kind.UUID);
  private static EmbeddedPostgres postgres;
  private static Connection connection;

  @BeforeContainer
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
  }

  @AfterContainer
  static void stop() throws Exception {
    connection.close();
    postgres.close();
  }

  @Provide
  Arbitrary<String> json() {
    return value(3);
  }

  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(number(), string(),
        Arbitraries.of("true", "false", "null"));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> array = value(depth - 1).list().ofMaxSize(4)
        .map(l -> "[" + String.join(blank(l.size()) + "," + blank(l.size() + 1), l) + "]");
    Arbitrary<String> object = Combinators.combine(key(), value(depth - 1))
        .as((k, v) -> k + (k.length() % 2 == 0 ? ":" : " : ") + v).list().ofMaxSize(4)
        .map(l -> "{" + String.join(", ", l) + "}");
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(2, array),
        net.jqwik.api.Tuple.of(3, object));
  }

  private static String blank(int n) {
    return n % 3 == 0 ? " " : n % 3 == 1 ? "" : "\n ";
  }

  private Arbitrary<String> number() {
    return Arbitraries.of("0", "-0", "1", "1.0", "1.00", "-2.50", "1e2", "1E+2", "2.5e-1",
        "12345678901234567890.123", "0.000", "-0.0", "10", "3");
  }

  private Arbitrary<String> string() {
    return Arbitraries.of("\"\"", "\"a\"", "\"x\"", "\"k\"", "\"1\"", "\"tab\\there\"",
        "\"quote\\\"d\"", "\"slash\\/\"", "\"\\u00e9t\\u00E9\"", "\"é\"", "\"\\ud83d\\ude00\"",
        "\"back\\\\slash\"", "\"nl\\n\"", "\"\\u0001\"");
  }

  private Arbitrary<String> key() {
    return Arbitraries.of("\"a\"", "\"b\"", "\"aa\"", "\"B\"", "\"k\"", "\"é\"", "\"ab\"", "\"\"",
        "\"n\"", "\"a\"");
  }

  @Property(tries = 150)
  void readsAndPrintsAsPostgres(@ForAll("json") String text) throws SQLException {
    assertThat(PgJsonb.parse(text).toString()).as("%s::jsonb::text", text)
        .isEqualTo(pgText("select ?::jsonb::text", text));
  }

  @Property(tries = 150)
  void equalityIsPostgresJsonbEquality(@ForAll("json") String a, @ForAll("json") String b)
      throws SQLException {
    boolean expected = pgBool("select ?::jsonb = ?::jsonb", a, b);
    assertThat(PgJsonb.parse(a).equals(PgJsonb.parse(b))).as("%s = %s", a, b).isEqualTo(expected);
    if (expected) {
      assertThat(PgJsonb.parse(a).hashCode()).as("hash of equal %s and %s", a, b)
          .isEqualTo(PgJsonb.parse(b).hashCode());
      assertThat(PgJsonb.parse(a).normalized().toString()).as("normalized %s and %s", a, b)
          .isEqualTo(PgJsonb.parse(b).normalized().toString());
    }
  }

  @Property(tries = 150)
  void operatorsFunctionsAndCastsAsPostgres(@ForAll("json") String text) throws SQLException {
    PgJsonb j = PgJsonb.parse(text);
    Expr c = col(0, JSONB);
    check(text, "(?::jsonb -> 'a')::text", call(Operator.JSONB_GET, JSONB, c, text("a")), j);
    check(text, "?::jsonb ->> 'a'", call(Operator.JSONB_GET_TEXT, TEXT, c, text("a")), j);
    check(text, "?::jsonb ->> 'é'", call(Operator.JSONB_GET_TEXT, TEXT, c, text("é")), j);
    check(text, "(?::jsonb -> 1)::text", call(Operator.JSONB_GET, JSONB, c, i4(1)), j);
    check(text, "?::jsonb ->> -1", call(Operator.JSONB_GET_TEXT, TEXT, c, i4(-1)), j);
    check(text, "?::jsonb ->> -5", call(Operator.JSONB_GET_TEXT, TEXT, c, i4(-5)), j);
    check(text, "(?::jsonb #> '{a,0}')::text",
        call(Operator.JSONB_PATH, JSONB, c, text("{a,0}")), j);
    check(text, "?::jsonb #>> '{ a , -1 }'",
        call(Operator.JSONB_PATH_TEXT, TEXT, c, text("{ a , -1 }")), j);
    check(text, "?::jsonb #>> '{}'", call(Operator.JSONB_PATH_TEXT, TEXT, c, text("{}")), j);
    check(text, "?::jsonb #>> '{\"b\",x}'",
        call(Operator.JSONB_PATH_TEXT, TEXT, c, text("{\"b\",x}")), j);
    check(text, "jsonb_typeof(?::jsonb)", call(Operator.JSONB_TYPEOF, TEXT, c), j);
    check(text, "jsonb_array_length(?::jsonb)::text",
        cast(call(Operator.JSONB_ARRAY_LENGTH, INT4, c), TEXT), j);
    check(text, "(?::jsonb)::numeric::text", cast(cast(c, NUM), TEXT), j);
    check(text, "(?::jsonb)::int::text", cast(cast(c, INT4), TEXT), j);
    check(text, "(?::jsonb)::float8::text", cast(cast(c, FLOAT8), TEXT), j);
    check(text, "(?::jsonb)::boolean::text", cast(cast(c, BOOL), TEXT), j);
    check(text, "((?::jsonb)::text)::jsonb::text",
        cast(cast(cast(c, TEXT), JSONB), TEXT), j);
  }

  @Example
  void invalidJsonIsRejectedAsPostgresRejectsIt() throws SQLException {
    for (String text : List.of("", " ", "{", "[1,]", "{\"a\" 1}", "01", "1.", ".5", "+1", "tru",
        "\"\\x\"", "\"\\u00\"", "\"\\ud83d\"", "\"\\u0000\"", "[1] 2", "{\"a\":1,}", "nul", "1e",
        "\"a\tb\"", "NaN", "[1 2]")) {
      check(text, "?::jsonb::text", cast(cast(text(text), JSONB), TEXT), null);
    }
  }

  @Provide
  Arbitrary<String> uuidText() {
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(32);
    return Combinators.combine(hex, Arbitraries.integers().between(0, 6)).as((h, form) -> switch (form) {
      case 0 -> h;
      case 1 -> h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
          + h.substring(16, 20) + "-" + h.substring(20);
      case 2 -> "{" + h + "}";
      case 3 -> h.substring(0, 4) + "-" + h.substring(4, 8) + "-" + h.substring(8);
      case 4 -> h.substring(0, 31);
      case 5 -> h.substring(0, 6) + "-" + h.substring(6);
      default -> "{" + h.substring(0, 8) + "-" + h.substring(8) + "}x";
    });
  }

  @Property(tries = 200)
  void uuidInputAndOrderAsPostgres(@ForAll("uuidText") String a, @ForAll("uuidText") String b)
      throws SQLException {
    check(a, "?::uuid::text", cast(cast(text(a), UUID), TEXT), null);
    String x;
    String y;
    try {
      x = PgUuid.parse(a);
      y = PgUuid.parse(b);
    } catch (EvalException e) {
      return;
    }
    int pg = pgInt("select case when ?::uuid < ?::uuid then -1 when ?::uuid = ?::uuid then 0"
        + " else 1 end", a, b, a, b);
    assertThat(Integer.signum(Values.compare(x, y))).as("order of %s and %s", a, b).isEqualTo(pg);
  }

  /** Our value of {@code e} on the row [j] and PostgreSQL's of {@code pgExpr} with ? = text. */
  private static void check(String text, String pgExpr, Expr e, PgJsonb j) throws SQLException {
    String expected;
    String expectedState = null;
    try {
      expected = pgText("select " + pgExpr, text);
    } catch (SQLException ex) {
      expected = null;
      expectedState = ex.getSQLState();
    }
    Object actual;
    try {
      actual = eval(e, j);
    } catch (EvalException ex) {
      assertThat(ex.sqlState()).as("%s for %s fails with %s (%s)", pgExpr, text,
          expectedState, ex.getMessage()).isEqualTo(expectedState);
      return;
    }
    assertThat(expectedState).as("%s for %s: PostgreSQL fails, we give %s", pgExpr, text, actual)
        .isNull();
    Object shown = actual instanceof PgJsonb pj ? pj.toString() : actual;
    assertThat(shown).as("%s for %s", pgExpr, text).isEqualTo(expected);
  }

  private static String pgText(String sql, String... args) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static boolean pgBool(String sql, String... args) throws SQLException {
    return Boolean.parseBoolean(pgText(sql.replace("select ", "select (") + ")::text", args));
  }

  private static int pgInt(String sql, String... args) throws SQLException {
    return Integer.parseInt(pgText(sql, args));
  }
}
