package io.trickle.topology.capture;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.topology.KafkaNames;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One PostgreSQL table the capture stage keeps and publishes: its columns and row key as the
 * compiler saw them (every supported column, in table order), whatever stream table reads it.
 * Every name derived from it (processors, store, and so changelog topic) comes from {@code
 * schema.table} through {@link KafkaNames}, never from an operator id, so adding a table or a
 * stream table never renames another table's state.
 */
public record CapturedTable(String schema, String table, List<Column> columns, RowKey key) {
  public CapturedTable {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
    Objects.requireNonNull(key, "key");
  }

  /** The captured table a source operator reads; it must not read a stream table. */
  public static CapturedTable of(SourceOp op) {
    if (op.readsStreamTable()) {
      throw new IllegalArgumentException(op.name() + " reads stream table " + op.upstream()
          + ", which is not captured");
    }
    return new CapturedTable(op.schema(), op.table(), op.columns(), op.key());
  }

  /**
   * The captured tables the plans read, each once, in first-read order. Two plans reading one
   * table must agree on its columns and key (they were compiled against the same catalog);
   * otherwise the capture could publish rows one of them cannot read.
   */
  public static List<CapturedTable> of(Collection<Plan> plans) {
    Map<String, CapturedTable> out = new LinkedHashMap<>();
    for (Plan plan : plans) {
      for (SourceOp s : plan.sources()) {
        if (s.readsStreamTable()) {
          continue;
        }
        CapturedTable t = of(s);
        CapturedTable seen = out.putIfAbsent(t.qualifiedName(), t);
        if (seen != null && !seen.equals(t)) {
          throw new IllegalArgumentException("stream table " + plan.streamTable() + " reads "
              + t.qualifiedName() + " as " + t.columns() + " key " + t.key()
              + ", another stream table as " + seen.columns() + " key " + seen.key()
              + "; redeploy them together after the table's definition changed");
        }
      }
    }
    return List.copyOf(out.values());
  }

  /** {@code schema.table}, as Debezium names the data collection. */
  public String qualifiedName() {
    return schema + "." + table;
  }

  /** {@link #qualifiedName()} made a legal part of Kafka names. */
  public String kafkaName() {
    return KafkaNames.of(qualifiedName());
  }

  /** The capture's source operator of this table: primary key (or row hash) → current row. */
  public String processorName() {
    return "capture-" + kafkaName();
  }

  /** The only store holding this table's rows. */
  public String storeName() {
    return processorName() + "-rows";
  }

  /** Keys and encodes the table's changes for its change topic. */
  public String encoderName() {
    return processorName() + "-encode";
  }

  public String sinkName() {
    return processorName() + "-sink";
  }

  /** True if rows are identified by a primary key, false for a row-hash (keyless) table. */
  public boolean keyed() {
    return key.unique();
  }

  /** A source operator standing for the table in the capture stage (no SQL position). */
  SourceOp sourceOp() {
    return new SourceOp(0, SqlPos.UNKNOWN, schema, table, columns, key);
  }
}
