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

import { createFetchApi, FetchMiddlewares } from '@backstage/core-app-api';
import { ResponseError } from '@backstage/errors';
import type { IdentityApi } from '@backstage/frontend-plugin-api';
import { summary } from '../testing/accessReportFixtures';
import { EksAccessClient } from './EksAccessClient';

function jsonResponse(body: unknown, status = 200, statusText = 'OK') {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('EksAccessClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(
      async (pluginId: string) => `http://backstage/api/${pluginId}`,
    ),
  };
  const fetchApi = { fetch: jest.fn() };
  const client = new EksAccessClient({ discoveryApi, fetchApi });

  beforeEach(() => {
    jest.clearAllMocks();
  });

  it('reads access for an entity, with refresh only when asked', async () => {
    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ identities: [] }),
    );

    await expect(
      client.getAccess({ entityRef: 'resource:default/payments-prod' }),
    ).resolves.toEqual({ identities: [] });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('eks-access');
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/access?entityRef=resource%3Adefault%2Fpayments-prod',
      undefined,
    );

    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ identities: [] }),
    );
    await client.getAccess({
      entityRef: 'resource:default/payments-prod',
      refresh: true,
    });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/access?entityRef=resource%3Adefault%2Fpayments-prod&refresh=true',
      undefined,
    );
  });

  it('posts a pasted identity as JSON', async () => {
    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ identities: [] }),
    );
    const identity = '{"Arn": "arn:aws:iam::111122223333:user/dana"}';

    await client.checkIdentity({
      entityRef: 'resource:default/payments-prod',
      identity,
    });

    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(url).toBe('http://backstage/api/eks-access/access/check');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual({
      entityRef: 'resource:default/payments-prod',
      identity,
    });
  });

  it('pages through clusters and reads diagnostics', async () => {
    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ items: [], totalCount: 0 }),
    );
    await client.listClusters({ offset: 100, limit: 50 });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/clusters?offset=100&limit=50',
      undefined,
    );
    await client.listClusters();
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/clusters',
      undefined,
    );

    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ awsAuth: {} }),
    );
    await client.getDiagnostics({ entityRef: 'resource:default/analytics' });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/diagnostics?entityRef=resource%3Adefault%2Fanalytics',
      undefined,
    );
  });

  it('reads the recent attempts of an entity', async () => {
    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ logging: 'on', identities: [] }),
    );
    await expect(
      client.getAttempts({ entityRef: 'resource:default/analytics' }),
    ).resolves.toEqual({ logging: 'on', identities: [] });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/access/attempts?entityRef=resource%3Adefault%2Fanalytics',
      undefined,
    );
  });

  it('throws a ResponseError carrying the server error', async () => {
    fetchApi.fetch.mockResolvedValue(
      jsonResponse(
        {
          error: { name: 'InputError', message: 'identity is not an ARN' },
          response: { statusCode: 400 },
        },
        400,
        'Bad Request',
      ),
    );

    const error = await client
      .checkIdentity({ entityRef: 'resource:default/x', identity: 'nope' })
      .catch(e => e);

    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.cause.name).toBe('InputError');
    expect(error.cause.message).toBe('identity is not an ARN');
  });
  it('reads the access levels of a cluster', async () => {
    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ entityRef: 'resource:default/ml-training', levels: [] }),
    );
    await client.listAccessLevels({
      entityRef: 'resource:default/ml-training',
    });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/levels?entityRef=resource%3Adefault%2Fml-training',
      undefined,
    );
  });

  it('creates an access request with a JSON body', async () => {
    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ id: 'r1', state: 'pending' }, 201, 'Created'),
    );
    const body = {
      entityRef: 'resource:default/ml-training',
      principalArn: 'arn:aws:iam::444455556666:user/engineering/dana',
      level: 'view',
      scope: { type: 'cluster' as const },
      durationSeconds: 3600,
      reason: 'Debug the training job',
    };

    await expect(client.createAccessRequest(body)).resolves.toEqual({
      id: 'r1',
      state: 'pending',
    });
    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(url).toBe('http://backstage/api/eks-access/requests');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual(body);
  });

  it('lists requests with entity, mine and repeated state filters', async () => {
    fetchApi.fetch.mockImplementation(async () => jsonResponse({ items: [] }));

    await client.listAccessRequests({
      entityRef: 'resource:default/ml-training',
      mine: true,
      states: ['pending', 'active'],
    });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/requests?entityRef=resource%3Adefault%2Fml-training&mine=true&state=pending&state=active',
      undefined,
    );

    await client.listAccessRequests();
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/requests',
      undefined,
    );

    await client.listAccessRequests({ limit: 50, cursor: 'eyJhIjoxfQ' });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/requests?limit=50&cursor=eyJhIjoxfQ',
      undefined,
    );
  });

  it('reads one request by its encoded id', async () => {
    fetchApi.fetch.mockImplementation(async () =>
      jsonResponse({ id: 'a/b', events: [] }),
    );
    await client.getAccessRequest({ id: 'a/b' });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/eks-access/requests/a%2Fb',
      undefined,
    );
  });

  it.each(['approve', 'reject', 'cancel', 'revoke', 'retry'] as const)(
    'posts the %s action with a trimmed comment, or none',
    async action => {
      fetchApi.fetch.mockImplementation(async () => jsonResponse({ id: 'r1' }));

      await client.actOnAccessRequest({
        id: 'r1',
        action,
        comment: '  looks fine ',
      });
      let [url, init] = fetchApi.fetch.mock.calls[0];
      expect(url).toBe(`http://backstage/api/eks-access/requests/r1/${action}`);
      expect(init.method).toBe('POST');
      expect(JSON.parse(init.body)).toEqual({ comment: 'looks fine' });

      await client.actOnAccessRequest({ id: 'r1', action, comment: '  ' });
      [url, init] = fetchApi.fetch.mock.calls[1];
      expect(JSON.parse(init.body)).toEqual({});
    },
  );

  it('throws a ResponseError for a refused decision', async () => {
    fetchApi.fetch.mockResolvedValue(
      jsonResponse(
        {
          error: {
            name: 'NotAllowedError',
            message: 'You cannot approve your own access request',
          },
          response: { statusCode: 403 },
        },
        403,
        'Forbidden',
      ),
    );
    const error = await client
      .actOnAccessRequest({ id: 'r1', action: 'approve' })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe(
      'You cannot approve your own access request',
    );
  });
});

