import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of DynamoDB Local that the chaos run can take down: while it is down, every
 * connection is reset (new ones at once, open ones mid-request), exactly what a client sees of a
 * database process that died. A request cut mid-way may or may not have reached the table.
 */
export interface OutageProxy {
  endpoint: string;
  readonly isDown: boolean;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startOutageProxy(target: string): Promise<OutageProxy> {
  const { hostname, port } = new URL(target);
  const clients = new Set<Socket>();
  const upstreams = new Set<Socket>();
  let isDown = false;
  const server = createServer((client) => {
    if (isDown) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    clients.add(client);
    upstreams.add(upstream);
    const drop = () => {
      clients.delete(client);
      upstreams.delete(upstream);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const proxyPort = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${proxyPort}`,
    get isDown() {
      return isDown;
    },
    down() {
      isDown = true;
      for (const client of clients) client.resetAndDestroy();
      for (const upstream of upstreams) upstream.destroy();
      clients.clear();
      upstreams.clear();
    },
    up() {
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        for (const upstream of upstreams) upstream.destroy();
        server.close(() => resolve());
      }),
  };
}
