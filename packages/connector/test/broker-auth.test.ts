import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InProcessDomain, InProcessTransport, QOS_DEFAULT } from '@fleetloop/ros';
import mqttPacket, { type IConnectPacket } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector } from '../src/index.js';
import { generateCertificates, type TestCertificates } from './support/certificates.js';
import { Mosquitto } from './support/Mosquitto.js';
import { quietLogger, Subscriber, testConfig } from './support/harness.js';

/** Polls connector state seen from outside (no event to await for it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('broker authentication', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetloop-auth-'));
  let certs: TestCertificates;
  let tlsBroker: Mosquitto;
  let passwordBroker: Mosquitto;

  beforeAll(async () => {
    certs = generateCertificates(dir);
    execFileSync('mosquitto_passwd', ['-c', '-b', path.join(dir, 'passwd'), 'robot-1', 'correct horse'], {
      stdio: 'ignore',
    });
    tlsBroker = new Mosquitto({
      scheme: 'mqtts',
      lines: [
        `cafile ${certs.ca}`,
        `certfile ${certs.serverCert}`,
        `keyfile ${certs.serverKey}`,
        'require_certificate true',
        'use_identity_as_username true',
      ],
    });
    passwordBroker = new Mosquitto({
      allowAnonymous: false,
      lines: [`password_file ${path.join(dir, 'passwd')}`],
    });
    await Promise.all([tlsBroker.start(), passwordBroker.start()]);
  });
  afterAll(() => Promise.all([tlsBroker.stop(), passwordBroker.stop()]));

  it('connects with TLS and a client certificate (mTLS), and keeps retrying without one', async () => {
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    const subscriber = await Subscriber.connect(tlsBroker.url, 'fleetloop/v1/lab/robot-1/ros/#', {
      ca: readFileSync(certs.ca),
      cert: readFileSync(certs.clientCert),
      key: readFileSync(certs.clientKey),
    });
    const withCert = new Connector({
      config: testConfig({
        broker: { url: tlsBroker.url, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } },
        routes: [{ name: 'odom', topics: { include: ['/odom'] } }],
      }),
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    const withoutCert = new Connector({
      config: testConfig({ robot: 'robot-2', broker: { url: tlsBroker.url, tls: { ca: certs.ca } } }),
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    await Promise.all([withCert.start(), withoutCert.start()]);
    const writer = robot.createWriter('/odom', 'nav_msgs/msg/Odometry', QOS_DEFAULT);
    await until(() => withCert.connected && writer.matchedReaders() === 1);
    writer.write(Buffer.from([0, 1, 0, 0, 42]));
    await subscriber.until((m) => m.length === 1);
    expect(subscriber.messages[0]?.payload[4]).toBe(42);
    await until(() => withoutCert.status().lastError !== undefined);
    expect(withoutCert.connected).toBe(false);
    await Promise.all([withCert.stop(), withoutCert.stop(), subscriber.close(), robot.close()]);
  });

  it('reports refused credentials clearly and retries with a growing backoff instead of a crash loop', async () => {
    const delays: number[] = [];
    const timers = {
      setTimeout: (callback: () => void, ms: number) => {
        delays.push(ms);
        return setTimeout(callback, ms);
      },
      clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
    };
    const refused = new Connector({
      config: testConfig({ broker: { url: passwordBroker.url, username: 'robot-1', password: 'wrong' } }),
      transport: new InProcessTransport(),
      logger: quietLogger,
      rng: () => 0.5,
      timers,
    });
    await refused.start();
    await until(() => delays.length >= 4);
    expect(delays.slice(0, 4)).toEqual([38, 75, 150, 300]);
    expect(refused.status().lastError).toMatch(
      /The broker mqtt:\/\/127\.0\.0\.1:\d+ refused the credentials \(username "robot-1"\).*reason code 13[45]/,
    );
    await refused.stop();

    const passwordFile = path.join(dir, 'password');
    writeFileSync(passwordFile, 'correct horse\n');
    const accepted = new Connector({
      config: testConfig({ broker: { url: passwordBroker.url, username: 'robot-1', passwordFile } }),
      transport: new InProcessTransport(),
      logger: quietLogger,
    });
    await accepted.start();
    await until(() => accepted.connected);
    await accepted.stop();
  });

  it('sends the Kubernetes service-account token as K8S-SAT enhanced auth, re-read on every reconnect', async () => {
    // Mosquitto has no K8S-SAT authenticator, so a minimal MQTT v5 endpoint records the CONNECTs.
    const connects: IConnectPacket[] = [];
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      const parser = mqttPacket.parser({ protocolVersion: 5 });
      parser.on('packet', (packet) => {
        if (packet.cmd === 'publish' && packet.qos === 1) {
          socket.write(
            mqttPacket.generate(
              { cmd: 'puback', messageId: packet.messageId ?? 0, reasonCode: 0 },
              { protocolVersion: 5 },
            ),
          );
        }
        if (packet.cmd !== 'connect') return;
        connects.push(packet);
        socket.write(
          mqttPacket.generate(
            { cmd: 'connack', sessionPresent: false, reasonCode: 0 },
            { protocolVersion: 5 },
          ),
        );
      });
      socket.on('data', (chunk) => parser.parse(chunk));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'token-generation-1');
    const connector = new Connector({
      config: testConfig({
        broker: {
          url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
          serviceAccountTokenFile: tokenFile,
        },
      }),
      transport: new InProcessTransport(),
      logger: quietLogger,
    });
    await connector.start();
    await until(() => connector.connected);
    writeFileSync(tokenFile, 'token-generation-2');
    for (const socket of sockets) socket.destroy();
    await until(() => connects.length === 2);
    expect(connects.map((c) => c.properties?.authenticationMethod)).toEqual(['K8S-SAT', 'K8S-SAT']);
    expect(connects.map((c) => c.properties?.authenticationData?.toString())).toEqual([
      'token-generation-1',
      'token-generation-2',
    ]);
    await connector.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
