package io.trickle.compiler.plan;

/** Typed dispatch over plan operators; adding an operator breaks every visitor until handled. */
public interface OpVisitor<R> {
  R visitSource(SourceOp op);

  R visitFilter(FilterOp op);

  R visitProject(ProjectOp op);

  R visitJoin(JoinOp op);

  R visitAggregate(AggregateOp op);

  R visitMaterialize(MaterializeOp op);

  R visitTopK(TopKOp op);

  R visitUnionAll(UnionAllOp op);

  R visitSetOperation(SetOperationOp op);

  R visitWindow(WindowOp op);

  R visitSetReturning(SetReturningOp op);
}
