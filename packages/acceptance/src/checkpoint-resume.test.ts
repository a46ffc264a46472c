import { type AirbyteRecordMessage, streamStateMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { type Checkpoint, resumeProblems, sampleCheckpoints } from "./checkpoint-resume.js";

const record = (id: number, day: number): AirbyteRecordMessage => ({
  stream: "users",
  data: { id, updated_at: `2024-01-0${day}T00:00:00Z` },
  emitted_at: 1,
});
const checkpointAfter = (recordsBefore: number): Checkpoint => ({
  state: streamStateMessage({ name: "users" }, { at: recordsBefore }).state,
  recordsBefore,
  position: 0,
});
// Ids 1-4; 2 and 3 share a cursor value.
const full = [record(1, 1), record(2, 2), record(3, 2), record(4, 3)];

describe("resumeProblems", () => {
  const base = { full, primaryKey: [["id"]], cursor: ["updated_at"] } as const;

  it("accepts exactly the rest of the read", () => {
    expect(resumeProblems({ ...base, checkpoint: checkpointAfter(2), resumed: full.slice(2) })).toEqual([]);
  });

  it("lets records on the checkpoint's cursor value come again (an inclusive cursor)", () => {
    expect(resumeProblems({ ...base, checkpoint: checkpointAfter(3), resumed: full.slice(1) })).toEqual([]);
  });

  it("finds records lost, repeated below the cursor, and never read in full", () => {
    expect(
      resumeProblems({ ...base, checkpoint: checkpointAfter(2), resumed: [full[3] as AirbyteRecordMessage] }),
    ).toEqual(["lost 1 record(s), e.g. id=3"]);
    expect(resumeProblems({ ...base, checkpoint: checkpointAfter(2), resumed: full })).toEqual([
      "repeated 1 record(s), e.g. id=1",
    ]);
    expect(resumeProblems({ ...base, checkpoint: checkpointAfter(4), resumed: [record(9, 4)] })).toEqual([
      "1 record(s) the full read did not have, e.g. id=9",
    ]);
  });

  it("compares whole records when there is no primary key and no cursor field", () => {
    const problems = resumeProblems({
      full,
      primaryKey: undefined,
      cursor: undefined,
      checkpoint: checkpointAfter(3),
      resumed: full.slice(2),
    });
    expect(problems).toEqual(['repeated 1 record(s), e.g. {"id":3,"updated_at":"2024-01-02T00:00:00Z"}']);
  });
});

describe("sampleCheckpoints", () => {
  it("keeps all when few, else spreads them and keeps the last", () => {
    const list = Array.from({ length: 25 }, (_, i) => ({ ...checkpointAfter(i), position: i }));
    expect(sampleCheckpoints(list.slice(0, 3), 10).map((c) => c.position)).toEqual([0, 1, 2]);
    const picked = sampleCheckpoints(list, 5).map((c) => c.position);
    expect(picked).toHaveLength(5);
    expect(picked.at(-1)).toBe(24);
  });
});
