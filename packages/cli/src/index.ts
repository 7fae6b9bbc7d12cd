/**
 * @module @fleetloop/cli
 * The `fleetloop` command. Programmatic entry points for embedding and tests.
 */
export { buildProgram, main } from './program.js';
export { ExitCode } from './ExitCode.js';
export {
  runDoctor,
  systemChecks,
  type DoctorCheck,
  type DoctorResult,
  type CheckStatus,
} from './doctor/doctor.js';
