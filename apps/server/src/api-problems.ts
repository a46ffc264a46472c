const TYPE_PREFIX = "https://reference.airbyte.com/reference/errors";

/** An RFC 9457 problem as Airbyte's public API answers it (AIRBYTE-API.md section 4). */
export interface ProblemBody {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly data?: Record<string, unknown>;
}

/** Thrown by route handlers; the app's error handler answers with its body and status. */
export class ApiProblem extends Error {
  readonly body: ProblemBody;

  constructor(body: ProblemBody) {
    super(body.detail);
    this.body = body;
  }
}

/** 400 naming what is wrong. Example: `throw badRequest("name: is required")`. */
export const badRequest = (message: string): ApiProblem =>
  new ApiProblem({
    status: 400,
    type: `${TYPE_PREFIX}#bad-request`,
    title: "bad-request",
    detail: "The request could not be processed.",
    data: { message },
  });

/** 400 for an unknown `sourceType` / `destinationType`. */
export const valueNotFound = (value: string): ApiProblem =>
  new ApiProblem({
    status: 400,
    type: "value-not-found",
    title: "value-not-found",
    detail: `No definition named ${value}.`,
    data: { value },
  });

export const invalidApiKey = (): ApiProblem =>
  new ApiProblem({
    status: 401,
    type: `${TYPE_PREFIX}#invalid-api-key`,
    title: "invalid-api-key",
    detail: "A valid bearer token is required (Authorization: Bearer <token>).",
  });

/** 404. Example: `throw notFound("source", id)`. */
export const notFound = (resourceType: string, resourceId: string): ApiProblem =>
  new ApiProblem({
    status: 404,
    type: `${TYPE_PREFIX}#resource-not-found`,
    title: "resource-not-found",
    detail: "No such resource.",
    data: { resourceType, resourceId },
  });

/** 409 when a sync is already running. */
export const tryAgainLater = (message: string): ApiProblem =>
  new ApiProblem({
    status: 409,
    type: `${TYPE_PREFIX}#try-again-later`,
    title: "try-again-later",
    detail: "Please retry later.",
    data: { message },
  });

/** 409 when cancelling a job that is not running. */
export const stateConflict = (message: string): ApiProblem =>
  new ApiProblem({
    status: 409,
    type: `${TYPE_PREFIX}#409-state-conflict`,
    title: "state-conflict",
    detail: "The resource is not in a state that allows this.",
    data: { message },
  });

/** 422: a configuration that fails its connector's spec, naming the field. */
export const unprocessable = (message: string): ApiProblem =>
  new ApiProblem({
    status: 422,
    type: `${TYPE_PREFIX}#unprocessable-entity`,
    title: "unprocessable-entity",
    detail: "The body of the request was not understood.",
    data: { message },
  });

export const unexpected = (message: string): ApiProblem =>
  new ApiProblem({
    status: 500,
    type: "unexpected-problem",
    title: "unexpected-problem",
    detail: message,
    data: { message },
  });
