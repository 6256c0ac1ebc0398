package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * A table the query reads. Keeps primary key → current row, and turns each change into
 * −old/+new. A keyless table (REPLICA IDENTITY FULL) has {@link RowKey#ROW_HASH}.
 *
 * <p>Usually a captured PostgreSQL table, whose changes are Debezium events. When the table is
 * another stream table's target table, {@link #upstream()} names that stream table: its changes
 * are then read from the upstream's output topic (its changelog), never captured from
 * PostgreSQL, and its epochs are the upstream's epochs.
 */
public final class SourceOp extends Op implements Stateful {
  private final String schema;
  private final String table;
  private final String upstream;

  public SourceOp(int id, SqlPos pos, String schema, String table, List<Column> columns, RowKey key) {
    this(id, pos, schema, table, columns, key, null);
  }

  /** @param upstream the stream table whose target table this is, or null for a captured table */
  public SourceOp(int id, SqlPos pos, String schema, String table, List<Column> columns, RowKey key,
      String upstream) {
    super(id, pos, columns, key, List.of());
    this.schema = Objects.requireNonNull(schema, "schema");
    this.table = Objects.requireNonNull(table, "table");
    this.upstream = upstream;
  }

  /** The stream table this source reads through its output topic, or null for a PostgreSQL table. */
  public String upstream() {
    return upstream;
  }

  public boolean readsStreamTable() {
    return upstream != null;
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  /** {@code schema.table}, as Debezium names the data collection. */
  public String qualifiedName() {
    return schema + "." + table;
  }

  @Override
  public String kind() {
    return "source";
  }

  @Override
  public String describe() {
    return upstream == null ? qualifiedName() : qualifiedName() + " (stream table " + upstream + ")";
  }

  @Override
  public List<String> storeNames() {
    return List.of(name() + "-rows");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitSource(this);
  }
}
