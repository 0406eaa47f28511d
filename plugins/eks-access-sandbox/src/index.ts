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

/**
 * A local AWS sandbox for the EKS Access plugins: EKS (restJson1), STS and IAM
 * (awsQuery) with SigV4, and a Kubernetes API per cluster, driven by a YAML
 * scenario. Real AWS SDK and Kubernetes clients cannot tell it from AWS for
 * the operations the plugins use.
 *
 * @packageDocumentation
 */

export { startSandbox } from './startSandbox';
export type {
  StartSandboxOptions,
  RunningSandbox,
  SandboxSessionCredentials,
} from './startSandbox';
export { loadScenario } from './scenario/loadScenario';
export type * from './scenario/types';
export type { CallFilter } from './faults/CallCounters';
export type {
  SandboxStateView,
  SandboxClusterView,
  SandboxPrincipalView,
} from './state/stateView';
export type { AccessEntryState, AssociatedPolicyState } from './state/model';
export { eksAccessSandboxPlugin } from './plugin';
