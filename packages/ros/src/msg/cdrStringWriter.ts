import { CdrWriter } from '@foxglove/cdr';

/**
 * `@foxglove/cdr` 3.5 sizes a string by its UTF-16 length, so any non-ASCII string ("25 °C",
 * a frame id with an accent) is silently cut short on the wire. This replaces `CdrWriter#string`
 * once, process-wide, with a version that writes the UTF-8 byte length; ASCII strings take the
 * original path unchanged. The reader side already decodes UTF-8 correctly.
 */
interface CdrWriterInternals {
  array: Uint8Array;
  view: DataView;
  offset: number;
  resizeIfNeeded(additionalBytes: number): void;
  uint32(value: number): CdrWriter;
}

const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex -- the ASCII range is exactly what is meant
const ASCII = /^[\x00-\x7f]*$/;
let installed = false;

/** Installs the UTF-8-correct string writer (idempotent). */
export function installUtf8CdrStrings(): void {
  if (installed) {
    return;
  }
  installed = true;
  const prototype = CdrWriter.prototype as unknown as {
    string: (this: CdrWriterInternals, value: string, writeLength?: boolean) => CdrWriter;
  };
  const asciiString = prototype.string;
  prototype.string = function string(this: CdrWriterInternals, value: string, writeLength = true): CdrWriter {
    if (ASCII.test(value)) {
      return asciiString.call(this, value, writeLength);
    }
    const bytes = encoder.encode(value);
    if (writeLength) {
      this.uint32(bytes.length + 1);
    }
    this.resizeIfNeeded(bytes.length + 1);
    this.array.set(bytes, this.offset);
    this.view.setUint8(this.offset + bytes.length, 0);
    this.offset += bytes.length + 1;
    return this as unknown as CdrWriter;
  };
}
