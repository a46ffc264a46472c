import { runEntrypoint } from "@weir/cdk";
import { destinationDuckdb } from "./index.js";

await runEntrypoint(destinationDuckdb);
