package io.trickle.cli.runtime;

/**
 * Every name derived from a stream table, in one place, so they stay deterministic. The plan hash
 * is part of the application id and output topic: redefining a stream table starts a fresh
 * application and changelog instead of mixing rows of two different queries.
 */
public record StreamTableNames(String streamTable, String planHash, String changesTopic) {

  public String applicationId() {
    return "trickle-" + streamTable + "-" + planHash;
  }

  public String outputTopic() {
    return "trickle.st." + streamTable + "." + planHash;
  }

  public String sinkConnector() {
    return "trickle-sink-" + streamTable;
  }

  /** The target table: the stream table's name, in {@code public} unless qualified. */
  public String targetTable() {
    return streamTable.contains(".") ? streamTable : "public." + streamTable;
  }

  /** The sink of a consistency group; group names are scoped to the source database. */
  public static String groupSinkConnector(PgUrl pg, String group) {
    return "trickle-group-sink-" + pg.safeDatabaseName() + "-" + group;
  }

  public static String changesTopic(PgUrl pg) {
    return "trickle.src." + pg.safeDatabaseName() + ".changes";
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
}
