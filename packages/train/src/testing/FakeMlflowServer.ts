import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * An MLflow tracking server stand-in for tests: it accepts only the requests MLflow's REST API
 * documents (method, path, query and JSON body checked against the documented request
 * structures and log-batch limits), answers in MLflow's response shapes and error format, and
 * keeps everything it was sent for assertions.
 */
const keyValue = z.strictObject({ key: z.string().min(1).max(250), value: z.string().max(8000) });
const int64 = z.int().min(0);
const runStatus = z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

const bodies = {
  'experiments/create': z.strictObject({
    name: z.string().min(1),
    artifact_location: z.string().optional(),
    tags: z.array(keyValue).optional(),
  }),
  'runs/create': z.strictObject({
    experiment_id: z.string().min(1),
    user_id: z.string().optional(),
    run_name: z.string().optional(),
    start_time: int64.optional(),
    tags: z.array(keyValue).optional(),
  }),
  'runs/update': z.strictObject({
    run_id: z.string().min(1),
    run_uuid: z.string().optional(),
    status: runStatus.optional(),
    end_time: int64.optional(),
    run_name: z.string().optional(),
  }),
  'runs/log-batch': z.strictObject({
    run_id: z.string().min(1),
    metrics: z
      .array(
        z.strictObject({
          key: z.string().min(1),
          value: z.number(),
          timestamp: int64,
          step: z.int().optional(),
        }),
      )
      .max(1000)
      .optional(),
    params: z.array(keyValue).max(100).optional(),
    tags: z.array(keyValue).max(100).optional(),
  }),
};

