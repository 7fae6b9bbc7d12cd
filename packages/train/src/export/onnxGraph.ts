import onnxProto from 'onnx-proto';
import type { PolicySnapshot } from '../model/GaussianPolicy.js';
import { memberLayers } from '../model/GaussianPolicy.js';
import { ObservationNormalizer } from '../model/ObservationNormalizer.js';

const { onnx } = onnxProto;

/** Name of the graph input: raw observations, `batch × observationSize`, float32. */
export const ONNX_INPUT = 'observation';
/** Name of the graph output: physical actions, `batch × actionSize`, float32. */
export const ONNX_OUTPUT = 'action';
/** ONNX operator set the graph is written against. */
export const ONNX_OPSET = 13;

/** Options for {@link buildPolicyOnnx}. */
export interface BuildPolicyOnnxOptions {
  /** Written into the model's metadata (`producer_version`). */
  readonly producerVersion?: string;
  /** Extra metadata properties (run id, dataset version). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Serialises the deterministic policy as an ONNX model: Sub/Div (observation normaliser), then
 * MatMul/Add/Tanh|Relu per layer (per ensemble member, then Sum/Mul for their mean), then
 * Mul/Add (action scaling) and Max/Min (per-dimension clipping; opset-13 `Clip` only takes scalar
 * bounds). Returns the encoded protobuf bytes.
 */
export function buildPolicyOnnx(snapshot: PolicySnapshot, options: BuildPolicyOnnxOptions = {}): Uint8Array {
  const arch = snapshot.architecture;
  const normalizer = ObservationNormalizer.fromJSON(snapshot.normalizer);
  const initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const constant = (name: string, dims: number[], values: Float32Array): string => {
    initializers.push(floatTensor(name, dims, values));
    return name;
  };
  const node = (opType: string, inputs: string[], output: string): string => {
    nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [output], name: output }));
    return output;
  };

  const mean = constant('obs_mean', [arch.observationSize], normalizer.mean());
  const std = constant('obs_std', [arch.observationSize], normalizer.std());
  const normalized = node('Div', [node('Sub', [ONNX_INPUT, mean], 'obs_centered'), std], 'obs_normalized');
  const members = memberLayers(snapshot);
  const memberOutputs = members.map((layers, m) => {
    // A single network keeps the names `dense<i>_…`; ensemble members are `m<m>_dense<i>_…`.
    const prefix = members.length === 1 ? '' : `m${m}_`;
    let h = normalized;
    layers.forEach((layer, i) => {
      const name = `${prefix}dense${i}`;
      const w = constant(`${name}_w`, [layer.inputs, layer.outputs], layer.w);
      const b = constant(`${name}_b`, [layer.outputs], layer.b);
      const z = node('Add', [node('MatMul', [h, w], `${name}_matmul`), b], `${name}_out`);
      const last = i + 1 === layers.length;
      h = last ? z : node(arch.activation === 'tanh' ? 'Tanh' : 'Relu', [z], `${name}_act`);
    });
    return h;
  });
  const h =
    members.length === 1
      ? (memberOutputs[0] as string)
      : node(
          'Mul',
          [
            node('Sum', memberOutputs, 'ensemble_sum'),
            constant('ensemble_scale', [1], Float32Array.of(1 / members.length)),
          ],
          'ensemble_mean',
        );
  const scale = Float32Array.from(arch.actionLow, (lo, i) => ((arch.actionHigh[i] as number) - lo) / 2);
  const offset = Float32Array.from(arch.actionLow, (lo, i) => ((arch.actionHigh[i] as number) + lo) / 2);
  const scaled = node(
    'Add',
    [
      node('Mul', [h, constant('act_scale', [arch.actionSize], scale)], 'act_mul'),
      constant('act_offset', [arch.actionSize], offset),
    ],
    'act_scaled',
  );
  const lower = node(
    'Max',
    [scaled, constant('act_low', [arch.actionSize], Float32Array.from(arch.actionLow))],
    'act_lower',
  );
  node(
    'Min',
    [lower, constant('act_high', [arch.actionSize], Float32Array.from(arch.actionHigh))],
    ONNX_OUTPUT,
  );

  const graph = onnx.GraphProto.create({
    name: 'fleetloop_policy',
    node: nodes,
    initializer: initializers,
    input: [valueInfo(ONNX_INPUT, arch.observationSize)],
    output: [valueInfo(ONNX_OUTPUT, arch.actionSize)],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: ONNX_OPSET })],
    producerName: 'fleetloop-train',
    producerVersion: options.producerVersion ?? '0.1.0',
    graph,
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) =>
      onnx.StringStringEntryProto.create({ key, value }),
    ),
  });
  return onnx.ModelProto.encode(model).finish();
}

function floatTensor(
  name: string,
  dims: number[],
  values: Float32Array,
): InstanceType<typeof onnx.TensorProto> {
  const bytes = new Uint8Array(values.byteLength);
  bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes });
}

function valueInfo(name: string, width: number): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: [
            onnx.TensorShapeProto.Dimension.create({ dimParam: 'batch' }),
            onnx.TensorShapeProto.Dimension.create({ dimValue: width }),
          ],
        }),
      }),
    }),
  });
}
