package io.trickle.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads that each repeat one step on their own PostgreSQL connection until stopped; a step
 * that throws ends its thread and is reported by {@link #failures()}.
 */
final class LoadThreads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadThreads.class);

  /** One iteration of a thread's loop. */
  interface Step {
    void run(Connection c) throws Exception;
  }

  private final String jdbcUrl;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

  LoadThreads(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  void start(String name, boolean autoCommit, Step step) {
    Thread t = new Thread(() -> {
      try (Connection c = DriverManager.getConnection(jdbcUrl)) {
        c.setAutoCommit(autoCommit);
        while (!stop.get()) {
          step.run(c);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable e) {
        failures.add(e);
        LOG.error("{} failed", name, e);
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  List<Throwable> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }
}
