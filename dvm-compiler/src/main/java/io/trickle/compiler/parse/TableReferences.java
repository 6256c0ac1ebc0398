package io.trickle.compiler.parse;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The tables a query names in FROM, anywhere (also in subqueries), read from the parse tree
 * alone. Deployment uses it to order stream tables defined over other stream tables before any
 * of them is compiled against the catalog, where an upstream's target table may not exist yet.
 */
public final class TableReferences {
  private TableReferences() {}

  /**
   * @throws io.trickle.compiler.CompileException if the query does not parse
   * @return the names as written, unquoted names folded to lower case, parts joined by a dot
   *     ({@code orders}, {@code sales.orders})
   */
  public static Set<String> of(StreamTableDefinition def) {
    return of(io.trickle.compiler.rel.CalciteFrontEnd.parse(def));
  }

  /** The names in a parsed query; see {@link #of(StreamTableDefinition)}. */
  public static Set<String> of(SqlNode query) {
    Set<String> out = new LinkedHashSet<>();
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getFrom() != null) {
          from(select.getFrom(), out);
        }
        return super.visit(call);
      }
    });
    return out;
  }

  private static void from(SqlNode node, Set<String> out) {
    switch (node.getKind()) {
      case IDENTIFIER -> out.add(String.join(".", ((SqlIdentifier) node).names));
      case AS -> from(((SqlCall) node).operand(0), out);
      case JOIN -> {
        SqlJoin join = (SqlJoin) node;
        from(join.getLeft(), out);
        from(join.getRight(), out);
      }
      default -> { } // subqueries are SqlSelects of their own, visited separately
    }
  }
}
