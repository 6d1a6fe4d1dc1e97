// A resident's browser over real HTTP, for the fault-injection tests: it keeps its session cookie
// and the CSRF token of the last page it loaded (the real token flow), follows nothing on its own,
// and never waits forever (a request that gets no answer fails after `timeoutMs`).
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { sessionCookieName } from '../../src/middleware/session.ts';
import { query } from './database.ts';
import { incident, victim, victimContact } from './journey.ts';

// The portal these helpers start runs with NODE_ENV=test: no Secure cookie, so no prefix.
const cookieName = sessionCookieName(false);

export interface Page {
  status: number;
  location: string;
  text: string;
}

/** How a request ended when no response came back: refused, reset, or timed out. */
export class NoResponseError extends Error {
  constructor(
    readonly code: string,
    path: string,
  ) {
    super(`${path}: no response (${code})`);
  }
}

export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  agent?: http.Agent;
  timeoutMs?: number;
}

/** One HTTP request; rejects with NoResponseError when the connection fails or goes silent. */
export function httpRequest(url: string, options: RequestOptions = {}): Promise<Page & { headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = http.request(
      target,
      {
        method: options.method ?? 'GET',
        // As a browser does: the portal compresses what it can, which changes how a response ends.
        headers: { 'accept-encoding': 'gzip', ...options.headers },
        agent: options.agent ?? keepAlive,
        timeout: options.timeoutMs ?? 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            location: String(response.headers.location ?? ''),
            text: bodyText(Buffer.concat(chunks), response.headers),
            headers: response.headers,
          }),
        );
        response.on('error', (error: NodeJS.ErrnoException) => reject(new NoResponseError(error.code ?? 'ERESPONSE', target.pathname)));
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => reject(new NoResponseError(error.code ?? 'EREQUEST', target.pathname)));
    request.end(options.body);
  });
}

/** The body as text, gunzipped when it came compressed. */
function bodyText(body: Buffer, headers: http.IncomingHttpHeaders): string {
  return (headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
}

// Reused connections make filling hundreds of drafts cheap; the fault tests that kill or stop
// the server use fresh connections instead (see `fresh`), so a reset is never a stale socket.
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 32 });
/** No connection reuse: each request opens (and closes) its own. */
export const fresh = new http.Agent({ keepAlive: false });

export const csrfTokenIn = (html: string): string | null => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
export const referenceIn = (html: string): string | null => /ASB-\d{4}-[0-9A-Z]{6}/.exec(html)?.[0] ?? null;

/** The wording of views/errors/problem.ejs: the resident is told to try again. */
export function isTryAgainPage(page: Page): boolean {
  return (
    (page.status === 500 || page.status === 503) &&
    page.text.includes('Sorry, there is a problem with the service') &&
    page.text.includes('Try again') &&
    page.text.includes('Your answers so far have been saved')
  );
}

export class Resident {
  cookie = '';
  token = '';
  submissionKey = '';

  constructor(
    public origin: string,
    /** A number that makes this resident's answers (name, email) their own. */
    readonly n: number,
    private readonly agent: http.Agent = keepAlive,
  ) {}

  get name(): string {
    return `Fault Resident ${this.n}`;
  }

  get email(): string {
    return `resident-${this.n}@example.test`;
  }

  private remember(response: { headers: http.IncomingHttpHeaders; text: string }): void {
    for (const line of response.headers['set-cookie'] ?? []) {
      const pair = line.split(';')[0] ?? '';
      if (pair.startsWith(`${cookieName}=`)) this.cookie = pair;
    }
    this.token = csrfTokenIn(response.text) ?? this.token;
  }

  async get(path: string): Promise<Page> {
    const response = await httpRequest(this.origin + path, { headers: this.cookie ? { cookie: this.cookie } : {}, agent: this.agent });
    this.remember(response);
    return response;
  }

  async post(path: string, fields: Record<string, string | string[]>, agent: http.Agent = this.agent): Promise<Page> {
    if (!this.token) throw new Error(`No CSRF token yet for POST ${path}`);
    const response = await httpRequest(this.origin + path, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ _csrf: this.token, ...fields }),
      agent,
    });
    this.remember(response);
    return response;
  }

  /**
   * Answers every page of the form for themselves (`incidents` incidents), through real POSTs
   * with the page's token, and ends on check-your-answers holding its submission key.
   */
  async fillApplication(incidents = 2): Promise<void> {
    const first = await this.get('/apply/who-is-applying');
    if (first.status !== 200 || !this.token) throw new Error(`GET /apply/who-is-applying gave ${first.status}`);
    const step = async (slug: string, fields: Record<string, string | string[]>, next: string) => {
      const response = await this.post(`/apply/${slug}`, fields);
      if (response.status !== 303 || response.location !== `/apply/${next}`) {
        throw new Error(`POST /apply/${slug} gave ${response.status} to ${response.location}`);
      }
    };
    await step('who-is-applying', { applyingAs: 'self' }, 'victim-type');
    await step('victim-type', { victimType: 'person' }, 'victim-details');
    await step('victim-details', { ...victim, fullName: this.name }, 'victim-contact');
    await step('victim-contact', { ...victimContact, email: this.email }, 'incidents');
    for (let i = 1; i <= incidents; i += 1) await step('incident-details', incident(i), 'incidents');
    await step('incidents', { addAnother: 'no' }, 'related-incidents');
    await step('related-incidents', { incidentsRelated: 'yes', otherHouseholds: 'no', householdsCount: '' }, 'impact');
    await step(
      'impact',
      { impact: 'We cannot sleep and the children are frightened.', vulnerable: 'no', vulnerability: '', hateMotivated: 'no' },
      'action-so-far',
    );
    await step(
      'action-so-far',
      { actionSoFar: 'Reported to the council and police; a warning letter was sent.', hopedOutcome: 'For the noise to stop.' },
      'check-answers',
    );
    const check = await this.get('/apply/check-answers');
    const key = /name="submissionKey" value="([^"]+)"/.exec(check.text)?.[1];
    if (check.status !== 200 || !key) throw new Error(`GET /apply/check-answers gave ${check.status}`);
    this.submissionKey = key;
  }

  /** Presses "Accept and send" on check-your-answers with the declaration ticked. */
  send(agent?: http.Agent): Promise<Page> {
    return this.post('/apply/check-answers', { submissionKey: this.submissionKey, declaration: 'yes' }, agent);
  }
}

