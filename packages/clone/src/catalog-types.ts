// What the clone reads from a Postgres catalog. Definitions come from the server's own
// pg_get_*def functions, read with an empty search_path so that every name in them is
// schema-qualified and means the same thing in the destination.

export interface CatalogColumn {
  readonly name: string;
  readonly attnum: number;
  /** `format_type` of the column: `numeric(12,4)`, `public.mood`, `text[]`. */
  readonly type: string;
  readonly typeOid: number;
  /** The `typname` under any domains: `int4`, `numeric`, `jsonb`, `_text` (an array), `mood`. */
  readonly baseType: string;
  readonly baseTypeOid: number;
  /** `typcategory` under any domains: N numeric, B boolean, S string, A array, D date/time, E enum, U user… */
  readonly category: string;
  readonly notNull: boolean;
  readonly defaultExpression: string | undefined;
  /** `a` always, `d` by default, `` none. */
  readonly identity: "" | "a" | "d";
  /** `s` stored generated column (never copied: the destination computes it). */
  readonly generated: string;
  readonly generationExpression: string | undefined;
  /** A qualified collation when it differs from the type's default. */
  readonly collation: string | undefined;
  readonly comment: string | undefined;
}

export type ConstraintType = "p" | "u" | "f" | "c" | "x";

export interface CatalogConstraint {
  readonly oid: number;
  readonly name: string;
  readonly type: ConstraintType;
  /** `pg_get_constraintdef`: `PRIMARY KEY (id)`, `FOREIGN KEY (a) REFERENCES public.t(id) NOT VALID`. */
  readonly definition: string;
  readonly validated: boolean;
  readonly deferrable: boolean;
  readonly deferred: boolean;
  readonly indexOid: number | undefined;
  readonly columns: readonly string[];
  /** Foreign keys: the referenced table and columns. */
  readonly references: { readonly tableOid: number; readonly columns: readonly string[] } | undefined;
  readonly comment: string | undefined;
}

export interface CatalogIndex {
  readonly oid: number;
  readonly name: string;
  /** `pg_get_indexdef`: `CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)`. */
  readonly definition: string;
  readonly valid: boolean;
  /** The primary key, unique or exclusion constraint this index implements. */
  readonly constraintOid: number | undefined;
  readonly comment: string | undefined;
}

export interface CatalogTrigger {
  readonly name: string;
  readonly definition: string;
  /** `O` enabled, `D` disabled, `R` replica, `A` always. */
  readonly enabled: string;
  readonly comment: string | undefined;
}

export interface CatalogTable {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly unlogged: boolean;
  readonly options: readonly string[] | null;
  /** Rows as last analyzed; -1 when never analyzed. */
  readonly estimatedRows: number;
  /** Size of the table's main data on disk, as of its last VACUUM or ANALYZE. */
  readonly bytes: number;
  readonly pages: number;
  readonly comment: string | undefined;
  readonly columns: readonly CatalogColumn[];
  readonly constraints: readonly CatalogConstraint[];
  readonly indexes: readonly CatalogIndex[];
  readonly triggers: readonly CatalogTrigger[];
  /** Tables it inherits from (plain inheritance: the clone makes it a table of its own). */
  readonly inherits: readonly number[];
}

export interface CatalogSequence {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly dataType: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** The column a serial or identity sequence belongs to. */
  readonly ownedBy: { readonly tableOid: number; readonly column: string } | undefined;
  /** Made by an identity column: the column creates it. */
  readonly identity: boolean;
  readonly comment: string | undefined;
}

export interface CatalogEnum {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly labels: readonly string[];
  readonly comment: string | undefined;
}

export interface CatalogDomain {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly baseType: string;
  readonly baseTypeOid: number;
  readonly collation: string | undefined;
  readonly defaultExpression: string | undefined;
  readonly notNull: boolean;
  readonly constraints: readonly { name: string; definition: string; validated: boolean }[];
  readonly comment: string | undefined;
}

export interface CatalogComposite {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly attributes: readonly {
    readonly name: string;
    readonly type: string;
    readonly typeOid: number;
    readonly collation: string | undefined;
  }[];
  readonly comment: string | undefined;
}

export interface CatalogFunction {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** `public.add(integer, integer)`, for COMMENT ON. */
  readonly signature: string;
  readonly definition: string;
  readonly isProcedure: boolean;
  readonly comment: string | undefined;
}

export interface CatalogView {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  readonly definition: string;
  readonly options: readonly string[] | null;
  /** Tables and views it reads. */
  readonly dependsOn: readonly number[];
  readonly comment: string | undefined;
  readonly columnComments: readonly { readonly column: string; readonly comment: string }[];
  /** Indexes of a materialized view. */
  readonly indexes: readonly CatalogIndex[];
}

export interface CatalogExtension {
  readonly name: string;
  readonly schema: string;
}

export interface PostgresCatalog {
  /** `server_version_num`, e.g. 150020. */
  readonly serverVersion: number;
  readonly schemas: readonly { readonly name: string; readonly comment: string | undefined }[];
  readonly extensions: readonly CatalogExtension[];
  readonly enums: readonly CatalogEnum[];
  readonly domains: readonly CatalogDomain[];
  readonly composites: readonly CatalogComposite[];
  readonly functions: readonly CatalogFunction[];
  readonly sequences: readonly CatalogSequence[];
  readonly tables: readonly CatalogTable[];
  readonly views: readonly CatalogView[];
  /** Partitioned tables and partitions: not supported yet. */
  readonly partitioned: readonly { readonly schema: string; readonly name: string }[];
  /** Things the clone leaves out, each said once: `aggregate public.median: not copied`. */
  readonly skipped: readonly string[];
}
