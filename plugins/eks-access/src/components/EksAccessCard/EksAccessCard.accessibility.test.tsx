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
 * Focus and announcements in the card, the "Check another identity"
 * disclosure and the request dialog (issue: WCAG 2.1 AA, keyboard-first).
 */

import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eksAccessApiRef } from '../../api';
import {
  accessRequest,
  allowedReport,
  demoLevels,
  deniedReport,
  MockEksAccessApi,
  mockEksAccessApi,
} from '../../testing/accessReportFixtures';
import { EksAccessCard } from './EksAccessCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'payments-staging', namespace: 'default' },
  spec: { type: 'kubernetes-cluster', owner: 'team-payments' },
};

async function renderCard(api: MockEksAccessApi) {
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
      <EntityProvider entity={entity}>
        <EksAccessCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EksAccessCard accessibility', () => {
  let api: MockEksAccessApi;

  beforeEach(() => {
    api = mockEksAccessApi();
    api.getAccess.mockResolvedValue(deniedReport());
    api.listAccessRequests.mockResolvedValue({ items: [] });
    api.listAccessLevels.mockResolvedValue({
      entityRef: 'resource:default/eks-payments-staging',
      levels: demoLevels(),
      maxReasonLength: 1000,
    });
  });

  it('keeps the focus on Refresh while checking, and announces the new verdict', async () => {
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');
    let finish: (value: ReturnType<typeof allowedReport>) => void = () => {};
    api.getAccess.mockReturnValue(
      new Promise(resolve => {
        finish = resolve;
      }),
    );
    const refresh = screen.getByRole('button', {
      name: 'Refresh access check',
    });
    await userEvent.click(refresh);
    // Not disabled (a disabled button drops the focus), only marked busy.
    expect(refresh).not.toBeDisabled();
    expect(refresh).toHaveAttribute('aria-disabled', 'true');
    expect(refresh).toHaveFocus();
    finish(allowedReport());
    await waitFor(() =>
      expect(
        screen
          .getAllByRole('status')
          .some(
            s =>
              s.textContent ===
              'Access checked again: You can reach this cluster',
          ),
      ).toBe(true),
    );
    expect(refresh).toHaveFocus();
  });

  it('"Check another identity" is one disclosure button that controls its panel', async () => {
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');
    const toggle = screen.getByRole('button', {
      name: 'Check another identity',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    const panel = document.getElementById(
      toggle.getAttribute('aria-controls')!,
    );
    expect(panel).not.toBeVisible();

    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(panel).toBeVisible();
    const input = screen.getByRole('textbox', {
      name: 'IAM ARN or output of aws sts get-caller-identity',
    });
    expect(input).toHaveFocus();
    // No second button for the same disclosure.
    expect(screen.queryByRole('button', { name: 'Close' })).toBeNull();

    // An empty check: focus back on the field, which says what is wrong.
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(
      'Paste an ARN or the output of aws sts get-caller-identity first.',
    );

    // Collapsing keeps the focus on the toggle.
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();
    expect(panel).not.toBeVisible();
  });

  it('announces the verdict of a pasted identity', async () => {
    api.checkIdentity.mockResolvedValue(allowedReport());
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');
    await userEvent.click(
      screen.getByRole('button', { name: 'Check another identity' }),
    );
    await userEvent.paste('arn:aws:iam::111122223333:role/PaymentsDeveloper');
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));
    await screen.findByRole('region', {
      name: 'Result for the pasted identity',
    });
    expect(
      screen
        .getAllByRole('status')
        .some(s =>
          s.textContent?.startsWith('Result for the pasted identity: Allowed'),
        ),
    ).toBe(true);
  });

  it('opens the request dialog on its first field, and a failed submit focuses the first invalid field', async () => {
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request access' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request access to payments-staging',
    });
    const identity = await within(dialog).findByRole('combobox', {
      name: 'Identity',
    });
    await waitFor(() => expect(identity).toHaveFocus());

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    );
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ });
    expect(reason).toHaveFocus();
    expect(reason).toHaveAccessibleDescription('Say why you need access.');
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'Check Reason.',
    );
    expect(api.createAccessRequest).not.toHaveBeenCalled();
  });

  it('after sending a request, focuses Done, then returns to "Request access"', async () => {
    api.createAccessRequest.mockResolvedValue(accessRequest());
    await renderCard(api);
    await screen.findByText('You cannot reach this cluster');
    const requestButton = screen.getByRole('button', {
      name: 'Request access',
    });
    await userEvent.click(requestButton);
    const dialog = await screen.findByRole('dialog', {
      name: 'Request access to payments-staging',
    });
    await within(dialog).findByRole('combobox', { name: 'Access level' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      'On call',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    );
    const done = await within(dialog).findByRole('button', { name: 'Done' });
    await waitFor(() => expect(done).toHaveFocus());
    await userEvent.click(done);
    await waitFor(() => expect(requestButton).toHaveFocus());
  });
});
