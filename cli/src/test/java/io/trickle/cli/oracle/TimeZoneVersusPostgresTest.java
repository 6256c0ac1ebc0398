package io.trickle.cli.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * date_trunc over date and timestamptz, casts between date, timestamp and timestamptz, EXTRACT
 * and date_part of timestamptz, and comparisons across them, each pinned to a zone with {@code
 * WITH (timezone = ...)}, equal PostgreSQL running the query under that TimeZone, through a
 * random history whose values crowd around the zones' transitions (gaps and overlaps, at 02:00,
 * at midnight as in São Paulo, and of half an hour as on Lord Howe Island).
 */
class TimeZoneVersusPostgresTest {
  private static final List<String> ZONES = List.of("Europe/Paris", "America/New_York",
      "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata");

  private static final List<String> QUERIES = List.of(
      "select id, date_trunc('month', d) as m_d, date_trunc('year', d) as y_d,"
          + " date_trunc('day', tz) as day_tz, date_trunc('hour', tz) as h_tz,"
          + " date_trunc('week', tz) as w_tz, date_trunc('minute', tz) as min_tz,"
          + " date_trunc('quarter', tz) as q_tz, date_trunc('day', d)::date as d_again from t",
      "select id, tz::date as tz_d, tz::timestamp as tz_ts, tz::time as tz_t,"
          + " ts::timestamptz as ts_tz, d::timestamptz as d_tz, cast(d as timestamp with time zone) as d_tz2"
          + " from t",
      "select id, extract(hour from tz) as h, extract(day from tz) as dd,"
          + " extract(epoch from tz) as e, extract(dow from tz) as dw, date_part('minute', tz) as mi,"
          + " date_part('doy', tz) as doy from t",
      "select id, tz >= d as ge_d, ts < tz as lt_ts, tz = ts as eq_ts, d <= tz as le_d from t"
          + " where tz is distinct from ts",
      "select id, tz >= '2009-03-29 02:30:00' as after_gap, tz < '2009-10-25 02:30' as in_overlap,"
          + " tz = '2009-10-25 01:30:00+00' as eq, date_trunc('day', tz) = '2009-11-01' as nov7"
          + " from t",
      "select date_trunc('month', tz)::date as month, date_trunc('day', d) as day, count(*) as n"
          + " from t group by 1, 2");

  static EmbeddedPostgresServer server;

  @BeforeAll
  static void start() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Instants and wall-clock times near the zones' transitions, and some anywhere. */
  private static final class Values {
    final List<Instant> instants = new ArrayList<>();
    final List<LocalDateTime> locals = new ArrayList<>();

    Values() {
      for (String name : ZONES) {
        ZoneId zone = ZoneId.of(name);
        Instant at = Instant.parse("1995-01-01T00:00:00Z");
        for (int i = 0; i < 40; i++) {
          ZoneOffsetTransition next = zone.getRules().nextTransition(at);
          if (next == null) {
            break;
          }
          instants.add(next.getInstant());
          locals.add(next.getDateTimeBefore());
          locals.add(next.getDateTimeAfter());
          at = next.getInstant();
        }
      }
    }

    Instant instant(Random r) {
      if (r.nextInt(6) == 0) {
        return Instant.parse("1990-01-01T00:00:00Z").plusSeconds(r.nextInt(1_200_000_000));
      }
      return instants.get(r.nextInt(instants.size()))
          .plus(Duration.ofMinutes(15L * (r.nextInt(17) - 8) + r.nextInt(3)));
    }

    LocalDateTime local(Random r) {
      LocalDateTime base = locals.get(r.nextInt(locals.size()));
      return r.nextInt(3) == 0 ? base.toLocalDate().atStartOfDay()
          : base.plusMinutes(15L * (r.nextInt(9) - 4));
    }

    String row(int id, Random r) {
      LocalDateTime local = local(r);
      String d = (r.nextInt(4) == 0 ? "NULL" : "'" + local(r).toLocalDate() + "'") + "::date";
      String ts = (r.nextInt(8) == 0 ? "NULL" : "'" + local + "'") + "::timestamp";
      // Half of the instants are the local value read in some zone, so comparisons meet ties.
      Instant i = r.nextBoolean() ? instant(r)
          : local.atZone(ZoneId.of(ZONES.get(r.nextInt(ZONES.size())))).toInstant();
      String tz = (r.nextInt(8) == 0 ? "NULL" : "'" + i.atOffset(ZoneOffset.UTC) + "'")
          + "::timestamptz";
      return "(" + id + ", " + d + ", " + ts + ", " + tz + ")";
    }
  }

  @Test
  void zonePinnedExpressionsEqualPostgresUnderThatZone() throws Exception {
    String url = server.jdbcUrl();
    Values values = new Values();
    Random r = new Random(7);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz)");
      List<String> rows = new ArrayList<>();
      for (int id = 1; id <= 300; id++) {
        rows.add(values.row(id, r));
      }
      s.execute("INSERT INTO t VALUES " + String.join(", ", rows));
    }
    try (CompiledVersusPostgres h = CompiledVersusPostgres.open(url, List.of("public.t"));
        Connection c = DriverManager.getConnection(url)) {
      int n = 0;
      for (String zone : ZONES) {
        for (String query : QUERIES) {
          CompiledVersusPostgres.Compiled compiled = h.deploy(DefinitionParser.parse(
              "CREATE STREAM TABLE q" + n++ + " WITH (timezone = '" + zone + "') AS " + query
                  + ";"));
          assertThat(compiled.plan().timeZone()).as(query).isEqualTo(zone);
        }
      }
      assertOk(h.sync(), "after the snapshot", n);
      for (int round = 0; round < 6; round++) {
        try (Statement s = c.createStatement()) {
          for (int i = 0; i < 40; i++) {
            int id = 1 + r.nextInt(360);
            switch (r.nextInt(4)) {
              case 0 -> s.execute("INSERT INTO t VALUES " + values.row(id, r)
                  + " ON CONFLICT (id) DO NOTHING");
              case 1 -> s.execute("UPDATE t SET tz = tz + interval '30 minutes' WHERE id = " + id);
              case 2 -> s.execute("UPDATE t SET (d, ts, tz) = (SELECT d, ts, tz FROM (VALUES "
                  + values.row(id, r) + ") v(id, d, ts, tz)) WHERE id = " + id);
              default -> s.execute("DELETE FROM t WHERE id = " + id);
            }
          }
        }
        assertOk(h.sync(), "after round " + round, n);
      }
    }
  }

  private static void assertOk(List<CompiledVersusPostgres.Check> checks, String when, int n) {
    assertThat(checks).as("checks %s", when).hasSize(n);
    for (CompiledVersusPostgres.Check check : checks) {
      assertThat(check.ok()).as("%s %s", check.summary(), when).isTrue();
    }
  }
}
