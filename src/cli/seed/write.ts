import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { tables, type Batch } from './rows.ts';
import { officerNames } from './vocabulary.ts';

// Writing: each batch as one multi-row INSERT per table (json_populate_recordset), in one transaction.

export async function insertBatch(pool: pg.Pool, batch: Batch): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const table of tables) {
      const rows = batch[table];
      if (rows.length === 0) continue;
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].map((column) => `"${column}"`).join(', ');
      await client.query(`INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [
        JSON.stringify(rows),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function seededOfficers(pool: pg.Pool): Promise<string[]> {
  // Disabled accounts with unusable password hashes: names on the timeline, never a way in.
  for (const [index, name] of officerNames.entries()) {
    await pool.query(
      `INSERT INTO officer (id, email, name, password_hash, role, disabled) VALUES ($1, $2, $3, '!seeded-account-cannot-sign-in', 'officer', true)
       ON CONFLICT (email) DO NOTHING`,
      [randomUUID(), `seeded-officer-${index + 1}@seed.invalid`, name],
    );
  }
  const { rows } = await pool.query<{ id: string }>(
    "SELECT id FROM officer WHERE email LIKE 'seeded-officer-%@seed.invalid' ORDER BY email",
  );
  return rows.map((row) => row.id);
}
