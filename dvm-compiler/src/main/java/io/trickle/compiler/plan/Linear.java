package io.trickle.compiler.plan;

/** Marker: the operator maps each change independently, so it keeps no state. */
public interface Linear {}
