package io.trickle.connectors.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.connectors.ddl.TrickleSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
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
 * Buffers each member's closed epochs and applies them in common steps. A member's watermark is
 * the seq of its last marker: the offset of a source transaction's END in the database's changes
 * topic, which identifies the same source commit in every member. The group's frontier {@code S}
 * is the lowest watermark. Every member's epochs with seq ≤ S are applied, and every member's
 * {@code reflected_lsn} set to the LSN of the commit at S, in one PostgreSQL transaction: a member
 * without an epoch between its last applied one and S did not change there (stream tables
 * forward a marker for every epoch that emitted changes), so all members then show the state of
 * the same source commit.
 *
 * <p>Each member's applied offset is stored in its {@code trickle.stream_tables} row in that
 * transaction; after a restart every topic is re-read from there, so nothing is applied twice.
 */
public final class TrickleGroupSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(TrickleGroupSinkTask.class);

  private TrickleGroupSinkConfig config;
  private final Map<String, MemberState> byTopic = new LinkedHashMap<>();
  private final Map<TopicPartition, Long> appliedOffsets = new HashMap<>();
  private Connection connection;
  private long appliedSeq = Long.MIN_VALUE;
  /** The member whose changes are being written, to name it when that fails. */
  private String applying;

  /** A marker as read from a member's topic, with the offset it sits at. */
  private record MarkerAt(long seq, long lsn, long tsMs, long offset) {}

  /** A closed epoch of one member: its consolidated changes and the marker that closed it. */
  private record Epoch(MarkerAt marker, Map<String, TargetWriter.Change> changes) {}

  private static final class MemberState {
    final TrickleGroupSinkConfig.Member member;
    final Deque<Epoch> closed = new ArrayDeque<>();
    Map<String, TargetWriter.Change> open = new LinkedHashMap<>();
    MarkerAt last;
    long lastSeenOffset = -1;
    /** The target's generation the applied offset belongs to (trickle.stream_tables.generation). */
    long generation;
    TopicPartition partition;
    TargetWriter writer;

    MemberState(TrickleGroupSinkConfig.Member member) {
      this.member = member;
    }
  }

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new TrickleGroupSinkConfig(props);
    reset();
  }

  private void reset() {
    byTopic.clear();
    for (TrickleGroupSinkConfig.Member m : config.members()) {
      byTopic.put(m.topic(), new MemberState(m));
    }
    appliedSeq = Long.MIN_VALUE;
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    try {
      seekToApplied(partitions);
    } catch (SQLException e) {
      closeQuietly();
      throw new RetriableException("cannot read the applied offsets of group " + config.group(), e);
    }
  }

  /**
   * Continues where PostgreSQL says each member's target stands, not where the consumer group
   * committed: a target (re)created empty has no applied offset and is rebuilt from the start of
   * its compacted output topic. Anything buffered before is re-read.
   */
  private void seekToApplied(Collection<TopicPartition> partitions) throws SQLException {
    reset();
    for (TopicPartition tp : partitions) {
      MemberState m = byTopic.get(tp.topic());
      if (m == null) {
        continue;
      }
      m.partition = tp;
      StreamTableRow.Applied applied = StreamTableRow.read(connection(), m.member.streamTable());
      m.generation = applied.generation();
      context.offset(tp, applied.nextOffset());
      if (applied.appliedOffset() != null) {
        appliedOffsets.put(tp, applied.appliedOffset());
        m.lastSeenOffset = applied.appliedOffset();
      } else {
        appliedOffsets.remove(tp);
      }
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (SinkRecord r : records) {
      MemberState m = byTopic.get(r.topic());
      if (m == null) {
        LOG.warn("group {}: skipping a record of unexpected topic {}", config.group(), r.topic());
        continue;
      }
      if (r.kafkaOffset() <= m.lastSeenOffset) {
        continue; // redelivered after a failed put: already buffered
      }
      m.lastSeenOffset = r.kafkaOffset();
      m.partition = new TopicPartition(r.topic(), r.kafkaPartition());
      if (header(r, OutputRecords.MARKER_HEADER)) {
        JsonNode v = OutputRecords.parse(r.value());
        MarkerAt marker = new MarkerAt(v.path("seq").asLong(), v.path("lsn").asLong(),
            v.path("ts_ms").asLong(), r.kafkaOffset());
        m.closed.add(new Epoch(marker, m.open));
        m.open = new LinkedHashMap<>();
        m.last = marker;
      } else if (header(r, OutputRecords.ERROR_HEADER)) {
        errors.put(m.member.streamTable(), OutputRecords.text(r.value()));
      } else {
        JsonNode key = OutputRecords.parse(r.key());
        if (key == null) {
          LOG.warn("skipping a record without key at {}-{}@{}", r.topic(), r.kafkaPartition(), r.kafkaOffset());
          continue;
        }
        m.open.put(key.toString(), new TargetWriter.Change(key, OutputRecords.parse(r.value())));
      }
    }
    try {
      for (Map.Entry<String, String> e : errors.entrySet()) {
        LOG.error("stream table {} of group {} reported an error: {}", e.getKey(), config.group(), e.getValue());
        recordError(e.getKey(), e.getValue(), TrickleSchema.ERROR_STREAM);
      }
      applyCommon();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      closeQuietly();
      if (SinkFailure.permanent(e)) {
        failPermanently(e);
      }
      // The buffers are intact; the redelivered batch is skipped by offset, and the apply retried.
      throw new RetriableException("applying an epoch of consistency group " + config.group()
          + " failed: " + e.getMessage(), e);
    }
  }

  /** Applies every member up to the lowest watermark, if it moved. */
  private void applyCommon() throws SQLException {
    MarkerAt frontier = null;
    for (MemberState m : byTopic.values()) {
      if (m.last == null) {
        return; // a member that has not closed an epoch since (re)start holds the group back
      }
      if (frontier == null || m.last.seq() < frontier.seq()) {
        frontier = m.last;
      }
    }
    if (frontier == null || frontier.seq() <= appliedSeq) {
      return;
    }
    Connection c = connection();
    Map<MemberState, Integer> applied = new LinkedHashMap<>();
    for (MemberState m : byTopic.values()) {
      Map<String, TargetWriter.Change> merged = new LinkedHashMap<>();
      MarkerAt lastApplied = null;
      int epochs = 0;
      for (Epoch e : m.closed) {
        if (e.marker().seq() > frontier.seq()) {
          break;
        }
        merged.putAll(e.changes());
        lastApplied = e.marker();
        epochs++;
      }
      applying = m.member.streamTable();
      if (!merged.isEmpty() && m.writer == null) {
        // Made when first needed: a missing target must not keep the task from recording its error.
        m.writer = new TargetWriter(c, m.member.targetTable());
      }
      long n = merged.isEmpty() ? 0 : m.writer.apply(c, merged);
      applying = null;
      if (!StreamTableRow.applied(c, m.member.streamTable(), m.generation, OutputRecords.pgLsn(frontier.lsn()),
          frontier.tsMs(), lastApplied == null ? null : lastApplied.offset(), epochs, n)) {
        // A member's target was recreated empty since open(): rebuild the group from there.
        c.rollback();
        LOG.info("group {}: target of {} was recreated; re-reading from the applied offsets", config.group(),
            m.member.streamTable());
        seekToApplied(context.assignment());
        return;
      }
      applied.put(m, epochs);
    }
    c.commit();
    for (Map.Entry<MemberState, Integer> e : applied.entrySet()) {
      MemberState m = e.getKey();
      MarkerAt last = null;
      for (int i = 0; i < e.getValue(); i++) {
        last = m.closed.removeFirst().marker();
      }
      if (last != null && m.partition != null) {
        appliedOffsets.put(m.partition, last.offset());
      }
    }
    appliedSeq = frontier.seq();
  }

  /**
   * Replaying the epochs would fail the same way: the member being written (else every member)
   * goes to error with PostgreSQL's message, and the task stops instead of retrying forever.
   */
  private void failPermanently(Exception e) {
    String failed = applying;
    applying = null;
    String message = "the sink of consistency group " + config.group() + " cannot apply an epoch: "
        + SinkFailure.message(e);
    LOG.error("{}: {}", failed == null ? "group " + config.group() : "stream table " + failed, message, e);
    try {
      for (MemberState m : byTopic.values()) {
        if (failed == null || failed.equals(m.member.streamTable())) {
          recordError(m.member.streamTable(), message, TrickleSchema.ERROR_SINK);
        }
      }
    } catch (SQLException recordFailed) {
      LOG.error("cannot record the error of group {} in PostgreSQL: {}", config.group(), recordFailed.getMessage());
    } finally {
      closeQuietly();
    }
    throw new ConnectException((failed == null ? "group " + config.group() : "stream table " + failed)
        + ": " + message, e);
  }

  private void recordError(String streamTable, String message, String source) throws SQLException {
    StreamTableRow.recordError(connection(), streamTable, message, source);
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
      for (MemberState m : byTopic.values()) {
        m.writer = null;
      }
    }
    return connection;
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
}
