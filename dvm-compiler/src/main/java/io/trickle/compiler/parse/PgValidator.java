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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.trickle.compiler.sql.SingleStatement;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.PreferQueryMode;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Lets PostgreSQL itself check a defining query: it is created as a temporary view inside a
 * transaction that is always rolled back, so nothing is left behind. The text can only ever run
 * as that one statement: text that pgjdbc would split into several is refused, and the rest goes
 * as one extended-protocol Parse, in which PostgreSQL itself refuses a second command. PostgreSQL's errors come
 * back with their own message and a position mapped into the definitions file.
 *
 * <p>Function volatility is read from the view's stored query tree (and those of the views it
 * reads), so it checks the overloads PostgreSQL actually resolved, not every function sharing a
 * name. Casts done through type I/O functions (CoerceViaIO) name no function there; the
 * translator rejects the time-zone-dependent ones itself.
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

  /** The stored query trees of the check view and of every view it reads, transitively. */
  private static final String RULE_TREES = """
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
      )
      select case when views.oid <> 'pg_temp.__trickle_check'::regclass::oid
                  then (select c.relname from pg_catalog.pg_class c where c.oid = views.oid) end,
             r.ev_action::text
      from views join pg_catalog.pg_rewrite r on r.ev_class = views.oid""";

  private static final String FUNCTIONS = """
      select p.proname, p.proname || '()', p.provolatile, p.proname as proc,
             pg_catalog.oidvectortypes(p.proargtypes) as args
      from pg_catalog.pg_proc p
      where p.oid = any(?) and p.provolatile <> 'i'
      union
      select o.oprname, 'operator ' || o.oprname || ' (' || p.proname || ')', p.provolatile,
             p.proname, pg_catalog.oidvectortypes(p.proargtypes)
      from pg_catalog.pg_operator o join pg_catalog.pg_proc p on p.oid = o.oprcode
      where o.oid = any(?) and p.provolatile <> 'i'
      order by 2""";

  /** Function references in a stored query tree (pg_node_tree text). */
  private static final Pattern FUNCTION_ID =
      Pattern.compile(":(?:funcid|opfuncid|aggfnoid|winfnoid) (\\d+)");
  private static final Pattern OPERATOR_ID = Pattern.compile(":opno (\\d+)");

  private PgValidator() {}

  /**
   * @param duplicatePos where the second output column of a given name is, for that error
   */
  public static PgValidation validate(Connection pg, StreamTableDefinition def,
      Function<String, SqlPos> duplicatePos) {
    return validate(pg, def, duplicatePos, null);
  }

  /**
   * @param timeZone the TimeZone to validate in (set for the rolled-back transaction only), or
   *     null for the session's own
   */
  public static PgValidation validate(Connection pg, StreamTableDefinition def,
      Function<String, SqlPos> duplicatePos, String timeZone) {
    try {
      boolean autoCommit = pg.getAutoCommit();
      Savepoint savepoint = null;
      if (autoCommit) {
        pg.setAutoCommit(false);
      } else {
        savepoint = pg.setSavepoint();
      }
      try {
        if (timeZone != null) {
          setTimeZone(pg, def, timeZone);
        }
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

  private static void setTimeZone(Connection pg, StreamTableDefinition def, String timeZone)
      throws SQLException {
    Savepoint before = pg.setSavepoint();
    try (PreparedStatement st = pg.prepareStatement(
        "select pg_catalog.set_config('TimeZone', ?, true)")) {
      st.setString(1, timeZone);
      st.execute();
    } catch (PSQLException e) {
      pg.rollback(before);
      throw new CompileException(def.start(), "PostgreSQL does not know the time zone '"
          + timeZone + "': " + (e.getServerErrorMessage() == null ? e.getMessage()
          : e.getServerErrorMessage().getMessage()));
    }
  }

  /** The session's TimeZone setting (pgjdbc sets it to the JVM's zone when it connects). */
  public static String sessionTimeZone(Connection pg) {
    try (Statement st = pg.createStatement();
        ResultSet rs = st.executeQuery("select pg_catalog.current_setting('TimeZone')")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new CompileException(SqlPos.UNKNOWN, "cannot read the TimeZone setting: "
          + e.getMessage(), e);
    }
  }

  private static PgValidation check(Connection pg, StreamTableDefinition def,
      Function<String, SqlPos> duplicatePos) throws SQLException {
    String sql = PREFIX + def.selectSql();
    if (SingleStatement.isMultiple(pg, sql)) {
      throw new CompileException(def.start(), "the query holds more than one SQL statement (a ';'"
          + " outside strings, quoted names and comments); a stream table is defined by one SELECT");
    }
    requireExtendedProtocol(pg);
    try (Statement st = pg.createStatement()) {
      // Sent verbatim (no JDBC escape processing) as one extended-protocol Parse: PostgreSQL
      // refuses a Parse that holds more than one command, whatever our lexers think of the text.
      st.setEscapeProcessing(false);
      st.execute(sql);
    } catch (PSQLException e) {
      throw translate(e, def, duplicatePos);
    }
    List<PgOutputColumn> columns = new ArrayList<>();
    try (PreparedStatement st = pg.prepareStatement(OUTPUT_COLUMNS); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        String pgType = rs.getString(4);
        columns.add(new PgOutputColumn(rs.getString(1), pgType,
            PgTypes.ofOutput(rs.getString(2), rs.getInt(3), pgType)));
      }
    }
    List<TextCollations.Tree> trees = new ArrayList<>();
    try (PreparedStatement st = pg.prepareStatement(RULE_TREES); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        trees.add(new TextCollations.Tree(rs.getString(1), rs.getString(2)));
      }
    }
    return new PgValidation(columns, nonImmutableFunctions(pg, trees),
        TextCollations.find(pg, trees));
  }

  /**
   * Built-in functions are pinned, so pg_depend does not list them; the stored query trees do.
   * Reading the trees checks exactly the overloads PostgreSQL resolved.
   */
  private static List<PgValidation.NonImmutableFunction> nonImmutableFunctions(Connection pg,
      List<TextCollations.Tree> trees) throws SQLException {
    Set<Long> functionIds = new TreeSet<>();
    Set<Long> operatorIds = new TreeSet<>();
    for (TextCollations.Tree tree : trees) {
      collect(FUNCTION_ID.matcher(tree.text()), functionIds);
      collect(OPERATOR_ID.matcher(tree.text()), operatorIds);
    }
    List<PgValidation.NonImmutableFunction> functions = new ArrayList<>();
    try (PreparedStatement st = pg.prepareStatement(FUNCTIONS)) {
      st.setArray(1, pg.createArrayOf("oid", functionIds.toArray()));
      st.setArray(2, pg.createArrayOf("oid", operatorIds.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          functions.add(new PgValidation.NonImmutableFunction(rs.getString(1),
              rs.getString(2), rs.getString(3).charAt(0), rs.getString(4), rs.getString(5)));
        }
      }
    }
    return functions;
  }

  private static void collect(Matcher m, Set<Long> into) {
    while (m.find()) {
      long id = Long.parseLong(m.group(1));
      if (id != 0) {
        into.add(id);
      }
    }
  }

  /**
   * With {@code preferQueryMode=simple} (or {@code extendedForPrepared}, for a plain statement)
   * pgjdbc sends text in a simple Query message, in which PostgreSQL runs every statement it finds.
   */
  private static void requireExtendedProtocol(Connection pg) throws SQLException {
    PreferQueryMode mode = pg.unwrap(PGConnection.class).getPreferQueryMode();
    if (mode == PreferQueryMode.SIMPLE || mode == PreferQueryMode.EXTENDED_FOR_PREPARED) {
      throw new CompileException(SqlPos.UNKNOWN, "the JDBC URL sets preferQueryMode="
          + mode.value() + ", which sends query text with PostgreSQL's simple protocol; trickle"
          + " validates defining queries only over the extended protocol (one statement per"
          + " message): remove preferQueryMode from the URL");
    }
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
