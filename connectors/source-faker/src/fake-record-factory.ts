import type { Faker } from "@faker-js/faker";
import type { RecordData } from "@weir/cdk";
import { CAR_MODELS } from "./car-catalogue.js";
import { createFastRandomizer, type FastRandomizer } from "./fast-randomizer.js";
import { formatTimestamp } from "./timestamps.js";
import { ACADEMIC_DEGREES, BLOOD_TYPES, EMAIL_DOMAINS, NATIONALITIES } from "./user-vocabularies.js";

/** How many products the fixed catalogue holds, as Airbyte's faker. */
export const PRODUCT_COUNT = 100;

// Each stream has its own salt, so user 7 and purchase 7 of one seed draw unrelated values.
const USERS_SALT = 0x75736572;
const PURCHASES_SALT = 0x70757263;
const PRODUCTS_SALT = 0x70726f64;
// The product catalogue is the same whatever the seed, as Airbyte's is a fixed file.
const PRODUCTS_SEED = 0;

// Generated history ends at fixed instants, never at "now": the same seed must give the same
// records on any day. Timestamps are whole seconds.
const SECOND = 1000;
const DAY = 86_400 * SECOND;
const USERS_FROM = Date.UTC(2000, 0, 1);
const USERS_UNTIL = Date.UTC(2024, 0, 1);
const HISTORY_END = Date.UTC(2025, 0, 1);
const PRODUCTS_FROM = Date.UTC(2020, 0, 1);
const PRODUCTS_UNTIL = Date.UTC(2023, 0, 1);

/** The sync's own clock for `always_updated`: one instant, formatted once. */
export interface Stamp {
  readonly ms: number;
  readonly text: string;
}

let fakerModule: Promise<typeof import("@faker-js/faker")> | undefined;

// Loaded on first use: the package's root pulls in every locale (~100 ms), which a CLI that
// only lists connectors should not pay.
function loadFaker(): Promise<typeof import("@faker-js/faker")> {
  fakerModule ??= import("@faker-js/faker");
  return fakerModule;
}

/**
 * Purchase ids of one user. Every ten users make ten purchases: the 7th of each ten makes
 * none, the 9th makes two, so the ids are contiguous and computable from the user id alone.
 * Example: `purchaseIdsOf(9)` → `[8, 9]`.
 */
export function purchaseIdsOf(userId: number): readonly number[] {
  const digit = (userId - 1) % 10;
  if (digit === 6) return [];
  if (digit === 7) return [userId - 1];
  if (digit === 8) return [userId - 1, userId];
  return [userId];
}

/** How many purchases users 1..`users` make. Example: `purchaseCountUpTo(10)` → `10`. */
export function purchaseCountUpTo(users: number): number {
  if (users <= 0) return 0;
  const rest = users % 10;
  return Math.floor(users / 10) * 10 + (rest === 7 || rest === 8 ? rest - 1 : rest);
}

/**
 * Makes the fake records of one seed. Record N depends only on (seed, stream, N): each record
 * reseeds one shared Faker instance, so slices of any size give the same records.
 * Example: `const f = await FakeRecordFactory.create(42); f.user(1)`.
 */
export class FakeRecordFactory {
  /** `updated_at` of the record made last, in epoch ms: comparing it needs no date parsing. */
  lastUpdatedAtMs = 0;

  private constructor(
    private readonly faker: Faker,
    private readonly random: FastRandomizer,
    private readonly seed: number,
  ) {}

