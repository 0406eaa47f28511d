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

import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eksAccessApiRef } from '../../api';
import {
  accessRequest,
  allowedReport,
  danaSsoIdentity,
  danaUserIdentity,
  demoLevels,
  MockEksAccessApi,
  mockEksAccessApi,
  responseError,
} from '../../testing/accessReportFixtures';
import { RequestAccessDialog } from './RequestAccessDialog';
import { requestablePrincipals, unverifiedPrincipals } from './requestForm';

const entityRef = 'resource:default/ml-training';

async function renderDialog(
  api: MockEksAccessApi,
  extra: {
    onCreated?: jest.Mock;
    onClose?: jest.Mock;
    identities?: ReturnType<typeof allowedReport>['identities'];
  } = {},
) {
  await renderInTestApp(
    <TestApiProvider apis={[[eksAccessApiRef, api]]}>
      <RequestAccessDialog
        open
        entityRef={entityRef}
        clusterName="ml-training"
        identities={extra.identities ?? allowedReport().identities}
        onClose={extra.onClose ?? jest.fn()}
        onCreated={extra.onCreated}
      />
    </TestApiProvider>,
  );
  return screen.findByRole('combobox', { name: 'Access level' });
}

const reasonBox = () => screen.getByRole('textbox', { name: /^Reason/ });
const submit = () =>
  userEvent.click(screen.getByRole('button', { name: 'Submit request' }));

/** Dana's IAM user, from an annotation she could have written herself. */
function withUnverifiedUser() {
  const [sso, user] = allowedReport().identities;
  return [
    sso,
    {
      ...user,
      identity: {
        ...user.identity,
        unverifiedReason:
          'it comes from an annotation on user:default/dana, read from url:https://example.com/dana.yaml, which is not a trusted user location',
      },
    },
  ];
}

describe('unverifiedPrincipals', () => {
  it('leaves identities the user could have written out of the offer, with the reason', () => {
    const identities = withUnverifiedUser();
    expect(requestablePrincipals(identities).map(p => p.principalArn)).toEqual([
      danaSsoIdentity.principalArn,
    ]);
    expect(unverifiedPrincipals(identities)).toEqual([
      {
        principalArn: danaUserIdentity.principalArn,
        label: 'IAM user engineering/dana',
        reason: expect.stringContaining('not a trusted user location'),
      },
    ]);
  });

  it('never offers a pasted identity', () => {
    const [sso] = allowedReport().identities;
    const pasted = {
      ...sso,
      identity: { ...sso.identity, source: 'pasted' as const },
    };
    expect(requestablePrincipals([pasted])).toEqual([]);
  });
});

