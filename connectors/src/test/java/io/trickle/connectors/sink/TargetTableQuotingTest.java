package io.trickle.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.sql.SqlIdentifiers;
import io.trickle.connectors.ddl.TargetTable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Names that are reserved words, mixed case or built to break out of SQL, as table and column
 * names of a target table, against a real PostgreSQL: the DDL creates exactly these names, and
 * the sink's upserts and deletes write them (issue 9, items 7 and 8).
 */
class TargetTableQuotingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ColumnType INT = ColumnType.of(ColumnType.Kind.INTEGER);
  private static final ColumnType TEXT = ColumnType.of(ColumnType.Kind.TEXT);
  /** Reserved words PostgreSQL refuses as bare column names, and names with quotes and case. */
  private static final List<String> NAMES = List.of("in", "on", "left", "join", "unique",
      "current_date", "user", "MixedCase", "a\"b", "x); DROP TABLE victim; --");

  private static EmbeddedPostgres postgres;
  private static Connection c;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    c = postgres.getPostgresDatabase().getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE victim (x int)");
      s.execute("INSERT INTO victim VALUES (1)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    c.close();
    postgres.close();
  }

  @Test
  void reservedAndHostileNamesAreCreatedAndWrittenExactly() throws Exception {
    for (RowKey key : List.of(RowKey.of(List.of(0)), RowKey.of(List.of(0, 1)))) {
      for (String table : List.of("MixedCase", "x; DROP TABLE victim; --", "select")) {
        String target = SqlIdentifiers.qualified("public", table);
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
          cols.add(new Column(NAMES.get(i), i == 0 ? INT : TEXT));
        }
        try (Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + target);
          s.execute(TargetTable.createSql(target, cols, key, TargetTable.serverVersionNum(c)));
        }
        assertThat(columnNames(table)).as("the columns of %s keep their exact names", table)
            .containsExactlyElementsOf(NAMES);

        TargetWriter w = new TargetWriter(c, target);
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
          row.put(NAMES.get(i), i == 0 ? 7 : "v" + i);
        }
        Map<String, Object> k = new LinkedHashMap<>();
        for (int i : key.columns()) {
          k.put(NAMES.get(i), row.get(NAMES.get(i)));
        }
        String keyJson = JSON.writeValueAsString(k);
        Map<String, TargetWriter.Change> changes = new LinkedHashMap<>();
        changes.put(keyJson, new TargetWriter.Change(JSON.readTree(keyJson),
            JSON.readTree(JSON.writeValueAsString(row))));
        w.apply(c, changes);
        assertThat(count(target)).as("the upsert into %s", table).isEqualTo(1);
        changes.put(keyJson, new TargetWriter.Change(JSON.readTree(keyJson), null));
        w.apply(c, changes);
        assertThat(count(target)).as("the delete from %s", table).isZero();
      }
    }
    assertThat(count("victim")).as("the victim table survives").isEqualTo(1);
  }

  private static List<String> columnNames(String table) throws Exception {
    List<String> names = new ArrayList<>();
    try (var ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass"
        + " AND attnum > 0 AND NOT attisdropped AND attname NOT LIKE '\\_\\_trickle\\_%' ORDER BY attnum")) {
      ps.setString(1, SqlIdentifiers.qualified("public", table));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private static long count(String table) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
