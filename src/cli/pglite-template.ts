// `npm run build:pglite` (part of `npm run build`): keeps an empty, fully migrated embedded
// database in dist/pglite-template/; a new PGlite data directory starts as a copy of it
// (src/data/pglite-template.ts says why).
import path from 'node:path';
import { buildTemplate, templateDir } from '../data/pglite-template.ts';

const started = performance.now();
const applied = await buildTemplate();
console.log(
  `Built ${path.relative(process.cwd(), templateDir)} (${applied.length} migrations) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
