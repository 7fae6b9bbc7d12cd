/**
 * bench:runtime — the on-robot control step against a bare ONNX Runtime call on the same model,
 * measured in the same run. A simulated robot publishes a 360-ray LaserScan (20 Hz), odometry
 * (50 Hz) and a latched goal over the in-process transport; the runtime's control loop runs an
 * MLP policy (12 → 256 → 256 → 2) at 100 Hz and publishes Twist commands. Step latency is
 * observation assembly → command published (encode + write included). Half a period after each
 * step a bare `session.run` on the same model (a separate session, a new input tensor per call, as
 * a plain caller would) is timed: both series see the same load and an equally idle ONNX Runtime.
 *
 * Last lines: runtime-step-p99-us (target ≤ 1000) and runtime-overhead-ratio, the median step
 * over the median bare run (target ≤ 2.0).
 */
import { validateConfig } from '@fleetloop/core';
import {
  InProcessDomain,
  InProcessTransport,
  makeLaserScan,
  makeOdometry,
  makePoseStamped,
  MessageDefinitionRegistry,
  QOS_DEFAULT,
  QOS_LATCHED,
  QOS_SENSOR_DATA,
} from '@fleetloop/ros';
import { validatePolicyContract } from '@fleetloop/registry';
import {
  ControlLoop,
  LatestMessages,
  LoadedPolicy,
  OnnxPolicySession,
  RobotIo,
  runtimeSectionSchema,
  systemClock,
} from '@fleetloop/runtime';
import { diffDriveContract, mlpPolicyOnnx, TEST_OBSERVATION_SIZE } from '@fleetloop/runtime/testing';
import ort from 'onnxruntime-node';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const PERIOD_MS = 10;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

function describe(label: string, us: readonly number[]): void {
  const f = (q: number): string => quantile(us, q).toFixed(0).padStart(6);
  console.log(
    `${label.padEnd(28)} n=${String(us.length).padStart(5)}  p50 ${f(0.5)} µs  p90 ${f(0.9)} µs  p99 ${f(0.99)} µs  max ${f(1)} µs`,
  );
}

const contract = validatePolicyContract(diffDriveContract({ controlPeriodMs: PERIOD_MS }));
const model = mlpPolicyOnnx({ inputSize: TEST_OBSERVATION_SIZE, outputSize: 2, hidden: [256, 256], seed: 7 });
const definitions = new MessageDefinitionRegistry();
const domain = new InProcessDomain();
const robotSide = new InProcessTransport({ domain });
const runtimeSide = new InProcessTransport({ domain });

// The robot: sensors out, commands in.
const scanWriter = robotSide.createWriter('/robot_1/scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA);
const odomWriter = robotSide.createWriter('/robot_1/odom', 'nav_msgs/msg/Odometry', QOS_DEFAULT);
const goalWriter = robotSide.createWriter('/robot_1/goal_pose', 'geometry_msgs/msg/PoseStamped', QOS_LATCHED);
let commandsReceived = 0;
const commandReader = robotSide.createReader(
  '/robot_1/cmd_vel',
  'geometry_msgs/msg/Twist',
  QOS_DEFAULT,
  () => {
    commandsReceived++;
  },
);
const scanCodec = definitions.codec('sensor_msgs/msg/LaserScan');
const odomCodec = definitions.codec('nav_msgs/msg/Odometry');
goalWriter.write(
  definitions.codec('geometry_msgs/msg/PoseStamped').encode(makePoseStamped({ position: { x: 5, y: 1 } })),
);
let t = 0;
const publishScan = (): void => {
  const ranges = Float32Array.from({ length: 360 }, (_, i) => 2 + Math.sin(i / 10 + t));
  scanWriter.write(
    scanCodec.encode(
      makeLaserScan({ ranges, angleMin: -Math.PI, angleMax: Math.PI, rangeMin: 0.05, rangeMax: 8 }),
    ),
  );
};
const publishOdom = (): void => {
  t += 0.02;
  odomWriter.write(odomCodec.encode(makeOdometry({ x: t, y: 0, yaw: 0.1, linear: { x: 0.3 } })));
};
publishScan();
publishOdom();
const scanTimer = setInterval(publishScan, 50);
const odomTimer = setInterval(publishOdom, 20);

// The runtime's loop, as PolicyRuntime builds it.
const section = validateConfig(runtimeSectionSchema, {
  robot: { name: 'robot_1', type: 'diffdrive', latchedTopics: ['goal_pose'] },
  safety: { staleExemptTopics: ['goal_pose'], staleAfterPeriods: 10, minClearanceM: 0.25 },
});
const latest = new LatestMessages();
const io = new RobotIo({
  transport: runtimeSide,
  namespace: '/robot_1',
  latest,
  clock: systemClock,
  definitions,
  readerQos: { goal_pose: QOS_LATCHED },
});
const loop = new ControlLoop({
  clock: systemClock,
  latest,
  publisher: io,
  safety: section.safety,
  maxConsecutiveOverruns: section.deadline.maxConsecutiveOverruns,
  recoverAfterSteps: section.deadline.recoverAfterSteps,
});
const session = await OnnxPolicySession.create(model, contract);
await session.warm(50);
const policy = new LoadedPolicy({ version: 'bench', digest: 'sha256:bench' }, contract, session);
for (const { topic, type } of policy.assembler.topics) io.subscribe(topic, type);
io.subscribe('scan', 'sensor_msgs/msg/LaserScan');
loop.setPolicy(policy);

// The baseline: the same model in a plain session, a new tensor per call.
const bare = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const bareInput = new Float32Array(TEST_OBSERVATION_SIZE).fill(0.5);
const runBare = async (): Promise<number> => {
  const start = performance.now();
  await bare.run({ obs: new ort.Tensor('float32', bareInput.slice(), [1, TEST_OBSERVATION_SIZE]) });
  return (performance.now() - start) * 1000;
};
for (let i = 0; i < 50; i++) await runBare();

await new Promise((resolve) => setTimeout(resolve, 200));
const stepUs: number[] = [];
const bareUs: number[] = [];
let stopped = 0;
loop.onStep((report) => {
  stepUs.push(report.latencyMs * 1000);
  if (report.raw === undefined) stopped++;
  // Half a period later, so the bare call finds ONNX Runtime as idle as the step did.
  setTimeout(() => {
    runBare().then(
      (us) => bareUs.push(us),
      (error: unknown) => {
        throw error;
      },
    );
  }, PERIOD_MS / 2);
});
console.log(
  `bench:runtime — ${SECONDS} s at ${1000 / PERIOD_MS} Hz, MLP 12→256→256→2, onnxruntime-node ${ort.env.versions.common}`,
);
loop.start();
await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
await loop.stop();
clearInterval(scanTimer);
clearInterval(odomTimer);
await new Promise((resolve) => setTimeout(resolve, 50));

describe('control step (assembly→publish)', stepUs);
describe('bare session.run', bareUs);
console.log(
  `steps ${stepUs.length} (expected ~${(SECONDS * 1000) / PERIOD_MS}), commands received ${commandsReceived}, ` +
    `overruns ${loop.overruns}, steps without a model run ${stopped}`,
);
const ratio = quantile(stepUs, 0.5) / quantile(bareUs, 0.5);
await commandReader.close();
await io.close();
await session.release();
await bare.release();
await robotSide.close();
await runtimeSide.close();
console.log(`runtime-step-p99-us: ${quantile(stepUs, 0.99).toFixed(0)}`);
console.log(`runtime-overhead-ratio: ${ratio.toFixed(2)}`);
