// Breaking the database under a running portal: a separate connection terminates every other
// backend of the test database (pg_terminate_backend), again and again, as a failover, a restart
// of Postgres or a connection-killing proxy would.
import pg from 'pg';
import { query, testDatabaseUrl } from './database.ts';

/** How hard to kill: every `everyMs`, `perRound` backends (busy ones first), or all of them (0). */
export interface KillPattern {
  everyMs: number;
  perRound: number;
}

export class BackendKiller {
  /** Backends terminated so far. */
  killed = 0;
  /** Rounds of killing so far. */
  rounds = 0;
  private client: pg.Client | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private pattern: KillPattern = { everyMs: 300, perRound: 1 };

  /** Kills to `pattern` until `stop()` (`set()` changes the pattern on the way). */
  async start(pattern: KillPattern): Promise<void> {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    this.client = client;
    this.pattern = pattern;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        // A busy connection (a query running, or a transaction open) before an idle one: killing
        // those is what a resident can notice.
        const { rows } = await client.query<{ killed: number }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS killed
             FROM (SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                    ORDER BY state = 'idle', random() LIMIT $1) AS victims`,
          [this.pattern.perRound > 0 ? this.pattern.perRound : null],
        );
        this.killed += rows[0]?.killed ?? 0;
        this.rounds += 1;
        await new Promise((resolve) => setTimeout(resolve, this.pattern.everyMs));
      }
    })();
  }

  set(pattern: KillPattern): void {
    this.pattern = pattern;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop?.catch(() => undefined);
    this.loop = null;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

/**
 * Postgres terminates the connection that records an email as sent (the update of an outbox row
 * from "sending" to "sent"), the first `times` times it is tried: the mail server has accepted the
 * message and the database drops out just then. A sequence counts the tries, as it is not rolled
 * back with the transaction that dies. `remove()` takes the fault away and says how often it struck.
 */
export async function killConnectionsMarkingSent(times: number): Promise<{ remove(): Promise<number> }> {
  await query(`
    CREATE SEQUENCE faults_mark_sent_tries;
    CREATE FUNCTION faults_kill_mark_sent() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'sent' AND OLD.status = 'sending' THEN
        IF nextval('faults_mark_sent_tries') <= ${Number(times)} THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER faults_kill_mark_sent BEFORE UPDATE ON outbox_message FOR EACH ROW EXECUTE FUNCTION faults_kill_mark_sent();`);
  return {
    async remove() {
      const [tries] = await query<{ n: number }>(
        'SELECT CASE WHEN is_called THEN last_value ELSE 0 END::int AS n FROM faults_mark_sent_tries',
      );
      await query(`DROP TRIGGER IF EXISTS faults_kill_mark_sent ON outbox_message;
        DROP FUNCTION IF EXISTS faults_kill_mark_sent(); DROP SEQUENCE IF EXISTS faults_mark_sent_tries;`);
      return Math.min(tries?.n ?? 0, times);
    },
  };
}

/** A case that is missing any part a submission writes, by submission key, with what it has. */
export interface IncompleteCase {
  submission_key: string;
  incidents: number;
  people: number;
  statuses: number;
  audits: number;
  emails: number;
  draft_linked: boolean;
}

/**
 * Every case whose parts are not all there: its incidents (`incidents` each), the victim, the
 * first status, the audit entry, the two outbox emails, and its draft marked as submitted.
 */
export async function incompleteCases(incidents: number): Promise<IncompleteCase[]> {
  return query<IncompleteCase>(
    `SELECT c.submission_key,
            (SELECT count(*)::int FROM incident i WHERE i.case_id = c.id) AS incidents,
            (SELECT count(*)::int FROM person p WHERE p.case_id = c.id) AS people,
            (SELECT count(*)::int FROM status_change s WHERE s.case_id = c.id) AS statuses,
            (SELECT count(*)::int FROM audit_entry a WHERE a.case_id = c.id) AS audits,
            (SELECT count(*)::int FROM outbox_message o WHERE o.case_id = c.id) AS emails,
            EXISTS (SELECT 1 FROM draft d WHERE d.id::text = c.submission_key AND d.submitted_case_id = c.id) AS draft_linked
       FROM "case" c`,
  ).then((rows) =>
    rows.filter(
      (row) =>
        row.incidents !== incidents || row.people !== 1 || row.statuses !== 1 || row.audits !== 1 || row.emails !== 2 || !row.draft_linked,
    ),
  );
}

/**
 * The next `times` saves of a session (insert or update of a row of `session`) fail in Postgres,
 * as a save does when the database fails just then. Undone by `clearSessionSaveFaults()`.
 */
export async function failSessionSaves(times: number): Promise<void> {
  await query(`
    DROP SEQUENCE IF EXISTS faults_session_saves;
    CREATE SEQUENCE faults_session_saves;
    CREATE OR REPLACE FUNCTION faults_fail_session_save() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('faults_session_saves') <= ${Math.floor(times)} THEN RAISE EXCEPTION 'injected fault: session save fails'; END IF;
      RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS faults_fail_session_save ON session;
    CREATE TRIGGER faults_fail_session_save BEFORE INSERT OR UPDATE ON session FOR EACH ROW EXECUTE FUNCTION faults_fail_session_save();`);
}

export async function clearSessionSaveFaults(): Promise<void> {
  await query(`DROP TRIGGER IF EXISTS faults_fail_session_save ON session;
    DROP FUNCTION IF EXISTS faults_fail_session_save();
    DROP SEQUENCE IF EXISTS faults_session_saves;`);
}

/**
 * Runs `work` while `table` is locked, so the portal's query on it waits with its connection
 * busy; terminates the backends waiting on the lock (the connection dies under a running query,
 * as in a failover), then lets go of the lock. Returns what `work` returned and how many
 * backends were terminated.
 */
export async function killConnectionsWaitingOn<T>(table: string, work: () => Promise<T>): Promise<{ result: T; killed: number }> {
  const locker = new pg.Client({ connectionString: testDatabaseUrl });
  locker.on('error', () => undefined);
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${table.replace(/"/g, '""')}" IN ACCESS EXCLUSIVE MODE`);
    const pending = work();
    pending.catch(() => undefined);
    let killed = 0;
    const deadline = Date.now() + 10_000;
    while (killed === 0 && Date.now() < deadline) {
      const { rows } = await locker.query<{ killed: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
      );
      killed = rows[0]?.killed ?? 0;
      if (killed === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await locker.query('COMMIT');
    return { result: await pending, killed };
  } finally {
    await locker.end().catch(() => undefined);
  }
}
