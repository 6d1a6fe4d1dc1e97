// Where a CPU profile's time went: by owner (the portal's own code, each npm package, Node.js
// itself, garbage collection, idle) and by function. `npx tsx tests/perf/profile-summary.ts FILE.cpuprofile`
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './lib/report.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds since the profile started (about when the process started). */
export interface Window {
  fromMs: number;
  toMs: number;
}

/** Who owns a frame: "portal src/...", an npm package, "node:<module>", or V8's own entries. */
export function ownerOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return `portal ${url.slice(src + 1)}`;
  return url;
}

/** Self time by owner and by function; only the samples inside `windows` when given (e.g. the load, not start-up). */
export function summariseProfile(file: string, options: { top?: number; windows?: Window[] } = {}): string {
  const top = options.top ?? 20;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const inWindow = (ms: number) => !options.windows || options.windows.some((window) => ms >= window.fromMs && ms <= window.toMs);
  let total = 0;
  let at = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (!inWindow(at / 1000)) return;
    self.set(id, (self.get(id) ?? 0) + delta);
    total += delta;
  });
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const owner = ownerOf(frame);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where} [${owner}]`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const idle = owners.get('(idle)') ?? 0;
  const busy = total - idle;
  const share = (micros: number) => `${((micros / busy) * 100).toFixed(1)}%`;
  const sorted = (map: Map<string, number>) => [...map].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  return [
    `Sampled ${(total / 1e6).toFixed(1)} s, of which idle ${((idle / total) * 100).toFixed(0)}%; shares below are of the busy ${(busy / 1e6).toFixed(1)} s (self time).`,
    '',
    table(['owner', 'self time'], sorted(owners).slice(0, top).map(([owner, micros]) => [owner, share(micros)])),
    '',
    table(['function', 'self time'], sorted(functions).slice(0, top).map(([name, micros]) => [name, share(micros)])),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npx tsx tests/perf/profile-summary.ts FILE.cpuprofile');
    process.exit(2);
  }
  console.log(summariseProfile(file));
}
