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
  type AccessRequest,
  appendAwsAuthEntries,
  type AwsAuthRoleMapping,
  type AwsAuthUserMapping,
  parseAwsAuth,
  type ParsedAwsAuth,
} from '@eks-access/plugin-eks-access-common';
import { isMap, isSeq, parseDocument } from 'yaml';
import { GrantRefusedError } from './accessEntryGrant';
import { canonicalPrincipalArn } from './principals';
import type { AccessLevel } from './config';
import type {
  DatabaseAccessRequestStore,
  GrantRecord,
  NewAccessRequestEvent,
} from './DatabaseAccessRequestStore';
import {
  type AwsAuthConfigMapClient,
  AwsAuthConflictError,
  type AwsAuthSnapshot,
} from './grantTargets';

/** The aws-auth mapping of one grant. @public */
export type AwsAuthGrantEntry = NonNullable<GrantRecord['awsAuthEntry']>;

const MAX_WRITE_ATTEMPTS = 5;

/**
 * The aws-auth mapping a request needs on a CONFIG_MAP cluster: roles go to
 * `mapRoles` with the path stripped (aws-auth never matches a role ARN with
 * a path) and a username naming the session, users to `mapUsers`. Groups
 * containing `{namespace}` are expanded once per requested namespace.
 * @public
 */
export function awsAuthEntryFor(
  request: AccessRequest,
  level: AccessLevel,
): AwsAuthGrantEntry {
  const groupsTemplate = level.kubernetesGroups ?? [];
  if (groupsTemplate.length === 0) {
    throw new GrantRefusedError(
      `The access level ${level.name} has no kubernetesGroups, so it cannot be granted on a CONFIG_MAP cluster`,
    );
  }
  const namespaces =
    request.scope.type === 'namespace' ? request.scope.namespaces : [];
  const groups = new Set<string>();
  for (const group of groupsTemplate) {
    if (group.includes('{namespace}')) {
      namespaces.forEach(ns => groups.add(group.replaceAll('{namespace}', ns)));
    } else {
      groups.add(group);
    }
  }
  const canonical = canonicalPrincipalArn(request.principalArn);
  const [, partition, , , account, resource] =
    /^arn:([^:]+):([^:]+):([^:]*):(\d{12}):(.+)$/.exec(canonical) ?? [];
  if (resource?.startsWith('role/')) {
    const roleName = resource.slice('role/'.length);
    return {
      section: 'mapRoles',
      arn: canonical,
      username: `arn:${partition}:sts::${account}:assumed-role/${roleName}/{{SessionName}}`,
      groups: [...groups].sort(),
    };
  }
  return {
    section: 'mapUsers',
    arn: canonical,
    username: canonical,
    groups: [...groups].sort(),
  };
}

