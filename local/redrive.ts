import { SQSClient } from '@aws-sdk/client-sqs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqsRedrive } from '../shared/adapters/sqs-redrive.js';
import { RuntimeJournal } from './journal.js';

/**
 * `npm run redrive -- <queue>`: puts the dead letters of a queue back on it.
 *
 * - Locally (default): `<queue>` is `inbound` or `notifications`; the dead letters in DATA_DIR's
 *   journal (`--data-dir`, default `.data`) move back onto the queue in one transaction. A running
 *   `npm start` picks them up within a second; otherwise they are delivered at the next start.
 * - On AWS (`--aws`): `<queue>` is the dead-letter queue's ARN (stack outputs or `aws sqs
 *   list-queues`); SQS's StartMessageMoveTask moves its messages back to the queue they came from
 *   (or `--to <queue ARN>`). Uses the usual AWS credentials and region of the shell.
 *
 * Both are idempotent: a second run moves nothing more (or reports the running move task), and the
 * handlers' dedupe keys make a replayed message that was in fact processed harmless.
 */
export async function main(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const option = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const queue = argv.find((arg, index) => !arg.startsWith('--') && !argv[index - 1]?.match(/^--(data-dir|to|rate)$/));
  if (!queue) {
    print('usage: npm run redrive -- <inbound|notifications> [--data-dir .data]\n       npm run redrive -- <dead-letter queue ARN> --aws [--to <queue ARN>] [--rate <messages per second>]');
    return 2;
  }
  if (argv.includes('--aws')) {
    if (!queue.startsWith('arn:aws')) {
      print(`--aws needs the dead-letter queue's ARN, not "${queue}"`);
      return 2;
    }
    const result = await new SqsRedrive(new SQSClient({})).redrive({ sourceArn: queue, destinationArn: option('to'), maxMessagesPerSecond: option('rate') ? Number(option('rate')) : undefined });
    print(
      result.status === 'started'
        ? `redrive started for ${queue} (task ${result.taskHandle}); watch it with: aws sqs list-message-move-tasks --source-arn ${queue}`
        : `a redrive of ${queue} is already running (${result.movedSoFar ?? '?'} of ${result.toMove ?? '?'} moved); nothing new started`,
    );
    return 0;
  }
  if (queue !== 'inbound' && queue !== 'notifications') {
    print(`unknown local queue "${queue}": use inbound or notifications`);
    return 2;
  }
  const dataDir = resolve(option('data-dir') ?? process.env.DATA_DIR ?? '.data');
  const journal = new RuntimeJournal(join(dataDir, 'runtime.sqlite'));
  try {
    const moved = journal.redrive(queue);
    print(`${moved} dead letter(s) of ${queue} moved back onto the queue in ${dataDir}${moved > 0 ? ' (a running `npm start` delivers them within a second)' : ''}`);
  } finally {
    journal.close();
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
