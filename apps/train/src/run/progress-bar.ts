/** Where a progress bar draws: a terminal stream, or a command's `io.stderr`. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A one-line progress display: step, loss (or another `detail`), images/s and ETA. Redraws in
 * place on a TTY.
 */
export class ProgressBar {
  private readonly startedAt = Date.now();
  private lastDrawAt = 0;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly label = 'train',
  ) {}

  update(
    step: number,
    fields: { loss?: number; detail?: string; imagesPerSecond: number; etaSeconds: number },
  ): void {
    const now = Date.now();
    const isLast = step >= this.total;
    if (!isLast && now - this.lastDrawAt < (this.stream.isTTY ? 200 : 10_000)) return;
    this.lastDrawAt = now;
    const width = 24;
    const filled = Math.round((width * step) / this.total);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const line = `${this.label} [${bar}] ${step}/${this.total} ${fields.detail ?? `loss ${(fields.loss ?? Number.NaN).toFixed(4)}`} | ${fields.imagesPerSecond.toFixed(1)} img/s | ETA ${formatDuration(fields.etaSeconds)}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}${isLast ? '\n' : ''}`);
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const total = Math.round(seconds);
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  return `${minutes}:${String(rest).padStart(2, '0')}`;
}
