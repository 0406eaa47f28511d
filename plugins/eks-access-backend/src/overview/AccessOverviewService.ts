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
 * The admin access overview: for one cluster or the whole fleet, every
 * principal that can get in and the hygiene findings, with each cluster's
 * migration verdict. Reads the same shared snapshots as the developer
 * views, at background priority, so a fleet scan queues behind users'
 * checks and never starves them. The IAM lookups for the stale findings go
 * through the same shared principal cache, at the same priority, at most
 * MAX_PRINCIPAL_LOOKUPS per cluster: no user's check ever waits for them.
 */

import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  clusterAccessOverview,
  canonicalPrincipalArn,
  getEksClusterRef,
  iamPrincipalOf,
  type ClusterAccessData,
  type IamPrincipalFacts,
  planMigration,
  simulateMigration,
  type AccessOverview,
  type AccessOverviewCluster,
} from '@eks-access/plugin-eks-access-common';
import { withCallPriority } from '../aws/AdaptiveRateLimiter';
import type {
  ClusterEntity,
  EksAccessService,
} from '../service/EksAccessService';
import { declaredClusterCreatorArn } from '../creator/ClusterCreatorResolver';
import { snapshotClusterData } from '../snapshots/SnapshotEvaluator';
import {
  snapshotHasErrors,
  type ClusterSnapshotStore,
} from '../snapshots/ClusterSnapshotStore';
import type { PrincipalFactsCache } from '../snapshots/PrincipalFactsCache';

/** Filters, all optional: exact account id and mode, principal substring (case-insensitive). */
export interface AccessOverviewFilter {
  accountId?: string;
  mode?: string;
  principal?: string;
}

const FLEET_CONCURRENCY = 4;
/** IAM lookups per cluster for the stale findings; the rest are not judged. */
export const MAX_PRINCIPAL_LOOKUPS = 100;

export class AccessOverviewService {
  readonly #snapshots: ClusterSnapshotStore;
  readonly #access: Pick<
    EksAccessService,
    'getClusterEntity' | 'listClusterEntities'
  >;
  readonly #principals?: Pick<PrincipalFactsCache, 'find'>;

  constructor(options: {
    snapshots: ClusterSnapshotStore;
    access: Pick<EksAccessService, 'getClusterEntity' | 'listClusterEntities'>;
    /**
     * IAM lookups (GetRole / GetUser), for the stale-principal and
     * SSO-suffix findings; without it those findings are not reported.
     */
    principals?: Pick<PrincipalFactsCache, 'find'>;
  }) {
    this.#snapshots = options.snapshots;
    this.#access = options.access;
    this.#principals = options.principals;
  }

