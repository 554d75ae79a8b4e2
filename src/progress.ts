/** How long a run goes before it says how far it is, and how often the line is redrawn. */
const DELAY_MS = 2000;
const REDRAW_MS = 100;

/** Where a run reports how far it is: the phase, and for the files, how many of how many. */
export type ProgressReport = (phase: string, done?: number, total?: number) => void;

/**
 * One stderr line that says how far a long run is: only on a terminal, only after two seconds,
 * redrawn in place and cleared before the report is written. Never on a pipe or in a file.
 */
export class ProgressLine {
  private shown = false;
  private drawnAt = 0;
  private readonly startedAt: number;

  constructor(
    private readonly stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  readonly report: ProgressReport = (phase, done, total) => {
    if (!this.stream.isTTY) return;
    const time = this.now();
    if (time - this.startedAt < DELAY_MS || time - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = time;
    this.shown = true;
    this.stream.write(`\r\u001b[2Karch-lint: ${phase}${total === undefined ? '' : ` ${done ?? 0}/${total} files`}`);
  };

  clear(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
    this.shown = false;
  }
}
