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
import type { ClusterAccessReport } from '@eks-access/plugin-eks-access-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eksAccessApiRef } from '../../api';
import {
  allowedReport,
  danaSsoIdentity,
  MockEksAccessApi,
  mockEksAccessApi,
  responseError,
} from '../../testing/accessReportFixtures';
import { RecentAttempts } from './RecentAttempts';

const SSO_ROLE =
  'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';
const ENTITY = 'resource:default/payments-prod';

async function renderSection(
  api: MockEksAccessApi,
  report: ClusterAccessReport = allowedReport(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [eksAccessApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <RecentAttempts entityRef={ENTITY} report={report} />
    </TestApiProvider>,
  );
}

describe('RecentAttempts', () => {
  let api: MockEksAccessApi;
  beforeEach(() => {
    api = mockEksAccessApi();
  });

  it('lists the attempts newest first with time, outcome, ARN, username and reason', async () => {
    const recent = new Date(Date.now() - 3 * 60_000).toISOString();
    api.getAttempts.mockResolvedValue({
      logging: 'on',
      windowHours: 24,
      identities: [
        {
          callerArn: danaSsoIdentity.callerArn,
          label: danaSsoIdentity.label,
          attempts: [
            {
              time: recent,
              outcome: 'granted',
              arn: SSO_ROLE,
              username: 'dana-sso',
              groups: ['payments-developers'],
            },
            {
              time: '2026-01-01T09:00:00Z',
              outcome: 'denied',
              arn: SSO_ROLE,
              reason: 'ARN is not mapped',
            },
          ],
        },
      ],
    });
    await renderSection(api);
    const list = await screen.findByRole('list', { name: 'Recent attempts' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Granted');
    expect(items[0]).toHaveTextContent('3 min ago');
    expect(items[0]).toHaveTextContent(SSO_ROLE);
    expect(items[0]).toHaveTextContent(
      'Signed in as dana-sso in payments-developers',
    );
    expect(items[1]).toHaveTextContent('Denied');
    expect(items[1]).toHaveTextContent('Reason: ARN is not mapped');
    expect(api.getAttempts).toHaveBeenCalledWith({ entityRef: ENTITY });
    // The latest attempt was granted: no evidence to point at.
    expect(screen.queryByText(/kubectl is using/)).not.toBeInTheDocument();
  });

  it('says kubectl is using an identity that is not you, with the commands that fix it', async () => {
    api.getAttempts.mockResolvedValue({
      logging: 'on',
      identities: [
        {
          callerArn:
            'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/dana@example.com',
          label: 'IAM role PlatformAdmin (verified)',
          source: 'verified',
          kubectl: { mine: false },
          attempts: [
            {
              time: new Date().toISOString(),
              outcome: 'denied',
              arn: 'arn:aws:iam::111122223333:role/PlatformAdmin',
              reason: 'ARN is not mapped',
            },
          ],
        },
      ],
    });
    await renderSection(api);
    expect(
      await screen.findByText(
        /^kubectl is using arn:aws:iam::111122223333:role\/PlatformAdmin, which is not you/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('aws sts get-caller-identity')).toBeInTheDocument();
    expect(
      screen.getByText(
        'aws eks update-kubeconfig --name payments-prod --region us-east-1',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('listitem')).toHaveTextContent('not yours');
  });

  it('says when authenticator logging is off, with the command that turns it on', async () => {
    const command =
      'aws eks update-cluster-config --region us-east-1 --name analytics --logging \'{"clusterLogging":[{"types":["authenticator"],"enabled":true}]}\'';
    api.getAttempts.mockResolvedValue({
      logging: 'off',
      command,
      identities: [],
    });
    await renderSection(api);
    expect(
      await screen.findByText(/Authenticator logging is off on this cluster/),
    ).toBeInTheDocument();
    expect(screen.getByText(command)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /copy/i })).toBeInTheDocument();
  });

  it('says when there are no attempts in the window', async () => {
    api.getAttempts.mockResolvedValue({
      logging: 'on',
      windowHours: 6,
      identities: [
        {
          callerArn: danaSsoIdentity.callerArn,
          label: danaSsoIdentity.label,
          attempts: [],
        },
      ],
    });
    await renderSection(api);
    expect(
      await screen.findByText(
        /No kubectl sign-ins with your identities in the last 6 hours/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a progress bar while reading, and the error with Retry', async () => {
    api.getAttempts
      .mockRejectedValueOnce(
        await responseError(403, 'Forbidden', {
          name: 'NotAllowedError',
          message: 'Not allowed: eks-access.attempts.read',
        }),
      )
      .mockResolvedValueOnce({ logging: 'on', identities: [] });
    await renderSection(api);
    expect(
      await screen.findByText(
        /Could not read the authenticator log: Not allowed/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText(/No kubectl sign-ins with your identities/),
    ).toBeInTheDocument();
    expect(api.getAttempts).toHaveBeenCalledTimes(2);
  });
});
