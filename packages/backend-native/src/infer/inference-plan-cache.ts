import type { DataId } from '@tensorflow/tfjs-core';

/** A built plan: the native handle and what it was built from. */
export interface CachedPlan {
  readonly handle: unknown;
  readonly weightIds: readonly DataId[];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly outputSize: number;
}

const plansPerGraph = 4;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis]);
}

/**
 * Built inference plans by graph (the node list, by identity), weights (their tfjs data ids)
 * and input shape. A plan holds copies of its weights, reordered; it is released as soon as one
 * of the tensors it was built from is disposed or its data moves (the backend calls `forget`),
 * so a plan never outlives, or disagrees with, its weights. At most a few input shapes are kept
 * per graph (batch 1 and a serving batch, say); the least recently used goes first.
 */
export class InferencePlanCache {
  private readonly byGraph = new WeakMap<object, CachedPlan[]>();
  private readonly byWeight = new Map<DataId, Set<CachedPlan>>();
  private readonly graphOf = new Map<CachedPlan, object>();

  constructor(private readonly release: (handle: unknown) => void) {}

  find(
    graph: object,
    weightIds: readonly DataId[],
    inputShape: readonly number[],
  ): CachedPlan | undefined {
    const plans = this.byGraph.get(graph);
    const index =
      plans?.findIndex(
        (plan) =>
          sameShape(plan.inputShape, inputShape) &&
          plan.weightIds.length === weightIds.length &&
          plan.weightIds.every((id, i) => id === weightIds[i]),
      ) ?? -1;
    if (plans === undefined || index < 0) return undefined;
    const [plan] = plans.splice(index, 1) as [CachedPlan];
    plans.unshift(plan);
    return plan;
  }

  add(graph: object, plan: CachedPlan): void {
    const plans = this.byGraph.get(graph) ?? [];
    this.byGraph.set(graph, plans);
    plans.unshift(plan);
    this.graphOf.set(plan, graph);
    for (const id of plan.weightIds) {
      const users = this.byWeight.get(id) ?? new Set();
      users.add(plan);
      this.byWeight.set(id, users);
    }
    while (plans.length > plansPerGraph) this.drop(plans[plans.length - 1] as CachedPlan);
  }

  /** Releases every plan built from `dataId`'s values. */
  forget(dataId: DataId): void {
    const users = this.byWeight.get(dataId);
    if (users === undefined) return;
    for (const plan of [...users]) this.drop(plan);
  }

  /** Releases every plan. */
  clear(): void {
    for (const plan of [...this.graphOf.keys()]) this.drop(plan);
  }

  /** Plans held. */
  get size(): number {
    return this.graphOf.size;
  }

  /** Releases one plan. */
  drop(plan: CachedPlan): void {
    const graph = this.graphOf.get(plan);
    if (graph === undefined) return;
    this.graphOf.delete(plan);
    const plans = this.byGraph.get(graph);
    if (plans !== undefined) plans.splice(plans.indexOf(plan), 1);
    for (const id of plan.weightIds) {
      const users = this.byWeight.get(id);
      users?.delete(plan);
      if (users?.size === 0) this.byWeight.delete(id);
    }
    this.release(plan.handle);
  }
}
