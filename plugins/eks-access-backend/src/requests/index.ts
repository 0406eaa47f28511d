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

/*
 * The self-service access-request flow: configuration, store, grant task,
 * and HTTP routes.
 */

export * from './readAccessRequestsConfig';
export * from './stateMachine';
export * from './scopes';
export * from './AccessRequestStore';
export * from './requesterIdentity';
export * from './DatabaseAccessRequestStore';
export * from './grantTargets';
export * from './sdkGrantTargets';
export {
  applyAccessEntryGrant,
  removeAccessEntryGrant,
  GrantRefusedError,
} from './accessEntryGrant';
export {
  applyAwsAuthGrant,
  removeAwsAuthGrant,
  awsAuthEntryFor,
  type AwsAuthGrantEntry,
} from './awsAuthGrant';
export * from './GrantReconciler';
export * from './AccessRequestNotifier';
export * from './AccessRequestService';
export * from './awsOwnerTagApprovers';
export * from './createRequestsRouter';
export {
  GrantNotApplicableError,
  levelUnavailable,
  requestPreflight,
  snapshotRequestClusterData,
  type LevelUnavailable,
  type RequestClusterAccessData,
  type RequestClusterData,
} from './requestPreflight';
