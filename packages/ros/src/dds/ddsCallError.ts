import { DdsError } from './DdsError.js';

/** Cyclone's DDS_RETCODE_TIMEOUT (dds/ddsrt/retcode.h). */
const DDS_RETCODE_TIMEOUT = -10;

/** Maps an exception from the addon to a {@link DdsError} that says what was being done. */
export function ddsCallError(cause: unknown, doing: string): DdsError {
  const retcode = (cause as { ddsRetcode?: unknown } | null)?.ddsRetcode;
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (retcode === DDS_RETCODE_TIMEOUT) {
    return new DdsError(
      'DDS_WRITE_TIMEOUT',
      `${doing}: a reliable reader did not keep up within the writer's max blocking time (${reason}); ` +
        'raise maxBlockingMs, use best_effort, or a keep_last history on the reader',
      { cause },
    );
  }
  return new DdsError('DDS_CALL_FAILED', `${doing}: ${reason}`, { cause });
}
