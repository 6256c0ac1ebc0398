package io.trickle.cli.runtime;

import io.trickle.connectors.secrets.SecretReferences;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.postgresql.Driver;
import org.postgresql.jdbcurlresolver.PgPassParser;

/**
 * The {@code --pg} JDBC URL taken apart by pgjdbc's own parser ({@link Driver#parseURL}), because
 * Debezium wants host, port, database and user as separate settings, and the password kept apart
 * from everything that is printed or stored.
 *
 * <p>{@link #jdbcUrl()} never holds the password: it is safe to print and to put into connector
 * configs. Connect with {@link #connect()}. The password comes, in this order, from
 * {@code --pg-password-file}, the URL's {@code password} parameter (discouraged: command lines
 * are visible to other users), {@code PGPASSWORD}, or the files pgjdbc reads (the service file
 * of a {@code service} parameter; {@code PGPASSFILE}, else {@code ~/.pgpass}). The user comes from the URL's {@code user}
 * parameter, else {@code PGUSER}, else {@code postgres}. No message of this class repeats the
 * given URL, since it may hold a password.
 */
public final class PgUrl {
  /** Where the password came from, for messages (never the password itself). */
  public enum PasswordSource {
    NONE("no password"), PASSWORD_FILE("--pg-password-file"), URL("the password parameter of --pg"),
    PGPASSWORD("PGPASSWORD"), PGPASS("the password file (PGPASSFILE or ~/.pgpass) or the service file");

    private final String description;

    PasswordSource(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private static final String PREFIX = "jdbc:postgresql:";

  private final String jdbcUrl;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final PasswordSource passwordSource;
  private final String connectPassword;

  private PgUrl(String jdbcUrl, String host, int port, String database, String user, String password,
      PasswordSource passwordSource, String connectPassword) {
    this.jdbcUrl = jdbcUrl;
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.passwordSource = passwordSource;
    this.connectPassword = connectPassword;
  }

  /** Parses {@code jdbcUrl}, with the password from the URL, PGPASSWORD or the pgpass file. */
  public static PgUrl parse(String jdbcUrl) {
    return parse(jdbcUrl, null);
  }

  /** Parses {@code jdbcUrl}; {@code passwordFile} (may be null) holds the password on its first line. */
  public static PgUrl parse(String jdbcUrl, Path passwordFile) {
    return parse(jdbcUrl, passwordFile, System::getenv);
  }

  static PgUrl parse(String jdbcUrl, Path passwordFile, UnaryOperator<String> env) {
    if (jdbcUrl == null || !jdbcUrl.startsWith(PREFIX)) {
      throw new IllegalArgumentException("--pg must be a JDBC URL jdbc:postgresql://host:port/database?user=...;"
          + " the value given does not start with " + PREFIX + " (it is not repeated here: it may hold a password)");
    }
    // Take the password out before anything else sees the URL: pgjdbc logs URLs it cannot parse.
    int q = jdbcUrl.indexOf('?');
    String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    List<String> kept = new ArrayList<>();
    String urlPassword = null;
    boolean hasUser = false;
    if (q >= 0) {
      for (String param : jdbcUrl.substring(q + 1).split("&")) {
        String key = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
        if (key.equals("password")) {
          String v = decode(param.substring(Math.min(param.length(), key.length() + 1)));
          urlPassword = v.isEmpty() ? null : v;
        } else if (!param.isEmpty()) {
          hasUser |= key.equals("user");
          kept.add(param);
        }
      }
    }
    if (base.contains("@")) {
      throw new IllegalArgumentException("--pg cannot carry user:password@host (pgjdbc does not read it);"
          + " give the user as ?user=... and the password through PGPASSWORD, ~/.pgpass or --pg-password-file");
    }
    String safe = kept.isEmpty() ? base : base + "?" + String.join("&", kept);
    Properties props = Driver.parseURL(safe, null);
    if (props == null) {
      throw new IllegalArgumentException("--pg is not a JDBC URL that pgjdbc can parse;"
          + " expected jdbc:postgresql://host:port/database?user=...");
    }
    String host = props.getProperty("PGHOST", "localhost");
    String portText = props.getProperty("PGPORT", "5432");
    if (host.contains(",")) {
      throw new IllegalArgumentException("--pg names several hosts (" + host + "); Debezium reads the"
          + " replication slot of one server, so give the primary's host:port only");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--pg has an invalid port: " + portText);
    }
    String user = props.getProperty("user");
    if (user == null || user.isEmpty()) {
      user = orDefault(env.apply("PGUSER"), "postgres");
    }
    String database = props.getProperty("PGDBNAME");
    if (database == null || database.isEmpty()) {
      database = user; // as libpq and pgjdbc do
    }
    if (!hasUser) {
      safe += (kept.isEmpty() ? "?" : "&") + "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
    }

    String password;
    PasswordSource source;
    if (passwordFile != null) {
      if (urlPassword != null) {
        throw new IllegalArgumentException("--pg holds a password and --pg-password-file is given; give it one way");
      }
      password = readPasswordFile(passwordFile);
      source = PasswordSource.PASSWORD_FILE;
    } else if (urlPassword != null) {
      password = urlPassword;
      source = PasswordSource.URL;
    } else if (!orDefault(env.apply("PGPASSWORD"), "").isEmpty()) {
      password = env.apply("PGPASSWORD");
      source = PasswordSource.PGPASSWORD;
    } else {
      // pgjdbc has looked in the service file (?service=) and the pgpass file for the URL's user;
      // a user from PGUSER is looked up here.
      password = props.getProperty("password");
      if (password == null || password.isEmpty()) {
        password = PgPassParser.getPassword(host, String.valueOf(port), database, user);
      }
      source = password == null || password.isEmpty() ? PasswordSource.NONE : PasswordSource.PGPASS;
    }
    if (source == PasswordSource.NONE) {
      password = null;
    }
    return new PgUrl(safe, host, port, database, user, password, source, null);
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the password parameter of --pg is not validly URL-encoded"
          + " (better: give the password through PGPASSWORD, ~/.pgpass or --pg-password-file)");
    }
  }

