import RAPIER from '@dimforge/rapier2d-compat';

let ready: Promise<void> | undefined;

/**
 * Loads Rapier's WebAssembly once per process. Every factory that builds worlds awaits it, so
 * callers never see an uninitialised engine.
 */
export function initPhysics(): Promise<void> {
  ready ??= RAPIER.init();
  return ready;
}

export { RAPIER };
