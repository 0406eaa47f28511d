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
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eksAccessApiRef } from '../../api';
import {
  MockEksAccessApi,
  mockEksAccessApi,
  responseError,
} from '../../testing/accessReportFixtures';
import { RecentDenials } from './RecentDenials';

const ENTITY = 'resource:default/eks-payments-staging';
const DANA_ROLE =
  'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';

async function renderSection(
  api: MockEksAccessApi,
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [eksAccessApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize: permission })],
      ]}
    >
      <RecentDenials entityRef={ENTITY} />
    </TestApiProvider>,
  );
}

describe('RecentDenials', () => {
  let api: MockEksAccessApi;
  beforeEach(() => {
    api = mockEksAccessApi();
  });

  it('lists the groups with ARN, reason, count and last seen, and links a look-alike to its explanation', async () => {
    api.getDenials.mockResolvedValue({
      logging: 'on',
      windowHours: 24,
      read: 3,
      groups: [
        {
          arn: DANA_ROLE,
          reason: 'ARN is not mapped',
          count: 2,
          lastSeen: new Date(Date.now() - 60_000).toISOString(),
          lookalike: {
            kind: 'sso-suffix',
            mappedArn:
              'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_0000',
            finding: {
              code: 'AWS_AUTH_SSO_SUFFIX_MISMATCH',
              severity: 'error',
              message: 'aws-auth maps an older copy of the role.',
            },
          },
        },
        {
          reason: 'token expired',
          count: 1,
          lastSeen: '2026-01-01T09:00:00Z',
        },
      ],
    });
    await renderSection(api);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('ARN is not mapped')).toBeInTheDocument();
    expect(within(rows[1]).getByText('2')).toBeInTheDocument();
    expect(
      within(rows[2]).getByText('No ARN (the token was refused)'),
    ).toBeInTheDocument();
    const link = within(rows[1]).getByRole('link', {
      name: 'SSO suffix drift',
    });
    await userEvent.click(link);
    const explanation = document.getElementById(
      link.getAttribute('href')!.slice(1),
    )!;
    expect(explanation).toHaveFocus();
    expect(explanation).toHaveAttribute(
      'data-finding-code',
      'AWS_AUTH_SSO_SUFFIX_MISMATCH',
    );
    expect(api.getDenials).toHaveBeenCalledWith({ entityRef: ENTITY });
  });

  it('says when there is nothing, and when logging is off', async () => {
    await renderSection(api);
    expect(
      await screen.findByText('No denied sign-ins in the last 24 hours.'),
    ).toBeInTheDocument();
  });

  it('gives the command when logging is off', async () => {
    api.getDenials.mockResolvedValue({
      logging: 'off',
      command: 'aws eks update-cluster-config --logging x',
      read: 0,
      groups: [],
    });
    await renderSection(api);
    expect(
      await screen.findByText(/Authenticator logging is off/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('aws eks update-cluster-config --logging x'),
    ).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    api.getDenials.mockRejectedValueOnce(
      await responseError(500, 'Internal Server Error', {
        name: 'Error',
        message: 'boom',
      }),
    );
    await renderSection(api);
    expect(
      await screen.findByText(/Could not read the recent denials/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('No denied sign-ins in the last 24 hours.'),
    ).toBeInTheDocument();
  });
});
