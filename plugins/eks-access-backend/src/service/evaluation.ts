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
 * The one place the backend calls the evaluator in -common. Everything about
 * how EKS decides lives there; this module only feeds it a snapshot.
 */

import { InputError } from '@backstage/errors';
import {
  canonicalizeArn,
  clusterFindings,
  evaluateAccess,
  indexClusterAccess,
  kubeconfigGuidance,
  type KubeconfigGuidance,
  parseCallerIdentity,
  diagnoseAccess,
  redactPlan,
  type AccessVerdict,
  type ClusterAccessData,
  type ClusterAccessIndex,
  type IdentityDiagnosis,
  type Finding,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import type { ClusterSnapshot } from '../snapshots/ClusterSnapshotStore';
import { principalLabel } from '../identity/AnnotationIdentityResolver';

/** An IAM role or user, as IAM's GetRole / GetUser address it. */
export interface PrincipalRef {
  partition: string;
  accountId: string;
  type: 'role' | 'user';
  name: string;
}

const IAM_PRINCIPAL =
  /^arn:([a-z-]+):iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/;

/**
 * The IAM role or user behind a caller ARN (an assumed-role session maps to
 * its role), or `undefined` for root, federated users and invalid ARNs.
 */
export function principalRefOf(callerArn: string): PrincipalRef | undefined {
  let canonical: string;
  try {
    canonical = canonicalizeArn(callerArn);
  } catch {
    return undefined;
  }
  const match = IAM_PRINCIPAL.exec(canonical);
  if (!match) {
    return undefined;
  }
  const [, partition, accountId, type, name] = match;
  return { partition, accountId, type: type as 'role' | 'user', name };
}

/**
 * Reads a pasted identity (`aws sts get-caller-identity` output or an ARN).
 * Throws InputError with the evaluator's plain-language reason.
 */
export function pastedIdentity(text: string): ResolvedIdentity {
  let arn: string;
  let userId: string | undefined;
  try {
    ({ arn, userId } = parseCallerIdentity(text));
  } catch (error) {
    throw new InputError(
      error instanceof Error ? error.message : 'Invalid identity',
    );
  }
  const principal = principalRefOf(arn);
  const assumedRole = /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  let principalArn = arn;
  try {
    principalArn = canonicalizeArn(arn);
  } catch {
    // parseCallerIdentity accepted it; keep it as pasted
  }
  return {
    callerArn: arn,
    principalArn,
    ...(assumedRole ? { sessionName: assumedRole[1] } : {}),
    ...(userId ? { userId } : {}),
    source: 'pasted',
    label: principal
      ? `${principalLabel({ ...principal, principalArn })} (pasted)`
      : 'pasted identity',
  };
}

/** What the backend knows about the caller beyond its ARN. */
export interface CallerFacts {
  /** Full IAM ARN with path (from GetRole / GetUser or the annotation). */
  iamArn?: string;
  principalCreatedAt?: string;
}

/**
 * Evaluates identities against cluster snapshots. The evaluator's index of a
 * snapshot (aws-auth parsed, entries keyed by canonical ARN) is built once
 * per snapshot and reused for every user until the snapshot is replaced.
 */
export class SnapshotEvaluator {
  readonly #indexes = new WeakMap<
    ClusterSnapshot,
    Map<string, ClusterAccessIndex>
  >();

  /** The evaluator's index of a snapshot, built on first use. */
  index(snapshot: ClusterSnapshot, creatorArn?: string): ClusterAccessIndex {
    let byCreator = this.#indexes.get(snapshot);
    if (!byCreator) {
      byCreator = new Map();
      this.#indexes.set(snapshot, byCreator);
    }
    const key = creatorArn ?? '';
    let index = byCreator.get(key);
    if (!index) {
      index = indexClusterAccess(snapshotClusterData(snapshot, creatorArn));
      byCreator.set(key, index);
    }
    return index;
  }

  /**
   * The diagnosis of one verdict: root cause and one plan verified on the
   * snapshot, redacted so the card shows no other principal's aws-auth data.
   * When RBAC was read and binds nothing, the verdict says Forbidden.
   */
  diagnose(
    snapshot: ClusterSnapshot,
    identity: ResolvedIdentity,
    facts: CallerFacts,
    verdict: AccessVerdict,
    options: { creatorArn?: string; now: string },
  ): { verdict: AccessVerdict; diagnosis: IdentityDiagnosis } {
    const diagnosis = diagnoseAccess({
      cluster: snapshotClusterData(snapshot, options.creatorArn),
      caller: callerOf(identity, facts),
      verdict,
      now: options.now,
      index: this.index(snapshot, options.creatorArn),
    });
    const forbidden =
      !!diagnosis.permissions?.rbacKnown && diagnosis.permissions.forbidden;
    return {
      verdict: forbidden ? { ...verdict, expectForbidden: true } : verdict,
      diagnosis: diagnosis.plan
        ? { ...diagnosis, plan: redactPlan(diagnosis.plan) }
        : diagnosis,
    };
  }

  evaluate(
    snapshot: ClusterSnapshot,
    identity: ResolvedIdentity,
    facts: CallerFacts,
    options: { creatorArn?: string; now: string },
  ): AccessVerdict {
    return evaluateAccess({
      caller: callerOf(identity, facts),
      cluster: this.index(snapshot, options.creatorArn),
      now: options.now,
    });
  }

  /** Findings about the cluster's own data (admin diagnostics). */
  clusterFindings(snapshot: ClusterSnapshot, creatorArn?: string): Finding[] {
    return clusterFindings(this.index(snapshot, creatorArn));
  }
}

/** A snapshot as the evaluator's cluster data. */
export function snapshotClusterData(
  snapshot: ClusterSnapshot,
  creatorArn?: string,
): ClusterAccessData {
  const { cluster } = snapshot;
  return {
    name: cluster.name,
    accountId: cluster.accountId,
    region: cluster.region,
    // Without DescribeCluster no source was read: every source is
    // unknown and the evaluator answers `unknown`, never a guess.
    authenticationMode: snapshot.described
      ? snapshot.described.authenticationMode ?? 'CONFIG_MAP'
      : 'API_AND_CONFIG_MAP',
    accessEntries: snapshot.accessEntries,
    awsAuth: snapshot.awsAuth,
    creatorArn,
    ...(snapshot.rbac ? { rbac: snapshot.rbac } : {}),
  };
}

function callerOf(identity: ResolvedIdentity, facts: CallerFacts) {
  return {
    arn: identity.callerArn,
    ...(identity.userId ? { userId: identity.userId } : {}),
    iamArn: facts.iamArn,
    principalCreatedAt: facts.principalCreatedAt,
  };
}

/** How to point kubectl at the cluster, for an identity that gets in. */
export function kubeconfigGuidanceFor(
  snapshot: ClusterSnapshot,
  identity: ResolvedIdentity,
  facts: CallerFacts,
  verdict: AccessVerdict,
): KubeconfigGuidance | undefined {
  if (verdict.decision !== 'allowed') {
    return undefined;
  }
  return kubeconfigGuidance(
    { caller: callerOf(identity, facts), cluster: snapshot.cluster },
    verdict,
  );
}
