package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.plan.Plan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expressions whose only instability is the TimeZone setting compile with the zone pinned in the
 * plan; what reads the clock stays rejected. Their values are checked against PostgreSQL by
 * cli's TimeZoneVersusPostgresTest.
 */
class TimeZoneCompileTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  private static String sessionZone() throws Exception {
    try (var st = db.connection().createStatement();
        var rs = st.executeQuery("show timezone")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void dateTruncOfADateIsEvaluatedInTheSessionZone() throws Exception {
    Plan plan = db.compile("select id, date_trunc('month', placed) as m from orders");

    assertThat(plan.timeZone()).as("the session's zone is pinned").isEqualTo(sessionZone());
    assertThat(plan.explain()).contains("evaluated in TimeZone '" + sessionZone() + "'")
        .contains("AT_TIME_ZONE");
    assertThat(plan.columns().get(1).type().pgType()).isEqualTo("timestamp with time zone");
  }

  @Test
  void theDefinitionsZoneWins() {
    Plan plan = db.compileFile("""
        CREATE STREAM TABLE monthly WITH (timezone = 'Europe/Paris') AS
        SELECT date_trunc('month', placed)::date AS month, count(*) AS n,
               date_trunc('day', tstz) AS day_start
        FROM orders GROUP BY 1, 3;
        """);

    assertThat(plan.timeZone()).isEqualTo("Europe/Paris");
    assertThat(plan.explain()).contains("evaluated in TimeZone 'Europe/Paris'")
        .contains("DATE_TRUNC['day', $9, 'Europe/Paris']");
  }

  @Test
  void castsAndComparisonsBetweenDateTimestampAndTimestamptz() {
    Plan plan = db.compileFile("""
        CREATE STREAM TABLE c WITH (timezone = 'America/New_York') AS
        SELECT id, tstz::date AS d, tstz::timestamp AS local_ts, ts::timestamptz AS ts_tz,
               placed::timestamptz AS placed_tz, extract(hour from tstz) AS h,
               date_part('dow', tstz) AS dow
        FROM orders WHERE tstz >= placed AND ts < tstz;
        """);

    assertThat(plan.timeZone()).isEqualTo("America/New_York");
    assertThat(plan.columns()).extracting(c -> c.type().pgType()).containsExactly("bigint",
        "date", "timestamp without time zone", "timestamp with time zone",
        "timestamp with time zone", "numeric", "double precision");
  }

  @Test
  void aPlanThatDoesNotReadTheZoneRecordsNone() {
    Plan plan = db.compile("select id, date_trunc('month', ts) as m, tstz from orders");

    assertThat(plan.timeZone()).isNull();
    assertThat(plan.explain()).doesNotContain("TimeZone");
  }

  @Test
  void theClockStaysRejected() {
    assertThatThrownBy(() -> db.compile("select id from orders where tstz > now()"))
        .hasMessageContaining("now() is stable");
    assertThatThrownBy(() -> db.compile("select id from orders where placed > current_date"))
        .hasMessageContaining("current_date is not allowed in a stream table");
    assertThatThrownBy(() -> db.compile("select id from orders where ts > localtimestamp"))
        .hasMessageContaining("localtimestamp is not allowed in a stream table");
  }

  @Test
  void anUnknownZoneIsRejected() {
    assertThatThrownBy(() -> new StreamTableCompiler().compile(DefinitionParser.parse("""
        CREATE STREAM TABLE x WITH (timezone = 'Mars/Olympus') AS
        SELECT id, tstz::date AS d FROM orders;
        """), db.connection()))
        .hasMessageContaining("option timezone must name a zone of the tz database");
    assertThatThrownBy(() -> new StreamTableCompiler("UTC+3").compile(DefinitionParser.parse("""
        CREATE STREAM TABLE x AS SELECT id, tstz::date AS d FROM orders;
        """), db.connection()))
        .hasMessageContaining("is not a tz database name");
  }
}
