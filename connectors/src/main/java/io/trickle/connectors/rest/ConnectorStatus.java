package io.trickle.connectors.rest;

import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /connectors/{name}/status} reports: the connector's state and each task's.
 * States are Connect's: UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED, RESTARTING.
 */
public record ConnectorStatus(String name, String state, String trace, List<Task> tasks) {
  public ConnectorStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    tasks = List.copyOf(tasks);
  }

  /** One task's state; {@code trace} is the stack trace of a FAILED task, else null. */
  public record Task(int id, String state, String worker, String trace) {
    public Task {
      Objects.requireNonNull(state, "state");
    }
  }

  /** The connector and at least one task run, and no task is in another state. */
  public boolean running() {
    return "RUNNING".equals(state) && !tasks.isEmpty() && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
  }

  /** The connector or one of its tasks has failed. */
  public boolean failed() {
    return "FAILED".equals(state) || tasks.stream().anyMatch(t -> "FAILED".equals(t.state()));
  }

  /** The first lines of the failure traces, for error messages; empty when nothing failed. */
  public String failureSummary(int maxLines) {
    StringBuilder sb = new StringBuilder();
    if ("FAILED".equals(state)) {
      sb.append("connector ").append(name).append(" FAILED: ").append(firstLines(trace, maxLines));
    }
    for (Task t : tasks) {
      if ("FAILED".equals(t.state())) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append("task ").append(name).append('-').append(t.id()).append(" FAILED: ").append(firstLines(t.trace(), maxLines));
      }
    }
    return sb.toString();
  }

  private static String firstLines(String trace, int maxLines) {
    if (trace == null) {
      return "(no trace)";
    }
    String[] lines = trace.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(maxLines, lines.length); i++) {
      sb.append(i == 0 ? "" : "\n  ").append(lines[i].strip());
    }
    return sb.toString();
  }
}
