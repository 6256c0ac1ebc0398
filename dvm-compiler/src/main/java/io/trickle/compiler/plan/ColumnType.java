package io.trickle.compiler.plan;

import java.util.Objects;

/**
 * A column's type in the plan. {@code kind} drives evaluation and encoding; {@code pgType} is
 * PostgreSQL's own spelling ({@code format_type}), used verbatim when trickle creates the target
 * table. {@code precision}/{@code scale} are -1 where PostgreSQL has no typmod (plain numeric).
 * {@code element} is the element type of an {@link Kind#ARRAY} and null for every other kind.
 */
public record ColumnType(Kind kind, int precision, int scale, String pgType, ColumnType element) {

  /** Runtime representation of each kind is fixed; see {@link Kind#javaClass()}. */
  public enum Kind {
    BOOLEAN(Boolean.class),
    SMALLINT(Long.class),
    INTEGER(Long.class),
    BIGINT(Long.class),
    NUMERIC(java.math.BigDecimal.class),
    REAL(Double.class),
    DOUBLE(Double.class),
    /** text, varchar(n), and char(n) with trailing blanks removed (PostgreSQL bpchar semantics). */
    TEXT(String.class),
    DATE(java.time.LocalDate.class),
    TIME(java.time.LocalTime.class),
    TIMESTAMP(java.time.LocalDateTime.class),
    TIMESTAMPTZ(java.time.Instant.class),
    /** Only inside expressions (date/timestamp arithmetic); never a column. */
    INTERVAL(io.trickle.compiler.expr.PgInterval.class),
    /** uuid: lower-case canonical text, whose code point order is PostgreSQL's uuid order. */
    UUID(String.class),
    /** jsonb: PostgreSQL's canonical form; equality only (its btree order is not reproduced). */
    JSONB(io.trickle.compiler.expr.PgJsonb.class),
    /**
     * A one-dimensional PostgreSQL array (lower bound 1) of {@link ColumnType#element()}: an
     * immutable {@code java.util.List} whose elements are that kind's values or null. Encoded in
     * the output topic as a JSON array of the elements' encodings.
     */
    ARRAY(java.util.List.class);

    private final Class<?> javaClass;

    Kind(Class<?> javaClass) {
      this.javaClass = javaClass;
    }

    public Class<?> javaClass() {
      return javaClass;
    }

    public boolean isInteger() {
      return this == SMALLINT || this == INTEGER || this == BIGINT;
    }

    public boolean isNumeric() {
      return isInteger() || this == NUMERIC || this == REAL || this == DOUBLE;
    }
  }

  public ColumnType {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pgType, "pgType");
    if ((kind == Kind.ARRAY) != (element != null)) {
      throw new IllegalArgumentException("an element type is given exactly for arrays");
    }
  }

  /** A scalar (non-array) type. */
  public ColumnType(Kind kind, int precision, int scale, String pgType) {
    this(kind, precision, scale, pgType, null);
  }

  /** An array of {@code element}, spelled as PostgreSQL does ({@code integer[]}). */
  public static ColumnType array(ColumnType element) {
    if (element.kind() == Kind.ARRAY) {
      throw new IllegalArgumentException("arrays of arrays are multi-dimensional arrays");
    }
    return new ColumnType(Kind.ARRAY, -1, -1, element.pgType() + "[]", element);
  }

  public static ColumnType of(Kind kind) {
    return new ColumnType(kind, -1, -1, defaultPgType(kind));
  }

  public static ColumnType numeric(int precision, int scale) {
    String pg = precision < 0 ? "numeric" : "numeric(" + precision + "," + scale + ")";
    return new ColumnType(Kind.NUMERIC, precision, scale, pg);
  }

  public static String defaultPgType(Kind kind) {
    return switch (kind) {
      case BOOLEAN -> "boolean";
      case SMALLINT -> "smallint";
      case INTEGER -> "integer";
      case BIGINT -> "bigint";
      case NUMERIC -> "numeric";
      case REAL -> "real";
      case DOUBLE -> "double precision";
      case TEXT -> "text";
      case DATE -> "date";
      case TIME -> "time without time zone";
      case TIMESTAMP -> "timestamp without time zone";
      case TIMESTAMPTZ -> "timestamp with time zone";
      case INTERVAL -> "interval";
      case UUID -> "uuid";
      case JSONB -> "jsonb";
      case ARRAY -> throw new IllegalArgumentException("an array type needs its element type;"
          + " use ColumnType.array");
    };
  }

  @Override
  public String toString() {
    return pgType;
  }
}
