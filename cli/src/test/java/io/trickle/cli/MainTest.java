package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line: every subcommand answers {@code --help} and {@code trickle help <cmd>} with
 * its usage and exit 0, and a bad {@code --pg} is reported without the password it holds.
 */
class MainTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Main.execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "run", "explain", "status", "wait"})
  void dashDashHelp(String command) {
    Run r = run(command, "--help");
    assertThat(r.exit()).as("exit code of trickle " + command + " --help (stderr: " + r.err() + ")").isZero();
    assertThat(r.out()).as("usage of " + command).contains("Usage: trickle " + command).contains("--help");
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "run", "explain", "status", "wait"})
  void helpCommand(String command) {
    Run r = run("help", command);
    assertThat(r.exit()).as("exit code of trickle help " + command + " (stderr: " + r.err() + ")").isZero();
    assertThat(r.out()).as("usage of " + command).contains("Usage: trickle " + command);
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "status", "wait", "explain"})
  void everyCommandWithPgTakesAPasswordFile(String command) {
    assertThat(run(command, "--help").out()).as(command + " options").contains("--pg-password-file");
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres://app:s3cret@db:5432/shop", "jdbc:postgresql://app:s3cret@db/shop",
      "jdbc:postgresql://db1,db2/shop?user=app&password=s3cret", "jdbc:postgresql://db:x/shop?password=s3cret"})
  void aBadPgUrlIsReportedWithoutItsPassword(String url) {
    for (String command : new String[] {"status", "wait"}) {
      Run r = run(command, "--pg", url);
      assertThat(r.exit()).as("exit code of trickle " + command + " with a bad --pg").isNotZero();
      assertThat(r.err()).as("the error of trickle " + command).contains("--pg").doesNotContain("s3cret");
      assertThat(r.out()).as("the output of trickle " + command).doesNotContain("s3cret");
    }
  }
}
