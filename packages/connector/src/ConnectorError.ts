import { FleetloopError } from '@fleetloop/core';

/**
 * Stable codes of {@link ConnectorError}:
 * - `CONNECTOR_QUEUE_CORRUPT`: a store-and-forward file cannot be read back (not a torn tail).
 * - `CONNECTOR_QUEUE_IO`: the queue directory cannot be created, written or synced.
 * - `CONNECTOR_QUEUE_CLOSED`: the queue was used after `close()`.
 * - `CONNECTOR_BROKER_AUTH`: the broker refused the credentials (CONNACK reason code).
 * - `CONNECTOR_BROKER_TLS`: a CA bundle, certificate, key or token file cannot be read.
 * - `CONNECTOR_BROKER_UNREACHABLE`: the broker cannot be reached.
 * - `CONNECTOR_NOT_STARTED`: an operation needs `start()` first.
 */
export type ConnectorErrorCode =
  | 'CONNECTOR_QUEUE_CORRUPT'
  | 'CONNECTOR_QUEUE_IO'
  | 'CONNECTOR_QUEUE_CLOSED'
  | 'CONNECTOR_BROKER_AUTH'
  | 'CONNECTOR_BROKER_TLS'
  | 'CONNECTOR_BROKER_UNREACHABLE'
  | 'CONNECTOR_NOT_STARTED';

/** Every error `@fleetloop/connector` raises on purpose. */
export class ConnectorError extends FleetloopError {
  declare readonly code: ConnectorErrorCode;

  constructor(code: ConnectorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
