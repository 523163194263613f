/** The fields of metrics.jsonl and results.json that measure time, which differ run to run. */
const wallClock = new Set([
  'imagesPerSecond',
  'stepSeconds',
  'trainSeconds',
  'wallSeconds',
  'phaseSeconds',
]);

/** A run file's JSON without its wall-clock fields: what a resumed run must reproduce. */
export function withoutWallClock(text: string): ReturnType<typeof JSON.parse> {
  return JSON.parse(text, (key, value) => (wallClock.has(key) ? undefined : value));
}
