import { ApiError, makeClient, type ProgressEvent } from "./api/client.js";

const KEY = "coursegen.token";
export const session = {
  get token(): string | null { return localStorage.getItem(KEY); },
  set token(value: string | null) {
    if (value) localStorage.setItem(KEY, value); else localStorage.removeItem(KEY);
  },
};

export const api = makeClient(window.location.origin, () => session.token);

export function go(hash: string): void {
  if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else window.location.hash = hash;
}

/** Progress over SSE. EventSource cannot send the bearer token, so the stream is read with
 *  fetch (through the typed client) and split into events here. */
export async function followProgress(courseId: string, onEvent: (e: ProgressEvent) => void,
                                     signal: AbortSignal, resume: { lastId?: string } = {}
                                     ): Promise<void> {
  // after a drop, Last-Event-ID makes the server replay only what came after the last event seen
  const { data, response } = await api.GET("/api/courses/{courseId}/events", {
    params: { path: { courseId }, header: resume.lastId ? { "Last-Event-ID": resume.lastId } : {} },
    parseAs: "stream", signal,
  });
  if (!response.ok || !data) throw new ApiError(response.status, "progress_stream", `HTTP ${response.status}`);
  await readFrames(data, (_event, payload, id) => {
    if (id) resume.lastId = id;
    onEvent(JSON.parse(payload) as ProgressEvent);
  });
}

/** Read `event:`/`data:` frames of a text/event-stream body. */
export async function readFrames(body: ReadableStream,
                                 onFrame: (event: string, data: string, id?: string) => void
                                 ): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const lines = buffer.slice(0, end).split("\n");
      buffer = buffer.slice(end + 2);
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart())
        .join("\n");
      const id = lines.find((l) => l.startsWith("id:"))?.slice(3).trim();
      if (data) onFrame(event, data, id);
    }
  }
}
