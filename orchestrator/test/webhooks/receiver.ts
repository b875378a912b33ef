import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; businessId: string; data: Record<string, unknown> };
}

export interface Receiver {
  url: string;
  received: ReceivedHook[];
  /** Status codes to answer, in order; once used up every request gets 200. */
  script: number[];
  /** Milliseconds to wait before answering. */
  delayMs: number;
  close(): Promise<void>;
}

/** A webhook endpoint on 127.0.0.1 that records every POST and answers as scripted. */
export async function startReceiver(script: number[] = []): Promise<Receiver> {
  const receiver = { received: [] as ReceivedHook[], script: [...script], delayMs: 0 } as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: ReceivedHook['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { id: '', type: '', createdAt: '', businessId: '', data: {} };
      }
      receiver.received.push({ headers: req.headers, body, json });
      const status = receiver.script.shift() ?? 200;
      setTimeout(() => {
        res.statusCode = status;
        res.end('ok');
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/neariq`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
