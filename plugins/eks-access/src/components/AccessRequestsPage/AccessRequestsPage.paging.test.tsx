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

/*
 * "Access requests" a page at a time: the backend pages GET /requests with
 * a cursor; "Load older requests" appends the next page.
 */

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { AccessRequestList } from '@eks-access/plugin-eks-access-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  accessRequest,
  mockEksAccessApi,
} from '../../testing/accessReportFixtures';
import { pendingForDana, renderPage } from './__testUtils__/accessRequestsPage';

const older = accessRequest({
  id: 'r0',
  requester: 'user:default/sam',
  createdAt: '2026-03-01T09:00:00.000Z',
  allowedActions: ['approve', 'reject'],
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('AccessRequestsContent paging', () => {
  it('loads older requests with the keyboard, shows the wait, a failure and the end', async () => {
    const api = mockEksAccessApi();
    const failed = deferred<AccessRequestList>();
    const second = deferred<AccessRequestList>();
    api.listAccessRequests
      .mockResolvedValueOnce({ items: [pendingForDana], nextCursor: 'c1' })
      .mockReturnValueOnce(failed.promise)
      .mockReturnValueOnce(second.promise);
    await renderPage(api, AuthorizeResult.ALLOW);

    expect(api.listAccessRequests).toHaveBeenLastCalledWith({ limit: 50 });
    const button = await screen.findByRole('button', {
      name: 'Load older requests',
    });
    // a count of a partial list says so
    expect(screen.getByRole('tab', { name: 'Pending (1+)' })).toBeVisible();

    button.focus();
    await userEvent.keyboard('{Enter}');
    expect(api.listAccessRequests).toHaveBeenLastCalledWith({
      limit: 50,
      cursor: 'c1',
    });
    const busy = screen.getByRole('button', {
      name: 'Loading older requests…',
    });
    expect(busy).toHaveAttribute('aria-busy', 'true');
    expect(busy).toHaveFocus();

    await act(async () => failed.reject(new Error('Service Unavailable')));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load older requests: Service Unavailable',
    );
    const again = screen.getByRole('button', {
      name: 'Try again: load older requests',
    });
    expect(again).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(api.listAccessRequests).toHaveBeenLastCalledWith({
      limit: 50,
      cursor: 'c1',
    });
    await act(async () => second.resolve({ items: [older] }));

    expect(
      await screen.findByRole('article', {
        name: 'sam asks for view on ml-training',
      }),
    ).toBeVisible();
    expect(screen.getByRole('tab', { name: 'Pending (2)' })).toBeVisible();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /older requests/ }),
    ).not.toBeInTheDocument();
    expect(
      screen
        .getAllByRole('status')
        .some(s =>
          s.textContent?.includes(
            'Loaded 1 older request; 2 shown, all of them.',
          ),
        ),
    ).toBe(true);
    await waitFor(() =>
      expect(screen.getByText('All 2 requests are shown.')).toHaveFocus(),
    );
  });

  it('keeps the pages it loaded when the list is refreshed', async () => {
    const api = mockEksAccessApi();
    api.listAccessRequests
      .mockResolvedValueOnce({ items: [pendingForDana], nextCursor: 'c1' })
      .mockResolvedValueOnce({ items: [older], nextCursor: 'c2' })
      .mockResolvedValue({ items: [pendingForDana, older], nextCursor: 'c2' });
    await renderPage(api, AuthorizeResult.ALLOW);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load older requests' }),
    );
    await screen.findByRole('tab', { name: 'Pending (2+)' });

    // a decision refreshes the list: as many as are shown, from the top
    api.actOnAccessRequest.mockResolvedValue({
      ...pendingForDana,
      state: 'rejected',
    });
    const item = screen.getByRole('article', {
      name: 'dana asks for view on ml-training',
    });
    await userEvent.click(within(item).getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog', { name: 'Reject this request?' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Comment/ }),
      'not now',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    await waitFor(() =>
      expect(api.listAccessRequests).toHaveBeenLastCalledWith({ limit: 50 }),
    );
    expect(
      await screen.findByRole('tab', { name: 'Pending (2+)' }),
    ).toBeVisible();
  });
});
