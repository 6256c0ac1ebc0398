package io.trickle.cli.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics trickle owns, idempotently. */
public final class Topics implements AutoCloseable {
  private final Admin admin;
  private final Optional<Short> replication;

  /** @param replication empty to use the broker's default replication factor */
  public Topics(String bootstrap, Optional<Short> replication) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.admin = Admin.create(p);
    this.replication = replication;
  }

  /** The single-partition, never-expiring source log: one partition keeps commit order total. */
  public void ensureChangesTopic(String name) {
    create(new NewTopic(name, Optional.of(1), replication).configs(Map.of(
        TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.CLEANUP_POLICY_CONFIG, "delete")));
  }

  /**
   * A captured table's change topic, written by the capture stage: P partitions, never expiring
   * (a stream table deployed later reads it from its start, as it once read the changes topic).
   * An existing topic is left as it is.
   */
  public void ensureChangeTopic(String name, int partitions) {
    create(new NewTopic(name, Optional.of(partitions), replication).configs(Map.of(
        TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.CLEANUP_POLICY_CONFIG, "delete")));
  }

  /**
   * How long the cleaner keeps a tombstone after compacting it: 100 years, i.e. for the life of
   * the topic. Kafka's default (1 day) drops a delete for any consumer that lags longer (a sink
   * whose Connect worker was down over a weekend, a downstream stream table stopped for a
   * redefinition), and the row it deletes then stays in that consumer's state forever. Any finite
   * value has that hazard, so none is used; the price is one key-only record per row key ever
   * deleted. Not {@code Long.MAX_VALUE}: the broker adds it to the cleaning time.
   */
  public static final long TOMBSTONE_RETENTION_MS = 100L * 365 * 24 * 3600 * 1000;

  /**
   * Records younger than this are not compacted. A consumer that lags less than this reads every
   * change after its position, so each epoch marker it passes is a consistent cut (a compacted
   * range would lose a key's value at an earlier marker and apply it only at a later one). A
   * consumer that lags more still converges to the complete state, through states that may mix
   * two epochs.
   */
  public static final long MIN_COMPACTION_LAG_MS = 3600L * 1000;

  /** The configuration every output topic gets, and that existing ones are brought to. */
  static final Map<String, String> OUTPUT_TOPIC_CONFIG = Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
      TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(TOMBSTONE_RETENTION_MS),
      TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(MIN_COMPACTION_LAG_MS));

  /**
   * A stream table's output topic: its changelog, compacted by row key, with its tombstones kept
   * (see {@link #TOMBSTONE_RETENTION_MS}). A topic created by an earlier version gets the same
   * settings.
   */
  public void ensureOutputTopic(String name) {
    ensureOutputTopic(name, 1);
  }

  /** {@link #ensureOutputTopic(String)} with one partition per task of the stream table. */
  public void ensureOutputTopic(String name, int partitions) {
    if (!create(new NewTopic(name, Optional.of(partitions), replication).configs(OUTPUT_TOPIC_CONFIG))) {
      setConfig(name, OUTPUT_TOPIC_CONFIG);
    }
  }

  /**
   * A topic between two stages of a stream table (an exchange): P partitions, kept until
   * {@link StreamTableApp} deletes what the application has committed, as Kafka Streams does for
   * its own repartition topics; never lost to a time limit while a stream table is stopped.
   */
  public void ensureExchangeTopic(String name, int partitions) {
    create(new NewTopic(name, Optional.of(partitions), replication).configs(Map.of(
        TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.CLEANUP_POLICY_CONFIG, "delete")));
  }

  /**
   * Waits until the broker serves metadata for every topic (a topic just created may not be in
   * its metadata yet, and Kafka Streams fails an application whose source topic is missing).
   */
  public void awaitVisible(Collection<String> names, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        Map<String, org.apache.kafka.clients.admin.TopicDescription> d =
            admin.describeTopics(names).allTopicNames().get();
        if (d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null))) {
          return;
        }
      } catch (ExecutionException e) {
        // UnknownTopicOrPartition: not propagated yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for topics " + names, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + names + " not visible after " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for topics " + names, e);
      }
    }
  }

  /** @return false when the topic existed */
  private boolean create(NewTopic topic) {
    try {
      admin.createTopics(List.of(topic)).all().get();
      return true;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic.name(), e);
    }
  }

  private void setConfig(String topic, Map<String, String> config) {
    Collection<AlterConfigOp> ops = new ArrayList<>();
    config.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    try {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops)).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot configure topic " + topic + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted configuring topic " + topic, e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
