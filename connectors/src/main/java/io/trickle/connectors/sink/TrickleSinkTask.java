package io.trickle.connectors.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.connectors.ddl.TrickleSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * Applies a consistency group (one stream table is a group of one) in common steps.
 *
 * <p>Each partition of a member's output topic is read on its own: its records up to a marker
 * form that partition's epoch, closed by the marker; the partition's watermark is the seq of its
 * last marker. A marker's seq is the offset of a source transaction's END in the database's
 * changes topic, so it names the same source commit in every partition and every member. A
 * member's watermark is the lowest watermark of its topic's partitions (each must have been
 * assigned and have read a marker since the task (re)started): its epoch at a seq is closed only
 * once every partition has closed it. The group's frontier {@code S} is the lowest member
 * watermark. Every member's epochs with seq ≤ S, of every partition, are applied in seq order, and
 * every member's {@code reflected_lsn} set to the LSN of the commit at S, in one PostgreSQL
 * transaction: a partition without an epoch between its last applied one and S did not change
 * there (a partition's marker is forwarded with every epoch that emitted changes into it, and
 * the latest other one soon after), so all members then show the state of the same source commit.
 *
 * <p>The offset of the last applied marker of each partition is stored in the member's {@code
 * trickle.stream_tables} row in that transaction; after a restart every partition is re-read from
 * there, so nothing is applied twice and nothing is lost. A row key's records stay in one
 * partition (the output is partitioned by key); merging in seq order keeps the latest change of a
 * key even if it did not.
 */
