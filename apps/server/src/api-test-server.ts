import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startWeirServer, type WeirServer } from "./weir-server.js";

/** Where the API tests send their requests. */
export const TEST_API_BASE = "/api/public/v1";

/** An answer as the API tests look at it. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown> & { data?: Record<string, unknown>[] };
  readonly text: string;
}

/** A server on an embedded store in a temporary folder, for tests. */
export interface ApiTestServer {
  readonly dir: string;
  readonly server: WeirServer;
  readonly token: string;
  /** A request through `app.request` (no socket); relative URLs start at the API base. */
  call(method: string, url: string, body?: unknown, auth?: string | null): Promise<ApiAnswer>;
  /** Polls a job until `done(status)`. */
  waitForJob(jobId: unknown, done: (status: string) => boolean): Promise<ApiAnswer["body"]>;
  close(): Promise<void>;
}

/** Starts a test server (retries keep Airbyte's counts, without minutes of backoff). Example: `const t = await startApiTestServer()`. */
export async function startApiTestServer(): Promise<ApiTestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "weir-server-"));
  const server = await startWeirServer({
    port: 0,
    dataDir: path.join(dir, "data"),
    env: {},
    log: () => undefined,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });
  const token = server.initialToken ?? "";
  const call: ApiTestServer["call"] = async (method, url, body, auth = token) => {
    const headers: Record<string, string> = {};
    if (auth !== null) headers.authorization = `Bearer ${auth}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await server.app.request(url.startsWith("/") ? url : `${TEST_API_BASE}/${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      body: text === "" ? {} : (JSON.parse(text) as ApiAnswer["body"]),
    };
  };
  return {
    dir,
    server,
    token,
    call,
    async waitForJob(jobId, done) {
      for (;;) {
        const job = await call("GET", `jobs/${jobId}`);
        if (done(String(job.body.status))) return job.body;
        await sleep(100);
      }
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
