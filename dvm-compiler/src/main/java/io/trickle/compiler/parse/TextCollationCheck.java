package io.trickle.compiler.parse;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;

/**
 * Rejects a query whose result depends on a text collation the runtime cannot reproduce. The
 * runtime orders text by code point, so ordering text (MIN/MAX, {@code <}, BETWEEN) is only
 * allowed under a code-point collation; a non-deterministic collation changes even equality.
 */
public final class TextCollationCheck {
  private TextCollationCheck() {}

  public static void check(List<TextCollationUse> uses, SqlPositions positions) {
    for (TextCollationUse use : uses) {
      throw switch (use.kind()) {
        case ORDERING -> ordering(use, positions);
        case NON_DETERMINISTIC -> nonDeterministic(use, positions);
      };
    }
  }

  private static CompileException ordering(TextCollationUse use, SqlPositions positions) {
    String fallback = use.aggregate()
        ? use.function() + "(" + (use.column() != null ? use.column() : "...") + ")"
        : "the comparison " + use.function()
            + (use.column() != null ? " on " + use.column() : "");
    SqlPositions.Construct construct = use.function().equals("ORDER BY")
        ? new SqlPositions.Construct(use.view() != null ? positions.table(use.view())
            : positions.orderBy(), "ORDER BY " + (use.column() != null ? use.column() : "...")
            + " with LIMIT" + (use.view() != null ? " in view " + use.view() : ""))
        : use.view() != null
        ? new SqlPositions.Construct(positions.table(use.view()),
            fallback + " in view " + use.view())
        : positions.ordering(use.function(), use.aggregate(), use.column())
            .orElse(new SqlPositions.Construct(positions.start(), fallback));
    return new CompileException(construct.pos(), construct.sql() + " orders text by the collation "
        + use.collation().display() + ", which trickle cannot reproduce yet; use a column or"
        + " database with COLLATE \"C\" (or \"C.UTF-8\")");
  }

  private static CompileException nonDeterministic(TextCollationUse use, SqlPositions positions) {
    SqlPos pos = use.view() != null ? positions.table(use.view()) : positions.column(use.column());
    String what = use.column() != null ? "column " + use.column() : "an expression";
    return new CompileException(pos, what + (use.view() != null ? " in view " + use.view() : "")
        + " uses the non-deterministic collation " + use.collation().display() + ", under which"
        + " different strings can be equal, which trickle cannot reproduce yet; use a"
        + " deterministic collation such as \"C\"");
  }
}
