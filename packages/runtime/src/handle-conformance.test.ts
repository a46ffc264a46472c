import { describeHandleConformance } from "./handle-conformance.js";
import { createInProcessHandle } from "./in-process-handle.js";
import { countingSource, recordingDestination } from "./test-fixtures/in-process-connectors.js";
import {
  fixtureDestination,
  fixtureReports,
  fixtureSource,
  processIsGone,
} from "./test-fixtures/protocol-fixtures.js";

describeHandleConformance("process handle", () => ({
  source: (behaviour) => ({
    handle: fixtureSource(),
    config: {
      good: { records: 10 },
      hang: { behaviour: "hang", records: 3 },
      fail: { behaviour: "exit-3", records: 2 },
    }[behaviour],
  }),
  destination: (behaviour) => ({
    handle: fixtureDestination(),
    config: behaviour === "good" ? { echo: "all" } : { dieAfterRecords: 10 },
  }),
  noisySource: () => ({ handle: fixtureSource(), config: { behaviour: "garbage" } }),
  expectNothingLeft: async (messages) => {
    const pid = fixtureReports(messages).find((r) => typeof r.pid === "number")?.pid;
    if (typeof pid !== "number" || !processIsGone(pid))
      throw new Error(`process ${String(pid)} is still running`);
  },
}));

describeHandleConformance("in-process handle", () => ({
  source: (behaviour) => ({
    handle: createInProcessHandle(countingSource()),
    config: {
      good: { count: 10, chunk: 5 },
      hang: { chunk: 2, hangAfter: 4 },
      fail: { count: 50, failAt: 20 },
    }[behaviour],
  }),
  destination: (behaviour) => ({
    handle: createInProcessHandle(recordingDestination()),
    config: behaviour === "good" ? {} : { failAfter: 10 },
  }),
}));
