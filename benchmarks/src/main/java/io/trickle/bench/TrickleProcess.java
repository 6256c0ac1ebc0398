package io.trickle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./trickle run} as a user starts it: a child process (the launcher {@code exec}s the JVM,
 * so the child's pid is trickle's), with its output in a log file. It can be paused and resumed
 * (SIGSTOP, SIGCONT) and its resident memory read from {@code /proc}.
 */
final class TrickleProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private volatile boolean paused;

  private TrickleProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static TrickleProcess launch(Path home, String jdbcUrl, Path definitions, Path stateDir, Path log,
      java.util.List<String> extraArgs) throws IOException {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        home.resolve("trickle").toString(), "run", "--pg", jdbcUrl,
        "--definitions", definitions.toString(), "--state-dir", stateDir.toString()));
    command.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(home.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new TrickleProcess(pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Throws with the end of the log when the process has exited. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("trickle run exited with status " + process.exitValue()
          + "; last lines of " + log + ":\n" + tail(20));
    }
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  private void signal(String name) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed with status " + rc);
    }
  }

  /** A {@code /proc/<pid>/status} field in kB (VmRSS: resident now, VmHWM: peak resident), or -1. */
  long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the process is gone.
    }
    return -1;
  }

  /** Stops it as Ctrl-C does (SIGTERM: trickle closes everything in order), then forcibly if it hangs. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
