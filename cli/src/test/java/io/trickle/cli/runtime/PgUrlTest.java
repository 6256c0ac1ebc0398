package io.trickle.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --pg} parsing: pgjdbc's parser, and a password that never shows in the URL or a message. */
class PgUrlTest {
  private static final String PGPASSFILE_PROPERTY = "org.postgresql.pgpassfile";
  private static final UnaryOperator<String> NO_ENV = name -> null;

  @TempDir
  Path dir;
  private String savedPgpass;

  @BeforeEach
  void noPgpass() throws Exception {
    // pgjdbc reads this property before PGPASSFILE and ~/.pgpass: point it at an empty file.
    savedPgpass = System.getProperty(PGPASSFILE_PROPERTY);
    Path empty = Files.writeString(dir.resolve("empty.pgpass"), "");
    System.setProperty(PGPASSFILE_PROPERTY, empty.toString());
  }

  @AfterEach
  void restorePgpass() {
    if (savedPgpass == null) {
      System.clearProperty(PGPASSFILE_PROPERTY);
    } else {
      System.setProperty(PGPASSFILE_PROPERTY, savedPgpass);
    }
  }

  private static PgUrl parse(String url) {
    return PgUrl.parse(url, null, NO_ENV);
  }

  @Test
  void aHostWithAnUnderscoreIsKept() {
    PgUrl u = parse("jdbc:postgresql://db_primary.internal:6543/shop?user=app");
    assertThat(u.host()).as("host").isEqualTo("db_primary.internal");
    assertThat(u.port()).as("port").isEqualTo(6543);
    assertThat(u.database()).as("database").isEqualTo("shop");
    assertThat(u.user()).as("user").isEqualTo("app");
  }

  @Test
  void anIpv6HostKeepsItsBrackets() {
    PgUrl u = parse("jdbc:postgresql://[::1]:5433/shop?user=app");
    assertThat(u.host()).as("host, as Debezium puts it into its own JDBC URL").isEqualTo("[::1]");
    assertThat(u.port()).as("port").isEqualTo(5433);
  }

  @Test
  void aMissingPortIs5432AndAMissingUserComesFromPguser() {
    PgUrl u = PgUrl.parse("jdbc:postgresql://db.example.com/shop", null, Map.of("PGUSER", "alice")::get);
    assertThat(u.port()).as("port").isEqualTo(5432);
    assertThat(u.user()).as("user").isEqualTo("alice");
    assertThat(u.jdbcUrl()).as("URL").isEqualTo("jdbc:postgresql://db.example.com/shop?user=alice");
    assertThat(u.hasPassword()).as("password").isFalse();
    assertThat(u.connectPassword()).as("what connectors get without a password").isEmpty();
  }

  @Test
  void severalHostsAreRefusedNamingWhy() {
    assertThatThrownBy(() -> parse("jdbc:postgresql://pg1:5432,pg2:5432/shop?user=app&password=s3cret"))
        .as("a multi-host URL").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("several hosts").hasMessageContaining("Debezium")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aUrlEncodedPasswordIsDecodedAndTakenOutOfTheUrl() {
    PgUrl u = parse("jdbc:postgresql://db/shop?user=app&password=p%40ss%26w%3Drd&sslmode=disable");
    assertThat(u.password()).as("decoded password").isEqualTo("p@ss&w=rd");
    assertThat(u.passwordSource()).as("source").isEqualTo(PgUrl.PasswordSource.URL);
    assertThat(u.jdbcUrl()).as("URL without the password")
        .isEqualTo("jdbc:postgresql://db/shop?user=app&sslmode=disable");
    assertThat(u.toString()).as("toString").doesNotContain("p%40ss").doesNotContain("p@ss");
  }

  @Test
  void aBadPrefixIsRefusedWithoutEchoingThePassword() {
    assertThatThrownBy(() -> parse("postgres://app:s3cret@db:5432/shop"))
        .as("a libpq URI").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:postgresql:").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> parse("jdbc:postgresql://app:s3cret@db:5432/shop"))
        .as("user:password@host").isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> parse("jdbc:postgresql://db:notaport/shop?password=s3cret"))
        .as("a bad port").isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> parse("jdbc:postgresql://db/shop?password=s3cret%zz"))
        .as("a badly encoded password").isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void thePasswordComesFromTheFileThenTheUrlThenPgpasswordThenPgpass() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from-file\nsecond line\n");
    UnaryOperator<String> env = Map.of("PGPASSWORD", "from-env")::get;
    PgUrl fromFile = PgUrl.parse("jdbc:postgresql://db/shop?user=app", file, env);
    assertThat(fromFile.password()).as("--pg-password-file: its first line").isEqualTo("from-file");
    assertThat(fromFile.passwordSource()).as("source").isEqualTo(PgUrl.PasswordSource.PASSWORD_FILE);
    assertThatThrownBy(() -> PgUrl.parse("jdbc:postgresql://db/shop?user=app&password=x", file, env))
        .as("two passwords").hasMessageContaining("one way");

