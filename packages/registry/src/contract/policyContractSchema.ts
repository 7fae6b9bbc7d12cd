import { z } from 'zod';

/**
 * Where a value comes from or goes to on the robot: a ROS 2 topic relative to the robot's
 * namespace, its message type and a field path inside the message.
 *
 * `field` is a dotted path with optional indices or slices: `ranges`, `pose.pose.position`,
 * `twist.twist.linear.x`, `position[3]`, `position[0:12]`. The value it names is flattened into
 * numbers: a number gives one value, a numeric array gives all its items, a message gives its
 * numeric fields in definition order (a `Vector3` gives x, y, z; a `Quaternion` x, y, z, w).
 */
export const topicFieldSchema = z.strictObject({
  /** Topic name relative to the robot namespace, e.g. `scan`, `odom`, `cmd_vel`. */
  topic: z.string().regex(/^[A-Za-z~][A-Za-z0-9_/]*$/, 'a ROS 2 topic name such as "scan" or "odom"'),
  /** ROS 2 message type, `<package>/msg/<Type>`, e.g. `sensor_msgs/msg/LaserScan`. */
  type: z
    .string()
    .regex(/^[A-Za-z0-9_]+\/msg\/[A-Za-z0-9_]+$/, 'a ROS 2 type like "sensor_msgs/msg/LaserScan"'),
  /** Field path inside the message (see above). */
  field: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*(\[\d+(:\d+)?\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+(:\d+)?\])?)*$/, {
      message: 'a field path like "ranges", "pose.pose.position" or "position[0:12]"',
    }),
});

/** The policy's own previous raw output, fed back as an observation (as Isaac Lab's `last_action`). */
export const previousActionSourceSchema = z.strictObject({
  previousAction: z.literal(true),
});

/** The source of an observation slice. */
export const observationSourceSchema = z.union([topicFieldSchema, previousActionSourceSchema]);

/**
 * A transform turns the numbers read from the source into the slice's values. Transforms are a
 * closed set so that every runtime computes them the same way; `kind` selects one.
 */
export const observationTransformSchema = z.discriminatedUnion('kind', [
  /** Values pass unchanged. The default when `transform` is absent. */
  z.strictObject({ kind: z.literal('identity') }),
  /**
   * LaserScan ranges → `beams` values: the ranges are split into `beams` equal consecutive sectors
   * and each sector gives its minimum. Non-finite readings and readings above `rangeMax` become
   * `rangeMax` (default: the message's `range_max`).
   */
  z.strictObject({
    kind: z.literal('scan-downsample'),
    beams: z.int().min(1),
    rangeMax: z.number().positive().optional(),
  }),
  /** Each value is clamped into [`min`, `max`]. */
  z.strictObject({ kind: z.literal('clip'), min: z.number(), max: z.number() }),
  /** Each value becomes `value * scale + offset`. */
  z.strictObject({ kind: z.literal('affine'), scale: z.number().default(1), offset: z.number().default(0) }),
  /**
   * A goal position (x, y from the source) → `[distance, bearing]` in the robot frame, using the
   * robot pose read from `pose` (a `geometry_msgs/msg/Pose`, e.g. `odom` `pose.pose`). Bearing is in
   * radians in (-π, π], counter-clockwise positive.
   */
  z.strictObject({ kind: z.literal('goal-polar'), pose: topicFieldSchema }),
  /** A quaternion (x, y, z, w) → its yaw angle in radians. */
  z.strictObject({ kind: z.literal('quaternion-yaw') }),
  /**
   * A quaternion (x, y, z, w) → the gravity direction (0, 0, -1) rotated into the body frame
   * (Isaac Lab's `projected_gravity`).
   */
  z.strictObject({ kind: z.literal('projected-gravity') }),
]);

/** One consecutive run of the observation vector. */
export const observationSliceSchema = z.strictObject({
  /** Name of the slice, unique in the observation, e.g. `scan`, `goal`, `joint_pos`. */
  name: z.string().min(1),
  /** Number of values this slice contributes (after the transform). */
  size: z.int().min(1),
  source: observationSourceSchema,
  transform: observationTransformSchema.optional(),
});

/** Layout of the policy's input vector. */
export const observationSchema = z.strictObject({
  /** Name of the ONNX graph input that receives the observation. */
  inputName: z.string().min(1),
  /** Total number of values; the sum of the slice sizes. */
  size: z.int().min(1),
  /** Slices in vector order. */
  slices: z.array(observationSliceSchema).min(1),
  /**
   * A named layout (e.g. `nav-obs-v1`) whose rules the runtime implements as a whole, for
   * observations the transform set cannot express slice by slice. The slices still name every
   * source topic and field; a runtime that does not know the layout refuses the contract.
   */
  layout: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*$/, 'a layout id such as nav-obs-v1')
    .optional(),
});

