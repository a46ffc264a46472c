import { runEntrypoint } from "@weir/cdk";
import { sourcePostgres } from "./index.js";

await runEntrypoint(sourcePostgres);
