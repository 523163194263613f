import { describe, expect, it } from 'vitest';
import { peerStatus, silenceThresholdSeconds } from './peer-status.js';

describe('peerStatus', () => {
  it('sorts the other ranks into missing (never announced it) and silent (announced, then quiet)', () => {
    // rank 0 waited 30 s in #12: rank 1 is polling it, rank 2 stopped inside it, rank 3 is behind.
    expect(peerStatus(0, 12, [12, 12, 12, 11], [0, 0.2, 25, 0.1], 30)).toEqual({
      missingRanks: [3],
      silentRanks: [2],
    });
  });

  it('lets a short wait name a rank that went quiet for most of it', () => {
    expect(silenceThresholdSeconds).toBe(1);
    expect(peerStatus(1, 4, [4, 4], [0.7, 0], 1.2).silentRanks).toEqual([0]);
    expect(peerStatus(1, 4, [4, 4], [0.5, 0], 1.2).silentRanks).toEqual([]);
  });

  it('treats a rank with no silence reading as heard from', () => {
    expect(peerStatus(0, 3, [3, 3], [], 10)).toEqual({ missingRanks: [], silentRanks: [] });
  });
});
