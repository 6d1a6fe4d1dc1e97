// Tables for the console and for tests/perf/results/latest.md, and writing one generated block of
// that file (between its markers) without touching the rest.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
export const whole = (value: number) => Math.round(value).toLocaleString('en-GB');
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node.js ${process.version}, ${os.platform()} ${os.release()}`;
}

const intro = `# Performance results

Written by \`npm run bench\` and \`npm run bench:weight\` (scripts in \`tests/perf/\`): each generated
block below is replaced by the next run that makes it; text outside the blocks is kept.
`;

/** Replaces the block \`key\` of the results file (or adds it at the end). */
export function writeBlock(file: string, key: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const start = `<!-- ${key}:start -->`;
  const end = `<!-- ${key}:end -->`;
  const block = `${start}\n${content.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : intro;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
