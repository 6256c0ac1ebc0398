package io.trickle.topology.processor;

import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.StateStores;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Aligns the epochs of several inputs: the change topics of the captured tables a stream table
 * reads and the output topics of upstream stream tables are read independently, so one can run
 * ahead of another. One
 * processor {@code align-<source>} per source operator, all sharing the store {@code
 * align-buffer}, where each input's messages wait in arrival order.
 *
 * <p>Epochs are identified by the marker's {@code seq}: the offset of the source transaction's
 * END in the database's changes topic, the same in every change topic and every stream table of
 * that database (an LSN alone is not: two transactions can close at the same highest LSN). The
 * capture stage writes every marker to every table's change topic, so a captured table's input
 * has an epoch at every seq. Each input's watermark is
 * the seq of its last marker. When the lowest watermark {@code F} rises, every buffered epoch with
 * seq ≤ F is released in seq order: for each seq, the changes of every input's epoch at that seq
 * (each to {@code <source>-aligned}), then the marker once. An input without an epoch at some
 * seq did not change there (upstream materialize operators forward a marker for every epoch that
 * emitted anything), so the released changes are exactly the downstream's inputs at that commit.
 */
public final class AlignProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  public static final String STORE = "align-buffer";
  private static final byte BUFFER = 'b';
  private static final byte NEXT = 'n';
  private static final byte WATERMARK = 'w';
  /** Where an input's queue starts (its end is {@code NEXT}). */
  private static final byte HEAD = 'h';
  /** Lockstep: the last marker an input passed, forwarded when the frontier reaches its seq. */
  private static final byte LAST_MARKER = 'l';
  /**
   * Not in lockstep: where an input's last complete epoch ends (one past its last marker). The
   * queue is read by key from {@code HEAD} up to here, never by a prefix scan: a scan would step
   * over every entry ever released (RocksDB keeps deleted entries until compaction), so after an
   * initial load each release would cost as much as the whole load.
   */
  private static final byte CLOSED = 'c';

  private final int input;
  private final List<String> outputs;
  private final Set<StoreBuilder<?>> stores;
  private final String store;
  /** Per processor input, how many senders it has (tasks of the stage writing an exchange). */
  private final int[] senders;
  /** Per processor input, the first aligned input (input, sender) of it: a prefix sum of senders. */
  private final int[] firstOf;
  /** Every input carries every epoch (see {@link #lockstep}). */
  private boolean lockstep;

  /**
   * @param input this processor's input, an index into {@code outputs}
   * @param outputs for every input, the processor its released changes go to
   * @param stores {@link #stores()} of the shared store, the same instance for every input
   */
  public AlignProcessorSupplier(int input, List<String> outputs, Set<StoreBuilder<?>> stores) {
    this(input, outputs, stores, STORE, null);
  }

  /**
   * An aligner over inputs that each have several senders: the tasks of another stage writing an
   * exchange topic, each tagging its messages with its partition (the record key, an Integer,
   * from {@link ExchangeProcessors#in()}). Every (input, sender) is aligned as an input of its own.
   *
   * @param store the shared store's name ({@link #newStores(String)})
   * @param senders per input, its number of senders; null: one each
   */
  public AlignProcessorSupplier(int input, List<String> outputs, Set<StoreBuilder<?>> stores,
      String store, int[] senders) {
    this.input = input;
    this.outputs = List.copyOf(outputs);
    this.stores = stores;
    this.store = store;
    this.senders = senders == null ? java.util.Collections.nCopies(outputs.size(), 1).stream()
        .mapToInt(Integer::intValue).toArray() : senders.clone();
    this.firstOf = new int[this.senders.length + 1];
    for (int i = 0; i < this.senders.length; i++) {
      firstOf[i + 1] = firstOf[i] + this.senders[i];
    }
  }

  /**
   * For inputs that each carry every epoch's marker (the senders of an exchange whose stage
   * forwards every marker it sees): a message of an input that is not ahead of the others belongs
   * to the epoch being assembled and is forwarded at once; only an input ahead of the frontier
   * (it has passed a marker the others have not) is queued. In step, nothing touches the store
   * but the markers.
   */
  public AlignProcessorSupplier lockstep() {
    this.lockstep = true;
    return this;
  }

  public static Set<StoreBuilder<?>> newStores() {
    return newStores(STORE);
  }

  /**
   * The aligner's buffer, with Kafka Streams' record cache: a message buffered and released
   * within one commit interval never reaches RocksDB or the changelog.
   */
  public static Set<StoreBuilder<?>> newStores(String store) {
    return Set.of(StateStores.persistentCached(store));
  }

  public static String processorName(String source) {
    return "align-" + source;
  }

  public static String outputName(String source) {
    return source + "-aligned";
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return stores;
  }

  @Override
  public Processor<Object, Msg, Object, Msg> get() {
    return new AlignProcessor();
  }

  /** One input's epoch ready for release: its buffered messages, ending with the marker. */
  private record Epoch(long seq, int input, List<Msg> data, Msg.Marker marker, List<Bytes> keys) {}

  private final class AlignProcessor implements Processor<Object, Msg, Object, Msg> {
    private ProcessorContext<Object, Msg> context;
    private KeyValueStore<Bytes, byte[]> buffer;

    @Override
    public void init(ProcessorContext<Object, Msg> context) {
      this.context = context;
      this.buffer = context.getStateStore(store);
    }

    @Override
    public void process(Record<Object, Msg> record) {
      int sender = record.key() instanceof Integer s ? s : 0;
      if (sender < 0 || sender >= senders[input]) {
        throw new IllegalStateException("message from sender " + sender + " of an input with "
            + senders[input] + " senders: the exchange topic has more partitions than the stage has tasks");
      }
      int aligned = firstOf[input] + sender;
      if (lockstep) {
        inStep(record, aligned);
        return;
      }
      long n = read(NEXT, aligned, 0);
      buffer.put(entry(aligned, n), MsgCodec.encode(record.value()));
      buffer.put(key(NEXT, aligned), StateStores.longBytes(n + 1));
      if (record.value() instanceof Msg.Marker m) {
        buffer.put(key(WATERMARK, aligned), StateStores.longBytes(m.seq()));
        buffer.put(key(CLOSED, aligned), StateStores.longBytes(n + 1));
        release(record.timestamp());
      }
    }

    private void inStep(Record<Object, Msg> record, int a) {
      Msg msg = record.value();
      long frontier = frontier();
      long head = read(HEAD, a, 0);
      long tail = read(NEXT, a, 0);
      if (tail > head || read(WATERMARK, a, Long.MIN_VALUE) > frontier) {
        buffer.put(entry(a, tail), MsgCodec.encode(msg)); // ahead: wait for the others
        buffer.put(key(NEXT, a), StateStores.longBytes(tail + 1));
      } else if (msg instanceof Msg.Marker m) {
        passMarker(a, m);
        advance(frontier, record.timestamp());
      } else {
        context.forward(new Record<>(null, msg, record.timestamp(), new RecordHeaders()),
            outputs.get(outputOf(a)));
      }
    }

    private void passMarker(int a, Msg.Marker m) {
      buffer.put(key(WATERMARK, a), StateStores.longBytes(m.seq()));
      buffer.put(key(LAST_MARKER, a), MsgCodec.encode(m));
    }

    /** Lowest watermark over all inputs; an input without one is at the very start. */
    private long frontier() {
      long f = Long.MAX_VALUE;
      for (int i = 0; i < firstOf[senders.length]; i++) {
        f = Math.min(f, read(WATERMARK, i, Long.MIN_VALUE));
      }
      return f;
    }

    /**
     * While the frontier rises: forwards its marker once, then lets every input at the frontier
     * release its queue up to (and passing) its next marker.
     */
    private void advance(long frontier, long timestamp) {
      int inputs = firstOf[senders.length];
      while (true) {
        long f = frontier();
        if (f <= frontier) {
          return;
        }
        frontier = f;
        for (int i = 0; i < inputs; i++) {
          if (read(WATERMARK, i, Long.MIN_VALUE) == f) {
            context.forward(new Record<>(null, MsgCodec.decode(buffer.get(key(LAST_MARKER, i))), timestamp,
                new RecordHeaders()));
            break;
          }
        }
        for (int i = 0; i < inputs; i++) {
          if (read(WATERMARK, i, Long.MIN_VALUE) != f) {
            continue;
          }
          long head = read(HEAD, i, 0);
          long tail = read(NEXT, i, 0);
          while (head < tail) {
            Bytes k = entry(i, head);
            Msg m = MsgCodec.decode(buffer.get(k));
            buffer.delete(k);
            head++;
            if (m instanceof Msg.Marker marker) {
              passMarker(i, marker);
              break;
            }
            context.forward(new Record<>(null, m, timestamp, new RecordHeaders()), outputs.get(outputOf(i)));
          }
          buffer.put(key(HEAD, i), StateStores.longBytes(head));
        }
      }
    }

    private long read(byte tag, int i, long absent) {
      byte[] v = buffer.get(key(tag, i));
      return v == null ? absent : StateStores.readLong(v);
    }

    private Bytes entry(int i, long n) {
      return Bytes.wrap(new ByteWriter(13).writeByte(BUFFER).writeInt(i).writeLong(n).toByteArray());
    }

    private void release(long timestamp) {
      long frontier = Long.MAX_VALUE;
      int inputs = firstOf[senders.length];
      for (int i = 0; i < inputs; i++) {
        byte[] w = buffer.get(key(WATERMARK, i));
        if (w == null) {
          return; // an input that has not closed any epoch yet holds everything back
        }
        frontier = Math.min(frontier, StateStores.readLong(w));
      }
      List<Epoch> ready = new ArrayList<>();
      for (int i = 0; i < inputs; i++) {
        collect(i, frontier, ready);
      }
      ready.sort(Comparator.comparingLong(Epoch::seq).thenComparingInt(Epoch::input));
      for (int e = 0; e < ready.size(); e++) {
        Epoch epoch = ready.get(e);
        for (Msg m : epoch.data()) {
          context.forward(new Record<>(null, m, timestamp, new RecordHeaders()),
              outputs.get(outputOf(epoch.input())));
        }
        epoch.keys().forEach(buffer::delete);
        boolean lastOfSeq = e + 1 == ready.size() || ready.get(e + 1).seq() != epoch.seq();
        if (lastOfSeq) {
          context.forward(new Record<>(null, epoch.marker(), timestamp, new RecordHeaders()));
        }
      }
    }

    /**
     * The input's buffered epochs whose marker seq is at most {@code frontier}; its queue's head
     * moves past them (release deletes their entries once forwarded).
     */
    private void collect(int i, long frontier, List<Epoch> out) {
      long head = read(HEAD, i, 0);
      long closed = read(CLOSED, i, 0);
      List<Msg> data = new ArrayList<>();
      List<Bytes> keys = new ArrayList<>();
      long start = head;
      for (long n = head; n < closed; n++) {
        Bytes k = entry(i, n);
        byte[] v = buffer.get(k);
        if (v == null) {
          continue; // released already (a buffer written before heads were kept)
        }
        Msg msg = MsgCodec.decode(v);
        keys.add(k);
        if (msg instanceof Msg.Marker m) {
          if (m.seq() > frontier) {
            break;
          }
          out.add(new Epoch(m.seq(), i, data, m, keys));
          data = new ArrayList<>();
          keys = new ArrayList<>();
          head = n + 1;
        } else {
          data.add(msg);
        }
      }
      if (head != start) {
        buffer.put(key(HEAD, i), StateStores.longBytes(head));
      }
    }

    /** The processor input of an aligned (input, sender). */
    private int outputOf(int aligned) {
      int i = 0;
      while (firstOf[i + 1] <= aligned) {
        i++;
      }
      return i;
    }

    private Bytes key(byte tag, int i) {
      return Bytes.wrap(new ByteWriter(5).writeByte(tag).writeInt(i).toByteArray());
    }
  }
}
