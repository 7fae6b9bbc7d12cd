import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDdsPeer } from '../../src/testing/buildDdsPeer.js';

const FIXTURES = new URL('../fixtures/dds/', import.meta.url);

/**
 * Compiles the C peer (test/fixtures/dds/ros_peer.c with idlc-generated ROS 2 types) once per
 * content hash into os.tmpdir(), and returns the executable's path.
 */
export function buildCPeer(): string {
  return buildDdsPeer({
    name: 'ros_peer',
    idl: fileURLToPath(new URL('ros2_types.idl', FIXTURES)),
    source: fileURLToPath(new URL('ros_peer.c', FIXTURES)),
    extraCFlags: ['-DDDS_NDEBUG'],
  });
}

/** Reads a dump written by the C peer: per sample a u32 (little-endian) length, then the CDR bytes. */
export function readDump(path: string): Uint8Array[] {
  const buf = readFileSync(path);
  const out: Uint8Array[] = [];
  for (let off = 0; off < buf.length;) {
    const len = buf.readUInt32LE(off);
    out.push(new Uint8Array(buf.subarray(off + 4, off + 4 + len)));
    off += 4 + len;
  }
  return out;
}
