package io.trickle.cli.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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

  /** A stream table's output topic: its changelog, compacted by row key. */
  public void ensureOutputTopic(String name) {
    create(new NewTopic(name, Optional.of(1), replication).configs(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
  }

  private void create(NewTopic topic) {
    try {
      admin.createTopics(List.of(topic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic.name(), e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
