import { runEntrypoint } from "@weir/cdk";
import { destinationPostgres } from "./index.js";

await runEntrypoint(destinationPostgres);
