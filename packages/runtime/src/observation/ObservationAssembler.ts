import type { PolicyContract, TopicField } from '@fleetloop/registry';
import { FieldPath } from './FieldPath.js';
import type { LatestMessages } from './LatestMessages.js';
import { namedLayoutFor, type NamedLayout } from './namedLayouts.js';
import { sliceWriter, type SliceWriter } from './transforms.js';

/** A topic the observation reads, relative to the robot namespace, with its message type. */
export interface SourceTopic {
  readonly topic: string;
  readonly type: string;
}

/** Why an observation could not be built this step. */
export type AssemblyProblem =
  | { readonly kind: 'missing'; readonly slice: string; readonly topic: string }
  | { readonly kind: 'shape'; readonly slice: string; readonly topic: string; readonly detail: string };

interface CompiledSlice {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** Undefined for a previous-action slice. */
  readonly source: { readonly topic: string; readonly path: FieldPath } | undefined;
  readonly aux: { readonly topic: string; readonly path: FieldPath } | undefined;
  readonly write: SliceWriter;
}

/**
 * Builds the policy's input vector from the latest message on each of the contract's topics:
 * reads each slice's field path, applies its transform, then the contract's normaliser. It reads
 * the newest message per topic, so a step never waits for data. A contract that names a layout the
 * runtime knows ({@link namedLayoutFor}) is built by that layout's function instead.
 */
export class ObservationAssembler {
  /** Every topic the observation reads, once each. */
  readonly topics: readonly SourceTopic[];
  readonly size: number;
  readonly #slices: readonly CompiledSlice[];
  readonly #normalize: ((values: Float32Array) => void) | undefined;
  readonly #layout: NamedLayout | undefined;

  constructor(contract: PolicyContract) {
    this.size = contract.observation.size;
    this.#layout = namedLayoutFor(contract);
    const topics = new Map<string, SourceTopic>();
    const addTopic = (field: TopicField): void => {
      if (!topics.has(field.topic)) topics.set(field.topic, { topic: field.topic, type: field.type });
    };
    let offset = 0;
    this.#slices = contract.observation.slices.map((slice) => {
      const compiled: CompiledSlice = {
        name: slice.name,
        offset,
        size: slice.size,
        source:
          'previousAction' in slice.source
            ? undefined
            : { topic: slice.source.topic, path: new FieldPath(slice.source.field) },
        aux:
          slice.transform?.kind === 'goal-polar'
            ? { topic: slice.transform.pose.topic, path: new FieldPath(slice.transform.pose.field) }
            : undefined,
        write: sliceWriter(slice.transform),
      };
      if (!('previousAction' in slice.source)) addTopic(slice.source);
      if (slice.transform?.kind === 'goal-polar') addTopic(slice.transform.pose);
      offset += slice.size;
      return compiled;
    });
    this.topics = this.#layout?.topics ?? [...topics.values()];
    this.#normalize = normalizer(contract);
  }

  /** The topic whose newest message is oldest (ignoring `exempt`), with its age. */
  oldest(
    latest: LatestMessages,
    nowMs: number,
    exempt: ReadonlySet<string>,
  ): { topic: string; ageMs: number } | undefined {
    let worst: { topic: string; ageMs: number } | undefined;
    for (const { topic } of this.topics) {
      if (exempt.has(topic)) continue;
      const ageMs = latest.ageMs(topic, nowMs);
      if (worst === undefined || ageMs > worst.ageMs) worst = { topic, ageMs };
    }
    return worst;
  }

  /**
   * Writes the normalised observation built from `latest` into `out` (length {@link size}). `previousAction` feeds
   * previous-action slices (zeros before the first step). Returns the first problem, or undefined.
   */
  assemble(
    latest: LatestMessages,
    out: Float32Array,
    previousAction: ArrayLike<number> | undefined,
  ): AssemblyProblem | undefined {
    if (this.#layout !== undefined) {
      const problem = this.#layout.write(latest, out);
      if (problem === undefined) this.#normalize?.(out);
      return problem;
    }
    for (const slice of this.#slices) {
      if (slice.source === undefined) {
        for (let i = 0; i < slice.size; i++) out[slice.offset + i] = previousAction?.[i] ?? 0;
        continue;
      }
      const entry = latest.get(slice.source.topic);
      if (entry === undefined) return { kind: 'missing', slice: slice.name, topic: slice.source.topic };
      const values = slice.source.path.read(entry.message);
      let aux: ArrayLike<number> | undefined;
      if (slice.aux !== undefined) {
        const auxEntry = latest.get(slice.aux.topic);
        if (auxEntry === undefined) return { kind: 'missing', slice: slice.name, topic: slice.aux.topic };
        aux = slice.aux.path.read(auxEntry.message);
      }
      if (values === undefined || !slice.write(values, entry.message, aux, out, slice.offset, slice.size)) {
        return {
          kind: 'shape',
          slice: slice.name,
          topic: slice.source.topic,
          detail: `field "${slice.source.path.text}" gave ${values === undefined ? 'nothing' : `${values.length} values`} for a slice of ${slice.size}`,
        };
      }
    }
    this.#normalize?.(out);
    return undefined;
  }
}

function normalizer(contract: PolicyContract): ((values: Float32Array) => void) | undefined {
  const n = contract.normalizer;
  if (n === undefined || 'inGraph' in n) return undefined;
  const mean = Float32Array.from(n.mean);
  const inverse = Float32Array.from(n.std, (s) => 1 / (s + n.epsilon));
  const clip = n.clip ?? Number.POSITIVE_INFINITY;
  return (values) => {
    for (let i = 0; i < values.length; i++) {
      const z = ((values[i] as number) - (mean[i] as number)) * (inverse[i] as number);
      values[i] = z > clip ? clip : z < -clip ? -clip : z;
    }
  };
}
