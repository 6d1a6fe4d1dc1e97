// Prisma 7 keeps the datasource URL here, not in schema.prisma. The portal itself connects through
// driver adapters (src/data/prisma.ts); this file only serves Prisma's CLI.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
