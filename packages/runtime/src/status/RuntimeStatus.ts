import type { ModelAgent, AgentError } from '../agent/ModelAgent.js';
import type { ControlLoop } from '../loop/ControlLoop.js';
import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import type { InterventionReason } from '../safety/Intervention.js';
import type { RollingWindow } from '../shadow/RollingWindow.js';
import type { ShadowEvaluator, ShadowStats } from '../shadow/ShadowEvaluator.js';
import type { HotSwap } from '../swap/HotSwap.js';

/** A policy version as reported. */
export interface ReportedVersion {
  readonly version: string;
  readonly digest: string;
  readonly source: string | null;
}

/** The reported state of a runtime (MQTT `…/status/runtime` and `/status`). */
export interface RuntimeStatus {
  readonly site: string;
  readonly robot: string;
  /** `waiting`: running without a policy; `degraded`: overruns hold the robot stopped. */
  readonly state: 'starting' | 'waiting' | 'running' | 'degraded' | 'stopped';
  readonly active: ReportedVersion | null;
  readonly previous: ReportedVersion | null;
  readonly pending: ReportedVersion | null;
  readonly probation: { readonly version: string; readonly elapsedMs: number } | null;
  readonly shadow: (ReportedVersion & { readonly stats: ShadowStats | null }) | null;
  readonly rejected: readonly { readonly digest: string; readonly reason: string }[];
  readonly health: {
    readonly steps: number;
    readonly overruns: number;
    readonly degraded: boolean;
    readonly interventions: Partial<Record<InterventionReason, number>>;
    readonly stepLatencyMs: { readonly p50: number | null; readonly p99: number | null };
  };
  readonly lastError: AgentError | null;
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** What {@link buildRuntimeStatus} reads. */
export interface RuntimeStatusSources {
  readonly site: string;
  readonly robot: string;
  readonly state: 'starting' | 'running' | 'stopped';
  readonly startedAt: Date;
  readonly loop: ControlLoop;
  readonly swap: HotSwap;
  readonly shadow: ShadowEvaluator;
  readonly agent: ModelAgent;
  readonly latency: RollingWindow;
  readonly now?: Date;
}

/** Builds the status document from the runtime's parts. */
export function buildRuntimeStatus(s: RuntimeStatusSources): RuntimeStatus {
  const version = (policy: LoadedPolicy | undefined): ReportedVersion | null =>
    policy === undefined
      ? null
      : { version: policy.version, digest: policy.digest, source: s.agent.refOf(policy)?.source ?? null };
  const shadowPolicy = s.shadow.policy;
  const probation = s.swap.probation;
  const state =
    s.state !== 'running'
      ? s.state
      : s.loop.degraded
        ? 'degraded'
        : s.swap.active === undefined
          ? 'waiting'
          : 'running';
  const finite = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null);
  return {
    site: s.site,
    robot: s.robot,
    state,
    active: version(s.swap.active),
    previous: version(s.swap.previous),
    pending: version(s.swap.pending),
    probation:
      probation === undefined
        ? null
        : { version: probation.version, elapsedMs: Math.round(s.loop.clockNow() - probation.startedAtMs) },
    shadow:
      shadowPolicy === undefined
        ? null
        : { ...(version(shadowPolicy) as ReportedVersion), stats: s.shadow.stats() ?? null },
    rejected: [...s.swap.rejected].map(([digest, reason]) => ({ digest, reason })),
    health: {
      steps: s.loop.steps,
      overruns: s.loop.overruns,
      degraded: s.loop.degraded,
      interventions: Object.fromEntries(s.loop.interventions),
      stepLatencyMs: { p50: finite(s.latency.quantile(0.5)), p99: finite(s.latency.quantile(0.99)) },
    },
    lastError: s.agent.lastError ?? null,
    startedAt: s.startedAt.toISOString(),
    updatedAt: (s.now ?? new Date()).toISOString(),
  };
}
