import { defineSource } from "@weir/cdk";
import { type FakerConfig, fakerSpec } from "./faker-spec.js";
import { fakerStreams } from "./faker-streams.js";

/**
 * Fake e-commerce data (users, products, purchases), deterministic for a seed and incremental
 * on `updated_at`. Example config: `{ "count": 1000, "seed": 42, "always_updated": false }`.
 */
export const sourceFaker = defineSource<FakerConfig>({
  name: "source-faker",
  version: "0.1.0",
  spec: fakerSpec,
  // A STATE after every slice, as Airbyte's faker: `records_per_slice` sets the interval.
  checkpointEvery: 1,
  // Generating needs nothing outside this process: a config that passed validation works.
  check: async () => ({ ok: true }),
  streams: (ctx) => fakerStreams(ctx.config),
});
