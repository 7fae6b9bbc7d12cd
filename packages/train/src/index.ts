/**
 * @module @fleetloop/train
 * Behaviour cloning, DAgger and PPO on TensorFlow.js (wasm backend), ONNX export checked against
 * ONNX Runtime, and run tracking (built-in SQLite store or the MLflow REST API).
 */
export { TrainError, type TrainErrorCode } from './TrainError.js';
export { initTensorflow, type InitTensorflowOptions } from './tf/backend.js';
export { seededRng, type Rng } from './model/random.js';
export { ObservationNormalizer, type NormalizerState } from './model/ObservationNormalizer.js';
export { Mlp, type Activation, type DenseLayerState, type MlpOptions } from './model/Mlp.js';
export {
  GaussianPolicy,
  type GaussianPolicyOptions,
  type PolicyArchitecture,
  type PolicySnapshot,
  type SerializedLayer,
} from './model/GaussianPolicy.js';
export {
  buildPolicyOnnx,
  ONNX_INPUT,
  ONNX_OUTPUT,
  ONNX_OPSET,
  type BuildPolicyOnnxOptions,
} from './export/onnxGraph.js';
export {
  verifyOnnxAgainstPolicy,
  type OnnxVerification,
  type VerifyOnnxOptions,
} from './export/verifyOnnx.js';
export {
  LINEAGE_TAGS,
  lineageTags,
  type MetricPoint,
  type ParamValue,
  type RunLineage,
  type RunStatus,
  type RunTracker,
  type StartRunOptions,
  type TrackedRun,
} from './tracking/RunTracker.js';
export { BuiltinRunStore, type BuiltinRunStoreOptions, type StoredRun } from './tracking/BuiltinRunStore.js';
export {
  MlflowTracker,
  MlflowHttpError,
  MLFLOW_BATCH_LIMITS,
  splitBatch,
  type MlflowTrackerOptions,
} from './tracking/MlflowTracker.js';
export { gitCommit } from './tracking/gitCommit.js';
