package io.trickle.compiler.parse;

import io.trickle.compiler.plan.ColumnType;

/** A result column of the defining query as PostgreSQL types it; {@code type} null if unsupported. */
public record PgOutputColumn(String name, String pgType, ColumnType type) {}
