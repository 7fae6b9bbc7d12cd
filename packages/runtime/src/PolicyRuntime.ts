import path from 'node:path';
import { createLogger, OpsServer, type Logger } from '@fleetloop/core';
import { readPublicKey } from '@fleetloop/registry';
import type { MessageDefinitionRegistry } from '@fleetloop/ros';
import { QOS_LATCHED, type QosProfile, type RosTransport } from '@fleetloop/ros';
import type { Registry } from 'prom-client';
import type { DesiredState, PolicyRef } from './agent/desiredState.js';
import { DesiredStateFile } from './agent/DesiredStateFile.js';
import { ModelAgent } from './agent/ModelAgent.js';
import { PolicyFetcher } from './agent/PolicyFetcher.js';
import { RuntimeMqtt } from './agent/RuntimeMqtt.js';
import { systemClock, type RuntimeClock } from './clock/RuntimeClock.js';
import type { RuntimeConfig } from './config/runtimeConfig.js';
import { ControlLoop } from './loop/ControlLoop.js';
import type { StepReport } from './loop/StepReport.js';
import { LatestMessages } from './observation/LatestMessages.js';
import type { RobotDescription } from './policy/checkContractAgainstRobot.js';
import type { LoadedPolicy } from './policy/LoadedPolicy.js';
import { loadPolicyPackage } from './policy/loadPolicyPackage.js';
import { RobotIo } from './ros/RobotIo.js';
import { interventionReasons } from './safety/SafetyFilter.js';
import { RollingWindow } from './shadow/RollingWindow.js';
import { ShadowEvaluator } from './shadow/ShadowEvaluator.js';
import { RuntimeMetrics } from './status/RuntimeMetrics.js';
import { buildRuntimeStatus, type RuntimeStatus } from './status/RuntimeStatus.js';
import { HotSwap, type SwapEvent } from './swap/HotSwap.js';

/** Options for {@link PolicyRuntime}. */
export interface PolicyRuntimeOptions {
  readonly config: RuntimeConfig;
  readonly transport: RosTransport;
  readonly clock?: RuntimeClock;
  readonly logger?: Logger;
  /** Metrics registry (shared when one process runs several runtimes); a new one by default. */
  readonly metricsRegistry?: Registry;
  readonly definitions?: MessageDefinitionRegistry;
  readonly fetch?: typeof fetch;
}

const INTERVENTIONS_TOPIC = 'runtime/interventions';

/**
 * The runtime of one robot, composed: ROS I/O, the control loop with its safety filter, hot swap
 * and shadow evaluation, the model agent following the desired state (inline, file, MQTT), status
 * on MQTT and `/status`, Prometheus metrics and `/healthz` / `/readyz`.
 */
export class PolicyRuntime {
  readonly loop: ControlLoop;
  readonly swap: HotSwap;
  readonly shadow: ShadowEvaluator;
  readonly agent: ModelAgent;
  readonly io: RobotIo;
  readonly metricsRegistry: Registry;
  readonly #config: RuntimeConfig;
  readonly #clock: RuntimeClock;
  readonly #logger: Logger;
  readonly #latest = new LatestMessages();
  readonly #metrics: RuntimeMetrics;
  readonly #latency = new RollingWindow(1000);
  readonly #startedAt = new Date();
  #file: DesiredStateFile | undefined;
  #mqtt: RuntimeMqtt | undefined;
  #ops: OpsServer | undefined;
  #opsUrl: string | undefined;
  #statusTimer: NodeJS.Timeout | undefined;
  #state: 'starting' | 'running' | 'stopped' = 'starting';
  #lastErrorLogMs = Number.NEGATIVE_INFINITY;

