package io.trickle.bench.jmh;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans built by hand, as the compiler would build them, so the operator benchmarks need no
 * PostgreSQL catalog. Tables: {@code t(id, a, b, note)}, {@code orders(id, customer_id, amount)},
 * {@code customers(cid, name, region)}.
 */
final class BenchPlans {
  static final ColumnType INT = ColumnType.of(ColumnType.Kind.INTEGER);
  static final ColumnType BIGINT = ColumnType.of(ColumnType.Kind.BIGINT);
  static final ColumnType TEXT = ColumnType.of(ColumnType.Kind.TEXT);
  static final ColumnType BOOL = ColumnType.of(ColumnType.Kind.BOOLEAN);

  private BenchPlans() {}

  static SourceOp t(int id) {
    return source(id, "t", col("id", INT), col("a", INT), col("b", INT), col("note", TEXT));
  }

  static SourceOp orders(int id) {
    return source(id, "orders", col("id", INT), col("customer_id", INT), col("amount", INT));
  }

  static SourceOp customers(int id) {
    return source(id, "customers", col("cid", INT), col("name", TEXT), col("region", INT));
  }

  /** select * from t */
  static Plan copy() {
    return new Plan("t_copy", "select * from t", new MaterializeOp(2, SqlPos.UNKNOWN, t(1), "t_copy"));
  }

  /** select id, a + b as s, a * 2 as d, note from t where a > 100 */
  static Plan filterProject() {
    SourceOp t = t(1);
    FilterOp filter = new FilterOp(2, SqlPos.UNKNOWN, t, new Expr.Call(Operator.GREATER_THAN,
        List.of(ref(1), new Expr.Literal(100L, INT)), BOOL));
    ProjectOp project = new ProjectOp(3, SqlPos.UNKNOWN, filter,
        List.of(ref(0), new Expr.Call(Operator.PLUS, List.of(ref(1), ref(2)), INT),
            new Expr.Call(Operator.TIMES, List.of(ref(1), new Expr.Literal(2L, INT)), INT),
            new Expr.ColumnRef(3, TEXT)),
        List.of(col("id", INT), col("s", INT), col("d", INT), col("note", TEXT)), RowKey.of(List.of(0)));
    return new Plan("t_fp", "select id, a + b as s, a * 2 as d, note from t where a > 100",
        new MaterializeOp(4, SqlPos.UNKNOWN, project, "t_fp"));
  }

  /** select * from orders join customers on customer_id = cid */
  static Plan join() {
    SourceOp o = orders(1);
    SourceOp c = customers(2);
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, o, c, List.of(1), List.of(0), null,
        concat(o.columns(), c.columns()), RowKey.of(List.of(0, 3)));
    return new Plan("oc", "select * from orders join customers on customer_id = cid",
        new MaterializeOp(4, SqlPos.UNKNOWN, join, "oc"));
  }

  /** select customer_id, count(*), count(amount), sum(amount) from orders group by customer_id */
  static Plan sumCount() {
    AggregateOp agg = new AggregateOp(2, SqlPos.UNKNOWN, orders(1), List.of(1), List.of(
        new AggCall(AggCall.Kind.COUNT_STAR, -1, BIGINT, "cnt"),
        new AggCall(AggCall.Kind.COUNT, 2, BIGINT, "cnt_amount"),
        new AggCall(AggCall.Kind.SUM, 2, BIGINT, "total")),
        List.of(col("customer_id", INT), col("cnt", BIGINT), col("cnt_amount", BIGINT), col("total", BIGINT)));
    return new Plan("by_customer", "select customer_id, count(*), count(amount), sum(amount) from orders group by customer_id",
        new MaterializeOp(3, SqlPos.UNKNOWN, agg, "by_customer"));
  }

  /** select customer_id, min(amount), max(amount), count(*) from orders group by customer_id */
  static Plan minMax() {
    AggregateOp agg = new AggregateOp(2, SqlPos.UNKNOWN, orders(1), List.of(1), List.of(
        new AggCall(AggCall.Kind.MIN, 2, INT, "lo"),
        new AggCall(AggCall.Kind.MAX, 2, INT, "hi"),
        new AggCall(AggCall.Kind.COUNT_STAR, -1, BIGINT, "cnt")),
        List.of(col("customer_id", INT), col("lo", INT), col("hi", INT), col("cnt", BIGINT)));
    return new Plan("range", "select customer_id, min(amount), max(amount), count(*) from orders group by customer_id",
        new MaterializeOp(3, SqlPos.UNKNOWN, agg, "range"));
  }

  private static Expr ref(int i) {
    return new Expr.ColumnRef(i, INT);
  }

  private static Column col(String name, ColumnType type) {
    return new Column(name, type);
  }

  private static SourceOp source(int id, String table, Column... columns) {
    return new SourceOp(id, SqlPos.UNKNOWN, "public", table, List.of(columns), RowKey.of(List.of(0)));
  }

  private static List<Column> concat(List<Column> a, List<Column> b) {
    List<Column> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
