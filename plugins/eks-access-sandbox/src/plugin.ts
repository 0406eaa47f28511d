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
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { RunningSandbox, startSandbox } from './startSandbox';

/**
 * Starts the sandbox with the backend when `eksAccessSandbox.enabled` is true,
 * and stops it at shutdown. Each request is logged as one line.
 *
 * @public
 */
export const eksAccessSandboxPlugin = createBackendPlugin({
  pluginId: 'eks-access-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const sandboxConfig = config.getOptionalConfig('eksAccessSandbox');
        if (!sandboxConfig?.getOptionalBoolean('enabled')) {
          logger.info(
            'EKS access sandbox is disabled (eksAccessSandbox.enabled)',
          );
          return;
        }
        const sandbox: RunningSandbox = await startSandbox({
          port: sandboxConfig.getOptionalNumber('port') ?? 4566,
          kubePortBase: sandboxConfig.getOptionalNumber('kubePortBase') ?? 4600,
          scenario: sandboxConfig.getOptionalString('scenario') ?? 'demo',
          stateFile: sandboxConfig.getOptionalString('stateFile'),
          log: line => logger.info(line),
        });
        logger.info(`EKS access sandbox listening on ${sandbox.endpoint}`);
        lifecycle.addShutdownHook(() => sandbox.stop());
      },
    });
  },
});
