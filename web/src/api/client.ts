// The typed client: openapi-fetch over the types openapi-typescript generated from the API's
// /openapi.json (schema.d.ts; regenerate with `npm run gen:client`, a test fails on drift).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type Schemas = components["schemas"];
export type CourseDetail = Schemas["CourseDetail"];
export type CourseSection = Schemas["CourseSection"];
export type ProgressEvent = Schemas["ProgressEvent"];
export type ErrorBody = Schemas["ErrorResponse"];
export type OutlineSectionInput = Schemas["OutlineSectionInput"];

export function makeClient(baseUrl: string, token: () => string | null) {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const t = token();
      if (t) request.headers.set("Authorization", `Bearer ${t}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}

export type Client = ReturnType<typeof makeClient>;

/** The server's `{error: {code, message}}` as a thrown Error. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export function fail(response: Response, error: unknown): never {
  const body = error as Partial<ErrorBody> | undefined;
  throw new ApiError(response.status, body?.error?.code ?? "http_error",
    body?.error?.message ?? `HTTP ${response.status}`);
}
