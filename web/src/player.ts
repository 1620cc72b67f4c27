// The embedded YouTube player. In a playlist course every time (outline, sourceRefs, [mm:ss]
// stamps) is on the whole playlist's timeline: module k's video starts at its offsetSeconds, so
// a time plays in that module's video at (time − offset). A single-video course has no modules
// and its times are the video's own.
import { type CourseDetail } from "./api/client.js";
import { clock, h } from "./dom.js";
import { t } from "./i18n.js";

export type CourseModule = CourseDetail["modules"][number];
const ORIGIN = "https://www.youtube-nocookie.com";
const STAMP = /\[(?:(\d+):)?(\d{1,2}):(\d{2})\]/g;

export interface Player {
  frame: HTMLIFrameElement | null;
  /** Play a course time: in `module` when known (a section's own), else the one it falls in. */
  seek(seconds: number, module?: CourseModule): void;
}

export function moduleOf(course: CourseDetail, sectionId: string): CourseModule | undefined {
  return course.modules.find((m) => m.sectionIds.includes(sectionId));
}

/** The module a course time falls in: the last one starting at or before it. */
function moduleAt(modules: CourseModule[], seconds: number): CourseModule | undefined {
  return modules.filter((m) => m.offsetSeconds <= seconds).pop() ?? modules[0];
}

/** `text` with every [mm:ss] moved onto the clock of the module's video (as the Markdown
 * export does), so what the learner reads matches what the player shows. */
export function localStamps(text: string, module: CourseModule | undefined): string {
  if (!module) return text;
  return text.replace(STAMP, (_, hh: string | undefined, mm: string, ss: string) =>
    `[${clock(Math.max(0, Number(hh ?? 0) * 3600 + Number(mm) * 60 + Number(ss) - module.offsetSeconds))}]`);
}

/** A course time as the learner reads it: in a playlist course on its module video's clock,
 * with the module's number ("M2 3:15"); a single video's own clock otherwise. */
export function timeLabel(course: CourseDetail, seconds: number): string {
  const m = course.modules.length ? moduleAt(course.modules, seconds) : undefined;
  if (!m) return clock(seconds);
  return `M${course.modules.indexOf(m) + 1} ${clock(Math.max(0, seconds - m.offsetSeconds))}`;
}

function youtubeId(url: string | null): string | undefined {
  return url?.match(/(?:v=|youtu\.be\/|shorts\/|embed\/|live\/)([\w-]{11})/)?.[1];
}

function embed(videoId: string): string {
  return `${ORIGIN}/embed/${videoId}?enablejsapi=1`;
}

/** The player for a course page, showing `home`'s video (the current section's module) first. */
export function coursePlayer(course: CourseDetail, home?: CourseModule): Player {
  const modules = course.modules;
  let loaded = modules.length ? (home ?? modules[0])?.videoId : youtubeId(course.youtubeUrl);
  const frame = loaded ? h("iframe", { class: "player", title: t("video"), allow: "encrypted-media",
    src: embed(loaded) }) as HTMLIFrameElement : null;
  return {
    frame,
    seek(seconds, module) {
      const m = modules.length ? module ?? moduleAt(modules, seconds) : undefined;
      const local = Math.max(0, seconds - (m?.offsetSeconds ?? 0));
      // announced on the document too, so other panels (and the browser test) can follow seeks
      document.dispatchEvent(new CustomEvent("coursegen:seek", { detail: local }));
      if (!frame) return;
      if (m && m.videoId !== loaded) {
        // another video of the playlist: load it at the moment (seekTo cannot change videos)
        loaded = m.videoId;
        frame.src = `${embed(m.videoId)}&start=${Math.floor(local)}&autoplay=1`;
        return;
      }
      frame.contentWindow?.postMessage(JSON.stringify(
        { event: "command", func: "seekTo", args: [local, true] }), ORIGIN);
    },
  };
}
