import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DesiredState } from './desiredState.js';
import { parseDesiredState } from './parseDesiredState.js';

/** Options for {@link DesiredStateFile}. */
export interface DesiredStateFileOptions {
  readonly file: string;
  readonly onDesired: (desired: DesiredState) => void;
  readonly onError: (error: unknown) => void;
  /** Quiet time after a change before the file is read, ms (a writer may still be writing). Default 50. */
  readonly settleMs?: number;
}

/**
 * Follows a desired-state file such as a ConfigMap key mounted by Flux. Kubernetes replaces such
 * files by swapping a symlink in their directory, so the directory is watched, not the file; every
 * change re-reads the file and reports its content when it differs from the last one reported.
 */
export class DesiredStateFile {
  readonly #options: DesiredStateFileOptions;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #last: string | undefined;
  #reading: Promise<void> = Promise.resolve();

  constructor(options: DesiredStateFileOptions) {
    this.#options = options;
  }

  /** Reads the file once (a missing file is not an error: nothing is desired yet) and starts watching. */
  async start(): Promise<void> {
    await this.#read();
    this.#watcher = watch(path.dirname(path.resolve(this.#options.file)), () => this.#changed());
    this.#watcher.on('error', (error) => this.#options.onError(error));
  }

  /** Resolves when the reads scheduled so far are done (tests). */
  async settled(): Promise<void> {
    await this.#reading;
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#watcher?.close();
    await this.#reading;
  }

  #changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#reading = this.#reading.then(() => this.#read());
    }, this.#options.settleMs ?? 50);
  }

  async #read(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.#options.onError(error);
      return;
    }
    if (text === this.#last) return;
    this.#last = text;
    try {
      this.#options.onDesired(parseDesiredState(text, this.#options.file));
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
