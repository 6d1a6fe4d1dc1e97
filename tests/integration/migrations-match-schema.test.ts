import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import wasm from '@prisma/prisma-schema-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/data/database.ts';
import { migrate, migrationsDir, readMigrations } from '../../src/data/migrate.ts';
import { ensureDatabaseExists, query, testDatabaseUrl } from '../helpers/database.ts';

/**
 * Migrations are SQL written from schema.prisma (Prisma's migration engine cannot run here). This
 * proves they agree: an empty database, migrated, has every model's table, every field's column
 * with its type and nullability, every unique and index, and every foreign key, and nothing else.
 */
interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: Array<{ name: string }>;
}

const schema = readFileSync(path.resolve(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8');
const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]], noColor: true }))) as {
  datamodel: { models: DmmfModel[]; indexes: DmmfIndex[]; enums: Array<{ name: string; values: Array<{ name: string }> }> };
};
const models = dmmf.datamodel.models;
const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;
const modelByName = (name: string) => models.find((model) => model.name === name) as DmmfModel;

function expectedType(field: DmmfField): string {
  if (field.kind === 'enum') return field.type;
  const native = field.nativeType?.[0];
  const base: Record<string, string> = {
    String: native === 'Uuid' ? 'uuid' : 'text',
    Int: 'int4',
    BigInt: 'int8',
    Boolean: 'bool',
    DateTime: native === 'Date' ? 'date' : native === 'Timestamptz' ? 'timestamptz' : 'timestamp',
    Json: 'jsonb',
    Bytes: 'bytea',
    Float: 'float8',
  };
  const type = base[field.type] ?? `unknown:${field.type}`;
  return field.isList ? `_${type}` : type;
}

const url = new URL(testDatabaseUrl);
url.pathname = `/asb_schema_check_${process.pid}`;
const freshUrl = url.toString();
let database: Database;

beforeAll(async () => {
  await query(`DROP DATABASE IF EXISTS "asb_schema_check_${process.pid}"`);
  await ensureDatabaseExists(freshUrl);
  database = await openDatabase({ kind: 'postgres', url: freshUrl });
  await migrate(database.sql);
});
afterAll(async () => {
  await database.close();
  await query(`DROP DATABASE IF EXISTS "asb_schema_check_${process.pid}" WITH (FORCE)`);
});

describe('the migrated database matches schema.prisma', () => {
  it('has exactly the tables of the models (plus Prisma bookkeeping)', async () => {
    const rows = await query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", [], freshUrl);
    expect(rows.map((row) => row.tablename)).toEqual([...models.map(tableOf), '_prisma_migrations'].sort());
  });

  it('has every field as a column with its type and nullability, and no others', async () => {
    const columns = await query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      "SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
      [],
      freshUrl,
    );
    const actual = columns.map((c) => `${c.table_name}.${c.column_name} ${c.udt_name} ${c.is_nullable === 'NO' ? 'NOT NULL' : 'NULL'}`).sort();
    const expected = models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind !== 'object')
          // Prisma creates scalar lists without NOT NULL.
          .map((field) => `${tableOf(model)}.${columnOf(field)} ${expectedType(field)} ${field.isRequired && !field.isList ? 'NOT NULL' : 'NULL'}`),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has every enum with its values', async () => {
    const rows = await query<{ typname: string; labels: string[] }>(
      'SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname',
      [],
      freshUrl,
    );
    expect(rows).toEqual(
      dmmf.datamodel.enums.map((e) => ({ typname: e.name, labels: e.values.map((v) => v.name) })).sort((a, b) => a.typname.localeCompare(b.typname)),
    );
  });

  it('has every primary key, unique and index on the right columns', async () => {
    const rows = await query<{ table: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(
      `SELECT t.relname AS table, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
       GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary`,
      [],
      freshUrl,
    );
    const actual = rows.map((r) => `${r.table}(${r.columns.join(',')}) ${r.is_primary ? 'id' : r.is_unique ? 'unique' : 'normal'}`).sort();
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = modelByName(index.model);
        const cols = index.fields.map((f) => columnOf(model.fields.find((field) => field.name === f.name) as DmmfField));
        return `${tableOf(model)}(${cols.join(',')}) ${index.type}`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has every relation as a foreign key to the right table', async () => {
    const rows = await query<{ table: string; columns: string[]; target: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target,
              array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns
       FROM pg_constraint c WHERE c.contype = 'f'`,
      [],
      freshUrl,
    );
    const unquote = (name: string) => name.replace(/^"|"$/g, '');
    const actual = rows.map((r) => `${unquote(r.table)}(${r.columns.join(',')}) -> ${unquote(r.target)}`).sort();
    const expected = models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind === 'object' && field.relationFromFields?.length)
          .map((field) => {
            const cols = (field.relationFromFields ?? []).map((name) => columnOf(model.fields.find((f) => f.name === name) as DmmfField));
            return `${tableOf(model)}(${cols.join(',')}) -> ${tableOf(modelByName(field.type))}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('records each migration as Prisma does (name and sha256 checksum of the file)', async () => {
    const files = await readMigrations(migrationsDir);
    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      [],
      freshUrl,
    );
    expect(rows).toEqual(
      files.map((file) => ({
        migration_name: file.name,
        checksum: createHash('sha256').update(readFileSync(path.join(migrationsDir, file.name, 'migration.sql'))).digest('hex'),
        applied_steps_count: 1,
      })),
    );
    // Running again applies nothing.
    expect(await migrate(database.sql)).toEqual([]);
  });
});
