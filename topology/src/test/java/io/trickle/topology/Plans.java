package io.trickle.topology;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.List;

/** Hand-built plan pieces for tests. */
final class Plans {
  static final ColumnType INT = ColumnType.of(ColumnType.Kind.INTEGER);
  static final ColumnType BIGINT = ColumnType.of(ColumnType.Kind.BIGINT);
  static final ColumnType TEXT = ColumnType.of(ColumnType.Kind.TEXT);
  static final ColumnType NUMERIC = ColumnType.numeric(-1, -1);
  static final ColumnType DOUBLE = ColumnType.of(ColumnType.Kind.DOUBLE);

  private Plans() {}

  static Column col(String name, ColumnType type) {
    return new Column(name, type);
  }

  static SourceOp source(int id, String table, Column... columns) {
    return new SourceOp(id, SqlPos.UNKNOWN, "public", table, List.of(columns), RowKey.of(List.of(0)));
  }

  static List<Column> concat(List<Column> a, List<Column> b) {
    List<Column> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
