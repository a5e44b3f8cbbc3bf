import { TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../shared/adapters/aws-clients.js';
import { ensureTable } from '../../shared/adapters/table-setup.js';
import { median } from '../capacity.js';
import { cpuMs, processCpuMs, round, type BenchSection } from '../section.js';
import { benchDesk, httpEvent, lambdaContext, UNLIMITED_INTAKE, type BenchDesk } from '../support.js';

const SAMPLES = 160;
const BLOCK = 10;
const WARM_UP_BLOCKS = 20;

const { createFormIntakeHandler } = await import('../../functions/form-intake/handler.js');

const formBody = (i: number) => JSON.stringify({ description: `支付失败，订单无法完成 (${i})`, email: `bench-${i}@customer.example`, name: '张三' });

async function postForm(desk: BenchDesk, i: number): Promise<void> {
  const handler = createFormIntakeHandler(async () => desk.runtime);
  const response = (await handler(httpEvent('POST', '/tickets', formBody(i), { 'content-type': 'application/json', 'idempotency-key': `bench-${i}` }), lambdaContext('form-intake'))) as { statusCode: number };
  if (response.statusCode !== 201) throw new Error(`form post answered ${response.statusCode}`);
}

interface Recorded {
  command: string;
  input: Record<string, unknown>;
  /** The call was refused by its condition (a counter's remembered requests full: the store then counts plainly). */
  conditionFailed?: boolean;
}

/**
 * Records the wire-level input (the JSON body after marshalling) of every DynamoDB call the store
 * makes, so the storage floor can issue exactly the same requests with nothing of ours around them.
 */
function record(client: DynamoDBClient, into: Recorded[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const raw = (args.request as { body?: unknown } | undefined)?.body;
      const body = raw instanceof Uint8Array ? new TextDecoder().decode(raw) : raw;
      if (typeof body !== 'string') return next(args);
      const call: Recorded = { command: String(context.commandName).replace(/Command$/, ''), input: JSON.parse(body) as Record<string, unknown> };
      into.push(call);
      try {
        return await next(args);
      } catch (error) {
        call.conditionFailed = (error as Error).name === 'ConditionalCheckFailedException';
        throw error;
      }
    },
    { step: 'build', priority: 'low', name: 'benchRecorder' },
  );
}

function retarget<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') return (value === from ? to : value) as T;
  if (Array.isArray(value)) return value.map((entry) => retarget(entry, from, to)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, retarget(entry, from, to)])) as T;
  return value;
}

/**
 * Form intake against the raw storage floor: every form post's counter update and ticket
 * transaction, recorded on the wire, are issued again directly (low-level client, inputs already
 * marshalled) against a second fresh table of the same DynamoDB Local. Intake and floor run in
 * alternating blocks, and each side's CPU time counts both this process and DynamoDB Local, so
 * other load on the machine does not land on one side only.
 *
 * DynamoDB Local is a JVM: its CPU per request falls about fivefold over the first few hundred
 * requests as its JIT warms up (measured 1 December: 114 → 17 ms per post over 240 posts). Measured
 * cold, whichever side ran first in each round paid for that warm-up, and the ratio read 1.2–1.5×
 * with the same calls on both sides. So both sides are warmed first (WARM_UP_BLOCKS), and the order
 * alternates every round, so what drift is left falls on both sides alike.
 */
