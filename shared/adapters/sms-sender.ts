import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { TransientError } from '../services/errors.js';
import type { TextSender } from '../services/ports.js';

const TRANSIENT = new Set(['ThrottlingException', 'InternalServerException', 'ServiceUnavailable', 'RequestTimeout']);

/**
 * Sends text messages through AWS End User Messaging SMS (SendTextMessage), from the origination
 * identity of the stage (a phone number, sender id or pool, `SMS_ORIGINATION_IDENTITY`).
 */
class EndUserMessagingSms implements TextSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly originationIdentity: string,
    private readonly configurationSet?: string,
  ) {}

  async sendText(message: { to: string; text: string; reference: string }): Promise<{ providerMessageId: string }> {
    try {
      const result = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          OriginationIdentity: this.originationIdentity,
          MessageBody: message.text,
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: this.configurationSet,
          Context: { reference: message.reference },
        }),
      );
      return { providerMessageId: result.MessageId ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      if (TRANSIENT.has(name) || status >= 500 || status === 429) throw new TransientError(`SMS refused for now: ${name}`, 'sms', { cause: error });
      throw error;
    }
  }
}

/** The stage's SMS sender, or undefined when no origination identity is configured (SMS acknowledgements are then skipped and recorded so). */
export function endUserMessagingSms(): TextSender | undefined {
  const identity = process.env.SMS_ORIGINATION_IDENTITY;
  return identity ? new EndUserMessagingSms(new PinpointSMSVoiceV2Client({}), identity, process.env.SMS_CONFIGURATION_SET) : undefined;
}
