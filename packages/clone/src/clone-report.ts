import type { FailureType } from "@weir/protocol";

/** A masked column of the plan: which mappers, and where they came from when a foreign key inherited them. */
export interface PlannedMaskedColumn {
  readonly column: string;
  /** Mapper types in order: `["hash"]`, `["fake", "mask"]` (never their keys). */
  readonly mappers: readonly string[];
  /** `public.users.email` when the column references a masked key and masks the same way. */
  readonly from: string | undefined;
}

/** One table of the plan. */
export interface PlannedTable {
  readonly schema: string;
  readonly name: string;
  /** `all` rows, a `subset` (kept keys), or `empty` (structure only). */
  readonly rows: "all" | "subset" | "empty";
  /** Rows the copy is expected to hold: the subset's exact count, else the source's estimate (-1: unknown). */
  readonly estimatedRows: number;
  /** On-disk size of the source table. */
  readonly bytes: number;
  /** Parallel parts the data is copied in. */
  readonly parts: number;
  readonly masked: readonly PlannedMaskedColumn[];
  /** Why a subset table holds rows: it is a `start`, a `child` of kept rows, or a `parent` of kept rows. */
  readonly subsetReason: "start" | "child" | "parent" | undefined;
}

/** What a clone will do, as a dry run prints it. */
export interface ClonePlan {
  /** `db.example.com:5432/shop`. */
  readonly source: string;
  readonly destination: string;
  readonly schemas: readonly string[];
  readonly tables: readonly PlannedTable[];
  readonly counts: {
    readonly views: number;
    readonly materializedViews: number;
    readonly sequences: number;
    readonly enums: number;
    readonly domains: number;
    readonly compositeTypes: number;
    readonly functions: number;
    readonly indexes: number;
    readonly foreignKeys: number;
    readonly triggers: number;
  };
  /** Things left out or changed, each in one line. */
  readonly notes: readonly string[];
}

export type TableStatus = "waiting" | "copying" | "indexing" | "done" | "failed";

/** One table's progress, and at the end its result. */
export interface TableProgress {
  readonly schema: string;
  readonly name: string;
  readonly status: TableStatus;
  readonly rows: number;
  readonly estimatedRows: number;
  /** Bytes of COPY data moved (text format). */
  readonly bytes: number;
  readonly parts: number;
  readonly partsDone: number;
  readonly masked: boolean;
}

export type ClonePhase = "connecting" | "planning" | "schema" | "copying" | "finishing" | "done";

/** What `onProgress` receives. */
export interface CloneProgress {
  readonly phase: ClonePhase;
  readonly elapsedMs: number;
  readonly tables: readonly TableProgress[];
}

/** A classified, expected failure of a clone. */
export interface CloneFailure {
  readonly type: FailureType;
  /** Where it happened: `source`, `destination`, the clone `config`, or weir itself (`platform`). */
  readonly origin: "source" | "destination" | "config" | "platform";
  readonly message: string;
  readonly internalMessage?: string;
}

/** What a clone did (or would do, for a dry run). */
export interface CloneReport {
  readonly dryRun: boolean;
  readonly plan: ClonePlan | undefined;
  readonly tables: readonly TableProgress[];
  readonly durationMs: number;
  /** Time per phase, for the curious: `{ schema: 120, data: 8300, … }`. */
  readonly phaseMs: Readonly<Record<string, number>>;
}

export type CloneOutcome =
  | { readonly ok: true; readonly report: CloneReport }
  | { readonly ok: false; readonly failure: CloneFailure; readonly report: CloneReport };
