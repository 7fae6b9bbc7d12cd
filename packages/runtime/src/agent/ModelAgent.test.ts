import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageDefinitionRegistry } from '@fleetloop/ros';
import { afterAll, describe, expect, it } from 'vitest';
import { ControlLoop } from '../loop/ControlLoop.js';
import { LatestMessages } from '../observation/LatestMessages.js';
import { loadPolicyPackage } from '../policy/loadPolicyPackage.js';
import { ShadowEvaluator } from '../shadow/ShadowEvaluator.js';
import { HotSwap, type SwapEvent } from '../swap/HotSwap.js';
import { ManualClock } from '../testing/ManualClock.js';
import { writeTestPackage } from '../testing/writeTestPackage.js';
import { ModelAgent } from './ModelAgent.js';
import { PolicyFetcher } from './PolicyFetcher.js';

const root = await mkdtemp(path.join(tmpdir(), 'runtime-agent-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('ModelAgent', () => {
  it('loads each desired version once, stages it, and rolls back to the loaded previous one without reloading', async () => {
    const clock = new ManualClock();
    const loop = new ControlLoop({
      clock,
      latest: new LatestMessages(),
      publisher: { publish: () => undefined },
      safety: {
        staleAfterPeriods: 3,
        staleExemptTopics: [],
        minClearanceM: 0,
        clearanceHalfAngleDeg: 30,
        scanTopic: 'scan',
        estopTopic: 'estop',
      },
      maxConsecutiveOverruns: 3,
      recoverAfterSteps: 2,
    });
    const events: SwapEvent[] = [];
    const swap = new HotSwap({
      loop,
      clock,
      when: 'any',
      isIdle: () => true,
      probation: { windowMs: 1000, maxInterventions: 100, maxOverruns: 100, maxNonFinite: 0 },
      onEvent: (e) => events.push(e),
    });
    const shadow = new ShadowEvaluator({ loop, latest: new LatestMessages(), clock });
    const definitions = new MessageDefinitionRegistry();
    let loads = 0;
    const agent = new ModelAgent({
      fetcher: new PolicyFetcher({ cacheDir: path.join(root, 'cache') }),
      load: (dir, ref) => {
        loads++;
        return loadPolicyPackage(dir, {
          robot: { type: 'diffdrive', topics: new Map(), complete: false },
          definitions,
          version: ref.version,
          warmupRuns: 1,
        });
      },
      swap,
      shadow,
    });
    const v1 = { source: (await writeTestPackage(path.join(root, 'v1'))).dir, version: 'v1' };
    const v2 = {
      source: (await writeTestPackage(path.join(root, 'v2'), { bias: [0.1, 0] })).dir,
      version: 'v2',
    };
    await agent.apply({ policy: v1 });
    await agent.apply({ policy: v1 });
    await agent.apply({ policy: v2 });
    await loop.step();
    expect(swap.active?.version).toBe('v2');
    const previous = swap.previous;
    await agent.apply({ policy: v1 });
    expect(swap.active).toBe(previous);
    expect(loads).toBe(2);
    expect(events.map((e) => e.kind)).toEqual(['switched', 'staged', 'switched', 'rolled-back']);
    expect(agent.lastError).toBeUndefined();
    await swap.close();
  });
});
