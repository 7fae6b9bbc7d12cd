import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DdsError } from './DdsError.js';

/** QoS as the addon takes it: durations in nanoseconds, negative = infinite/default. */
export interface NativeQos {
  readonly reliable: boolean;
  readonly transientLocal: boolean;
  readonly keepAll: boolean;
  readonly depth: number;
  readonly deadlineNs: number;
  readonly lifespanNs: number;
  readonly livelinessLeaseNs: number;
  readonly maxBlockingNs?: number;
  readonly latencyBudgetNs?: number;
  readonly transportPriority?: number;
  readonly maxSamples?: number;
}

/** One builtin-topic sample: an endpoint that appeared (`alive`) or went away. */
export interface NativeEndpointEvent {
  readonly kind: 'writer' | 'reader';
  readonly guid: string;
  readonly alive: boolean;
  readonly topic?: string;
  readonly type?: string;
  readonly qos?: NativeQos;
}

declare const handleBrand: unique symbol;
/** An opaque native object (topic, writer, reader or discovery). */
export type NativeHandle<Kind extends string> = { readonly [handleBrand]: Kind };

/**
 * Receives samples taken from a reader in one batch: `locations[2i]` is the byte offset of sample
 * i in `block` (or, with the top bit set, its index in `externals`), `locations[2i+1]` its length;
 * `stamps[2i]` its source timestamp (ns) and `stamps[2i+1]` the instance handle of its writer.
 */
export type NativeBatchListener = (
  count: number,
  block: ArrayBuffer,
  locations: Uint32Array,
  stamps: BigInt64Array,
  externals: ArrayBuffer[] | undefined,
) => void;

/** The functions of `fleetloop_dds.node` (native/addon.c). */
export interface DdsNative {
  version(): string;
  createDomain(domainId: number, config: string): number;
  createParticipant(domainId: number): number;
  deleteEntity(entity: number): void;
  createTopic(participant: number, ddsTopic: string, ddsType: string): NativeHandle<'topic'>;
  topicHandle(topic: NativeHandle<'topic'>): number;
  matchedCount(entity: number, isWriter: boolean): number;
  entityGuid(entity: number): string;
  createWriter(participant: number, topic: NativeHandle<'topic'>, qos: NativeQos): NativeHandle<'writer'>;
  write(writer: NativeHandle<'writer'>, data: Uint8Array, sourceTimestampNs?: bigint): void;
  writeBatch(
    writer: NativeHandle<'writer'>,
    messages: readonly Uint8Array[],
    sourceTimestampNs?: bigint,
  ): number;
  closeWriter(writer: NativeHandle<'writer'>): void;
  writerHandle(writer: NativeHandle<'writer'>): number;
  createReader(
    participant: number,
    topic: NativeHandle<'topic'>,
    qos: NativeQos,
    onBatch: NativeBatchListener,
    loan: boolean,
  ): NativeHandle<'reader'>;
  closeReader(reader: NativeHandle<'reader'>): void;
  readerHandle(reader: NativeHandle<'reader'>): number;
  publicationGuid(reader: NativeHandle<'reader'>, instanceHandle: bigint): string | null;
  createDiscovery(
    participant: number,
    onEvents: (events: NativeEndpointEvent[]) => void,
  ): NativeHandle<'discovery'>;
  drainDiscovery(discovery: NativeHandle<'discovery'>): NativeEndpointEvent[];
  closeDiscovery(discovery: NativeHandle<'discovery'>): void;
}

/** Where node-gyp puts the addon: `<package>/build/Release`, two levels above src/dds and dist/dds. */
export const ADDON_PATH = fileURLToPath(new URL('../../build/Release/fleetloop_dds.node', import.meta.url));

/**
 * Loads the Cyclone DDS addon (once; Node caches it). Throws {@link DdsError} `DDS_LIBRARY_MISSING`
 * naming the Debian package when the addon was not built or libddsc is absent.
 */
export function loadDdsNative(addonPath: string = ADDON_PATH): DdsNative {
  const require = createRequire(import.meta.url);
  try {
    return require(addonPath) as DdsNative;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const what = /libddsc/.test(reason)
      ? 'libddsc (Cyclone DDS) is not installed'
      : existsSync(addonPath)
        ? `the Cyclone DDS addon ${addonPath} failed to load`
        : `the Cyclone DDS addon was not built (${addonPath} is missing)`;
    throw new DdsError(
      'DDS_LIBRARY_MISSING',
      `${what}: ${reason}. Install Cyclone DDS with \`apt-get install cyclonedds-dev\`, then build the ` +
        'addon with `npm run build:native -w packages/ros`.',
      { cause },
    );
  }
}