/**
 * Observation normalisation: either done inside the ONNX graph (`inGraph: true`), or by the
 * runtime as `(x - mean) / (std + epsilon)`, then clipped to ±`clip` when given.
 */
export const normalizerSchema = z.union([
  z.strictObject({ inGraph: z.literal(true) }),
  z.strictObject({
    mean: z.array(z.number()).min(1),
    std: z.array(z.number().nonnegative()).min(1),
    epsilon: z.number().nonnegative().default(1e-8),
    clip: z.number().positive().optional(),
  }),
]);

/** One value of the action vector and where it is sent. */
export const actionComponentSchema = z.strictObject({
  /** Name of the component, unique in the action, e.g. `linear_x`. */
  name: z.string().min(1),
  /** The message field this component sets, e.g. `cmd_vel` `geometry_msgs/msg/Twist` `linear.x`. */
  target: topicFieldSchema,
  /** The command is `raw * scale + offset`, then clamped into [`min`, `max`]. */
  scale: z.number().default(1),
  offset: z.number().default(0),
  min: z.number(),
  max: z.number(),
});

/** Layout of the policy's output vector. */
export const actionSchema = z.strictObject({
  /** Name of the ONNX graph output that holds the action. */
  outputName: z.string().min(1),
  /** Number of values; equals the number of components. */
  size: z.int().min(1),
  /** Components in vector order. */
  components: z.array(actionComponentSchema).min(1),
});

/** Limits the runtime's safety filter enforces on top of the per-component clamps. */
export const limitsSchema = z.strictObject({
  /** m/s, absolute value of the commanded linear velocity. */
  maxLinearVelocity: z.number().positive().optional(),
  /** rad/s, absolute value of the commanded angular velocity. */
  maxAngularVelocity: z.number().positive().optional(),
  /** m/s², change of commanded linear velocity per second. */
  maxLinearAcceleration: z.number().positive().optional(),
  /** rad/s², change of commanded angular velocity per second. */
  maxAngularAcceleration: z.number().positive().optional(),
  /** An observation source older than this stops the robot (zero command). */
  maxObservationAgeMs: z.number().positive().optional(),
});

/** ONNX tensor element types, named as in numpy / ONNX Runtime. */
export const onnxElementTypeSchema = z.enum([
  'float32',
  'float16',
  'bfloat16',
  'float64',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
  'string',
]);

/** One graph input or output: a fixed dimension is an integer, a dynamic one a name (`batch`). */
export const onnxTensorSchema = z.strictObject({
  name: z.string().min(1),
  elementType: onnxElementTypeSchema,
  shape: z.array(z.union([z.int().min(0), z.string().min(1)])),
});

/** The ONNX file and the signature of its graph. */
export const onnxSectionSchema = z.strictObject({
  /** File name inside the package. */
  file: z.string().min(1).default('policy.onnx'),
  /** Default-domain opset the graph imports. */
  opset: z.int().min(1),
  inputs: z.array(onnxTensorSchema).min(1),
  outputs: z.array(onnxTensorSchema).min(1),
});

/** Where the policy came from. */
export const trainingLineageSchema = z.strictObject({
  /** Training run id (fleetloop run store or MLflow run id). */
  runId: z.string().min(1).optional(),
  /** Dataset name@version it was trained on. */
  datasetVersion: z.string().min(1).optional(),
  /** Source revision of the training code (git commit). */
  codeVersion: z.string().min(1).optional(),
  /** Run this one was fine-tuned or distilled from. */
  parentRunId: z.string().min(1).optional(),
  /** Algorithm, e.g. `bc`, `dagger`, `ppo`. */
  algorithm: z.string().min(1).optional(),
  /** Framework that produced the graph, e.g. `fleetloop`, `isaaclab`, `lerobot`. */
  framework: z.string().min(1).optional(),
});

const policyNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'lower-case letters, digits, ".", "-" or "_", starting with a letter or digit',
  );

