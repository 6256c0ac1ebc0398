package io.trickle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trickle} command. Wiring only: each subcommand lives in its own class. */
@Command(name = "trickle", mixinStandardHelpOptions = true, version = "trickle 0.1.0",
    description = "Incremental materialized views (stream tables) for PostgreSQL on Kafka Streams.",
    subcommands = {DemoCommand.class, RunCommand.class, ExplainCommand.class, StatusCommand.class,
        WaitCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      org.slf4j.LoggerFactory.getLogger(Main.class).debug("command failed", e);
      return 1;
    });
    return cl.execute(args);
  }
}
