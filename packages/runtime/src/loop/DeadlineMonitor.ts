/** Options for {@link DeadlineMonitor}. */
export interface DeadlineMonitorOptions {
  /** This many overruns in a row make the loop degraded (safe stop). */
  readonly maxConsecutiveOverruns: number;
  /** This many on-time steps in a row clear the degraded state. */
  readonly recoverAfterSteps: number;
}

/**
 * Counts steps that overran their budget (or missed their tick because the previous step was still
 * running) and turns K consecutive overruns into a degraded state, which the loop answers with a
 * safe stop until enough steps are on time again.
 */
export class DeadlineMonitor {
  readonly #options: DeadlineMonitorOptions;
  #overruns = 0;
  #consecutive = 0;
  #onTime = 0;
  #degraded = false;

  constructor(options: DeadlineMonitorOptions) {
    this.#options = options;
  }

  /** Overruns since start. */
  get overruns(): number {
    return this.#overruns;
  }

  /** True while the loop must hold the robot stopped because of overruns. */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** Records a finished step and its budget (the control period); returns true when it overran. */
  record(latencyMs: number, budgetMs: number): boolean {
    if (latencyMs > budgetMs) {
      this.#overrun();
      return true;
    }
    this.#consecutive = 0;
    if (this.#degraded && ++this.#onTime >= this.#options.recoverAfterSteps) this.#degraded = false;
    return false;
  }

  /** Records a tick that found the previous step still running. */
  missed(): void {
    this.#overrun();
  }

  #overrun(): void {
    this.#overruns++;
    this.#onTime = 0;
    if (++this.#consecutive >= this.#options.maxConsecutiveOverruns) this.#degraded = true;
  }
}
