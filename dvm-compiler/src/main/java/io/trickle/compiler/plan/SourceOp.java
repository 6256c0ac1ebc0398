package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * A captured PostgreSQL table. Keeps primary key → current row, and turns each Debezium event
 * into −old/+new. A keyless table (REPLICA IDENTITY FULL) has {@link RowKey#ROW_HASH}.
 */
public final class SourceOp extends Op implements Stateful {
  private final String schema;
  private final String table;

  public SourceOp(int id, SqlPos pos, String schema, String table, List<Column> columns, RowKey key) {
    super(id, pos, columns, key, List.of());
    this.schema = Objects.requireNonNull(schema, "schema");
    this.table = Objects.requireNonNull(table, "table");
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
    return qualifiedName();
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
