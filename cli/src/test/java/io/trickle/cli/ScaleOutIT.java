package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.StreamTableNames;
import io.trickle.compiler.parse.StreamTableDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale out: two {@code trickle run} processes with the same definitions, Kafka and Connect, and
 * {@code --partitions 4}, share each stream table's tasks through Kafka Streams' assignment.
 * Both must own partitions; the stream tables equal their queries; and after one process is
 * killed with SIGKILL in the middle of a stream of bank transfers, the other takes over its tasks
 * with nothing lost or doubled (the bank invariant for every read, then the oracle).
 */
class ScaleOutIT {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleOutIT.class);
  private static final int PARTITIONS = 4;
  private static final String[] DEFINITIONS = {
      BankWorkload.DEFINITIONS[0],
      BankWorkload.DEFINITIONS[1],
      "CREATE STREAM TABLE branch_accounts AS SELECT a.branch, b.name, count(*) AS n, sum(a.balance) AS total"
          + " FROM accounts a JOIN branches b ON b.id = a.branch GROUP BY a.branch, b.name",
  };

  @TempDir
  static Path dir;

  static ItStack stack;
  static Path definitions;

  @BeforeAll
  static void start() throws Exception {
    List<String> setup = new ArrayList<>(List.of(BankWorkload.SETUP));
    setup.add("CREATE TABLE branches (id int PRIMARY KEY, name text NOT NULL)");
    setup.add("INSERT INTO branches SELECT b, 'branch ' || b FROM (SELECT DISTINCT branch AS b FROM accounts) s");
    stack = ItStack.start(dir, setup.toArray(String[]::new));
    definitions = ItStack.writeDefinitions(dir.resolve("definitions"), DEFINITIONS);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void twoProcessesShareTheTasksAndOneTakesOverWhenTheOtherIsKilled() throws Exception {
    Process first = startChild(1);
    Process second = startChild(2);
    try (Connection c = stack.connection(); BankWorkload bank = new BankWorkload(stack.pg.jdbcUrl())) {
      awaitApplied(c, DEFINITIONS.length);
      stack.awaitFresh(c, "after the initial load");
      stack.assertOracle(c, ItStack.parse(DEFINITIONS), "after the initial load");
      // The second process deploys after the first (advisory lock), then joins each group.
      Map<String, Set<Integer>> owners = owners(c);
      long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (owners.size() < 2 && System.nanoTime() < joinDeadline) {
        TimeUnit.SECONDS.sleep(1);
        owners = owners(c);
      }
      LOG.info("partitions owned per process: {}", owners);
      assertThat(owners).as("members of the stream tables' Kafka Streams groups that own partitions"
          + " (see " + childLog(1) + " and " + childLog(2) + ")").hasSize(2);

      bank.startReader();
      bank.startWriters(2, 20);
      TimeUnit.SECONDS.sleep(8); // transfers flow through both processes
      assertThat(first.isAlive()).as("the first trickle run is alive (see " + childLog(1) + ")").isTrue();
      first.destroyForcibly().waitFor();
      LOG.info("killed the first process");
      TimeUnit.SECONDS.sleep(20); // past the 10 s session timeout: its tasks move to the second
      bank.stopWriters();
      assertThat(Freshness.await(c, Duration.ofSeconds(300))).as("wait after the kill").isNull();
      bank.close();
      assertThat(second.isAlive()).as("the second trickle run is alive (see " + childLog(2) + ")").isTrue();
      Map<String, Set<Integer>> after = owners(c);
      LOG.info("partitions owned after the kill: {}; {} transfers, {} reads, {} distinct states", after,
          bank.transfers(), bank.reads(), bank.statesSeen());
      assertThat(after).as("the surviving process owns every partition").hasSize(1);
      assertThat(bank.failures()).as("bank writer or reader threads that failed").isEmpty();
      assertThat(BankWorkload.sourceTotal(c)).as("the source total").isEqualByComparingTo(BankWorkload.TOTAL);
      assertThat(bank.transfers()).as("transfers committed").isGreaterThan(100);
      assertThat(bank.violations()).as("reads that saw a total other than " + BankWorkload.TOTAL + ", of "
          + bank.reads()).isEmpty();
      stack.assertOracle(c, ItStack.parse(DEFINITIONS), "after the kill");
    } finally {
      for (Process p : List.of(first, second)) {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }

  /**
   * Per member (client id prefix, i.e. process) of every stream table's Kafka Streams group, the
   * partitions of its exchange and output-feeding topics it owns; members owning nothing are left out.
   */
  private static Map<String, Set<Integer>> owners(Connection c) throws Exception {
    List<String> groups = new ArrayList<>();
    for (StreamTableDefinition def : ItStack.parse(DEFINITIONS)) {
      String hash = applicationHash(c, def.name());
      groups.add(new StreamTableNames(def.name(), hash, StreamTableNames.changesTopic(stack.pg)).applicationId());
    }
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
    Map<String, Set<Integer>> owners = new java.util.TreeMap<>();
    try (Admin admin = Admin.create(p)) {
      Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
          .get(30, TimeUnit.SECONDS);
      for (ConsumerGroupDescription g : described.values()) {
        for (MemberDescription m : g.members()) {
          Set<Integer> partitions = new HashSet<>();
          for (TopicPartition tp : m.assignment().topicPartitions()) {
            partitions.add(tp.partition());
          }
          if (!partitions.isEmpty()) {
            // StreamTableApp's client ids name the operating system process: ...-pid<pid>-StreamThread-...
            java.util.regex.Matcher pid = java.util.regex.Pattern.compile("-pid([0-9]+)-").matcher(m.clientId());
            assertThat(pid.find()).as("client id " + m.clientId() + " names its process").isTrue();
            owners.computeIfAbsent("pid " + pid.group(1), k -> new HashSet<>()).addAll(partitions);
          }
        }
      }
    }
    return owners;
  }

  /** The plan hash run recorded for a stream table (its application id's suffix). */
  private static String applicationHash(Connection c, String name) throws Exception {
    try (var ps = c.prepareStatement("SELECT plan_hash FROM trickle.stream_tables WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("catalog row of " + name).isTrue();
        return rs.getString(1);
      }
    }
  }

  /** Waits until every stream table has applied a first epoch (the children create the catalog). */
  private static void awaitApplied(Connection c, int streamTables) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (true) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT to_regclass('trickle.stream_tables') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          try (ResultSet applied = s.executeQuery(
              "SELECT count(*) FROM trickle.stream_tables WHERE reflected_lsn IS NOT NULL")) {
            applied.next();
            if (applied.getLong(1) >= streamTables) {
              return;
            }
          }
        }
      }
      assertThat(System.nanoTime()).as("stream tables applying epochs within 300 s (see " + childLog(1)
          + ", " + childLog(2) + ")").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static Process startChild(int n) throws Exception {
    Files.deleteIfExists(childLog(n));
    return stack.startTrickleRun(definitions, dir.resolve("state-" + n), "512m", PARTITIONS, childLog(n));
  }

  /** Kept under target/, not the temporary directory, so it outlives a failed run. */
  private static Path childLog(int n) {
    return ItStack.targetFile("scaleout-trickle-run-" + n + ".log");
  }
}
