package io.trickle.connectors.debezium;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The per-database changes topic: one partition (its order is the database's commit order) and
 * unlimited retention (a new stream table replays it from the start, together with the snapshot).
 * Created before the connector is deployed, so Kafka's auto-creation defaults never apply.
 */
public final class ChangesTopic {
  private ChangesTopic() {}

  /**
   * Creates {@code topic} if missing. {@code replicationFactor} empty means the broker default.
   *
   * @throws IllegalStateException when the topic exists with more than one partition
   */
  public static void ensure(Admin admin, String topic, Optional<Short> replicationFactor) {
    NewTopic t = new NewTopic(topic, Optional.of(1), replicationFactor)
        .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1", "cleanup.policy", "delete"));
    try {
      admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create changes topic " + topic, e.getCause());
      }
      checkSinglePartition(admin, topic);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating changes topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating changes topic " + topic, e);
    }
  }

  private static void checkSinglePartition(Admin admin, String topic) {
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      if (d.partitions().size() != 1) {
        throw new IllegalStateException("changes topic " + topic + " has " + d.partitions().size()
            + " partitions; it must have exactly one so that its order is the commit order");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe changes topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing changes topic " + topic, e);
    }
  }
}
