package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every subcommand answers {@code --help} and {@code trickle help <cmd>} with its usage and exit 0. */
class HelpTest {
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
}
