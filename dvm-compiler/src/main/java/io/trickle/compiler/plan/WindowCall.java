package io.trickle.compiler.plan;

import io.trickle.compiler.expr.Expr;
import java.util.Objects;

/**
 * One window function of a {@link WindowOp}. {@code arg} is the input column it reads (-1 for
 * ROW_NUMBER, RANK, ..., COUNT(*)); {@code n} is the constant offset of LAG/LEAD, the bucket
 * count of NTILE or the position of NTH_VALUE (0 when unused); {@code defaultValue} is LAG/LEAD's
 * default, evaluated over the current input row (null: NULL). {@code frame} matters only for
 * {@link Kind#usesFrame()} kinds.
 */
public record WindowCall(Kind kind, int arg, long n, Expr defaultValue, WindowFrame frame,
    ColumnType type, String name) {

  public enum Kind {
    ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD,
    FIRST_VALUE, LAST_VALUE, NTH_VALUE, COUNT_STAR, COUNT, SUM, AVG, MIN, MAX;

    /** Value and aggregate functions read their frame; ranking functions and LAG/LEAD do not. */
    public boolean usesFrame() {
      return ordinal() >= FIRST_VALUE.ordinal();
    }

    /** The aggregate kind of the same name, for SUM/AVG/COUNT/MIN/MAX over a frame. */
    public AggCall.Kind aggregate() {
      return switch (this) {
        case COUNT_STAR -> AggCall.Kind.COUNT_STAR;
        case COUNT -> AggCall.Kind.COUNT;
        case SUM -> AggCall.Kind.SUM;
        case AVG -> AggCall.Kind.AVG;
        case MIN -> AggCall.Kind.MIN;
        case MAX -> AggCall.Kind.MAX;
        default -> null;
      };
    }
  }

  public WindowCall {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(kind.name()).append('(');
    if (arg >= 0) {
      sb.append('$').append(arg);
    }
    if (kind == Kind.LAG || kind == Kind.LEAD || kind == Kind.NTILE || kind == Kind.NTH_VALUE) {
      sb.append(arg >= 0 ? ", " : "").append(n);
    }
    if (defaultValue != null) {
      sb.append(", ").append(defaultValue);
    }
    sb.append(')');
    if (kind.usesFrame()) {
      sb.append(' ').append(frame);
    }
    return sb.toString();
  }
}
