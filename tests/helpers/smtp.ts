import { createServer, type Server } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback that keeps what it receives. `stop()` closes it so the portal
 * sees connection refused (the mail server is down); `start()` brings it back on the same port.
 */
export class TestSmtpServer {
  readonly messages: ParsedMail[] = [];
  /** Recipients the server refuses for good (550), to test permanent failures. */
  readonly refuse = new Set<string>();
  /** How long the server takes to answer a message's data (a slow relay), in ms. */
  delayMs = 0;
  port = 0;
  private server: SMTPServer | null = null;

  async start(): Promise<void> {
    if (this.server) return;
    if (!this.port) this.port = await freePort();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address.toLowerCase())) return callback(new Error('550 Mailbox unavailable'));
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
            this.messages.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((mail) => JSON.stringify(mail.to ?? '').toLowerCase().includes(address.toLowerCase()));
  }

  /** Waits until `count` messages have arrived (or fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`Expected ${count} emails, got ${this.messages.length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.messages;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe: Server = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
