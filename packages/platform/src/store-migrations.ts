import { type Kysely, sql } from "kysely";
import type { StoreTables } from "./store-tables.js";

// Any fixed number: every weir process takes this lock before it looks at the migrations.
const MIGRATION_LOCK = 7_310_552_901;

/** Migrations in order; a migration, once released, never changes (add a new one instead). */
const MIGRATIONS: readonly { readonly id: number; readonly sql: string }[] = [
  {
    id: 1,
    sql: `
create table workspaces (
  id uuid primary key,
  name text not null,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create table sources (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  name text not null,
  connector jsonb not null,
  definition_id uuid not null,
  config jsonb not null,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create table destinations (like sources including all);
alter table destinations add foreign key (workspace_id) references workspaces(id);
create table connections (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  source_id uuid not null references sources(id),
  destination_id uuid not null references destinations(id),
  name text not null,
  streams jsonb,
  schedule jsonb not null,
  namespace_definition text not null,
  namespace_format text,
  prefix text not null default '',
  non_breaking_changes text not null,
  status text not null,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create table connection_states (
  connection_id uuid primary key references connections(id),
  state jsonb not null,
  updated_at timestamptz not null default now()
);
create table jobs (
  id integer generated always as identity primary key,
  connection_id uuid not null references connections(id),
  job_type text not null,
  status text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  ended_at timestamptz,
  cancel_requested boolean not null default false,
  worker_id text,
  rows_synced double precision not null default 0,
  bytes_synced double precision not null default 0,
  failure_type text,
  failure_message text
);
-- One live job per connection: a second trigger fails on this index and answers 409.
create unique index jobs_one_live_per_connection on jobs (connection_id)
  where status in ('pending', 'running', 'incomplete');
create index jobs_pending on jobs (id) where status = 'pending';
create table attempts (
  id integer generated always as identity primary key,
  job_id integer not null references jobs(id),
  attempt_number integer not null,
  status text not null,
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  streams jsonb not null default '[]',
  failure_type text,
  failure_origin text,
  failure_message text,
  unique (job_id, attempt_number)
);
create table attempt_logs (
  id integer generated always as identity primary key,
  attempt_id integer not null references attempts(id),
  at timestamptz not null,
  origin text not null,
  level text not null,
  message text not null
);
create index attempt_logs_by_attempt on attempt_logs (attempt_id, id);
create table api_tokens (
  id uuid primary key,
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now()
);
`,
  },
];

/**
 * Brings the store's tables up to date. Several processes may start at once on one Postgres:
 * an advisory lock makes them take turns, and each applies only what is missing.
 * Example: `await migrateStore(db)`.
 */
export async function migrateStore(db: Kysely<StoreTables>): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(connection);
    try {
      await sql`create table if not exists weir_migrations (id integer primary key, applied_at timestamptz not null default now())`.execute(
        connection,
      );
      const applied = await sql<{ id: number }>`select id from weir_migrations`.execute(connection);
      const done = new Set(applied.rows.map((row) => row.id));
      for (const migration of MIGRATIONS) {
        if (done.has(migration.id)) continue;
        await connection.transaction().execute(async (trx) => {
          // One statement at a time: prepared statements (PGlite's, pg's with parameters) take one.
          for (const statement of migration.sql.split(/;\s*\n/)) {
            if (statement.trim() !== "") await sql.raw(statement).execute(trx);
          }
          await sql`insert into weir_migrations (id) values (${migration.id})`.execute(trx);
        });
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(connection);
    }
  });
}
