package io.trickle.compiler.parse;

import io.trickle.compiler.parse.PgNodeTree.Node;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds, in the stored query trees of the defining query and the views it reads, every use of a
 * collation the runtime cannot reproduce. PostgreSQL has already resolved which collation each
 * comparison and aggregate uses (column collations, COLLATE clauses, the database default), so
 * reading its trees follows PostgreSQL's own collation derivation rules exactly.
 */
final class TextCollations {
  /** Catalog columns differ between versions (colllocale is PG 17+), so read them as JSON. */
  private static final String COLLATIONS = """
      select c.oid, c.collname, c.collprovider, c.collisdeterministic,
             coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale',
                      c.collcollate)
      from pg_catalog.pg_collation c where c.oid = any(?)""";

  private static final String DATABASE = """
      select d.datlocprovider,
             case when d.datlocprovider = 'c' then d.datcollate
                  else coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') end
      from pg_catalog.pg_database d where d.datname = pg_catalog.current_database()""";

  /** Operators that order (btree strategies other than equality), e.g. {@code <} and {@code >=}. */
  private static final String OPERATORS = """
      select o.oid, o.oprname, exists (
        select 1 from pg_catalog.pg_amop a join pg_catalog.pg_am m on m.oid = a.amopmethod
        where a.amopopr = o.oid and m.amname = 'btree' and a.amopstrategy <> 3)
      from pg_catalog.pg_operator o where o.oid = any(?)""";

  /** Aggregates with a sort operator are the ordering ones: min and max. */
  private static final String AGGREGATES = """
      select a.aggfnoid::oid, p.proname, a.aggsortop <> 0
      from pg_catalog.pg_aggregate a join pg_catalog.pg_proc p on p.oid = a.aggfnoid
      where a.aggfnoid::oid = any(?)""";

  private static final long DEFAULT_COLLATION = 100;

  /** A stored query tree; {@code view} is null for the defining query itself. */
  record Tree(String view, String text) {}

  private record Named(String name, boolean ordering) {}

  private final Map<Long, PgCollation> collations = new HashMap<>();
  private final Map<Long, Named> operators = new HashMap<>();
  private final Map<Long, Named> aggregates = new HashMap<>();
  private final Set<TextCollationUse> uses = new LinkedHashSet<>();

  private TextCollations() {}

  static List<TextCollationUse> find(Connection pg, List<Tree> trees) throws SQLException {
    List<Object> parsed = new ArrayList<>();
    Set<Long> collationIds = new TreeSet<>();
    Set<Long> operatorIds = new TreeSet<>();
    Set<Long> aggregateIds = new TreeSet<>();
    for (Tree t : trees) {
      Object tree = PgNodeTree.parse(t.text());
      parsed.add(tree);
      collectIds(tree, collationIds, operatorIds, aggregateIds);
    }
    if (collationIds.isEmpty()) {
      return List.of();
    }
    TextCollations c = new TextCollations();
    c.load(pg, collationIds, operatorIds, aggregateIds);
    for (int i = 0; i < trees.size(); i++) {
      c.walk(parsed.get(i), null, trees.get(i).view());
    }
    return List.copyOf(c.uses);
  }

  private static void collectIds(Object value, Set<Long> collationIds, Set<Long> operatorIds,
      Set<Long> aggregateIds) {
    if (value instanceof List<?> list) {
      list.forEach(v -> collectIds(v, collationIds, operatorIds, aggregateIds));
      return;
    }
    if (!(value instanceof Node node)) {
      return;
    }
    for (Map.Entry<String, Object> f : node.fields().entrySet()) {
      if (isCollationField(f.getKey()) && f.getValue() instanceof String s && !"0".equals(s)) {
        collationIds.add(Long.parseLong(s));
      }
      collectIds(f.getValue(), collationIds, operatorIds, aggregateIds);
    }
    if (node.oid("inputcollid") != 0) {
      switch (node.type()) {
        case "OPEXPR", "SCALARARRAYOPEXPR" -> operatorIds.add(node.oid("opno"));
        case "AGGREF" -> aggregateIds.add(node.oid("aggfnoid"));
        case "WINDOWFUNC" -> aggregateIds.add(node.oid("winfnoid"));
        default -> { }
      }
    }
  }

  private static boolean isCollationField(String name) {
    return name.endsWith("collid") || name.equals("collation") || name.equals("collOid");
  }