/** The `policy.yaml` document: everything a runtime needs to run the graph on a robot. */
export const policyContractSchema = z
  .strictObject({
    apiVersion: z.literal('fleetloop.dev/v1'),
    kind: z.literal('PolicyContract'),
    /** Model name, e.g. `nav-bc`. */
    name: policyNameSchema,
    /** Free text shown in listings. */
    description: z.string().optional(),
    /** Robot type this policy is built for; the runtime refuses other types. */
    robotType: z.string().min(1),
    /** Period of the control loop in milliseconds. */
    controlPeriodMs: z.number().positive(),
    observation: observationSchema,
    normalizer: normalizerSchema.optional(),
    action: actionSchema,
    limits: limitsSchema.prefault({}),
    onnx: onnxSectionSchema,
    training: trainingLineageSchema.optional(),
    /** Evaluation figures, e.g. `successRate: 0.92`. */
    metrics: z.record(z.string(), z.number()).optional(),
  })
  .superRefine((contract, ctx) => {
    const issue = (path: PropertyKey[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message, input: contract });
    };
    const sliceSum = contract.observation.slices.reduce((sum, slice) => sum + slice.size, 0);
    if (sliceSum !== contract.observation.size) {
      issue(
        ['observation', 'size'],
        `the slice sizes add up to ${sliceSum}, not ${contract.observation.size}`,
      );
    }
    duplicates(contract.observation.slices.map((s) => s.name)).forEach((name) =>
      issue(['observation', 'slices'], `slice name "${name}" appears more than once`),
    );
    contract.observation.slices.forEach((slice, i) => {
      const t = slice.transform;
      if (t?.kind === 'scan-downsample' && t.beams !== slice.size) {
        issue(
          ['observation', 'slices', i, 'size'],
          `scan-downsample gives ${t.beams} beams, not ${slice.size}`,
        );
      }
      if (t?.kind === 'goal-polar' && slice.size !== 2) {
        issue(['observation', 'slices', i, 'size'], 'goal-polar gives 2 values (distance, bearing)');
      }
      if (t?.kind === 'quaternion-yaw' && slice.size !== 1) {
        issue(['observation', 'slices', i, 'size'], 'quaternion-yaw gives 1 value');
      }
      if (t?.kind === 'projected-gravity' && slice.size !== 3) {
        issue(['observation', 'slices', i, 'size'], 'projected-gravity gives 3 values');
      }
      if (t?.kind === 'clip' && t.min > t.max) {
        issue(['observation', 'slices', i, 'transform', 'min'], `min ${t.min} is above max ${t.max}`);
      }
      if ('previousAction' in slice.source && slice.size !== contract.action.size) {
        issue(
          ['observation', 'slices', i, 'size'],
          `a previous-action slice has the action size ${contract.action.size}`,
        );
      }
    });
    const n = contract.normalizer;
    if (n !== undefined && !('inGraph' in n)) {
      if (n.mean.length !== contract.observation.size) {
        issue(
          ['normalizer', 'mean'],
          `has ${n.mean.length} values, observation.size is ${contract.observation.size}`,
        );
      }
      if (n.std.length !== contract.observation.size) {
        issue(
          ['normalizer', 'std'],
          `has ${n.std.length} values, observation.size is ${contract.observation.size}`,
        );
      }
    }
    if (contract.action.components.length !== contract.action.size) {
      issue(
        ['action', 'size'],
        `there are ${contract.action.components.length} components, not ${contract.action.size}`,
      );
    }
    duplicates(contract.action.components.map((c) => c.name)).forEach((name) =>
      issue(['action', 'components'], `component name "${name}" appears more than once`),
    );
    contract.action.components.forEach((c, i) => {
      if (c.min > c.max) issue(['action', 'components', i, 'min'], `min ${c.min} is above max ${c.max}`);
    });
    checkTensorRef(contract.onnx.inputs, contract.observation.inputName, contract.observation.size, [
      'observation',
      'inputName',
    ]);
    checkTensorRef(contract.onnx.outputs, contract.action.outputName, contract.action.size, [
      'action',
      'outputName',
    ]);

    function checkTensorRef(
      tensors: readonly { name: string; shape: readonly (number | string)[] }[],
      name: string,
      size: number,
      path: PropertyKey[],
    ): void {
      const tensor = tensors.find((t) => t.name === name);
      if (tensor === undefined) {
        issue(path, `"${name}" is not among the onnx tensors (${tensors.map((t) => t.name).join(', ')})`);
        return;
      }
      const last = tensor.shape.at(-1);
      if (typeof last === 'number' && last !== size) {
        issue(path, `onnx tensor "${name}" has last dimension ${last}, the layout has ${size} values`);
      }
    }
  });

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of names) (seen.has(name) ? repeated : seen).add(name);
  return [...repeated];
}

/** A validated policy contract, with defaults filled in. */
export type PolicyContract = z.output<typeof policyContractSchema>;
/** A policy contract as written by hand (defaults may be left out). */
export type PolicyContractInput = z.input<typeof policyContractSchema>;
export type TopicField = z.output<typeof topicFieldSchema>;
export type ObservationSource = z.output<typeof observationSourceSchema>;
export type ObservationTransform = z.output<typeof observationTransformSchema>;
export type ObservationSlice = z.output<typeof observationSliceSchema>;
export type Normalizer = z.output<typeof normalizerSchema>;
export type ActionComponent = z.output<typeof actionComponentSchema>;
export type PolicyLimits = z.output<typeof limitsSchema>;
export type OnnxElementType = z.output<typeof onnxElementTypeSchema>;
export type OnnxTensorSpec = z.output<typeof onnxTensorSchema>;
export type TrainingLineage = z.output<typeof trainingLineageSchema>;
