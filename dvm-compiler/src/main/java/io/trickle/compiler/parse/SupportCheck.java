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
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
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
  /** Scalar functions with PostgreSQL semantics in the evaluator (see ScalarCalls). */
  private static final Set<String> SCALAR_FUNCTIONS = Set.of("lower", "upper", "substring",
      "position", "trim", "btrim", "ltrim", "rtrim", "char_length", "character_length", "length",
      "extract", "date_trunc", "round", "trunc", "ceil", "ceiling", "floor", "abs", "sign",
      "greatest", "least", "date_part", "age", "sqrt", "div", "mod", "jsonb_typeof",
      "jsonb_array_length", io.trickle.compiler.rel.PgIntervalLiterals.FUNCTION);
  /**
   * SQL's niladic date/time functions. They are stable in PostgreSQL, but its query tree names
   * no function for them, so the volatility check cannot see them.
   */
  /** Array functions and the ARRAY[...] constructor (one-dimensional arrays). */
  private static final Set<String> ARRAY_FUNCTIONS = Set.of("array_agg", "cardinality");

  private static final Set<String> CURRENT_TIME = Set.of("current_date", "current_time",
      "current_timestamp", "localtime", "localtimestamp");
  /** Window functions; {@link io.trickle.compiler.translate.WindowTranslator} checks the rest. */
  private static final Set<String> WINDOW_FUNCTIONS = Set.of("row_number", "rank", "dense_rank",
      "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
      "nth_value");
  private static final Set<String> TYPES = Set.of("BOOLEAN", "BOOL", "SMALLINT", "INT2", "INTEGER",
      "INT", "INT4", "BIGINT", "INT8", "DECIMAL", "NUMERIC", "DEC", "REAL", "FLOAT4", "FLOAT",
      "DOUBLE", "FLOAT8", "CHAR", "CHARACTER", "BPCHAR", "VARCHAR", "TEXT", "DATE", "TIME",
      "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "TIMESTAMP_TZ", "UUID", "JSONB");
  private static final Set<SqlKind> OPERATORS = Set.of(
      SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.DIVIDE, SqlKind.MOD,
      SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX,
      SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL,
      SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL,
      SqlKind.IS_DISTINCT_FROM, SqlKind.IS_NOT_DISTINCT_FROM,
      SqlKind.AND, SqlKind.OR, SqlKind.NOT,
      SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.IS_TRUE, SqlKind.IS_NOT_TRUE,
      SqlKind.IS_FALSE, SqlKind.IS_NOT_FALSE, SqlKind.IS_UNKNOWN,
      SqlKind.CASE, SqlKind.COALESCE, SqlKind.NULLIF, SqlKind.CAST, SqlKind.LIKE,
      SqlKind.IN, SqlKind.NOT_IN, SqlKind.BETWEEN, SqlKind.AS);

  private final StreamTableDefinition def;
  /** How many EXISTS / IN (subquery) predicates enclose the query being checked. */
  private int subqueryPredicates;

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
        // ORDER BY alone is dropped (a stream table is an unordered set); with LIMIT it is a TopK.
        SqlOrderBy orderBy = (SqlOrderBy) node;
        limitInPredicate(orderBy.fetch, orderBy.offset);
        orderList(orderBy.orderList);
        query(orderBy.query, top);
      }
      case UNION, INTERSECT, EXCEPT -> {
        for (SqlNode operand : ((SqlCall) node).getOperandList()) {
          query(operand, false);
        }
      }
      case WITH -> with((SqlWith) node, top);
      case VALUES -> throw unsupported(node, "VALUES is not supported yet");
      default -> throw unsupported(node, node.getKind() + " is not supported yet");
    }
  }

  /** Calcite inlines each CTE where it is referenced; a CTE read twice is a shared subplan. */
  private void with(SqlWith with, boolean top) {
    for (SqlNode item : with.withList) {
      SqlWithItem w = (SqlWithItem) item;
      if (w.recursive != null && w.recursive.booleanValue()) {
        throw unsupported(w, "WITH RECURSIVE is not supported (a recursive query has no"
            + " incremental maintenance in trickle yet)");
      }
      query(w.query, false);
    }
    query(with.body, top);
  }

  /** ORDER BY items: expressions, possibly wrapped in DESC and NULLS FIRST/LAST. */
  private void orderList(SqlNodeList items) {
    if (items == null) {
      return;
    }
    for (SqlNode item : items) {
      SqlNode e = item;
      while (e.getKind() == SqlKind.DESCENDING || e.getKind() == SqlKind.NULLS_FIRST
          || e.getKind() == SqlKind.NULLS_LAST) {
        e = ((SqlCall) e).operand(0);
      }
      expr(e);
    }
  }

  /**
   * Decorrelating a LIMIT inside EXISTS / IN needs a row number per correlation value, which has
   * no operator yet; LIMIT in a FROM subquery is a TopK.
   */
  private void limitInPredicate(SqlNode fetch, SqlNode offset) {
    if (subqueryPredicates > 0 && (fetch != null || offset != null)) {
      throw unsupported(fetch != null ? fetch : offset, "LIMIT/OFFSET inside an EXISTS or IN"
          + " subquery is not supported yet");
    }
  }

  private void select(SqlSelect select) {
    limitInPredicate(select.getFetch(), select.getOffset());
    orderList(select.getOrderList());
    if (select.getWindowList() != null) {
      for (SqlNode w : select.getWindowList()) {
        window((org.apache.calcite.sql.SqlWindow) w);
      }
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
      case LATERAL -> lateral((SqlCall) node);
      case UNNEST -> collectionTable((SqlCall) node);
      case TABLESAMPLE -> throw unsupported(node, "TABLESAMPLE is not supported yet");
      case COLLECTION_TABLE -> collectionTable((SqlCall) node);
      default -> throw unsupported(node, node.getKind() + " in FROM is not supported yet");
    }
  }

  /** A set-returning function in FROM; the translator knows which functions it supports. */
  private void collectionTable(SqlCall table) {
    if (table.getKind() == SqlKind.UNNEST) {
      for (SqlNode arg : table.getOperandList()) {
        expr(arg);
      }
    } else if (table.operand(0) instanceof SqlCall call) {
      for (SqlNode arg : call.getOperandList()) {
        expr(arg);
      }
    }
  }

  /**
   * A LATERAL subquery is a correlated subquery in FROM: Calcite decorrelates it into joins and
   * aggregates, and one it cannot decorrelate fails in translation.
   */
  private void lateral(SqlCall lateral) {
    SqlNode inner = lateral.operand(0);
    switch (inner.getKind()) {
      case SELECT, ORDER_BY, UNION, INTERSECT, EXCEPT, WITH, VALUES -> query(inner, false);
      default -> from(inner);
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
      return; // date/timestamp arithmetic; an interval-valued column is rejected in translation
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
      case SELECT, ORDER_BY, UNION, INTERSECT, EXCEPT, WITH, VALUES -> {
        // A scalar subquery: decorrelated into a join with an aggregate (SINGLE_VALUE when it
        // is not already an aggregate), so more than one row is an error as in PostgreSQL.
        query(node, false);
        return;
      }
      case EXISTS -> {
        // Subquery removal and decorrelation turn it into a semi-join (or a join with a
        // distinct aggregate); a correlation that cannot be removed fails in translation.
        subqueryPredicates++;
        query(call.operand(0), false);
        subqueryPredicates--;
        return;
      }
      case SOME, ALL -> {
        // x op ANY/ALL (subquery): rewritten into a join with a global or grouped aggregate of
        // the subquery (its MIN or MAX, its row count and its non-NULL count).
        expr(call.operand(0));
        SqlNode right = call.operand(1);
        if (right instanceof SqlNodeList list && list.size() == 1) {
          right = list.get(0);
        }
        switch (right.getKind()) {
          case SELECT, ORDER_BY, UNION, INTERSECT, EXCEPT, WITH, VALUES -> query(right, false);
          default -> throw unsupported(node, call.getOperator().getName()
              + " over an array or list is not supported yet");
        }
        return;
      }
      case OVER -> {
        over(call);
        return;
      }
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
    String name = call.getOperator().getName();
    String lower = name.toLowerCase(Locale.ROOT);
    if (CURRENT_TIME.contains(lower)) {
      throw unsupported(node, lower + " is not allowed in a stream table: it is stable, not"
          + " immutable (its value changes with the clock), and a stream table is maintained"
          + " row by row as changes arrive, so each row would keep the value from when it was last"
          + " changed and the table could never equal its query");
    }
    if (call.getKind() == SqlKind.LIKE && call.operandCount() == 3
        && call.operand(2) instanceof org.apache.calcite.sql.SqlCharStringLiteral esc
        && esc.getValueAs(String.class).isEmpty()) {
      throw unsupported(call.operand(2), "LIKE ... ESCAPE '' (no escape character) is not"
          + " supported yet");
    }
    if (lower.equals("||") || io.trickle.compiler.rel.JsonbOperators.isJsonbOperator(call.getOperator())) {
      for (SqlNode operand : call.getOperandList()) {
        expr(operand);
      }
      return;
    }
    if (call.getOperator() instanceof SqlFunction || call.getKind() == SqlKind.OTHER_FUNCTION) {
      if (!FUNCTIONS.contains(lower) && !SCALAR_FUNCTIONS.contains(lower)
          && !ARRAY_FUNCTIONS.contains(lower)) {
        throw unsupported(node, "function " + name.toLowerCase(Locale.ROOT)
            + "() is not supported yet");
      }
    } else if (!OPERATORS.contains(call.getKind())
        && call.getKind() != SqlKind.ARRAY_VALUE_CONSTRUCTOR) {
      throw unsupported(node, "operator " + name + " is not supported yet");
    }
    if (call.getKind() == SqlKind.IN || call.getKind() == SqlKind.NOT_IN) {
      SqlNode list = call.operand(1);
      if (!(list instanceof SqlNodeList)) {
        // IN / NOT IN (subquery): rewritten into joins with aggregates (NOT IN keeps its NULL
        // semantics through the count of subquery rows and of non-NULL subquery values).
        expr(call.operand(0));
        subqueryPredicates++;
        query(list, false);
        subqueryPredicates--;
        return;
      }
    }
    for (SqlNode operand : call.getOperandList()) {
      expr(operand);
    }
  }

  /** {@code f(args) OVER (window)}: a window function or an aggregate over a window. */
  private void over(SqlCall over) {
    SqlNode fn = over.operand(0);
    if (fn instanceof SqlCall call && WINDOW_FUNCTIONS.contains(
        call.getOperator().getName().toLowerCase(Locale.ROOT))) {
      for (SqlNode operand : call.getOperandList()) {
        expr(operand);
      }
    } else {
      expr(fn);
    }
    if (over.operand(1) instanceof org.apache.calcite.sql.SqlWindow w) {
      window(w);
    }
  }

  private void window(org.apache.calcite.sql.SqlWindow w) {
    if (w.getRefName() != null && (w.getLowerBound() != null || w.getUpperBound() != null)) {
      // Calcite drops such a frame (it keeps the named window's), which would give wrong rows.
      throw unsupported(w, "a window that adds a frame to the named window " + w.getRefName()
          + " is not supported yet; write the window out in full");
    }
    expr(w.getPartitionList());
    for (SqlNode item : w.getOrderList()) {
      while (item.getKind() == SqlKind.DESCENDING || item.getKind() == SqlKind.NULLS_FIRST
          || item.getKind() == SqlKind.NULLS_LAST) {
        item = ((SqlCall) item).operand(0);
      }
      expr(item);
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
