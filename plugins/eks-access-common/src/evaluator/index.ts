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
 * The EKS access evaluator: decides, like EKS, whether an IAM identity can
 * authenticate to a cluster, explains why, and says how to fix it. Pure and
 * isomorphic: no I/O, no clock, no Node-only APIs.
 */

export type {
  AccessCheckInput,
  AccessEntryInfo,
  AccessVerdict,
  AuthenticationMode,
  CallerInfo,
  ClusterAccessData,
  Finding,
  FindingCode,
} from './types';
export {
  assumedRoleArnOf,
  canonicalizeArn,
  canonicalizeArnWithKind,
  canonicalPrincipalArn,
  iamPrincipalOf,
  isStsSessionArn,
  KNOWN_PARTITIONS,
  parseArn,
  parseSsoRoleName,
  partitionForRegion,
  roleNameOf,
  sessionNameOf,
  stripArnPath,
  type IamPrincipalRef,
  type ParsedArn,
  type PrincipalKind,
} from './arn';
export {
  parseCallerIdentity,
  type AuthenticatorIdentity,
  type PastedCallerIdentity,
} from './callerIdentity';
export { RESERVED_USERNAME_PREFIXES } from './templates';
export {
  appendAwsAuthEntries,
  awsAuthLoadsBackAs,
  parseAwsAuth,
  serializeAwsAuthEntries,
  type AwsAuthEntries,
  type AwsAuthProblem,
  type AwsAuthRoleMapping,
  type AwsAuthSsoMatcher,
  type AwsAuthUserMapping,
  type ParsedAwsAuth,
} from './awsAuth';
export {
  accessEntryKey,
  callerAccessEntryKey,
  clusterFindings,
  indexClusterAccess,
  withAccessEntries,
  type ClusterAccessIndex,
  type IndexedAwsAuthEntry,
} from './clusterIndex';
export { evaluateAccess, type IndexedAccessCheckInput } from './evaluate';
export {
  explainFindingCode,
  FINDING_CODES,
  isFindingCode,
  type FindingExplanation,
} from './findingCatalog';
export {
  kubeconfigCommand,
  kubeconfigGuidance,
  type KubeconfigGuidance,
} from './kubeconfig';
export type {
  FixPlan,
  PlanAccessScope,
  PlanCluster,
  PlanOperation,
  PlanOperationKind,
  PlanPrincipal,
  PlanPromise,
} from './fixPlan';
export {
  describeStep,
  PLAN_FORMATS,
  renderPlan,
  renderPlanForms,
  type PlanFormat,
} from './planRender';
export {
  applyPlan,
  verifyPlan,
  type AppliedPlan,
  type PlanVerification,
} from './planSimulation';
export {
  clusterWideFindings,
  diagnoseAccess,
  forbiddenWithRbac,
  type IdentityDiagnosis,
} from './diagnose';
export {
  describeScope,
  groupsBound,
  summarizePermissions,
  type PermissionLevel,
  type PermissionSummary,
  type RbacBinding,
  type RbacRole,
  type RbacRule,
  type RbacSnapshot,
  type ScopePermissions,
} from './rbac';
export {
  ACCESS_REVIEW_PROBES,
  ACCESS_REVIEW_PROBE_NAMES,
  summarizeAccessReviews,
  type AccessReviewAnswer,
  type AccessReviewAttributes,
  type AccessReviewProbe,
} from './accessReviews';
export { redactPlan } from './fixPlan';
export { grantPreflight, type GrantPreflight } from './grantPreflight';
