import { describe, expect, it } from 'vitest';
import { NAV_V1_ROBOT } from '../scenario/variants.js';
import { DiffDrive } from './DiffDrive.js';

describe('DiffDrive', () => {
  it('delays commands by the actuation latency and ramps under the acceleration limit', () => {
    const drive = new DiffDrive({
      ...NAV_V1_ROBOT,
      latencySteps: 2,
      linearAcceleration: 1,
      angularAcceleration: 2,
    });
    drive.command(0.5, 1);
    drive.advance(0.05);
    expect(drive.linear).toBe(0);
    drive.command(0.5, 1);
    drive.advance(0.05);
    expect(drive.linear).toBe(0);
    drive.command(0.5, 1);
    drive.advance(0.05);
    expect(drive.linear).toBeCloseTo(0.05);
    expect(drive.angular).toBeCloseTo(0.1);
    for (let i = 0; i < 20; i++) drive.advance(0.05);
    expect(drive.linear).toBeCloseTo(0.5);
  });

  it('clamps commands to the velocity limits', () => {
    const drive = new DiffDrive({
      ...NAV_V1_ROBOT,
      latencySteps: 0,
      linearAcceleration: 100,
      angularAcceleration: 100,
    });
    drive.command(5, -9);
    drive.advance(1);
    expect(drive.linear).toBe(NAV_V1_ROBOT.maxLinear);
    expect(drive.angular).toBe(-NAV_V1_ROBOT.maxAngular);
  });
});
