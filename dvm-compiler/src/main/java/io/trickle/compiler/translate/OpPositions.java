package io.trickle.compiler.translate;

import io.trickle.compiler.parse.SqlPositions;
import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out SQL positions to operators as they are translated: the n-th scan of a table gets the
 * n-th mention of that table in FROM, the n-th join the n-th JOIN. Tables and joins that come
 * from an inlined view have no mention of their own and get the first FROM item's position.
 */
final class OpPositions {
  private final SqlPositions sql;
  private final List<SqlPositions.TableRef> tables;
  private final boolean[] tableUsed;
  private final List<SqlPos> joins;
  private int nextJoin;

  OpPositions(SqlPositions sql) {
    this.sql = sql;
    this.tables = sql.tables();
    this.tableUsed = new boolean[tables.size()];
    this.joins = new ArrayList<>(sql.joins());
  }

  SqlPos scan(String tableName) {
    for (int i = 0; i < tables.size(); i++) {
      if (!tableUsed[i] && tables.get(i).name().equals(tableName)) {
        tableUsed[i] = true;
        return tables.get(i).pos();
      }
    }
    return tables.isEmpty() ? sql.start() : tables.get(0).pos();
  }

  SqlPos join() {
    return nextJoin < joins.size() ? joins.get(nextJoin++) : scan("");
  }

  SqlPos where() {
    return sql.where();
  }

  SqlPos having() {
    return sql.having();
  }

  SqlPos project() {
    return sql.selectList();
  }

  SqlPos aggregate() {
    return sql.aggregate();
  }

  SqlPos orderBy() {
    return sql.orderBy();
  }

  SqlPos start() {
    return sql.start();
  }

  SqlPos selectItem(int index) {
    return sql.selectItem(index);
  }
}
