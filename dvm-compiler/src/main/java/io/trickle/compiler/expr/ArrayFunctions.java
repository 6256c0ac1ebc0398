package io.trickle.compiler.expr;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Array constructors and functions; an array value is an immutable List that may hold nulls. */
final class ArrayFunctions {
  private ArrayFunctions() {}

  /** Wraps elements as an array value (nulls allowed, unlike List.of). */
  static List<Object> of(Object[] elements) {
    return Collections.unmodifiableList(Arrays.asList(elements));
  }

  static CompiledExpr constructor(List<CompiledExpr> elements) {
    CompiledExpr[] parts = elements.toArray(CompiledExpr[]::new);
    return row -> {
      Object[] out = new Object[parts.length];
      for (int i = 0; i < parts.length; i++) {
        out[i] = parts[i].eval(row);
      }
      return of(out);
    };
  }

  static CompiledExpr cardinality(CompiledExpr array) {
    return row -> array.eval(row) instanceof List<?> list ? (Object) (long) list.size() : null;
  }
}
