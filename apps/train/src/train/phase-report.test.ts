import { PhaseTimes } from '@supernas/trainer';
import { describe, expect, it } from 'vitest';
import { formatPhaseTimes, formatThreadAdaptation } from './phase-report.js';

describe('formatPhaseTimes', () => {
  it('lists the phases that took time, with shares of the wall time, and the rest', () => {
    const phases = new PhaseTimes();
    phases.add('training', 30);
    phases.add('ranking', 10);
    const lines = formatPhaseTimes(phases, 50).split('\n');
    expect(lines[0]).toBe('time: 0:50 end to end (50.0 s)');
    expect(lines.slice(1).map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'attentive ranking forwards 10.0 s 20.0%',
      'sandwich forwards + backwards 30.0 s 60.0%',
      'other (Node start, modules, glue) 10.0 s 20.0%',
    ]);
  });
});

describe('formatThreadAdaptation', () => {
  it('says how long the native backend ran on fewer threads, and how to pin them', () => {
    expect(formatThreadAdaptation({ maxThreads: 2, switches: 0, reducedSeconds: 0 }, 100)).toBe(
      undefined,
    );
    expect(formatThreadAdaptation({ maxThreads: 2, switches: 3, reducedSeconds: 12.34 }, 200)).toBe(
      'threads: 2, fewer for 12.3 s (6.2%) while other processes kept cores busy ' +
        '(3 changes; OMP_NUM_THREADS pins the count)',
    );
    expect(formatThreadAdaptation({ maxThreads: 4, switches: 1, reducedSeconds: 5 }, 10)).toMatch(
      /fewer for 5\.0 s \(50\.0%\) .* \(1 change;/,
    );
  });
});
