// A small HTTP client for the benchmarks: raw bytes on the wire (nothing decompressed behind our
// back), keep-alive, and a browser-like visitor that keeps its session cookie and CSRF token.
import http from 'node:http';
import { sessionCookieName } from '../../../src/middleware/session.ts';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent: compressed when the server compressed it. */
  body: Buffer;
  /** Approximate bytes of the status line and headers. */
  headerBytes: number;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Behind the TLS-terminating proxy production runs behind (TRUST_PROXY=1): Secure cookies flow. */
export const proxyHeaders = { 'x-forwarded-proto': 'https' } as const;
/** The session cookie's name there (production: Secure, so with the __Host- prefix). */
const sessionCookie = sessionCookieName(true);

export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const headerBytes =
          `HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\n`.length +
          response.rawHeaders.reduce((sum, part) => sum + part.length + 2, 0) + // "name: " and "value\r\n"
          2;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), headerBytes, ms: performance.now() - started });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

export const csrfTokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;

/** One browser: its cookie (the session), and the CSRF token from the last page that had one. */
export class Visitor {
  cookie = '';
  token = '';

  constructor(readonly origin: string) {}

  private remember(response: RawResponse): void {
    const setCookie = response.headers['set-cookie'] ?? [];
    for (const line of setCookie) {
      const pair = line.split(';')[0] ?? '';
      if (pair.startsWith(`${sessionCookie}=`)) this.cookie = pair;
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; location: string; text: string }> {
    const response = await rawRequest(this.origin + path, { headers: { ...proxyHeaders, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers } });
    this.remember(response);
    const text = response.body.toString('utf8');
    this.token = csrfTokenIn(text) ?? this.token;
    return { status: response.status, location: String(response.headers.location ?? ''), text };
  }

  async post(path: string, fields: Record<string, string | string[]>): Promise<{ status: number; location: string; text: string }> {
    if (!this.token) throw new Error(`No CSRF token yet for POST ${path}`);
    const response = await rawRequest(this.origin + path, {
      method: 'POST',
      headers: { ...proxyHeaders, cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ _csrf: this.token, ...fields }),
    });
    this.remember(response);
    const text = response.body.toString('utf8');
    this.token = csrfTokenIn(text) ?? this.token;
    return { status: response.status, location: String(response.headers.location ?? ''), text };
  }
}
