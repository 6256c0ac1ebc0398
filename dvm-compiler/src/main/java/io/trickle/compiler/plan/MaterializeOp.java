package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * The last operator: turns the Z-set into upserts and tombstones keyed by the stream table's row
 * key, buffering changes until the epoch marker that closes them, so the output only ever holds
 * net changes at source commit boundaries.
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

  @Override
  public String describe() {
    return streamTable;
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
