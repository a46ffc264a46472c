// A source that behaves as real foreign connectors do, written as raw text lines (not through
// JSON.stringify) so the tests can check that Weir passes them on byte for byte. Config:
// { legacy?: boolean }. It never sends STREAM_STATUS. Its first line is a LOG holding the exact
// text of the --state file it was given (or null).
import { readFileSync } from "node:fs";

const [command, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const at = rest.indexOf(`--${name}`);
  return at === -1 ? undefined : rest[at + 1];
};
const lines = (...texts) => process.stdout.write(`${texts.join("\n")}\n`);

if (command === "spec") {
  lines('{"type":"SPEC","spec":{"connectionSpecification":{"type":"object"}}}');
  process.exit(0);
}
const config = JSON.parse(readFileSync(flag("config"), "utf8"));
const statePath = flag("state");
const stateText = statePath === undefined ? null : readFileSync(statePath, "utf8");
lines(JSON.stringify({ type: "LOG", log: { level: "INFO", message: JSON.stringify({ stateText }) } }));

// An estimate before any record; float emitted_at; no namespace; an extra top-level key.
lines(
  '{"type":"TRACE","trace":{"type":"ESTIMATE","emitted_at":1732000000000.0,"estimate":{"name":"users","type":"STREAM","row_estimate":3}}}',
  '{"type":"RECORD","record":{"stream":"users","data":{"id":1,"big":99999999999999999},"emitted_at":1732000000000.25}}',
  '{"type":"RECORD","record":{"stream":"users","data":{"id":2},"emitted_at":1732000000001},"partition_id":"p1"}',
  // A stream in a namespace nobody asked for: counted and logged, not written.
  '{"type":"RECORD","record":{"stream":"users","namespace":"elsewhere","data":{"id":99},"emitted_at":1732000000001}}',
);
if (config.legacy) {
  lines(
    '{"type":"RECORD","record":{"stream":"users","data":{"id":3},"emitted_at":1732000000002}}',
    '{"type":"STATE","state":{"data":{"users":{"cursor":99999999999999999,"ratio":1.10}}}}',
  );
} else {
  lines(
    // Both a per-stream block and a legacy blob, and extra keys at the top, as real sources send.
    '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":99999999999999999}},"data":{"users":{"cursor":99999999999999999}}},"id":7}',
    '{"type":"RECORD","record":{"stream":"users","data":{"id":3},"emitted_at":1732000000002}}',
    // A state for a stream the catalog does not configure: warned about, kept.
    '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"ghosts"},"stream_state":{"c":1}}}}',
    // A per-stream state whose stream_state is an opaque string.
    '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":"opaque-token-0001"}}}',
  );
}
