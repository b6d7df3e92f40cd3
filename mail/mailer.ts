// Sending e-mail (nodemailer). With SMTP_URL set, through the council's mail relay; without it
// (the demo), each message is written to .data/outbox as an .eml file an officer can open.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export function createMailer(opts: { smtpUrl?: string; from: string; outboxDir?: string }): Mailer {
  const transport: Transporter = opts.smtpUrl
    ? nodemailer.createTransport(opts.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const outbox = opts.outboxDir ?? path.resolve(__dirname, '..', '.data', 'outbox');
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: opts.from, ...mail });
      if (!opts.smtpUrl) {
        fs.mkdirSync(outbox, { recursive: true });
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9]/g, '')}.eml`;
        fs.writeFileSync(path.join(outbox, name), (info as unknown as { message: Buffer }).message);
      }
      return { messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}
