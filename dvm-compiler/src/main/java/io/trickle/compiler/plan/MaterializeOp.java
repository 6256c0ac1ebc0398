package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * The last operator: turns the Z-set into upserts and tombstones keyed by the stream table's row
 * key, buffering changes until the epoch marker that closes them, so the output only ever holds
 * net changes at source commit boundaries. Where duplicates are possible (a row-hash key), every
 * copy of a row is a record of its own, keyed by the row's hash and an ordinal 1..n.
 */
public final class MaterializeOp extends Op implements Stateful {
  private final String streamTable;

  public MaterializeOp(int id, SqlPos pos, Op input, String streamTable) {
    super(id, pos, input.columns(), input.key(), List.of(input));
    this.streamTable = Objects.requireNonNull(streamTable, "streamTable");
  }

  public Op input() {
    return inputs().get(0);
  }

  public String streamTable() {
    return streamTable;
  }

  @Override
  public String kind() {
    return "materialize";
  }

  /**
   * A row-hash result says that each copy of a row is a row of its own in the target table
   * ({@code __trickle_key} = hash:ordinal); being in the explain, it is also in the plan hash,
   * so a stream table deployed with the older shape (one row with a count) is rebuilt.
   */
  @Override
  public String describe() {
    return key().unique() ? streamTable : streamTable + " (one row per copy)";
  }

  @Override
  public List<String> storeNames() {
    return List.of(name() + "-rows");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitMaterialize(this);
  }
}
