import { SimError } from '../SimError.js';
import type { EpisodeSpec } from './EpisodeSpec.js';
import { makeEpisode, NAV_V1_VARIANTS, type ScenarioVariant } from './variants.js';

interface SuiteDefinition {
  readonly size: number;
  /** Episode i uses seed `seedBase + i`; ranges of different suites never overlap. */
  readonly seedBase: number;
}

const SUITES: ReadonlyMap<string, SuiteDefinition> = new Map([
  ['nav-v1/train', { size: 2000, seedBase: 1_000_000 }],
  ['nav-v1/val', { size: 200, seedBase: 6_000_000 }],
  ['nav-v1/test', { size: 200, seedBase: 2_000_000 }],
  ['nav-v1/hard', { size: 200, seedBase: 3_000_000 }],
  ['nav-v1/dynamic', { size: 200, seedBase: 4_000_000 }],
  ['nav-v1/field', { size: 200, seedBase: 5_000_000 }],
]);

/**
 * A named, versioned, fixed set of seeded episodes (`nav-v1/test` is the same 200 worlds on every
 * machine). Episodes are generated on demand and cached.
 */
export class ScenarioSuite {
  /** e.g. `nav-v1/test`. */
  readonly name: string;
  /** Scenario version, the part before the slash (`nav-v1`). */
  readonly version: string;
  readonly variant: ScenarioVariant;
  readonly size: number;
  readonly #seedBase: number;
  readonly #cache = new Map<number, EpisodeSpec>();

  private constructor(name: string, variant: ScenarioVariant, definition: SuiteDefinition) {
    this.name = name;
    this.version = name.split('/')[0] ?? name;
    this.variant = variant;
    this.size = definition.size;
    this.#seedBase = definition.seedBase;
  }

  /** The suite registered under `name`; throws `SIM_UNKNOWN_SUITE` listing the known names otherwise. */
  static get(name: string): ScenarioSuite {
    const definition = SUITES.get(name);
    const variant = NAV_V1_VARIANTS.get(name);
    if (definition === undefined || variant === undefined) {
      throw new SimError(
        'SIM_UNKNOWN_SUITE',
        `unknown scenario suite "${name}"; known suites: ${ScenarioSuite.names().join(', ')}`,
      );
    }
    return new ScenarioSuite(name, variant, definition);
  }

  /** Names of every registered suite. */
  static names(): string[] {
    return [...SUITES.keys()];
  }

  /** Seed of episode `index`. */
  seedOf(index: number): number {
    return this.#seedBase + index;
  }

  /** Episode `index` (0-based), id `<suite>#<index>`. */
  episode(index: number): EpisodeSpec {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new SimError(
        'SIM_INVALID_ARGUMENT',
        `episode index ${index} is outside ${this.name} (0..${this.size - 1})`,
      );
    }
    let episode = this.#cache.get(index);
    if (episode === undefined) {
      episode = makeEpisode(this.variant, this.seedOf(index), `${this.name}#${index}`);
      this.#cache.set(index, episode);
    }
    return episode;
  }

  /** The first `count` episodes (all by default). */
  episodes(count = this.size): EpisodeSpec[] {
    return Array.from({ length: Math.min(count, this.size) }, (_, i) => this.episode(i));
  }
}