  /**
   * What IAM says about the principals the cluster's entries and mappings
   * name, in the cluster's own account (another account's IAM is not read
   * with this account's credentials, so nothing is said about it). A lookup
   * that failed says nothing either: only IAM's "no such entity" is stale.
   */
  async #iamFacts(
    data: ClusterAccessData,
    principals: string[],
  ): Promise<((arn: string) => IamPrincipalFacts | undefined) | undefined> {
    if (!this.#principals) return undefined;
    const refs = new Map<
      string,
      NonNullable<ReturnType<typeof iamPrincipalOf>>
    >();
    for (const arn of principals) {
      const ref = iamPrincipalOf(arn);
      if (ref && ref.accountId === data.accountId) {
        refs.set(canonicalPrincipalArn(arn), ref);
      }
    }
    const facts = new Map<string, IamPrincipalFacts>();
    for (const [key, ref] of [...refs].slice(0, MAX_PRINCIPAL_LOOKUPS)) {
      const lookup = await this.#principals.find(ref);
      if (lookup.state === 'absent') facts.set(key, { exists: false });
      if (lookup.state === 'found') {
        facts.set(key, {
          exists: true,
          ...(lookup.facts.createdAt
            ? { createdAt: lookup.facts.createdAt }
            : {}),
        });
      }
    }
    return arn => {
      try {
        return facts.get(canonicalPrincipalArn(arn));
      } catch {
        return undefined; // not an IAM ARN: nothing to say
      }
    };
  }

  /** One cluster, or (without `entityRef`) every EKS cluster the caller may see. */
  async overview(options: {
    credentials: BackstageCredentials;
    entityRef?: string;
    filter?: AccessOverviewFilter;
  }): Promise<AccessOverview> {
    const targets: ClusterEntity[] = options.entityRef
      ? [
          await this.#access.getClusterEntity(
            options.entityRef,
            options.credentials,
          ),
        ]
      : (await this.#access.listClusterEntities(options.credentials)).flatMap(
          ({ entity, entityRef }) => {
            const cluster = getEksClusterRef(entity);
            return cluster ? [{ entity, entityRef, cluster }] : [];
          },
        );
    const filter = options.filter ?? {};
    const selected = targets.filter(
      t => !filter.accountId || t.cluster.accountId === filter.accountId,
    );
    const parts = new Array<Awaited<ReturnType<AccessOverviewService['one']>>>(
      selected.length,
    );
    let next = 0;
    const worker = async () => {
      while (next < selected.length) {
        const i = next++;
        parts[i] = await this.one(selected[i]);
      }
    };
    await withCallPriority('background', () =>
      Promise.all(
        Array.from(
          { length: Math.min(FLEET_CONCURRENCY, selected.length) },
          worker,
        ),
      ),
    );
    const principal = filter.principal?.toLowerCase();
    const inMode = (p: (typeof parts)[number]) =>
      !filter.mode || p.cluster.mode === filter.mode;
    const kept = parts.filter(inMode);
    return {
      clusters: kept.map(p => p.cluster),
      rows: kept
        .flatMap(p => p.rows)
        .filter(
          r => !principal || r.principal.toLowerCase().includes(principal),
        ),
      hygiene: kept
        .flatMap(p => p.hygiene)
        .filter(
          h =>
            !principal ||
            h.subject.toLowerCase().includes(principal) ||
            h.code === 'CONFIG_MAP_MODE',
        ),
    };
  }

  async one(target: ClusterEntity) {
    const base: AccessOverviewCluster = {
      entityRef: target.entityRef,
      name: target.cluster.name,
      accountId: target.cluster.accountId,
      region: target.cluster.region,
    };
    let snapshot;
    try {
      snapshot = await this.#snapshots.get(target.cluster);
    } catch (error) {
      return {
        cluster: { ...base, error: String((error as Error).message) },
        rows: [],
        hygiene: [],
      };
    }
    const data = snapshotClusterData(
      snapshot,
      declaredClusterCreatorArn(target.entity, snapshot),
      undefined,
      await this.#snapshots.rbac(snapshot),
    );
    const ways = clusterAccessOverview(data);
    const overview = clusterAccessOverview(data, {
      iamPrincipalFacts: await this.#iamFacts(
        data,
        ways.rows.map(r => r.principal),
      ),
    });
    const plan = planMigration({ cluster: data });
    const simulation =
      data.authenticationMode === 'API'
        ? undefined
        : simulateMigration(data, plan);
    const cluster: AccessOverviewCluster = {
      ...base,
      mode: snapshot.described ? data.authenticationMode : undefined,
      ...(simulation
        ? {
            migration: {
              equivalent: simulation.equivalent,
              summary: simulation.summary,
              blockers: plan.issues.filter(i => i.severity === 'blocker')
                .length,
            },
          }
        : {}),
      ...(snapshotHasErrors(snapshot)
        ? { error: "Some of the cluster's access data could not be read" }
        : {}),
    };
    return {
      cluster,
      rows: overview.rows.map(r => ({ ...r, entityRef: target.entityRef })),
      hygiene: overview.hygiene.map(h => ({
        ...h,
        entityRef: target.entityRef,
      })),
    };
  }
}