/** A `text/event-stream` response whose body yields each chunk in turn. */
function sseResponse(chunks: string[]) {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) {
          controller.enqueue(encoder.encode(chunk));
        }
        controller.close();
      },
    }),
    { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
  );
}

function sse(event: string, data: unknown) {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

describe('EksAccessClient.streamClusters', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) => `http://backstage/api/${pluginId}`,
  };
  const server = jest.fn<
    Promise<Response>,
    [RequestInfo | URL, RequestInit?]
  >();
  // The app's real fetchApi, so that the token header is added as in the app.
  const identityApi = {
    getCredentials: async () => ({ token: 'dana-token' }),
  } as unknown as IdentityApi;
  const fetchApi = createFetchApi({
    baseImplementation: server as typeof fetch,
    middleware: FetchMiddlewares.injectIdentityAuth({
      identityApi,
      urlPrefixAllowlist: ['http://backstage'],
    }),
  });
  const client = new EksAccessClient({ discoveryApi, fetchApi });

  const prod = summary({ name: 'payments-prod', status: 'allowed' });
  const staging = summary({ name: 'payments-staging' });

  beforeEach(() => {
    server.mockReset();
  });

  it('delivers the total and each row with its index, and resolves on done', async () => {
    server.mockResolvedValue(
      sseResponse([
        sse('total', { totalCount: 2 }),
        // a chunk boundary inside an event must not lose it
        sse('row', { index: 1, item: staging }).slice(0, 20),
        sse('row', { index: 1, item: staging }).slice(20),
        ': keep-alive\n\n',
        sse('row', { index: 0, item: prod }),
        sse('done', {}),
      ]),
    );
    const onTotal = jest.fn();
    const onRow = jest.fn();

    await expect(client.streamClusters({ onTotal, onRow })).resolves.toBe(
      undefined,
    );

    expect(onTotal).toHaveBeenCalledWith(2);
    expect(onRow.mock.calls).toEqual([
      [1, staging],
      [0, prod],
    ]);
    expect(new Request(...server.mock.calls[0]).url).toBe(
      'http://backstage/api/eks-access/clusters/stream',
    );
  });

  it("sends the user's token that fetchApi adds", async () => {
    server.mockResolvedValue(sseResponse([sse('done', {})]));

    await client.streamClusters({ onTotal: jest.fn(), onRow: jest.fn() });

    const { headers } = new Request(...server.mock.calls[0]);
    expect(headers.get('authorization')).toBe('Bearer dana-token');
    expect(headers.get('accept')).toBe('text/event-stream');
  });

  it("rejects with the backend's error when it refuses the request", async () => {
    server.mockResolvedValue(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'You may not list clusters',
          },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );

    const error = await client
      .streamClusters({ onTotal: jest.fn(), onRow: jest.fn() })
      .catch(e => e);

    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('You may not list clusters');
    expect(server).toHaveBeenCalledTimes(1);
  });

  it('rejects when the stream ends without done, keeping the rows it sent', async () => {
    server.mockResolvedValue(
      sseResponse([
        sse('total', { totalCount: 2 }),
        sse('row', { index: 0, item: prod }),
      ]),
    );
    const onRow = jest.fn();

    await expect(
      client.streamClusters({ onTotal: jest.fn(), onRow }),
    ).rejects.toThrow(
      'The list of clusters ended before every cluster was checked',
    );
    expect(onRow).toHaveBeenCalledWith(0, prod);
    // not retried behind the caller's back
    expect(server).toHaveBeenCalledTimes(1);
  });

  it('rejects when the network fails, without retrying', async () => {
    server.mockRejectedValue(new TypeError('Failed to fetch'));

    await expect(
      client.streamClusters({ onTotal: jest.fn(), onRow: jest.fn() }),
    ).rejects.toThrow('Failed to fetch');
    expect(server).toHaveBeenCalledTimes(1);
  });

  it('rejects with an AbortError when aborted, and stops delivering rows', async () => {
    let push: (chunk: string) => void = () => {};
    const encoder = new TextEncoder();
    server.mockImplementation(
      async (_input, init) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              push = chunk => controller.enqueue(encoder.encode(chunk));
              init?.signal?.addEventListener('abort', () =>
                controller.error(init.signal?.reason),
              );
            },
          }),
          { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
        ),
    );
    const controller = new AbortController();
    const onRow = jest.fn();

    const streaming = client.streamClusters({
      signal: controller.signal,
      onTotal: jest.fn(),
      onRow,
    });
    await waitForCall(server);
    push(sse('row', { index: 0, item: prod }));
    await waitForCall(onRow);
    controller.abort();

    await expect(streaming).rejects.toMatchObject({ name: 'AbortError' });
    expect(onRow).toHaveBeenCalledTimes(1);
  });
});

async function waitForCall(mock: jest.Mock) {
  for (let i = 0; i < 50 && mock.mock.calls.length === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(mock).toHaveBeenCalled();
}
