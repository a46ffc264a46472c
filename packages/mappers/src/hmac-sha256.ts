import { createHash } from "node:crypto";

// HMAC-SHA-256 in plain JavaScript. Node's createHmac costs ~2.8 µs per value on this machine,
// almost all of it creating the native context; here the key's two padded blocks are
// compressed once per key, so a short value costs two compressions (~0.7 µs). The output is
// exactly RFC 2104 HMAC-SHA-256 of the value's UTF-8 bytes, checked against node:crypto in tests.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL_STATE = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message schedule; its first 16 words are the block to compress. */
const W = new Int32Array(64);

/* Compresses the block in W[0..15] into `state`. The rounds are unrolled by eight, so the
 * eight working variables rotate by renaming rather than by moving values: about a fifth
 * faster than the textbook loop, and small enough for V8 to optimize within a few thousand
 * calls (a fully unrolled version ran slightly faster but took ~250 ms to get there). */
function compress(state: Int32Array): void {
  const w = W;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    w[i] =
      ((w[i - 16] as number) +
        (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
        (w[i - 7] as number) +
        (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) |
      0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  let t = 0;
  for (let i = 0; i < 64; i += 8) {
    t =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) +
        (((K[i] as number) + (w[i] as number)) | 0)) |
      0;
    d = (d + t) | 0;
    h =
      (t +
        (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) |
      0;
    t =
      (g +
        (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
        ((d & e) ^ (~d & f)) +
        (((K[i + 1] as number) + (w[i + 1] as number)) | 0)) |
      0;
    c = (c + t) | 0;
    g =
      (t +
        (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
        ((h & a) ^ (h & b) ^ (a & b))) |
      0;
    t =
      (f +
        (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
        ((c & d) ^ (~c & e)) +
        (((K[i + 2] as number) + (w[i + 2] as number)) | 0)) |
      0;
    b = (b + t) | 0;
    f =
      (t +
        (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
        ((g & h) ^ (g & a) ^ (h & a))) |
      0;
    t =
      (e +
        (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
        ((b & c) ^ (~b & d)) +
        (((K[i + 3] as number) + (w[i + 3] as number)) | 0)) |
      0;
    a = (a + t) | 0;
    e =
      (t +
        (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
        ((f & g) ^ (f & h) ^ (g & h))) |
      0;
    t =
      (d +
        (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
        ((a & b) ^ (~a & c)) +
        (((K[i + 4] as number) + (w[i + 4] as number)) | 0)) |
      0;
    h = (h + t) | 0;
    d =
      (t +
        (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
        ((e & f) ^ (e & g) ^ (f & g))) |
      0;
    t =
      (c +
        (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
        ((h & a) ^ (~h & b)) +
        (((K[i + 5] as number) + (w[i + 5] as number)) | 0)) |
      0;
    g = (g + t) | 0;
    c =
      (t +
        (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
        ((d & e) ^ (d & f) ^ (e & f))) |
      0;
    t =
      (b +
        (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
        ((g & h) ^ (~g & a)) +
        (((K[i + 6] as number) + (w[i + 6] as number)) | 0)) |
      0;
    f = (f + t) | 0;
    b =
      (t +
        (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
        ((c & d) ^ (c & e) ^ (d & e))) |
      0;
    t =
      (a +
        (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
        ((f & g) ^ (~f & h)) +
        (((K[i + 7] as number) + (w[i + 7] as number)) | 0)) |
      0;
    e = (e + t) | 0;
    a =
      (t +
        (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
        ((b & c) ^ (b & d) ^ (c & d))) |
      0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(1 << 16);

/** Writes `text` as UTF-8 into the scratch buffer (lone surrogates become U+FFFD) and returns its length. */
function encodeUtf8(text: string): number {
  const length = text.length;
  // Room for the worst case (3 bytes per UTF-16 unit) plus the padding of the last block.
  if (length * 3 + 72 > scratch.length) scratch = new Uint8Array(length * 3 + 72);
  const bytes = scratch;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return encoder.encodeInto(text, bytes).written;
    bytes[i] = code;
  }
  return length;
}

/**
 * Loads a short ASCII text (the common case: ids, emails, names) with its padding straight
 * into W as the one block of the inner hash, skipping the byte buffer. False (W partly
 * written) when the text is longer than one block takes or not ASCII.
 */
function shortAsciiBlock(text: string): boolean {
  const length = text.length;
  if (length > 55) return false;
  W.fill(0, 0, 16);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return false;
    W[i >>> 2] = (W[i >>> 2] as number) | (code << (24 - ((i & 3) << 3)));
  }
  W[length >>> 2] = (W[length >>> 2] as number) | (0x80 << (24 - ((length & 3) << 3)));
  // The message follows the 64-byte key block: its length in bits counts both.
  W[15] = (length + 64) * 8;
  return true;
}

/** Compresses all blocks of the padded message in `scratch` but the last, which it leaves in W. */
function hashBytes(state: Int32Array, length: number): void {
  const bytes = scratch;
  // Padding: 0x80, zeros, then the bit length of key block + message as a 64-bit number.
  const end = ((length + 9 + 63) >>> 6) << 6;
  bytes[length] = 0x80;
  bytes.fill(0, length + 1, end - 8);
  const bits = (length + 64) * 8;
  const high = Math.floor(bits / 0x100000000);
  bytes[end - 8] = high >>> 24;
  bytes[end - 7] = high >>> 16;
  bytes[end - 6] = high >>> 8;
  bytes[end - 5] = high;
  bytes[end - 4] = bits >>> 24;
  bytes[end - 3] = bits >>> 16;
  bytes[end - 2] = bits >>> 8;
  bytes[end - 1] = bits;
  for (let at = 0; at < end; at += 64) {
    for (let j = 0, p = at; j < 16; j++, p += 4) {
      W[j] =
        ((bytes[p] as number) << 24) |
        ((bytes[p + 1] as number) << 16) |
        ((bytes[p + 2] as number) << 8) |
        (bytes[p + 3] as number);
    }
    if (at + 64 < end) compress(state);
  }
}

/** A keyed HMAC-SHA-256: the value's digest as eight big-endian words, in a buffer reused by the next call. */
export type HmacSha256 = (text: string) => Int32Array;

/**
 * HMAC-SHA-256 with a fixed key (its UTF-8 bytes, or raw bytes). The returned digest is
 * overwritten by the next call: read it first.
 * Example: `const mac = createHmacSha256("key"); digestHex(mac("value"))`.
 */
export function createHmacSha256(key: string | Uint8Array): HmacSha256 {
  let keyBytes = typeof key === "string" ? encoder.encode(key) : key;
  if (keyBytes.length > 64) keyBytes = new Uint8Array(createHash("sha256").update(keyBytes).digest());
  const padded = new Uint8Array(64);
  padded.set(keyBytes);
  const inner = INITIAL_STATE.slice();
  const outer = INITIAL_STATE.slice();
  for (let i = 0; i < 16; i++) {
    const word =
      ((padded[i * 4] as number) << 24) |
      ((padded[i * 4 + 1] as number) << 16) |
      ((padded[i * 4 + 2] as number) << 8) |
      (padded[i * 4 + 3] as number);
    W[i] = word ^ 0x36363636;
  }
  compress(inner);
  for (let i = 0; i < 16; i++) {
    const word =
      ((padded[i * 4] as number) << 24) |
      ((padded[i * 4 + 1] as number) << 16) |
      ((padded[i * 4 + 2] as number) << 8) |
      (padded[i * 4 + 3] as number);
    W[i] = word ^ 0x5c5c5c5c;
  }
  compress(outer);
  const state = new Int32Array(8);
  return (text: string): Int32Array => {
    state.set(inner);
    if (!shortAsciiBlock(text)) hashBytes(state, encodeUtf8(text));
    compress(state);
    for (let j = 0; j < 8; j++) W[j] = state[j] as number;
    W[8] = 0x80000000 | 0;
    for (let j = 9; j < 15; j++) W[j] = 0;
    W[15] = (64 + 32) * 8;
    state.set(outer);
    compress(state);
    return state;
  };
}

/** A digest as its bytes, in a new Buffer. */
export function digestBytes(words: Int32Array): Buffer {
  const out = Buffer.allocUnsafe(words.length * 4);
  for (let i = 0; i < words.length; i++) out.writeInt32BE(words[i] as number, i * 4);
  return out;
}

// Node's own hex and base64 encoders beat building the text in JavaScript, once the bytes are
// in a Buffer that is reused for every digest.
const digestScratch = Buffer.allocUnsafe(32);

function encodeDigest(words: Int32Array, encoding: "hex" | "base64"): string {
  for (let i = 0; i < 8; i++) digestScratch.writeInt32BE(words[i] as number, i * 4);
  return digestScratch.toString(encoding);
}

/** A digest as lowercase hex. Example: `digestHex(mac("a")) // "3c…"` */
export function digestHex(words: Int32Array): string {
  return encodeDigest(words, "hex");
}

/** A digest as standard base64 (with padding). */
export function digestBase64(words: Int32Array): string {
  return encodeDigest(words, "base64");
}

/**
 * A key for one purpose, derived from the user's key, so that the fakes of one kind, the
 * offsets of shift_date and the plain `hash` of a value are unrelated to each other.
 * Example: `derivedKeyMac("s3cret", "fake:email")("alice@example.com")`.
 */
export function derivedKeyMac(key: string, purpose: string): HmacSha256 {
  return createHmacSha256(digestBytes(createHmacSha256(key)(`weir:${purpose}`)));
}
