import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ephemeralPortRange, freePort } from '../../local/dynamodb-local.js';

/**
 * The ports the local runtime, DynamoDB Local and the test desks are started on. A port the OS
 * hands out with listen(0) comes from the ephemeral range, where any outgoing connection of any
 * process may take it as its source port before the server binds it (EADDRINUSE at start-up, or at
 * a restart on the same port after kill -9): `freePort` picks below that range instead.
 */
const folder = mkdtempSync(join(tmpdir(), 'ticketline-ports-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const listens = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe('free ports for servers started later', () => {
  it('reads the kernel ephemeral range, and nothing from a missing or garbled file', () => {
    const file = join(folder, 'range');
    writeFileSync(file, '32768\t60999\n');
    expect(ephemeralPortRange(file)).toEqual({ low: 32768, high: 60999 });
    writeFileSync(file, 'not a range');
    expect(ephemeralPortRange(file)).toBeUndefined();
    expect(ephemeralPortRange(join(folder, 'missing'))).toBeUndefined();
  });

  it.runIf(ephemeralPortRange() !== undefined)('picks ports below the ephemeral range, which outgoing connections never take, and each can be listened on', async () => {
    const range = ephemeralPortRange()!;
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port, `port ${port} against the ephemeral range ${range.low}-${range.high}`).toBeLessThan(range.low);
      expect(port).toBeGreaterThanOrEqual(1024);
    }
    expect(new Set(ports).size).toBeGreaterThan(10);
    expect(await listens(ports[0]!)).toBe(true);
  });

  it('skips a port something already listens on', async () => {
    const held = createServer();
    await new Promise<void>((resolve, reject) => held.once('error', reject).listen(0, '127.0.0.1', resolve));
    const heldPort = (held.address() as AddressInfo).port;
    try {
      // A range whose 10,000 ports below start at the held one; the first pick is the held port.
      const picks = [0, 0.0001, 0.0002, 0.0003];
      let asked = 0;
      const chosen = await freePort({ low: heldPort + 10_000, high: 65_535 }, () => picks[asked++] ?? 0.0004);
      expect(asked).toBeGreaterThanOrEqual(2);
      expect(chosen).not.toBe(heldPort);
      expect(chosen).toBeGreaterThan(heldPort);
      expect(chosen).toBeLessThanOrEqual(heldPort + 4);
    } finally {
      await new Promise((resolve) => held.close(resolve));
    }
  });

  it('lets the OS pick where no room is left below the range', async () => {
    const port = await freePort({ low: 1_500, high: 65_000 });
    expect(port).toBeGreaterThan(0);
    expect(await listens(port)).toBe(true);
  });
});
