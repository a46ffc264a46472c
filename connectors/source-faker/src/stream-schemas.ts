// The JSON schemas of Airbyte's source-faker (shared/airbyte-fixtures/source-faker), with the
// `created_at`/`updated_at` pair that newer Airbyte versions added to products and purchases:
// every stream needs `updated_at`, our cursor.

const timestamp = { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" } as const;
const nullableTimestamp = {
  type: ["null", "string"],
  format: "date-time",
  airbyte_type: "timestamp_with_timezone",
} as const;

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** Schema of the `users` stream. */
export const usersSchema: Record<string, unknown> = {
  $schema: DRAFT_07,
  type: "object",
  properties: {
    id: { type: "number" },
    created_at: timestamp,
    updated_at: timestamp,
    name: { type: "string" },
    title: { type: "string" },
    age: { type: "integer" },
    email: { type: "string" },
    telephone: { type: "string" },
    gender: { type: "string" },
    language: { type: "string" },
    academic_degree: { type: "string" },
    nationality: { type: "string" },
    occupation: { type: "string" },
    height: { type: "string" },
    blood_type: { type: "string" },
    weight: { type: "integer" },
  },
};

/** Schema of the `products` stream. */
export const productsSchema: Record<string, unknown> = {
  $schema: DRAFT_07,
  type: "object",
  properties: {
    id: { type: "number" },
    make: { type: "string" },
    model: { type: "string" },
    year: { type: "number" },
    price: { type: "number" },
    created_at: timestamp,
    updated_at: timestamp,
  },
};

/** Schema of the `purchases` stream. */
export const purchasesSchema: Record<string, unknown> = {
  $schema: DRAFT_07,
  type: "object",
  properties: {
    id: { type: "number" },
    user_id: { type: "number" },
    product_id: { type: "number" },
    created_at: timestamp,
    updated_at: timestamp,
    added_to_cart_at: nullableTimestamp,
    purchased_at: nullableTimestamp,
    returned_at: nullableTimestamp,
  },
};