  /** The first line of the file, without its line end: what {@code echo secret > file} writes. */
  private static String readPasswordFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --pg-password-file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      throw new IllegalArgumentException("--pg-password-file " + file + " is empty; its first line is the password");
    }
    return line;
  }

  private static String orDefault(String v, String fallback) {
    return v == null || v.isEmpty() ? fallback : v;
  }

  /** The JDBC URL with the user and without the password: safe to print and to store. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** One host, as pgjdbc parsed it: an IPv6 address keeps its brackets ({@code [::1]}). */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  public boolean hasPassword() {
    return password != null;
  }

  public PasswordSource passwordSource() {
    return passwordSource;
  }

  /** Opens a connection, passing the password apart from the URL. */
  public Connection connect() throws SQLException {
    Properties props = new Properties();
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(jdbcUrl, props);
  }

  /** Package-private: only {@link ConnectPassword} may write it where Kafka Connect's provider reads it. */
  String password() {
    return password;
  }

  /**
   * What connector configs hold for the password: a config provider reference, or empty when
   * there is no password. Without an explicit one ({@link #withConnectPassword}) a password from
   * PGPASSWORD is {@code ${env:PGPASSWORD}}; any other source needs {@link ConnectPassword}.
   */
  public String connectPassword() {
    if (connectPassword != null) {
      return connectPassword;
    }
    return switch (passwordSource) {
      case NONE -> "";
      case PGPASSWORD -> SecretReferences.envReference("PGPASSWORD");
      default -> throw new IllegalStateException("the password (from " + passwordSource + ") has no"
          + " Kafka Connect config provider reference; see ConnectPassword");
    };
  }

  /** This URL with {@code reference} (a config provider reference, or empty) for connector configs. */
  public PgUrl withConnectPassword(String reference) {
    return new PgUrl(jdbcUrl, host, port, database, user, password, passwordSource,
        SecretReferences.requireReferenceOrEmpty("the Connect password reference", reference));
  }

  /** The database name reduced to characters safe in topic, slot and connector names. */
  public String safeDatabaseName() {
    return database.toLowerCase().replaceAll("[^a-z0-9_]", "_");
  }

  @Override
  public String toString() {
    return jdbcUrl;
  }
}
