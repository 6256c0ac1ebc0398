package io.trickle.connectors.secrets;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * A Kafka Connect config provider whose secrets live in this JVM's memory only:
 * {@code ${trickle:<name>}} resolves to what {@link #put} registered under {@code <name>}.
 *
 * <p>It serves the embedded Connect worker, which runs in the same process as {@code trickle
 * run}: the password trickle was given (from {@code --pg-password-file}, {@code ~/.pgpass} or
 * the URL) reaches Debezium and the sink without being written anywhere, neither into Connect's
 * config topic (which holds the reference) nor into a file. A worker in another process cannot
 * resolve it; such a worker gets a reference the operator provisions instead.
 */
public final class InProcessSecrets implements ConfigProvider {
  /** The provider name the embedded worker declares: {@code ${trickle:name}}. */
  public static final String PROVIDER = "trickle";

  private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

  /** Registers {@code secret} under {@code name} and returns its reference {@code ${trickle:name}}. */
  public static String put(String name, String secret) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("secret name must be [A-Za-z0-9_.-]+: " + name);
    }
    SECRETS.put(name, secret);
    return "${" + PROVIDER + ":" + name + "}";
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public ConfigData get(String path) {
    return new ConfigData(Map.of());
  }

  /** {@code ${trickle:name}} reaches here as path "" and key {@code name}. */
  @Override
  public ConfigData get(String path, Set<String> keys) {
    Map<String, String> found = new HashMap<>();
    for (String k : keys) {
      String v = SECRETS.get(k);
      if (v != null) {
        found.put(k, v);
      }
    }
    return new ConfigData(found);
  }

  @Override
  public void close() {}
}
