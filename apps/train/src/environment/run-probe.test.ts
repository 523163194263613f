import { describe, expect, it } from 'vitest';
import { probeResultPrefix, runProbe } from './run-probe.js';

describe('runProbe', () => {
  it('returns the JSON the script printed and captures its stderr', async () => {
    const outcome = await runProbe(
      `console.error('Warning: noisy native library'); console.log('chatter'); console.log(${JSON.stringify(probeResultPrefix)} + JSON.stringify({ answer: process.env.PROBE_INPUT }));`,
      { env: { PROBE_INPUT: '42' } },
    );
    expect(outcome.result).toEqual({ answer: '42' });
    expect(outcome.stderr).toContain('Warning: noisy native library');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.timedOut).toBe(false);
  });

  it('reports a script that fails without a result, with its exit code', async () => {
    const outcome = await runProbe(`process.stderr.write('boom\\n'); process.exit(3);`);
    expect(outcome.result).toBeUndefined();
    expect(outcome.exitCode).toBe(3);
    expect(outcome.stderr).toBe('boom\n');
  });

  it('stops a script that hangs', async () => {
    const outcome = await runProbe('setInterval(() => {}, 1000);', { timeoutMs: 300 });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.result).toBeUndefined();
  });
});
