import type { PlanOp } from './inference-graph.js';

/** A plan op over named values, before buffers are assigned. */
export interface ValueOp {
  readonly kind: string;
  /** Values read: the source first; then the other operand, or the residual of a fused add. */
  readonly inputs: readonly string[];
  readonly output: string;
  /** Floats the output holds. */
  readonly size: number;
  /** Reads and writes element i alone, so the output may take a dying input's buffer. */
  readonly elementwise?: boolean;
  /** A convolution whose output is added to this value (oneDNN's `sum` post-op). */
  readonly sumInPlace?: string;
  readonly fields: Record<string, unknown>;
}

/**
 * Gives each value a buffer, reusing the buffers of dead values (best fit by size), so a deep
 * net at a large batch keeps only a few activations alive. An element-wise op writes over an
 * input that dies there; a convolution with a fused residual add writes over the residual when
 * it dies there, and otherwise starts from a copy of it (`sumCopyFrom`). The graph input (buffer
 * -1) is the caller's array and is never written.
 */
export function assignBuffers(
  ops: readonly ValueOp[],
  aliases: ReadonlyMap<string, string>,
  output: string,
): { buffers: number[]; ops: PlanOp[]; output: number } {
  const canonical = (value: string): string => aliases.get(value) ?? value;
  const lastUse = new Map<string, number>([[canonical(output), Number.POSITIVE_INFINITY]]);
  ops.forEach((op, index) => {
    for (const input of op.inputs) {
      const value = canonical(input);
      if (lastUse.get(value) !== Number.POSITIVE_INFINITY) lastUse.set(value, index);
    }
  });
  const buffers: number[] = [];
  const free: number[] = [];
  const bufferOf = new Map<string, number>([['input', -1]]);
  const take = (size: number): number => {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const capacity = buffers[free[i] as number] as number;
      if (capacity >= size && (best < 0 || capacity < (buffers[free[best] as number] as number)))
        best = i;
    }
    if (best >= 0) return free.splice(best, 1)[0] as number;
    return buffers.push(size) - 1;
  };
  const buffer = (value: string): number => {
    const found = bufferOf.get(canonical(value));
    if (found === undefined) throw new Error(`assignBuffers: ${value} has no buffer yet`);
    return found;
  };
  const dies = (value: string, index: number): boolean =>
    canonical(value) !== 'input' && lastUse.get(canonical(value)) === index;

  const planOps = ops.map((op, index): PlanOp => {
    const [source, other] = op.inputs as [string, string | undefined];
    let dst: number | undefined;
    const extra: Record<string, unknown> = {};
    if (op.sumInPlace !== undefined) {
      const residual = op.sumInPlace;
      if (dies(residual, index) && canonical(residual) !== canonical(source)) {
        dst = buffer(residual);
        extra.sumCopyFrom = -2;
      } else {
        extra.sumCopyFrom = buffer(residual);
      }
    } else if (op.elementwise) {
      const candidates = op.kind === 'channelMultiply' ? [source] : op.inputs;
      const reusable = candidates.find((value) => dies(value, index));
      if (reusable !== undefined) dst = buffer(reusable);
    }
    dst ??= take(op.size);
    bufferOf.set(op.output, dst);
    const planOp: PlanOp = {
      kind: op.kind,
      src: buffer(source),
      dst,
      size: op.size,
      ...(other !== undefined && op.sumInPlace === undefined ? { other: buffer(other) } : {}),
      ...op.fields,
      ...extra,
    };
    const released = new Set<string>();
    for (const input of op.inputs) {
      const value = canonical(input);
      if (dies(value, index) && bufferOf.get(value) !== dst) released.add(value);
    }
    if (!lastUse.has(op.output)) released.add(op.output);
    for (const value of released) free.push(bufferOf.get(value) as number);
    return planOp;
  });
  return { buffers, ops: planOps, output: buffer(output) };
}
