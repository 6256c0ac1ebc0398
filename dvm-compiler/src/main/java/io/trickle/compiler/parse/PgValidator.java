package io.trickle.compiler.parse;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.plan.SqlPos;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Lets PostgreSQL itself check a defining query: it is created as a temporary view inside a
 * transaction that is always rolled back, so nothing is left behind. PostgreSQL's errors come
 * back with their own message and a position mapped into the definitions file.
 *
 * <p>Function volatility is read from the view's dependencies ({@code pg_depend} of its rewrite
 * rule, following views it reads), so it checks the overloads PostgreSQL actually resolved, not
 * every function sharing a name.
 */
public final class PgValidator {
  static final String VIEW = "__trickle_check";
  private static final String PREFIX = "CREATE TEMP VIEW " + VIEW + " AS ";
  private static final Pattern DUPLICATE = Pattern.compile("column \"(.*)\" specified more than once");

  private static final String OUTPUT_COLUMNS = """
      select a.attname, t.typname, a.atttypmod, pg_catalog.format_type(a.atttypid, a.atttypmod)
      from pg_catalog.pg_attribute a join pg_catalog.pg_type t on t.oid = a.atttypid
      where a.attrelid = 'pg_temp.__trickle_check'::regclass and a.attnum > 0
      order by a.attnum""";

  private static final String FUNCTIONS = """
      with recursive views(oid) as (
        select 'pg_temp.__trickle_check'::regclass::oid
        union
        select d.refobjid
        from views
          join pg_catalog.pg_rewrite r on r.ev_class = views.oid
          join pg_catalog.pg_depend d
            on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = r.oid
          join pg_catalog.pg_class c
            on d.refclassid = 'pg_catalog.pg_class'::regclass and c.oid = d.refobjid
        where c.relkind = 'v'
      ), refs as (
        select d.refclassid, d.refobjid
        from views
          join pg_catalog.pg_rewrite r on r.ev_class = views.oid
          join pg_catalog.pg_depend d
            on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = r.oid
      )
      select p.proname, p.proname || '()', p.provolatile
      from refs join pg_catalog.pg_proc p
        on refs.refclassid = 'pg_catalog.pg_proc'::regclass and p.oid = refs.refobjid
      where p.provolatile <> 'i'
      union
      select o.oprname, 'operator ' || o.oprname || ' (' || p.proname || ')', p.provolatile
      from refs join pg_catalog.pg_operator o
          on refs.refclassid = 'pg_catalog.pg_operator'::regclass and o.oid = refs.refobjid
        join pg_catalog.pg_proc p on p.oid = o.oprcode
      where p.provolatile <> 'i'
      order by 2""";

  private PgValidator() {}

  /**
   * @param duplicatePos where the second output column of a given name is, for that error
   */
  public static PgValidation validate(Connection pg, StreamTableDefinition def,
      Function<String, SqlPos> duplicatePos) {
    try {
      boolean autoCommit = pg.getAutoCommit();
      Savepoint savepoint = null;
      if (autoCommit) {
        pg.setAutoCommit(false);
      } else {
        savepoint = pg.setSavepoint();
      }
      try {
        return check(pg, def, duplicatePos);
      } finally {
        if (autoCommit) {
          pg.rollback();
          pg.setAutoCommit(true);
        } else {
          pg.rollback(savepoint);
        }
      }
    } catch (SQLException e) {
      throw new CompileException(SqlPos.UNKNOWN,
          "cannot validate the query with PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static PgValidation check(Connection pg, StreamTableDefinition def,
      Function<String, SqlPos> duplicatePos) throws SQLException {
    try (Statement st = pg.createStatement()) {
      st.execute(PREFIX + def.selectSql());
    } catch (PSQLException e) {
      throw translate(e, def, duplicatePos);
    }
    List<PgOutputColumn> columns = new ArrayList<>();
    try (PreparedStatement st = pg.prepareStatement(OUTPUT_COLUMNS); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        String pgType = rs.getString(4);
        columns.add(new PgOutputColumn(rs.getString(1), pgType,
            PgTypes.of(rs.getString(2), rs.getInt(3), pgType)));
      }
    }
    List<PgValidation.NonImmutableFunction> functions = new ArrayList<>();
    try (PreparedStatement st = pg.prepareStatement(FUNCTIONS); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        functions.add(new PgValidation.NonImmutableFunction(
            rs.getString(1), rs.getString(2), rs.getString(3).charAt(0)));
      }
    }
    return new PgValidation(columns, functions);
  }

  private static CompileException translate(PSQLException e, StreamTableDefinition def,
      Function<String, SqlPos> duplicatePos) {
    ServerErrorMessage server = e.getServerErrorMessage();
    String message = server != null && server.getMessage() != null ? server.getMessage()
        : e.getMessage();
    Matcher dup = DUPLICATE.matcher(message);
    if ("42701".equals(e.getSQLState()) && dup.matches()) {
      String name = dup.group(1);
      return new CompileException(duplicatePos.apply(name),
          "output column " + name + " appears twice; give each column a distinct alias", e);
    }
    SqlPos pos = def.start();
    if (server != null && server.getPosition() > 0) {
      pos = def.filePosOfOffset(server.getPosition() - 1 - PREFIX.length());
    }
    String hint = server != null && server.getHint() != null ? " (" + server.getHint() + ")" : "";
    return new CompileException(pos, "PostgreSQL rejects the query: " + message + hint, e);
  }
}
