/*
 * Copyright 2026 The EKS Access for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  abortedWhenClientLeaves,
  openServerSentEvents,
} from './serverSentEvents';

/** Serves one SSE route; `onOpen` gets the stream of each request. */
async function serve(
  onOpen: (stream: ReturnType<typeof openServerSentEvents>) => void,
) {
  const app = express().get('/events', (_req, res) => {
    onOpen(openServerSentEvents(res, abortedWhenClientLeaves(res)));
  });
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    close: () =>
      new Promise(resolve => {
        server.close(resolve);
        // fetch keeps its connection alive; close would wait for it
        server.closeAllConnections();
      }),
  };
}

describe('openServerSentEvents', () => {
  it('sends each event as it is written, with headers that keep proxies from buffering', async () => {
    let stream: ReturnType<typeof openServerSentEvents> | undefined;
    const server = await serve(s => {
      stream = s;
      s.send('total', { totalCount: 2 });
    });
    try {
      const response = await fetch(server.url);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      // the first event arrives while the answer is still open
      while (!text.includes('event: total')) {
        text += decoder.decode((await reader.read()).value);
      }
      expect(text).toContain('event: total\ndata: {"totalCount":2}\n\n');
      stream!.send('done', {});
      stream!.end();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      expect(text.endsWith('event: done\ndata: {}\n\n')).toBe(true);
      expect(stream!.signal.aborted).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('aborts its signal when the client goes away before the end', async () => {
    let stream: ReturnType<typeof openServerSentEvents> | undefined;
    const server = await serve(s => {
      stream = s;
    });
    try {
      const client = new AbortController();
      const response = await fetch(server.url, { signal: client.signal });
      expect(response.status).toBe(200);
      const aborted = new Promise(resolve =>
        stream!.signal.addEventListener('abort', resolve),
      );
      client.abort();
      await aborted;
      expect(stream!.signal.aborted).toBe(true);
      // writing after the client left is a no-op, not an error
      expect(() => stream!.send('row', {})).not.toThrow();
      stream!.end();
    } finally {
      await server.close();
    }
  });

  it('knows the client left while the route was still reading, before the stream opened', async () => {
    let finishReading: () => void = () => {};
    const reading = new Promise<void>(resolve => {
      finishReading = resolve;
    });
    let leftBeforeOpening: boolean | undefined;
    const routeDone = new Promise<void>(resolve => {
      const app = express().get('/events', async (_req, res) => {
        const clientLeft = abortedWhenClientLeaves(res);
        await reading; // the catalog and the user's identities
        leftBeforeOpening = clientLeft.aborted;
        resolve();
      });
      const server = http.createServer(app);
      server.listen(0, '127.0.0.1', async () => {
        const { port } = server.address() as AddressInfo;
        const client = new AbortController();
        const request = fetch(`http://127.0.0.1:${port}/events`, {
          signal: client.signal,
        }).catch(() => undefined);
        // the request reached the route; the user leaves
        await new Promise(r => setTimeout(r, 50));
        client.abort();
        await request;
        await new Promise(r => setTimeout(r, 50));
        finishReading();
        await routeDone;
        server.closeAllConnections();
        server.close();
      });
    });
    await routeDone;
    expect(leftBeforeOpening).toBe(true);
  });
});
