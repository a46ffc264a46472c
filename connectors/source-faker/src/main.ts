import { runEntrypoint } from "@weir/cdk";
import { sourceFaker } from "./source-faker.js";

await runEntrypoint(sourceFaker);
