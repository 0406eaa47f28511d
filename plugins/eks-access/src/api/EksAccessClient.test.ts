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

import { ResponseError } from '@backstage/errors';
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
});
