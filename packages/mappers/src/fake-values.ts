import { civilText, daysFromCivil } from "./date-text.js";
import {
  CITIES,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  COUNTRIES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  STREET_NAMES,
  STREET_SUFFIXES,
  TEXT_WORDS,
} from "./fake-vocabularies.js";
import type { FakeKind } from "./mapper-config.js";
import { Truncated } from "./mapper-step.js";

/**
 * Random numbers drawn from a digest: sfc32 seeded with four of its words. The digest is
 * already uniformly random, so no warm-up rounds are needed.
 */
export class DigestRandom {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 1;

  seed(words: Int32Array): void {
    this.#a = words[0] as number;
    this.#b = words[1] as number;
    this.#c = words[2] as number;
    this.#d = words[3] as number;
  }

  /** A uniformly random 32-bit unsigned integer. */
  next(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** 0 ≤ n < `bound` (bound at most 2^32; the bias is below 2^-20 for the bounds used here). */
  below(bound: number): number {
    return this.next() % bound;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length] as T;
  }
}

/** Fake text is at most this long; longer inputs get a fake of this length, recorded as TRUNCATED. */
export const MAX_FAKE_TEXT_LENGTH = 10_000;

const isDigit = (code: number) => code >= 48 && code <= 57;
const isUpper = (code: number) => code >= 65 && code <= 90;
const isLower = (code: number) => code >= 97 && code <= 122;
const LOWER = "abcdefghijklmnopqrstuvwxyz";

const codes: number[] = [];

/** Replaces each ASCII digit and letter after `keep` characters by a random one of its class, keeping the rest. */
function scramble(random: DigestRandom, text: string, keep = 0): string {
  const length = text.length;
  // Char codes collected in one reused array become one string in one call, where adding
  // characters one by one would build a rope; long texts go by slices, under the argument limit.
  let out = "";
  for (let start = 0; start < length; start += 4096) {
    const end = Math.min(length, start + 4096);
    codes.length = end - start;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      codes[i - start] =
        i < keep
          ? code
          : isDigit(code)
            ? 48 + random.below(10)
            : isUpper(code)
              ? 65 + random.below(26)
              : isLower(code)
                ? 97 + random.below(26)
                : code;
    }
    out += String.fromCharCode.apply(null, codes);
  }
  return out;
}

function digits(random: DigestRandom, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String.fromCharCode(48 + random.below(10));
  return out;
}

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) n++;
  return n;
}

function phone(random: DigestRandom, text: string): string {
  if (countDigits(text) < 7) return `+1 ${200 + random.below(800)} 555 01${digits(random, 2)}`;
  // Keep an international prefix (+44 …): the country is rarely what needs hiding.
  const prefix = /^\+\d{1,3}(?=\D)/.exec(text)?.[0].length ?? 0;
  return scramble(random, text, prefix);
}

/** Luhn check digit for a string of digits. */
function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function creditCard(random: DigestRandom, text: string): string {
  const count = countDigits(text);
  const length = count >= 12 && count <= 19 ? count : 16;
  // The first digit names the card network; keep it when there is one.
  const first = count >= 12 && count <= 19 ? (/\d/.exec(text)?.[0] ?? "4") : "4";
  const body = first + digits(random, length - 2);
  const number = body + String(luhnDigit(body));
  if (length !== count) return number;
  let at = 0;
  let out = "";
  for (let i = 0; i < text.length; i++) out += isDigit(text.charCodeAt(i)) ? number[at++] : text[i];
  return out;
}

