package io.trickle.compiler.parse;

import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Where things are in the parsed query, in definitions-file coordinates, so that plan operators
 * and errors can point back at the SQL they came from. Relational operators lose positions, so
 * they are matched back by role: the n-th scan of a table to the n-th mention of it in FROM,
 * joins in the order they appear, the filter to WHERE, and so on.
 */
public final class SqlPositions {
  /** A table named in FROM, with the name as written (last part) and where. */
  public record TableRef(String name, SqlPos pos) {}

  private final StreamTableDefinition def;
  private final List<TableRef> tables = new ArrayList<>();
  private final List<SqlPos> joins = new ArrayList<>();
  private SqlSelect select;
  private final SqlNode query;

  private SqlPositions(StreamTableDefinition def, SqlNode query) {
    this.def = def;
    this.query = query;
  }

  public static SqlPositions of(StreamTableDefinition def, SqlNode query) {
    SqlPositions p = new SqlPositions(def, query);
    p.select = outerSelect(query);
    if (p.select != null && p.select.getFrom() != null) {
      p.from(p.select.getFrom());
    }
    return p;
  }

  private static SqlSelect outerSelect(SqlNode node) {
    if (node instanceof SqlSelect s) {
      return s;
    }
    if (node instanceof SqlOrderBy o) {
      return outerSelect(o.query);
    }
    return null;
  }

  private void from(SqlNode node) {
    switch (node.getKind()) {
      case IDENTIFIER -> {
        SqlIdentifier id = (SqlIdentifier) node;
        tables.add(new TableRef(id.names.get(id.names.size() - 1), pos(id)));
      }
      case AS -> from(((SqlCall) node).operand(0));
      case JOIN -> {
        SqlJoin join = (SqlJoin) node;
        from(join.getLeft());
        from(join.getRight());
        joins.add(join.getCondition() != null ? pos(join.getJoinTypeNode()) : firstTable(join.getRight()));
      }
      default -> { }
    }
  }

  private SqlPos firstTable(SqlNode node) {
    return switch (node.getKind()) {
      case AS -> firstTable(((SqlCall) node).operand(0));
      case JOIN -> firstTable(((SqlJoin) node).getLeft());
      default -> pos(node);
    };
  }

  public List<TableRef> tables() {
    return List.copyOf(tables);
  }

  /** Join positions, innermost (first written) first. */
  public List<SqlPos> joins() {
    return List.copyOf(joins);
  }

  public SqlPos start() {
    return def.start();
  }

  public SqlPos where() {
    return select != null && select.getWhere() != null ? pos(select.getWhere()) : start();
  }

  public SqlPos having() {
    return select != null && select.getHaving() != null ? pos(select.getHaving()) : where();
  }

  public SqlPos selectList() {
    return select != null && !select.getSelectList().isEmpty()
        ? pos(select.getSelectList().get(0)) : start();
  }

  /** The outermost ORDER BY list, else its LIMIT/FETCH or OFFSET, else the query start. */
  public SqlPos orderBy() {
    SqlNodeList order = null;
    SqlNode fetch = null;
    if (query instanceof SqlOrderBy o) {
      order = o.orderList;
      fetch = o.fetch != null ? o.fetch : o.offset;
    } else if (select != null) {
      order = select.getOrderList();
      fetch = select.getFetch() != null ? select.getFetch() : select.getOffset();
    }
    if (order != null && !order.isEmpty()) {
      return pos(order.get(0));
    }
    return fetch != null ? pos(fetch) : start();
  }

  /** The GROUP BY list, or else the first aggregate call in the select list or HAVING. */
  public SqlPos aggregate() {
    if (select == null) {
      return start();
    }
    if (select.getGroup() != null && !select.getGroup().isEmpty()) {
      return pos(select.getGroup().get(0));
    }
    Optional<SqlNode> agg = findCall(select.getSelectList(),
        c -> c.getOperator().isAggregator());
    if (agg.isEmpty() && select.getHaving() != null) {
      agg = findCall(select.getHaving(), c -> c.getOperator().isAggregator());
    }
    return agg.map(this::pos).orElse(selectList());
  }

  /**
   * The first call of a function with this name (case-insensitive), else the first cast to a type
   * of that name (PostgreSQL names cast functions after their target type), else the query start.
   */
  public SqlPos function(String name) {
    return findCall(query, c -> (c.getOperator() instanceof SqlFunction
            || c.getKind() == SqlKind.OTHER_FUNCTION)
            && c.getOperator().getName().equalsIgnoreCase(name))
        .or(() -> findCall(query, c -> c.getKind() == SqlKind.CAST
            && c.operand(1) instanceof SqlDataTypeSpec spec
            && spec.getTypeName().getSimple().equalsIgnoreCase(name)))
        .map(this::pos).orElse(start());
  }

