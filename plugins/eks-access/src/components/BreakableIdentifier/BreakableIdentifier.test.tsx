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

import { render, screen } from '@testing-library/react';
import { BreakableIdentifier, identifierParts } from './BreakableIdentifier';

const ssoRole =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123';

describe('BreakableIdentifier', () => {
  it('splits after each "/" and ":" only', () => {
    expect(identifierParts('arn:aws:iam::1:role/a/b')).toEqual([
      'arn:',
      'aws:',
      'iam:',
      ':',
      '1:',
      'role/',
      'a/',
      'b',
    ]);
    expect(identifierParts('dana')).toEqual(['dana']);
  });

  it('reads as one string, with break opportunities at the separators', () => {
    const { container } = render(<BreakableIdentifier text={ssoRole} />);
    expect(screen.getByText(ssoRole)).toBeInTheDocument();
    expect(container.querySelectorAll('wbr')).toHaveLength(
      identifierParts(ssoRole).length - 1,
    );
    // Words are not broken anywhere else.
    expect(getComputedStyle(container.firstElementChild!).wordBreak).toBe(
      'normal',
    );
  });
});