/** ISO 13616 check digits for a country code and account part. */
function ibanCheckDigits(country: string, bban: string): string {
  let remainder = 0;
  for (const char of `${bban}${country}00`) {
    const code = char.charCodeAt(0);
    const value = isDigit(code) ? String(code - 48) : String(code - 55);
    for (const d of value) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return String(98 - remainder).padStart(2, "0");
}

function iban(random: DigestRandom, text: string): string {
  const compact = text.replace(/\s+/g, "").toUpperCase();
  const parsed = /^([A-Z]{2})\d{2}([A-Z0-9]{10,30})$/.exec(compact);
  const country = parsed?.[1] ?? "DE";
  const bban = parsed === null ? digits(random, 18) : scramble(random, parsed[2] as string);
  const value = `${country}${ibanCheckDigits(country, bban)}${bban}`;
  return /\s/.test(text) && parsed !== null ? (value.match(/.{1,4}/g) ?? []).join(" ") : value;
}

const VARIANTS = ["8", "9", "a", "b"];
// Node's hex encoder beats building hex text in JavaScript (Number#toString(16) most of all).
const uuidBytes = Buffer.alloc(16);

/** A random (version 4, RFC 4122 variant) UUID. */
function uuid(random: DigestRandom): string {
  for (let i = 0; i < 16; i += 4) uuidBytes.writeUInt32BE(random.next(), i);
  const hex = uuidBytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${random.pick(VARIANTS)}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const DATE_FROM = daysFromCivil(1940, 1, 1);
const DATE_DAYS = daysFromCivil(2011, 1, 1) - DATE_FROM;
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** A date from 1940 to 2010; a date or timestamp input keeps everything after its date part. */
function date(random: DigestRandom, text: string): string {
  const day = civilText(DATE_FROM + random.below(DATE_DAYS));
  return DATE_PREFIX.test(text) ? day + text.slice(10) : day;
}

/** A number of the same shape: as many integer digits and decimals, the same sign. */
function number(random: DigestRandom, value: unknown, text: string): unknown {
  if (typeof value !== "number" || !Number.isFinite(value)) return scramble(random, text);
  const [whole = "0", fraction = ""] = Math.abs(value).toString().split(".");
  if (/e/i.test(whole)) return value < 0 ? -random.next() : random.next();
  const lead = whole.length > 1 ? String(1 + random.below(9)) : "";
  const intPart = lead + digits(random, whole.length - lead.length);
  const made = Number(fraction === "" ? intPart : `${intPart}.${digits(random, fraction.length)}`);
  return value < 0 ? -made : made;
}

/** Words of the same length in characters (code points), capped at MAX_FAKE_TEXT_LENGTH. */
function text(random: DigestRandom, input: string): unknown {
  let length = 0;
  for (const _ of input) length++;
  const target = Math.min(length, MAX_FAKE_TEXT_LENGTH);
  let out = "";
  while (out.length < target)
    out += out.length === 0 ? random.pick(TEXT_WORDS) : ` ${random.pick(TEXT_WORDS)}`;
  out = out.slice(0, target);
  // A cut that ends in a space would read as trailing whitespace: end on a letter instead.
  if (out.endsWith(" ")) out = `${out.slice(0, -1)}${LOWER[random.below(26)]}`;
  return length > MAX_FAKE_TEXT_LENGTH ? new Truncated(out) : out;
}

const lower = (names: readonly string[]) => names.map((name) => name.toLowerCase().replace(/[^a-z]/g, ""));
const FIRST_LOWER = lower(FIRST_NAMES);
const LAST_LOWER = lower(LAST_NAMES);
const USERNAME_JOINS = ["", ".", "_"];

/**
 * Makes a fake of `kind` from random numbers already seeded from the value; `value` and its
 * `text` decide the shape where a kind keeps it (phone, postcode, iban, credit card, number, date).
 */
export function makeFake(kind: FakeKind, random: DigestRandom, value: unknown, input: string): unknown {
  switch (kind) {
    case "first_name":
      return random.pick(FIRST_NAMES);
    case "last_name":
      return random.pick(LAST_NAMES);
    case "full_name":
      return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    case "username":
      return `${random.pick(FIRST_LOWER)}${random.pick(USERNAME_JOINS)}${random.pick(LAST_LOWER)}${random.below(1000)}`;
    case "email":
      return `${random.pick(FIRST_LOWER)}.${random.pick(LAST_LOWER)}${random.below(1_000_000)}@${random.pick(EMAIL_DOMAINS)}`;
    case "phone":
      return phone(random, input);
    case "street_address":
      return `${1 + random.below(2999)} ${random.pick(STREET_NAMES)} ${random.pick(STREET_SUFFIXES)}`;
    case "city":
      return random.pick(CITIES);
    case "postcode":
      return /[A-Za-z0-9]/.test(input) && input.length <= 12 ? scramble(random, input) : digits(random, 5);
    case "country":
      return random.pick(COUNTRIES);
    case "company":
      return `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_SUFFIXES)}`;
    case "iban":
      return iban(random, input);
    case "credit_card":
      return creditCard(random, input);
    case "ipv4":
      return `${1 + random.below(223)}.${random.below(256)}.${random.below(256)}.${1 + random.below(254)}`;
    case "uuid":
      return uuid(random);
    case "date":
      return date(random, input);
    case "number":
      return number(random, value, input);
    case "text":
      return text(random, input);
  }
}
