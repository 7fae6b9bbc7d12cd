/**
 * @module @fleetloop/sim
 * The simulator fleetloop trains and validates policies in, and the fleet `fleetloop up` shows
 * without hardware: differential-drive robots in Rapier2D worlds, a gym-style and a vectorised
 * environment, versioned scenario suites with metrics, a scripted expert and an operator model,
 * and simulated robots on the ROS transport.
 */
export { SimError, type SimErrorCode } from './SimError.js';
export { SeededRandom, hashSeed } from './random/SeededRandom.js';
export {
  NAV_ACTION_LAYOUT,
  NAV_ACTION_SIZE,
  NAV_CONTROL_PERIOD_S,
  NAV_GOAL_CLIP_M,
  NAV_OBSERVATION_LAYOUT,
  NAV_OBSERVATION_SIZE,
  NAV_SCAN_BEAMS,
  NAV_SCAN_CLIP_M,
  type ActionLayout,
  type ActionSlice,
  type ObservationLayout,
  type ObservationSlice,
  type ObservationSource,
} from './observation/navLayout.js';
export {
  clampNavAction,
  navObservation,
  writeNavObservation,
  normalizeAction,
  scaleNormalizedAction,
  writeNavState,
  writeScanBeams,
  type NavAction,
  type NavObservationInput,
} from './observation/navObservation.js';
export {
  quaternionFromYaw,
  yawFromQuaternion,
  type GoalLike,
  type LaserScanLike,
  type OdometryLike,
  type Pose2D,
} from './observation/rosShapes.js';
export type {
  BoxShape,
  CircleShape,
  MovingObstacle,
  ObstacleShape,
  RobotParams,
  SensorParams,
  WorldSpec,
} from './world/WorldSpec.js';
export type { EpisodeSpec } from './scenario/EpisodeSpec.js';
export type { EpisodeMetrics, NavPolicy, NavState, StepInfo, StepResult } from './env/types.js';
export { ObstacleField } from './world/ObstacleField.js';
export { NavWorld, type NavWorldOptions } from './world/NavWorld.js';
export { DiffDrive } from './robot/DiffDrive.js';
export { CameraRenderer, type CameraRendererOptions } from './robot/CameraRenderer.js';
export { initPhysics } from './world/physics.js';
export { NavEnv, resolveVariant, type NavEnvOptions } from './env/NavEnv.js';
export { VectorNavEnv, type VectorNavEnvOptions } from './env/VectorNavEnv.js';
export { NavSimulation, NAV_REWARD, type NavRewardOptions } from './env/NavSimulation.js';
export { GeodesicDistance } from './expert/GeodesicDistance.js';
export { ScenarioSuite } from './scenario/ScenarioSuite.js';
export {
  makeEpisode,
  NAV_V1_ROBOT,
  NAV_V1_SENSORS,
  NAV_V1_VARIANTS,
  type ScenarioVariant,
} from './scenario/variants.js';
export { generateWorld, type WorldGenParams } from './scenario/generateWorld.js';
export { OccupancyGrid } from './expert/OccupancyGrid.js';
export { planPath, type PlannedPath, type PlanOptions } from './expert/planPath.js';
export { ScriptedExpert, type ScriptedExpertOptions } from './expert/ScriptedExpert.js';
export { shortestPathLength } from './expert/shortestPathLength.js';
export {
  aggregate,
  evaluatePolicy,
  type EvaluateOptions,
  type EvaluationAggregate,
  type EvaluationReport,
  type NavPolicyFn,
} from './eval/evaluatePolicy.js';
export { OperatorModel, type Intervention, type OperatorModelOptions } from './expert/OperatorModel.js';
export { SimRobot, SIM_ROBOT_TOPICS, type SimRobotDriver, type SimRobotOptions } from './robot/SimRobot.js';
export { SimFleet, type FleetTimers, type SimFleetOptions } from './robot/SimFleet.js';
export { parseMissionState, type MissionState } from './robot/missionState.js';
