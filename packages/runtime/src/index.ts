/**
 * @module @fleetloop/runtime
 * The on-robot policy runtime: an ONNX control loop driven by the policy contract, a safety filter
 * that is always on, deadline monitoring, shadow evaluation, hot swap with automatic rollback, and
 * the model agent that follows the desired state.
 */
export { RuntimeError, type RuntimeErrorCode } from './RuntimeError.js';
export { systemClock, type RuntimeClock } from './clock/RuntimeClock.js';
export { FieldPath } from './observation/FieldPath.js';
export { LatestMessages, type LatestMessage } from './observation/LatestMessages.js';
export {
  ObservationAssembler,
  type AssemblyProblem,
  type SourceTopic,
} from './observation/ObservationAssembler.js';
export {
  ActionMapper,
  type CommandComponent,
  type CommandMessage,
  type ComponentRole,
} from './action/ActionMapper.js';
export { INTERVENTION_REASONS, MODEL_REASONS, type InterventionReason } from './safety/Intervention.js';
export {
  SafetyFilter,
  interventionBit,
  interventionReasons,
  type InterventionMask,
  type SafetyInput,
  type SafetyLimits,
} from './safety/SafetyFilter.js';
export { DeadlineMonitor, type DeadlineMonitorOptions } from './loop/DeadlineMonitor.js';
export {
  ControlLoop,
  type CommandPublisher,
  type ControlLoopOptions,
  type LoopSafetySettings,
} from './loop/ControlLoop.js';
export type { StepListener, StepReport } from './loop/StepReport.js';
export type { PolicyModel } from './policy/PolicyModel.js';
export {
  OnnxPolicySession,
  type ExecutionProvider,
  type OnnxPolicySessionOptions,
} from './policy/OnnxPolicySession.js';
export { LoadedPolicy, type PolicyIdentity } from './policy/LoadedPolicy.js';
export {
  checkContractAgainstRobot,
  type MessageDefinitions,
  type RobotDescription,
} from './policy/checkContractAgainstRobot.js';
export { formatMismatches, type ContractMismatch } from './policy/ContractMismatch.js';
export { loadPolicyPackage, type LoadPolicyPackageOptions } from './policy/loadPolicyPackage.js';
export { RobotIo, OBSERVATION_QOS, type RobotIoOptions } from './ros/RobotIo.js';
export {
  HotSwap,
  type HotSwapOptions,
  type ProbationSettings,
  type SwapEvent,
  type SwapWhen,
} from './swap/HotSwap.js';
export {
  ShadowEvaluator,
  type ShadowEvaluatorOptions,
  type ShadowSample,
  type ShadowStats,
} from './shadow/ShadowEvaluator.js';
export { RollingWindow } from './shadow/RollingWindow.js';
export { PolicyRuntime, type PolicyRuntimeOptions } from './PolicyRuntime.js';
export {
  runtimeConfigSchema,
  runtimeSectionSchema,
  type RuntimeConfig,
  type RuntimeSection,
} from './config/runtimeConfig.js';
export {
  desiredStateSchema,
  policyRefSchema,
  type DesiredState,
  type PolicyRef,
} from './agent/desiredState.js';
export { parseDesiredState } from './agent/parseDesiredState.js';
export { DesiredStateFile, type DesiredStateFileOptions } from './agent/DesiredStateFile.js';
export { RuntimeMqtt, desiredTopic, statusTopic, type RuntimeMqttOptions } from './agent/RuntimeMqtt.js';
export { PolicyFetcher, type PolicyFetcherOptions } from './agent/PolicyFetcher.js';
export {
  ModelAgent,
  type AgentError,
  type ModelAgentOptions,
  type PolicyLoader,
} from './agent/ModelAgent.js';
export { RuntimeMetrics } from './status/RuntimeMetrics.js';
export {
  buildRuntimeStatus,
  type ReportedVersion,
  type RuntimeStatus,
  type RuntimeStatusSources,
} from './status/RuntimeStatus.js';
export { startRuntimeService, type RuntimeService } from './service/startRuntimeService.js';
