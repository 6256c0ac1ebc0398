package io.trickle.connectors.debezium;

import io.trickle.compiler.sql.SqlIdentifiers;
import io.trickle.connectors.secrets.SecretReferences;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The configuration of the one Debezium PostgreSQL connector per source database, and the
 * database objects it relies on (publication, heartbeat table).
 *
 * <p>Every record the connector produces (row changes of all captured tables, transaction
 * BEGIN/END markers, heartbeats) is routed into one single-partition topic, so the order of that
 * topic is the commit order of the database. See the brief's "Debezium -> Kafka" contract.
 */
public final class DebeziumSourceConfig {
  public static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";
  public static final String HEARTBEAT_TABLE = io.trickle.connectors.ddl.TrickleSchema.HEARTBEAT;
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;

  private DebeziumSourceConfig() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the connection and naming parameters; {@link #build()} adds every fixed setting. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 5432;
    private String database;
    private String user;
    private String password = "";
    private final Set<String> tables = new TreeSet<>();
    private String changesTopic;
    private String slot;
    private String publication;
    private String topicPrefix;
    private String signalTable;
    private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder database(String database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /**
     * A config provider reference to the password ({@code ${env:PGPASSWORD}},
     * {@code ${file:/path:key}}); null or empty for trust or .pgpass authentication. The password
     * itself is refused: Connect would store and serve it in clear.
     */
    public Builder password(String passwordReference) {
      this.password = SecretReferences.requireReferenceOrEmpty("database.password", passwordReference);
      return this;
    }

    /** The captured tables as {@code schema.table}; the heartbeat table is always added. */
    public Builder tables(Set<String> tables) {
      for (String t : tables) {
        this.tables.add(qualified(t));
      }
      return this;
    }

    public Builder changesTopic(String changesTopic) {
      this.changesTopic = Objects.requireNonNull(changesTopic, "changesTopic");
      return this;
    }

    public Builder slot(String slot) {
      this.slot = Objects.requireNonNull(slot, "slot");
      return this;
    }

    public Builder publication(String publication) {
      this.publication = Objects.requireNonNull(publication, "publication");
      return this;
    }

    /**
     * Debezium's logical server name: it keys the connector's stored offsets, so it must stay the
     * same for the life of the slot. Default {@code trickle.src.<database>}.
     */
    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
      return this;
    }

    /** A captured {@code schema.table} Debezium reads signals from (e.g. incremental snapshots). */
    public Builder signalTable(String signalTable) {
      this.signalTable = qualified(signalTable);
      return this;
    }

    public Builder heartbeatIntervalMs(long heartbeatIntervalMs) {
      if (heartbeatIntervalMs <= 0) {
        throw new IllegalArgumentException("heartbeat interval must be positive: " + heartbeatIntervalMs);
      }
      this.heartbeatIntervalMs = heartbeatIntervalMs;
      return this;
    }

    /** The connector configuration for {@code PUT /connectors/{name}/config}. */
    public Map<String, String> build() {
      Objects.requireNonNull(database, "database");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(changesTopic, "changesTopic");
      Objects.requireNonNull(slot, "slot");
      Objects.requireNonNull(publication, "publication");
      Set<String> captured = new TreeSet<>(tables);
      captured.add(HEARTBEAT_TABLE);
      if (signalTable != null) {
        captured.add(signalTable);
      }
      Map<String, String> m = new LinkedHashMap<>();
      m.put("connector.class", CONNECTOR_CLASS);
      // One task: a PostgreSQL connector reads one replication slot, sequentially.
      m.put("tasks.max", "1");
      m.put("database.hostname", host);
      m.put("database.port", String.valueOf(port));
      m.put("database.dbname", database);
      m.put("database.user", user);
      // A reference, resolved by the worker's config provider when the task starts.
      m.put("database.password", password);
      // Keys the stored source offsets and names the heartbeat key's serverName; never change it.
      m.put("topic.prefix", topicPrefix != null ? topicPrefix : "trickle.src." + database);
      // Built into PostgreSQL 10+: no server-side plugin to install.
      m.put("plugin.name", "pgoutput");
      m.put("slot.name", slot);
      m.put("publication.name", publication);
      // trickle creates and alters the publication itself (ensurePublication), so that adding a
      // stream table never needs superuser rights at connector start and never drops tables.
      m.put("publication.autocreate.mode", "disabled");
      // Include lists are regular expressions matched against the whole schema.table name.
      m.put("table.include.list", captured.stream().map(DebeziumSourceConfig::regex).collect(Collectors.joining(",")));
      // Exact numerics as strings ("12.50"), never lossy doubles or opaque bytes.
      m.put("decimal.handling.mode", "string");
      // date = days, time = micros, timestamp = micros since epoch; timestamptz is an ISO string anyway.
      m.put("time.precision.mode", "adaptive_time_microseconds");
      // TRUNCATE must arrive (op "t"): a stream table has to empty its state for that source.
      m.put("skipped.operations", "none");
      // A delete is one record; a Kafka tombstone would be a second, keyless-in-meaning record.
      m.put("tombstones.on.delete", "false");
      // BEGIN/END records delimit transactions: the epochs a stream table applies atomically.
      m.put("provide.transaction.metadata", "true");
      // Heartbeats keep the slot advancing and give idle databases LSN ticks; the action query
      // writes a captured row so a tick is a real change in the changes topic.
      m.put("heartbeat.interval.ms", String.valueOf(heartbeatIntervalMs));
      m.put("heartbeat.action.query", "UPDATE " + HEARTBEAT_TABLE + " SET ts = now() WHERE id = 1");
      // Latency over throughput: hand changes to Kafka within milliseconds of the commit.
      m.put("poll.interval.ms", "10");
      m.put("producer.override.linger.ms", "5");
      // Existing rows first (op "r"), then streaming from the slot's position.
      m.put("snapshot.mode", "initial");
      if (signalTable != null) {
        m.put("signal.data.collection", signalTable);
      }
      // Plain JSON without the schema envelope, for key and value.
      m.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
      m.put("key.converter.schemas.enable", "false");
      m.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      m.put("value.converter.schemas.enable", "false");
      // Every record, whatever topic Debezium names, goes into the one changes topic.
      m.put("transforms", "route");
      m.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
      m.put("transforms.route.regex", ".*");
      m.put("transforms.route.replacement", changesTopic);
      return m;
    }
  }

