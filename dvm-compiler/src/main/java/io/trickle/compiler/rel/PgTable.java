package io.trickle.compiler.rel;

import io.trickle.compiler.parse.PgColumn;
import io.trickle.compiler.parse.PgRelation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;

/** A PostgreSQL base table in the Calcite schema; a scan of it becomes a source operator. */
public final class PgTable extends AbstractTable {
  private final PgRelation relation;

  public PgTable(PgRelation relation) {
    this.relation = relation;
  }

  public PgRelation relation() {
    return relation;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (PgColumn c : relation.columns()) {
      b.add(c.name(), CalciteTypes.of(f, c));
    }
    return b.build();
  }
}