describe('RequestAccessDialog', () => {
  let api: MockEksAccessApi;

  beforeEach(() => {
    api = mockEksAccessApi();
    api.listAccessLevels.mockResolvedValue({
      entityRef,
      levels: demoLevels(),
      maxReasonLength: 1000,
    });
  });

  it('offers only verified identities, says how to prove the others, and adds the proven one', async () => {
    await renderDialog(api, { identities: withUnverifiedUser() });
    const identity = screen.getByRole('combobox', { name: 'Identity' });
    expect(
      within(identity)
        .getAllByRole('option')
        .map(o => (o as HTMLOptionElement).value),
    ).toEqual([danaSsoIdentity.principalArn]);
    expect(
      screen.getByText(/Not offered until you prove that you use it/),
    ).toHaveTextContent(
      'IAM user engineering/dana (it comes from an annotation on user:default/dana',
    );
  });

  it('offers the identity proven with a kubectl token', async () => {
    api.getIdentityProof.mockResolvedValue({
      proof: {
        identity: {
          callerArn: 'arn:aws:iam::444455556666:user/engineering/dana',
          principalArn: 'arn:aws:iam::444455556666:user/engineering/dana',
          source: 'verified',
          label: 'IAM user engineering/dana (verified)',
          verifiedAt: '2026-03-02T09:00:00.000Z',
        },
        account: '444455556666',
        verifiedAt: '2026-03-02T09:00:00.000Z',
        expiresAt: '2026-03-02T17:00:00.000Z',
      },
    });
    await renderDialog(api, { identities: withUnverifiedUser() });
    const identity = screen.getByRole('combobox', { name: 'Identity' });
    await waitFor(() =>
      expect(
        within(identity)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual([
        expect.stringContaining('SSO PaymentsDeveloper'),
        expect.stringContaining('IAM user engineering/dana (verified)'),
      ]),
    );
    expect(
      screen.queryByText(/Not offered until you prove/),
    ).not.toBeInTheDocument();
  });

  it('counts the reason against the limit the backend is configured with', async () => {
    api.listAccessLevels.mockResolvedValue({
      entityRef,
      levels: demoLevels(),
      maxReasonLength: 20,
    });
    await renderDialog(api);
    await userEvent.type(reasonBox(), 'Debug the nightly job');
    expect(screen.getByText('At most 20 characters (21).')).toBeVisible();
  });

  it('offers the identities, the cluster’s levels with their description and durations up to the maximum', async () => {
    const level = await renderDialog(api);

    expect(
      screen.getByRole('dialog', { name: 'Request access to ml-training' }),
    ).toBeInTheDocument();
    expect(api.listAccessLevels).toHaveBeenCalledWith({ entityRef });
    const identity = screen.getByRole('combobox', { name: 'Identity' });
    expect(
      within(identity)
        .getAllByRole('option')
        .map(o => (o as HTMLOptionElement).value),
    ).toEqual([danaUserIdentity.principalArn, danaSsoIdentity.principalArn]);
    expect(identity).toHaveValue(danaUserIdentity.principalArn);

    expect(level).toHaveValue('view');
    expect(
      screen.getByText('Read-only access to workloads, no secrets'),
    ).toBeInTheDocument();
    const duration = screen.getByRole('combobox', { name: 'Duration' });
    expect(duration).toHaveDisplayValue('1 h');
    expect(
      within(duration)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['15 min', '30 min', '1 h', '2 h', '4 h', '8 h (maximum)']);

    await userEvent.selectOptions(level, 'cluster-admin');
    expect(
      screen.getByText('Full control of the cluster; two approvals'),
    ).toBeInTheDocument();
    expect(screen.getByText(/At most 2 h; 2 approvals needed/)).toBeVisible();
    expect(screen.getByRole('radio', { name: 'Namespaces' })).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'Whole cluster' })).toBeChecked();
  });

  it('explains what is wrong before sending anything', async () => {
    await renderDialog(api);

    await submit();
    expect(screen.getByText('Say why you need access.')).toBeInTheDocument();
    expect(reasonBox()).toHaveAttribute('aria-invalid', 'true');

    // Edit is namespaced only and allows no wildcards.
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Access level' }),
      'edit',
    );
    expect(screen.getByRole('radio', { name: 'Namespaces' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Whole cluster' })).toBeDisabled();
    const namespaces = screen.getByRole('textbox', { name: /^Namespaces/ });
    expect(screen.getByText('Enter at least one namespace.')).toBeVisible();
    await userEvent.type(namespaces, 'Payments, ml-*, -bad');
    expect(
      screen.getByText(
        /"Payments" has upper-case letters; namespaces are lower-case; "ml-\*": this access level does not allow namespace wildcards; "-bad" is not a valid namespace/,
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Namespaces to request' }),
      ).getAllByRole('listitem'),
    ).toHaveLength(3);

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Ticket link (optional)' }),
      'OPS-12',
    );
    expect(screen.getByText(/Enter an http\(s\) link/)).toBeInTheDocument();

    await userEvent.click(reasonBox());
    await userEvent.paste('x'.repeat(1001));
    expect(screen.getByText('At most 1000 characters (1001).')).toBeVisible();

    await submit();
    expect(api.createAccessRequest).not.toHaveBeenCalled();
  });

  it('sends a valid request and confirms it', async () => {
    const onCreated = jest.fn();
    const created = accessRequest({
      scope: { type: 'namespace', namespaces: ['ml-jobs', 'ml-team-*'] },
      durationSeconds: 4 * 3600,
    });
    api.createAccessRequest.mockResolvedValue(created);
    await renderDialog(api, { onCreated });

    await userEvent.click(screen.getByRole('radio', { name: 'Namespaces' }));
    await userEvent.type(
      screen.getByRole('textbox', { name: /^Namespaces/ }),
      'ml-jobs ml-team-*',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Duration' }),
      '4 h',
    );
    await userEvent.type(reasonBox(), '  Debug the nightly training job ');
    expect(screen.getByText('30/1000')).toBeInTheDocument();
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Ticket link (optional)' }),
      'https://jira.example.com/OPS-12',
    );
    await submit();

    expect(api.createAccessRequest).toHaveBeenCalledWith({
      entityRef,
      principalArn: danaUserIdentity.principalArn,
      level: 'view',
      scope: { type: 'namespace', namespaces: ['ml-jobs', 'ml-team-*'] },
      durationSeconds: 4 * 3600,
      reason: 'Debug the nightly training job',
      ticketUrl: 'https://jira.example.com/OPS-12',
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      /Request sent: view on ml-training \(namespaces ml-jobs, ml-team-\*, 4 h\).*It needs 1 approval/,
    );
    expect(onCreated).toHaveBeenCalledWith(created);
    expect(
      screen.queryByRole('button', { name: 'Submit request' }),
    ).not.toBeInTheDocument();
    // The form is gone: focus moves to Done, which is enabled.
    const done = screen.getByRole('button', { name: 'Done' });
    await waitFor(() => expect(done).toHaveFocus());
    expect(done).toBeEnabled();
  });

  it('shows the backend’s 400 inline and keeps the form', async () => {
    api.createAccessRequest.mockRejectedValue(
      await responseError(400, 'Bad Request', {
        name: 'InputError',
        message:
          'The duration (14400s) is longer than the level view allows (3600s)',
      }),
    );
    await renderDialog(api);
    await userEvent.type(reasonBox(), 'Investigate');
    await submit();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The duration (14400s) is longer than the level view allows (3600s)',
    );
    expect(reasonBox()).toHaveValue('Investigate');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();

    // Changing the form clears the old answer.
    await userEvent.type(reasonBox(), '!');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('offers a level the cluster cannot use only disabled, with the backend’s reason', async () => {
    const [view, edit] = demoLevels();
    const reason =
      'No RoleBinding or ClusterRoleBinding on ml-training names the group eks-access:view: a grant would let you sign in but Kubernetes would refuse every request. A cluster admin must bind it first.';
    api.listAccessLevels.mockResolvedValue({
      entityRef,
      levels: [
        { ...view, unavailable: { code: 'LEVEL_GROUPS_UNBOUND', reason } },
        edit,
      ],
      maxReasonLength: 1000,
    });
    const level = await renderDialog(api);
    // the first level that can be granted is chosen
    expect(level).toHaveValue('edit');
    const option = within(level).getByRole('option', {
      name: 'View (not available on this cluster)',
    }) as HTMLOptionElement;
    expect(option.disabled).toBe(true);
    expect(screen.getByTestId('unavailable-levels')).toHaveTextContent(
      `Not available on ml-training:View: ${reason}`,
    );
  });

  it('shows the backend’s 409 refusal of a grant that cannot work', async () => {
    api.createAccessRequest.mockRejectedValue(
      await responseError(409, 'Conflict', {
        name: 'ConflictError',
        code: 'GRANT_NOT_APPLICABLE',
        message:
          'The access level view cannot be granted to arn:aws:iam::444455556666:user/engineering/dana on ml-training: It cannot work: aws-auth mapUsers must be repaired first.',
      } as any),
    );
    await renderDialog(api);
    await userEvent.type(reasonBox(), 'Investigate');
    await submit();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /aws-auth mapUsers must be repaired first/,
    );
  });

  it('says when the levels cannot be loaded, and retries', async () => {
    api.listAccessLevels
      .mockRejectedValueOnce(
        await responseError(404, 'Not Found', {
          name: 'NotFoundError',
          message: 'No EKS cluster entity resource:default/ml-training',
        }),
      )
      .mockResolvedValueOnce({ entityRef, levels: [], maxReasonLength: 1000 });
    await renderInTestApp(
      <TestApiProvider apis={[[eksAccessApiRef, api]]}>
        <RequestAccessDialog
          open
          entityRef={entityRef}
          clusterName="ml-training"
          identities={allowedReport().identities}
          onClose={jest.fn()}
        />
      </TestApiProvider>,
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the access levels: No EKS cluster entity resource:default/ml-training',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText(/No access levels are offered on ml-training/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Submit request' }),
    ).not.toBeInTheDocument();
  });
});
