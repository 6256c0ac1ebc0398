package io.trickle.topology.processor;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code <source>-aligned}: where the aligner releases one source's changes (and every marker),
 * so the operators reading that source see only its changes, in aligned epochs. Forwards as is.
 */
public final class AlignedOutputProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  @Override
  public Processor<Object, Msg, Object, Msg> get() {
    return new Processor<>() {
      private ProcessorContext<Object, Msg> context;

      @Override
      public void init(ProcessorContext<Object, Msg> context) {
        this.context = context;
      }

      @Override
      public void process(Record<Object, Msg> record) {
        context.forward(record);
      }
    };
  }
}
