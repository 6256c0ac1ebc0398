package io.trickle.cli.oracle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.cli.oracle.DebeziumRecords.SourceRecord;
import io.trickle.cli.oracle.DebeziumRecords.TxPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium without Kafka: PostgreSQL's own logical decoding (the {@code pgoutput} plugin Debezium
 * uses, read with {@code pg_logical_slot_get_binary_changes}) turned into the records the
 * connector would write to the changes topic, in commit order and with each transaction wrapped
 * in BEGIN/END metadata, so the dispatcher closes one epoch per transaction. Deletes carry only
 * the key columns, updates no before image (REPLICA IDENTITY DEFAULT), and a primary-key update
 * becomes a delete and a create, all as Debezium does.
 *
 * <p>The database needs {@code wal_level=logical} (as {@code EmbeddedPostgresServer} sets).
 * {@link #open} creates a publication for all tables and a slot; {@link #snapshot} reads the
 * named tables as Debezium's initial snapshot would ({@code op "r"}, no transaction, the last
 * record marked {@code "last"}) and must run before further writes; {@link #poll} consumes what
 * was committed since.
 */
public final class PgChangeCapture implements AutoCloseable {
  private static final long PG_EPOCH_MILLIS = 946_684_800_000L;
  /** What Debezium puts in place of an unchanged TOASTed value, which pgoutput does not resend. */
  static final String UNAVAILABLE = "__debezium_unavailable_value";

  private final Connection c;
  private final String slot;
  private final DebeziumRecords records;
  private final Map<Integer, PgTable> relations = new HashMap<>();
  private long lastLsn;
  /** Every captured table as the emitted records describe it: key JSON → row image. */
  private final Map<String, Map<String, ObjectNode>> mirror = new HashMap<>();
  private final Map<String, PgTable> captured = new LinkedHashMap<>();

  private PgChangeCapture(Connection c, String slot, DebeziumRecords records) {
    this.c = c;
    this.slot = slot;
    this.records = records;
  }

  /** @param c a connection of its own (its session time zone is set to UTC) */
  public static PgChangeCapture open(Connection c, String slot) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute("CREATE PUBLICATION " + slot + " FOR ALL TABLES");
      try (ResultSet rs = s.executeQuery("SELECT lsn::text FROM pg_create_logical_replication_slot('" + slot
          + "', 'pgoutput')")) {
        rs.next();
        PgChangeCapture capture = new PgChangeCapture(c, slot, new DebeziumRecords("trickle", c.getCatalog()));
        capture.lastLsn = parseLsn(rs.getString(1));
        return capture;
      }
    }
  }

  public DebeziumRecords records() {
    return records;
  }

  /** The initial snapshot of {@code tables} ({@code schema.table}), each ordered by primary key. */
  public List<SourceRecord> snapshot(List<String> tables) throws SQLException {
    List<PgTable> rowTables = new ArrayList<>();
    List<ObjectNode> rows = new ArrayList<>();
    List<Integer> firstOfTable = new ArrayList<>();
    for (String qualified : tables) {
      String[] parts = qualified.split("\\.", 2);
      PgTable t = PgTable.load(c, parts[0], parts[1]);
      List<String> key = t.columns().stream().filter(PgTable.PgColumn::key).map(PgTable.PgColumn::name).toList();
      String order = key.isEmpty() ? "" : " ORDER BY " + String.join(", ", key);
      firstOfTable.add(rows.size());
      captured.put(qualified, t);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM " + qualified + order)) {
        int n = t.columns().size();
        while (rs.next()) {
          List<String> texts = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            texts.add(rs.getString(i));
          }
          rowTables.add(t);
          rows.add(DebeziumRecords.image(t, texts, false));
          mirror.computeIfAbsent(qualified, k -> new HashMap<>()).put(keyJson(t, rows.get(rows.size() - 1)),
              rows.get(rows.size() - 1));
        }
      }
    }
    firstOfTable.add(rows.size());
    String[] marks = new String[rows.size()];
    java.util.Arrays.fill(marks, "true");
    for (int i = 0; i + 1 < firstOfTable.size(); i++) {
      int from = firstOfTable.get(i);
      int to = firstOfTable.get(i + 1);
      if (to > from) {
        marks[to - 1] = "last_in_data_collection";
        marks[from] = "first_in_data_collection";
      }
    }
    if (marks.length > 0) {
      marks[0] = "first";
      marks[marks.length - 1] = "last";
    }
    long ts = System.currentTimeMillis();
    List<SourceRecord> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(records.change(rowTables.get(i), "r", null, rows.get(i), lastLsn, ts, marks[i], null));
    }
    return out;
  }

  /** Everything committed since the last call (or the slot's creation), transaction by transaction. */
  public List<SourceRecord> poll() throws SQLException {
    awaitWalFlush();
    List<SourceRecord> out = new ArrayList<>();
    Tx tx = null;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT lsn::text, data FROM pg_logical_slot_get_binary_changes('" + slot + "', NULL, NULL,"
            + " 'proto_version', '1', 'publication_names', '" + slot + "')")) {
      while (rs.next()) {
        long lsn = parseLsn(rs.getString(1));
        ByteBuffer m = ByteBuffer.wrap(rs.getBytes(2));
        char kind = (char) m.get();
        switch (kind) {
          case 'B' -> {
            long finalLsn = m.getLong();
            long commitTs = m.getLong() / 1000 + PG_EPOCH_MILLIS;
            long xid = Integer.toUnsignedLong(m.getInt());
            tx = new Tx(xid, xid + ":" + finalLsn, commitTs);
            out.add(records.begin(tx.id, commitTs));
          }
          case 'C' -> {
            out.add(records.end(tx.id, tx.tsMs, tx.perTable));
            tx = null;
          }
          case 'R' -> relation(m);
          case 'I' -> {
            PgTable t = relations.get(m.getInt());
            expect(m, 'N');
            out.add(data(tx, t, "c", null, DebeziumRecords.image(t, tuple(m), false), lsn));
          }
          case 'U' -> {
            PgTable t = relations.get(m.getInt());
            char next = (char) m.get();
            List<String> old = null;
            if (next == 'K' || next == 'O') {
              old = tuple(m);
              next = (char) m.get();
            }
            if (next != 'N') {
              throw new IllegalStateException("pgoutput update without a new tuple");
            }
            List<String> now = tuple(m);
            if (old != null && keyChanged(t, old, now)) {
              out.add(data(tx, t, "d", DebeziumRecords.image(t, old, true), null, lsn));
              out.add(data(tx, t, "c", null, DebeziumRecords.image(t, now, false), lsn));
            } else {
              out.add(data(tx, t, "u", null, DebeziumRecords.image(t, now, false), lsn));
            }
          }
          case 'D' -> {
            PgTable t = relations.get(m.getInt());
            m.get(); // 'K' (key) or 'O' (full old row)
            out.add(data(tx, t, "d", DebeziumRecords.image(t, tuple(m), true), null, lsn));
          }
          case 'T' -> {
            int n = m.getInt();
            m.get(); // options: CASCADE, RESTART IDENTITY
            for (int i = 0; i < n; i++) {
              out.add(data(tx, relations.get(m.getInt()), "t", null, null, lsn));
            }
          }
          default -> { } // 'Y' type, 'O' origin, 'M' message: nothing Debezium forwards as data
        }
        lastLsn = lsn;
      }
    }
    return out;
  }

  /**
   * Logical decoding stops at the flushed end of WAL: with synchronous_commit off the last
   * commits may not be there yet, and would silently slip into the next poll.
   */
  private void awaitWalFlush() throws SQLException {
    try (Statement s = c.createStatement()) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (true) {
        try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn()")) {
          rs.next();
          if (rs.getBoolean(1)) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new SQLException("WAL not flushed within 30 s");
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted waiting for the WAL flush", e);
        }
      }
    }
  }

  public long lastLsn() {
    return lastLsn;
  }

  private SourceRecord data(Tx tx, PgTable t, String op, ObjectNode before,
      ObjectNode after, long lsn) {
    Map<String, ObjectNode> rows = mirror.computeIfAbsent(t.qualifiedName(), k -> new HashMap<>());
    switch (op) {
      case "c" -> rows.put(keyJson(t, after), after);
      case "u" -> {
        ObjectNode full = after.deepCopy();
        ObjectNode previous = rows.get(keyJson(t, after));
        full.fields().forEachRemaining(e -> {
          if (previous != null && e.getValue().isTextual() && e.getValue().asText().equals(UNAVAILABLE)) {
            e.setValue(previous.get(e.getKey()));
          }
        });
        rows.put(keyJson(t, after), full);
      }
      case "d" -> rows.remove(keyJson(t, before));
      default -> rows.clear();
    }
    long collection = tx.perTable.merge(t.qualifiedName(), 1L, Long::sum);
    tx.total++;
    return records.change(t, op, before, after, lsn, tx.tsMs, "false",
        new TxPosition(tx.xid, tx.id, tx.total, collection));
  }

  private static final class Tx {
    final long xid;
    final String id;
    final long tsMs;
    final Map<String, Long> perTable = new LinkedHashMap<>();
    long total;

    Tx(long xid, String id, long tsMs) {
      this.xid = xid;
      this.id = id;
      this.tsMs = tsMs;
    }
  }

  private void relation(ByteBuffer m) {
    int oid = m.getInt();
    String schema = cstring(m);
    String name = cstring(m);
    m.get(); // replica identity setting
    int n = m.getShort();
    List<PgTable.PgColumn> cols = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean key = (m.get() & 1) != 0;
      String col = cstring(m);
      int type = m.getInt();
      int typmod = m.getInt();
      cols.add(new PgTable.PgColumn(col, type, typmod, key));
    }
    relations.put(oid, new PgTable(schema, name, cols));
  }

  /** A TupleData: one text per column, null for NULL; unchanged TOAST as Debezium's placeholder. */
  private static List<String> tuple(ByteBuffer m) {
    int n = m.getShort();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      char kind = (char) m.get();
      switch (kind) {
        case 'n' -> out.add(null);
        case 'u' -> out.add(UNAVAILABLE);
        case 't' -> {
          byte[] b = new byte[m.getInt()];
          m.get(b);
          out.add(new String(b, StandardCharsets.UTF_8));
        }
        default -> throw new IllegalStateException("pgoutput tuple column kind " + kind);
      }
    }
    return out;
  }

  private static String keyJson(PgTable t, ObjectNode image) {
    StringBuilder sb = new StringBuilder();
    for (PgTable.PgColumn c : t.columns()) {
      if (c.key()) {
        sb.append(image.get(c.name())).append('|');
      }
    }
    return sb.toString();
  }

  /**
   * A self-check of the capture: the snapshot plus every change emitted so far must rebuild the
   * captured tables exactly as they are now. Returns the differences (at most a few), empty if none.
   */
  public List<String> verifyMirror() throws SQLException {
    List<String> out = new ArrayList<>();
    for (PgTable t : captured.values()) {
      Map<String, ObjectNode> now = new HashMap<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + t.qualifiedName())) {
        int n = t.columns().size();
        while (rs.next()) {
          List<String> texts = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            texts.add(rs.getString(i));
          }
          ObjectNode row = DebeziumRecords.image(t, texts, false);
          now.put(keyJson(t, row), row);
        }
      }
      Map<String, ObjectNode> replayed = mirror.getOrDefault(t.qualifiedName(), Map.of());
      for (Map.Entry<String, ObjectNode> e : now.entrySet()) {
        if (!e.getValue().equals(replayed.get(e.getKey())) && out.size() < 5) {
          out.add(t.qualifiedName() + " " + e.getKey() + ": table " + e.getValue() + ", replayed " + replayed.get(e.getKey()));
        }
      }
      for (String k : replayed.keySet()) {
        if (!now.containsKey(k) && out.size() < 5) {
          out.add(t.qualifiedName() + " " + k + ": deleted, replayed " + replayed.get(k));
        }
      }
    }
    return out;
  }

  private static boolean keyChanged(PgTable t, List<String> old, List<String> now) {
    for (int i = 0; i < t.columns().size(); i++) {
      if (t.columns().get(i).key() && !java.util.Objects.equals(old.get(i), now.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static void expect(ByteBuffer m, char c) {
    char got = (char) m.get();
    if (got != c) {
      throw new IllegalStateException("pgoutput: expected '" + c + "', got '" + got + "'");
    }
  }

  private static String cstring(ByteBuffer m) {
    int start = m.position();
    while (m.get() != 0) {
      // scan to the terminating zero byte
    }
    return new String(m.array(), start, m.position() - start - 1, StandardCharsets.UTF_8);
  }

  static long parseLsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }

  /** Drops the slot (so WAL is not retained) and closes the connection. */
  @Override
  public void close() throws SQLException {
    try (c; Statement s = c.createStatement()) {
      s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
      s.execute("DROP PUBLICATION IF EXISTS " + slot);
    }
  }
}
