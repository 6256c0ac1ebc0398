package io.trickle.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which apply failures a replay would reproduce (permanent) and which a retry may cure. */
class SinkFailureTest {

  @ParameterizedTest(name = "SQLSTATE {0} is permanent")
  @ValueSource(strings = {
      "42P01", // undefined_table: the target was dropped or renamed
      "42703", // undefined_column: a column was dropped
      "42501", // insufficient_privilege: a privilege was revoked
      "42804", // datatype_mismatch: a column's type was changed
      "22012", // division_by_zero
      "22003", // numeric_value_out_of_range
      "23505", // unique_violation
      "23502", // not_null_violation
  })
  void classes22And23And42ArePermanent(String state) {
    assertThat(SinkFailure.permanent(new SQLException("x", state))).as(state).isTrue();
  }

  @ParameterizedTest(name = "SQLSTATE {0} is retried")
  @ValueSource(strings = {
      "08006", // connection_failure
      "08001", // sqlclient_unable_to_establish_sqlconnection
      "40001", // serialization_failure
      "40P01", // deadlock_detected
      "57P01", // admin_shutdown
      "53300", // too_many_connections
      "55P03", // lock_not_available
  })
  void transientClassesAreRetried(String state) {
    assertThat(SinkFailure.permanent(new SQLException("x", state))).as(state).isFalse();
  }

  @Test
  void aFailureWithoutSqlStateIsRetried() {
    assertThat(SinkFailure.permanent(new SQLException("no state"))).isFalse();
    assertThat(SinkFailure.permanent(new IllegalStateException("no SQL at all"))).isFalse();
  }

  @Test
  void theStateIsFoundInsideBatchWrappersAndCauses() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "42501", new int[0]);
    SQLException server = new SQLException("ERROR: permission denied for table st_a", "42501");
    batch.setNextException(server);
    RuntimeException wrapped = new RuntimeException("apply failed", batch);
    assertThat(SinkFailure.permanent(wrapped)).as("permission denied inside a batch failure").isTrue();
    assertThat(SinkFailure.message(wrapped)).as("PostgreSQL's own message")
        .isEqualTo("ERROR: permission denied for table st_a");
  }

  @Test
  void aMissingTargetColumnIsPermanent() {
    // TargetWriter reports a column that the output topic has and the table lost like this.
    IllegalStateException e = new IllegalStateException("target table public.t has no column v",
        new SQLException("target table public.t has no column v", TargetWriter.UNDEFINED_COLUMN));
    assertThat(SinkFailure.permanent(e)).isTrue();
  }
}
