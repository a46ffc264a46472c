import { runEntrypoint } from "@weir/cdk";
import { sourceJsonl } from "./source-jsonl.js";

await runEntrypoint(sourceJsonl);
