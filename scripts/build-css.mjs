// Builds public/assets: the council-branded GOV.UK Frontend stylesheet and GOV.UK Frontend's JS.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'public', 'assets');
await mkdir(out, { recursive: true });

const result = await sass.compileAsync(path.join(root, 'src', 'styles', 'app.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
await writeFile(path.join(out, 'app.css'), result.css);
await copyFile(
  path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.js'),
  path.join(out, 'govuk-frontend.min.js'),
);
console.log(`Built public/assets/app.css (${Math.round(result.css.length / 1024)} KB) and govuk-frontend.min.js`);
