package io.trickle.topology.processor;

import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Barrier alignment inside a task: an operator node with several parent nodes (the two sides of
 * a join both feed the next operator) forwards an epoch marker only once it has received it from
 * every parent, so everything any branch emits for the epoch, such as a global aggregate's first
 * row, reaches the node before the marker does.
 */
public final class MarkerAlignment {
  private MarkerAlignment() {}

  public static <KO, VO> ProcessorSupplier<Object, Msg, KO, VO> expectFrom(
      ProcessorSupplier<Object, Msg, KO, VO> supplier, int parents) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<Object, Msg, KO, VO> get() {
        Processor<Object, Msg, KO, VO> p = supplier.get();
        if (p instanceof ZSetProcessor<KO, VO> z) {
          z.expectMarkersFrom(parents);
        }
        return p;
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return supplier.stores();
      }
    };
  }
}
