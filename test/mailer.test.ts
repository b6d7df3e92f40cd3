import { createMailer } from '../mail/mailer';
import { startSmtpSink } from './helpers/smtp-sink';

it('sends an e-mail through SMTP that arrives as written', async () => {
  const sink = await startSmtpSink();
  const mailer = createMailer({ smtpUrl: sink.url, from: 'Council <no-reply@example.gov.uk>' });
  try {
    await mailer.send({ to: 'resident@example.com', subject: 'Your request to speak', text: 'Reference SPK-123' });
    const m = await sink.waitForMessage((x) => x.subject === 'Your request to speak');
    expect(m.text).toContain('Reference SPK-123');
  } finally {
    mailer.close();
    await sink.close();
  }
});
