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
 * it cannot parse the explicit {@code LATERAL f(} nor {@code f(...) WITH ORDINALITY}, so those
 * words are blanked out in the text (same length, so every position stays put), and (2)
 * PostgreSQL makes every function in FROM lateral while Calcite needs {@code LATERAL}, so the
 * parsed tree gets it back, and a call that had WITH ORDINALITY calls the function's ordinality
 * variant ({@link PgSetReturningFunctions#ORDINALITY_SUFFIX}).
 */
public final class SetReturningSyntax {
  /** {@code LATERAL} directly before a function call (not a subquery, TABLE(...) or UNNEST). */
  private static final Pattern LATERAL_CALL = Pattern.compile(
      "(?<=[\\s,(])lateral(?=\\s+(?!(?:select|table|unnest)\\b)[a-z_][a-z0-9_$]*\\s*\\()");

  /** {@code ) WITH ORDINALITY} after a call; UNNEST's is Calcite's own and stays. */
  private static final Pattern ORDINALITY = Pattern.compile("(?<=\\))\\s*(with\\s+ordinality)\\b");

  private SetReturningSyntax() {}

  /**
   * {@code LATERAL} before function calls and {@code WITH ORDINALITY} after set-returning
   * function calls blanked out, and where each blanked WITH ORDINALITY began.
   */
  private record Blanked(String text, java.util.Set<Integer> ordinality) {}

  private static Blanked blank(String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(sql);
    Matcher m = LATERAL_CALL.matcher(lower);
    while (m.find()) {
      for (int i = m.start(); i < m.end(); i++) {
        out.setCharAt(i, ' ');
      }
    }
    java.util.Set<Integer> ordinality = new java.util.HashSet<>();
    Matcher o = ORDINALITY.matcher(lower);
    while (o.find()) {
      if (!afterSetReturningCall(lower, o.start())) {
        continue;
      }
      for (int i = o.start(1); i < o.end(1); i++) {
        out.setCharAt(i, ' ');
      }
      ordinality.add(o.start());
    }
    return new Blanked(out.toString(), ordinality);
  }

  /** Whether the parenthesis just before {@code close} closes a call of a declared function. */
  private static boolean afterSetReturningCall(String sql, int close) {
    int depth = 0;
    for (int i = close - 2; i >= 0; i--) {
      char c = sql.charAt(i);
      if (c == ')') {
        depth++;
      } else if (c == '(' && depth-- == 0) {
        Matcher name = Pattern.compile("([a-z_][a-z0-9_$]*)\\s*$").matcher(sql.substring(0, i));
        return name.find() && PgSetReturningFunctions.isSetReturning(name.group(1));
      }
    }
    return false;
  }

  /**
   * Parses {@code sql} with {@code parse} after blanking, then restores what the blanks removed:
   * {@code LATERAL} around every function call in FROM, and the WITH ORDINALITY variant of a
   * call that had it.
   */
  public static SqlNode parse(String sql, Parser parse)
      throws org.apache.calcite.sql.parser.SqlParseException {
    Blanked blanked = blank(sql);
    SqlNode parsed = parse.parse(blanked.text);
    if (!blanked.ordinality.isEmpty()) {
      parsed.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
        @Override
        public Void visit(SqlCall call) {
          if (call.getKind() == SqlKind.COLLECTION_TABLE
              && call.operand(0) instanceof org.apache.calcite.sql.SqlBasicCall fn
              && blanked.ordinality.contains(endOffset(sql, fn))) {
            fn.setOperator(new org.apache.calcite.sql.SqlUnresolvedFunction(
                new org.apache.calcite.sql.SqlIdentifier(fn.getOperator().getName()
                    + PgSetReturningFunctions.ORDINALITY_SUFFIX, fn.getParserPosition()),
                null, null, null, null,
                org.apache.calcite.sql.SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION));
          }
          return super.visit(call);
        }
      });
    }
    return makeLateral(parsed);
  }

  /** A SQL parser (Calcite's throw a checked exception). */
  @FunctionalInterface
  public interface Parser {
    SqlNode parse(String sql) throws org.apache.calcite.sql.parser.SqlParseException;
  }

  /** The offset just after the call's closing parenthesis. */
  private static int endOffset(String sql, SqlCall call) {
    var p = call.getParserPosition();
    int offset = 0;
    for (int l = 1; l < p.getEndLineNum(); l++) {
      offset = sql.indexOf('\n', offset) + 1;
    }
    return offset + p.getEndColumnNum();
  }

  /** Wraps every table function call in FROM (also in subqueries) in {@code LATERAL}. */
  private static SqlNode makeLateral(SqlNode query) {
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
