import { TrainError } from '../TrainError.js';

/** Lifecycle state of a tracked run (MLflow's names). */
export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** Where a run's inputs came from. */
export interface RunLineage {
  /** Dataset name@version the run trained on. */
  readonly datasetVersion?: string;
  /** Run whose policy this run started from (BC → DAgger → PPO). */
  readonly parentRunId?: string;
  /** Source revision of the training code (git commit). */
  readonly codeVersion?: string;
}

/** A parameter value; stored as its string form. */
export type ParamValue = string | number | boolean;

/** One point of a metric's curve. */
export interface MetricPoint {
  readonly key: string;
  readonly value: number;
  readonly step: number;
  /** Milliseconds since the epoch; defaults to the tracker's clock. */
  readonly timestamp?: number;
}

/** Options for {@link RunTracker.startRun}. */
export interface StartRunOptions {
  /** Experiment (group of runs) the run belongs to; created when missing. */
  readonly experiment: string;
  /** Human-readable run name. */
  readonly name: string;
  readonly lineage?: RunLineage;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A run being recorded. Every method resolves once the backend has stored the data. */
export interface TrackedRun {
  /** Backend run id (a 32-hex-digit id in both backends). */
  readonly id: string;
  /** Logs parameters; a parameter's value cannot change once logged. */
  logParams(params: Readonly<Record<string, ParamValue>>): Promise<void>;
  /** Appends metric points; non-finite values are not stored (MLflow's JSON cannot carry them). */
  logMetrics(points: readonly MetricPoint[]): Promise<void>;
  /** Sets tags; a later value replaces an earlier one. */
  setTags(tags: Readonly<Record<string, string>>): Promise<void>;
  /** Stores a file under the run's artifacts, at a relative path such as `policy/policy.onnx`. */
  logArtifact(path: string, content: Uint8Array | string): Promise<void>;
  /** Ends the run with a final status. */
  finish(status: Exclude<RunStatus, 'RUNNING'>): Promise<void>;
}

/** Experiment tracking backend: the built-in store or an MLflow tracking server. */
export interface RunTracker {
  /** Backend name for logs: `builtin` or `mlflow`. */
  readonly kind: 'builtin' | 'mlflow';
  /** Creates a run in state RUNNING. */
  startRun(options: StartRunOptions): Promise<TrackedRun>;
  /** Reopens an existing run (a crashed run resuming) and marks it RUNNING again. */
  resumeRun(id: string): Promise<TrackedRun>;
  /** Releases resources (database handle); runs are not finished by it. */
  close(): Promise<void>;
}

/** Tag keys lineage is written under, shared by both backends so queries look the same. */
export const LINEAGE_TAGS = {
  parentRunId: 'mlflow.parentRunId',
  codeVersion: 'mlflow.source.git.commit',
  datasetVersion: 'fleetloop.dataset_version',
} as const;

/** Lineage as tags (only the fields that are set). */
export function lineageTags(lineage: RunLineage | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  if (lineage?.parentRunId !== undefined) tags[LINEAGE_TAGS.parentRunId] = lineage.parentRunId;
  if (lineage?.codeVersion !== undefined) tags[LINEAGE_TAGS.codeVersion] = lineage.codeVersion;
  if (lineage?.datasetVersion !== undefined) tags[LINEAGE_TAGS.datasetVersion] = lineage.datasetVersion;
  return tags;
}

/** Checks an artifact path is relative and stays inside the run's artifact folder. */
export function checkArtifactPath(path: string): string {
  const parts = path.split('/');
  if (path.length === 0 || path.startsWith('/') || parts.some((p) => p === '..' || p === '' || p === '.')) {
    throw new TrainError(
      'TRAIN_TRACKING_FAILED',
      `artifact path ${JSON.stringify(path)} must be relative, without "." or ".." segments`,
    );
  }
  return path;
}
