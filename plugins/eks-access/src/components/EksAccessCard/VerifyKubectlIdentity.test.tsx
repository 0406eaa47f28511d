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
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eksAccessApiRef } from '../../api';
import {
  danaSsoIdentity,
  deniedReport,
  MockEksAccessApi,
  mockEksAccessApi,
  responseError,
} from '../../testing/accessReportFixtures';
import {
  IdentityProvenanceList,
  identityProvenance,
} from './IdentityProvenance';
import { proofCommand, VerifyKubectlIdentity } from './VerifyKubectlIdentity';

const ENTITY = 'resource:default/eks-payments-staging';
const challenge = {
  nonce: '0123456789abcdef0123456789abcdef',
  clusterId: 'eks-access-proof-0123456789abcdef0123456789abcdef',
  expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
  command:
    'aws eks get-token --cluster-name eks-access-proof-0123456789abcdef0123456789abcdef --output json',
};
const verifiedCaller =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com';

function verifiedResult(matches = true) {
  const report = deniedReport();
  report.identities[0].identity = {
    ...danaSsoIdentity,
    source: 'verified',
    label: 'SSO PaymentsDeveloper (verified)',
  };
  report.identities[0].verdict.findings.push({
    code: 'NOT_MAPPED',
    severity: 'error',
    message: 'No aws-auth entry or access entry maps this identity.',
  });
  return {
    proof: {
      identity: report.identities[0].identity,
      account: '111122223333',
      verifiedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
    ...(matches
      ? {
          matches: {
            label: 'SSO PaymentsDeveloper',
            source: 'identity-center' as const,
          },
        }
      : {}),
    report,
  };
}

async function renderVerify(api: MockEksAccessApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[eksAccessApiRef, api]]}>
      <VerifyKubectlIdentity entityRef={ENTITY} region="us-east-1" />
    </TestApiProvider>,
  );
}

describe('VerifyKubectlIdentity', () => {
  it('shows the command, verifies the pasted output and shows the verified identity and its verdict', async () => {
    const api = mockEksAccessApi();
    api.startIdentityProof.mockResolvedValue(challenge);
    api.verifyIdentityProof.mockResolvedValue(verifiedResult());
    await renderVerify(api);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Verify the identity my kubectl uses',
      }),
    );
    expect(
      await screen.findByText(`${challenge.command} --region us-east-1`, {
        exact: false,
      }),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByLabelText('AWS profile (optional)'),
      'payments',
    );
    expect(
      screen.getByText(
        `${challenge.command} --region us-east-1 --profile payments`,
        {
          exact: false,
        },
      ),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByLabelText('Output of the command, or its k8s-aws-v1. token'),
      'k8s-aws-v1.abc',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(api.verifyIdentityProof).toHaveBeenCalledWith({
      nonce: challenge.nonce,
      token: 'k8s-aws-v1.abc',
      entityRef: ENTITY,
    });
    const heading = await screen.findByRole('heading', {
      name: /kubectl on your machine is using:/,
    });
    expect(heading).toHaveTextContent(`${verifiedCaller} (verified)`);
    expect(
      screen.getByText(
        /This is your identity SSO PaymentsDeveloper, which Backstage knows from IAM Identity Center/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/This identity is not mapped in this cluster/),
    ).toBeInTheDocument();
  });

  it('says plainly when the verified identity is not one of theirs', async () => {
    const api = mockEksAccessApi();
    api.getIdentityProof.mockResolvedValue(verifiedResult(false));
    await renderVerify(api);
    expect(
      await screen.findByText(
        /This is not one of the identities Backstage knows for you/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Verify my kubectl identity again' }),
    ).toBeInTheDocument();
  });

  it('shows the 400 reason next to the pasted output', async () => {
    const api = mockEksAccessApi();
    api.startIdentityProof.mockResolvedValue(challenge);
    api.verifyIdentityProof.mockRejectedValue(
      await responseError(400, 'Bad Request', {
        name: 'InputError',
        message: 'The token expired (EKS accepts a token for 15 minutes).',
      }),
    );
    await renderVerify(api);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Verify the identity my kubectl uses',
      }),
    );
    await userEvent.type(
      await screen.findByLabelText(
        'Output of the command, or its k8s-aws-v1. token',
      ),
      'k8s-aws-v1.old',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() =>
      expect(
        screen.getByText(
          'The token expired (EKS accepts a token for 15 minutes).',
        ),
      ).toBeInTheDocument(),
    );
  });

  it('builds the command with --role-arn', () => {
    expect(
      proofCommand(challenge, { roleArn: ' arn:aws:iam::1:role/R ' }),
    ).toBe(`${challenge.command} --role-arn arn:aws:iam::1:role/R`);
  });
});

describe('IdentityProvenanceList', () => {
  it('says where each identity comes from, with the permission set', async () => {
    await renderInTestApp(
      <IdentityProvenanceList
        identities={[
          {
            ...danaSsoIdentity,
            source: 'identity-center',
            permissionSetName: 'PaymentsDeveloper',
            assignedThrough: ['group payments-developers'],
          },
          {
            ...danaSsoIdentity,
            callerArn: 'arn:aws:iam::444455556666:user/engineering/dana',
            source: 'annotation',
            label: 'IAM user engineering/dana',
          },
        ]}
      />,
    );
    expect(
      screen.getByRole('heading', { name: 'Where your identities come from' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'SSO PaymentsDeveloper: IAM Identity Center, permission set PaymentsDeveloper (assigned to group payments-developers)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'IAM user engineering/dana: the eks-access.io/iam-principals annotation of your User entity',
      ),
    ).toBeInTheDocument();
    expect(identityProvenance({ ...danaSsoIdentity, source: 'template' })).toBe(
      'a Backstage identity template',
    );
  });
});
