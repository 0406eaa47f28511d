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

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { EksAccessDemoPermissionPolicy } from './EksAccessDemoPermissionPolicy';

/**
 * Installs {@link EksAccessDemoPermissionPolicy} as the permission policy:
 * cluster owners and `eksAccess.requests.adminGroups` approve requests, only
 * admin groups read diagnostics and administer requests, everything else is
 * allowed. A starting point for a real policy; add it instead of the
 * allow-all policy module.
 *
 * @public
 */
export const eksAccessPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'eks-access-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        policy.setPolicy(
          EksAccessDemoPermissionPolicy.fromConfig(config, { userInfo }),
        );
      },
    });
  },
});

export default eksAccessPermissionPolicyModule;
