package io.trickle.cli.runtime;

import io.trickle.connectors.embedded.EmbeddedConnect;
import io.trickle.connectors.embedded.EmbeddedKafka;
import io.trickle.connectors.secrets.SecretReferences;
import java.nio.file.Path;

/**
 * The Kafka broker and Connect worker a deployment talks to: the given addresses, or, when none
 * are given, a KRaft broker and a Connect worker started inside this JVM.
 */
public final class Stack implements AutoCloseable {
  private final EmbeddedKafka kafka;
  private final EmbeddedConnect connect;
  private final String bootstrap;
  private final String connectUrl;

  private Stack(EmbeddedKafka kafka, EmbeddedConnect connect, String bootstrap, String connectUrl) {
    this.kafka = kafka;
    this.connect = connect;
    this.bootstrap = bootstrap;
    this.connectUrl = connectUrl;
  }

  public static Stack start(String kafkaAddress, String connectAddress, Path stateDir) throws Exception {
    EmbeddedKafka kafka = null;
    EmbeddedConnect connect = null;
    String bootstrap = kafkaAddress;
    if (bootstrap == null) {
      kafka = EmbeddedKafka.start(stateDir.resolve("kafka"));
      bootstrap = kafka.bootstrapServers();
    }
    String url = connectAddress;
    Path secretsDir = stateDir.toAbsolutePath().resolve("secrets");
    if (url == null) {
      // The worker's file config provider may read there (a --connect-password-ref of the user's).
      connect = EmbeddedConnect.start(bootstrap, stateDir.resolve("connect"), SecretReferences.workerConfig(secretsDir));
      url = connect.restUrl();
    }
    return new Stack(kafka, connect, bootstrap, url);
  }

  /** True when the broker was started here, so replication factors must be 1. */
  public boolean embeddedKafka() {
    return kafka != null;
  }

  /** True when the Connect worker runs in this process. */
  public boolean embeddedConnect() {
    return connect != null;
  }

  public String bootstrap() {
    return bootstrap;
  }

  public String connectUrl() {
    return connectUrl;
  }

  @Override
  public void close() {
    if (connect != null) {
      connect.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }
}
