import { TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../shared/adapters/aws-clients.js';
import { ensureTable } from '../../shared/adapters/table-setup.js';
import { median } from '../capacity.js';
import { cpuMs, processCpuMs, round, type BenchSection } from '../section.js';
import { benchDesk, httpEvent, lambdaContext, UNLIMITED_INTAKE, type BenchDesk } from '../support.js';

const SAMPLES = 60;
const BLOCK = 10;

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
      if (typeof body === 'string') into.push({ command: String(context.commandName).replace(/Command$/, ''), input: JSON.parse(body) as Record<string, unknown> });
      return next(args);
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
 */
export const section: BenchSection = {
  name: 'intake',
  title: 'Form intake: one POST /tickets against the storage floor',
  order: 20,
  async run(context) {
    const desk = await benchDesk(context.dynamoEndpoint, 'form', UNLIMITED_INTAKE);
    const recorded: Recorded[] = [];
    record(desk.client, recorded);
    await postForm(desk, -1); // warm-up: templates, first table access, JIT
    const floorClient = createDynamoDbClient({ endpoint: context.dynamoEndpoint });
    const floorTable = `${desk.tableName}-floor`;
    await ensureTable(floorClient, floorTable);
    const replay = async (call: Recorded) => {
      // The SDK fills in a fresh idempotency token, as it did for the recorded call.
      const { ClientRequestToken: _token, ...input } = retarget(call.input, desk.tableName, floorTable);
      if (call.command === 'UpdateItem') await floorClient.send(new UpdateItemCommand(input as never));
      else if (call.command === 'TransactWriteItems') await floorClient.send(new TransactWriteItemsCommand(input as never));
    };
    for (const call of recorded.splice(0)) await replay(call); // warm the floor client the same way

    desk.meter.reset();
    const intakeWall: number[] = [];
    const floorWall: number[] = [];
    let intakeCpu = 0;
    let floorCpu = 0;
    let floorCalls = 0;
    const bothCpu = () => cpuMs() + (processCpuMs(context.dynamoPid) ?? 0);
    for (let start = 0; start < SAMPLES; start += BLOCK) {
      let cpu = bothCpu();
      const calls: Recorded[][] = [];
      for (let i = start; i < start + BLOCK; i += 1) {
        const began = performance.now();
        await postForm(desk, i);
        intakeWall.push(performance.now() - began);
        calls.push(recorded.splice(0));
      }
      intakeCpu += bothCpu() - cpu;
      cpu = bothCpu();
      for (const perPost of calls) {
        const began = performance.now();
        for (const call of perPost) {
          if (call.command !== 'UpdateItem' && call.command !== 'TransactWriteItems') continue;
          floorCalls += 1;
          await replay(call);
        }
        floorWall.push(performance.now() - began);
      }
      floorCpu += bothCpu() - cpu;
    }
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
          note: `${round(intakeCpu / SAMPLES)} vs ${round(floorCpu / SAMPLES)} ms CPU per post (this process + DynamoDB Local), ${round(floorCalls / SAMPLES, 1)} floor calls per post`,
        },
        { key: 'intakeToFloorWall', label: 'form intake / storage floor (wall)', value: wallRatio, unit: 'x', note: `medians ${round(median(intakeWall))} vs ${round(median(floorWall))} ms, interleaved blocks of ${BLOCK}` },
        { key: 'callsPerFormTicket', label: 'DynamoDB calls per new form ticket', value: perFormTicket.calls, note: Object.entries(perFormTicket.byOperation).map(([op, n]) => `${op} ${n}`).join(', ') },
        { key: 'intakeToPutItem', label: 'form intake / bare PutItem (wall)', value: round(median(intakeWall) / median(putMs)), unit: 'x', note: `${round(median(putMs))} ms per PutItem` },
      ],
      units: { formTicket: perFormTicket },
      detail: { intakeMedianMs: round(median(intakeWall)), floorMedianMs: round(median(floorWall)), putItemMedianMs: round(median(putMs)), intakeCpuMsPerPost: round(intakeCpu / SAMPLES), floorCpuMsPerPost: round(floorCpu / SAMPLES) },
    };
  },
};
