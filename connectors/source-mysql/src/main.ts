import { runEntrypoint } from "@weir/cdk";
import { sourceMysql } from "./index.js";

await runEntrypoint(sourceMysql);
