// The submission benchmark: complete drafts (prepared first) sent from check-your-answers all at
// once, `concurrency` in flight, then every one looked up in the database with its emails.
import pg from 'pg';
import { formBody, proxyHeaders, rawRequest } from './http.ts';
import { percentile } from './load.ts';
import type { CompleteDraft } from './sessions.ts';

export interface SubmitResult {
  sent: number;
  confirmed: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  seconds: number;
  failures: string[];
}

export async function submitAll(origin: string, drafts: CompleteDraft[], concurrency: number): Promise<SubmitResult> {
  const times: number[] = [];
  const failures: string[] = [];
  let next = 0;
  let confirmed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, drafts.length) }, async () => {
      while (next < drafts.length) {
        const draft = drafts[next++] as CompleteDraft;
        const response = await rawRequest(`${origin}/apply/check-answers`, {
          method: 'POST',
          headers: { ...proxyHeaders, cookie: draft.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: formBody({ _csrf: draft.token, submissionKey: draft.submissionKey, declaration: 'yes' }),
        });
        times.push(response.ms);
        if (response.status === 303 && response.headers.location === '/apply/confirmation') confirmed += 1;
        else failures.push(`${draft.submissionKey}: ${response.status} ${response.headers.location ?? ''}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    sent: drafts.length,
    confirmed,
    perSecond: drafts.length / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    seconds,
    failures,
  };
}

export interface Stored {
  cases: number;
  /** Cases with their acknowledgement and the officers' notice in the outbox. */
  withEmails: number;
  missing: string[];
}

/** Each submitted draft's case, and its two outbox emails (acknowledgement, officers' notice). */
export async function checkStored(databaseUrl: string, drafts: CompleteDraft[]): Promise<Stored> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ submission_key: string; acknowledgements: number; notices: number }>(
      `SELECT c.submission_key,
              count(o.id) FILTER (WHERE o.kind = 'acknowledgement')::int AS acknowledgements,
              count(o.id) FILTER (WHERE o.kind = 'new-application')::int AS notices
         FROM "case" c LEFT JOIN outbox_message o ON o.case_id = c.id
        WHERE c.submission_key = ANY($1::text[])
        GROUP BY c.submission_key`,
      [drafts.map((draft) => draft.submissionKey)],
    );
    const found = new Map(rows.map((row) => [row.submission_key, row]));
    const missing = drafts.map((draft) => draft.submissionKey).filter((key) => !found.has(key));
    return {
      cases: rows.length,
      withEmails: rows.filter((row) => row.acknowledgements === 1 && row.notices === 1).length,
      missing,
    };
  } finally {
    await client.end();
  }
}
