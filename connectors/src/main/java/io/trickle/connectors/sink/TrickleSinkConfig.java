package io.trickle.connectors.sink;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of {@link TrickleSinkConnector}. Each key is declared once, with its doc. */
public final class TrickleSinkConfig extends AbstractConfig {
  public static final String CONNECTION_URL = SinkConnection.URL;
  public static final String CONNECTION_PASSWORD = SinkConnection.PASSWORD;
  public static final String STREAM_TABLE = "trickle.stream.table";
  public static final String TARGET_TABLE = "trickle.target.table";

  public static final ConfigDef DEF = SinkConnection.define(new ConfigDef())
      .define(STREAM_TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Name of the stream table, as in trickle.stream_tables.name.")
      .define(TARGET_TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Schema-qualified target table the epochs are applied to.");

  public TrickleSinkConfig(Map<String, String> props) {
    super(DEF, props);
    SinkConnection.check(this);
  }

  /** A new connection to the target database, with the password resolved by Connect. */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return SinkConnection.open(this);
  }

  public String streamTable() {
    return getString(STREAM_TABLE);
  }

  public String targetTable() {
    return getString(TARGET_TABLE);
  }
}