/** A run as the fake server holds it. */
export interface FakeMlflowRun {
  readonly runId: string;
  readonly experimentId: string;
  name: string;
  status: z.infer<typeof runStatus>;
  startTime: number | undefined;
  endTime: number | undefined;
  readonly params: Map<string, string>;
  readonly tags: Map<string, string>;
  readonly metrics: { key: string; value: number; timestamp: number; step: number }[];
}

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeMlflowServer {
  readonly experiments = new Map<string, { id: string; name: string }>();
  readonly runs = new Map<string, FakeMlflowRun>();
  readonly artifacts = new Map<string, Buffer>();
  readonly requests: RecordedRequest[] = [];
  readonly #token: string | undefined;
  #server: Server | undefined;

  constructor(options: { token?: string } = {}) {
    this.#token = options.token;
  }

  /** Starts listening on 127.0.0.1 with a free port; returns the base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.#serve(req, res);
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((e) => (e === undefined ? resolve() : reject(e))),
    );
  }

  experimentName(id: string): string | undefined {
    return [...this.experiments.values()].find((e) => e.id === id)?.name;
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (this.#token !== undefined && req.headers.authorization !== `Bearer ${this.#token}`) {
        throw new ApiError(401, 'UNAUTHENTICATED', 'missing or wrong bearer token');
      }
      const result = this.#route(req.method ?? '', url, raw, req.headers['content-type']);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, 'INTERNAL_ERROR', String(error));
      res
        .writeHead(e.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error_code: e.errorCode, message: e.message }));
    }
  }

  #route(method: string, url: URL, raw: Buffer, contentType: string | undefined): unknown {
    const artifactPrefix = '/api/2.0/mlflow-artifacts/artifacts/';
    if (url.pathname.startsWith(artifactPrefix)) {
      if (method !== 'PUT') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} ${url.pathname}`);
      const artifactPath = decodeURIComponent(url.pathname.slice(artifactPrefix.length));
      this.requests.push({ method, path: url.pathname, body: raw.length });
      this.artifacts.set(artifactPath, raw);
      return {};
    }
    const prefix = '/api/2.0/mlflow/';
    if (!url.pathname.startsWith(prefix)) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', url.pathname);
    const endpoint = url.pathname.slice(prefix.length);
    if (method === 'GET') {
      if (raw.length > 0) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', 'GET with a body');
      this.requests.push({ method, path: url.pathname, body: Object.fromEntries(url.searchParams) });
      return this.#get(endpoint, url.searchParams);
    }
    if (method !== 'POST') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} ${url.pathname}`);
    if (contentType !== 'application/json') {
      throw new ApiError(
        400,
        'INVALID_PARAMETER_VALUE',
        `content-type ${contentType} is not application/json`,
      );
    }
    const schema = bodies[endpoint as keyof typeof bodies] as z.ZodType | undefined;
    if (schema === undefined) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `POST ${url.pathname}`);
    const parsed = schema.safeParse(JSON.parse(raw.toString('utf8')));
    if (!parsed.success) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', z.prettifyError(parsed.error));
    this.requests.push({ method, path: url.pathname, body: parsed.data });
    return this.#post(endpoint, parsed.data as Record<string, unknown>);
  }

  #get(endpoint: string, query: URLSearchParams): unknown {
    if (endpoint === 'experiments/get-by-name') {
      const name = query.get('experiment_name');
      if (name === null) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', 'experiment_name is required');
      const found = this.experiments.get(name);
      if (found === undefined) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `experiment ${name}`);
      return { experiment: { experiment_id: found.id, name, lifecycle_stage: 'active' } };
    }
    if (endpoint === 'runs/get') {
      const run = this.#run(query.get('run_id') ?? '');
      return { run: { info: this.#info(run), data: {} } };
    }
    throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `GET ${endpoint}`);
  }

  #post(endpoint: string, body: Record<string, unknown>): unknown {
    switch (endpoint) {
      case 'experiments/create': {
        const b = body as z.infer<(typeof bodies)['experiments/create']>;
        if (this.experiments.has(b.name)) throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', b.name);
        const id = String(this.experiments.size + 1);
        this.experiments.set(b.name, { id, name: b.name });
        return { experiment_id: id };
      }
      case 'runs/create': {
        const b = body as z.infer<(typeof bodies)['runs/create']>;
        if (this.experimentName(b.experiment_id) === undefined) {
          throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `experiment ${b.experiment_id}`);
        }
        const run: FakeMlflowRun = {
          runId: randomUUID().replaceAll('-', ''),
          experimentId: b.experiment_id,
          name: b.run_name ?? '',
          status: 'RUNNING',
          startTime: b.start_time,
          endTime: undefined,
          params: new Map(),
          tags: new Map((b.tags ?? []).map((t) => [t.key, t.value])),
          metrics: [],
        };
        this.runs.set(run.runId, run);
        return { run: { info: this.#info(run), data: {} } };
      }
      case 'runs/update': {
        const b = body as z.infer<(typeof bodies)['runs/update']>;
        const run = this.#run(b.run_id);
        if (b.status !== undefined) run.status = b.status;
        if (b.end_time !== undefined) run.endTime = b.end_time;
        if (b.run_name !== undefined) run.name = b.run_name;
        return { run_info: this.#info(run) };
      }
      case 'runs/log-batch': {
        const b = body as z.infer<(typeof bodies)['runs/log-batch']>;
        const total = (b.metrics?.length ?? 0) + (b.params?.length ?? 0) + (b.tags?.length ?? 0);
        if (total > 1000) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `${total} items in one batch`);
        const run = this.#run(b.run_id);
        for (const p of b.params ?? []) {
          const old = run.params.get(p.key);
          if (old !== undefined && old !== p.value) {
            throw new ApiError(
              400,
              'INVALID_PARAMETER_VALUE',
              `Changing param values is not allowed: ${p.key}`,
            );
          }
          run.params.set(p.key, p.value);
        }
        for (const t of b.tags ?? []) run.tags.set(t.key, t.value);
        for (const m of b.metrics ?? []) run.metrics.push({ ...m, step: m.step ?? 0 });
        return {};
      }
      default:
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `POST ${endpoint}`);
    }
  }

  #run(id: string): FakeMlflowRun {
    const run = this.runs.get(id);
    if (run === undefined) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `run ${id}`);
    return run;
  }

  #info(run: FakeMlflowRun): Record<string, unknown> {
    return {
      run_id: run.runId,
      run_uuid: run.runId,
      run_name: run.name,
      experiment_id: run.experimentId,
      status: run.status,
      start_time: run.startTime,
      end_time: run.endTime,
      artifact_uri: `mlflow-artifacts:/${run.experimentId}/${run.runId}/artifacts`,
      lifecycle_stage: 'active',
    };
  }
}
