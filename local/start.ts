import { startLocal } from './runtime.js';

/** `npm start`: the whole desk on this machine. Ctrl-C stops everything, DynamoDB Local included. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Everything the desk writes (raw mail, outbox, journal, DynamoDB Local's file, secrets) is this user's only.
process.umask(0o077);
const port = Number(process.env.PORT ?? 3000);
const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
const dataDir = process.env.DATA_DIR ?? '.data';

console.log('Starting Ticketline locally (DynamoDB Local on Java, HTTP, SMTP, queues, outbox)...');
const desk = await startLocal({ port, smtpPort, dataDir });
console.log(`
Ticketline is running.
  Customer form      ${desk.url}/            (English: ${desk.url}/?lang=en)
  Outbox             ${desk.url}/dev/outbox/view
  Tickets (JSON)     ${desk.url}/dev/tickets
  Local tools, clock ${desk.url}/dev
  Agent console      ${desk.url}/console/   (token: npm run token -- alice)
  SMTP intake        127.0.0.1:${desk.smtpPort}  (mail to support@support.example.com)
  Data folder        ${dataDir}
Press Ctrl-C to stop.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  const force = setTimeout(() => process.exit(1), 10_000);
  await desk.stop();
  clearTimeout(force);
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
