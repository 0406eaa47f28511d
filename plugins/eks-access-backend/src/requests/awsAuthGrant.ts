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
  assumedRoleArnOf,
  awsAuthLoadsBackAs,
  type AwsAuthRoleMapping,
  type AwsAuthUserMapping,
  canonicalPrincipalArn,
  parseAwsAuth,
  type ParsedAwsAuth,
  serializeAwsAuthEntries,
} from '@eks-access/plugin-eks-access-common';
import { isMap, isSeq, parseDocument } from 'yaml';
import { GrantRefusedError } from './accessEntryGrant';
import type { AccessLevel } from './readAccessRequestsConfig';
import type {
  AccessRequestStore,
  GrantRecord,
  NewAccessRequestEvent,
} from './AccessRequestStore';
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
  const sessionUsername = assumedRoleArnOf(canonical, '{{SessionName}}');
  if (sessionUsername) {
    return {
      section: 'mapRoles',
      arn: canonical,
      username: sessionUsername,
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
    const user = item.items.find(
      p => String((p.key as any)?.value ?? p.key) === 'username',
    );
    const username = (user?.value as any)?.value ?? user?.value;
    return (
      typeof value === 'string' &&
      sameArn(value, targetArn) &&
      username === target.username
    );
  });
  if (position < 0) {
    throw new GrantRefusedError(
      `aws-auth ${section}: the entry for ${targetArn} was not found`,
    );
  }
  // Edit the text of this one item only, so every other entry, comment and
  // byte of formatting stays exactly as it was.
  const text = data[section] ?? '';
  const range = (items[position] as any).range as [number, number, number];
  const lineStart = text.lastIndexOf('\n', range[0] - 1) + 1;
  let end = range[2];
  if (end < text.length && text[end - 1] !== '\n') {
    const newline = text.indexOf('\n', end);
    end = newline < 0 ? text.length : newline + 1;
  }
  let replacement = '';
  if (groups !== undefined) {
    const mapping =
      section === 'mapRoles'
        ? { mapRoles: [{ ...(target as AwsAuthRoleMapping), groups }] }
        : { mapUsers: [{ ...(target as AwsAuthUserMapping), groups }] };
    // Rendered as `- key: …` with two-space continuation lines; placed at
    // the item's own indentation.
    const prefix = text.slice(lineStart, range[0]);
    replacement = serializeAwsAuthEntries(mapping)
      [section].split('\n')
      .map((line, i) => {
        if (line === '') return line;
        return i === 0
          ? `${prefix}${line.slice(2)}`
          : `${' '.repeat(prefix.length)}${line.slice(2)}`;
      })
      .join('\n');
    if (end === text.length && !text.endsWith('\n')) {
      replacement = replacement.replace(/\n$/, '');
    }
  }
  const edited = text.slice(0, lineStart) + replacement + text.slice(end);
  const next = { ...data };
  if (edited.trim() === '') {
    delete next[section];
  } else {
    next[section] = edited;
  }
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
  if (!awsAuthLoadsBackAs(next, expected)) {
    throw new GrantRefusedError(
      'Refusing to change aws-auth: the result would not load back as the existing entries with only our change',
    );
  }
  return next;
}

interface AwsAuthStepContext {
  store: AccessRequestStore;
  request: AccessRequest;
  client: AwsAuthConfigMapClient;
  record(event: Omit<NewAccessRequestEvent, 'actor'>): Promise<void>;
}

/**
 * What the plugin's grants for this principal own in its mapping, read
 * afresh for every attempt: the live grants (approved or active) still need
 * their groups; grants that ended but were not removed yet still own what
 * they added (so one removal never counts another one's groups as foreign).
 */
async function ownershipOf(ctx: AwsAuthStepContext) {
  const others = (
    await ctx.store.listGrantsNotRemoved({
      clusterArn: ctx.request.cluster.arn,
      canonicalPrincipalArn: ctx.request.canonicalPrincipalArn,
      excludeRequestId: ctx.request.id,
    })
  ).filter(o => o.grant.method === 'aws-auth');
  const self = await ctx.store.getGrant(ctx.request.id);
  const owners = self ? [self, ...others.map(o => o.grant)] : [];
  const live = others.filter(o => o.live && o.grant.awsAuthAdded);
  return {
    self,
    others,
    live,
    entryOurs: owners.some(g => g.awsAuthEntryCreated),
    ourGroups: new Set(owners.flatMap(g => g.awsAuthGroupsAdded ?? [])),
    needed: new Set(live.flatMap(o => o.grant.awsAuthEntry?.groups ?? [])),
  };
}

