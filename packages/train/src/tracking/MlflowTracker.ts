import { TrainError } from '../TrainError.js';
import {
  checkArtifactPath,
  lineageTags,
  type MetricPoint,
  type ParamValue,
  type RunStatus,
  type RunTracker,
  type StartRunOptions,
  type TrackedRun,
} from './RunTracker.js';

/** MLflow's documented per-request limits of `runs/log-batch`. */
export const MLFLOW_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

/** Options for {@link MlflowTracker}. */
export interface MlflowTrackerOptions {
  /** Tracking server base URL, e.g. `http://127.0.0.1:5000` or an AzureML workspace's MLflow URI (https). */
  readonly url: string;
  /** Bearer token (AzureML: an Entra ID access token); sent as `Authorization: Bearer …`. */
  readonly token?: string;
  /** Clock in milliseconds since the epoch. */
  readonly now?: () => number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

interface RunInfo {
  readonly run_id: string;
  readonly experiment_id: string;
  readonly artifact_uri?: string;
}

/**
 * Tracking through the MLflow REST API (`/api/2.0/mlflow`): experiments are found by name or
 * created, runs created and updated, parameters/metrics/tags sent with `runs/log-batch` split
 * into requests within MLflow's limits, and artifacts uploaded through the artifact proxy
 * (`PUT /api/2.0/mlflow-artifacts/artifacts/<path>`). Works with an AzureML workspace's MLflow
 * endpoint given a bearer token.
 */
export class MlflowTracker implements RunTracker {
  readonly kind = 'mlflow';
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #now: () => number;
  readonly #timeoutMs: number;

