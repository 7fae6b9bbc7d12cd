/**
 * ROS codec and in-process transport throughput, each against a baseline measured in the same
 * run: CDR decode/encode of a 720-beam LaserScan and a 640×480 rgb8 Image against JSON of the
 * same message (what a JSON bridge would pay), and in-process delivery against a plain
 * `setImmediate` hand-off of the same samples. Prints `name: value` figures last.
 */
import { EventEmitter } from 'node:events';
import {
  InProcessDomain,
  InProcessTransport,
  makeImage,
  makeLaserScan,
  MessageDefinitionRegistry,
  QOS_DEFAULT,
  type RosSample,
} from '@fleetloop/ros';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 1.5);

/** Runs `body` repeatedly for about SECONDS and returns calls per second. */
function rate(body: () => void): number {
  for (let i = 0; i < 50; i++) {
    body();
  }
  const end = performance.now() + SECONDS * 1000;
  let calls = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 10; i++) {
      body();
    }
    calls += 10;
  }
  return calls / ((performance.now() - start) / 1000);
}

const registry = new MessageDefinitionRegistry();
const scan = makeLaserScan({
  stamp: 1n,
  frameId: 'laser',
  ranges: Array.from({ length: 720 }, (_, i) => 1 + (i % 50) / 10),
  angleMin: -Math.PI,
  angleMax: Math.PI,
  rangeMin: 0.1,
  rangeMax: 12,
});
const image = makeImage({
  stamp: 1n,
  frameId: 'camera',
  width: 640,
  height: 480,
  encoding: 'rgb8',
  data: new Uint8Array(640 * 480 * 3).map((_, i) => i & 0xff),
});
const scanCodec = registry.codec('sensor_msgs/msg/LaserScan');
const imageCodec = registry.codec('sensor_msgs/msg/Image');
const scanBytes = scanCodec.encode(scan);
const imageBytes = imageCodec.encode(image);
const jsonScan = { ...scan, ranges: [...scan.ranges], intensities: [...scan.intensities] };
const jsonScanText = JSON.stringify(jsonScan);
const jsonImage = { ...image, data: [...image.data] };
const jsonImageText = JSON.stringify(jsonImage);

const scanDecode = rate(() => scanCodec.decode(scanBytes));
const scanDecodeJson = rate(() => JSON.parse(jsonScanText) as unknown);
const scanEncode = rate(() => scanCodec.encode(scan));
const scanEncodeJson = rate(() => JSON.stringify(jsonScan));
const imageDecode = rate(() => imageCodec.decode(imageBytes));
const imageDecodeJson = rate(() => JSON.parse(jsonImageText) as unknown);
const imageEncode = rate(() => imageCodec.encode(image));
const imageEncodeJson = rate(() => JSON.stringify(jsonImage));

/** Messages per second through `send` → `receive`, sent in bursts of `burst` per turn. */
async function deliveryRate(
  setup: (receive: () => void) => { send: () => void; close: () => Promise<void> },
  total: number,
  burst: number,
): Promise<number> {
  let received = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const { send, close } = setup(() => {
    received += 1;
    if (received === total) {
      done();
    }
  });
  const start = performance.now();
  for (let sent = 0; sent < total; sent += burst) {
    for (let i = 0; i < burst; i++) {
      send();
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await close();
  return total / seconds;
}

const TOTAL = 200_000;
const BURST = 100;
const inProcessSetup = (receive: () => void): { send: () => void; close: () => Promise<void> } => {
  const domain = new InProcessDomain();
  const a = new InProcessTransport({ domain });
  const b = new InProcessTransport({ domain });
  b.createReader('/bench', 'sensor_msgs/msg/LaserScan', QOS_DEFAULT, receive);
  const writer = a.createWriter('/bench', 'sensor_msgs/msg/LaserScan', QOS_DEFAULT);
  return {
    send: () => writer.write(scanBytes),
    close: async () => {
      await a.close();
      await b.close();
    },
  };
};
const handOffSetup = (receive: () => void): { send: () => void; close: () => Promise<void> } => {
  const emitter = new EventEmitter<{ sample: [RosSample] }>();
  emitter.on('sample', receive);
  const sample: RosSample = {
    topic: '/bench',
    type: 'sensor_msgs/msg/LaserScan',
    data: scanBytes,
    sourceTimestampNs: 0n,
    publisherGuid: '0'.repeat(32),
  };
  return {
    send: () => setImmediate(() => emitter.emit('sample', { ...sample, data: new Uint8Array(scanBytes) })),
    close: () => Promise.resolve(),
  };
};
// Warm-up rounds first, so neither side is measured while the JIT is still compiling it.
await deliveryRate(inProcessSetup, TOTAL / 4, BURST);
await deliveryRate(handOffSetup, TOTAL / 4, BURST);
const inProcess = await deliveryRate(inProcessSetup, TOTAL, BURST);
const handOff = await deliveryRate(handOffSetup, TOTAL, BURST);

const fmt = (n: number): string => n.toFixed(0);
const ratio = (a: number, b: number): string => (a / b).toFixed(2);
console.log(`LaserScan (720 beams, ${scanBytes.byteLength} B CDR, ${jsonScanText.length} B JSON)`);
console.log(
  `  decode: ${fmt(scanDecode)}/s   JSON.parse: ${fmt(scanDecodeJson)}/s   ratio ${ratio(scanDecode, scanDecodeJson)}`,
);
console.log(
  `  encode: ${fmt(scanEncode)}/s   JSON.stringify: ${fmt(scanEncodeJson)}/s   ratio ${ratio(scanEncode, scanEncodeJson)}`,
);
console.log(`Image (640×480 rgb8, ${imageBytes.byteLength} B CDR)`);
console.log(
  `  decode: ${fmt(imageDecode)}/s   JSON.parse: ${fmt(imageDecodeJson)}/s   ratio ${ratio(imageDecode, imageDecodeJson)}`,
);
console.log(
  `  encode: ${fmt(imageEncode)}/s   JSON.stringify: ${fmt(imageEncodeJson)}/s   ratio ${ratio(imageEncode, imageEncodeJson)}`,
);
console.log(`In-process delivery of ${TOTAL} LaserScans in bursts of ${BURST}`);
console.log(
  `  transport: ${fmt(inProcess)}/s   setImmediate hand-off: ${fmt(handOff)}/s   ratio ${ratio(inProcess, handOff)}`,
);
console.log(`ros-laserscan-decode-per-second: ${fmt(scanDecode)}`);
console.log(`ros-laserscan-decode-vs-json: ${ratio(scanDecode, scanDecodeJson)}`);
console.log(`ros-image-encode-mb-per-second: ${((imageEncode * imageBytes.byteLength) / 1e6).toFixed(0)}`);
console.log(`ros-inprocess-messages-per-second: ${fmt(inProcess)}`);
console.log(`ros-inprocess-vs-handoff: ${ratio(inProcess, handOff)}`);
