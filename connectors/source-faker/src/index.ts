export type { FakerConfig } from "./faker-spec.js";
export { fakerSpec } from "./faker-spec.js";
export { sourceFaker } from "./source-faker.js";
