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
export { compilePolicy, type PolicyFunction } from './model/compilePolicy.js';
export {
  ACTION_FEATURE,
  OBSERVATION_FEATURE,
  type DatasetEpisode,
  type DatasetReader,
  type FeatureSpec,
} from './data/DatasetReader.js';
export { loadDemonstrations, type Demonstrations, type ExpectedFeatures } from './data/loadDemonstrations.js';
export { SimDemonstrationReader, type SimDemonstrationReaderOptions } from './data/SimDemonstrationReader.js';
export { mirrorNavDemonstrations } from './data/mirrorNavDemonstrations.js';
export { fitBehaviourCloning, type BehaviourCloningOptions } from './algo/behaviourCloning.js';
export {
  collectDaggerFrames,
  type CollectDaggerFramesOptions,
  type DaggerLabeller,
  type DaggerRound,
} from './algo/collectDaggerFrames.js';
export { generalizedAdvantages, type AdvantageInputs } from './algo/gae.js';
export {
  trainPpo,
  type PpoDemonstrations,
  type PpoHyperParameters,
  type PpoIterationStats,
  type PpoState,
  type TrainPpoOptions,
} from './algo/ppo.js';
export type { FinishedEpisode, VectorEnvironment } from './algo/VectorEnvironment.js';
export { navPolicyContract, type NavContractOptions } from './export/navPolicyContract.js';
export { modelCard, type ModelCardInput } from './export/modelCard.js';
export {
  exportPolicyPackage,
  type ExportedPolicy,
  type ExportPolicyPackageOptions,
} from './export/exportPolicyPackage.js';
export { ProgressReporter, type ProgressReporterOptions } from './progress/ProgressReporter.js';
export { learningCurveSvg, type CurveSeries } from './progress/learningCurveSvg.js';
export { RunDirectory, type Checkpoint, type RunRecord, type TrainingStage } from './run/RunDirectory.js';
export { evaluateOnSuite, evaluationMetrics } from './run/evaluateOnSuite.js';
export {
  runTraining,
  createTracker,
  flattenParams,
  PACKAGE_DIR,
  type RunTrainingOptions,
  type TrainingResult,
} from './run/runTraining.js';
export { trainConfigSchema, type TrainConfig, type TrainConfigInput } from './config/trainConfig.js';
export {
  trainBehaviourCloning,
  QUICK_BC_CONFIG,
  type BehaviourCloningPolicy,
  type TrainBehaviourCloningOptions,
} from './api/trainBehaviourCloning.js';
