import { describeSourceConformance } from "@weir/cdk/testing";
import { sourceFaker } from "./source-faker.js";

describeSourceConformance(sourceFaker, {
  config: { count: 30, seed: 4, always_updated: false, records_per_slice: 10 },
  invalidConfig: { count: "foo" },
});
