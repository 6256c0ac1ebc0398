package io.trickle.compiler.parse;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.plan.SqlPos;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the tables and views of a PostgreSQL database: every user schema, plus which relations
 * are visible unqualified through the current {@code search_path}. Read once per compilation, so
 * a handful of catalog queries regardless of query size.
 */
public final class PgCatalog {
  private static final String RELATIONS = """
      select c.oid, n.nspname, c.relname, c.relkind, c.relreplident,
             pg_catalog.pg_table_is_visible(c.oid) as visible,
             case when c.relkind = 'v' then pg_catalog.pg_get_viewdef(c.oid) end as viewdef
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
      order by n.nspname, c.relname""";

  private static final String COLUMNS = """
      select a.attrelid, a.attname, t.typname, a.atttypmod,
             pg_catalog.format_type(a.atttypid, a.atttypmod) as pgtype, a.attnotnull
      from pg_catalog.pg_attribute a join pg_catalog.pg_type t on t.oid = a.atttypid
      where a.attrelid = any(?) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum""";

  private static final String PRIMARY_KEYS = """
      select i.indrelid, a.attname
      from pg_catalog.pg_index i
        cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
        join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indisprimary and i.indrelid = any(?)
      order by i.indrelid, k.ord""";

  /**
   * PostgreSQL 15+: the primary key, else the UNIQUE NULLS NOT DISTINCT key that a stream table's
   * target table has when its row key may hold NULLs (its name ends in {@code _trickle_key}), so a
   * stream table reading that target table sees the same key.
   */
  private static final String KEYS_NULLS_NOT_DISTINCT = """
      select i.indrelid, a.attname
      from pg_catalog.pg_index i
        cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
        join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indrelid = any(?)
        and i.indexrelid = (select j.indexrelid from pg_catalog.pg_index j
            join pg_catalog.pg_class jc on jc.oid = j.indexrelid
            where j.indrelid = i.indrelid
              and (j.indisprimary or (j.indisunique and j.indnullsnotdistinct
                and jc.relname like '%\\_trickle\\_key'))
            order by j.indisprimary desc, j.indexrelid limit 1)
      order by i.indrelid, k.ord""";

  private final List<PgRelation> relations;
  private final List<PgRelation> visible;

  private PgCatalog(List<PgRelation> relations, List<PgRelation> visible) {
    this.relations = relations;
    this.visible = visible;
  }

  public static PgCatalog read(Connection pg) {
    try {
      Map<Long, Object[]> rels = new LinkedHashMap<>();
      try (PreparedStatement st = pg.prepareStatement(RELATIONS); ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rels.put(rs.getLong(1), new Object[] {rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getBoolean(6), rs.getString(7)});
        }
      }
      Long[] oids = rels.keySet().toArray(Long[]::new);
      Map<Long, List<PgColumn>> columns = new HashMap<>();
      Map<Long, List<String>> keys = new HashMap<>();
      Array oidArray = pg.createArrayOf("oid", oids);
      try (PreparedStatement st = pg.prepareStatement(COLUMNS)) {
        st.setArray(1, oidArray);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            String pgType = rs.getString(5);
            columns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new PgColumn(
                rs.getString(2), pgType, rs.getString(3),
                PgTypes.of(rs.getString(3), rs.getInt(4), pgType), rs.getBoolean(6)));
          }
        }
      }
      boolean nullsNotDistinct = pg.getMetaData().getDatabaseMajorVersion() >= 15;
      try (PreparedStatement st = pg.prepareStatement(nullsNotDistinct ? KEYS_NULLS_NOT_DISTINCT : PRIMARY_KEYS)) {
        st.setArray(1, oidArray);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            keys.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
          }
        }
      }
      List<PgRelation> all = new ArrayList<>();
      List<PgRelation> visible = new ArrayList<>();
      for (Map.Entry<Long, Object[]> e : rels.entrySet()) {
        Object[] r = e.getValue();
        boolean view = "v".equals(r[2]);
        PgRelation rel = new PgRelation((String) r[0], (String) r[1],
            view ? PgRelation.Kind.VIEW : PgRelation.Kind.TABLE, "f".equals(r[3]),
            columns.getOrDefault(e.getKey(), List.of()), keys.getOrDefault(e.getKey(), List.of()),
            view ? (String) r[5] : null);
        all.add(rel);
        if ((Boolean) r[4]) {
          visible.add(rel);
        }
      }
      return new PgCatalog(List.copyOf(all), List.copyOf(visible));
    } catch (SQLException e) {
      throw new CompileException(SqlPos.UNKNOWN,
          "cannot read the PostgreSQL catalog: " + e.getMessage(), e);
    }
  }

  /** Every table and view in a user schema. */
  public List<PgRelation> relations() {
    return relations;
  }

  /** Relations a query may name without a schema (first match on the search_path). */
  public List<PgRelation> visible() {
    return visible;
  }
}
