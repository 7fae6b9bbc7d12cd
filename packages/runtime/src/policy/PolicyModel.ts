/** A policy graph as the control loop runs it: observation in, raw action out. */
export interface PolicyModel {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Runs one observation; resolves to the raw action. */
  run(observation: ArrayLike<number>): Promise<Float32Array>;
  /** Runs the graph a few times so the first real step does not pay for allocation. */
  warm(runs?: number): Promise<void>;
  release(): Promise<void>;
}
