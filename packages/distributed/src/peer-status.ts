/** How long a rank waiting in a collective may go unheard before it counts as silent, in seconds. */
export const silenceThresholdSeconds = 1;

export interface PeerStatus {
  /** Ranks that never announced the collective: dead, hung or out of step before it. */
  readonly missingRanks: number[];
  /** Ranks that announced it, then stopped re-announcing it (see `silenceThresholdSeconds`). */
  readonly silentRanks: number[];
}

/**
 * Sorts the other ranks of a failed collective `sequence` by what this rank heard from them.
 * `waitedSeconds` caps the threshold at half the wait, so a short timeout still names a rank
 * that went quiet for most of it.
 */
export function peerStatus(
  rank: number,
  sequence: number,
  lastSeen: readonly number[],
  silentSeconds: readonly number[],
  waitedSeconds: number,
): PeerStatus {
  const threshold = Math.min(silenceThresholdSeconds, waitedSeconds / 2);
  const missingRanks: number[] = [];
  const silentRanks: number[] = [];
  lastSeen.forEach((last, peer) => {
    if (peer === rank) return;
    if (last < sequence) missingRanks.push(peer);
    else if ((silentSeconds[peer] ?? 0) > threshold) silentRanks.push(peer);
  });
  return { missingRanks, silentRanks };
}
