package io.trickle.cli.runtime;

import io.trickle.compiler.sql.SqlIdentifiers;
import io.trickle.topology.KafkaNames;

/**
 * Every name derived from a stream table, in one place, so they stay deterministic. The plan hash
 * is part of the application id and output topic: redefining a stream table starts a fresh
 * application and changelog instead of mixing rows of two different queries.
 *
 * <p>A stream table's name is any name PostgreSQL can hold (a quoted name keeps its case and may
 * hold any printable character). In SQL it is always quoted ({@link #targetTable()}). In Kafka
 * topic, connector and application names, and so in state directories, it goes through
 * {@link #kafkaName}: a plain lower-case name stays as it is, any other is cut down to Kafka's
 * legal characters and tagged with a hash of the whole name, so distinct names stay distinct.
 */
public record StreamTableNames(String streamTable, String planHash, String changesTopic) {
  public String applicationId() {
    return "trickle-" + kafkaName(streamTable) + "-" + planHash;
  }

  public String outputTopic() {
    return "trickle.st." + kafkaName(streamTable) + "." + planHash;
  }

  /** Exchange topics between the stages of this stream table: this prefix + the edge name. */
  public String exchangeTopicPrefix() {
    return outputTopic() + ".x.";
  }

  public String sinkConnector() {
    return "trickle-sink-" + kafkaName(streamTable);
  }

  /** The target table's schema: the part before the first '.', else {@code public}. */
  public String schema() {
    int dot = qualifierDot(streamTable);
    return dot < 0 ? "public" : streamTable.substring(0, dot);
  }

  /** The target table's name without its schema. */
  public String table() {
    int dot = qualifierDot(streamTable);
    return dot < 0 ? streamTable : streamTable.substring(dot + 1);
  }

  /**
   * {@code schema.table}, unquoted: how the compiler's catalog names a table (the key of the
   * maps that find stream tables read by other stream tables), and how the catalog shows it.
   * Never SQL: use {@link #targetTable()} there.
   */
  public String qualifiedName() {
    return schema() + "." + table();
  }

  /** The target table as SQL text, each part quoted: {@code "public"."MixedCase"}. */
  public String targetTable() {
    return SqlIdentifiers.qualified(schema(), table());
  }

  /** The sink of a consistency group; group names are scoped to the source database. */
  public static String groupSinkConnector(PgUrl pg, String group) {
    return "trickle-group-sink-" + pg.safeDatabaseName() + "-" + kafkaName(group);
  }

  public static String changesTopic(PgUrl pg) {
    return "trickle.src." + pg.safeDatabaseName() + ".changes";
  }

  /** The Kafka Streams application of the database's capture stage ({@link CaptureApp}). */
  public static String captureApplicationId(PgUrl pg) {
    return "trickle-capture-" + pg.safeDatabaseName();
  }

  /**
   * The change topic of a captured table ({@code schema.table}): its Z-set changes and every
   * epoch marker, written by the capture stage, read by the stream tables that read the table.
   */
  public static String changeTopic(PgUrl pg, String table) {
    return changeTopic(changesTopic(pg), table);
  }

  /** The change topic of {@code table} in this stream table's database. */
  public String changeTopic(String table) {
    return changeTopic(changesTopic, table);
  }

  /**
   * {@code trickle.chg.<db>.<schema>.<table>} for the changes topic {@code
   * trickle.src.<db>.changes}; the table part through {@link #kafkaName}.
   */
  static String changeTopic(String changesTopic, String table) {
    String db = changesTopic;
    if (db.startsWith("trickle.src.") && db.endsWith(".changes")) {
      db = db.substring("trickle.src.".length(), db.length() - ".changes".length());
    }
    return "trickle.chg." + db + "." + kafkaName(table);
  }

  public static String sourceConnector(PgUrl pg) {
    return "trickle-source-" + pg.safeDatabaseName();
  }

  public static String slot(PgUrl pg) {
    return "trickle_" + pg.safeDatabaseName();
  }

  public static String publication(PgUrl pg) {
    return "trickle_" + pg.safeDatabaseName();
  }

  /**
   * A name as part of a Kafka topic, connector or application id (and so of a state directory):
   * only {@code [A-Za-z0-9._-]}, never a path step, deterministic, and distinct for distinct
   * names. A plain lower-case name (what unquoted SQL names fold to) is kept, so existing
   * deployments keep their topics; any other gets its illegal characters replaced by {@code _},
   * is cut to 40 characters, and is tagged with {@code -} and a hash of the whole name (a plain
   * name never holds {@code -}, so the two kinds never meet).
   */
  public static String kafkaName(String name) {
    return KafkaNames.of(name);
  }

  /** The '.' between schema and table, or -1: a name whose first '.' leaves no schema or no table is unqualified. */
  private static int qualifierDot(String name) {
    int dot = name.indexOf('.');
    return dot > 0 && dot < name.length() - 1 ? dot : -1;
  }
}
