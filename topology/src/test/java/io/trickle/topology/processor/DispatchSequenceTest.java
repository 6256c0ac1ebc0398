package io.trickle.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Debezium's {@code source.sequence}, read without a second JSON parse. */
class DispatchSequenceTest {
  @Test
  void readsTheTwoLsnsOrNothing() {
    assertThat(DispatchProcessorSupplier.parseSequence("[\"24023128\",\"24023184\"]"))
        .containsExactly(24023128L, 24023184L);
    assertThat(DispatchProcessorSupplier.parseSequence(" [ \"1\" , \"2\" ] ")).containsExactly(1L, 2L);
    assertThat(DispatchProcessorSupplier.parseSequence("[null,\"24023184\"]"))
        .as("no last commit: never a replay").isNull();
    assertThat(DispatchProcessorSupplier.parseSequence("[\"1\"]")).isNull();
    assertThat(DispatchProcessorSupplier.parseSequence("[\"1\",\"2\",\"3\"]")).isNull();
    assertThat(DispatchProcessorSupplier.parseSequence("\"1\",\"2\"")).isNull();
    assertThat(DispatchProcessorSupplier.parseSequence("[\"x\",\"2\"]")).isNull();
    assertThat(DispatchProcessorSupplier.parseSequence("")).isNull();
  }
}