  /**
   * Makes the publication publish exactly {@code tables} (schema.table): creates it, or replaces
   * its table list when it differs. A table without a primary key must already be
   * {@code REPLICA IDENTITY FULL}: PostgreSQL rejects UPDATE and DELETE on a published table
   * without a replica identity, so publishing it would break the user's writes. Trickle never
   * changes a user table's replica identity itself; it refuses, saying how to fix it.
   *
   * @return the tables that were not published before (all of them for a new publication)
   */
  public static Set<String> ensurePublication(Connection c, String publication, Set<String> tables) throws SQLException {
    Set<String> wanted = tables.stream().map(DebeziumSourceConfig::qualified).collect(Collectors.toCollection(TreeSet::new));
    checkReplicaIdentity(c, wanted);
    Set<String> current = publishedTables(c, publication);
    Set<String> added = new TreeSet<>(wanted);
    if (current != null) {
      added.removeAll(current);
    }
    String list = wanted.stream().map(DebeziumSourceConfig::quoted).collect(Collectors.joining(", "));
    try (Statement s = c.createStatement()) {
      if (current == null) {
        s.execute("CREATE PUBLICATION " + quoteIdent(publication) + " FOR TABLE " + list);
      } else if (!current.equals(wanted)) {
        s.execute("ALTER PUBLICATION " + quoteIdent(publication) + " SET TABLE " + list);
      }
    }
    commitIfNeeded(c);
    return added;
  }

  /** Refuses tables whose updates and deletes could not be captured once published. */
  static void checkReplicaIdentity(Connection c, Set<String> tables) throws SQLException {
    // relreplident 'd' (default) uses the primary key; without one, nothing identifies the old row.
    String sql = "SELECT c.relreplident, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
    for (String t : tables) {
      String[] p = t.split("\\.", 2);
      boolean needsFull = false;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, p[0]);
        ps.setString(2, p[1]);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("table " + t + " does not exist");
          }
          needsFull = "d".equals(rs.getString(1)) && !rs.getBoolean(2) || "n".equals(rs.getString(1));
        }
      }
      if (needsFull) {
        throw new SQLException("table " + t + " has no primary key and REPLICA IDENTITY is not FULL,"
            + " so its updates and deletes cannot be captured; add a primary key or run ALTER TABLE "
            + quoted(t) + " REPLICA IDENTITY FULL");
      }
    }
  }

  /** The tables the publication publishes, or null when it does not exist. */
  private static Set<String> publishedTables(Connection c, String publication) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
      }
    }
    Set<String> tables = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1) + "." + rs.getString(2));
        }
      }
    }
    return tables;
  }

  private static void commitIfNeeded(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  /** {@code schema.table} as given; a bare table name means {@code public.table}. */
  private static String qualified(String table) {
    Objects.requireNonNull(table, "table");
    return table.contains(".") ? table : "public." + table;
  }

  private static String quoted(String qualifiedTable) {
    String[] p = qualifiedTable.split("\\.", 2);
    return quoteIdent(p[0]) + "." + quoteIdent(p[1]);
  }

  private static String quoteIdent(String ident) {
    return SqlIdentifiers.quote(ident);
  }

  /** A regular expression matching exactly this name (Debezium include lists are regexes). */
  private static String regex(String qualifiedTable) {
    StringBuilder sb = new StringBuilder();
    for (char ch : qualifiedTable.toCharArray()) {
      if ("\\.[]{}()<>*+-=!?^$|,".indexOf(ch) >= 0) {
        sb.append('\\');
      }
      sb.append(ch);
    }
    return sb.toString();
  }
}
