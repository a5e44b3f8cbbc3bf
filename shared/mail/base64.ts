/**
 * Base64 bodies decoded straight from a mail's bytes, as postal-mime decodes them; shared by the
 * common-shape reader (every base64 part) and the raw repairs (large attachments lifted out of the
 * mail and decoded again, in pieces, when they are stored).
 */
const BASE64_VALUES = ((): Int8Array => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i += 1) table[alphabet.charCodeAt(i)] = i;
  return table;
})();
const EQUALS = 0x3d;

/**
 * Decodes a base64 body straight from the mail's bytes into one buffer, as the MIME library would:
 * bytes outside the alphabet are skipped, and `=` ends a unit (some mailers pad every line), so the
 * leftover characters of a unit give their whole bytes and the next unit starts afresh.
 */
export function decodeBase64Body(buf: Buffer, start: number, end: number, memory: 'pooled' | 'own' = 'pooled'): Buffer {
  // Sized for the worst case (line breaks make it 2-3 % larger), so the chunked decoder fills it in
  // one piece. 'own' memory (not the shared pool) for bodies kept apart from the mail, e.g. lifted attachments.
  const size = Math.ceil(((end - start) * 3) / 4) + 3;
  const whole = memory === 'own' ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size);
  const [piece] = decodeBase64Chunks(buf, start, end, whole);
  return piece ?? whole.subarray(0, 0);
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * `decodeBase64Body` in pieces: at most `CHUNK_BYTES` each, in fresh buffers, or all in `scratch`
 * (each piece valid only until the next is asked for).
 */
export function* decodeBase64Chunks(buf: Buffer, start: number, end: number, scratch?: Buffer): Generator<Buffer> {
  const size = scratch ? scratch.length : CHUNK_BYTES;
  let out = scratch ?? Buffer.allocUnsafe(size);
  let written = 0;
  let quad = 0;
  let have = 0;
  // The leftover characters of a unit (at `=` or the end) give their whole bytes.
  const finishUnit = (): void => {
    if (have === 2) out[written++] = (quad >> 4) & 0xff;
    else if (have === 3) {
      out[written++] = (quad >> 10) & 0xff;
      out[written++] = (quad >> 2) & 0xff;
    }
    quad = 0;
    have = 0;
  };
  for (let i = start; i < end; i += 1) {
    const byte = buf[i]!;
    const value = BASE64_VALUES[byte]!;
    if (value >= 0) {
      quad = (quad << 6) | value;
      have += 1;
      if (have === 4) {
        out[written++] = (quad >> 16) & 0xff;
        out[written++] = (quad >> 8) & 0xff;
        out[written++] = quad & 0xff;
        quad = 0;
        have = 0;
      }
    } else if (byte === EQUALS) finishUnit();
    if (written > size - 3) {
      yield out.subarray(0, written);
      out = scratch ?? Buffer.allocUnsafe(size);
      written = 0;
    }
  }
  finishUnit();
  if (written > 0) yield out.subarray(0, written);
}
