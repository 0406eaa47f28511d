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

import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FixPlan } from '@eks-access/plugin-eks-access-common';
import { DiagnosisFix, PermissionSummaryView } from './FixPlanPanel';

const cluster = { name: 'legacy-batch', region: 'us-west-2' };
const plan: FixPlan = {
  summary: 'Map dana in aws-auth mapUsers with the read-only group',
  steps: [
    {
      op: 'AwsAuthRepairYaml',
      key: 'mapUsers',
      value: '',
      problem: 'tabs indent it (line 2)',
    },
    {
      op: 'AwsAuthUpsertMapping',
      section: 'mapUsers',
      arn: 'arn:aws:iam::444455556666:user/engineering/dana',
      username: 'dana',
      groups: ['eks-access-viewers'],
    },
  ],
  promise: {
    username: 'dana',
    groups: ['eks-access-viewers'],
    accessPolicies: [],
  },
  alsoAdmits: ['other principal 1'],
  redacted: true,
};

describe('DiagnosisFix', () => {
  it('shows the steps in order and the plan in four tabs', async () => {
    await renderInTestApp(
      <DiagnosisFix diagnosis={{ plan, secondary: [] }} cluster={cluster} />,
    );
    const steps = screen.getByRole('list', { name: 'Steps, in order' });
    expect(steps.textContent).toMatch(
      /Repair the YAML of aws-auth mapUsers.*Map arn/,
    );
    expect(
      screen.getByText(/restores access for 1 other principal/),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'AWS CLI' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tabpanel').textContent).toContain(
      'kubectl edit configmap aws-auth',
    );
    await userEvent.click(screen.getByRole('tab', { name: 'Terraform' }));
    expect(screen.getByRole('tabpanel').textContent).toContain(
      'kubernetes_config_map_v1_data',
    );
    await userEvent.click(screen.getByRole('tab', { name: 'eksctl' }));
    expect(screen.getByRole('tabpanel')).toBeInTheDocument();
  });

  it('says what an admin must decide when no plan could be verified', async () => {
    await renderInTestApp(
      <DiagnosisFix
        diagnosis={{
          secondary: [],
          decisionNeeded: 'This role is set up for EC2 nodes.',
        }}
        cluster={cluster}
      />,
    );
    expect(screen.getByTestId('decision-needed').textContent).toContain(
      'EC2 nodes',
    );
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
  });

  it('shows nothing when there is nothing to fix', async () => {
    const { container } = await renderInTestApp(
      <DiagnosisFix diagnosis={{ secondary: [] }} cluster={cluster} />,
    );
    expect(container.textContent).toBe('');
  });
});

describe('PermissionSummaryView', () => {
  it('summarizes per scope', async () => {
    await renderInTestApp(
      <PermissionSummaryView
        summary={{
          scopes: [
            {
              namespace: '*',
              level: 'read',
              secrets: false,
              sources: ['view'],
            },
          ],
          forbidden: false,
          rbacKnown: true,
        }}
      />,
    );
    expect(
      screen.getByText('whole cluster: read, secrets no'),
    ).toBeInTheDocument();
  });

  it('says who answered: the cluster, or the RBAC Backstage read and why', async () => {
    const scopes = [
      {
        namespace: '*',
        level: 'read' as const,
        secrets: false,
        sources: ['SubjectAccessReview'],
      },
    ];
    const { unmount } = await renderInTestApp(
      <PermissionSummaryView
        summary={{
          scopes,
          forbidden: false,
          rbacKnown: true,
          answeredBy: 'SubjectAccessReview',
        }}
      />,
    );
    expect(
      screen.getByText('Answered by the cluster (SubjectAccessReview).'),
    ).toBeInTheDocument();
    unmount();
    await renderInTestApp(
      <PermissionSummaryView
        summary={{
          scopes,
          forbidden: false,
          rbacKnown: true,
          answeredBy: 'RbacSnapshot',
          fallbackReason:
            'Backstage may not create subjectaccessreviews on this cluster (403)',
        }}
      />,
    );
    expect(
      screen.getByText(
        /From the RBAC objects Backstage read \(the cluster was not asked: Backstage may not create subjectaccessreviews/,
      ),
    ).toBeInTheDocument();
  });

  it('says Forbidden when nothing binds', async () => {
    await renderInTestApp(
      <PermissionSummaryView
        summary={{ scopes: [], forbidden: true, rbacKnown: true }}
      />,
    );
    expect(
      screen.getByText(/No RBAC binding or access policy/),
    ).toBeInTheDocument();
  });
});
