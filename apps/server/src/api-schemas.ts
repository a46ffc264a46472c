import { z } from "@hono/zod-openapi";
import { CONNECTION_SYNC_MODES } from "@weir/platform";

// Any 8-4-4-4-12 hex id: Airbyte's registry ids and the nil id are not all RFC 4122 variants.
export const Id = z.guid();
const EpochSeconds = z.number().int();

export const IdParam = (name: string) => z.object({ [name]: Id.openapi({ param: { name, in: "path" } }) });

const Flag = z
  .enum(["true", "false"])
  .optional()
  .transform((v) => v === "true");

const IdList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).filter((s) => s !== ""),
  )
  .pipe(z.array(Id));

/** `limit`, `offset`, `includeDeleted`, `workspaceIds` as every list takes them. */
export const ListQuery = z.object({
  workspaceIds: IdList,
  includeDeleted: Flag,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next: z.string().optional(), previous: z.string().optional() });

const NotificationConfig = z.object({
  email: z.object({ enabled: z.boolean() }).optional(),
  webhook: z.object({ enabled: z.boolean(), url: z.string().optional() }).optional(),
});
const NotificationsConfig = z.object({
  failure: NotificationConfig.optional(),
  success: NotificationConfig.optional(),
  connectionUpdate: NotificationConfig.optional(),
  connectionUpdateActionRequired: NotificationConfig.optional(),
  syncDisabled: NotificationConfig.optional(),
  syncDisabledWarning: NotificationConfig.optional(),
});

export const WorkspaceCreateRequest = z
  .object({
    name: z.string().min(1),
    organizationId: Id.optional(),
    notifications: NotificationsConfig.optional(),
    regionId: Id.optional(),
  })
  .openapi("WorkspaceCreateRequest");
export const WorkspaceUpdateRequest = z
  .object({
    name: z.string().min(1).optional(),
    notifications: NotificationsConfig.optional(),
    regionId: Id.optional(),
  })
  .openapi("WorkspaceUpdateRequest");
export const WorkspaceResponse = z
  .object({
    workspaceId: Id,
    name: z.string(),
    dataResidency: z.string(),
    notifications: NotificationsConfig,
  })
  .openapi("WorkspaceResponse");
export const WorkspacesResponse = page(WorkspaceResponse).openapi("WorkspacesResponse");

const Configuration = z.record(z.string(), z.unknown());

const actorRequests = (kind: "source" | "destination") => {
  const Name = kind === "source" ? "Source" : "Destination";
  return {
    create: z
      .object({
        name: z.string().min(1),
        workspaceId: Id,
        configuration: Configuration,
        definitionId: Id.optional(),
      })
      .openapi(`${Name}CreateRequest`),
    patch: z
      .object({ name: z.string().min(1).optional(), configuration: Configuration.optional() })
      .openapi(`${Name}PatchRequest`),
    put: z.object({ name: z.string().min(1), configuration: Configuration }).openapi(`${Name}PutRequest`),
  };
};

export const SourceRequests = actorRequests("source");
export const DestinationRequests = actorRequests("destination");

export const SourceResponse = z
  .object({
    sourceId: Id,
    name: z.string(),
    sourceType: z.string(),
    definitionId: Id,
    workspaceId: Id,
    configuration: Configuration,
    createdAt: EpochSeconds,
  })
  .openapi("SourceResponse");
export const DestinationResponse = z
  .object({
    destinationId: Id,
    name: z.string(),
    destinationType: z.string(),
    definitionId: Id,
    workspaceId: Id,
    configuration: Configuration,
    createdAt: EpochSeconds,
  })
  .openapi("DestinationResponse");
export const SourcesResponse = page(SourceResponse).openapi("SourcesResponse");
export const DestinationsResponse = page(DestinationResponse).openapi("DestinationsResponse");

export const ConnectionSyncModeEnum = z.enum(CONNECTION_SYNC_MODES);
const FieldPath = z.array(z.string());

