import { createTestDatabase, type TestDatabase } from "@weir/postgres-connection/testing";

/** The two databases of the Postgres benchmark: a generated `users` table, and an empty target. */
export interface PostgresBenchDatabases {
  readonly source: TestDatabase;
  readonly target: TestDatabase;
  /** On-disk size of the source rows (sum of pg_column_size), for MB/s. */
  readonly bytes: number;
}

/** The generated table: text, numeric, timestamptz, array and jsonb columns, as the issue asks. */
const usersTable = (name: string) => `
  CREATE TABLE ${name} (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    score numeric(12, 4),
    balance numeric,
    created_at timestamptz NOT NULL,
    tags text[],
    profile jsonb
  )`;

/**
 * Creates the source database with `rows` users and an empty target database, on the server of
 * `WEIR_TEST_POSTGRES_URL`. Example: `const dbs = await preparePostgresBench(1_000_000)`.
 */
export async function preparePostgresBench(rows: number): Promise<PostgresBenchDatabases> {
  const [source, target] = await Promise.all([
    createTestDatabase("benchsrc"),
    createTestDatabase("benchdst"),
  ]);
  await source.query(usersTable("users"));
  await source.query(`
    INSERT INTO users
    SELECT g, 'user ' || g, 'user' || g || '@example.com',
           (g % 100000) / 7.0, (g * 12345.678901234567)::numeric,
           timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
           ARRAY['tag' || (g % 10), 'tag' || (g % 7)],
           jsonb_build_object('plan', CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END, 'visits', g % 1000, 'tags', ARRAY[g % 5])
      FROM generate_series(1, ${rows}) AS g`);
  await source.query("VACUUM ANALYZE users");
  // The baseline's target; weir's sync writes public.users (the stream's namespace).
  await target.query(`CREATE SCHEMA baseline; ${usersTable("baseline.users")}`);
  const [size] = await source.query<{ bytes: string }>(
    "SELECT sum(pg_column_size(u.*))::text AS bytes FROM users u",
  );
  return { source, target, bytes: Number(size?.bytes ?? 0) };
}

/** The libpq URL of a test database, for psql. */
export function databaseUrl(db: TestDatabase): string {
  const { host, port, database, username, password } = db.config;
  const auth =
    password === undefined
      ? encodeURIComponent(username)
      : `${encodeURIComponent(username)}:${encodeURIComponent(password)}`;
  return `postgres://${auth}@${host}:${port}/${encodeURIComponent(database)}`;
}