  private void load(Connection pg, Set<Long> collationIds, Set<Long> operatorIds,
      Set<Long> aggregateIds) throws SQLException {
    char dbProvider = 'c';
    String dbLocale = null;
    try (PreparedStatement st = pg.prepareStatement(DATABASE); ResultSet rs = st.executeQuery()) {
      if (rs.next()) {
        dbProvider = rs.getString(1).charAt(0);
        dbLocale = rs.getString(2);
      }
    }
    try (PreparedStatement st = pg.prepareStatement(COLLATIONS)) {
      st.setArray(1, pg.createArrayOf("oid", collationIds.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long oid = rs.getLong(1);
          boolean dflt = oid == DEFAULT_COLLATION;
          collations.put(oid, new PgCollation(rs.getString(2),
              dflt ? dbProvider : rs.getString(3).charAt(0), dflt ? dbLocale : rs.getString(5),
              rs.getBoolean(4), dflt));
        }
      }
    }
    named(pg, OPERATORS, operatorIds, operators);
    named(pg, AGGREGATES, aggregateIds, aggregates);
  }

  private static void named(Connection pg, String sql, Set<Long> ids, Map<Long, Named> into)
      throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement st = pg.prepareStatement(sql)) {
      st.setArray(1, pg.createArrayOf("oid", ids.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          into.put(rs.getLong(1), new Named(rs.getString(2), rs.getBoolean(3)));
        }
      }
    }
  }

  private void walk(Object value, Node query, String view) {
    if (value instanceof List<?> list) {
      list.forEach(v -> walk(v, query, view));
      return;
    }
    if (!(value instanceof Node node)) {
      return;
    }
    Node scope = "QUERY".equals(node.type()) ? node : query;
    check(node, scope, view);
    for (Object v : node.fields().values()) {
      walk(v, scope, view);
    }
  }

  private void check(Node node, Node query, String view) {
    if ("QUERY".equals(node.type())) {
      checkSortUnderLimit(node, view);
    }
    PgCollation input = collations.get(node.oid("inputcollid"));
    if (input != null && !input.ordersByCodePoint()) {
      Named ordering = switch (node.type()) {
        case "OPEXPR", "SCALARARRAYOPEXPR" -> operators.get(node.oid("opno"));
        case "AGGREF" -> aggregates.get(node.oid("aggfnoid"));
        case "WINDOWFUNC" -> aggregates.get(node.oid("winfnoid"));
        case "MINMAXEXPR" -> new Named("0".equals(node.scalar("op")) ? "greatest" : "least", true);
        default -> null;
      };
      if (ordering != null && ordering.ordering()) {
        uses.add(new TextCollationUse(TextCollationUse.Kind.ORDERING, ordering.name(),
            "AGGREF".equals(node.type()) || "WINDOWFUNC".equals(node.type()),
            firstArgColumn(node, query), input, view));
      }
    }
    if ("WINDOWCLAUSE".equals(node.type()) && query != null) {
      windowOrder(node, query, view);
    }
    if ("AGGREF".equals(node.type())) {
      orderInsideAggregate(node, query, view);
    }
    for (Map.Entry<String, Object> f : node.fields().entrySet()) {
      if (isCollationField(f.getKey()) && f.getValue() instanceof String s && !"0".equals(s)) {
        PgCollation c = collations.get(Long.parseLong(s));
        if (c != null && !c.deterministic()) {
          String column = "VAR".equals(node.type()) ? columnOf(node, query)
              : firstArgColumn(node, query);
          uses.add(new TextCollationUse(TextCollationUse.Kind.NON_DETERMINISTIC, null, false,
              column, c, view));
        }
      }
    }
  }

  /**
   * ORDER BY under LIMIT (or DISTINCT ON) decides which rows a query returns, so it orders text
   * like {@code <} does; an ORDER BY alone does not (a stream table is unordered) and is allowed.
   */
  private void checkSortUnderLimit(Node query, String view) {
    if (query.get("limitCount") == null && !"true".equals(query.scalar("hasDistinctOn"))) {
      return;
    }
    for (Object clause : query.list("sortClause")) {
      if (!(clause instanceof Node sort)) {
        continue;
      }
      for (Object entry : query.list("targetList")) {
        if (entry instanceof Node te && te.get("expr") != null
            && java.util.Objects.equals(te.scalar("ressortgroupref"), sort.scalar("tleSortGroupRef"))) {
          PgCollation c = collations.get(resultCollation(te.get("expr")));
          if (c != null && !c.ordersByCodePoint()) {
            uses.add(new TextCollationUse(TextCollationUse.Kind.ORDERING, "ORDER BY", false,
                te.scalar("resname"), c, view));
          }
        }
      }
    }
  }

  /** A window's ORDER BY orders text by the collation of each sort expression. */
  private void windowOrder(Node window, Node query, String view) {
    for (Object item : window.list("orderClause")) {
      if (!(item instanceof Node sort)) {
        continue;
      }
      for (Object t : query.list("targetList")) {
        if (t instanceof Node te && sort.scalar("tleSortGroupRef") != null
            && sort.scalar("tleSortGroupRef").equals(te.scalar("ressortgroupref"))
            && te.get("expr") != null) {
          PgCollation c = collations.get(exprCollation(te.get("expr")));
          if (c != null && !c.ordersByCodePoint()) {
            Node e = te.get("expr");
            uses.add(new TextCollationUse(TextCollationUse.Kind.ORDERING, "ORDER BY in a window",
                false, "VAR".equals(e.type()) ? columnOf(e, query) : null, c, view));
          }
        }
      }
    }
  }

  /** The collation an expression node produces ({@code varcollid}, {@code opcollid}, ...). */
  private static long resultCollation(Node expr) {
    for (Map.Entry<String, Object> f : expr.fields().entrySet()) {
      String name = f.getKey();
      if ((name.endsWith("collid") && !name.equals("inputcollid")) || name.equals("collOid")) {
        return f.getValue() instanceof String s ? Long.parseLong(s) : 0;
      }
    }
    return 0;
  }

  /** PostgreSQL's exprCollation for the usual top nodes of a sort expression. */
  private static long exprCollation(Node expr) {
    return switch (expr.type()) {
      case "VAR" -> expr.oid("varcollid");
      case "FUNCEXPR" -> expr.oid("funccollid");
      case "OPEXPR" -> expr.oid("opcollid");
      case "COLLATEEXPR" -> expr.oid("collOid");
      case "RELABELTYPE" -> expr.oid("resultcollid");
      case "CONST" -> expr.oid("constcollid");
      case "AGGREF" -> expr.oid("aggcollid");
      case "CASEEXPR" -> expr.oid("casecollid");
      case "COALESCEEXPR" -> expr.oid("coalescecollid");
      default -> 0;
    };
  }

  /**
   * {@code string_agg(x, ',' ORDER BY y)}: each ORDER BY key (a SortGroupClause naming one of the
   * aggregate's target entries) orders by its expression's own collation.
   */
  private void orderInsideAggregate(Node aggref, Node query, String view) {
    for (Object o : aggref.list("aggorder")) {
      if (!(o instanceof Node clause)) {
        continue;
      }
      String ref = clause.scalar("tleSortGroupRef");
      for (Object a : aggref.list("args")) {
        if (a instanceof Node te && ref != null && ref.equals(te.scalar("ressortgroupref"))
            && te.get("expr") != null) {
          PgCollation c = collations.get(resultCollation(te.get("expr")));
          if (c != null && !c.ordersByCodePoint()) {
            Named agg = aggregates.get(aggref.oid("aggfnoid"));
            uses.add(new TextCollationUse(TextCollationUse.Kind.ORDERING,
                agg != null ? agg.name() : "aggregate", true, firstArgColumn(aggref, query), c,
                view));
          }
        }
      }
    }
  }

  private static String firstArgColumn(Node node, Node query) {
    List<?> args = node.list("args");
    if (args.isEmpty()) {
      return null;
    }
    Object arg = args.get(0);
    while (arg instanceof Node n && !"VAR".equals(n.type())) {
      arg = switch (n.type()) {
        case "TARGETENTRY" -> n.get("expr");
        case "RELABELTYPE", "COLLATEEXPR" -> n.get("arg");
        default -> null;
      };
    }
    return arg instanceof Node var ? columnOf(var, query) : null;
  }

  /** The name of the column a Var reads, from the range table of its own query level. */
  private static String columnOf(Node var, Node query) {
    if (query == null || !"0".equals(var.scalar("varlevelsup")) || var.scalar("varno") == null
        || var.scalar("varattno") == null) {
      return null;
    }
    int rt = Integer.parseInt(var.scalar("varno"));
    int att = Integer.parseInt(var.scalar("varattno"));
    List<?> rtable = query.list("rtable");
    if (rt < 1 || rt > rtable.size() || att < 1 || !(rtable.get(rt - 1) instanceof Node rte)
        || rte.get("eref") == null) {
      return null;
    }
    List<?> names = rte.get("eref").list("colnames");
    return att <= names.size() && names.get(att - 1) instanceof String s ? s : null;
  }
}
