package io.trickle.compiler.parse;

import io.trickle.compiler.CompileException;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.SqlSetOperator;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Rejects, on the parsed query, every construct this compiler slice cannot maintain
 * incrementally yet, naming it and pointing at it. Runs before Calcite validation so that the
 * message is about the construct, not about a type error Calcite would find later.
 */
public final class SupportCheck {
  private static final Set<String> FUNCTIONS =
      Set.of("count", "sum", "avg", "min", "max", "coalesce", "nullif", "cast", "::",
          "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "bool_and",
          "bool_or", "every", "string_agg", "grouping");
  private static final Set<String> TYPES = Set.of("BOOLEAN", "BOOL", "SMALLINT", "INT2", "INTEGER",
      "INT", "INT4", "BIGINT", "INT8", "DECIMAL", "NUMERIC", "DEC", "REAL", "FLOAT4", "FLOAT",
      "DOUBLE", "FLOAT8", "CHAR", "CHARACTER", "BPCHAR", "VARCHAR", "TEXT", "DATE", "TIME",
      "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "TIMESTAMP_TZ");
  private static final Set<SqlKind> OPERATORS = Set.of(
      SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.DIVIDE, SqlKind.MOD,
      SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX,
      SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL,
      SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL,
      SqlKind.IS_DISTINCT_FROM, SqlKind.IS_NOT_DISTINCT_FROM,
      SqlKind.AND, SqlKind.OR, SqlKind.NOT,
      SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.IS_TRUE, SqlKind.IS_NOT_TRUE,
      SqlKind.IS_FALSE, SqlKind.IS_NOT_FALSE, SqlKind.IS_UNKNOWN,
      SqlKind.CASE, SqlKind.COALESCE, SqlKind.NULLIF, SqlKind.CAST,
      SqlKind.IN, SqlKind.NOT_IN, SqlKind.BETWEEN, SqlKind.AS);

  private final StreamTableDefinition def;

  private SupportCheck(StreamTableDefinition def) {
    this.def = def;
  }

  public static void check(StreamTableDefinition def, SqlNode query) {
    new SupportCheck(def).query(query, true);
  }

  private void query(SqlNode node, boolean top) {
    switch (node.getKind()) {
      case SELECT -> select((SqlSelect) node);
      case ORDER_BY -> {
        SqlOrderBy orderBy = (SqlOrderBy) node;
        if (orderBy.orderList != null && !orderBy.orderList.isEmpty()) {
          throw unsupported(orderBy.orderList, "ORDER BY is not supported yet (a stream table is an"
              + " unordered set of rows)");
        }
        limit(orderBy.offset, orderBy.fetch);
        query(orderBy.query, top);
      }
      case UNION, INTERSECT, EXCEPT -> {
        SqlCall call = (SqlCall) node;
        SqlSetOperator op = (SqlSetOperator) call.getOperator();
        throw new CompileException(keywordBefore(call.operand(1), op.getName()),
            op.getName() + (op.isAll() && !op.getName().endsWith(" ALL") ? " ALL" : "")
                + " is not supported yet");
      }
      case WITH -> throw unsupported(((SqlWith) node).withList,
          "WITH (common table expressions) is not supported yet");
      case VALUES -> throw unsupported(node, "VALUES is not supported yet");
      default -> throw unsupported(node, node.getKind() + " is not supported yet");
    }
  }

  private void limit(SqlNode offset, SqlNode fetch) {
    if (fetch != null) {
      throw unsupported(fetch, "LIMIT/FETCH is not supported yet");
    }
    if (offset != null) {
      throw unsupported(offset, "OFFSET is not supported yet");
    }
  }

  private void select(SqlSelect select) {
    if (select.isDistinct()) {
      SqlNode keyword = select.getModifierNode(SqlSelectKeyword.DISTINCT);
      throw unsupported(keyword != null ? keyword : select, "SELECT DISTINCT is not supported yet");
    }
    if (select.getOrderList() != null && !select.getOrderList().isEmpty()) {
      throw unsupported(select.getOrderList(), "ORDER BY is not supported yet (a stream table is"
          + " an unordered set of rows)");
    }
    limit(select.getOffset(), select.getFetch());
    if (select.getWindowList() != null && !select.getWindowList().isEmpty()) {
      throw unsupported(select.getWindowList(), "WINDOW clauses are not supported yet");
    }
    if (select.getQualify() != null) {
      throw unsupported(select.getQualify(), "QUALIFY is not supported yet");
    }
    if (select.getFrom() == null) {
      throw unsupported(select, "a query without FROM is not supported (a stream table must read at"
          + " least one table)");
    }
    from(select.getFrom());
    for (SqlNode item : select.getSelectList()) {
      expr(item);
    }
    if (select.getWhere() != null) {
      expr(select.getWhere());
    }
    if (select.getGroup() != null) {
      for (SqlNode g : select.getGroup()) {
        groupItem(g);
      }
    }
    if (select.getHaving() != null) {
      expr(select.getHaving());
    }
  }

  /** ROLLUP, CUBE and GROUPING SETS nest; their leaves are ordinary expressions. */
  private void groupItem(SqlNode g) {
    switch (g.getKind()) {
      case ROLLUP, CUBE, GROUPING_SETS -> {
        for (SqlNode operand : ((SqlCall) g).getOperandList()) {
          groupItem(operand);
        }
      }
      case ROW -> {
        for (SqlNode operand : ((SqlCall) g).getOperandList()) {
          expr(operand);
        }
      }
      default -> expr(g);
    }
  }

  private void from(SqlNode node) {
    switch (node.getKind()) {
      case IDENTIFIER -> { }
      case AS -> {
        SqlCall as = (SqlCall) node;
        from(as.operand(0));
      }
      case JOIN -> join((SqlJoin) node);
      case SELECT, ORDER_BY, UNION, INTERSECT, EXCEPT, WITH, VALUES -> query(node, false);
      case LATERAL -> throw unsupported(node, "LATERAL is not supported yet");
      case UNNEST -> throw unsupported(node, "UNNEST is not supported yet");
      case TABLESAMPLE -> throw unsupported(node, "TABLESAMPLE is not supported yet");
      case COLLECTION_TABLE -> throw unsupported(node, "table functions are not supported yet");
      default -> throw unsupported(node, node.getKind() + " in FROM is not supported yet");
    }
  }

  private void join(SqlJoin join) {
    String name = switch (join.getJoinType()) {
      case INNER, COMMA, CROSS, LEFT, RIGHT, FULL -> null;
      case LEFT_SEMI_JOIN -> "SEMI JOIN";
      case LEFT_ANTI_JOIN -> "ANTI JOIN";
      case ASOF, LEFT_ASOF -> "ASOF JOIN";
    };
    if (name != null) {
      String keyword = name.substring(0, name.indexOf(' '));
      throw new CompileException(keywordBefore(join.getJoinTypeNode(), keyword),
          name + " is not supported (it is not PostgreSQL syntax)");
    }
    from(join.getLeft());
    from(join.getRight());
    if (join.getCondition() != null) {
      expr(join.getCondition());
    }
  }

  private void expr(SqlNode node) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlIntervalLiteral) {
      throw unsupported(node, "INTERVAL is not supported yet");
    }
    if (node instanceof SqlDynamicParam) {
      throw unsupported(node, "query parameters are not allowed in a stream table definition");
    }
    if (node instanceof SqlDataTypeSpec spec) {
      String type = spec.getTypeName().getSimple();
      if (!TYPES.contains(type.toUpperCase(Locale.ROOT))) {
        throw unsupported(node, "type " + type + " is not supported yet");
      }
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        expr(n);
      }
      return;
    }
    if (!(node instanceof SqlCall call)) {
      return;
    }
    switch (call.getKind()) {
      case SELECT, ORDER_BY, UNION, INTERSECT, EXCEPT, WITH, VALUES, SCALAR_QUERY ->
          throw unsupported(node, "subqueries are not supported yet");
      case EXISTS -> {
        // Subquery removal and decorrelation turn it into a semi-join (or a join with a
        // distinct aggregate); a correlation that cannot be removed fails in translation.
        query(call.operand(0), false);
        return;
      }
      case SOME, ALL -> throw unsupported(node, call.getOperator().getName()
          + " (subquery comparison) is not supported yet");
      case OVER -> throw unsupported(node, "window functions (OVER) are not supported yet");
      // FILTER (WHERE ...) and ORDER BY inside an aggregate (which Calcite parses as WITHIN
      // GROUP) wrap the aggregate call; ordered-set aggregates fail the function name check.
      case FILTER, WITHIN_GROUP, DESCENDING, NULLS_FIRST, NULLS_LAST -> {
        for (SqlNode operand : call.getOperandList()) {
          expr(operand);
        }
        return;
      }
      default -> { }
    }
    if ("array_agg".equalsIgnoreCase(call.getOperator().getName())) {
      throw unsupported(node, "array_agg() is not supported yet: trickle has no array column type");
    }
    String name = call.getOperator().getName();
    if (call.getOperator() instanceof SqlFunction || call.getKind() == SqlKind.OTHER_FUNCTION) {
      if (!FUNCTIONS.contains(name.toLowerCase(Locale.ROOT))) {
        throw unsupported(node, "function " + name.toLowerCase(Locale.ROOT)
            + "() is not supported yet");
      }
    } else if (!OPERATORS.contains(call.getKind())) {
      throw unsupported(node, "operator " + name + " is not supported yet");
    }
    if (call.getKind() == SqlKind.IN || call.getKind() == SqlKind.NOT_IN) {
      SqlNode list = call.operand(1);
      if (!(list instanceof SqlNodeList)) {
        // IN / NOT IN (subquery): rewritten into joins with aggregates (NOT IN keeps its NULL
        // semantics through the count of subquery rows and of non-NULL subquery values).
        expr(call.operand(0));
        query(list, false);
        return;
      }
    }
    for (SqlNode operand : call.getOperandList()) {
      expr(operand);
    }
  }

  /**
   * Calcite positions a set operation at its left operand and an outer join at JOIN; find the
   * leading keyword itself, at or before {@code after}.
   */
  private io.trickle.compiler.plan.SqlPos keywordBefore(SqlNode after, String keyword) {
    SqlParserPos p = after.getParserPosition();
    int end = Math.min(def.selectSql().length(),
        def.offsetOf(p.getLineNum(), p.getColumnNum()) + keyword.length());
    int at = def.selectSql().substring(0, end).toLowerCase(Locale.ROOT)
        .lastIndexOf(keyword.toLowerCase(Locale.ROOT));
    return at < 0 ? def.filePos(p.getLineNum(), p.getColumnNum()) : def.filePosOfOffset(at);
  }

  private CompileException unsupported(SqlNode node, String reason) {
    SqlParserPos p = node.getParserPosition();
    return new CompileException(def.filePos(p.getLineNum(), p.getColumnNum()), reason);
  }
}
