export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 30;
const TTY_EVERY_MS = 100;
const LOG_EVERY_MS = 10_000;

/**
 * A progress bar on stderr: `\rlabel [#####.....] 120/300` redrawn in place on a terminal; on a
 * pipe or file, one line at the start, every 10 seconds and at the end.
 */
export class Progress {
  private lastDraw = 0;
  private lastLine = '';
  private done = 0;
  private finished = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.draw(true);
  }

  update(done: number): void {
    this.done = Math.min(done, this.total);
    const interval = this.stream.isTTY ? TTY_EVERY_MS : LOG_EVERY_MS;
    if (this.done === this.total || this.now() - this.lastDraw >= interval) this.draw(false);
  }

  /** Leaves the bar at its last value on its own line. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.stream.isTTY) {
      this.draw(true);
      this.stream.write('\n');
    } else if (this.lastLine !== this.line()) {
      this.draw(true);
    }
  }

  private line(): string {
    const filled = this.total === 0 ? WIDTH : Math.round((this.done / this.total) * WIDTH);
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${this.done}/${this.total}`;
  }

  private draw(force: boolean): void {
    const line = this.line();
    if (!force && line === this.lastLine) return;
    this.lastDraw = this.now();
    this.lastLine = line;
    this.stream.write(this.stream.isTTY ? `\r${line}` : `${line}\n`);
  }
}