  /** The first use of an operator spelled {@code name}, or the query start. */
  public SqlPos operator(String name) {
    return findCall(query, c -> c.getOperator().getName().equals(name))
        .map(this::pos).orElse(start());
  }

  /** A construct found in the query: where it starts and its SQL as written. */
  public record Construct(SqlPos pos, String sql) {}

  /**
   * The first aggregate call or comparison spelled {@code function} ({@code max}, {@code <}; a
   * BETWEEN counts as {@code <=} and {@code >=}, which PostgreSQL expands it to), preferring one
   * whose first operand is {@code column}. Empty if the query has none.
   */
  public Optional<Construct> ordering(String function, boolean aggregate, String column) {
    List<SqlCall> found = new ArrayList<>();
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        String name = call.getOperator().getName();
        boolean match = aggregate
            ? (call.getOperator() instanceof SqlFunction || call.getKind() == SqlKind.OTHER_FUNCTION)
                && name.equalsIgnoreCase(function)
            : name.equals(function) || call.getKind() == SqlKind.BETWEEN;
        if (match) {
          found.add(call);
        }
        return super.visit(call);
      }
    });
    return found.stream()
        .filter(c -> column != null && !c.getOperandList().isEmpty()
            && c.operand(0) instanceof SqlIdentifier id
            && id.names.get(id.names.size() - 1).equals(column))
        .findFirst()
        .or(() -> found.stream().findFirst())
        .map(c -> new Construct(pos(c), text(c)));
  }

  /** The first reference to a column named {@code column}, or the query start. */
  public SqlPos column(String column) {
    SqlNode[] found = new SqlNode[1];
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlIdentifier id) {
        if (found[0] == null && column != null && !id.isStar()
            && id.names.get(id.names.size() - 1).equals(column)) {
          found[0] = id;
        }
        return null;
      }
    });
    return found[0] == null ? start() : pos(found[0]);
  }

  /** Where a table or view named {@code name} is read in FROM, or the query start. */
  public SqlPos table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).map(TableRef::pos).findFirst()
        .orElse(start());
  }

  /** The SQL text a node was parsed from. */
  public String text(SqlNode node) {
    SqlParserPos p = node.getParserPosition();
    int from = def.offsetOf(p.getLineNum(), p.getColumnNum());
    int to = def.offsetOf(p.getEndLineNum(), p.getEndColumnNum()) + 1;
    String sql = def.selectSql();
    return from < to && to <= sql.length() ? sql.substring(from, to) : node.toString();
  }

  /** The select item at {@code index}, or the select list if a {@code *} makes it ambiguous. */
  public SqlPos selectItem(int index) {
    if (select == null) {
      return start();
    }
    SqlNodeList items = select.getSelectList();
    for (SqlNode item : items) {
      if (item instanceof SqlIdentifier id && id.isStar()) {
        return selectList();
      }
    }
    return index < items.size() ? pos(items.get(index)) : selectList();
  }

  /** The second select item whose output name is {@code name}, as far as the SQL shows it. */
  public SqlPos duplicateItem(String name) {
    if (select == null) {
      return start();
    }
    int seen = 0;
    for (SqlNode item : select.getSelectList()) {
      if (name.equals(outputName(item)) && ++seen == 2) {
        return pos(item);
      }
    }
    return selectList();
  }

  private static String outputName(SqlNode item) {
    if (item.getKind() == SqlKind.AS) {
      SqlNode alias = ((SqlCall) item).operand(1);
      return alias instanceof SqlIdentifier id ? id.getSimple() : null;
    }
    if (item instanceof SqlIdentifier id && !id.isStar()) {
      return id.names.get(id.names.size() - 1);
    }
    if (item instanceof SqlCall call) {
      return call.getOperator().getName().toLowerCase(Locale.ROOT);
    }
    return null;
  }

  private static Optional<SqlNode> findCall(SqlNode root,
      java.util.function.Predicate<SqlCall> test) {
    if (root == null) {
      return Optional.empty();
    }
    SqlNode[] found = new SqlNode[1];
    root.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (found[0] == null && test.test(call)) {
          found[0] = call;
          return null;
        }
        return super.visit(call);
      }
    });
    return Optional.ofNullable(found[0]);
  }

  public SqlPos pos(SqlNode node) {
    if (node instanceof SqlCall call && call.getKind() == SqlKind.AS) {
      return pos(call.operand(0));
    }
    if (node instanceof SqlCall call && "::".equals(call.getOperator().getName())) {
      // Babel positions an infix cast at the start of the statement; use its operand.
      return pos(call.operand(0));
    }
    SqlParserPos p = node.getParserPosition();
    return def.filePos(p.getLineNum(), p.getColumnNum());
  }
}
