package io.trickle.topology;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Trickle's own Kafka Streams sensors. They register through {@link StreamsMetrics}, so they
 * appear in JMX as {@code kafka.streams:type=stream-trickle-metrics,thread-id=..,trickle-id=<processor>}
 * with a {@code -rate} and a {@code -total} attribute each.
 */
public final class TrickleMetrics {
  public static final String SCOPE = "trickle";
  public static final String POISON_RECORDS = "poison-records";
  public static final String EVALUATION_ERRORS = "evaluation-errors";
  public static final String CHANGES_PROCESSED = "changes-processed";
  public static final String NEGATIVE_COUNTS = "negative-counts";
  public static final String REPLAYED_CHANGES = "replayed-changes-skipped";

  private TrickleMetrics() {}

  /** Source records that could not be parsed and were skipped. */
  public static Sensor poisonRecords(StreamsMetrics metrics, String processor) {
    return sensor(metrics, processor, POISON_RECORDS);
  }

  /** Rows whose evaluation raised a PostgreSQL runtime error (division by zero, overflow). */
  public static Sensor evaluationErrors(StreamsMetrics metrics, String processor) {
    return sensor(metrics, processor, EVALUATION_ERRORS);
  }

  /** Z-set changes an operator emitted. */
  public static Sensor changesProcessed(StreamsMetrics metrics, String processor) {
    return sensor(metrics, processor, CHANGES_PROCESSED);
  }

  /** Rows whose multiplicity went below zero: a bug or a lost update, never expected. */
  public static Sensor negativeCounts(StreamsMetrics metrics, String processor) {
    return sensor(metrics, processor, NEGATIVE_COUNTS);
  }

  /** Source changes Debezium sent again after a restart (at-least-once) and that were skipped. */
  public static Sensor replayedChanges(StreamsMetrics metrics, String processor) {
    return sensor(metrics, processor, REPLAYED_CHANGES);
  }

  private static Sensor sensor(StreamsMetrics metrics, String processor, String operation) {
    return metrics.addRateTotalSensor(SCOPE, processor, operation, Sensor.RecordingLevel.INFO);
  }
}