  constructor(options: PolicyRuntimeOptions) {
    const config = options.config;
    const r = config.runtime;
    this.#config = config;
    this.#clock = options.clock ?? systemClock;
    this.#logger =
      options.logger ?? createLogger({ name: 'runtime', ...config.log }).child({ robot: r.robot.name });
    this.metricsRegistry = options.metricsRegistry ?? OpsServer.createRegistry();
    this.#metrics = new RuntimeMetrics(this.metricsRegistry, r.robot.name);
    const readerQos: Record<string, QosProfile> = {};
    for (const topic of r.robot.latchedTopics) readerQos[topic] = QOS_LATCHED;
    this.io = new RobotIo({
      transport: options.transport,
      namespace: r.robot.namespace ?? `/${r.robot.name}`,
      latest: this.#latest,
      clock: this.#clock,
      readerQos,
      ...(options.definitions === undefined ? {} : { definitions: options.definitions }),
      onDecodeError: (error, topic) => this.#logThrottled(error, `cannot decode a message on ${topic}`),
    });
    this.loop = new ControlLoop({
      clock: this.#clock,
      latest: this.#latest,
      publisher: this.io,
      safety: r.safety,
      maxConsecutiveOverruns: r.deadline.maxConsecutiveOverruns,
      recoverAfterSteps: r.deadline.recoverAfterSteps,
      onError: (error) => this.#logThrottled(error, 'control step error'),
    });
    this.swap = new HotSwap({
      loop: this.loop,
      clock: this.#clock,
      when: r.swap.when,
      isIdle: () => this.#isIdle(),
      probation: r.swap.probation,
      onEvent: (event) => this.#swapEvent(event),
      onError: (error) => this.#logger.error({ err: error }, 'releasing a retired policy failed'),
    });
    this.shadow = new ShadowEvaluator({
      loop: this.loop,
      latest: this.#latest,
      clock: this.#clock,
      window: r.shadow.window,
      onSample: (sample) => this.#metrics.shadowSample(sample),
      onError: (error) => this.#logThrottled(error, 'shadow step error'),
    });
    const fetcher = new PolicyFetcher({
      cacheDir: path.join(config.dataDir, 'runtime', r.robot.name, 'policies'),
      ociInsecure: r.policy.ociInsecure,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    this.agent = new ModelAgent({
      fetcher,
      load: (dir, ref) => this.#load(dir, ref),
      swap: this.swap,
      shadow: this.shadow,
      logger: this.#logger,
      onChange: () => this.#publishStatus(),
    });
    this.loop.onStep((report) => this.#afterStep(report));
  }

  /** URL of the ops server, when one was configured. */
  get opsUrl(): string | undefined {
    return this.#opsUrl;
  }

  /**
   * Subscribes to the safety topics, starts the control loop, follows the configured desired-state
   * sources and starts the ops server. Resolves once the initial desired state (if any) was handled.
   */
  async start(): Promise<void> {
    const r = this.#config.runtime;
    this.io.subscribe(r.safety.scanTopic, 'sensor_msgs/msg/LaserScan');
    this.io.subscribe(r.safety.estopTopic, 'std_msgs/msg/Bool');
    this.io.subscribe(r.swap.idleTopic, 'std_msgs/msg/String');
    this.loop.start();
    this.#state = 'running';
    if (r.ops.port !== undefined) {
      this.#ops = new OpsServer({
        registry: this.metricsRegistry,
        readiness: { policy: () => this.swap.active !== undefined && !this.loop.degraded },
        routes: (app) => app.get('/status', () => this.status()),
      });
      this.#opsUrl = await this.#ops.listen(r.ops.port, r.ops.host);
    }
    if (r.mqtt.url !== undefined) {
      this.#mqtt = new RuntimeMqtt({
        url: r.mqtt.url,
        protocolVersion: r.mqtt.protocolVersion,
        site: this.#config.site,
        robot: r.robot.name,
        followDesired: r.desired.mqtt,
        onDesired: (desired) => void this.applyDesired(desired),
        onError: (error) => this.#logThrottled(error, 'MQTT error'),
      });
      this.#statusTimer = setInterval(() => this.#publishStatus(), r.mqtt.statusIntervalMs);
      this.#statusTimer.unref();
    }
    if (r.desired.initial !== undefined) await this.applyDesired(r.desired.initial);
    if (r.desired.file !== undefined) {
      this.#file = new DesiredStateFile({
        file: r.desired.file,
        onDesired: (desired) => void this.applyDesired(desired),
        onError: (error) => this.#logger.error({ err: error }, 'desired state file refused'),
      });
      await this.#file.start();
    }
    this.#publishStatus();
  }

  /** Follows a desired state (as the file and MQTT sources do); resolves once it was handled. */
  applyDesired(desired: DesiredState): Promise<void> {
    return this.agent.apply(desired);
  }

  /** The reported state: versions, probation, shadow statistics, health. */
  status(): RuntimeStatus {
    return buildRuntimeStatus({
      site: this.#config.site,
      robot: this.#config.runtime.robot.name,
      state: this.#state,
      startedAt: this.#startedAt,
      loop: this.loop,
      swap: this.swap,
      shadow: this.shadow,
      agent: this.agent,
      latency: this.#latency,
    });
  }

  /** Stops the loop (publishing one last zero command), the sources and the servers; releases the models. */
  async close(): Promise<void> {
    this.#state = 'stopped';
    clearInterval(this.#statusTimer);
    await this.loop.stop();
    const active = this.swap.active;
    if (active !== undefined) this.io.publish(active.mapper.messages(new Float64Array(active.mapper.size)));
    await this.#file?.close();
    this.#publishStatus();
    await this.#mqtt?.close();
    await this.#ops?.close();
    await this.agent.settled();
    await this.shadow.close();
    await this.swap.close();
    await this.io.close();
  }

  async #load(dir: string, ref: PolicyRef): Promise<LoadedPolicy> {
    const r = this.#config.runtime;
    const robot: RobotDescription =
      r.robot.topics === undefined
        ? { type: r.robot.type, topics: this.io.robotTopics(), complete: false }
        : { type: r.robot.type, topics: new Map(Object.entries(r.robot.topics)), complete: true };
    const policy = await loadPolicyPackage(dir, {
      robot,
      definitions: this.io.definitions,
      publicKey:
        r.policy.publicKeyFile === undefined ? undefined : await readPublicKey(r.policy.publicKeyFile),
      expectedDigest: ref.digest,
      version: ref.version,
      session: { executionProviders: r.policy.executionProviders, intraOpThreads: r.policy.intraOpThreads },
      warmupRuns: r.policy.warmupRuns,
    });
    for (const { topic, type } of policy.assembler.topics) this.io.subscribe(topic, type);
    return policy;
  }

  #afterStep(report: StepReport): void {
    this.#latency.push(report.latencyMs);
    this.#metrics.step(report, this.loop.degraded, this.loop.overruns);
    if (report.interventions !== 0) {
      this.io.write(INTERVENTIONS_TOPIC, 'std_msgs/msg/String', {
        data: JSON.stringify({
          seq: report.seq,
          version: report.policy.version,
          reasons: interventionReasons(report.interventions),
        }),
      });
    }
    const stats = this.shadow.stats();
    if (stats !== undefined && report.seq % 20 === 0) this.#metrics.shadowStats(stats);
  }

  #isIdle(): boolean {
    const { idleTopic, idleValues } = this.#config.runtime.swap;
    const message = this.#latest.get(idleTopic)?.message as { data?: unknown } | undefined;
    if (typeof message?.data === 'string') {
      let state: unknown = message.data;
      try {
        const parsed = JSON.parse(message.data) as unknown;
        if (typeof parsed === 'object' && parsed !== null && 'state' in parsed) state = parsed.state;
      } catch {
        // A plain string such as `idle` is the state itself.
      }
      return typeof state === 'string' && idleValues.includes(state);
    }
    return this.loop.lastCommand.every((v) => Math.abs(v) < 1e-6);
  }

  #swapEvent(event: SwapEvent): void {
    const active = this.swap.active;
    this.#metrics.swapEvent(
      event,
      active === undefined ? undefined : { version: active.version, digest: active.digest },
    );
    const level = event.kind === 'rolled-back' ? 'warn' : 'info';
    this.#logger[level]({ event }, `policy ${event.kind}`);
    this.#publishStatus();
  }

  #publishStatus(): void {
    this.#mqtt?.publishStatus(this.status());
  }

  #logThrottled(error: unknown, message: string): void {
    const now = this.#clock.now();
    if (now - this.#lastErrorLogMs < 1000) return;
    this.#lastErrorLogMs = now;
    this.#logger.error({ err: error }, message);
  }
}
