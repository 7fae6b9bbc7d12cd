import { ManualClock } from './ManualClock.js';

/** A {@link ManualClock} whose time also moves forward by `stepMs` on every read: every step looks slow. */
export class SteppingClock extends ManualClock {
  stepMs: number;

  constructor(stepMs: number) {
    super(0);
    this.stepMs = stepMs;
  }

  override now(): number {
    const now = super.now();
    this.advance(this.stepMs);
    return now;
  }
}
