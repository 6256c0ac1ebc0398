package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trickle explain} prints the pinned TimeZone of a plan that reads it, takes
 * {@code --timezone}, and prints the warnings of a query whose result PostgreSQL does not
 * determine after the plan.
 */
class ExplainCommandTest {
  static EmbeddedPostgresServer server;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedPostgresServer.start();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE sales (id int PRIMARY KEY, sold date, at timestamptz, amount int)");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private record Run(int exit, String out) {}

  private Run explain(String definition, String... extra) throws Exception {
    Path file = dir.resolve("st.sql");
    Files.writeString(file, definition);
    PrintStream previous = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      String[] args = new String[3 + extra.length];
      args[0] = "explain";
      args[1] = file.toString();
      args[2] = "--pg=" + server.jdbcUrl();
      System.arraycopy(extra, 0, args, 3, extra.length);
      int exit = Main.execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(previous);
    }
  }

  @Test
  void printsThePinnedTimeZone() throws Exception {
    Run r = explain("CREATE STREAM TABLE monthly WITH (timezone = 'Europe/Paris') AS"
        + " SELECT date_trunc('month', sold) AS month, sum(amount) AS total FROM sales GROUP BY 1;");

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("evaluated in TimeZone 'Europe/Paris'");
  }

  @Test
  void theTimezoneOptionPinsDefinitionsThatNameNone() throws Exception {
    Run r = explain("CREATE STREAM TABLE days AS SELECT id, at::date AS day FROM sales;",
        "--timezone", "America/New_York");

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("evaluated in TimeZone 'America/New_York'");
  }

  @Test
  void printsTheWarningOfAnUndeterminedQuery() throws Exception {
    Run r = explain("CREATE STREAM TABLE some_sales AS SELECT id, amount FROM sales LIMIT 10;");

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("stream table some_sales")
        .contains("warning: line 1, column ")
        .contains("LIMIT/OFFSET has no ORDER BY")
        .contains("add a unique column such as id to the ORDER BY");
  }
}
