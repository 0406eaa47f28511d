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

import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import type {
  DatabaseAccessRequestStore,
  GrantRecord,
  NewAccessRequestEvent,
} from './DatabaseAccessRequestStore';
import {
  ACCESS_ENTRY_TAGS,
  type AccessEntryGrantTarget,
  MANAGED_BY_VALUE,
} from './grantTargets';
import { sameScope, unionScopes } from './scopes';

/** A grant that cannot be applied; the request becomes `failed` with this message. @public */
export class GrantRefusedError extends Error {
  name = 'GrantRefusedError';
}

interface GrantStepContext {
  store: DatabaseAccessRequestStore;
  request: AccessRequest;
  record(event: Omit<NewAccessRequestEvent, 'actor'>): Promise<void>;
}

/**
 * Gives the request's principal the level's access policy: creates a
 * STANDARD access entry when the principal has none (tagged with the request
 * id, so a re-run after a crash recognises it), then associates the policy
 * with the union of the scopes every live grant of ours needs. Safe to run
 * again at any point.
 * @public
 */
export async function applyAccessEntryGrant(
  ctx: GrantStepContext & { target: AccessEntryGrantTarget; policyArn: string },
): Promise<GrantRecord> {
  const { request, store, target, policyArn } = ctx;
  const principalArn = request.principalArn;
  let grant: GrantRecord = {
    requestId: request.id,
    method: 'access-entry',
    clusterArn: request.cluster.arn,
    principalArn,
    accessPolicyArn: policyArn,
    accessScope: request.scope,
    accessEntryCreated: false,
    policyAssociated: false,
    awsAuthAdded: false,
    ...(await store.getGrant(request.id)),
    removedAt: undefined,
    removalError: undefined,
  };
  await store.saveGrant(grant);

  let entry = await target.describeAccessEntry(principalArn);
  if (!entry) {
    const created = await target.createAccessEntry({
      principalArn,
      tags: {
        [ACCESS_ENTRY_TAGS.managedBy]: MANAGED_BY_VALUE,
        [ACCESS_ENTRY_TAGS.requestId]: request.id,
      },
    });
    await ctx.record({
      type: 'apply-step',
      details: {
        action: 'eks:CreateAccessEntry',
        principalArn,
        type: 'STANDARD',
        result: created ? 'created' : 'already-exists',
      },
    });
    entry = await target.describeAccessEntry(principalArn);
    if (!entry) {
      throw new Error(
        `The access entry for ${principalArn} is not visible after CreateAccessEntry`,
      );
    }
  }
  if (entry.tags[ACCESS_ENTRY_TAGS.requestId] === request.id) {
    grant = { ...grant, accessEntryCreated: true };
    await store.saveGrant(grant);
  }
  if (entry.type !== 'STANDARD') {
    throw new GrantRefusedError(
      `${principalArn} already has an access entry of type ${entry.type}; access policies can only be associated with STANDARD entries`,
    );
  }

  const others = (
    await store.listGrantsStillNeeded({
      clusterArn: request.cluster.arn,
      canonicalPrincipalArn: request.canonicalPrincipalArn,
      excludeRequestId: request.id,
    })
  ).filter(
    o =>
      o.grant.method === 'access-entry' &&
      o.grant.accessPolicyArn === policyArn &&
      o.grant.policyAssociated,
  );
  const current = entry.accessPolicies.find(p => p.policyArn === policyArn);
  if (!grant.policyAssociated) {
    // What was there before us and is not ours must survive our removal.
    const before =
      others.length > 0
        ? others[0].grant.policyScopeBefore
        : current?.accessScope;
    grant = { ...grant, policyScopeBefore: before };
    await store.saveGrant(grant);
  }
  const desired = unionScopes([
    request.scope,
    grant.policyScopeBefore,
    ...others.map(o => o.grant.accessScope),
  ])!;
  if (!current || !sameScope(current.accessScope, desired)) {
    await target.associateAccessPolicy({
      principalArn,
      policyArn,
      accessScope: desired,
    });
    await ctx.record({
      type: 'apply-step',
      details: {
        action: 'eks:AssociateAccessPolicy',
        principalArn,
        policyArn,
        accessScope: desired,
        previousScope: current?.accessScope ?? null,
      },
    });
  }
  grant = { ...grant, policyAssociated: true, appliedAt: new Date() };
  await store.saveGrant(grant);
  return grant;
}

/**
 * Takes away what {@link applyAccessEntryGrant} added for this request and
 * nothing else: the policy keeps the scopes other live grants of ours and
 * any earlier association need, and the entry is deleted only when we
 * created it and nothing is associated with it any more.
 * @public
 */
export async function removeAccessEntryGrant(
  ctx: GrantStepContext & {
    target: AccessEntryGrantTarget;
    grant: GrantRecord;
  },
): Promise<void> {
  const { request, store, target, grant } = ctx;
  const principalArn = grant.principalArn;
  const entry = await target.describeAccessEntry(principalArn);
  if (!entry) {
    await ctx.record({
      type: 'removal-step',
      details: { action: 'none', reason: 'the access entry no longer exists' },
    });
    return;
  }
  const others = await store.listGrantsStillNeeded({
    clusterArn: grant.clusterArn,
    canonicalPrincipalArn: request.canonicalPrincipalArn,
    excludeRequestId: request.id,
  });
  const policyArn = grant.accessPolicyArn;
  if (policyArn && grant.policyAssociated) {
    const current = entry.accessPolicies.find(p => p.policyArn === policyArn);
    const remaining = unionScopes([
      grant.policyScopeBefore,
      ...others
        .filter(
          o =>
            o.grant.method === 'access-entry' &&
            o.grant.accessPolicyArn === policyArn &&
            o.grant.policyAssociated,
        )
        .map(o => o.grant.accessScope),
    ]);
    if (current && !remaining) {
      await target.disassociateAccessPolicy({ principalArn, policyArn });
      await ctx.record({
        type: 'removal-step',
        details: {
          action: 'eks:DisassociateAccessPolicy',
          principalArn,
          policyArn,
        },
      });
    } else if (
      current &&
      remaining &&
      !sameScope(current.accessScope, remaining)
    ) {
      await target.associateAccessPolicy({
        principalArn,
        policyArn,
        accessScope: remaining,
      });
      await ctx.record({
        type: 'removal-step',
        details: {
          action: 'eks:AssociateAccessPolicy',
          principalArn,
          policyArn,
          accessScope: remaining,
          previousScope: current.accessScope,
        },
      });
    }
  }

  const after = await target.describeAccessEntry(principalArn);
  const ours = after?.tags[ACCESS_ENTRY_TAGS.managedBy] === MANAGED_BY_VALUE;
  if (
    after &&
    ours &&
    after.accessPolicies.length === 0 &&
    after.kubernetesGroups.length === 0 &&
    !others.some(o => o.grant.method === 'access-entry')
  ) {
    await target.deleteAccessEntry(principalArn);
    await ctx.record({
      type: 'removal-step',
      details: { action: 'eks:DeleteAccessEntry', principalArn },
    });
  }
}
