import type { DeadLetterQueues } from '../shared/services/context.js';
import { NotFoundError } from '../shared/services/errors.js';
import type { RuntimeJournal } from './journal.js';

/** The local queues that dead-letter (the names `npm run redrive` takes). */
export const LOCAL_QUEUES = ['inbound', 'notifications'] as const;

/**
 * The local runtime's dead letters for the console: read from the journal (never their bodies,
 * which hold customers' notices) and replayed with the journal's own redrive, the one
 * `npm run redrive` uses; `wake` lets the running queues pick the replayed messages up at once.
 */
export function journalDeadLetters(journal: RuntimeJournal, wake: () => void): DeadLetterQueues {
  return {
    list: async () =>
      LOCAL_QUEUES.map((queue) => {
        const letters = journal.deadLetters(queue).map(({ messageId, reason, receiveCount, at }) => ({ messageId, reason, receiveCount, at }));
        return { queue, count: letters.length, letters };
      }),
    replay: async (queue) => {
      if (!(LOCAL_QUEUES as readonly string[]).includes(queue)) throw new NotFoundError('dead-letter queue', queue);
      const moved = journal.redrive(queue);
      wake();
      return { status: 'moved', moved };
    },
  };
}
