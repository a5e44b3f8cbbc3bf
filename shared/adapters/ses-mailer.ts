import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { TransientError } from '../services/errors.js';
import type { Mailer } from '../services/ports.js';

const TRANSIENT = new Set(['Throttling', 'ThrottlingException', 'ServiceUnavailable', 'InternalFailure', 'RequestTimeout', 'TooManyRequestsException']);

/** Sends raw MIME through SES (SendRawEmail), so our own Message-ID and threading headers go out unchanged. */
class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly configurationSet?: string,
  ) {}

  async sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ providerMessageId: string }> {
    try {
      const result = await this.client.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          Source: envelope.from,
          Destinations: envelope.to,
          ConfigurationSetName: this.configurationSet,
        }),
      );
      return { providerMessageId: result.MessageId ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      if (TRANSIENT.has(name) || status >= 500 || status === 429) {
        throw new TransientError(`SES refused for now: ${name}`, 'ses', { cause: error });
      }
      throw error;
    }
  }
}

/** SES with the configuration set the stack names in SES_CONFIGURATION_SET (an `awsRuntime` part). */
export function sesMailer(): Mailer {
  return new SesMailer(new SESClient({}), process.env.SES_CONFIGURATION_SET);
}
