// Generates the Prisma client into src/generated/prisma.
// `prisma generate` never runs the native schema engine, but tries to download it unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file; this machine cannot reach Prisma's binary
// host, so point it at any file (see shared/docs/platform-notes.md).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const result = spawnSync('npx', ['prisma', 'generate'], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
