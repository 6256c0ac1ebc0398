package io.trickle.connectors.sink;

/** Version reported to Kafka Connect's plugin listing. */
final class Version {
  static final String VERSION = "0.1.0";

  private Version() {}
}
