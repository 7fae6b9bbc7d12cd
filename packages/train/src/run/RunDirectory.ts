import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PolicySnapshot, SerializedLayer } from '../model/GaussianPolicy.js';
import { TrainError } from '../TrainError.js';

/** Which stage of a (possibly multi-stage) run a checkpoint belongs to. */
export type TrainingStage = 'bc' | 'dagger' | 'ppo';

/** A checkpoint: network weights, normaliser and loop position; no optimizer moments. */
export interface Checkpoint {
  readonly stage: TrainingStage;
  /** Epoch, DAgger round or PPO iteration completed. */
  readonly step: number;
  readonly policy: PolicySnapshot;
  readonly value?: readonly SerializedLayer[];
  /** Stage-specific loop state (PPO return statistics, DAgger round, …). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The run's identity kept beside its checkpoints, so a crashed run resumes into the same tracked run. */
export interface RunRecord {
  readonly runId: string;
  readonly tracker: 'builtin' | 'mlflow';
  readonly status: 'running' | 'finished' | 'failed';
  readonly algorithm: string;
  readonly failure?: string;
}

const CHECKPOINTS = 'checkpoints';
const LATEST = 'latest.json';
const KEEP = 2;

/**
 * The files of one training run: `run.json` (identity and status), `checkpoints/` (the last two,
 * written atomically), `metrics.jsonl` (every logged metric, for the learning curve) and the
 * exported policy package.
 */
export class RunDirectory {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async readRecord(): Promise<RunRecord | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, 'run.json'), 'utf8')) as RunRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async writeRecord(record: RunRecord): Promise<void> {
    await this.#atomicWrite(path.join(this.dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Writes a checkpoint and points `latest.json` at it; older ones beyond the last two are removed. */
  async saveCheckpoint(checkpoint: Checkpoint): Promise<string> {
    const dir = path.join(this.dir, CHECKPOINTS);
    await mkdir(dir, { recursive: true });
    const name = `${checkpoint.stage}-${String(checkpoint.step).padStart(6, '0')}.json`;
    await this.#atomicWrite(path.join(dir, name), JSON.stringify(checkpoint));
    await this.#atomicWrite(path.join(dir, LATEST), JSON.stringify({ file: name }));
    const old = (await readdir(dir)).filter((f) => f !== LATEST && f.endsWith('.json')).sort(byName);
    for (const file of old.slice(0, Math.max(0, old.length - KEEP))) {
      if (file !== name) await rm(path.join(dir, file), { force: true });
    }
    return path.join(dir, name);
  }

  /** The last checkpoint written, if any. */
  async latestCheckpoint(): Promise<Checkpoint | undefined> {
    const dir = path.join(this.dir, CHECKPOINTS);
    let pointer: { file: string };
    try {
      pointer = JSON.parse(await readFile(path.join(dir, LATEST), 'utf8')) as { file: string };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const file = path.join(dir, pointer.file);
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Checkpoint;
    } catch (error) {
      throw new TrainError(
        'TRAIN_CHECKPOINT_INVALID',
        `checkpoint ${file} cannot be read: ${String(error)}; delete ${dir} to start over`,
        {
          cause: error,
        },
      );
    }
  }

  /** Appends metric points to `metrics.jsonl`. */
  async appendMetrics(step: number, metrics: Readonly<Record<string, number>>): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(path.join(this.dir, 'metrics.jsonl'), `${JSON.stringify({ step, ...metrics })}\n`);
  }

  /** Every metric line written so far (also those from before a resume). */
  async readMetrics(): Promise<{ step: number; [key: string]: number }[]> {
    try {
      const text = await readFile(path.join(this.dir, 'metrics.jsonl'), 'utf8');
      return text
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as { step: number; [key: string]: number });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async #atomicWrite(file: string, text: string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  }
}

// A run trains one stage, so checkpoint names sort by step.
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