/** Whether a response to "send" is the redirect to the confirmation page. */
export const isConfirmed = (page: Page): boolean => page.status === 303 && page.location === '/apply/confirmation';

/** Runs `work(i)` for i in [0, count) with at most `concurrency` at once; results in order. */
export async function inParallel<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

/** `count` residents, each with a complete application waiting on check-your-answers. */
export async function residentsWithDrafts(
  origin: string,
  count: number,
  options: { from?: number; concurrency?: number; incidents?: number } = {},
): Promise<Resident[]> {
  const from = options.from ?? 1;
  return inParallel(count, options.concurrency ?? 8, async (i) => {
    const resident = new Resident(origin, from + i);
    await resident.fillApplication(options.incidents);
    return resident;
  });
}

/**
 * `count` more residents with complete applications, cheaply, for loads of hundreds: each opens
 * the form in its own browser (a real session and CSRF token from a real GET), and is given a copy
 * of `template`'s draft, with its own name and email, as though it had typed it in. Whether the app
 * takes each copy as complete is for the submission to show: an incomplete one would be sent back
 * to the form, not confirmed.
 */
export async function residentsLike(
  template: Resident,
  count: number,
  options: { from: number; concurrency?: number },
): Promise<Resident[]> {
  const residents = await inParallel(count, options.concurrency ?? 16, async (i) => {
    const resident = new Resident(template.origin, options.from + i);
    const page = await resident.get('/apply/who-is-applying');
    if (page.status !== 200 || !resident.token || !resident.cookie) throw new Error(`GET /apply/who-is-applying gave ${page.status}`);
    return resident;
  });
  // The cookie is `s:<sid>.<signature>`, URL-encoded.
  const sids = residents.map((resident) => /^s:([^.]+)\./.exec(decodeURIComponent(resident.cookie.slice(`${cookieName}=`.length)))?.[1] ?? '');
  const linked = await query<{ sid: string; draft_id: string }>(
    `WITH wanted AS (
       SELECT sid, name, email, gen_random_uuid() AS draft_id
         FROM unnest($2::text[], $3::text[], $4::text[]) AS w(sid, name, email)
     ), drafts AS (
       INSERT INTO draft (id, answers, updated_at)
       SELECT w.draft_id,
              jsonb_set(jsonb_set(d.answers, '{steps,victim-details,fullName}', to_jsonb(w.name)), '{steps,victim-contact,email}', to_jsonb(w.email)),
              now()
         FROM wanted w CROSS JOIN draft d WHERE d.id = $1::uuid
       RETURNING id
     )
     UPDATE session s SET data = jsonb_set(s.data, '{draftId}', to_jsonb(w.draft_id::text))
       FROM wanted w WHERE s.sid = w.sid AND w.draft_id IN (SELECT id FROM drafts)
     RETURNING s.sid, w.draft_id::text AS draft_id`,
    [template.submissionKey, sids, residents.map((resident) => resident.name), residents.map((resident) => resident.email)],
  );
  if (linked.length !== count) throw new Error(`Gave ${linked.length} of ${count} residents a draft`);
  const draftOf = new Map(linked.map((row) => [row.sid, row.draft_id]));
  residents.forEach((resident, i) => {
    // The submission key on check-your-answers is the draft's id.
    resident.submissionKey = draftOf.get(sids[i] ?? '') ?? '';
  });
  return residents;
}

/**
 * A form POST held open part-way: the headers and half the body are sent, so the server has the
 * request in hand; `finish()` sends the rest and waits for the response. A slow connection (or a
 * large form) looks like this to the server.
 */
export function heldSubmission(resident: Resident): { response: Promise<Page>; finish(): void } {
  const body = formBody({ _csrf: resident.token, submissionKey: resident.submissionKey, declaration: 'yes' });
  const half = Math.floor(body.length / 2);
  const target = new URL(`${resident.origin}/apply/check-answers`);
  let request: http.ClientRequest | null = null;
  const response = new Promise<Page>((resolve, reject) => {
    request = http.request(
      target,
      {
        method: 'POST',
        // Kept alive afterwards, as a browser would: shutdown must not wait on the idle connection.
        agent: new http.Agent({ keepAlive: true }),
        timeout: 20_000,
        headers: {
          cookie: resident.cookie,
          'accept-encoding': 'gzip',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: String(res.headers.location ?? ''),
            text: bodyText(Buffer.concat(chunks), res.headers),
          }),
        );
        res.on('error', (error: NodeJS.ErrnoException) => reject(new NoResponseError(error.code ?? 'ERESPONSE', target.pathname)));
      },
    );
    request.on('timeout', () => request?.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => reject(new NoResponseError(error.code ?? 'EREQUEST', target.pathname)));
    request.flushHeaders();
    request.write(body.slice(0, half));
  });
  return {
    response,
    finish: () => {
      request?.end(body.slice(half));
    },
  };
}
