package io.trickle.compiler.rel;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.parse.StreamTableDefinition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Rewrites {@code SELECT DISTINCT ON (d...) ... [ORDER BY o...]}, parsed from {@link
 * DistinctOnScanner#blanked()} as a plain {@code SELECT DISTINCT}, into {@code SELECT ... QUALIFY
 * ROW_NUMBER() OVER (PARTITION BY d... ORDER BY o...) = 1}: QUALIFY filters after GROUP BY,
 * HAVING and the select list's window functions and before ORDER BY and LIMIT, exactly where
 * PostgreSQL applies DISTINCT ON, and the translator turns that filter into a TopK of one row per
 * partition. As in PostgreSQL's ORDER BY, a bare number or output column name in the DISTINCT ON
 * or ORDER BY list means that select item.
 */
final class DistinctOnRewriter {
  private final StreamTableDefinition def;
  private final DistinctOnScanner scanner;

  private DistinctOnRewriter(StreamTableDefinition def, DistinctOnScanner scanner) {
    this.def = def;
    this.scanner = scanner;
  }

  /** @param parsed what Calcite parsed from {@code scanner.blanked()} */
  static SqlNode rewrite(StreamTableDefinition def, DistinctOnScanner scanner, SqlNode parsed) {
    if (scanner.any()) {
      new DistinctOnRewriter(def, scanner).apply(parsed);
    }
    return parsed;
  }

  /** A SELECT DISTINCT and the ORDER BY that applies to it (null when none). */
  private record Found(SqlSelect select, SqlNodeList orderBy) {}

  private void apply(SqlNode parsed) {
    List<Found> distinct = new ArrayList<>();
    collect(parsed, null, distinct);
    distinct.sort(Comparator.comparingInt((Found f) -> f.select().getParserPosition().getLineNum())
        .thenComparingInt(f -> f.select().getParserPosition().getColumnNum()));
    List<DistinctOnScanner.Clause> clauses = scanner.clauses();
    if (distinct.size() != clauses.size()) {
      throw new CompileException(def.start(), "DISTINCT ON: found " + clauses.size()
          + " SELECT DISTINCT in the text but Calcite parsed " + distinct.size()
          + "; this query shape is not supported");
    }
    for (int i = 0; i < clauses.size(); i++) {
      if (clauses.get(i).distinctOn()) {
        rewrite(distinct.get(i), expressions(clauses.get(i)));
      }
    }
  }

  private static void collect(SqlNode node, SqlNodeList orderBy, List<Found> out) {
    if (node instanceof SqlSelect select) {
      if (select.isDistinct()) {
        out.add(new Found(select, orderBy != null ? orderBy : select.getOrderList()));
      }
    }
    if (node instanceof SqlOrderBy o) {
      collect(o.query, o.orderList, out);
      for (SqlNode operand : o.getOperandList().subList(1, o.getOperandList().size())) {
        collect(operand, null, out);
      }
      return;
    }
    if (node instanceof SqlWith w) {
      collect(w.withList, null, out);
      collect(w.body, orderBy, out);
      return;
    }
    if (node instanceof SqlCall call) {
      for (SqlNode operand : call.getOperandList()) {
        collect(operand, null, out);
      }
    } else if (node instanceof SqlNodeList list) {
      for (SqlNode item : list) {
        collect(item, null, out);
      }
    }
  }

  private List<SqlNode> expressions(DistinctOnScanner.Clause clause) {
    SqlNode e;
    try {
      e = SqlParser.create(scanner.expressions(clause), CalciteFrontEnd.PARSER).parseExpression();
    } catch (SqlParseException ex) {
      throw CalciteFrontEnd.parseError(def, ex);
    }
    return e.getKind() == SqlKind.ROW ? ((SqlCall) e).getOperandList() : List.of(e);
  }

  private void rewrite(Found found, List<SqlNode> on) {
    SqlSelect select = found.select();
    SqlParserPos pos = on.get(0).getParserPosition();
    SqlNodeList partition = new SqlNodeList(pos);
    for (SqlNode d : on) {
      partition.add(resolve(d, select));
    }
    SqlNodeList order = new SqlNodeList(pos);
    if (found.orderBy() != null) {
      // PostgreSQL requires the DISTINCT ON expressions to be the leading ORDER BY items; they
      // are constant within a partition, so only the rest orders it.
      List<SqlNode> items = found.orderBy().getList();
      for (SqlNode item : items.subList(Math.min(on.size(), items.size()), items.size())) {
        order.add(orderItem(item, select));
      }
    }
    SqlWindow window = SqlWindow.create(null, null, partition, order,
        SqlLiteral.createBoolean(false, pos), null, null, null, pos);
    SqlCall rowNumber = SqlStdOperatorTable.OVER.createCall(pos,
        SqlStdOperatorTable.ROW_NUMBER.createCall(pos), window);
    select.setQualify(SqlStdOperatorTable.EQUALS.createCall(pos, rowNumber,
        SqlLiteral.createExactNumeric("1", pos)));
    select.setOperand(0, new SqlNodeList(select.getParserPosition()));
  }

  /** An ORDER BY item keeps its DESC and NULLS FIRST/LAST wrappers around the resolved expression. */
  private SqlNode orderItem(SqlNode item, SqlSelect select) {
    if (item.getKind() == SqlKind.DESCENDING || item.getKind() == SqlKind.NULLS_FIRST
        || item.getKind() == SqlKind.NULLS_LAST) {
      SqlCall call = (SqlCall) item;
      return call.getOperator().createCall(call.getParserPosition(),
          orderItem(call.operand(0), select));
    }
    return resolve(item, select);
  }

  /** A select item for a position or output name, else a copy of the expression itself. */
  private SqlNode resolve(SqlNode e, SqlSelect select) {
    List<SqlNode> items = select.getSelectList().getList();
    if (e instanceof SqlNumericLiteral n && n.isInteger()) {
      int index = n.getValueAs(BigDecimal.class).intValueExact() - 1;
      for (int i = 0; i <= index && i < items.size(); i++) {
        if (items.get(i) instanceof SqlIdentifier id && id.isStar()) {
          throw new CompileException(def.filePos(n.getParserPosition().getLineNum(),
              n.getParserPosition().getColumnNum()), "DISTINCT ON or ORDER BY position " + (index + 1)
              + " after a * in the select list is not supported yet; name the column instead");
        }
      }
      if (index >= 0 && index < items.size()) {
        return copy(stripAlias(items.get(index)));
      }
    }
    if (e instanceof SqlIdentifier id && id.isSimple()) {
      for (SqlNode item : items) {
        if (id.getSimple().equals(outputName(item))) {
          return copy(stripAlias(item));
        }
      }
    }
    return copy(e);
  }

  private static SqlNode stripAlias(SqlNode item) {
    return item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
  }

  private static String outputName(SqlNode item) {
    if (item.getKind() == SqlKind.AS) {
      return ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
    }
    if (item instanceof SqlIdentifier id && !id.isStar()) {
      return id.names.get(id.names.size() - 1);
    }
    return null;
  }

  /** The validator rewrites nodes in place, so the window gets its own copies. */
  private static SqlNode copy(SqlNode node) {
    return node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlIdentifier id) {
        return id.clone(id.getParserPosition());
      }

      @Override
      public SqlNode visit(SqlCall call) {
        CallCopyingArgHandler args = new CallCopyingArgHandler(call, true);
        call.getOperator().acceptCall(this, call, false, args);
        return args.result();
      }
    });
  }
}
