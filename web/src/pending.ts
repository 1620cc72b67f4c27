// Quiz scores the server did not take (network down, 5xx) wait in localStorage and are sent
// again when the app next talks to the server (a page change, the browser back online), so a
// learner's work is never lost silently.
import { type Schemas } from "./api/client.js";
import { api } from "./session.js";

const KEY = "coursegen.pendingScores";
export type PendingScore = { courseId: string; update: Schemas["ProgressUpdate"] };

function read(): PendingScore[] {
  try { return JSON.parse(localStorage.getItem(KEY) ?? "[]") as PendingScore[]; } catch { return []; }
}

function write(items: PendingScore[]): void {
  if (items.length) localStorage.setItem(KEY, JSON.stringify(items));
  else localStorage.removeItem(KEY);
}

export function pendingScores(): PendingScore[] { return read(); }

/** "saved" when the server took it; "kept" when it waits on this device; "refused" on a 4xx
 *  (the server will never take it: nothing to retry). */
export async function saveScore(item: PendingScore): Promise<"saved" | "kept" | "refused"> {
  // the newest attempt for a section replaces any older one still waiting
  write([...read().filter((p) => !(p.courseId === item.courseId &&
    p.update.sectionId === item.update.sectionId)), item]);
  return send(item);
}

async function send(item: PendingScore): Promise<"saved" | "kept" | "refused"> {
  let status: number;
  try {
    const r = await api.POST("/api/user/progress/{courseId}", {
      params: { path: { courseId: item.courseId } }, body: item.update });
    status = r.response.status;
  } catch {
    return "kept";
  }
  if (status >= 500 || status === 401 || status === 429) return "kept";
  write(read().filter((p) => p !== item && JSON.stringify(p) !== JSON.stringify(item)));
  return status < 300 ? "saved" : "refused";
}

let flushing: Promise<void> | null = null;

/** Send every waiting score once; the ones the server still does not take keep waiting. */
export function flushPendingScores(): Promise<void> {
  flushing ??= (async () => {
    for (const item of read()) await send(item);
  })().finally(() => { flushing = null; });
  return flushing;
}
