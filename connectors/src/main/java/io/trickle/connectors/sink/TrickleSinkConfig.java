package io.trickle.connectors.sink;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of {@link TrickleSinkConnector}. Each key is declared once, with its doc. */
public final class TrickleSinkConfig extends AbstractConfig {
  public static final String CONNECTION_URL = "connection.url";
  public static final String STREAM_TABLE = "trickle.stream.table";
  public static final String TARGET_TABLE = "trickle.target.table";

  public static final ConfigDef DEF = new ConfigDef()
      .define(CONNECTION_URL, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "JDBC URL of the PostgreSQL database that holds the stream table and the trickle schema,"
              + " including credentials.")
      .define(STREAM_TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Name of the stream table, as in trickle.stream_tables.name.")
      .define(TARGET_TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Schema-qualified target table the epochs are applied to.");

  public TrickleSinkConfig(Map<String, String> props) {
    super(DEF, props);
  }

  public String connectionUrl() {
    return getPassword(CONNECTION_URL).value();
  }

  public String streamTable() {
    return getString(STREAM_TABLE);
  }

  public String targetTable() {
    return getString(TARGET_TABLE);
  }
}
