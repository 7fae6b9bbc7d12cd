import { memberLayers, type PolicySnapshot } from './GaussianPolicy.js';
import { ObservationNormalizer } from './ObservationNormalizer.js';

/** A deterministic policy as a plain function: raw observation in, physical action out. */
export type PolicyFunction = (observation: Float32Array) => Float32Array;

/**
 * The deterministic action of a snapshot computed in plain JavaScript. Evaluation and DAgger
 * query one observation at a time, where a TF.js call's fixed overhead would dominate the few
 * thousand multiply-adds of the network.
 */
export function compilePolicy(snapshot: PolicySnapshot): PolicyFunction {
  const arch = snapshot.architecture;
  const normalizer = ObservationNormalizer.fromJSON(snapshot.normalizer);
  const mean = normalizer.mean();
  const std = normalizer.std();
  const members = memberLayers(snapshot);
  const widest = Math.max(arch.observationSize, ...members.flat().map((l) => l.outputs));
  const x = new Float64Array(arch.observationSize);
  let a = new Float64Array(widest);
  let b = new Float64Array(widest);
  const sum = new Float64Array(arch.actionSize);
  const relu = arch.activation === 'relu';
  return (observation) => {
    for (let i = 0; i < arch.observationSize; i++) {
      x[i] = ((observation[i] as number) - (mean[i] as number)) / (std[i] as number);
    }
    sum.fill(0);
    for (const layers of members) {
      a.set(x);
      for (let li = 0; li < layers.length; li++) {
        const layer = layers[li] as (typeof layers)[number];
        const last = li + 1 === layers.length;
        for (let o = 0; o < layer.outputs; o++) {
          let z = layer.b[o] as number;
          for (let i = 0; i < layer.inputs; i++)
            z += (a[i] as number) * (layer.w[i * layer.outputs + o] as number);
          b[o] = last ? z : relu ? Math.max(0, z) : Math.tanh(z);
        }
        [a, b] = [b, a];
      }
      for (let d = 0; d < arch.actionSize; d++) sum[d] = (sum[d] as number) + (a[d] as number);
    }
    const action = new Float32Array(arch.actionSize);
    for (let d = 0; d < arch.actionSize; d++) {
      const lo = arch.actionLow[d] as number;
      const hi = arch.actionHigh[d] as number;
      const v = ((sum[d] as number) / members.length) * ((hi - lo) / 2) + (hi + lo) / 2;
      action[d] = Math.min(Math.max(v, lo), hi);
    }
    return action;
  };
}
