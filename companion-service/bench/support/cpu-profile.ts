import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A bench's CPU profile, the same `.cpuprofile` `node --cpu-prof` writes (open it in Chrome's
 * DevTools or speedscope for the flame graph), taken through the inspector so that it covers only
 * the run being measured rather than the org's and the database's start. Its summary is the frames
 * with the most self time, and the same time grouped by package or source file, so a bench's printed
 * output says where the time went without opening the file.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Profiler {
  stop(file: string): Promise<CpuProfile>;
}

export async function startProfiler(): Promise<Profiler> {
  const session = new Session();
  session.connect();
  // Sampling every 100 µs instead of the default 1 ms: a conversation takes a few ms of CPU.
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      await writeFile(file, JSON.stringify(profile));
      return profile;
    },
  };
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where a frame's code lives: a package, a source file of ours, Node's own, or V8's bookkeeping. */
export function placeOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url;
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packages = file.lastIndexOf('/node_modules/');
  if (packages >= 0) {
    const [scopeOrName, name] = file.slice(packages + '/node_modules/'.length).split('/');
    return scopeOrName!.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName!;
  }
  return path.relative(ROOT, file);
}

/** Self time in ms by key: each sample's interval goes to the frame on top of the stack then. */
function selfTimes(profile: CpuProfile, keyOf: (frame: CallFrame) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const times = new Map<string, number>();
  for (let i = 0; i < samples.length; i++) {
    // The delta after a sample is the time it stood for (the last one's is unknown: its own).
    const micros = deltas[i + 1] ?? deltas[i] ?? 0;
    const key = keyOf(byId.get(samples[i]!)!);
    times.set(key, (times.get(key) ?? 0) + micros / 1000);
  }
  return times;
}

const top = (times: Map<string, number>, n: number) => [...times].sort((a, b) => b[1] - a[1]).slice(0, n);

/** The profile's summary as printed lines: the top frames by self time, then by package or file. */
export function summarizeProfile(profile: CpuProfile, count = 15): string[] {
  const total = (profile.endTime - profile.startTime) / 1000;
  const idle = selfTimes(profile, (f) => f.functionName).get('(idle)') ?? 0;
  const percent = (ms: number) => `${((ms / total) * 100).toFixed(1).padStart(5)} %`;
  const line = (ms: number, what: string) => `  ${ms.toFixed(0).padStart(7)} ms ${percent(ms)}  ${what}`;
  const frames = selfTimes(profile, (f) => {
    const name = f.functionName || '(anonymous)';
    return f.url ? `${name}  ${placeOf(f)}:${f.lineNumber + 1}` : name;
  });
  return [
    `CPU profile: ${total.toFixed(0)} ms profiled, ${idle.toFixed(0)} ms idle; top ${count} frames by self time`,
    ...top(frames, count).map(([what, ms]) => line(ms, what)),
    `the same self time by package or file (top ${count})`,
    ...top(selfTimes(profile, placeOf), count).map(([what, ms]) => line(ms, what)),
  ];
}
