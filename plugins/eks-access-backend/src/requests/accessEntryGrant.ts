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
  AccessRequestStore,
  GrantRecord,
  NewAccessRequestEvent,
} from './AccessRequestStore';
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
  store: AccessRequestStore;
  request: AccessRequest;
  record(event: Omit<NewAccessRequestEvent, 'actor'>): Promise<void>;
}

/** Our other grants of the principal on this cluster that were not removed yet. */
async function othersOf(ctx: GrantStepContext) {
  return (
    await ctx.store.listGrantsNotRemoved({
      clusterArn: ctx.request.cluster.arn,
      canonicalPrincipalArn: ctx.request.canonicalPrincipalArn,
      excludeRequestId: ctx.request.id,
    })
  ).filter(o => o.grant.method === 'access-entry');
}

/**
 * Gives the request's principal the level's access policy: creates a
 * STANDARD access entry when the principal has none (tagged with the request
 * id, so a re-run after a crash recognises it), then associates the policy
 * with the union of the scopes every live grant of ours needs and of any
 * scope the association had before our grants touched it. Records what it
 * created (entry, association) so that removal takes away exactly that.
 * Safe to run again at any point.
 * @public
 */
export async function applyAccessEntryGrant(
  ctx: GrantStepContext & { target: AccessEntryGrantTarget; policyArn: string },
): Promise<GrantRecord> {
  const { request, store, target, policyArn } = ctx;
  const principalArn = request.principalArn;
  const stored = await store.getGrant(request.id);
  if (stored?.removedAt) {
    // Applied again (retry) after everything it had was taken away.
    await store.resetGrantOwnership(request.id);
  }
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
    ...(stored?.removedAt ? {} : stored),
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
    // Created by this request (now or in a run that crashed afterwards).
    await store.addGrantOwnership(request.id, { accessEntryCreated: true });
  }
  if (entry.type !== 'STANDARD') {
    throw new GrantRefusedError(
      `${principalArn} already has an access entry of type ${entry.type}; access policies can only be associated with STANDARD entries`,
    );
  }

  const others = (await othersOf(ctx)).filter(
    o =>
      o.grant.accessPolicyArn === policyArn &&
      (o.grant.policyAssociated || o.grant.policyAssociationCreated),
  );
  const current = entry.accessPolicies.find(p => p.policyArn === policyArn);
  if (!grant.policyAssociated) {
    // What was there before any grant of ours touched the association must
    // survive our removal; an association none had is ours to take away.
    const before =
      others.length > 0
        ? others[0].grant.policyScopeBefore
        : current?.accessScope;
    grant = { ...grant, policyScopeBefore: before, policyAssociated: true };
    await store.saveGrant(grant);
    if (others.length === 0 && !current) {
      await store.addGrantOwnership(request.id, {
        policyAssociationCreated: true,
      });
    }
  }
  const desired = unionScopes([
    request.scope,
    grant.policyScopeBefore,
    ...others.filter(o => o.live).map(o => o.grant.accessScope),
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
  return (await store.getGrant(request.id)) ?? grant;
}

/**
 * Takes away what our grants added for this principal and no live grant of
 * ours still needs, and nothing else: the policy's scope shrinks to what live
 * grants and any association made before ours need, or the policy is
 * disassociated when one of our grants created the association; the access
 * entry is deleted only when one of our grants created it and nothing is
 * associated with it any more. What this grant created and another grant of
 * ours still needs (the association: a live one; the entry: any grant not
 * yet removed) is handed over to that grant.
 * @public
 */
export async function removeAccessEntryGrant(
  ctx: GrantStepContext & {
    target: AccessEntryGrantTarget;
    grant: GrantRecord;
  },
): Promise<void> {
  const { store, target } = ctx;
  const grant = (await store.getGrant(ctx.request.id)) ?? ctx.grant;
  const principalArn = grant.principalArn;
  const entry = await target.describeAccessEntry(principalArn);
  if (!entry) {
    await ctx.record({
      type: 'removal-step',
      details: { action: 'none', reason: 'the access entry no longer exists' },
    });
    return;
  }
  const others = await othersOf(ctx);
  const live = others.filter(o => o.live);
  const policyArn = grant.accessPolicyArn;
  if (policyArn && (grant.policyAssociated || grant.policyAssociationCreated)) {
    const samePolicy = others.filter(
      o =>
        o.grant.accessPolicyArn === policyArn &&
        (o.grant.policyAssociated || o.grant.policyAssociationCreated),
    );
    const liveSamePolicy = samePolicy.filter(o => o.live);
    const associationOurs =
      !!grant.policyAssociationCreated ||
      samePolicy.some(o => o.grant.policyAssociationCreated);
    const current = entry.accessPolicies.find(p => p.policyArn === policyArn);
    const remaining = unionScopes([
      grant.policyScopeBefore,
      ...liveSamePolicy.map(o => o.grant.accessScope),
    ]);
    if (current && !remaining && associationOurs) {
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
    if (grant.policyAssociationCreated && liveSamePolicy.length > 0) {
      await store.addGrantOwnership(liveSamePolicy[0].grant.requestId, {
        policyAssociationCreated: true,
      });
    }
  }

  const entryOurs =
    grant.accessEntryCreated || others.some(o => o.grant.accessEntryCreated);
  const after = await target.describeAccessEntry(principalArn);
  if (
    after &&
    entryOurs &&
    after.accessPolicies.length === 0 &&
    after.kubernetesGroups.length === 0 &&
    live.length === 0
  ) {
    await target.deleteAccessEntry(principalArn);
    await ctx.record({
      type: 'removal-step',
      details: { action: 'eks:DeleteAccessEntry', principalArn },
    });
  } else if (after && grant.accessEntryCreated && others.length > 0) {
    // The entry stays for another grant of ours: a live one, or one that
    // has ended but whose removal has not run yet (its policy is still
    // associated). That grant now owns the entry, so whichever removal comes
    // last deletes it; handing it only to live grants left the entry behind
    // when the creator was removed before an ended grant (found by the soak).
    await store.addGrantOwnership((live[0] ?? others[0]).grant.requestId, {
      accessEntryCreated: true,
    });
  }
}
