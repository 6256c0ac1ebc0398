package io.trickle.compiler.rel;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * PostgreSQL's set-returning functions in FROM, made palatable to Calcite without moving any
 * position. Babel already reads {@code FROM t, f(t.x) g} as {@code TABLE(f(t.x)) AS g}, but (1)
 * it cannot parse the explicit {@code LATERAL f(}, so that keyword is blanked out in the text
 * (same length, so every position stays put), and (2) PostgreSQL makes every function in FROM
 * lateral while Calcite needs {@code LATERAL}, so the parsed tree gets it back.
 */
public final class SetReturningSyntax {
  /** {@code LATERAL} directly before a function call (not a subquery, TABLE(...) or UNNEST). */
  private static final Pattern LATERAL_CALL = Pattern.compile(
      "(?<=[\\s,(])lateral(?=\\s+(?!(?:select|table|unnest)\\b)[a-z_][a-z0-9_$]*\\s*\\()");

  private SetReturningSyntax() {}

  /** The query with {@code LATERAL} before function calls replaced by blanks. */
  public static String blankLateral(String sql) {
    Matcher m = LATERAL_CALL.matcher(sql.toLowerCase(Locale.ROOT));
    StringBuilder out = new StringBuilder(sql);
    while (m.find()) {
      for (int i = m.start(); i < m.end(); i++) {
        out.setCharAt(i, ' ');
      }
    }
    return out.toString();
  }

  /** Wraps every table function call in FROM (also in subqueries) in {@code LATERAL}. */
  public static SqlNode makeLateral(SqlNode query) {
    SqlNode out = query.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        SqlNode visited = super.visit(call);
        if (visited instanceof SqlSelect select && select.getFrom() != null) {
          select.setFrom(from(select.getFrom(), true));
        }
        return visited;
      }
    });
    return out == null ? query : out;
  }

  private static SqlNode from(SqlNode node, boolean top) {
    if (node instanceof SqlJoin join) {
      join.setLeft(from(join.getLeft(), false));
      join.setRight(from(join.getRight(), false));
      return join;
    }
    if (!top && node.getKind() == SqlKind.AS
        && ((SqlCall) node).operand(0).getKind() == SqlKind.COLLECTION_TABLE) {
      return SqlStdOperatorTable.LATERAL.createCall(node.getParserPosition(), node);
    }
    if (!top && node.getKind() == SqlKind.COLLECTION_TABLE) {
      return SqlStdOperatorTable.LATERAL.createCall(node.getParserPosition(), node);
    }
    return node;
  }
}
