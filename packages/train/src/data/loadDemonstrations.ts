import { TrainError } from '../TrainError.js';
import {
  ACTION_FEATURE,
  OBSERVATION_FEATURE,
  type DatasetReader,
  type FeatureSpec,
} from './DatasetReader.js';

/** (observation, action) pairs flattened row-major, ready for supervised training. */
export interface Demonstrations {
  readonly observations: Float32Array;
  readonly actions: Float32Array;
  readonly frames: number;
  readonly episodes: number;
}

/** Sizes the training configuration expects. */
export interface ExpectedFeatures {
  readonly observationSize: number;
  readonly actionSize: number;
}

/**
 * Checks the dataset's features against what the policy is configured for and reads every
 * episode into flat arrays.
 *
 * @throws {TrainError} `TRAIN_FEATURE_MISMATCH` naming the feature and both shapes, or
 *   `TRAIN_DATASET_EMPTY`.
 */
export async function loadDemonstrations(
  reader: DatasetReader,
  expected: ExpectedFeatures,
): Promise<Demonstrations> {
  checkFeature(reader, OBSERVATION_FEATURE, [expected.observationSize]);
  checkFeature(reader, ACTION_FEATURE, [expected.actionSize]);
  const obsParts: Float32Array[] = [];
  const actParts: Float32Array[] = [];
  let frames = 0;
  let episodes = 0;
  for await (const episode of reader.episodes()) {
    const obs = episode.frames[OBSERVATION_FEATURE];
    const act = episode.frames[ACTION_FEATURE];
    if (
      obs === undefined ||
      act === undefined ||
      obs.length !== episode.length * expected.observationSize ||
      act.length !== episode.length * expected.actionSize
    ) {
      throw new TrainError(
        'TRAIN_FEATURE_MISMATCH',
        `dataset ${reader.version} episode ${episode.index}: expected ${episode.length} frames of ` +
          `${OBSERVATION_FEATURE} [${expected.observationSize}] and ${ACTION_FEATURE} [${expected.actionSize}], ` +
          `got ${obs?.length ?? 0} and ${act?.length ?? 0} floats`,
      );
    }
    obsParts.push(obs);
    actParts.push(act);
    frames += episode.length;
    episodes += 1;
  }
  if (frames === 0) {
    throw new TrainError(
      'TRAIN_DATASET_EMPTY',
      `dataset ${reader.version} holds no frames; record demonstrations first`,
    );
  }
  return {
    observations: concat(obsParts, frames * expected.observationSize),
    actions: concat(actParts, frames * expected.actionSize),
    frames,
    episodes,
  };
}

function checkFeature(reader: DatasetReader, name: string, shape: readonly number[]): void {
  const spec: FeatureSpec | undefined = reader.features[name];
  if (spec === undefined) {
    throw new TrainError(
      'TRAIN_FEATURE_MISMATCH',
      `dataset ${reader.version} has no feature "${name}" (expected shape [${shape.join(', ')}]); ` +
        `it has: ${Object.keys(reader.features).join(', ') || 'none'}`,
    );
  }
  if (spec.shape.length !== shape.length || spec.shape.some((d, i) => d !== shape[i])) {
    throw new TrainError(
      'TRAIN_FEATURE_MISMATCH',
      `dataset ${reader.version} feature "${name}" has shape [${spec.shape.join(', ')}] but the training ` +
        `configuration expects [${shape.join(', ')}]; use a dataset recorded with the same observation/action ` +
        `layout or change the configuration`,
    );
  }
}

/** Joins float arrays into one of the given total length. */
export function concat(parts: readonly Float32Array[], total: number): Float32Array {
  const out = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
