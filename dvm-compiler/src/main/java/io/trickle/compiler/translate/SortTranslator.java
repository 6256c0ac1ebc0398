package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.plan.TopKOp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * ORDER BY / LIMIT / OFFSET. A stream table is an unordered set of rows, so an ORDER BY without
 * LIMIT or OFFSET changes nothing and is dropped; with a LIMIT or OFFSET it becomes a {@link
 * TopKOp}.
 */
final class SortTranslator {
  private SortTranslator() {}

  /** @return {@code in} itself when the sort only orders */
  static Bound translate(Sort sort, Bound in, int id, SqlPos pos) {
    if (sort.fetch == null && sort.offset == null) {
      return in;
    }
    long offset = sort.offset == null ? 0 : count(sort.offset, "OFFSET", pos);
    if (sort.fetch == null && offset == 0) {
      return in;
    }
    long limit = sort.fetch == null ? TopKOp.NO_LIMIT : count(sort.fetch, "LIMIT", pos);
    List<TopKOp.SortKey> keys = new ArrayList<>();
    for (RelFieldCollation fc : sort.getCollation().getFieldCollations()) {
      keys.add(sortKey(fc, in, pos));
    }
    return new Bound(new TopKOp(id, pos, in.op(), List.of(), keys, offset, limit), in.fields(),
        in.unavailable());
  }

  static TopKOp.SortKey sortKey(RelFieldCollation fc, Bound in, SqlPos pos) {
    int column = in.column(fc.getFieldIndex(), pos);
    rejectJsonbOrder(in.op().columns().get(column).type(), pos);
    rejectArrayOrder(in, column, pos);
    boolean descending = fc.getDirection().isDescending();
    boolean nullsFirst = switch (fc.nullDirection) {
      case FIRST -> true;
      case LAST -> false;
      // PostgreSQL: NULLs sort as larger than every value.
      case UNSPECIFIED -> descending;
    };
    return new TopKOp.SortKey(column, descending, nullsFirst);
  }

  /** PostgreSQL orders jsonb strings by the database collation, which trickle does not reproduce. */
  static void rejectJsonbOrder(io.trickle.compiler.plan.ColumnType type, SqlPos pos) {
    if (type.kind() == io.trickle.compiler.plan.ColumnType.Kind.JSONB) {
      throw new CompileException(pos, "ordering by a jsonb value (ORDER BY, min, max) is not"
          + " supported: PostgreSQL orders jsonb strings by collation");
    }
  }

  /** PostgreSQL orders arrays element by element; trickle does not implement that order yet. */
  static void rejectArrayOrder(Bound in, int column, SqlPos pos) {
    var type = in.op().columns().get(column).type();
    if (type.kind() == io.trickle.compiler.plan.ColumnType.Kind.ARRAY) {
      throw new CompileException(pos, "ordering by an array (" + type + ") is not supported yet");
    }
  }

  private static long count(RexNode node, String clause, SqlPos pos) {
    if (!(node instanceof RexLiteral literal) || literal.getValueAs(BigDecimal.class) == null) {
      throw new CompileException(pos, clause + " must be a constant number");
    }
    BigDecimal v = literal.getValueAs(BigDecimal.class);
    if (v.signum() < 0) {
      throw new CompileException(pos, clause + " must not be negative");
    }
    try {
      return v.longValueExact();
    } catch (ArithmeticException e) {
      throw new CompileException(pos, clause + " " + v + " is not a whole number that fits a bigint");
    }
  }
}
