package io.trickle.connectors.sink;

import io.trickle.connectors.secrets.SecretReferences;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The PostgreSQL connection settings of both trickle sinks, declared once: a JDBC URL that holds
 * no password, and the password in its own {@link Type#PASSWORD} key, which Connect never logs
 * and which trickle fills with a config provider reference ({@link SecretReferences}).
 */
public final class SinkConnection {
  public static final String URL = "connection.url";
  public static final String PASSWORD = "connection.password";

  private SinkConnection() {}

  /** Adds {@link #URL} and {@link #PASSWORD} to {@code def}. */
  static ConfigDef define(ConfigDef def) {
    return def
        .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
            "JDBC URL of the PostgreSQL database that holds the stream tables and the trickle schema,"
                + " with the user but without the password (" + PASSWORD + " holds that).")
        .define(PASSWORD, Type.PASSWORD, "", Importance.HIGH,
            "Password of the URL's user; empty for trust or .pgpass authentication. Give a config"
                + " provider reference such as ${env:PGPASSWORD} or ${file:/path/secrets.properties:password},"
                + " so that Connect stores and serves the reference, not the password.");
  }

  /** Refuses a URL that carries a password, without repeating the URL. */
  static void check(AbstractConfig config) {
    String url = config.getString(URL);
    int q = url.indexOf('?');
    if (q < 0) {
      return;
    }
    for (String param : url.substring(q + 1).split("&")) {
      String key = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
      if (key.equalsIgnoreCase("password")) {
        throw new ConfigException(URL + " must not contain the password (it would be stored and served"
            + " by Connect in clear); put it in " + PASSWORD + " as a config provider reference");
      }
    }
  }

  static Connection open(AbstractConfig config) throws SQLException {
    Properties props = new Properties();
    Password password = config.getPassword(PASSWORD);
    if (password != null && !password.value().isEmpty()) {
      props.setProperty("password", password.value());
    }
    return DriverManager.getConnection(config.getString(URL), props);
  }
}
