package io.trickle.cli;

import io.trickle.cli.runtime.Freshness;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "wait", mixinStandardHelpOptions = true, description = "Block until every stream table reflects the WAL position current now.")
final class WaitCommand implements Callable<Integer> {
  @Option(names = "--pg", required = true, description = "JDBC URL of the database holding the stream tables.")
  String pg;

  @Mixin
  PgPasswordOption password;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "Give up after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    try (Connection c = password.parse(pg).connect()) {
      String failure = Freshness.await(c, timeout);
      if (failure != null) {
        System.err.println("error: " + failure);
        return 1;
      }
      System.out.println("all stream tables are current");
      return 0;
    }
  }
}
