import { type ConnectorError, configError } from "@weir/cdk";
import {
  classifyQueryError,
  connectPostgres,
  type PostgresConnectionConfig,
} from "@weir/postgres-connection";
import type pg from "pg";
import type { CloneConnectionConfig } from "./clone-config.js";
import type { CloneFailure } from "./clone-report.js";

/** Which side a session talks to, for messages and classification. */
export type Side = "source" | "destination";

/** An expected failure, thrown inside the clone and reported as its outcome. */
export class CloneAbort extends Error {
  constructor(readonly failure: CloneFailure) {
    super(failure.message);
  }
}

/** The failure of a connector-kit error, from one side. */
export function sideFailure(side: Side | "config", error: ConnectorError): CloneFailure {
  return {
    type: error.failureType,
    origin: side,
    message: error.message,
    ...(error.internalMessage === undefined ? {} : { internalMessage: error.internalMessage }),
  };
}

/** Turns any error of a statement into a CloneAbort naming what was being done. */
export function abortFor(side: Side, context: string, error: unknown): CloneAbort {
  if (error instanceof CloneAbort) return error;
  return new CloneAbort(sideFailure(side, classifyQueryError(error, context)));
}

// Both sides speak the same dialect of text: ISO dates, UTC, exact floats, no timeouts (a COPY
// of a big table may take hours), as pg_dump sets them.
const SESSION_SETTINGS: Record<string, string> = {
  DateStyle: "ISO",
  IntervalStyle: "postgres",
  extra_float_digits: "3",
  TimeZone: "UTC",
  statement_timeout: "0",
  lock_timeout: "0",
  idle_in_transaction_session_timeout: "0",
};

/** A pool of the sessions a clone opened, so that all of them end whatever happens. */
export class CloneSessions {
  readonly #open = new Set<pg.Client>();
  #closed = false;

  constructor(
    private readonly configs: Readonly<Record<Side, CloneConnectionConfig>>,
    private readonly applicationName: string,
  ) {}

  /** `host:port/database` of a side. */
  describe(side: Side): string {
    const c = this.configs[side];
    return `${c.host}:${c.port ?? 5432}/${c.database}`;
  }

  /** Opens a session with the clone's settings and an empty search_path. */
  async open(side: Side, extra: Readonly<Record<string, string>> = {}): Promise<pg.Client> {
    if (this.#closed)
      throw new CloneAbort({ type: "transient_error", origin: side, message: "the clone was stopped" });
    const config = this.configs[side] as unknown as PostgresConnectionConfig;
    const connected = await connectPostgres(config, {
      applicationName: this.applicationName,
      settings: { ...SESSION_SETTINGS, ...extra },
    });
    if (!connected.ok) {
      const error = connected.error;
      throw new CloneAbort({
        type: error.failureType,
        origin: side,
        message: `${side === "source" ? "source" : "destination"}: ${error.message}`,
        ...(error.internalMessage === undefined ? {} : { internalMessage: error.internalMessage }),
      });
    }
    const client = connected.client;
    this.#open.add(client);
    if (this.#closed) {
      await this.#end(client);
      throw new CloneAbort({ type: "transient_error", origin: side, message: "the clone was stopped" });
    }
    try {
      await client.query("SELECT pg_catalog.set_config('search_path', '', false)");
    } catch (error) {
      throw abortFor(side, `Setting up a session on ${this.describe(side)}`, error);
    }
    return client;
  }

  /** Ends every session, interrupting what runs on them. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#open].map((client) => this.#end(client)));
  }

  async #end(client: pg.Client): Promise<void> {
    this.#open.delete(client);
    // A session in the middle of a COPY may never answer a polite end: its socket is cut.
    const socket = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection
      ?.stream;
    const ended = client.end().catch(() => {});
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([ended, timeout]);
    socket?.destroy();
  }
}

/** A config error about the clone file. */
export function configAbort(message: string): CloneAbort {
  return new CloneAbort(sideFailure("config", configError(message)));
}
