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
 * "Access requests" for an approver who is not an EKS access admin. In its
 * own file because usePermission caches decisions per permission for the
 * whole test file.
 */

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import {
  accessRequest,
  mockEksAccessApi,
} from '../../testing/accessReportFixtures';
import { pendingForDana, renderPage } from './__testUtils__/accessRequestsPage';

describe('AccessRequestsContent for a cluster owner who is not an admin', () => {
  it('shows only the inbox the backend returns, without admin-wide tabs', async () => {
    const api = mockEksAccessApi();
    const approvedOnce = accessRequest({
      id: 'r5',
      requester: 'user:default/sam',
      level: 'cluster-admin',
      approvalsRequired: 2,
      approvals: [
        {
          approver: 'user:default/dana',
          at: '2026-03-02T09:30:00.000Z',
          comment: 'fine by me',
        },
      ],
      allowedActions: ['reject'],
    });
    const active = accessRequest({
      id: 'r6',
      state: 'active',
      allowedActions: ['revoke'],
    });
    api.listAccessRequests.mockResolvedValue({
      items: [pendingForDana, approvedOnce, active],
    });
    await renderPage(api, AuthorizeResult.DENY);

    expect(
      await screen.findByRole('article', {
        name: 'dana asks for view on ml-training',
      }),
    ).toBeInTheDocument();
    const second = screen.getByRole('article', {
      name: 'sam asks for cluster-admin on ml-training',
    });
    expect(second).toHaveTextContent('1 of 2 approvals (dana)');
    expect(
      within(second).queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      within(second).getByRole('button', { name: 'Reject' }),
    ).toBeInTheDocument();
    expect(second).toHaveTextContent(
      'You approved this request; it waits for another approver.',
    );

    expect(screen.getAllByRole('tab').map(t => t.textContent)).toEqual([
      'Pending (2)',
    ]);
    expect(
      screen.getByText(
        /Active grants and the history of every cluster are shown to EKS access admins/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows, for each request it may approve, what approving changes and that no one else is affected', async () => {
    const api = mockEksAccessApi();
    api.listAccessRequests.mockResolvedValue({ items: [pendingForDana] });
    api.getAccessRequestPreflight.mockResolvedValue({
      known: true,
      applicable: true,
      writes: [
        'Map arn:aws:iam::111122223333:role/Developer in aws-auth mapRoles',
      ],
      risks: [],
      othersAffected: [],
      plan: {
        summary: 'Map the role',
        steps: [
          {
            op: 'AwsAuthUpsertMapping',
            section: 'mapRoles',
            arn: 'arn:aws:iam::111122223333:role/Developer',
            username:
              'arn:aws:sts::111122223333:assumed-role/Developer/{{SessionName}}',
            groups: ['eks-access:view'],
          },
        ],
        promise: { groups: ['eks-access:view'], accessPolicies: [] },
        redacted: true,
      },
    });
    await renderPage(api, AuthorizeResult.DENY);
    const article = await screen.findByRole('article', {
      name: 'dana asks for view on ml-training',
    });
    const preflight = within(article).getByRole('region', {
      name: 'What approving changes',
    });
    expect(
      await within(preflight).findByText('Can be applied'),
    ).toBeInTheDocument();
    expect(preflight).toHaveTextContent(
      'Map arn:aws:iam::111122223333:role/Developer in aws-auth mapRoles',
    );
    expect(preflight).toHaveTextContent('Who else is affected: no one');
    expect(api.getAccessRequestPreflight).toHaveBeenCalledWith({ id: 'r1' });
    // the forms come from the plan, in the card's tabs
    expect(
      within(preflight).getByRole('tab', { name: 'kubectl' }),
    ).toBeTruthy();
  });

  it('warns the approver when the grant cannot be applied', async () => {
    const api = mockEksAccessApi();
    api.listAccessRequests.mockResolvedValue({ items: [pendingForDana] });
    api.getAccessRequestPreflight.mockResolvedValue({
      known: true,
      applicable: false,
      code: 'LEVEL_GROUPS_UNBOUND',
      writes: [],
      risks: [
        'No RoleBinding or ClusterRoleBinding names the group eks-access:view this request would map.',
      ],
      othersAffected: [],
    });
    await renderPage(api, AuthorizeResult.DENY);
    const article = await screen.findByRole('article', {
      name: 'dana asks for view on ml-training',
    });
    expect(
      await within(article).findByText('Cannot be applied'),
    ).toBeInTheDocument();
    expect(within(article).getByRole('note')).toHaveTextContent(
      /names the group eks-access:view.*Approving now would fail/,
    );
  });

  it('shows approvers where the requested identity came from', async () => {
    const api = mockEksAccessApi();
    const fromIdentityCenter = accessRequest({
      id: 'r7',
      identityProvenance: {
        source: 'identity-center',
        label: 'SSO PaymentsDeveloper',
        verifiedAt: '2026-03-02T09:00:00.000Z',
        permissionSetName: 'PaymentsDeveloper',
        assignedThrough: ['group payments-developers'],
      },
      allowedActions: ['approve', 'reject'],
    });
    const proven = accessRequest({
      id: 'r8',
      requester: 'user:default/sam',
      identityProvenance: {
        source: 'verified',
        label: 'role DataEngineer (verified)',
        verifiedAt: '2026-03-02T09:00:00.000Z',
      },
      allowedActions: ['approve', 'reject'],
    });
    const old = accessRequest({
      id: 'r9',
      requester: 'user:default/alex',
      allowedActions: ['approve', 'reject'],
    });
    api.listAccessRequests.mockResolvedValue({
      items: [fromIdentityCenter, proven, old],
    });
    await renderPage(api, AuthorizeResult.DENY);

    const dana = await screen.findByRole('article', {
      name: 'dana asks for view on ml-training',
    });
    expect(dana).toHaveTextContent(
      /Identity fromIAM Identity Center, permission set PaymentsDeveloper \(group payments-developers\); verified /,
    );
    expect(
      screen.getByRole('article', { name: 'sam asks for view on ml-training' }),
    ).toHaveTextContent(
      /Identity fromProven by the requester with a kubectl token at /,
    );
    expect(
      screen.getByRole('article', {
        name: 'alex asks for view on ml-training',
      }),
    ).toHaveTextContent(
      'Identity fromNot recorded (requested before identities were verified)',
    );
  });
});
