package io.trickle.connectors.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.connectors.ddl.TrickleSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers a stream table's changes until an epoch marker closes them, then applies the
 * consolidated changes, the reflected LSN and the ending offset in one PostgreSQL transaction.
 * Kafka offsets are only committed up to the last applied marker, and on start the task seeks to
 * the offset PostgreSQL recorded, so replays never apply an epoch twice.
 */
public final class TrickleSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(TrickleSinkTask.class);

  private TrickleSinkConfig config;
  private Connection connection;
  private TargetWriter writer;
  /** Changes of epochs already closed by a marker, not yet written. */
  private Map<String, TargetWriter.Change> closed = new LinkedHashMap<>();
  /** Changes of the epoch still open (no marker seen yet). */
  private Map<String, TargetWriter.Change> open = new LinkedHashMap<>();
  private Marker lastClosed;
  private long closedEpochs;
  private final Map<TopicPartition, Long> appliedOffsets = new HashMap<>();
  /** The target's generation the applied offsets belong to (trickle.stream_tables.generation). */
  private long generation;

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new TrickleSinkConfig(props);
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    try {
      seekToApplied(partitions);
    } catch (SQLException e) {
      closeQuietly();
      throw new RetriableException("cannot read the applied offset of " + config.streamTable(), e);
    }
  }

  /**
   * Continues where PostgreSQL says the target stands, not where the consumer group committed:
   * a target (re)created empty has no applied offset, and is rebuilt from the start of the
   * compacted output topic.
   */
  private void seekToApplied(Collection<TopicPartition> partitions) throws SQLException {
    StreamTableRow.Applied applied = StreamTableRow.read(connection(), config.streamTable());
    generation = applied.generation();
    for (TopicPartition tp : partitions) {
      context.offset(tp, applied.nextOffset());
      if (applied.appliedOffset() != null) {
        appliedOffsets.put(tp, applied.appliedOffset());
      } else {
        appliedOffsets.remove(tp);
      }
    }
    // Anything buffered before a rebalance is re-read from the applied offset.
    closed = new LinkedHashMap<>();
    open = new LinkedHashMap<>();
    lastClosed = null;
    closedEpochs = 0;
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    Map<String, TargetWriter.Change> closedBefore = new LinkedHashMap<>(closed);
    Map<String, TargetWriter.Change> openBefore = new LinkedHashMap<>(open);
    Marker closedMarkerBefore = lastClosed;
    long closedEpochsBefore = closedEpochs;
    String error = null;
    TopicPartition tp = null;
    for (SinkRecord r : records) {
      tp = new TopicPartition(r.topic(), r.kafkaPartition());
      if (header(r, OutputRecords.MARKER_HEADER)) {
        JsonNode m = OutputRecords.parse(r.value());
        closed.putAll(open);
        open.clear();
        lastClosed = new Marker(tp, r.kafkaOffset(), m.path("lsn").asLong(), m.path("ts_ms").asLong());
        closedEpochs++;
      } else if (header(r, OutputRecords.ERROR_HEADER)) {
        error = OutputRecords.text(r.value());
        LOG.error("stream table {} reported an error: {}", config.streamTable(), error);
      } else {
        JsonNode key = OutputRecords.parse(r.key());
        if (key == null) {
          LOG.warn("skipping a record without key at {}-{}@{}", r.topic(), r.kafkaPartition(), r.kafkaOffset());
          continue;
        }
        open.put(key.toString(), new TargetWriter.Change(key, OutputRecords.parse(r.value())));
      }
    }
    try {
      if (error != null) {
        recordError(error, TrickleSchema.ERROR_STREAM);
      }
      if (lastClosed != null && lastClosed != closedMarkerBefore) {
        applyClosed();
      }
    } catch (SQLException | RuntimeException e) {
      // Put the buffers back as they were: Connect redelivers this same batch after a pause.
      closed = closedBefore;
      open = openBefore;
      lastClosed = closedMarkerBefore;
      closedEpochs = closedEpochsBefore;
      closeQuietly();
      if (SinkFailure.permanent(e)) {
        failPermanently(e);
      }
      throw new RetriableException("applying an epoch of " + config.streamTable() + " failed: " + e.getMessage(), e);
    }
  }

  private void applyClosed() throws SQLException {
    Connection c = connection();
    boolean current;
    try {
      long n = writer(c).apply(c, closed);
      current = StreamTableRow.applied(c, config.streamTable(), generation,
          OutputRecords.pgLsn(lastClosed.lsn()), lastClosed.tsMs(), lastClosed.offset(), closedEpochs, n);
      if (current) {
        c.commit();
      } else {
        c.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw e;
    }
    if (!current) {
      // The target was recreated empty since open(): rebuild it from the output topic.
      LOG.info("target {} of stream table {} was recreated; re-reading its output topic from the applied offset",
          config.targetTable(), config.streamTable());
      seekToApplied(context.assignment());
      return;
    }
    appliedOffsets.put(lastClosed.partition(), lastClosed.offset());
    closed = new LinkedHashMap<>();
    closedEpochs = 0;
  }

  private void recordError(String message, String source) throws SQLException {
    StreamTableRow.recordError(connection(), config.streamTable(), message, source);
  }

  /**
   * Replaying the epoch would fail the same way: the stream table goes to error with PostgreSQL's
   * message, and the task stops instead of retrying forever.
   */
  private void failPermanently(Exception e) {
    String message = "the sink cannot apply an epoch to " + config.targetTable() + ": "
        + SinkFailure.message(e);
    LOG.error("stream table {}: {}", config.streamTable(), message, e);
    try {
      recordError(message, TrickleSchema.ERROR_SINK);
    } catch (SQLException recordFailed) {
      LOG.error("cannot record the error of {} in PostgreSQL: {}", config.streamTable(), recordFailed.getMessage());
    } finally {
      closeQuietly();
    }
    throw new ConnectException("stream table " + config.streamTable() + ": " + message, e);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
    // Only what PostgreSQL holds may be committed; buffered records are re-read after a crash.
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : appliedOffsets.entrySet()) {
      if (current.containsKey(e.getKey())) {
        out.put(e.getKey(), new OffsetAndMetadata(e.getValue() + 1));
      }
    }
    return out;
  }

  @Override
  public void stop() {
    closeQuietly();
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = config.connect();
      connection.setAutoCommit(false);
      writer = null;
    }
    return connection;
  }

  /** Made when first needed: a missing target must not keep the task from recording its error. */
  private TargetWriter writer(Connection c) throws SQLException {
    if (writer == null) {
      writer = new TargetWriter(c, config.targetTable());
      c.commit();
    }
    return writer;
  }

  private void rollbackQuietly() {
    try {
      if (connection != null) {
        connection.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is closed next; PostgreSQL rolls back on disconnect.
    }
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // Nothing to do: the connection is discarded.
    }
    connection = null;
  }

  private static boolean header(SinkRecord r, String name) {
    for (Header h : r.headers()) {
      if (h.key().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private record Marker(TopicPartition partition, long offset, long lsn, long tsMs) {}

  static {
    // Fail loudly at class load if the driver is missing from the worker's classpath.
    try {
      Class.forName("org.postgresql.Driver");
    } catch (ClassNotFoundException e) {
      throw new ConnectException("the PostgreSQL JDBC driver is not on the Connect classpath", e);
    }
  }
}
