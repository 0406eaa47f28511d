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
import type { AccessRequestState } from '@eks-access/plugin-eks-access-common';
import { AccessRequestStateChip } from '../AccessRequests/AccessRequestStateChip';

const states: AccessRequestState[] = [
  'pending',
  'approved',
  'active',
  'failed',
  'rejected',
  'revoked',
  'expired',
  'cancelled',
];

describe('AccessRequestStateChip', () => {
  it.each(states)(
    'says "%s" in words, in the primary text colour, with a decorative icon',
    async state => {
      const { container } = await renderInTestApp(
        <AccessRequestStateChip state={state} />,
      );
      const chip = container.querySelector(`[data-state="${state}"]`)!;
      // The label, not colour, carries the state.
      expect(chip.textContent).not.toBe('');
      // Text colour is the theme's primary text, never a status colour
      // (Pending approval was yellow on white, 1.2:1).
      expect(getComputedStyle(chip).color).toBe('rgba(0, 0, 0, 0.87)');
      const icon = chip.querySelector('svg')!;
      expect(icon).toHaveAttribute('aria-hidden', 'true');
    },
  );

  it('names the pending state "Pending approval"', async () => {
    await renderInTestApp(<AccessRequestStateChip state="pending" />);
    expect(screen.getByText('Pending approval')).toBeInTheDocument();
  });
});
