import { runEntrypoint } from "@weir/cdk";
import { destinationMysql } from "./index.js";

await runEntrypoint(destinationMysql);
