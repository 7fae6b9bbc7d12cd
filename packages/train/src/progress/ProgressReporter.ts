/** Options for {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where progress goes (default standard error, keeping standard output for results). */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force a format; by default a bar on a terminal and JSON lines otherwise. */
  readonly format?: 'bar' | 'json';
  readonly now?: () => number;
}

/**
 * Training progress: a one-line bar redrawn in place on a terminal, one JSON object per update
 * otherwise (CI logs, Kubernetes Jobs), so machines and people both can follow a run.
 */
export class ProgressReporter {
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly #bar: boolean;
  readonly #now: () => number;
  #stage = '';
  #total = 1;
  #started = 0;
  #drawn = false;

  constructor(options: ProgressReporterOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#bar = (options.format ?? (this.#stream.isTTY === true ? 'bar' : 'json')) === 'bar';
    this.#now = options.now ?? Date.now;
  }

  /** Starts a stage of `total` steps. */
  begin(stage: string, total: number): void {
    this.#stage = stage;
    this.#total = Math.max(1, total);
    this.#started = this.#now();
  }

  /** Reports that `done` of the stage's steps are complete, with the latest metrics. */
  update(done: number, metrics: Readonly<Record<string, number>> = {}): void {
    const elapsedS = (this.#now() - this.#started) / 1000;
    if (!this.#bar) {
      this.#stream.write(
        `${JSON.stringify({ stage: this.#stage, step: done, total: this.#total, elapsedS: round(elapsedS), ...roundAll(metrics) })}\n`,
      );
      return;
    }
    const width = 24;
    const filled = Math.round((Math.min(done, this.#total) / this.#total) * width);
    const figures = Object.entries(metrics)
      .map(([k, v]) => `${k} ${formatNumber(v)}`)
      .join('  ');
    const line = `${this.#stage} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.#total} ${elapsedS.toFixed(0)}s  ${figures}`;
    const columns = this.#stream.columns ?? 120;
    this.#stream.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, line.length))}\u001b[K`);
    this.#drawn = true;
  }

  /** Ends the stage (moves past the bar on a terminal). */
  end(): void {
    if (this.#bar && this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
  }
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

function roundAll(metrics: Readonly<Record<string, number>>): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? round(v) : null]),
  );
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(3);
}
