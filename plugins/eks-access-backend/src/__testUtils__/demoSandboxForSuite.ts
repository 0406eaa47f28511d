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
  type RunningSandbox,
  startSandbox,
} from '@eks-access/plugin-eks-access-sandbox';
import { pointStsAtSandbox } from './sandboxServices';

/**
 * The demo sandbox for the calling suite (a test file, or the describe block
 * it is called in): started on free ports in `beforeAll`, with
 * integration-aws-node's STS client pointed at it as the dev app points it,
 * and stopped in `afterAll`.
 *
 * Returns a stand-in that forwards to the running sandbox, so a suite keeps
 * writing `sandbox.endpoint` and `sandbox.state` as if it held the sandbox.
 * Reading it before `beforeAll` has run throws: the sandbox is not up yet.
 */
export function demoSandboxForSuite(): RunningSandbox {
  let running: RunningSandbox | undefined;
  let restoreSts: (() => void) | undefined;
  beforeAll(async () => {
    running = await startSandbox({
      scenario: 'demo',
      port: 0,
      kubePortBase: 0,
    });
    restoreSts = pointStsAtSandbox(running);
  });
  afterAll(async () => {
    restoreSts?.();
    await running?.stop();
  });
  return new Proxy({} as RunningSandbox, {
    get(_, property) {
      if (!running) {
        throw new Error(
          `The demo sandbox is read (${String(
            property,
          )}) before the suite's beforeAll started it`,
        );
      }
      const value = Reflect.get(running, property);
      return typeof value === 'function' ? value.bind(running) : value;
    },
  });
}