  static async create(seed: number): Promise<FakeRecordFactory> {
    const { Faker, base, en } = await loadFaker();
    const random = createFastRandomizer();
    return new FakeRecordFactory(new Faker({ locale: [en, base], randomizer: random }), random, seed);
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random.next() * (max - min + 1));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random.next() * values.length)] as T;
  }

  /** A whole-second instant in [from, until). */
  private instant(from: number, until: number): number {
    return from + Math.floor((this.random.next() * (until - from)) / SECOND) * SECOND;
  }

  /** The user's `created_at`: the first draw of its record, so purchases can read it cheaply. */
  userCreatedAtMs(id: number): number {
    this.random.seedParts(this.seed, USERS_SALT, id);
    return this.instant(USERS_FROM, USERS_UNTIL);
  }

  /** User `id`; `updatedAt` replaces the generated one (for `always_updated`). */
  user(id: number, updatedAt?: Stamp): RecordData {
    const createdAt = this.userCreatedAtMs(id);
    const updatedAtMs = this.instant(createdAt, HISTORY_END);
    const female = this.random.next() < 0.5;
    const sex = female ? "female" : "male";
    const name = this.faker.person.firstName(sex);
    const title = this.faker.person.prefix(sex);
    const age = this.int(16, 66);
    const domain = this.pick(EMAIL_DOMAINS);
    const telephone = this.faker.phone.number();
    const gender = this.random.next() < 0.04 ? "Other" : female ? "Female" : "Male";
    const language = this.faker.location.language().name;
    const academicDegree = this.pick(ACADEMIC_DEGREES);
    const nationality = this.pick(NATIONALITIES);
    // jobTitle() renders the same three parts through faker's template engine, 5x slower.
    const person = this.faker.person;
    const occupation = `${person.jobDescriptor()} ${person.jobArea()} ${person.jobType()}`;
    const height = (1.5 + this.random.next() * 0.5).toFixed(2);
    const bloodType = this.pick(BLOOD_TYPES);
    const weight = this.int(38, 110);
    this.lastUpdatedAtMs = updatedAt === undefined ? updatedAtMs : updatedAt.ms;
    return {
      id,
      created_at: formatTimestamp(createdAt),
      updated_at: updatedAt === undefined ? formatTimestamp(updatedAtMs) : updatedAt.text,
      name,
      title,
      age,
      // The id makes every address unique; the name part never contains digits.
      email: `${name.toLowerCase().replace(/[^a-z]/g, "")}${id}@${domain}`,
      telephone,
      gender,
      language,
      academic_degree: academicDegree,
      nationality,
      occupation,
      height,
      blood_type: bloodType,
      weight,
    };
  }

  /**
   * Appends the purchases of user `userId` to `out`; `updatedAt` as for `user`. Afterwards
   * `lastUpdatedAtMs` is the latest `updated_at` among them.
   */
  purchasesOf(userId: number, out: RecordData[], updatedAt?: Stamp): void {
    const ids = purchaseIdsOf(userId);
    if (ids.length === 0) return;
    const userCreatedAt = this.userCreatedAtMs(userId);
    let latest = 0;
    for (const id of ids) {
      const record = this.purchase(id, userId, userCreatedAt, updatedAt);
      if (this.lastUpdatedAtMs > latest) latest = this.lastUpdatedAtMs;
      out.push(record);
    }
    this.lastUpdatedAtMs = latest;
  }

  private purchase(
    id: number,
    userId: number,
    userCreatedAt: number,
    updatedAt: Stamp | undefined,
  ): RecordData {
    this.random.seedParts(this.seed, PURCHASES_SALT, id);
    const createdAt = this.instant(userCreatedAt, HISTORY_END);
    const productId = this.int(1, PRODUCT_COUNT);
    const addedToCartAt = this.instant(createdAt, createdAt + 30 * DAY);
    const purchasedAt =
      this.random.next() < 0.7 ? this.instant(addedToCartAt, addedToCartAt + 60 * DAY) : null;
    const returnedAt =
      purchasedAt !== null && this.random.next() < 0.15
        ? this.instant(purchasedAt, purchasedAt + 90 * DAY)
        : null;
    // A purchase last changed at its latest event.
    const updatedAtMs = returnedAt ?? purchasedAt ?? addedToCartAt;
    this.lastUpdatedAtMs = updatedAt === undefined ? updatedAtMs : updatedAt.ms;
    return {
      id,
      user_id: userId,
      product_id: productId,
      created_at: formatTimestamp(createdAt),
      updated_at: updatedAt === undefined ? formatTimestamp(updatedAtMs) : updatedAt.text,
      added_to_cart_at: formatTimestamp(addedToCartAt),
      purchased_at: purchasedAt === null ? null : formatTimestamp(purchasedAt),
      returned_at: returnedAt === null ? null : formatTimestamp(returnedAt),
    };
  }

  /** Product `id` (1..PRODUCT_COUNT) of the fixed catalogue; `updatedAt` as for `user`. */
  product(id: number, updatedAt?: Stamp): RecordData {
    this.random.seedParts(PRODUCTS_SEED, PRODUCTS_SALT, id);
    const [make, models] = this.pick(CAR_MODELS);
    const model = this.pick(models);
    const year = this.int(1995, 2024);
    const price = Math.round((2_000 + this.random.next() * 88_000) * 100) / 100;
    const createdAt = this.instant(PRODUCTS_FROM, PRODUCTS_UNTIL);
    const updatedAtMs = this.instant(createdAt, USERS_UNTIL);
    this.lastUpdatedAtMs = updatedAt === undefined ? updatedAtMs : updatedAt.ms;
    return {
      id,
      make,
      model,
      year,
      price,
      created_at: formatTimestamp(createdAt),
      updated_at: updatedAt === undefined ? formatTimestamp(updatedAtMs) : updatedAt.text,
    };
  }
}
