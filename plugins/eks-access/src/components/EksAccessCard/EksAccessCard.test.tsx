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

import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef, SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eksAccessApiRef } from '../../api';
import {
  accessRequest,
  allowedReport,
  demoLevels,
  deniedReport,
  forbiddenReport,
  MockEksAccessApi,
  mockEksAccessApi,
  noIdentitiesReport,
  responseError,
  unknownReport,
} from '../../testing/accessReportFixtures';
import { EksAccessCard, EksAccessCardProps } from './EksAccessCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-prod',
    namespace: 'default',
    annotations: {
      'amazonaws.com/arn':
        'arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'team-payments' },
};

async function renderCard(
  api: MockEksAccessApi,
  props: EksAccessCardProps = {},
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    signals?: SignalApi;
    entity?: Entity;
  } = {},
) {
  const permissionApi = mockApis.permission({
    authorize: options.permission ?? AuthorizeResult.ALLOW,
  });
  const card = (
    <EntityProvider entity={options.entity ?? entity}>
      <EksAccessCard {...props} />
    </EntityProvider>
  );
  if (options.signals) {
    return renderInTestApp(
      <TestApiProvider
        apis={[
          [eksAccessApiRef, api],
          [permissionApiRef, permissionApi],
          [signalApiRef, options.signals],
        ]}
      >
        {card}
      </TestApiProvider>,
    );
  }
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [eksAccessApiRef, api],
        [permissionApiRef, permissionApi],
      ]}
    >
      {card}
    </TestApiProvider>,
  );
}

/** A signals API whose messages the test sends. */
function fakeSignals() {
  const listeners = new Map<string, (message: JsonObject) => void>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      listeners.set(channel, onMessage as (message: JsonObject) => void);
      return { unsubscribe: () => listeners.delete(channel) };
    },
  };
  return {
    api,
    send(channel: string, message: JsonObject) {
      act(() => listeners.get(channel)?.(message));
    },
  };
}

function identitySection(name: string) {
  return screen.getByRole('region', { name });
}

