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

import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { eksAccessApiRef } from '../../api';
import {
  controlledStream,
  MockEksAccessApi,
  mockEksAccessApi,
  summary,
} from '../../testing/accessReportFixtures';
import { useClusterSummaries } from './useClusterSummaries';

function renderSummaries(api: MockEksAccessApi) {
  return renderHook(() => useClusterSummaries(), {
    wrapper: ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[eksAccessApiRef, api]]}>
        {children}
      </TestApiProvider>
    ),
  });
}

const names = (items: { name: string }[]) => items.map(item => item.name);

describe('useClusterSummaries', () => {
  const likely = summary({ name: 'zeta-likely' });
  const second = summary({ name: 'alpha-second' });
  const third = summary({ name: 'mid-third' });

  it('exposes the rows in index order, however they arrive', async () => {
    const api = mockEksAccessApi();
    const stream = controlledStream(api);
    const { result } = renderSummaries(api);

    await act(async () => {
      stream.total(3);
      stream.row(2, third);
      stream.row(0, likely);
    });
    await waitFor(() => expect(result.current.items).toHaveLength(2));
    expect(names(result.current.items)).toEqual(['zeta-likely', 'mid-third']);
    expect(result.current.totalCount).toBe(3);
    expect(result.current.loading).toBe(true);

    await act(async () => {
      stream.row(1, second);
      stream.end();
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(names(result.current.items)).toEqual([
      'zeta-likely',
      'alpha-second',
      'mid-third',
    ]);
    expect(result.current.error).toBeUndefined();
  });

  it('on retry, replaces kept rows by entity even when a cluster moved, and drops those not sent again', async () => {
    const api = mockEksAccessApi();
    const first = controlledStream(api);
    const { result } = renderSummaries(api);
    await act(async () => {
      first.total(3);
      first.row(0, likely);
      first.row(1, second);
      first.row(2, third);
      first.fail(new Error('cut'));
    });
    await waitFor(() => expect(result.current.error?.message).toBe('cut'));
    expect(result.current.items).toHaveLength(3);

    // Since then: alpha-second left the catalog, mid-third moved up.
    const again = controlledStream(api);
    await act(async () => result.current.retry());
    expect(result.current.error).toBeUndefined();
    expect(result.current.loading).toBe(true);
    await act(async () => {
      again.total(2);
      again.row(1, third);
    });
    await waitFor(() =>
      expect(names(result.current.items)).toEqual(['zeta-likely', 'mid-third']),
    );
    await act(async () => {
      again.row(0, { ...likely, status: 'allowed' });
      again.end();
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(names(result.current.items)).toEqual(['zeta-likely', 'mid-third']);
    expect(result.current.items[0].status).toBe('allowed');
  });

  it('keeps the rows shown on Retry even when they are older than the reuse window', async () => {
    const api = mockEksAccessApi();
    const first = controlledStream(api);
    const { result } = renderSummaries(api);
    await act(async () => {
      first.total(2);
      first.row(0, likely);
      first.fail(new Error('cut'));
    });
    await waitFor(() => expect(result.current.error).toBeDefined());

    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 10 * 60 * 1000);
    try {
      const again = controlledStream(api);
      await act(async () => result.current.retry());
      await act(async () => again.total(2));
      expect(names(result.current.items)).toEqual(['zeta-likely']);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('ignores rows outside the total', async () => {
    const api = mockEksAccessApi();
    const stream = controlledStream(api);
    const { result } = renderSummaries(api);
    await act(async () => {
      stream.total(1);
      stream.row(1, second);
      stream.row(-1, third);
      stream.row(0, likely);
      stream.end();
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(names(result.current.items)).toEqual(['zeta-likely']);
  });
});
