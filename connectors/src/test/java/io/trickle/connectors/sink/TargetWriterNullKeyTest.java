package io.trickle.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trickle.compiler.parse.PgCatalog;
import io.trickle.compiler.parse.PgRelation;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.RowKey;
import io.trickle.connectors.ddl.TargetTable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Target tables whose row key may hold NULLs (a NULL group), against a real PostgreSQL: exactly
 * one row per key including the NULL one, upserted and deleted like any other. Also the column
 * types whose text form the sink casts (uuid, jsonb), and array columns (the output topic's JSON
 * arrays), as values and as keys.
 */
class TargetWriterNullKeyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ColumnType TEXT = ColumnType.of(ColumnType.Kind.TEXT);
  private static final ColumnType INT = ColumnType.of(ColumnType.Kind.INTEGER);
  private static final ColumnType BIGINT = ColumnType.of(ColumnType.Kind.BIGINT);

  private static EmbeddedPostgres postgres;
  private static Connection c;
  private static int version;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    c = postgres.getPostgresDatabase().getConnection();
    version = TargetTable.serverVersionNum(c);
    assertThat(version).as("the embedded server must support NULLS NOT DISTINCT")
        .isGreaterThanOrEqualTo(TargetTable.NULLS_NOT_DISTINCT_SINCE);
  }

  @AfterAll
  static void stop() throws Exception {
    c.close();
    postgres.close();
  }

  @Test
  void aNullGroupIsOneRowThatIsUpsertedAndDeleted() throws Exception {
    String ddl = create("public.by_kind", List.of(new Column("kind", TEXT), new Column("c", BIGINT)),
        RowKey.of(List.of(0)), version);
    assertThat(ddl).as("no forced NOT NULL, a named unique key that treats NULLs as equal")
        .doesNotContain("NOT NULL").doesNotContain("PRIMARY KEY")
        .contains("CONSTRAINT \"by_kind_trickle_key\" UNIQUE NULLS NOT DISTINCT (\"kind\")");
    TargetWriter w = new TargetWriter(c, "public.by_kind");

    w.apply(c, changes(upsert("{\"kind\":null}", "{\"kind\":null,\"c\":1}"),
        upsert("{\"kind\":\"a\"}", "{\"kind\":\"a\",\"c\":5}")));
    assertThat(rows("public.by_kind")).as("insert of the NULL group and of a non-null group")
        .containsExactlyInAnyOrder("null|1", "a|5");

    w.apply(c, changes(upsert("{\"kind\":null}", "{\"kind\":null,\"c\":2}"),
        upsert("{\"kind\":\"a\"}", "{\"kind\":\"a\",\"c\":6}")));
    assertThat(rows("public.by_kind")).as("a second upsert of the NULL key updates its one row")
        .containsExactlyInAnyOrder("null|2", "a|6");

    w.apply(c, changes(delete("{\"kind\":null}")));
    assertThat(rows("public.by_kind")).as("a delete of the NULL key matches it with IS NULL")
        .containsExactly("a|6");

    w.apply(c, changes(delete("{\"kind\":\"a\"}"), upsert("{\"kind\":null}", "{\"kind\":null,\"c\":3}")));
    assertThat(rows("public.by_kind")).as("delete of a non-null key, re-insert of the NULL group")
        .containsExactly("null|3");
  }

  @Test
  void jsonArraysAreWrittenToArrayColumnsAndMatchedAsKeys() throws Exception {
    ColumnType ints = ColumnType.array(INT);
    ColumnType texts = ColumnType.array(TEXT);
    create("public.by_array", List.of(new Column("k", ints), new Column("names", texts)),
        RowKey.of(List.of(0)), version);
    TargetWriter w = new TargetWriter(c, "public.by_array");
    w.apply(c, changes(
        upsert("{\"k\":[1,null]}", "{\"k\":[1,null],\"names\":[\"a \\\"q\\\" b\",null,\"{x,y}\",\"\\\\\"]}"),
        upsert("{\"k\":[]}", "{\"k\":[],\"names\":null}")));
    assertThat(rows("public.by_array")).as("arrays with NULLs, quotes, braces and backslashes")
        .containsExactlyInAnyOrder("{1,NULL}|{\"a \\\"q\\\" b\",NULL,\"{x,y}\",\"\\\\\"}", "{}|null");
    w.apply(c, changes(upsert("{\"k\":[1,null]}", "{\"k\":[1,null],\"names\":[]}"),
        delete("{\"k\":[]}")));
    assertThat(rows("public.by_array")).as("an array key is upserted and deleted by equality")
        .containsExactly("{1,NULL}|{}");
  }

  @Test
  void compositeKeysMatchEachNullPatternOnItsOwn() throws Exception {
    create("public.by_pair", List.of(new Column("k1", TEXT), new Column("k2", INT), new Column("c", BIGINT)),
        RowKey.of(List.of(1, 0)), version);
    TargetWriter w = new TargetWriter(c, "public.by_pair");
    w.apply(c, changes(
        upsert("{\"k2\":null,\"k1\":null}", "{\"k1\":null,\"k2\":null,\"c\":1}"),
        upsert("{\"k2\":1,\"k1\":null}", "{\"k1\":null,\"k2\":1,\"c\":2}"),
        upsert("{\"k2\":null,\"k1\":\"x\"}", "{\"k1\":\"x\",\"k2\":null,\"c\":3}"),
        upsert("{\"k2\":1,\"k1\":\"x\"}", "{\"k1\":\"x\",\"k2\":1,\"c\":4}")));
    w.apply(c, changes(upsert("{\"k2\":1,\"k1\":null}", "{\"k1\":null,\"k2\":1,\"c\":20}")));
    assertThat(rows("public.by_pair")).as("four keys, one of them updated")
        .containsExactlyInAnyOrder("null|null|1", "null|1|20", "x|null|3", "x|1|4");

    w.apply(c, changes(delete("{\"k2\":null,\"k1\":\"x\"}"), delete("{\"k2\":1,\"k1\":null}")));
    assertThat(rows("public.by_pair")).as("each delete removes only its own key")
        .containsExactlyInAnyOrder("null|null|1", "x|1|4");
    w.apply(c, changes(delete("{\"k2\":null,\"k1\":null}"), delete("{\"k2\":1,\"k1\":\"x\"}")));
    assertThat(rows("public.by_pair")).as("all keys deleted").isEmpty();
  }

  @Test
  void beforePostgres15TheKeyIsAPrimaryKeyAndANullKeyIsAPermanentErrorNamingTheColumn() throws Exception {
    String ddl = create("public.by_kind_14", List.of(new Column("kind", TEXT), new Column("c", BIGINT)),
        RowKey.of(List.of(0)), 140010);
    assertThat(ddl).as("PostgreSQL 14 has no NULLS NOT DISTINCT: today's primary key")
        .contains("\"kind\" text NOT NULL").contains("PRIMARY KEY (\"kind\")").doesNotContain("UNIQUE");
    TargetWriter w = new TargetWriter(c, "public.by_kind_14");
    w.apply(c, changes(upsert("{\"kind\":\"a\"}", "{\"kind\":\"a\",\"c\":1}")));
    w.apply(c, changes(upsert("{\"kind\":\"a\"}", "{\"kind\":\"a\",\"c\":2}")));
    w.apply(c, changes(delete("{\"kind\":null}")));
    assertThat(rows("public.by_kind_14")).as("non-null keys work; deleting a NULL key matches nothing")
        .containsExactly("a|2");

    assertThatThrownBy(() -> w.apply(c, changes(upsert("{\"kind\":null}", "{\"kind\":null,\"c\":1}"))))
        .as("a NULL group cannot be stored under a primary key")
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("NULL in key column kind")
        .hasMessageContaining("PostgreSQL 15")
        .satisfies(e -> assertThat(SinkFailure.permanent(e)).as("not retried forever").isTrue());
  }

  /**
   * uuid and jsonb as the output topic carries them (text, as OutputRecords writes them) land in
   * uuid and jsonb columns: the key matches by uuid value, the jsonb is real jsonb.
   */
  @Test
  void uuidKeysAndJsonbValuesAreWrittenWithTheirTypes() throws Exception {
    ColumnType uuid = ColumnType.of(ColumnType.Kind.UUID);
    ColumnType jsonb = ColumnType.of(ColumnType.Kind.JSONB);
    assertThat(create("public.docs_by_id", List.of(new Column("id", uuid), new Column("doc", jsonb)),
        RowKey.of(List.of(0)), version)).as("target column types").contains("\"id\" uuid")
        .contains("\"doc\" jsonb");
    TargetWriter w = new TargetWriter(c, "public.docs_by_id");
    String id = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    w.apply(c, changes(upsert("{\"id\":\"" + id + "\"}",
        "{\"id\":\"" + id + "\",\"doc\":\"{\\\"a\\\": [1, 2.50], \\\"é\\\": null}\"}")));
    assertThat(rows("public.docs_by_id")).as("uuid and jsonb inserted")
        .containsExactly(id + "|{\"a\": [1, 2.50], \"é\": null}");
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT jsonb_typeof(doc), doc -> 'a' ->> 1 FROM public.docs_by_id")) {
      rs.next();
      assertThat(rs.getString(1) + " " + rs.getString(2)).as("a jsonb object, not a string")
          .isEqualTo("object 2.50");
    }
    w.apply(c, changes(upsert("{\"id\":\"" + id + "\"}", "{\"id\":\"" + id + "\",\"doc\":\"\\\"s\\\"\"}")));
    assertThat(rows("public.docs_by_id")).as("update by uuid key").containsExactly(id + "|\"s\"");
    w.apply(c, changes(delete("{\"id\":\"" + id + "\"}")));
    assertThat(rows("public.docs_by_id")).as("delete by uuid key").isEmpty();
  }

  @Test
  void postgresOwnConstraintErrorsArePermanentAndKeepTheirMessage() throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.checked (id integer PRIMARY KEY, v integer CHECK (v > 0))");
    }
    TargetWriter w = new TargetWriter(c, "public.checked");
    assertThatThrownBy(() -> w.apply(c, changes(upsert("{\"id\":1}", "{\"id\":1,\"v\":-1}"))))
        .satisfies(e -> assertThat(SinkFailure.permanent(e)).as("a check violation is permanent").isTrue())
        .satisfies(e -> assertThat(SinkFailure.message(e)).as("PostgreSQL's message, not the batch wrapper")
            .contains("checked_v_check").doesNotContain("Batch entry"));
    assertThat(SinkFailure.permanent(new SQLException("connection lost", "08006")))
        .as("a lost connection is retried").isFalse();
  }

  @Test
  void rowHashAndSingleRowTargetsKeepTheirPrimaryKey() throws Exception {
    List<Column> cols = List.of(new Column("kind", TEXT));
    assertThat(create("public.hashed", cols, RowKey.ROW_HASH, version))
        .contains("PRIMARY KEY (__trickle_key)").contains("\"kind\" text,").doesNotContain("__trickle_count");
    TargetWriter h = new TargetWriter(c, "public.hashed");
    h.apply(c, changes(upsert("{\"__trickle_key\":\"00ff:1\"}", "{\"kind\":null}"),
        upsert("{\"__trickle_key\":\"00ff:2\"}", "{\"kind\":null}")));
    h.apply(c, changes(upsert("{\"__trickle_key\":\"00ff:2\"}", "{\"kind\":null}")));
    assertThat(rows("public.hashed")).as("one target row per copy, by hash and ordinal")
        .containsExactly("00ff:1|null", "00ff:2|null");
    h.apply(c, changes(delete("{\"__trickle_key\":\"00ff:2\"}")));
    assertThat(rows("public.hashed")).as("a copy's tombstone deletes that copy").containsExactly("00ff:1|null");

    assertThat(create("public.single", cols, RowKey.SINGLE_ROW, version)).contains("PRIMARY KEY (__trickle_key)");
    TargetWriter s = new TargetWriter(c, "public.single");
    s.apply(c, changes(upsert("{}", "{\"kind\":null}")));
    s.apply(c, changes(upsert("{}", "{\"kind\":\"b\"}")));
    assertThat(rows("public.single")).as("single-row upsert").containsExactly("1|b");
    s.apply(c, changes(delete("{}")));
    assertThat(rows("public.single")).as("single-row delete").isEmpty();
  }

  @Test
  void theCompilerSeesTheUniqueKeyOfATargetTableAsItsKey() throws Exception {
    create("public.upstream_kinds", List.of(new Column("c", BIGINT), new Column("kind", TEXT)),
        RowKey.of(List.of(1)), version);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.plain_unique (kind text, CONSTRAINT plain_unique_kind_key"
          + " UNIQUE NULLS NOT DISTINCT (kind))");
    }
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (PgRelation r : PgCatalog.read(c).relations()) {
      keys.put(r.qualifiedName(), r.primaryKey());
    }
    assertThat(keys.get("public.upstream_kinds")).as("a target table's unique key is its key")
        .containsExactly("kind");
    assertThat(keys.get("public.plain_unique")).as("a user table's unique index is not a key")
        .isEmpty();
  }

  @Test
  void constraintNamesAreDeterministicAndFitPostgresIdentifiers() {
    String longName = "public." + "x".repeat(70);
    String name = TargetTable.keyConstraintName(longName);
    assertThat(name).as("cut to 63 bytes, still ending in the recognised suffix")
        .hasSizeLessThanOrEqualTo(63).endsWith(TargetTable.KEY_CONSTRAINT_SUFFIX)
        .isEqualTo(TargetTable.keyConstraintName(longName))
        .isNotEqualTo(TargetTable.keyConstraintName(longName + "y"));
    assertThat(TargetTable.keyConstraintName("\"My.Schema\".\"Odd \"\"T\"")).as("quotes are removed")
        .isEqualTo("Odd \"T_trickle_key");
  }

  private static String create(String table, List<Column> cols, RowKey key, int serverVersion)
      throws SQLException {
    String ddl = TargetTable.createSql(table, cols, key, serverVersion);
    try (Statement s = c.createStatement()) {
      s.execute(ddl);
    }
    return ddl;
  }

  private static TargetWriter.Change upsert(String key, String value) throws Exception {
    return new TargetWriter.Change(JSON.readTree(key), JSON.readTree(value));
  }

  private static TargetWriter.Change delete(String key) throws Exception {
    return new TargetWriter.Change(JSON.readTree(key), null);
  }

  private static Map<String, TargetWriter.Change> changes(TargetWriter.Change... cs) {
    Map<String, TargetWriter.Change> m = new LinkedHashMap<>();
    for (TargetWriter.Change ch : cs) {
      m.put(ch.key().toString(), ch);
    }
    return m;
  }

  /** Every row as its columns joined by '|', in table column order. */
  private static List<String> rows(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        out.add(sb.toString());
      }
    }
    return out;
  }
}