  constructor(options: MlflowTrackerOptions) {
    this.#base = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async startRun(options: StartRunOptions): Promise<TrackedRun> {
    const experimentId = await this.#experimentId(options.experiment);
    const tags = { ...lineageTags(options.lineage), ...options.tags };
    const created = (await this.#call('POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: options.name,
      start_time: this.#now(),
      tags: toKeyValues(tags).slice(0, MLFLOW_BATCH_LIMITS.tags),
    })) as { run: { info: RunInfo } };
    const run = this.#handle(created.run.info);
    const rest = toKeyValues(tags).slice(MLFLOW_BATCH_LIMITS.tags);
    if (rest.length > 0) await run.setTags(Object.fromEntries(rest.map((t) => [t.key, t.value])));
    return run;
  }

  async resumeRun(id: string): Promise<TrackedRun> {
    const found = (await this.#call('GET', `runs/get?run_id=${encodeURIComponent(id)}`)) as {
      run: { info: RunInfo };
    };
    await this.#call('POST', 'runs/update', { run_id: id, status: 'RUNNING' });
    return this.#handle(found.run.info);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  async #experimentId(name: string): Promise<string> {
    try {
      const found = (await this.#call(
        'GET',
        `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      )) as { experiment: { experiment_id: string } };
      return found.experiment.experiment_id;
    } catch (error) {
      if (!(error instanceof MlflowHttpError) || error.errorCode !== 'RESOURCE_DOES_NOT_EXIST') throw error;
    }
    const created = (await this.#call('POST', 'experiments/create', { name })) as { experiment_id: string };
    return created.experiment_id;
  }

  #handle(info: RunInfo): TrackedRun {
    const runId = info.run_id;
    const artifactRoot = artifactProxyPath(info);
    const logBatch = async (batch: {
      metrics?: MetricPoint[];
      params?: { key: string; value: string }[];
      tags?: { key: string; value: string }[];
    }): Promise<void> => {
      for (const body of splitBatch(batch))
        await this.#call('POST', 'runs/log-batch', { run_id: runId, ...body });
    };
    return {
      id: runId,
      logParams: (params: Readonly<Record<string, ParamValue>>) =>
        logBatch({ params: Object.entries(params).map(([key, value]) => ({ key, value: String(value) })) }),
      logMetrics: (points: readonly MetricPoint[]) =>
        logBatch({
          metrics: points
            .filter((p) => Number.isFinite(p.value))
            .map((p) => ({
              key: p.key,
              value: p.value,
              timestamp: p.timestamp ?? this.#now(),
              step: p.step,
            })),
        }),
      setTags: (tags: Readonly<Record<string, string>>) => logBatch({ tags: toKeyValues(tags) }),
      logArtifact: async (artifactPath: string, content: Uint8Array | string) => {
        const target = `${artifactRoot}/${checkArtifactPath(artifactPath)}`;
        await this.#request('PUT', `${this.#base}/api/2.0/mlflow-artifacts/artifacts/${encodePath(target)}`, {
          body: typeof content === 'string' ? Buffer.from(content) : content,
          contentType: 'application/octet-stream',
        });
      },
      finish: async (status: Exclude<RunStatus, 'RUNNING'>) => {
        await this.#call('POST', 'runs/update', { run_id: runId, status, end_time: this.#now() });
      },
    };
  }

  #call(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<unknown> {
    return this.#request(method, `${this.#base}/api/2.0/mlflow/${endpoint}`, {
      ...(body === undefined
        ? {}
        : { body: Buffer.from(JSON.stringify(body)), contentType: 'application/json' }),
    });
  }

  async #request(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    options: { body?: Uint8Array; contentType?: string },
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: options.body }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new TrainError(
        'TRAIN_TRACKING_FAILED',
        `MLflow request ${method} ${url} failed: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let errorCode = `HTTP_${response.status}`;
      let message = text.slice(0, 500);
      try {
        const parsed = JSON.parse(text) as { error_code?: string; message?: string };
        errorCode = parsed.error_code ?? errorCode;
        message = parsed.message ?? message;
      } catch {
        // Not JSON (a proxy's HTML error page): the raw text is the message.
      }
      throw new MlflowHttpError(method, url, response.status, errorCode, message);
    }
    return text.length === 0 ? {} : (JSON.parse(text) as unknown);
  }
}

/** An MLflow server's error answer (`error_code` and `message` from its JSON body). */
export class MlflowHttpError extends TrainError {
  readonly status: number;
  readonly errorCode: string;

  constructor(method: string, url: string, status: number, errorCode: string, message: string) {
    super(
      'TRAIN_TRACKING_FAILED',
      `MLflow ${method} ${url} answered ${status} ${errorCode}: ${message}` +
        (status === 401 || status === 403 ? ' (check tracking.token)' : ''),
    );
    this.status = status;
    this.errorCode = errorCode;
  }
}

function toKeyValues(record: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/**
 * Splits a log-batch body so each request holds at most 1000 metrics, 100 params, 100 tags and
 * 1000 items in total (MLflow's documented limits).
 */
export function splitBatch(batch: {
  metrics?: readonly unknown[];
  params?: readonly unknown[];
  tags?: readonly unknown[];
}): { metrics: unknown[]; params: unknown[]; tags: unknown[] }[] {
  const metrics = [...(batch.metrics ?? [])];
  const params = [...(batch.params ?? [])];
  const tags = [...(batch.tags ?? [])];
  const out: { metrics: unknown[]; params: unknown[]; tags: unknown[] }[] = [];
  while (metrics.length + params.length + tags.length > 0) {
    const p = params.splice(0, MLFLOW_BATCH_LIMITS.params);
    const t = tags.splice(0, MLFLOW_BATCH_LIMITS.tags);
    const m = metrics.splice(
      0,
      Math.min(MLFLOW_BATCH_LIMITS.metrics, MLFLOW_BATCH_LIMITS.total - p.length - t.length),
    );
    out.push({ metrics: m, params: p, tags: t });
  }
  return out;
}

/** The artifact proxy path of a run's artifact root (`<experiment>/<run>/artifacts` by default). */
function artifactProxyPath(info: RunInfo): string {
  const uri = info.artifact_uri;
  const match = uri === undefined ? null : /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/.exec(uri);
  return (match?.[1] ?? `${info.experiment_id}/${info.run_id}/artifacts`).replace(/\/+$/, '');
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}
