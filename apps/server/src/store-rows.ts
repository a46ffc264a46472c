import type { StoreTables } from "@weir/platform";

export type WorkspacesTableRow = StoreTables["workspaces"];
export type ActorsTableRow = StoreTables["sources"];
export type ConnectionsTableRow = StoreTables["connections"];
export type JobsTableRow = StoreTables["jobs"];
