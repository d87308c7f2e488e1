/**
 * A one-line progress bar with images/s and ETA for interactive terminals; silent when the stream is
 * not a TTY (piped or redirected), so logs stay clean.
 */
export class ProgressBar {
  private readonly started = performance.now();
  private done = 0;
  private failed = 0;
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = Boolean(stream.isTTY),
  ) {}

  /** Counts one image finished (or failed) and redraws at most 10 times a second. */
  tick(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
    const now = performance.now();
    if (now - this.lastDraw > 100 || this.done === this.total) {
      this.lastDraw = now;
      this.draw();
    }
  }

  /** The text of the bar, also used by tests. */
  render(width = 28): string {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const left = rate > 0 ? (this.total - this.done) / rate : Number.NaN;
    const fraction = this.total > 0 ? this.done / this.total : 1;
    const filled = Math.round(fraction * width);
    const eta = Number.isFinite(left) ? formatSeconds(left) : '--';
    const failed = this.failed ? ` ${this.failed} failed` : '';
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total} ${rate.toFixed(2)} img/s ETA ${eta}${failed}`;
  }

  /** Prints a message above the bar. */
  log(message: string): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
    this.stream.write(`${message}\n`);
    if (this.enabled && this.done > 0) this.draw();
  }

  finish(): void {
    if (this.enabled) this.stream.write('\n');
  }

  private draw(): void {
    if (this.enabled) this.stream.write(`\r\x1b[K${this.render()}`);
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