describe('EksAccessCard', () => {
  let api: MockEksAccessApi;

  beforeEach(() => {
    api = mockEksAccessApi();
    api.listAccessRequests.mockResolvedValue({ items: [] });
    api.listAccessLevels.mockResolvedValue({
      entityRef: 'resource:default/payments-prod',
      levels: demoLevels(),
      maxReasonLength: 1000,
    });
  });

  it('hides itself on a Kubernetes cluster entity that the backend says is not EKS', async () => {
    // No EKS annotation: the card appears on a guess, since the cluster may
    // be declared in the Kubernetes plugin's config, which only the backend
    // reads.
    const plain: Entity = {
      ...entity,
      metadata: { name: 'gke-cluster', namespace: 'default' },
    };
    api.getAccess.mockRejectedValue(
      await responseError(404, 'Not Found', {
        name: 'NotFoundError',
        message: 'resource:default/gke-cluster is not an Amazon EKS cluster',
      }),
    );
    const { container } = await renderCard(api, {}, { entity: plain });
    await waitFor(() => expect(api.getAccess).toHaveBeenCalled());
    await waitFor(() =>
      expect(
        screen.queryByRole('heading', { name: 'EKS access' }),
      ).not.toBeInTheDocument(),
    );
    expect(container).not.toHaveTextContent('not an Amazon EKS cluster');
  });

  it('shows a skeleton while the first check runs', async () => {
    api.getAccess.mockReturnValue(new Promise(() => {}));
    await renderCard(api);
    expect(
      screen.getByRole('progressbar', { name: 'Checking your access' }),
    ).toBeInTheDocument();
    expect(api.getAccess).toHaveBeenCalledWith({
      entityRef: 'resource:default/payments-prod',
      refresh: false,
    });
  });

  it('shows an allowed identity with its username, mechanism, policies and kubeconfig command', async () => {
    api.getAccess.mockResolvedValue(allowedReport());
    await renderCard(api);

    expect(
      await screen.findByText('You can reach this cluster'),
    ).toBeInTheDocument();
    const sso = identitySection('SSO PaymentsDeveloper');
    expect(
      within(sso).getByText('Allowed as dana-sso via access entry'),
    ).toBeInTheDocument();
    expect(
      within(sso).getByText(
        'AmazonEKSViewPolicy — namespaces payments, payments-jobs',
      ),
    ).toBeInTheDocument();
    expect(
      within(sso).getByText(
        'aws eks update-kubeconfig --name payments-prod --region us-east-1',
      ),
    ).toBeInTheDocument();
    expect(
      within(sso).getByText(/add "--profile <profile>" to the command/),
    ).toBeInTheDocument();
    expect(within(sso).queryByRole('note')).not.toBeInTheDocument();

    const user = identitySection('IAM user engineering/dana');
    expect(
      within(user).getByText(
        'Denied: this identity cannot authenticate to the cluster',
      ),
    ).toBeInTheDocument();
    expect(
      within(user).queryByText(/update-kubeconfig/),
    ).not.toBeInTheDocument();

    expect(screen.getByText('Authentication mode')).toBeInTheDocument();
    expect(screen.getByText('EKS API and ConfigMap')).toBeInTheDocument();
    expect(screen.getByText('111122223333')).toBeInTheDocument();
    expect(screen.getByText('us-east-1')).toBeInTheDocument();
    expect(screen.getByText(/^checked 1\d s ago$/)).toBeInTheDocument();
  });

  it('shows a denied identity with findings, most severe first, and the fix as copyable commands', async () => {
    api.getAccess.mockResolvedValue(deniedReport());
    await renderCard(api);

    expect(
      await screen.findByText('You cannot reach this cluster'),
    ).toBeInTheDocument();
    const findings = screen.getByRole('list', {
      name: 'Findings for SSO PaymentsDeveloper',
    });
    const items = within(findings).getAllByRole('listitem');
    expect(items.map(item => item.getAttribute('data-finding-code'))).toEqual([
      'AWS_AUTH_ROLE_ARN_HAS_PATH',
      'AWS_AUTH_KEY_CASE',
    ]);
    const pathFinding = items[0];
    expect(
      within(pathFinding).getByRole('heading', {
        name: /aws-auth names the role with its path/,
      }),
    ).toBeInTheDocument();
    expect(
      within(pathFinding).getByText(/EKS compares the ARN without the path/),
    ).toBeInTheDocument();
    expect(
      within(pathFinding).getByText('Map the role ARN without its path.'),
    ).toBeInTheDocument();
    expect(
      within(pathFinding).getByText(
        /eksctl create iamidentitymapping --cluster payments-staging/,
      ),
    ).toBeInTheDocument();
    expect(
      within(pathFinding).getByRole('button', { name: 'Copy text' }),
    ).toBeInTheDocument();
    // A finding without a fix has no commands to copy.
    expect(
      within(items[1]).queryByRole('button', { name: 'Copy text' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('ConfigMap')).toBeInTheDocument();
  });

  it('says when access cannot be determined and which source failed', async () => {
    api.getAccess.mockResolvedValue(unknownReport());
    await renderCard(api);

    expect(
      await screen.findByText('Your access could not be determined'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Unknown: the cluster’s access data could not be read'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /The aws-auth ConfigMap: The Kubernetes API server did not answer \(Unreachable\)/,
      ),
    ).toBeInTheDocument();
  });

  it('warns that an identity will authenticate but get Forbidden', async () => {
    api.getAccess.mockResolvedValue(forbiddenReport());
    await renderCard(api);

    expect(
      await screen.findByText('You can sign in, but will get Forbidden'),
    ).toBeInTheDocument();
    const sso = identitySection('SSO PaymentsDeveloper');
    expect(
      within(sso).getByText(
        'Signs in as dana-example.com via aws-auth mapRoles, but gets Forbidden',
      ),
    ).toBeInTheDocument();
    expect(within(sso).getByRole('note')).toHaveTextContent(
      'You will authenticate, but every request will be Forbidden',
    );
  });

  it('explains how to declare IAM identities when none resolve', async () => {
    api.getAccess.mockResolvedValue(noIdentitiesReport());
    await renderCard(api);

    expect(
      await screen.findByText('We don’t know which AWS identities you use'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('eks-access.io/iam-principals').length,
    ).toBeGreaterThan(0);
    expect(screen.getByText(/session=dana@example.com/)).toBeInTheDocument();
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });

  it('shows a backend error and retries', async () => {
    api.getAccess
      .mockRejectedValueOnce(
        await responseError(503, 'Service Unavailable', {
          name: 'ServiceUnavailableError',
          message: 'The EKS API is throttling requests',
        }),
      )
      .mockResolvedValueOnce(allowedReport());
    await renderCard(api);

    expect(
      await screen.findByText(
        /Could not check your access: The EKS API is throttling requests/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(
      await screen.findByText('You can reach this cluster'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not check your access/),
    ).not.toBeInTheDocument();
    expect(api.getAccess).toHaveBeenCalledTimes(2);
  });

  it('refreshes with refresh=true', async () => {
    api.getAccess
      .mockResolvedValueOnce(deniedReport())
      .mockResolvedValueOnce(allowedReport());
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');

    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh access check' }),
    );

    expect(
      await screen.findByText('You can reach this cluster'),
    ).toBeInTheDocument();
    expect(api.getAccess).toHaveBeenLastCalledWith({
      entityRef: 'resource:default/payments-prod',
      refresh: true,
    });
  });

  it('checks a pasted ARN and shows its verdict inline', async () => {
    api.getAccess.mockResolvedValue(deniedReport());
    const pasted = allowedReport();
    pasted.identities = [
      {
        ...pasted.identities[0],
        identity: {
          ...pasted.identities[0].identity,
          source: 'pasted',
          label: 'Pasted role PaymentsDeveloper',
        },
      },
    ];
    api.checkIdentity.mockResolvedValue(pasted);
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');

    await userEvent.click(
      screen.getByRole('button', { name: 'Check another identity' }),
    );
    const input = screen.getByRole('textbox', {
      name: 'IAM ARN or output of aws sts get-caller-identity',
    });
    await userEvent.click(input);
    await userEvent.paste('arn:aws:iam::111122223333:role/PaymentsDeveloper');
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));

    const result = await screen.findByRole('region', {
      name: 'Result for the pasted identity',
    });
    expect(
      within(result).getByText('Allowed as dana-sso via access entry'),
    ).toBeInTheDocument();
    expect(api.checkIdentity).toHaveBeenCalledWith({
      entityRef: 'resource:default/payments-prod',
      identity: 'arn:aws:iam::111122223333:role/PaymentsDeveloper',
    });
  });

  it('shows a 400 for a pasted identity next to the input', async () => {
    api.getAccess.mockResolvedValue(deniedReport());
    api.checkIdentity.mockRejectedValue(
      await responseError(400, 'Bad Request', {
        name: 'InputError',
        message: 'not-an-arn is neither an ARN nor get-caller-identity JSON',
      }),
    );
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');

    await userEvent.click(
      screen.getByRole('button', { name: 'Check another identity' }),
    );
    const input = screen.getByRole('textbox', {
      name: 'IAM ARN or output of aws sts get-caller-identity',
    });
    await userEvent.click(input);
    await userEvent.paste('not-an-arn');
    await userEvent.keyboard('{Tab}{Enter}');

    expect(
      await screen.findByText(
        'not-an-arn is neither an ARN nor get-caller-identity JSON',
      ),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.queryByRole('region', { name: 'Result for the pasted identity' }),
    ).not.toBeInTheDocument();
  });

  it('asks for input before checking an empty paste', async () => {
    api.getAccess.mockResolvedValue(deniedReport());
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');

    await userEvent.click(
      screen.getByRole('button', { name: 'Check another identity' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));

    expect(
      screen.getByText(
        'Paste an ARN or the output of aws sts get-caller-identity first.',
      ),
    ).toBeInTheDocument();
    expect(api.checkIdentity).not.toHaveBeenCalled();
  });

  it('offers "Request access" when no identity gets in, and opens the request dialog', async () => {
    api.getAccess.mockResolvedValue(deniedReport());
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');

    await userEvent.click(
      screen.getByRole('button', { name: 'Request access' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request access to payments-staging',
    });
    expect(
      await within(dialog).findByRole('combobox', { name: 'Access level' }),
    ).toHaveValue('view');
    expect(api.listAccessLevels).toHaveBeenCalledWith({
      entityRef: 'resource:default/payments-prod',
    });
  });

  it('offers "Request more access" when an identity already gets in', async () => {
    api.getAccess.mockResolvedValue(allowedReport());
    await renderCard(api);
    await screen.findByText('You can reach this cluster');
    expect(
      screen.getByRole('button', { name: 'Request more access' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request access' }),
    ).not.toBeInTheDocument();
  });

  it('hides the request button without identities to grant', async () => {
    api.getAccess.mockResolvedValue(noIdentitiesReport());
    await renderCard(api);
    await screen.findByText('We don’t know which AWS identities you use');
    expect(
      screen.queryByRole('button', { name: /Request (more )?access/ }),
    ).not.toBeInTheDocument();
  });

  it('calls onRequestAccess instead of the built-in dialog when given', async () => {
    api.getAccess.mockResolvedValue(deniedReport());
    const onRequestAccess = jest.fn();
    await renderCard(api, { onRequestAccess });
    await screen.findByText('You cannot reach this cluster');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request access' }),
    );
    expect(onRequestAccess).toHaveBeenCalledWith(
      expect.objectContaining({ checkedAt: expect.any(String) }),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('lists my requests for this cluster and cancels a pending one with a comment', async () => {
    api.getAccess.mockResolvedValue(deniedReport());
    api.listAccessRequests
      .mockResolvedValueOnce({
        items: [
          accessRequest({
            id: 'old',
            state: 'expired',
            createdAt: '2026-03-01T09:00:00.000Z',
            endedAt: '2026-03-01T11:00:00.000Z',
            allowedActions: [],
          }),
          accessRequest({ id: 'new', approvalsRequired: 2 }),
        ],
      })
      .mockResolvedValueOnce({
        items: [accessRequest({ id: 'new', state: 'cancelled' })],
      });
    api.actOnAccessRequest.mockResolvedValue(
      accessRequest({ id: 'new', state: 'cancelled' }),
    );
    await renderCard(api);

    const list = await screen.findByRole('list', {
      name: 'My requests for this cluster',
    });
    expect(api.listAccessRequests).toHaveBeenCalledWith({
      entityRef: 'resource:default/payments-prod',
      mine: true,
    });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(i => i.getAttribute('data-request-id'))).toEqual([
      'new',
      'old',
    ]);
    expect(items[0]).toHaveAccessibleName(
      'view, whole cluster: Pending approval',
    );
    expect(items[0]).toHaveTextContent(/0 of 2 approvals/);
    expect(items[1]).toHaveTextContent('Expired');
    expect(
      within(items[1]).queryByRole('button', { name: 'Cancel request' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(items[0]).getByRole('button', { name: 'Cancel request' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Cancel this request?',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Comment (optional)' }),
      'Not needed any more',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel request' }),
    );

    expect(api.actOnAccessRequest).toHaveBeenCalledWith({
      id: 'new',
      action: 'cancel',
      comment: 'Not needed any more',
    });
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('list', { name: 'My requests for this cluster' }),
        ).getByRole('listitem'),
      ).toHaveTextContent('Cancelled'),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('revokes an active grant and shows a refusal in the dialog', async () => {
    api.getAccess.mockResolvedValue(allowedReport());
    const active = accessRequest({
      state: 'active',
      activatedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 55 * 60_000).toISOString(),
      allowedActions: ['revoke'],
    });
    api.listAccessRequests.mockResolvedValue({ items: [active] });
    api.actOnAccessRequest
      .mockRejectedValueOnce(
        await responseError(409, 'Conflict', {
          name: 'ConflictError',
          message: 'The request is no longer active',
        }),
      )
      .mockResolvedValueOnce({ ...active, state: 'revoked' });
    await renderCard(api);

    const item = within(
      await screen.findByRole('list', { name: 'My requests for this cluster' }),
    ).getByRole('listitem');
    expect(item).toHaveTextContent(/Expires in 5\d min/);
    await userEvent.click(within(item).getByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('dialog', {
      name: 'Give up this access now?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke access' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The request is no longer active',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke access' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.actOnAccessRequest).toHaveBeenLastCalledWith({
      id: 'req-1',
      action: 'revoke',
      comment: '',
    });
  });

  it('refreshes the requests on a signal for this cluster, and the verdict once a grant is active', async () => {
    const signals = fakeSignals();
    api.getAccess
      .mockResolvedValueOnce(deniedReport())
      .mockResolvedValue(allowedReport());
    api.listAccessRequests
      .mockResolvedValueOnce({ items: [accessRequest()] })
      .mockResolvedValue({
        items: [
          accessRequest({
            state: 'active',
            expiresAt: new Date(Date.now() + 3600_000).toISOString(),
            allowedActions: ['revoke'],
          }),
        ],
      });
    await renderCard(api, {}, { signals: signals.api });
    await screen.findByText('You cannot reach this cluster');
    await screen.findByText('Pending approval');

    signals.send('eks-access:requests', {
      requestId: 'x',
      entityRef: 'resource:default/other',
      state: 'active',
    });
    expect(api.listAccessRequests).toHaveBeenCalledTimes(1);

    signals.send('eks-access:requests', {
      requestId: 'req-1',
      entityRef: 'resource:default/payments-prod',
      state: 'active',
    });
    expect(await screen.findByText('Active')).toBeInTheDocument();
    expect(
      await screen.findByText('You can reach this cluster'),
    ).toBeInTheDocument();
    expect(api.getAccess).toHaveBeenLastCalledWith({
      entityRef: 'resource:default/payments-prod',
      refresh: true,
    });
  });
});
