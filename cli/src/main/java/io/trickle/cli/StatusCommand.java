package io.trickle.cli;

import io.trickle.cli.runtime.Freshness;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = "One line per stream table: status, rows, lag, reflected LSN.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--pg", required = true, description = "JDBC URL of the database holding the stream tables.")
  String pg;

  @Mixin
  PgPasswordOption password;

  @Override
  public Integer call() throws Exception {
    try (Connection c = password.parse(pg).connect()) {
      List<Freshness.Row> rows = Freshness.read(c, true);
      if (rows.isEmpty()) {
        System.out.println("no stream tables are deployed in this database");
        return 0;
      }
      boolean error = false;
      for (Freshness.Row r : rows) {
        System.out.println(Freshness.format(r));
        error |= "error".equals(r.status());
      }
      return error ? 2 : 0;
    } catch (java.sql.SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        System.err.println("error: no trickle deployment found in this database (schema trickle is missing)");
        return 1;
      }
      throw e;
    }
  }
}
