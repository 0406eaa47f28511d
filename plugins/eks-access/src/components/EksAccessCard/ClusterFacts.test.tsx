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
import { clusterFacts } from '../../testing/accessReportFixtures';
import { ClusterFacts } from './ClusterFacts';

const CHECKED_AT = new Date().toISOString();

describe('ClusterFacts: the cluster creator', () => {
  it('says where the creator is known from, without its ARN', async () => {
    await renderInTestApp(
      <ClusterFacts
        cluster={{
          ...clusterFacts({ name: 'analytics' }),
          creator: { source: 'cloudtrail' },
        }}
        checkedAt={CHECKED_AT}
      />,
    );
    expect(screen.getByText('Cluster creator')).toBeInTheDocument();
    expect(
      screen.getByText('Found in CloudTrail (the CreateCluster event)'),
    ).toBeInTheDocument();
  });

  it('says why it is unknown, CloudTrail’s 90 days included', async () => {
    await renderInTestApp(
      <ClusterFacts
        cluster={{
          ...clusterFacts({ name: 'search-prod' }),
          creator: {
            unknown: {
              notes: [
                'CloudTrail keeps 90 days of events only, and the cluster was created on 2023-04-04: its CreateCluster event is gone.',
              ],
            },
          },
        }}
        checkedAt={CHECKED_AT}
      />,
    );
    expect(screen.getByText('Unknown')).toBeInTheDocument();
    expect(
      screen.getByText(/CloudTrail keeps 90 days of events only/),
    ).toBeInTheDocument();
  });

  it('shows no creator row where the creator does not matter', async () => {
    await renderInTestApp(
      <ClusterFacts
        cluster={clusterFacts({ name: 'ml-training' })}
        checkedAt={CHECKED_AT}
      />,
    );
    expect(screen.queryByText('Cluster creator')).not.toBeInTheDocument();
  });
});