export const StreamConfiguration = z
  .object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    syncMode: ConnectionSyncModeEnum.optional(),
    cursorField: FieldPath.optional(),
    primaryKey: z.array(FieldPath).optional(),
    selectedFields: z.array(z.object({ fieldPath: FieldPath })).optional(),
    /** Weir's mappers (see @weir/mappers), checked when the connection is saved. */
    mappers: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .openapi("StreamConfiguration");

const ScheduleRequest = z.object({
  scheduleType: z.enum(["manual", "cron"]),
  cronExpression: z.string().optional(),
});
const ScheduleResponse = z.object({
  scheduleType: z.enum(["manual", "cron", "basic"]),
  cronExpression: z.string().optional(),
  basicTiming: z.string().optional(),
});
export const NamespaceDefinition = z.enum(["source", "destination", "custom_format"]);
export const NonBreakingSchemaUpdatesBehavior = z.enum([
  "ignore",
  "disable_connection",
  "propagate_columns",
  "propagate_fully",
]);
export const ConnectionStatus = z.enum(["active", "inactive", "deprecated", "locked"]);
const Tag = z.object({ tagId: Id, workspaceId: Id, name: z.string(), color: z.string() });

const connectionFields = {
  name: z.string().min(1).optional(),
  configurations: z.object({ streams: z.array(StreamConfiguration).optional() }).optional(),
  schedule: ScheduleRequest.optional(),
  namespaceDefinition: NamespaceDefinition.optional(),
  namespaceFormat: z.string().optional(),
  prefix: z.string().optional(),
  nonBreakingSchemaUpdatesBehavior: NonBreakingSchemaUpdatesBehavior.optional(),
  status: ConnectionStatus.optional(),
  tags: z.array(Tag).optional(),
};

export const ConnectionCreateRequest = z
  .object({ sourceId: Id, destinationId: Id, ...connectionFields })
  .openapi("ConnectionCreateRequest");
export const ConnectionPatchRequest = z.object(connectionFields).openapi("ConnectionPatchRequest");

export const ConnectionResponse = z
  .object({
    connectionId: Id,
    name: z.string(),
    sourceId: Id,
    destinationId: Id,
    workspaceId: Id,
    status: ConnectionStatus,
    schedule: ScheduleResponse,
    configurations: z.object({ streams: z.array(StreamConfiguration) }),
    createdAt: EpochSeconds,
    tags: z.array(Tag),
    namespaceDefinition: NamespaceDefinition.optional(),
    namespaceFormat: z.string().optional(),
    prefix: z.string().optional(),
    nonBreakingSchemaUpdatesBehavior: NonBreakingSchemaUpdatesBehavior.optional(),
  })
  .openapi("ConnectionResponse");
export const ConnectionsResponse = page(ConnectionResponse).openapi("ConnectionsResponse");

export const JobTypeEnum = z.enum(["sync", "reset", "refresh", "clear"]);
// Never `queued`: clients that predate it break on it (AIRBYTE-API.md section 10).
export const JobStatusEnum = z.enum(["pending", "running", "incomplete", "failed", "succeeded", "cancelled"]);

export const JobCreateRequest = z
  .object({ connectionId: Id, jobType: JobTypeEnum })
  .openapi("JobCreateRequest");
export const JobResponse = z
  .object({
    jobId: z.number().int(),
    status: JobStatusEnum,
    jobType: JobTypeEnum,
    startTime: z.string(),
    connectionId: Id,
    lastUpdatedAt: z.string().optional(),
    duration: z.string().optional(),
    bytesSynced: z.number().int().optional(),
    rowsSynced: z.number().int().optional(),
  })
  .openapi("JobResponse");
export const JobsResponse = page(JobResponse).openapi("JobsResponse");

export const JobsQuery = z.object({
  connectionId: Id.optional(),
  workspaceIds: IdList,
  jobType: JobTypeEnum.optional(),
  status: JobStatusEnum.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
  orderBy: z
    .string()
    .regex(
      /^(createdAt|updatedAt)\|(ASC|DESC)$/,
      "must be createdAt|ASC, createdAt|DESC, updatedAt|ASC or updatedAt|DESC",
    )
    .default("createdAt|ASC"),
});
export const JobIdParam = z.object({
  jobId: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: "jobId", in: "path" } }),
});
