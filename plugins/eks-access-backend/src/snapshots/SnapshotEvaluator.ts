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

import {
  accessEntryKey,
  callerAccessEntryKey,
  clusterFindings,
  evaluateAccess,
  indexClusterAccess,
  kubeconfigGuidance,
  type KubeconfigGuidance,
  diagnoseAccess,
  forbiddenWithRbac,
  redactPlan,
  type AccessEntryInfo,
  type AccessVerdict,
  type ClusterAccessData,
  type ClusterAccessIndex,
  type IdentityDiagnosis,
  type Finding,
  type PermissionSummary,
  type RbacSnapshot,
  type ResolvedIdentity,
  withAccessEntries,
} from '@eks-access/plugin-eks-access-common';
import type {
  ClusterSnapshot,
  EntryDetailsResult,
} from './ClusterSnapshotStore';

/** What the backend knows about the caller beyond its ARN. */
export interface CallerFacts {
  /** Full IAM ARN with path (from GetRole / GetUser or the annotation). */
  iamArn?: string;
  principalCreatedAt?: string;
}

/**
 * Evaluates identities against cluster snapshots. The evaluator's index of a
 * snapshot (aws-auth parsed, entries keyed by canonical ARN) is built once
 * per snapshot and reused for every user until the snapshot is replaced;
 * a refreshed snapshot whose aws-auth has the same resourceVersion (and
 * nothing else the index is built from changed) reuses the previous index
 * instead of parsing aws-auth again.
 */
export class SnapshotEvaluator {
  readonly #indexes = new WeakMap<
    ClusterSnapshot,
    Map<string, ClusterAccessIndex>
  >();
  readonly #principalKeys = new WeakMap<ClusterSnapshot, Map<string, string>>();
  /** The last index per cluster and creator, with what it was built from. */
  readonly #lastIndex = new Map<
    string,
    { builtFrom: string; index: ClusterAccessIndex }
  >();
  readonly #indexCluster: typeof indexClusterAccess;

  constructor(
    options: {
      /** For tests: counts the (parsing) index builds. */
      indexCluster?: typeof indexClusterAccess;
    } = {},
  ) {
    this.#indexCluster = options.indexCluster ?? indexClusterAccess;
  }

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
      const lastKey = `${snapshot.cluster.arn}\n${key}`;
      const builtFrom = reusableIndexInputs(snapshot, creatorArn);
      const last = this.#lastIndex.get(lastKey);
      if (builtFrom !== undefined && last?.builtFrom === builtFrom) {
        index = last.index;
      } else {
        // A snapshot without entry details is indexed without entries; each
        // check adds the few it can match (see `#indexFor`).
        index = this.#indexCluster(snapshotClusterData(snapshot, creatorArn));
        if (builtFrom !== undefined) {
          this.#lastIndex.set(lastKey, { builtFrom, index });
        } else {
          this.#lastIndex.delete(lastKey);
        }
      }
      byCreator.set(key, index);
    }
    return index;
  }

  /**
   * The diagnosis of one verdict: root cause and one plan verified on the
   * snapshot, redacted so the card shows no other principal's aws-auth data.
   * When RBAC was read, it decides whether a signed-in identity is Forbidden.
   */
  diagnose(
    snapshot: ClusterSnapshot,
    identity: ResolvedIdentity,
    facts: CallerFacts,
    verdict: AccessVerdict,
    options: {
      creatorArn?: string;
      now: string;
      entries?: EntryDetailsResult;
      /** The cluster's RBAC, when read (see `ClusterSnapshotStore.rbac`). */
      rbac?: RbacSnapshot;
      /** The cluster's own answer (SubjectAccessReviews), preferred to `rbac` for the summary. */
      permissions?: PermissionSummary;
    },
  ): { verdict: AccessVerdict; diagnosis: IdentityDiagnosis } {
    // With lazily read entries the simulation sees the caller's own entry and
    // all of aws-auth: what a plan for this caller can change.
    const diagnosis = diagnoseAccess({
      cluster: snapshotClusterData(
        snapshot,
        options.creatorArn,
        options.entries,
        options.rbac,
      ),
      caller: callerOf(identity, facts),
      verdict,
      now: options.now,
      index: this.#indexFor(snapshot, options.creatorArn, options.entries),
      permissions: options.permissions,
    });
    // RBAC, when read, decides: a binding naming a group-less user makes it
    // usable, an unbound group makes a signed-in identity Forbidden.
    const forbidden = forbiddenWithRbac(verdict, diagnosis.permissions);
    return {
      verdict:
        verdict.decision === 'allowed' &&
        forbidden !== !!verdict.expectForbidden
          ? { ...verdict, expectForbidden: forbidden }
          : verdict,
      diagnosis: diagnosis.plan
        ? { ...diagnosis, plan: redactPlan(diagnosis.plan) }
        : diagnosis,
    };
  }

  /**
   * The access entries a caller can match, from the snapshot's list of
   * principals alone: the entry EKS would look up for the caller's
   * canonical ARN (an assumed-role session maps to its role, paths and case
   * ignored). Only these need DescribeAccessEntry.
   */
  candidatePrincipals(snapshot: ClusterSnapshot, callerArn: string): string[] {
    if (!snapshot.accessEntryPrincipals) {
      return [];
    }
    let byKey = this.#principalKeys.get(snapshot);
    if (!byKey) {
      byKey = new Map();
      for (const principalArn of snapshot.accessEntryPrincipals) {
        const key = accessEntryKey(principalArn);
        // the evaluator uses the first entry with a key, so do we
        if (key !== undefined && !byKey.has(key)) {
          byKey.set(key, principalArn);
        }
      }
      this.#principalKeys.set(snapshot, byKey);
    }
    const key = callerAccessEntryKey(callerArn);
    const principalArn = key === undefined ? undefined : byKey.get(key);
    return principalArn ? [principalArn] : [];
  }

  /**
   * Evaluates one identity. `entries`: the caller's candidate entries, read
   * lazily ({@link SnapshotEvaluator.candidatePrincipals}); omitted when the
   * snapshot has every entry in full, or none is used.
   */
  evaluate(
    snapshot: ClusterSnapshot,
    identity: ResolvedIdentity,
    facts: CallerFacts,
    options: { creatorArn?: string; now: string; entries?: EntryDetailsResult },
  ): AccessVerdict {
    return evaluateAccess({
      caller: callerOf(identity, facts),
      cluster: this.#indexFor(snapshot, options.creatorArn, options.entries),
      now: options.now,
    });
  }

  /** The snapshot's index, with the caller's lazily read entries added. */
  #indexFor(
    snapshot: ClusterSnapshot,
    creatorArn: string | undefined,
    entries: EntryDetailsResult | undefined,
  ): ClusterAccessIndex {
    const index = this.index(snapshot, creatorArn);
    // no candidate: the snapshot's index (indexed without entries) is exact
    const nothingToAdd =
      entries?.state === 'ok' && entries.entries.length === 0;
    if (!entries || nothingToAdd || snapshot.accessEntries) {
      return index;
    }
    return withAccessEntries(
      index,
      entries.state === 'ok' ? entries.entries : undefined,
    );
  }

  /**
   * The snapshot's parsed aws-auth, from an index already built for it
   * (any creator: aws-auth does not depend on it), else the creator-less one.
   */
  parsedAwsAuth(snapshot: ClusterSnapshot): ClusterAccessIndex['awsAuth'] {
    const built = this.#indexes.get(snapshot)?.values().next().value;
    return (built ?? this.index(snapshot)).awsAuth;
  }

  /** Findings about the cluster's own data (admin diagnostics). */
  clusterFindings(snapshot: ClusterSnapshot, creatorArn?: string): Finding[] {
    return clusterFindings(this.index(snapshot, creatorArn));
  }
}

