/**
 * Mission state a simulated robot publishes as JSON in a `std_msgs/msg/String` on
 * `/<robot>/mission_state` (reliable, transient local, depth 1: a late subscriber gets the
 * current state at once). Published on every change and once per second.
 *
 * @example
 * {"state":"on_mission","mission":"nav-v1/test#17","missionsDone":3,"successes":3,"collisions":0,"lastResult":"success"}
 */
export interface MissionState {
  /** `idle`: between missions, safe to swap the model; `on_mission`: driving to a goal. */
  readonly state: 'idle' | 'on_mission';
  /** Episode id of the current (or, when idle, the last) mission; null before the first. */
  readonly mission: string | null;
  readonly missionsDone: number;
  readonly successes: number;
  readonly collisions: number;
  /** How the last finished mission ended; null before the first ends. */
  readonly lastResult: 'success' | 'collision' | 'timeout' | null;
}

/** Parses a `mission_state` payload; returns undefined for anything that is not one. */
export function parseMissionState(data: string): MissionState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v['state'] !== 'idle' && v['state'] !== 'on_mission') return undefined;
  if (typeof v['missionsDone'] !== 'number' || typeof v['successes'] !== 'number') return undefined;
  return value as MissionState;
}
