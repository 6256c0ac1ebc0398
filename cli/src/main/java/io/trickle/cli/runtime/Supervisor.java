package io.trickle.cli.runtime;

import io.trickle.connectors.ddl.TrickleSchema;
import io.trickle.connectors.rest.ConnectRestClient;
import io.trickle.connectors.rest.ConnectRestException;
import io.trickle.connectors.rest.ConnectorStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what {@code trickle run} deployed: the Connect connectors and their tasks (the Debezium
 * source, the sinks) and the Kafka Streams applications (the capture stage of the database, the
 * stream tables'). A failed capture stage puts every stream table of its database in {@code
 * error} at once (they get no changes while it is down). A failed one is restarted with
 * exponential backoff, for as long as {@code run} runs. When a restart did not help, the stream
 * tables it serves go to {@code error} with the failure's first lines (unless they already are in
 * error for a more specific reason, such as the sink's own PostgreSQL message). Once a restarted
 * component has stayed up for {@link Settings#stable()}, the errors it caused are cleared and the
 * stream tables are {@code running} again.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  /**
   * @param interval how often states are polled
   * @param backoff the pauses between restarts of one component
   * @param stable how long a restarted component must stay up to count as recovered
   */
  public record Settings(Duration interval, Backoff backoff, Duration stable) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(2),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)), Duration.ofSeconds(10));
  }

  /** Restart bookkeeping of one connector or application. */
  private static final class Watch {
    final List<String> streamTables;
    int attempts;
    long nextAttemptNanos;
    long upSinceNanos = -1;

    Watch(List<String> streamTables) {
      this.streamTables = List.copyOf(streamTables);
      this.nextAttemptNanos = System.nanoTime();
    }
  }

  private final PgUrl pg;
  private final ConnectRestClient connect;
  private final Settings settings;
  private final PrintStream out;
  private final Map<String, Watch> connectors = new LinkedHashMap<>();
  private final Map<SupervisedApp, Watch> apps = new LinkedHashMap<>();
  /** The capture stages: each one's stream tables are in error while it is down. */
  private final Map<SupervisedApp, Watch> captures = new LinkedHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "trickle-supervisor");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param connectors connector name → the stream tables it serves
   * @param apps the stream tables' applications
   */
  public Supervisor(PgUrl pg, ConnectRestClient connect, Map<String, List<String>> connectors,
      List<StreamTableApp> apps, Settings settings, PrintStream out) {
    this(pg, connect, connectors, apps, Map.of(), settings, out);
  }

  /**
   * @param captures each capture stage → the stream tables that depend on it (all of its
   *     database's), which are in {@code error} while it is down
   */
  public Supervisor(PgUrl pg, ConnectRestClient connect, Map<String, List<String>> connectors,
      List<StreamTableApp> apps, Map<? extends SupervisedApp, List<String>> captures,
      Settings settings, PrintStream out) {
    this.pg = pg;
    this.connect = connect;
    this.settings = settings;
    this.out = out;
    connectors.forEach((name, sts) -> this.connectors.put(name, new Watch(sts)));
    for (StreamTableApp app : apps) {
      this.apps.put(app, new Watch(List.of(app.name())));
    }
    captures.forEach((app, sts) -> this.captures.put(app, new Watch(sts)));
  }

  public void start() {
    long ms = settings.interval().toMillis();
    timer.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("supervisor check failed; trying again in {}", settings.interval(), e);
    }
  }

  /** One round: every connector, every capture stage, then every stream table's application. */
  void check() {
    for (Map.Entry<String, Watch> e : connectors.entrySet()) {
      checkConnector(e.getKey(), e.getValue());
    }
    for (Map.Entry<SupervisedApp, Watch> e : captures.entrySet()) {
      checkApp(e.getKey(), e.getValue(), TrickleSchema.ERROR_CAPTURE);
    }
    for (Map.Entry<SupervisedApp, Watch> e : apps.entrySet()) {
      checkApp(e.getKey(), e.getValue(), TrickleSchema.ERROR_APP);
    }
  }

  private void checkConnector(String name, Watch w) {
    ConnectorStatus status;
    try {
      status = connect.status(name);
    } catch (ConnectRestException e) {
      LOG.debug("status of connector {} unavailable: {}", name, e.getMessage());
      return; // Connect is restarting or rebalancing: look again next round
    }
    long now = System.nanoTime();
    if (status.failed()) {
      w.upSinceNanos = -1;
      if (now - w.nextAttemptNanos < 0) {
        return;
      }
      w.attempts++;
      String failure = status.failureSummary(3);
      if (w.attempts > 1) {
        // Restarting did not help (yet): say so where status and wait look.
        for (String st : w.streamTables) {
          Catalog.markError(pg, st, "connector " + name + " failed (restart " + (w.attempts - 1)
              + " did not help; restarting with backoff): " + failure, TrickleSchema.ERROR_CONNECT);
        }
      }
      Duration pause = settings.backoff().delay(w.attempts);
      out.printf("connector %s failed; restart %d, next in %d s if it fails again: %s%n", name, w.attempts,
          pause.toSeconds(), failure.lines().findFirst().orElse(""));
      try {
        connect.restart(name, true, true);
      } catch (ConnectRestException e) {
        LOG.warn("cannot restart connector {}: {}", name, e.getMessage());
      }
      w.nextAttemptNanos = now + pause.toNanos();
    } else if (status.running()) {
      recovered("connector " + name, w, now, TrickleSchema.ERROR_CONNECT);
    }
  }

  /**
   * @param source {@link TrickleSchema#ERROR_APP} for a stream table's own application (which
   *     marks its stream table when it fails), {@link TrickleSchema#ERROR_CAPTURE} for a capture
   *     stage, whose stream tables are marked here
   */
  private void checkApp(SupervisedApp app, Watch w, String source) {
    long now = System.nanoTime();
    if (app.failed()) {
      w.upSinceNanos = -1;
      if (now - w.nextAttemptNanos < 0) {
        return;
      }
      w.attempts++;
      Duration pause = settings.backoff().delay(w.attempts);
      if (TrickleSchema.ERROR_CAPTURE.equals(source)) {
        for (String st : w.streamTables) {
          Catalog.markError(pg, st, app.name() + " failed (restart " + w.attempts
              + " under way, with backoff): " + app.failure(), source);
        }
        out.printf("%s failed (%s); restart %d, next in %d s if it fails again%n", app.name(),
            app.failure(), w.attempts, pause.toSeconds());
      } else {
        out.printf("stream table %s: its application failed (%s); restart %d, next in %d s if it fails again%n",
            app.name(), app.failure(), w.attempts, pause.toSeconds());
      }
      app.restart();
      w.nextAttemptNanos = now + pause.toNanos();
    } else if (app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
      recovered(TrickleSchema.ERROR_CAPTURE.equals(source) ? app.name()
          : "the application of " + app.name(), w, now, source);
    }
  }

  /** After a restart: up for long enough means recovered, and the errors it caused end. */
  private void recovered(String what, Watch w, long now, String source) {
    if (w.attempts == 0) {
      return;
    }
    if (w.upSinceNanos < 0) {
      w.upSinceNanos = now;
      return;
    }
    if (now - w.upSinceNanos < settings.stable().toNanos()) {
      return;
    }
    List<String> cleared = new ArrayList<>();
    for (String st : w.streamTables) {
      if (Catalog.clearError(pg, st, source)) {
        cleared.add(st);
      }
    }
    out.printf("%s recovered after %d restart(s)%s%n", what, w.attempts,
        cleared.isEmpty() ? "" : "; running again: " + cleared);
    w.attempts = 0;
    w.upSinceNanos = -1;
    w.nextAttemptNanos = now;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