export const section: BenchSection = {
  name: 'intake',
  title: 'Form intake: one POST /tickets against the storage floor',
  order: 20,
  async run(context) {
    const desk = await benchDesk(context.dynamoEndpoint, 'form', UNLIMITED_INTAKE);
    const recorded: Recorded[] = [];
    record(desk.client, recorded);
    const floorClient = createDynamoDbClient({ endpoint: context.dynamoEndpoint });
    const floorTable = `${desk.tableName}-floor`;
    await ensureTable(floorClient, floorTable);
    const replay = async (call: Recorded) => {
      // The SDK fills in a fresh idempotency token, as it did for the recorded call.
      const { ClientRequestToken: _token, ...input } = retarget(call.input, desk.tableName, floorTable);
      try {
        if (call.command === 'UpdateItem') await floorClient.send(new UpdateItemCommand(input as never));
        else if (call.command === 'TransactWriteItems') await floorClient.send(new TransactWriteItemsCommand(input as never));
      } catch (error) {
        // A call the store's condition refused is refused on the floor too: same work, same outcome.
        if (!call.conditionFailed || (error as Error).name !== 'ConditionalCheckFailedException') throw error;
        return;
      }
      if (call.conditionFailed) throw new Error(`the floor's ${call.command} passed a condition the store's failed`);
    };

    const intakeWall: number[] = [];
    const floorWall: number[] = [];
    const cpu = { intake: 0, floor: 0, intakeOwn: 0, floorOwn: 0 };
    let floorCalls = 0;
    let next = -(WARM_UP_BLOCKS + 1) * BLOCK;
    // Blocks of posts whose recorded calls the floor has not replayed yet (each can be replayed once:
    // the dedupe record and the ticket are conditional puts).
    const pending: Recorded[][][] = [];
    const bothCpu = () => cpuMs() + (processCpuMs(context.dynamoPid) ?? 0);
    const intakeBlock = async (measured: boolean) => {
      const [both, own] = [bothCpu(), cpuMs()];
      const calls: Recorded[][] = [];
      for (let i = 0; i < BLOCK; i += 1) {
        const began = performance.now();
        await postForm(desk, next++);
        if (measured) intakeWall.push(performance.now() - began);
        calls.push(recorded.splice(0));
      }
      if (measured) [cpu.intake, cpu.intakeOwn] = [cpu.intake + bothCpu() - both, cpu.intakeOwn + cpuMs() - own];
      pending.push(calls);
    };
    const floorBlock = async (measured: boolean) => {
      const [both, own] = [bothCpu(), cpuMs()];
      for (const perPost of pending.shift() ?? []) {
        const began = performance.now();
        for (const call of perPost) {
          if (call.command !== 'UpdateItem' && call.command !== 'TransactWriteItems') continue;
          if (measured) floorCalls += 1;
          await replay(call);
        }
        if (measured) floorWall.push(performance.now() - began);
      }
      if (measured) [cpu.floor, cpu.floorOwn] = [cpu.floor + bothCpu() - both, cpu.floorOwn + cpuMs() - own];
    };
    // Warm both sides alike (templates, JIT in this process and in DynamoDB Local, connections),
    // then keep one recorded block in hand so the floor can go first in every other round: the
    // order alternates (intake-floor, floor-intake, ...), so a drift in either process (JIT, GC,
    // a neighbour's load) falls on both sides alike instead of always on the one that goes first.
    for (let block = 0; block < WARM_UP_BLOCKS; block += 1) {
      await intakeBlock(false);
      await floorBlock(false);
    }
    await intakeBlock(false);
    desk.meter.reset();
    for (let round = 0; round < SAMPLES / BLOCK; round += 1) {
      if (round % 2 === 0) {
        await intakeBlock(true);
        await floorBlock(true);
      } else {
        await floorBlock(true);
        await intakeBlock(true);
      }
    }
    const intakeCpu = cpu.intake;
    const floorCpu = cpu.floor;
    const perFormTicket = desk.meter.take(SAMPLES);

    const document = createDocumentClient(createDynamoDbClient({ endpoint: context.dynamoEndpoint }));
    const putMs: number[] = [];
    for (let i = -5; i < SAMPLES; i += 1) {
      const began = performance.now();
      await document.send(new PutCommand({ TableName: desk.tableName, Item: { pk: `BENCH#${i}`, sk: 'PUT', value: 'x'.repeat(200) } }));
      if (i >= 0) putMs.push(performance.now() - began);
    }
    const cpuRatio = floorCpu > 0 ? round(intakeCpu / floorCpu) : Number.NaN;
    const wallRatio = round(median(intakeWall) / median(floorWall));
    return {
      figures: [
        {
          key: 'intakeToFloorCpu',
          label: 'form intake / storage floor (CPU)',
          value: cpuRatio,
          unit: 'x',
          goal: { op: '<=', target: 1.5 },
          note: `${round(intakeCpu / SAMPLES)} vs ${round(floorCpu / SAMPLES)} ms CPU per post (this process + DynamoDB Local; this process alone ${round(cpu.intakeOwn / SAMPLES)} vs ${round(cpu.floorOwn / SAMPLES)}), ${round(floorCalls / SAMPLES, 1)} floor calls per post`,
        },
        { key: 'intakeToFloorWall', label: 'form intake / storage floor (wall)', value: wallRatio, unit: 'x', note: `medians ${round(median(intakeWall))} vs ${round(median(floorWall))} ms, interleaved blocks of ${BLOCK}` },
        { key: 'callsPerFormTicket', label: 'DynamoDB calls per new form ticket', value: perFormTicket.calls, note: Object.entries(perFormTicket.byOperation).map(([op, n]) => `${op} ${n}`).join(', ') },
        { key: 'intakeToPutItem', label: 'form intake / bare PutItem (wall)', value: round(median(intakeWall) / median(putMs)), unit: 'x', note: `${round(median(putMs))} ms per PutItem` },
      ],
      units: { formTicket: perFormTicket },
      detail: { intakeMedianMs: round(median(intakeWall)), floorMedianMs: round(median(floorWall)), putItemMedianMs: round(median(putMs)), intakeCpuMsPerPost: round(intakeCpu / SAMPLES), floorCpuMsPerPost: round(floorCpu / SAMPLES), intakeProcessCpuMsPerPost: round(cpu.intakeOwn / SAMPLES), floorProcessCpuMsPerPost: round(cpu.floorOwn / SAMPLES) },
    };
  },
};
