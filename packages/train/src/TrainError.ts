import { FleetloopError } from '@fleetloop/core';

/** Stable codes of {@link TrainError}. */
export type TrainErrorCode =
  | 'TRAIN_FEATURE_MISMATCH'
  | 'TRAIN_NAN_LOSS'
  | 'TRAIN_EXPORT_MISMATCH'
  | 'TRAIN_CHECKPOINT_INVALID'
  | 'TRAIN_TRACKING_FAILED'
  | 'TRAIN_DATASET_EMPTY'
  | 'TRAIN_RUN_EXISTS'
  | 'TRAIN_INVALID_ARGUMENT';

/** Raised by training, export and run tracking; `code` says which step failed. */
export class TrainError extends FleetloopError {
  declare readonly code: TrainErrorCode;

  constructor(code: TrainErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
