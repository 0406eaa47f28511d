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
import { CommandBlock } from './CommandBlock';

const longCommand =
  'aws eks create-access-entry --cluster-name payments-staging --principal-arn arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b --type STANDARD';

describe('CommandBlock', () => {
  it('shows the command as plain text that wraps, with no highlighting', async () => {
    await renderInTestApp(<CommandBlock text={longCommand} />);
    const code = screen.getByText(longCommand);
    expect(code.tagName).toBe('CODE');
    // No syntax-highlight spans: `--type` is not a keyword in its own colour.
    expect(code.children).toHaveLength(0);
    const pre = code.closest('pre')!;
    expect(getComputedStyle(pre).whiteSpace).toBe('pre-wrap');
    // Never a scrollable region that needs a name and keyboard access.
    expect(pre).not.toHaveAttribute('tabindex');
  });

  it('keeps the copy button outside the text, and announces a copy', async () => {
    await renderInTestApp(<CommandBlock text="kubectl get pods" />);
    const copy = screen.getByRole('button', { name: 'Copy text' });
    expect(copy.closest('pre')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('');
    await userEvent.click(copy);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Copied to the clipboard',
    );
  });
});
