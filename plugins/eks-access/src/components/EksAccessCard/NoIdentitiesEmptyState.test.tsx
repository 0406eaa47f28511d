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
import type { Finding } from '@eks-access/plugin-eks-access-common';
import { NoIdentitiesEmptyState } from './NoIdentitiesEmptyState';

// What the backend sends with a report that has no identity at all.
const noIdentityNote: Finding = {
  code: 'NOT_MAPPED',
  severity: 'info',
  message: 'Backstage does not know which AWS identity you use.',
  fix: {
    summary: 'Find out which AWS identity you use.',
    commands: ['aws sts get-caller-identity'],
  },
};

const invalidArnNote: Finding = {
  code: 'INVALID_CALLER_ARN',
  severity: 'warning',
  message: '"arn:aws:iam::1:nope" is not an IAM role or user ARN',
  fix: {
    summary: 'Correct the annotation on your User entity.',
    commands: ['aws sts get-caller-identity'],
  },
};

describe('NoIdentitiesEmptyState', () => {
  it('does not say "Nothing on the cluster admits this identity" when there is no identity', async () => {
    await renderInTestApp(<NoIdentitiesEmptyState notes={[noIdentityNote]} />);

    expect(
      screen.getByText('We don’t know which AWS identities you use'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Nothing on the cluster admits this identity/),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Notes about your identities' }),
    ).not.toBeInTheDocument();
  });

  it('still shows the other notes, such as an annotation line that is not an ARN', async () => {
    await renderInTestApp(
      <NoIdentitiesEmptyState notes={[noIdentityNote, invalidArnNote]} />,
    );

    const notes = screen.getByRole('list', {
      name: 'Notes about your identities',
    });
    expect(notes).toHaveTextContent('is not an IAM role or user ARN');
    expect(notes).not.toHaveTextContent('Nothing on the cluster admits');
  });
});