function sameArn(a: string | undefined, b: string): boolean {
  return !!a && a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

function mappingsFor(
  parsed: ParsedAwsAuth,
  arn: string,
): Array<{
  section: 'mapRoles' | 'mapUsers';
  index: number;
  username: string;
  groups: string[];
}> {
  return [
    ...parsed.mapRoles.flatMap((m, index) =>
      sameArn(m.rolearn, arn)
        ? [
            {
              section: 'mapRoles' as const,
              index,
              username: m.username,
              groups: m.groups,
            },
          ]
        : [],
    ),
    ...parsed.mapUsers.flatMap((m, index) =>
      sameArn(m.userarn, arn)
        ? [
            {
              section: 'mapUsers' as const,
              index,
              username: m.username,
              groups: m.groups,
            },
          ]
        : [],
    ),
  ];
}

function refuseUnclean(parsed: ParsedAwsAuth, section: string) {
  const blocking = parsed.problems.filter(
    p =>
      (p.code === 'AWS_AUTH_PARSE_ERROR' || p.code === 'AWS_AUTH_KEY_CASE') &&
      p.entryIndex === undefined,
  );
  if (blocking.length > 0) {
    throw new GrantRefusedError(
      `aws-auth does not parse cleanly, so it was not changed (${blocking
        .map(p => `${p.key}: ${p.message}`)
        .join('; ')}). Fix the ConfigMap by hand, then retry.`,
    );
  }
  void section;
}

/**
 * Rewrites the groups of one entry (or removes it when `groups` is
 * undefined), leaving every other entry, comment and key untouched, and
 * checks that the result loads as exactly the intended change.
 */
function editAwsAuthEntry(
  data: Record<string, string>,
  section: 'mapRoles' | 'mapUsers',
  index: number,
  groups: string[] | undefined,
): Record<string, string> {
  const before = parseAwsAuth(data);
  const doc = parseDocument(data[section] ?? '');
  if (doc.errors.length > 0 || !isSeq(doc.contents)) {
    throw new GrantRefusedError(
      `aws-auth ${section} is not a list; it was not changed`,
    );
  }
  // Entries dropped by the parser keep their place in the YAML list, so map
  // the parsed index back to the YAML item by its ARN.
  const arnKey = section === 'mapRoles' ? 'rolearn' : 'userarn';
  const target = (section === 'mapRoles' ? before.mapRoles : before.mapUsers)[
    index
  ] as AwsAuthRoleMapping | AwsAuthUserMapping;
  const targetArn = (target as any)[arnKey] as string;
  const items = doc.contents.items;
  const position = items.findIndex(item => {
    if (!isMap(item)) return false;
    const pair = item.items.find(
      p => String((p.key as any)?.value ?? p.key).toLowerCase() === arnKey,
    );
    const value = (pair?.value as any)?.value ?? pair?.value;
    return typeof value === 'string' && sameArn(value, targetArn);
  });
  if (position < 0) {
    throw new GrantRefusedError(
      `aws-auth ${section}: the entry for ${targetArn} was not found`,
    );
  }
  if (groups === undefined) {
    doc.contents.items.splice(position, 1);
  } else {
    (items[position] as any).set('groups', doc.createNode(groups));
  }
  const next = { ...data };
  const text = doc.contents.items.length === 0 ? '' : String(doc);
  if (text === '') {
    delete next[section];
  } else {
    next[section] = text;
  }
  const after = parseAwsAuth(next);
  const expected = {
    mapRoles: [...before.mapRoles],
    mapUsers: [...before.mapUsers],
    mapAccounts: before.mapAccounts,
  };
  const list = expected[section] as Array<
    AwsAuthRoleMapping | AwsAuthUserMapping
  >;
  if (groups === undefined) {
    list.splice(index, 1);
  } else {
    list[index] = { ...list[index], groups: [...groups] };
  }
  if (
    JSON.stringify(expected) !==
    JSON.stringify({
      mapRoles: after.mapRoles,
      mapUsers: after.mapUsers,
      mapAccounts: after.mapAccounts,
    })
  ) {
    throw new GrantRefusedError(
      'Refusing to change aws-auth: the result would not load back as the existing entries with only our change',
    );
  }
  return next;
}

interface AwsAuthStepContext {
  store: DatabaseAccessRequestStore;
  request: AccessRequest;
  client: AwsAuthConfigMapClient;
  record(event: Omit<NewAccessRequestEvent, 'actor'>): Promise<void>;
}

/** Groups of our other live aws-auth grants for the same principal. */
async function otherGroups(ctx: AwsAuthStepContext, arn: string) {
  const others = await ctx.store.listGrantsStillNeeded({
    clusterArn: ctx.request.cluster.arn,
    canonicalPrincipalArn: ctx.request.canonicalPrincipalArn,
    excludeRequestId: ctx.request.id,
  });
  return others
    .filter(o => o.grant.method === 'aws-auth' && o.grant.awsAuthAdded)
    .filter(o => sameArn(o.grant.awsAuthEntry?.arn, arn))
    .flatMap(o => o.grant.awsAuthEntry?.groups ?? []);
}

/**
 * Writes `compute(snapshot)` with a resourceVersion precondition, re-reading
 * and recomputing on 409, and records the exact before/after of the data.
 */
async function writeWithRetry(
  ctx: AwsAuthStepContext,
  eventType: 'apply-step' | 'removal-step',
  compute: (snapshot: AwsAuthSnapshot) => Record<string, string> | undefined,
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const snapshot = await ctx.client.read();
    if (!snapshot) {
      throw new GrantRefusedError(
        'kube-system/aws-auth does not exist; this plugin only edits an existing aws-auth ConfigMap',
      );
    }
    const next = compute(snapshot);
    if (!next) {
      return;
    }
    try {
      await ctx.client.replace(next, snapshot.resourceVersion);
    } catch (error) {
      if (error instanceof AwsAuthConflictError) {
        await ctx.record({
          type: eventType,
          details: {
            action: 'aws-auth:conflict',
            attempt,
            resourceVersion: snapshot.resourceVersion,
            message: 'aws-auth changed while we wrote it (409); re-reading',
          },
        });
        continue;
      }
      throw error;
    }
    await ctx.record({
      type: eventType,
      details: {
        action: 'aws-auth:update',
        resourceVersion: snapshot.resourceVersion,
        before: snapshot.data,
        after: next,
      },
    });
    return;
  }
  throw new Error(
    `aws-auth kept changing while we wrote it (${MAX_WRITE_ATTEMPTS} conflicts in a row); will try again`,
  );
}

