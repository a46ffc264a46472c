import {
  type AirbyteMessage,
  type AirbyteStateMessage,
  connectionStatusMessage,
  specMessage,
  streamStateMessage,
} from "@weir/protocol";
import { createInProcessHandle } from "@weir/runtime";
import { describe, expect, it } from "vitest";
import { echoProblems, writtenDataProblems } from "./destination-checks.js";
import { testRows } from "./destination-test-data.js";
import { failedIds, resultOf, testConnector } from "./test-fixtures/acceptance-helpers.js";
import {
  type DestinationFaults,
  memoryDestination,
  memoryReadBack,
  type Tables,
} from "./test-fixtures/memory-destination.js";
import { drainInput, scriptedHandle } from "./test-fixtures/scripted-handle.js";

const state = (n: number): AirbyteStateMessage => streamStateMessage({ name: "s" }, { n }, 1).state;
const sent = [state(1), state(2), state(3)];
const counts = [2, 3, 1];
const echo = (s: AirbyteStateMessage, recordCount?: number): AirbyteStateMessage =>
  recordCount === undefined
    ? s
    : { ...s, destinationStats: { recordCount }, committedRecordsCount: recordCount };

describe("echoProblems", () => {
  it("accepts every state back in order, with extra fields and right counts", () => {
    expect(echoProblems(sent, counts, [echo(state(1), 2), echo(state(2), 3), echo(state(3), 1)])).toEqual([]);
  });

  it("accepts skipped states when the last one comes back, counting the records of those skipped", () => {
    expect(echoProblems(sent, counts, [echo(state(2), 5), echo(state(3))])).toEqual([]);
  });

  it("names a state never sent, one out of order, a wrong count, and a missing last state", () => {
    expect(echoProblems(sent, counts, [state(9)])).toEqual([
      "a STATE echoed that was never sent",
      "the last STATE (3 sent) was not echoed: none was",
    ]);
    expect(echoProblems(sent, counts, [state(2), state(1), state(3)])).toEqual([
      "a STATE echoed out of order or twice",
    ]);
    expect(echoProblems(sent, counts, [echo(state(1), 7), state(2), state(3)])).toEqual([
      "STATE 1 came back with destinationStats.recordCount 7, 2 records were sent for it",
    ]);
    expect(echoProblems(sent, counts, [state(1), state(2)])).toEqual([
      "the last STATE (3 sent) was not echoed, only up to STATE 2",
    ]);
  });
});

describe("writtenDataProblems", () => {
  it("wants exactly the expected ids, once each, with their names", () => {
    const expected = testRows([1, 2, 3], 2);
    expect(writtenDataProblems(testRows([1, 2, 3], 2), expected)).toEqual([]);
    // BIGINT ids may come back as text; the version 1 name of id 3 is stale.
    const rows = [{ id: "1", name: "row 1 v2" }, ...testRows([2, 2, 3, 9], 2), { id: 3, name: "row 3 v1" }];
    expect(
      writtenDataProblems(
        rows.filter((r) => r.name !== "row 3 v2"),
        expected,
      ),
    ).toEqual([
      "ids 9 should not be there",
      "ids 2 appear more than once",
      'id 3: name is "row 3 v1", expected "row 3 v2"',
    ]);
    expect(writtenDataProblems([{ name: "x" }], expected)).toEqual([
      "rows without an integer id",
      "ids 1; 2; 3 are missing",
    ]);
  });
});

async function withFaults(faults: DestinationFaults) {
  const tables: Tables = new Map();
  return testConnector(
    memoryDestination(tables, faults),
    {},
    {
      readBack: { handle: createInProcessHandle(memoryReadBack(tables)), config: {} },
    },
  );
}

describe("destination checks catch a destination broken one way", () => {
  it("an overwrite that keeps the old rows", async () => {
    const report = await withFaults({ overwriteAppends: true });
    expect(failedIds(report)).toEqual(["write.overwrite.data"]);
    expect(resultOf(report, "write.overwrite.data").reason).toBe("ids 1; 2; 3; 4; 5 should not be there");
  });

  it("a destination that loses the last record of each write", async () => {
    const report = await withFaults({ dropLast: true });
    expect(failedIds(report)).toEqual([
      "write.append.data",
      "write.overwrite.data",
      "write.append_dedup.data",
    ]);
    expect(resultOf(report, "write.append.data").reason).toBe("ids 5; 8 are missing");
  });

  const spec = specMessage({
    protocol_version: "0.18.0",
    supported_destination_sync_modes: ["append"],
    connectionSpecification: { type: "object", properties: { path: { type: "string" } } },
  });
  const scriptedDestination = (
    write: (input: AirbyteMessage[]) => { messages: AirbyteMessage[]; exitCode?: number },
  ) =>
    scriptedHandle("scripted destination", async (invocation) => {
      if (invocation.command === "spec") return { messages: [spec] };
      if (invocation.command === "check") {
        const path = (invocation.config as { path?: unknown }).path;
        const ok = path === undefined || typeof path === "string";
        return {
          messages: [
            ok
              ? connectionStatusMessage("SUCCEEDED")
              : connectionStatusMessage("FAILED", "path: must be a string"),
          ],
        };
      }
      return write(await drainInput(invocation));
    });

  it("a destination that echoes no state", async () => {
    const report = await testConnector(
      scriptedDestination(() => ({ messages: [] })),
      {},
    );
    expect(failedIds(report)).toEqual(["write.append.states"]);
    expect(resultOf(report, "write.append.states").reason).toBe(
      "write 1: the last STATE (2 sent) was not echoed: none was",
    );
    expect(resultOf(report, "write.append.data").reason).toBe(
      "the writes did not pass (write.append.states)",
    );
    expect(resultOf(report, "write.overwrite.states")).toMatchObject({
      status: "skipped",
      reason: "overwrite is not in supported_destination_sync_modes",
    });
  });

  it("a destination that echoes, then exits 1", async () => {
    const report = await testConnector(
      scriptedDestination((input) => ({ messages: input.filter((m) => m.type === "STATE"), exitCode: 1 })),
      {},
    );
    expect(failedIds(report)).toEqual(["write.append.states"]);
    expect(resultOf(report, "write.append.states")).toMatchObject({
      reason: "write 1: write: scripted destination exited with code 1",
      failureType: "system_error",
    });
  });

  it("the data checks wait for the writes to pass", async () => {
    const tables: Tables = new Map();
    const report = await testConnector(
      scriptedDestination(() => ({ messages: [] })),
      {},
      {
        readBack: { handle: createInProcessHandle(memoryReadBack(tables)), config: {} },
      },
    );
    expect(resultOf(report, "write.append.data")).toMatchObject({
      status: "skipped",
      reason: "the writes did not pass (write.append.states)",
    });
  });

  it("a read-back source that does not see the stream", async () => {
    const report = await testConnector(
      memoryDestination(new Map()),
      {},
      {
        readBack: { handle: createInProcessHandle(memoryReadBack(new Map())), config: {} },
      },
    );
    expect(failedIds(report)).toEqual([
      "write.append.data",
      "write.overwrite.data",
      "write.append_dedup.data",
    ]);
    expect(resultOf(report, "write.append.data").reason).toMatch(
      /^the read-back source \(built-in source-memory\) finds no stream weir_acceptance_[0-9a-f]{6}_append: the destination wrote nothing it can see \(it has: none\)$/,
    );
  });
});
