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

import type { Response } from 'express';

/** A `text/event-stream` answer being written. */
export interface ServerSentEventStream {
  /** Sends one event; its data is sent as one line of JSON. */
  send(event: string, data: unknown): void;
  /** Ends the answer. */
  end(): void;
  /** Aborted when the client goes away before the answer ends. */
  signal: AbortSignal;
}

/** A comment line this often keeps idle proxies from closing the stream. */
const KEEP_ALIVE_MS = 15_000;

/**
 * A signal aborted when the client goes away before the answer ends.
 * Called first in a route, before anything is awaited: a client that left
 * during the route's first reads must still stop the work after them.
 */
export function abortedWhenClientLeaves(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * Starts a server-sent events answer, as the scaffolder's task event
 * stream does. Each event is flushed at once: the backend's compression
 * middleware would otherwise hold rows back until the answer ends, which
 * would defeat streaming them. `clientLeft` comes from
 * {@link abortedWhenClientLeaves}.
 */
export function openServerSentEvents(
  res: Response,
  clientLeft: AbortSignal,
): ServerSentEventStream {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // nginx (a common ingress) would otherwise buffer the rows until the end
    'X-Accel-Buffering': 'no',
  });
  const flush = () => (res as Response & { flush?: () => void }).flush?.();
  const write = (text: string) => {
    if (res.writableEnded || clientLeft.aborted) return;
    res.write(text);
    flush();
  };
  write(': stream opened\n\n');
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  res.on('close', () => clearInterval(keepAlive));
  return {
    send: (event, data) =>
      write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end: () => {
      clearInterval(keepAlive);
      if (!res.writableEnded) res.end();
    },
    signal: clientLeft,
  };
}
