import * as ort from 'onnxruntime-node';
import type { GaussianPolicy } from '../model/GaussianPolicy.js';
import { gaussian, type Rng } from '../model/random.js';
import { TrainError } from '../TrainError.js';
import { ONNX_INPUT, ONNX_OUTPUT } from './onnxGraph.js';

/** Result of {@link verifyOnnxAgainstPolicy}. */
export interface OnnxVerification {
  readonly samples: number;
  readonly maxAbsError: number;
  readonly tolerance: number;
}

/** Options for {@link verifyOnnxAgainstPolicy}. */
export interface VerifyOnnxOptions {
  readonly samples?: number;
  readonly tolerance?: number;
  readonly rng: Rng;
}

/**
 * Runs the exported graph in ONNX Runtime (CPU) and the TF.js policy on the same random
 * observations (drawn around the normaliser's statistics, two standard deviations wide) and fails
 * when any action differs by more than the tolerance.
 *
 * @throws {TrainError} `TRAIN_EXPORT_MISMATCH` with the worst sample's values.
 */
export async function verifyOnnxAgainstPolicy(
  onnxBytes: Uint8Array,
  policy: GaussianPolicy,
  options: VerifyOnnxOptions,
): Promise<OnnxVerification> {
  const samples = options.samples ?? 1000;
  const tolerance = options.tolerance ?? 1e-5;
  const { observationSize, actionSize } = policy.architecture;
  const mean = policy.normalizer.mean();
  const std = policy.normalizer.std();
  const observations = new Float32Array(samples * observationSize);
  for (let i = 0; i < observations.length; i++) {
    const f = i % observationSize;
    observations[i] = (mean[f] as number) + 2 * (std[f] as number) * gaussian(options.rng);
  }
  const expected = policy.act(observations);
  const session = await ort.InferenceSession.create(onnxBytes);
  let actual: Float32Array;
  try {
    const result = await session.run({
      [ONNX_INPUT]: new ort.Tensor('float32', observations, [samples, observationSize]),
    });
    const output = result[ONNX_OUTPUT];
    if (output === undefined) {
      throw new TrainError('TRAIN_EXPORT_MISMATCH', `exported ONNX graph has no output named ${ONNX_OUTPUT}`);
    }
    actual = output.data as Float32Array;
  } finally {
    await session.release();
  }
  let maxAbsError = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs((expected[i] as number) - (actual[i] as number));
    if (!(err <= maxAbsError)) {
      maxAbsError = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
      worst = i;
    }
  }
  if (maxAbsError > tolerance) {
    const row = Math.floor(worst / actionSize);
    throw new TrainError(
      'TRAIN_EXPORT_MISMATCH',
      `ONNX export disagrees with the TF.js policy: max abs error ${maxAbsError.toExponential(3)} > ${tolerance} ` +
        `(sample ${row}, action ${worst % actionSize}: TF.js ${expected[worst]}, ONNX Runtime ${actual[worst]}); the export was not written`,
    );
  }
  return { samples, maxAbsError, tolerance };
}
