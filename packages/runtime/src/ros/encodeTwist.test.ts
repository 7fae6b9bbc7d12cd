import { MessageDefinitionRegistry } from '@fleetloop/ros';
import { describe, expect, it } from 'vitest';
import { encodeTwist } from './encodeTwist.js';

describe('encodeTwist', () => {
  it('produces the same bytes as the generic CDR writer and decodes back', () => {
    const codec = new MessageDefinitionRegistry().codec('geometry_msgs/msg/Twist');
    const twist = { linear: { x: 0.25, y: -1e-9, z: 3 }, angular: { x: 0, y: Number.MAX_VALUE, z: -1.5 } };
    const bytes = encodeTwist(twist);
    expect([...bytes]).toEqual([...codec.encode(twist)]);
    expect(codec.decode(bytes)).toEqual(twist);
    expect([...encodeTwist({ linear: { x: 1 } })]).toEqual([...codec.encode({ linear: { x: 1 } })]);
  });
});