/**
 * Adds the request's mapping to aws-auth (or widens the groups of the one
 * mapping this plugin manages for the principal). Refuses when aws-auth does
 * not parse cleanly or already maps the principal with an entry this plugin
 * did not write, since a second entry for the same ARN would override it.
 * @public
 */
export async function applyAwsAuthGrant(
  ctx: AwsAuthStepContext & { entry: AwsAuthGrantEntry },
): Promise<GrantRecord> {
  const { request, store, entry } = ctx;
  let grant: GrantRecord = {
    requestId: request.id,
    method: 'aws-auth',
    clusterArn: request.cluster.arn,
    principalArn: request.principalArn,
    accessEntryCreated: false,
    policyAssociated: false,
    awsAuthAdded: false,
    ...(await store.getGrant(request.id)),
    awsAuthEntry: entry,
    removedAt: undefined,
    removalError: undefined,
  };
  await store.saveGrant(grant);
  const others = await otherGroups(ctx, entry.arn);
  const desired = [...new Set([...entry.groups, ...others])].sort();

  await writeWithRetry(ctx, 'apply-step', snapshot => {
    const parsed = parseAwsAuth(snapshot.data);
    refuseUnclean(parsed, entry.section);
    const existing = mappingsFor(parsed, entry.arn);
    if (existing.length === 0) {
      const mapping =
        entry.section === 'mapRoles'
          ? {
              mapRoles: [
                {
                  rolearn: entry.arn,
                  username: entry.username,
                  groups: desired,
                },
              ],
            }
          : {
              mapUsers: [
                {
                  userarn: entry.arn,
                  username: entry.username,
                  groups: desired,
                },
              ],
            };
      try {
        return appendAwsAuthEntries(snapshot.data, mapping);
      } catch (error) {
        throw new GrantRefusedError((error as Error).message);
      }
    }
    const [mine] = existing;
    const ours =
      existing.length === 1 &&
      mine.section === entry.section &&
      mine.username === entry.username &&
      mine.groups.every(g => desired.includes(g));
    if (!ours) {
      throw new GrantRefusedError(
        `aws-auth already maps ${entry.arn} with an entry this plugin did not add (username ${mine.username}); a second entry would override it. Ask a cluster admin to change that mapping instead.`,
      );
    }
    if (desired.every(g => mine.groups.includes(g))) {
      return undefined; // already there (e.g. a re-run after a crash)
    }
    return editAwsAuthEntry(snapshot.data, mine.section, mine.index, desired);
  });

  grant = { ...grant, awsAuthAdded: true, appliedAt: new Date() };
  await store.saveGrant(grant);
  return grant;
}

/**
 * Takes the request's groups back out of aws-auth: the mapping keeps the
 * groups other live grants of ours need, or is removed when none do. An
 * entry someone else changed is left alone (the removal is reported).
 * @public
 */
export async function removeAwsAuthGrant(
  ctx: AwsAuthStepContext & { grant: GrantRecord },
): Promise<void> {
  const entry = ctx.grant.awsAuthEntry;
  if (!entry || !ctx.grant.awsAuthAdded) {
    return;
  }
  const remaining = [...new Set(await otherGroups(ctx, entry.arn))].sort();
  const allowed = new Set([...entry.groups, ...remaining]);
  await writeWithRetry(ctx, 'removal-step', snapshot => {
    const parsed = parseAwsAuth(snapshot.data);
    refuseUnclean(parsed, entry.section);
    const existing = mappingsFor(parsed, entry.arn).filter(
      m => m.section === entry.section && m.username === entry.username,
    );
    if (existing.length === 0) {
      return undefined;
    }
    const [mine] = existing;
    if (existing.length > 1 || !mine.groups.every(g => allowed.has(g))) {
      throw new GrantRefusedError(
        `The aws-auth mapping of ${
          entry.arn
        } was changed by someone else (groups ${mine.groups.join(
          ', ',
        )}); it was left as it is. Remove the groups ${entry.groups.join(
          ', ',
        )} by hand if they are no longer needed.`,
      );
    }
    if (remaining.length === 0) {
      return editAwsAuthEntry(
        snapshot.data,
        mine.section,
        mine.index,
        undefined,
      );
    }
    if (
      remaining.length === mine.groups.length &&
      remaining.every(g => mine.groups.includes(g))
    ) {
      return undefined;
    }
    return editAwsAuthEntry(snapshot.data, mine.section, mine.index, remaining);
  });
}
