// The mail server's failure modes, on one port, around the real SMTP peer of tests/helpers/smtp.ts:
// up (the real peer), refusing (nothing listens: ECONNREFUSED) and hanging (TCP is accepted but
// the greeting never comes, as a wedged mail relay or a black-holing firewall does).
import { createServer, type Server, type Socket } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { TestSmtpServer } from './smtp.ts';

export type SmtpMode = 'up' | 'refusing' | 'hanging';

export class FaultySmtp {
  readonly peer = new TestSmtpServer();
  mode: SmtpMode = 'refusing';
  /** Connections the hanging server accepted (and never answered). */
  hungConnections = 0;
  private hanging: Server | null = null;
  private readonly sockets = new Set<Socket>();

  get port(): number {
    return this.peer.port;
  }

  get messages(): ParsedMail[] {
    return this.peer.messages;
  }

  /** Starts in `mode`; the port stays the same whichever mode comes next. */
  async begin(mode: SmtpMode): Promise<void> {
    await this.peer.start(); // picks the port
    await this.set(mode);
  }

  async set(mode: SmtpMode): Promise<void> {
    await this.stopHanging();
    if (mode === 'up') await this.peer.start();
    else await this.peer.stop();
    if (mode === 'hanging') await this.startHanging();
    this.mode = mode;
  }

  async end(): Promise<void> {
    await this.stopHanging();
    await this.peer.stop();
  }

  private async startHanging(): Promise<void> {
    const server = createServer((socket) => {
      this.hungConnections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined); // the client giving up resets the socket
      // Say nothing, ever.
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.peer.port, '127.0.0.1', () => resolve());
    });
    this.hanging = server;
  }

  private async stopHanging(): Promise<void> {
    const server = this.hanging;
    this.hanging = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** How many messages the peer received whose subject names each reference, to the given address. */
export function deliveriesByReference(
  messages: ParsedMail[],
  references: string[],
): Map<string, { toResident: number; toOfficers: number }> {
  const counts = new Map(references.map((reference) => [reference, { toResident: 0, toOfficers: 0 }]));
  for (const mail of messages) {
    const reference = /ASB-\d{4}-[0-9A-Z]{6}/.exec(mail.subject ?? '')?.[0];
    const entry = reference ? counts.get(reference) : undefined;
    if (!entry) continue;
    if (mail.subject?.startsWith('New ASB Case Review application')) entry.toOfficers += 1;
    else entry.toResident += 1;
  }
  return counts;
}

/** The address each message went to, for checking an acknowledgement reached its own resident. */
export function recipientOf(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address?.toLowerCase() ?? '';
}
