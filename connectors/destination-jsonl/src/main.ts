import { runEntrypoint } from "@weir/cdk";
import { destinationJsonl } from "./destination-jsonl.js";

await runEntrypoint(destinationJsonl);
