package io.trickle.connectors.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorStatusTest {
  @Test
  void runningNeedsConnectorAndEveryTask() {
    var running = new ConnectorStatus.Task(0, "RUNNING", "w", null);
    var unassigned = new ConnectorStatus.Task(1, "UNASSIGNED", "w", null);
    assertThat(new ConnectorStatus("c", "RUNNING", null, List.of(running)).running()).as("all running").isTrue();
    assertThat(new ConnectorStatus("c", "RUNNING", null, List.of(running, unassigned)).running()).as("one task not yet").isFalse();
    assertThat(new ConnectorStatus("c", "RUNNING", null, List.of()).running()).as("no tasks yet").isFalse();
  }

  @Test
  void failureSummaryKeepsTheFirstTraceLines() {
    var failed = new ConnectorStatus.Task(0, "FAILED", "w", "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)");
    ConnectorStatus s = new ConnectorStatus("src", "RUNNING", null, List.of(failed));
    assertThat(s.failed()).as("failed").isTrue();
    assertThat(s.failureSummary(2)).as("summary")
        .isEqualTo("task src-0 FAILED: java.lang.IllegalStateException: boom\n  at a.B.c(B.java:1)");
  }
}
