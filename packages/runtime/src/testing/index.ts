/**
 * Test helpers for `@fleetloop/runtime` and packages built on it: small ONNX policies, a test
 * contract, ROS-shaped robot messages and manual clocks. Not part of the build; import as
 * `@fleetloop/runtime/testing` from tests and benchmarks.
 */
export { ManualClock } from './ManualClock.js';
export { SteppingClock } from './SteppingClock.js';
export {
  linearPolicyOnnx,
  nanPolicyOnnx,
  mlpPolicyOnnx,
  corruptOnnx,
  type PolicyOnnxOptions,
  type MlpPolicyOnnxOptions,
} from './policyOnnx.js';
export { diffDriveContract, TEST_SCAN_BEAMS, TEST_OBSERVATION_SIZE } from './contracts.js';
export { loadTestPolicy } from './loadTestPolicy.js';
export { odomMessage, scanMessage, goalMessage, quaternionFromYaw } from './robotMessages.js';
export { writeTestPackage, replacePackageFile, type TestPackageOptions } from './writeTestPackage.js';