    PgUrl fromEnv = PgUrl.parse("jdbc:postgresql://db/shop?user=app", null, env);
    assertThat(fromEnv.password()).as("PGPASSWORD").isEqualTo("from-env");
    assertThat(fromEnv.connectPassword()).as("connectors refer to the variable").isEqualTo("${env:PGPASSWORD}");

    Path pgpass = Files.writeString(dir.resolve("pgpass"), "other:5432:*:app:wrong\ndb:5432:shop:app:from-pgpass\n");
    System.setProperty(PGPASSFILE_PROPERTY, pgpass.toString());
    PgUrl fromPgpass = parse("jdbc:postgresql://db/shop?user=app");
    assertThat(fromPgpass.password()).as("pgpass, through pgjdbc's parser").isEqualTo("from-pgpass");
    assertThat(fromPgpass.passwordSource()).as("source").isEqualTo(PgUrl.PasswordSource.PGPASS);
    assertThat(PgUrl.parse("jdbc:postgresql://db/shop", null, Map.of("PGUSER", "app")::get).password())
        .as("pgpass for a user from PGUSER").isEqualTo("from-pgpass");
    assertThat(parse("jdbc:postgresql://db/shop?user=app&password=").password())
        .as("an empty password parameter is no password; pgpass applies").isEqualTo("from-pgpass");
    assertThat(PgUrl.parse("jdbc:postgresql://db/shop?user=app", null, env).password())
        .as("PGPASSWORD before pgpass").isEqualTo("from-env");
    assertThatThrownBy(fromPgpass::connectPassword).as("a pgpass password has no reference until one is written")
        .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("from-pgpass");
  }

  @Test
  void anEmptyOrMissingPasswordFileIsRefusedByName() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> PgUrl.parse("jdbc:postgresql://db/shop", empty, NO_ENV))
        .as("empty file").hasMessageContaining(empty.toString()).hasMessageContaining("empty");
    assertThatThrownBy(() -> PgUrl.parse("jdbc:postgresql://db/shop", dir.resolve("missing"), NO_ENV))
        .as("missing file").hasMessageContaining("missing");
  }

  @Test
  void connectPasswordStaysInMemoryForTheEmbeddedWorkerAndIsNeverWritten() throws Exception {
    PgUrl u = parse("jdbc:postgresql://db/shop?user=app&password=s3cret");
    java.util.List<Path> before;
    try (var files = Files.walk(dir)) {
      before = files.filter(Files::isRegularFile).toList();
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    PgUrl embedded = ConnectPassword.resolve(u, null, false, print);
    assertThat(embedded.connectPassword()).as("embedded worker: an in-process reference")
        .isEqualTo("${trickle:postgres-shop}");
    try (io.trickle.connectors.secrets.InProcessSecrets provider = new io.trickle.connectors.secrets.InProcessSecrets()) {
      assertThat(provider.get("", java.util.Set.of("postgres-shop")).data()).as("what the worker resolves")
          .containsEntry("postgres-shop", "s3cret");
    }
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).toList()).as("files written").isEqualTo(before);
    }
    assertThatThrownBy(() -> ConnectPassword.resolve(u, null, true, print))
        .as("external worker, password from the URL: no way to hand it over without storing it")
        .hasMessageContaining("--connect-password-ref").hasMessageNotContaining("s3cret");
    PgUrl fromEnv = PgUrl.parse("jdbc:postgresql://db/shop?user=app", null,
        name -> "PGPASSWORD".equals(name) ? "s3cret" : null);
    assertThat(ConnectPassword.resolve(fromEnv, null, true, print).connectPassword())
        .as("external worker, PGPASSWORD").isEqualTo("${env:PGPASSWORD}");
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).as("the note for an external worker")
        .contains("${env:PGPASSWORD}").doesNotContain("s3cret");
    assertThatThrownBy(() -> ConnectPassword.resolve(u, "s3cret", true, print))
        .as("--connect-password-ref must be a reference").hasMessageNotContaining("s3cret");
    assertThat(ConnectPassword.resolve(u, "${env:TRICKLE_PG_PASSWORD}", false, print).connectPassword())
        .as("an explicit reference").isEqualTo("${env:TRICKLE_PG_PASSWORD}");
  }
}
