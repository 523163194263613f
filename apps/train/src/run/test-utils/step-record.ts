/** A metrics.jsonl step record with the fields the charts read (test helper). */
export function stepRecord(step: number, studentLoss: string, losses: Array<[string, number]>) {
  return {
    type: 'step',
    step,
    learningRate: 0.1 / step,
    studentLoss,
    losses: losses.map(([role, loss]) => ({ role, loss, mflops: 1, arch: {} })),
  };
}