/**
 * What a snapshot's index is built from, as a string that changes whenever
 * the index would: the mode, the creator, whether entries were listed, and
 * aws-auth by its resourceVersion. Undefined when the index cannot be
 * reused: aws-auth without a resourceVersion, or every entry in full (a
 * complete snapshot's entries have no version to compare).
 */
function reusableIndexInputs(
  snapshot: ClusterSnapshot,
  creatorArn: string | undefined,
): string | undefined {
  if (snapshot.accessEntries) return undefined;
  const { awsAuth } = snapshot;
  if (awsAuth && !awsAuth.resourceVersion) return undefined;
  const data = snapshotClusterData(snapshot, creatorArn);
  return JSON.stringify([
    data.authenticationMode,
    creatorArn ?? null,
    data.accessEntries === undefined ? 'unread' : 'listed',
    awsAuth === undefined ? 'unavailable' : awsAuth?.resourceVersion ?? null,
  ]);
}

/** A snapshot as the evaluator's cluster data. */
export function snapshotClusterData(
  snapshot: ClusterSnapshot,
  creatorArn?: string,
  /** The caller's entries, read lazily, when the snapshot has only principals. */
  entries?: EntryDetailsResult,
  /** The cluster's RBAC, read lazily; undefined when not read. */
  rbac?: RbacSnapshot,
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
    accessEntries: snapshot.accessEntries ?? lazyEntries(snapshot, entries),
    awsAuth: snapshot.awsAuth,
    creatorArn,
    ...(rbac ? { rbac } : {}),
  };
}

/**
 * Entries of a snapshot that holds only the principal list: none before a
 * check reads any, the caller's once read, unknown when that read failed.
 */
function lazyEntries(
  snapshot: ClusterSnapshot,
  entries: EntryDetailsResult | undefined,
): AccessEntryInfo[] | undefined {
  if (!snapshot.accessEntryPrincipals) return undefined;
  // a complete read (ClusterSnapshotStore.get) whose entry details failed
  if (snapshot.sources.accessEntries.state === 'error') return undefined;
  if (!entries) return [];
  return entries.state === 'ok' ? entries.entries : undefined;
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