/** The principal's mapping before and after a write: what requesters see. */
function ownMappingChange(
  ctx: AwsAuthStepContext,
  before: Record<string, string>,
  after: Record<string, string>,
) {
  const arn = canonicalPrincipalArn(ctx.request.principalArn);
  const pick = (data: Record<string, string>) =>
    mappingsFor(parseAwsAuth(data), arn).map(m => ({
      section: m.section,
      username: m.username,
      groups: m.groups,
    }));
  return { arn, before: pick(before), after: pick(after) };
}

/**
 * Writes `compute(snapshot)` with a resourceVersion precondition, re-reading
 * and recomputing on 409, and records the exact before/after of the data.
 */
async function writeWithRetry(
  ctx: AwsAuthStepContext,
  eventType: 'apply-step' | 'removal-step',
  compute: (snapshot: AwsAuthSnapshot) => Promise<
    | {
        data: Record<string, string>;
        /** Records what the write adds, before it is made. */
        beforeWrite?: () => Promise<void>;
      }
    | undefined
  >,
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const snapshot = await ctx.client.read();
    if (!snapshot) {
      throw new GrantRefusedError(
        'kube-system/aws-auth does not exist; this plugin only edits an existing aws-auth ConfigMap',
      );
    }
    const change = await compute(snapshot);
    if (!change) {
      return;
    }
    const next = change.data;
    await change.beforeWrite?.();
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
        change: ownMappingChange(ctx, snapshot.data, next),
        // The whole ConfigMap: shown to admins only (see eventRedaction).
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
 * Adds the request's mapping to aws-auth, or the missing groups to the
 * mapping this plugin created for the principal, and records exactly that
 * (before writing, so a crash right after the write still knows). Writes
 * nothing when a mapping already gives the groups. Refuses when aws-auth does
 * not parse cleanly, or when the principal's mapping was not created by this
 * plugin and lacks groups: a mapping we did not create is never changed, and
 * a second entry for the same ARN would override it.
 * @public
 */
export async function applyAwsAuthGrant(
  ctx: AwsAuthStepContext & { entry: AwsAuthGrantEntry },
): Promise<GrantRecord> {
  const { request, store, entry } = ctx;
  const stored = await store.getGrant(request.id);
  if (stored?.removedAt) {
    // Applied again (retry) after everything it had was taken away.
    await store.resetGrantOwnership(request.id);
  }
  let grant: GrantRecord = {
    requestId: request.id,
    method: 'aws-auth',
    clusterArn: request.cluster.arn,
    principalArn: request.principalArn,
    accessEntryCreated: false,
    policyAssociated: false,
    awsAuthAdded: false,
    ...(stored?.removedAt ? {} : stored),
    awsAuthEntry: entry,
    removedAt: undefined,
    removalError: undefined,
  };
  await store.saveGrant(grant);

  await writeWithRetry(ctx, 'apply-step', async snapshot => {
    const parsed = parseAwsAuth(snapshot.data);
    refuseUnclean(parsed, entry.section);
    const existing = mappingsFor(parsed, entry.arn);
    const owned = await ownershipOf(ctx);
    const intent = async (add: {
      awsAuthEntryCreated?: boolean;
      awsAuthGroupsAdded: string[];
    }) => {
      grant = { ...grant, awsAuthAdded: true };
      await store.saveGrant(grant);
      await store.addGrantOwnership(request.id, add);
    };
    if (existing.length === 0) {
      const mapping =
        entry.section === 'mapRoles'
          ? {
              mapRoles: [
                {
                  rolearn: entry.arn,
                  username: entry.username,
                  groups: entry.groups,
                },
              ],
            }
          : {
              mapUsers: [
                {
                  userarn: entry.arn,
                  username: entry.username,
                  groups: entry.groups,
                },
              ],
            };
      try {
        return {
          data: appendAwsAuthEntries(snapshot.data, mapping),
          beforeWrite: () =>
            intent({
              awsAuthEntryCreated: true,
              awsAuthGroupsAdded: entry.groups,
            }),
        };
      } catch (error) {
        throw new GrantRefusedError((error as Error).message);
      }
    }
    const [mine] = existing;
    if (
      existing.length !== 1 ||
      mine.section !== entry.section ||
      mine.username !== entry.username
    ) {
      throw new GrantRefusedError(
        `aws-auth already maps ${entry.arn} with an entry this plugin did not add (username ${mine.username}); a second entry would override it. Ask a cluster admin to change that mapping instead.`,
      );
    }
    const missing = entry.groups.filter(g => !mine.groups.includes(g));
    if (missing.length === 0) {
      // Already given (by a person, or by another grant of ours, which keeps
      // owning it): nothing added, so nothing to take away later.
      grant = { ...grant, awsAuthAdded: true };
      await store.saveGrant(grant);
      return undefined;
    }
    if (!owned.entryOurs) {
      throw new GrantRefusedError(
        `aws-auth already maps ${
          entry.arn
        } with an entry this plugin did not add, without the groups ${missing.join(
          ', ',
        )}; that entry is never changed. Ask a cluster admin to change that mapping instead.`,
      );
    }
    return {
      data: editAwsAuthEntry(
        snapshot.data,
        mine.section,
        mine.index,
        [...new Set([...mine.groups, ...missing])].sort(),
      ),
      beforeWrite: () => intent({ awsAuthGroupsAdded: missing }),
    };
  });

  grant = { ...grant, awsAuthAdded: true, appliedAt: new Date() };
  await store.saveGrant(grant);
  return (await store.getGrant(request.id)) ?? grant;
}

/**
 * Takes back what the plugin's grants added to the principal's mapping and
 * no live grant of ours still needs: groups added by this grant or by other
 * ended grants not removed yet (so revocations converge in any order), and
 * the mapping itself when the plugin created it and nothing is left in it.
 * Groups and mappings someone else added are never touched. What this grant
 * added that a live grant still needs is handed over to that grant, which
 * then removes it when it ends.
 * @public
 */
export async function removeAwsAuthGrant(
  ctx: AwsAuthStepContext & { grant: GrantRecord },
): Promise<void> {
  const entry = ctx.grant.awsAuthEntry;
  if (!entry) {
    return;
  }
  let handover: Awaited<ReturnType<typeof ownershipOf>> | undefined;
  let entryKept = true;
  await writeWithRetry(ctx, 'removal-step', async snapshot => {
    const parsed = parseAwsAuth(snapshot.data);
    const owned = await ownershipOf(ctx);
    handover = owned;
    const existing = mappingsFor(parsed, entry.arn).filter(
      m => m.section === entry.section && m.username === entry.username,
    );
    if (existing.length === 0) {
      entryKept = false;
      return undefined;
    }
    refuseUnclean(parsed, entry.section);
    if (existing.length > 1) {
      throw new GrantRefusedError(
        `aws-auth has ${existing.length} entries for ${
          entry.arn
        } with our username; it was left as it is. Remove the groups ${(
          ctx.grant.awsAuthGroupsAdded ?? []
        ).join(', ')} by hand if they are no longer needed.`,
      );
    }
    const [mine] = existing;
    const remove = mine.groups.filter(
      g => owned.ourGroups.has(g) && !owned.needed.has(g),
    );
    const keep = mine.groups.filter(g => !remove.includes(g));
    if (keep.length === 0 && owned.entryOurs && owned.live.length === 0) {
      entryKept = false;
      return {
        data: editAwsAuthEntry(
          snapshot.data,
          mine.section,
          mine.index,
          undefined,
        ),
      };
    }
    if (remove.length === 0) {
      return undefined;
    }
    return {
      data: editAwsAuthEntry(snapshot.data, mine.section, mine.index, keep),
    };
  });
  // Hand what this grant added and a live grant still needs over to it.
  const live = handover?.live ?? [];
  if (entryKept && live.length > 0) {
    const [heir] = live;
    const self = handover!.self ?? ctx.grant;
    const groups = (self.awsAuthGroupsAdded ?? []).filter(g =>
      handover!.needed.has(g),
    );
    for (const { grant } of live) {
      const mineToGive = groups.filter(g =>
        grant.awsAuthEntry?.groups.includes(g),
      );
      if (mineToGive.length > 0) {
        await ctx.store.addGrantOwnership(grant.requestId, {
          awsAuthGroupsAdded: mineToGive,
        });
      }
    }
    if (self.awsAuthEntryCreated) {
      await ctx.store.addGrantOwnership(heir.grant.requestId, {
        awsAuthEntryCreated: true,
      });
    }
  }
}
