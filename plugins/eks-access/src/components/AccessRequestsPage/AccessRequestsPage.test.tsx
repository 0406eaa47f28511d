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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockEksAccessApi,
  mockEksAccessApi,
  responseError,
} from '../../testing/accessReportFixtures';
import {
  activeForSam,
  ownPending,
  pendingForDana,
  renderPage,
} from './__testUtils__/accessRequestsPage';

describe('AccessRequestsContent for an EKS access admin', () => {
  let api: MockEksAccessApi;

  beforeEach(() => {
    api = mockEksAccessApi();
    api.listAccessRequests.mockResolvedValue({
      items: [pendingForDana, ownPending, activeForSam],
    });
  });

  it('shows the pending inbox with everything needed to decide', async () => {
    await renderPage(api, AuthorizeResult.ALLOW);

    const item = await screen.findByRole('article', {
      name: 'dana asks for view on ml-training',
    });
    expect(api.listAccessRequests).toHaveBeenCalledWith({
      entityRef: undefined,
      mine: undefined,
      limit: 50,
    });
    expect(within(item).getByRole('link', { name: 'dana' })).toHaveAttribute(
      'href',
      '/catalog/default/user/dana',
    );
    expect(
      within(item).getByRole('link', { name: 'ml-training' }),
    ).toHaveAttribute('href', '/catalog/default/resource/ml-training');
    expect(item).toHaveTextContent(
      'arn:aws:iam::444455556666:user/engineering/dana',
    );
    expect(item).toHaveTextContent('whole cluster');
    expect(item).toHaveTextContent('1 h');
    expect(item).toHaveTextContent('Debug the nightly training job');
    expect(item).toHaveTextContent('0 of 1 approval');
    expect(
      within(item).getByRole('link', {
        name: /^https:\/\/jira\.example\.com\/OPS-12/,
      }),
    ).toHaveAttribute('href', 'https://jira.example.com/OPS-12');
    // Alex's own request is not his to decide.
    expect(screen.getAllByRole('article')).toHaveLength(1);
    expect(screen.getAllByRole('tab').map(tab => tab.textContent)).toEqual([
      'Pending (1)',
      'Active grants (1)',
      'History (3)',
    ]);
  });

  it('approves with a comment and says so', async () => {
    api.actOnAccessRequest.mockResolvedValue({
      ...pendingForDana,
      state: 'approved',
    });
    await renderPage(api, AuthorizeResult.ALLOW);
    const item = await screen.findByRole('article', {
      name: 'dana asks for view on ml-training',
    });
    api.listAccessRequests.mockResolvedValue({
      items: [{ ...pendingForDana, state: 'approved', allowedActions: [] }],
    });

    await userEvent.click(
      within(item).getByRole('button', { name: 'Approve' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Approve this request?',
    });
    expect(dialog).toHaveTextContent(
      'dana’s request for view on ml-training (whole cluster, 1 h)',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Comment (optional)' }),
      'Approved for the incident',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(api.actOnAccessRequest).toHaveBeenCalledWith({
      id: 'r1',
      action: 'approve',
      comment: 'Approved for the incident',
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Approved: dana’s request for view on ml-training (whole cluster, 1 h).',
    );
    await waitFor(() =>
      expect(screen.queryByRole('article')).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText('Nothing is waiting for your decision.'),
    ).toBeInTheDocument();
  });

  it('needs a comment to reject, and shows a refusal in the dialog', async () => {
    api.actOnAccessRequest.mockRejectedValueOnce(
      await responseError(409, 'Conflict', {
        name: 'ConflictError',
        message: 'The request is no longer pending (cancelled)',
      }),
    );
    await renderPage(api, AuthorizeResult.ALLOW);
    const item = await screen.findByRole('article', {
      name: 'dana asks for view on ml-training',
    });

    await userEvent.click(within(item).getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog', { name: 'Reject this request?' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(
      within(dialog).getByText('A comment is required.'),
    ).toBeInTheDocument();
    expect(api.actOnAccessRequest).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Comment/ }),
      'Use the read-only dashboard instead',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(api.actOnAccessRequest).toHaveBeenCalledWith({
      id: 'r1',
      action: 'reject',
      comment: 'Use the read-only dashboard instead',
    });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The request is no longer pending (cancelled)',
    );
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('revokes an active grant', async () => {
    api.actOnAccessRequest.mockResolvedValue({
      ...activeForSam,
      state: 'revoked',
    });
    await renderPage(api, AuthorizeResult.ALLOW);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Active grants (1)' }),
    );

    const table = screen.getByRole('table', { name: 'Active grants' });
    const row = within(table).getAllByRole('row')[1];
    expect(row).toHaveTextContent('sam');
    expect(row).toHaveTextContent('namespace ml-jobs');
    expect(row).toHaveTextContent('edit');
    await userEvent.click(
      within(row).getByRole('button', {
        name: 'Revoke edit on ml-training for sam',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Revoke this access now?',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Comment (optional)' }),
      'Incident closed',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );

    expect(api.actOnAccessRequest).toHaveBeenCalledWith({
      id: 'r3',
      action: 'revoke',
      comment: 'Incident closed',
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Revoked: sam’s request for edit on ml-training',
    );
    expect(api.listAccessRequests).toHaveBeenCalledTimes(2);
  });

  it('shows the history with each request’s event trail', async () => {
    api.getAccessRequest.mockResolvedValue({
      ...activeForSam,
      events: [
        {
          id: 2,
          type: 'approved',
          actor: 'user:default/alex',
          at: '2026-03-02T09:59:00.000Z',
          comment: 'ok for the migration',
          fromState: 'pending',
          toState: 'approved',
        },
        {
          id: 1,
          type: 'created',
          actor: 'user:default/sam',
          at: '2026-03-02T09:00:00.000Z',
          toState: 'pending',
        },
        {
          id: 3,
          type: 'apply-step',
          actor: 'system',
          at: '2026-03-02T09:59:30.000Z',
          details: { call: 'AssociateAccessPolicy' },
        },
        {
          id: 4,
          type: 'activated',
          actor: 'system',
          at: '2026-03-02T10:00:00.000Z',
          fromState: 'approved',
          toState: 'active',
        },
      ],
    });
    await renderPage(api, AuthorizeResult.ALLOW);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'History (3)' }),
    );

    const table = screen.getByRole('table', { name: 'Request history' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.getAttribute('data-request-id'))).toEqual([
      'r3',
      'r1',
      'r2',
    ]);
    const toggle = within(rows[0]).getByRole('button', {
      name: 'Events of sam’s edit request on ml-training',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');

    const trail = await screen.findByRole('list', {
      name: 'Events of request r3',
    });
    expect(api.getAccessRequest).toHaveBeenCalledWith({ id: 'r3' });
    const events = within(trail).getAllByRole('listitem');
    expect(events.map(e => e.getAttribute('data-event-type'))).toEqual([
      'created',
      'approved',
      'apply-step',
      'activated',
    ]);
    expect(events[0]).toHaveTextContent(
      /Requested by sam · .* · — → Pending approval/,
    );
    expect(events[1]).toHaveTextContent(
      /Approved by alex · .* · Pending approval → Approved, being applied/,
    );
    expect(events[1]).toHaveTextContent('“ok for the migration”');
    expect(events[2]).toHaveTextContent('Changed the cluster by system');
    expect(events[2]).toHaveTextContent('AssociateAccessPolicy');
    expect(events[3]).toHaveTextContent('Approved, being applied → Active');
  });

  it('says when the requests cannot be loaded, and retries', async () => {
    api.listAccessRequests
      .mockRejectedValueOnce(
        await responseError(500, 'Internal Server Error', {
          name: 'Error',
          message: 'database unavailable',
        }),
      )
      .mockResolvedValueOnce({ items: [pendingForDana] });
    await renderPage(api, AuthorizeResult.ALLOW);

    expect(
      await screen.findByText(
        /Could not load access requests: database unavailable/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('article', {
        name: 'dana asks for view on ml-training',
      }),
    ).toBeInTheDocument();
  });
});
