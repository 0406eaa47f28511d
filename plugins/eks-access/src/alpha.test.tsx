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
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  createExtensionTester,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { mockApis } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import eksAccessPlugin, {
  eksAccessApi,
  eksAccessEntityCard,
  eksAccessPage,
  eksAccessRequestsPage,
} from './alpha';
import { eksAccessApiRef } from './api';
import {
  allowedReport,
  mockEksAccessApi,
} from './testing/accessReportFixtures';

const eksCluster: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-prod',
    annotations: {
      'amazonaws.com/arn':
        'arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
    },
  },
  spec: { type: 'kubernetes-cluster' },
};

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout' },
  spec: { type: 'service' },
};

describe('eks-access plugin for the new frontend system', () => {
  it('has the plugin id and the API, card and page extensions under their IDs', () => {
    expect(eksAccessPlugin.pluginId).toBe('eks-access');
    expect(eksAccessPlugin.getExtension('api:eks-access')).toBeDefined();
    expect(
      eksAccessPlugin.getExtension('entity-card:eks-access/access'),
    ).toBeDefined();
    expect(eksAccessPlugin.getExtension('page:eks-access')).toBeDefined();
    expect(
      eksAccessPlugin.getExtension('page:eks-access/requests'),
    ).toBeDefined();
    expect(eksAccessPlugin.routes.root).toBeDefined();
    expect(eksAccessPlugin.routes.requests).toBeDefined();
  });

  it('provides the client for the shared API ref', () => {
    const factory = createExtensionTester(eksAccessApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(eksAccessApiRef);
  });

  it('shows the card only on EKS cluster entities', () => {
    const tester = createExtensionTester(eksAccessEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter).toBeDefined();
    expect(filter!(eksCluster)).toBe(true);
    expect(filter!(component)).toBe(false);
  });

  it('mounts the page at /eks-access with the title of its nav item', () => {
    const tester = createExtensionTester(eksAccessPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/eks-access');
    expect(tester.get(coreExtensionData.title)).toBe('My EKS access');
  });

  it('mounts "Access requests" at /eks-access/requests', () => {
    const tester = createExtensionTester(eksAccessRequestsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/eks-access/requests',
    );
    expect(tester.get(coreExtensionData.title)).toBe('Access requests');
  });

  it('renders the card through its loader', async () => {
    const api = mockEksAccessApi();
    api.getAccess.mockResolvedValue(allowedReport());
    api.listAccessRequests.mockResolvedValue({ items: [] });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [eksAccessApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={eksCluster}>
          {createExtensionTester(eksAccessEntityCard).reactElement()}
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('You can reach this cluster'),
    ).toBeInTheDocument();
  });
});
