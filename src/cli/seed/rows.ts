import type { Random } from './random.ts';

// Rows, as objects keyed by column name (json_populate_recordset fills the rest with defaults)

export type Row = Record<string, unknown>;
export const tables = [
  'case',
  'person',
  'upload',
  'consent',
  'incident',
  'status_change',
  'note',
  'audit_entry',
  'outbox_message',
  'information_request',
  'review',
  'recommendation',
  'appeal',
] as const;
export type Table = (typeof tables)[number];
export type Batch = Record<Table, Row[]>;
export const emptyBatch = (): Batch => Object.fromEntries(tables.map((table) => [table, []])) as unknown as Batch;

export interface SeedContext {
  random: Random;
  now: Date;
  earliest: number;
  officerIds: string[];
  references: Set<string>;
}