public final class TrickleSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(TrickleSinkTask.class);

  private TrickleSinkConfig config;
  private final Map<String, MemberState> byTopic = new LinkedHashMap<>();
  /**
   * Every partition of each member's topic ever assigned to this task. A member waits for all of
   * them: a partition revoked and not (yet) assigned again must not be skipped by the frontier.
   */
  private final Map<String, Set<Integer>> knownPartitions = new HashMap<>();
  private final Map<TopicPartition, Long> appliedOffsets = new HashMap<>();
  private Connection connection;
  private long appliedSeq = Long.MIN_VALUE;
  /** The member whose changes are being written, to name it when that fails. */
  private MemberState applying;

  /** A marker as read from a partition, with the offset it sits at. */
  private record MarkerAt(long seq, long lsn, long tsMs, long offset) {}

  /** A closed epoch of one partition: its consolidated changes and the marker that closed it. */
  private record Epoch(MarkerAt marker, Map<String, TargetWriter.Change> changes) {}

  /** One assigned partition of a member's output topic. */
  private static final class PartitionState {
    final Deque<Epoch> closed = new ArrayDeque<>();
    Map<String, TargetWriter.Change> open = new LinkedHashMap<>();
    MarkerAt last;
    long lastSeenOffset = -1;
  }

  private final class MemberState {
    final TrickleSinkConfig.Member member;
    final Map<Integer, PartitionState> partitions = new TreeMap<>();
    /** The target's generation the applied offsets belong to (trickle.stream_tables.generation). */
    long generation;
    TargetWriter writer;

    MemberState(TrickleSinkConfig.Member member) {
      this.member = member;
    }

    /** The lowest last marker of the partitions; null while a partition has none or is not assigned. */
    MarkerAt watermark() {
      Set<Integer> known = knownPartitions.getOrDefault(member.topic(), Set.of());
      if (known.isEmpty() || !partitions.keySet().containsAll(known)) {
        return null;
      }
      MarkerAt low = null;
      for (PartitionState p : partitions.values()) {
        if (p.last == null) {
          return null;
        }
        if (low == null || p.last.seq() < low.seq()) {
          low = p.last;
        }
      }
      return low;
    }

    PartitionState partition(int partition) {
      knownPartitions.computeIfAbsent(member.topic(), t -> new HashSet<>()).add(partition);
      return partitions.computeIfAbsent(partition, p -> new PartitionState());
    }
  }

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new TrickleSinkConfig(props);
    reset();
  }

  private void reset() {
    byTopic.clear();
    for (TrickleSinkConfig.Member m : config.members()) {
      byTopic.put(m.topic(), new MemberState(m));
    }
    appliedOffsets.clear();
    appliedSeq = Long.MIN_VALUE;
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    Set<TopicPartition> assigned = new LinkedHashSet<>(context.assignment());
    assigned.addAll(partitions);
    try {
      seekToApplied(assigned);
    } catch (SQLException e) {
      closeQuietly();
      throw new RetriableException("cannot read the applied offsets of " + what(), e);
    }
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      MemberState m = byTopic.get(tp.topic());
      if (m != null) {
        m.partitions.remove(tp.partition()); // its member waits until it is assigned again
      }
      appliedOffsets.remove(tp);
    }
  }

  /**
   * Continues where PostgreSQL says each member's target stands, not where the consumer group
   * committed: each partition from its applied offset, and a target (re)created empty, which has
   * none, from the start of its compacted output topic. Anything buffered before is re-read.
   */
  private void seekToApplied(Collection<TopicPartition> partitions) throws SQLException {
    reset();
    Map<String, StreamTableRow.Applied> rows = new HashMap<>();
    for (TopicPartition tp : partitions) {
      MemberState m = byTopic.get(tp.topic());
      if (m == null) {
        continue;
      }
      StreamTableRow.Applied applied = rows.get(tp.topic());
      if (applied == null) {
        applied = StreamTableRow.read(connection(), m.member.streamTable(), m.member.topic());
        rows.put(tp.topic(), applied);
      }
      m.generation = applied.generation();
      PartitionState p = m.partition(tp.partition());
      context.offset(tp, applied.nextOffset(tp.partition()));
      Long offset = applied.offsets().get(tp.partition());
      if (offset != null) {
        appliedOffsets.put(tp, offset);
        p.lastSeenOffset = offset;
      }
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (SinkRecord r : records) {
      MemberState m = byTopic.get(r.topic());
      if (m == null) {
        LOG.warn("{}: skipping a record of unexpected topic {}", what(), r.topic());
        continue;
      }
      PartitionState p = m.partition(r.kafkaPartition());
      if (r.kafkaOffset() <= p.lastSeenOffset) {
        continue; // redelivered after a failed put: already buffered
      }
      p.lastSeenOffset = r.kafkaOffset();
      if (header(r, OutputRecords.MARKER_HEADER)) {
        JsonNode v = OutputRecords.parse(r.value());
        MarkerAt marker = new MarkerAt(v.path("seq").asLong(), v.path("lsn").asLong(),
            v.path("ts_ms").asLong(), r.kafkaOffset());
        p.closed.add(new Epoch(marker, p.open));
        p.open = new LinkedHashMap<>();
        p.last = marker;
      } else if (header(r, OutputRecords.ERROR_HEADER)) {
        errors.put(m.member.streamTable(), OutputRecords.text(r.value()));
      } else {
        JsonNode key = OutputRecords.parse(r.key());
        if (key == null) {
          LOG.warn("skipping a record without key at {}-{}@{}", r.topic(), r.kafkaPartition(), r.kafkaOffset());
          continue;
        }
        p.open.put(key.toString(), new TargetWriter.Change(key, OutputRecords.parse(r.value())));
      }
    }
    applying = null;
    try {
      for (Map.Entry<String, String> e : errors.entrySet()) {
        LOG.error("stream table {} reported an error: {}", e.getKey(), e.getValue());
        StreamTableRow.recordError(connection(), e.getKey(), e.getValue(), TrickleSchema.ERROR_STREAM);
      }
      applyCommon();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      closeQuietly();
      if (SinkFailure.permanent(e)) {
        failPermanently(e);
      }
      // The buffers are intact; the redelivered batch is skipped by offset, and the apply retried.
      throw new RetriableException("applying an epoch of " + what() + " failed: " + e.getMessage(), e);
    }
  }

  /** Applies every member up to the group's frontier, if it moved. */
  private void applyCommon() throws SQLException {
    MarkerAt frontier = null;
    for (MemberState m : byTopic.values()) {
      MarkerAt w = m.watermark();
      if (w == null) {
        return; // a partition that has not closed an epoch since (re)start holds the group back
      }
      if (frontier == null || w.seq() < frontier.seq()) {
        frontier = w;
      }
    }
    if (frontier == null || frontier.seq() <= appliedSeq) {
      return;
    }
    Connection c = connection();
    Map<PartitionState, Integer> taken = new HashMap<>();
    Map<TopicPartition, Long> moved = new HashMap<>();
    for (MemberState m : byTopic.values()) {
      List<Epoch> due = new ArrayList<>();
      Map<Integer, Long> offsets = new HashMap<>();
      for (Map.Entry<Integer, PartitionState> e : m.partitions.entrySet()) {
        int n = 0;
        for (Epoch epoch : e.getValue().closed) {
          if (epoch.marker().seq() > frontier.seq()) {
            break;
          }
          due.add(epoch);
          offsets.put(e.getKey(), epoch.marker().offset());
          n++;
        }
        taken.put(e.getValue(), n);
      }
      due.sort(Comparator.comparingLong(epoch -> epoch.marker().seq())); // stable: partition order within a seq
      Map<String, TargetWriter.Change> merged = new LinkedHashMap<>();
      Set<Long> seqs = new HashSet<>();
      for (Epoch epoch : due) {
        merged.putAll(epoch.changes());
        seqs.add(epoch.marker().seq());
      }
      applying = m;
      if (m.writer == null) {
        // Made at the first step of each connection, even one without changes, so that a missing
        // target fails it (and is recorded as the member's error) rather than be reported fresh.
        m.writer = new TargetWriter(c, m.member.targetTable());
      }
      long n = merged.isEmpty() ? 0 : m.writer.apply(c, merged);
      applying = null;
      if (!StreamTableRow.applied(c, m.member.streamTable(), m.generation, OutputRecords.pgLsn(frontier.lsn()),
          frontier.tsMs(), m.member.topic(), offsets, seqs.size(), n)) {
        // A member's target was recreated empty since open(): rebuild the group from there.
        c.rollback();
        LOG.info("{}: target {} of stream table {} was recreated; re-reading from the applied offsets", what(),
            m.member.targetTable(), m.member.streamTable());
        seekToApplied(context.assignment());
        return;
      }
      offsets.forEach((p, o) -> moved.put(new TopicPartition(m.member.topic(), p), o));
    }
    c.commit();
    taken.forEach((p, n) -> {
      for (int i = 0; i < n; i++) {
        p.closed.removeFirst();
      }
    });
    appliedOffsets.putAll(moved);
    appliedSeq = frontier.seq();
  }

  /**
   * Replaying the epochs would fail the same way: the member being written (else every member)
   * goes to error with PostgreSQL's message, and the task stops instead of retrying forever.
   */
  private void failPermanently(Exception e) {
    MemberState failed = applying;
    applying = null;
    String message = (config.isGroup()
        ? "the sink of consistency group " + config.group() + " cannot apply an epoch"
            + (failed == null ? "" : " to " + failed.member.targetTable())
        : "the sink cannot apply an epoch to " + config.members().get(0).targetTable())
        + ": " + SinkFailure.message(e);
    String who = failed == null ? what() : "stream table " + failed.member.streamTable();
    LOG.error("{}: {}", who, message, e);
    try {
      for (MemberState m : byTopic.values()) {
        if (failed == null || failed == m) {
          StreamTableRow.recordError(connection(), m.member.streamTable(), message, TrickleSchema.ERROR_SINK);
        }
      }
    } catch (SQLException recordFailed) {
      LOG.error("cannot record the error of {} in PostgreSQL: {}", what(), recordFailed.getMessage());
    } finally {
      closeQuietly();
    }
    throw new ConnectException(who + ": " + message, e);
  }

  /** "stream table x" or "consistency group g", for messages. */
  private String what() {
    return (config.isGroup() ? "consistency group " : "stream table ") + config.group();
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
      TrickleSchema.ensureSinkColumns(connection);
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

  static {
    // Fail loudly at class load if the driver is missing from the worker's classpath.
    try {
      Class.forName("org.postgresql.Driver");
    } catch (ClassNotFoundException e) {
      throw new ConnectException("the PostgreSQL JDBC driver is not on the Connect classpath", e);
    }
  }
}
