import type { Logger } from '@fleetloop/core';
import { FleetloopError } from '@fleetloop/core';
import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import type { ShadowEvaluator } from '../shadow/ShadowEvaluator.js';
import type { HotSwap } from '../swap/HotSwap.js';
import { RuntimeError } from '../RuntimeError.js';
import type { DesiredState, PolicyRef } from './desiredState.js';
import type { PolicyFetcher } from './PolicyFetcher.js';

/** Loads a fetched package directory for this robot (verification included). */
export type PolicyLoader = (dir: string, ref: PolicyRef) => Promise<LoadedPolicy>;

/** The last failure to follow the desired state. */
export interface AgentError {
  readonly role: 'policy' | 'shadow';
  readonly source: string;
  readonly code: string;
  readonly message: string;
}

/** Options for {@link ModelAgent}. */
export interface ModelAgentOptions {
  readonly fetcher: PolicyFetcher;
  readonly load: PolicyLoader;
  readonly swap: HotSwap;
  readonly shadow: ShadowEvaluator;
  readonly logger?: Logger;
  /** Called after each desired state was handled (status publishing). */
  readonly onChange?: () => void;
}

/**
 * Follows the desired state: fetches the wanted version, loads, verifies and warms it, and hands
 * it to the hot swap (or, for a challenger, to the shadow evaluator). Desired states are handled
 * one at a time, newest last; a version that fails any check is not loaded and the running one
 * keeps driving.
 */
export class ModelAgent {
  readonly #options: ModelAgentOptions;
  readonly #refs = new WeakMap<LoadedPolicy, PolicyRef>();
  #queue: Promise<void> = Promise.resolve();
  #desired: DesiredState | undefined;
  #lastError: AgentError | undefined;

  constructor(options: ModelAgentOptions) {
    this.#options = options;
  }

  /** The desired state last received. */
  get desired(): DesiredState | undefined {
    return this.#desired;
  }

  /** The last failure, cleared when a later desired state is followed without one. */
  get lastError(): AgentError | undefined {
    return this.#lastError;
  }

  /** The reference a loaded policy came from. */
  refOf(policy: LoadedPolicy | undefined): PolicyRef | undefined {
    return policy === undefined ? undefined : this.#refs.get(policy);
  }

  /** Resolves when every desired state queued so far was handled. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Queues a desired state; resolves once it (and every earlier one) was handled. Never rejects. */
  apply(desired: DesiredState): Promise<void> {
    this.#desired = desired;
    this.#queue = this.#queue.then(() => this.#apply(desired));
    return this.#queue;
  }

  async #apply(desired: DesiredState): Promise<void> {
    const { swap, shadow } = this.#options;
    if (desired.swapWhen !== undefined) swap.when = desired.swapWhen;
    let failed: AgentError | undefined;
    if (desired.policy !== undefined && sameRef(this.refOf(swap.previous), desired.policy)) {
      // Back to the version still loaded beside the active one: an instant rollback, no reload.
      swap.rollback('desired state names the previous version');
    } else if (desired.policy !== undefined) {
      failed = await this.#follow('policy', desired.policy, [swap.pending, swap.active], (policy) => {
        if (swap.active === undefined) swap.activate(policy);
        else swap.stage(policy);
      });
    }
    if (desired.shadow === null || (desired.shadow === undefined && shadow.policy !== undefined)) {
      shadow.set(undefined);
    } else if (desired.shadow !== undefined) {
      failed =
        (await this.#follow('shadow', desired.shadow, [shadow.policy], (policy) => shadow.set(policy))) ??
        failed;
    }
    this.#lastError = failed;
    this.#options.onChange?.();
  }

  async #follow(
    role: 'policy' | 'shadow',
    ref: PolicyRef,
    current: readonly (LoadedPolicy | undefined)[],
    use: (policy: LoadedPolicy) => void,
  ): Promise<AgentError | undefined> {
    if (current.some((p) => p !== undefined && sameRef(this.#refs.get(p), ref))) return undefined;
    const log = this.#options.logger;
    let policy: LoadedPolicy | undefined;
    try {
      const dir = await this.#options.fetcher.fetch(ref.source);
      policy = await this.#options.load(dir, ref);
      const rejected = this.#options.swap.rejected.get(policy.digest);
      if (role === 'policy' && rejected !== undefined) {
        throw new RuntimeError(
          'MODEL_LOAD_FAILED',
          `${policy.version} (${policy.digest}) was rolled back earlier on this robot (${rejected}); publish a new version`,
        );
      }
      const same = current.find((p) => p?.digest === policy?.digest);
      if (same !== undefined) {
        // The same content under another source or label: keep the running instance.
        this.#refs.set(same, ref);
        await policy.release();
        return undefined;
      }
      this.#refs.set(policy, ref);
      use(policy);
      log?.info(
        { role, version: policy.version, digest: policy.digest, source: ref.source },
        `${role} version loaded`,
      );
      return undefined;
    } catch (error) {
      await policy?.release();
      const code = error instanceof FleetloopError ? error.code : 'UNEXPECTED';
      const message = error instanceof Error ? error.message : String(error);
      log?.error(
        { role, source: ref.source, code, err: error },
        `${role} version refused; the running version stays`,
      );
      return { role, source: ref.source, code, message };
    }
  }
}

function sameRef(a: PolicyRef | undefined, b: PolicyRef): boolean {
  return a !== undefined && a.source === b.source && a.digest === b.digest && a.version === b.version;
}
