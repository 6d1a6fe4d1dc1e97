import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  describe(): string;
  close(): void;
}

/**
 * The Message-ID of an outbox message: the same on every attempt (the outbox row's id at the
 * sender's mail domain), so a receiving server that has seen it can drop a repeat.
 */
export function messageIdFor(outboxId: string, from: string): string {
  const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? 'localhost';
  return `<${outboxId}@${domain}>`;
}

/**
 * SMTP through nodemailer with short timeouts (its defaults are minutes long), or, with no SMTP
 * server configured, each message written as an .eml file a person can open.
 */
export function createMailer(mail: Config['mail'], logger: Logger): Mailer {
  if (mail.smtp) {
    const smtp = mail.smtp;
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      // A few reused connections: a burst of acknowledgements does not open one connection each.
      pool: true,
      maxConnections: 3,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
      dnsTimeout: smtp.timeoutMs,
    });
    return {
      async send(email) {
        await transport.sendMail({
          from: mail.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: messageIdFor(email.id, mail.from),
        });
      },
      describe: () => `SMTP ${smtp.host}:${smtp.port}`,
      close: () => transport.close(),
    };
  }

  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(email) {
      const info = await transport.sendMail({
        from: mail.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: messageIdFor(email.id, mail.from),
      });
      await mkdir(mail.fileDir, { recursive: true });
      const file = path.join(mail.fileDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${email.id}.eml`);
      await writeFile(file, info.message as Buffer);
      logger.info({ file }, 'email written to file (no SMTP server configured)');
    },
    describe: () => `files in ${mail.fileDir}`,
    close: () => undefined,
  };
}
