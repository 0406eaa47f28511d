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

import type {
  AccessAttempt,
  ClusterDenialsReport,
  DenialGroup,
} from '@eks-access/plugin-eks-access-common';

/** At most this many groups are returned (the busiest by recency). */
export const MAX_DENIAL_GROUPS = 50;

/**
 * Denied lines grouped by ARN and reason: count, latest time; most recent
 * first. Token failures that name no ARN form their own groups by reason.
 */
export function groupDenials(attempts: AccessAttempt[]): DenialGroup[] {
  const groups = new Map<string, DenialGroup>();
  for (const attempt of attempts) {
    if (attempt.outcome !== 'denied') continue;
    const reason = attempt.reason ?? 'access denied';
    const key = `${attempt.arn?.toLowerCase() ?? ''}\n${reason}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        ...(attempt.arn ? { arn: attempt.arn } : {}),
        reason,
        count: 1,
        lastSeen: attempt.time,
      });
    } else {
      group.count += 1;
      if (attempt.time > group.lastSeen) group.lastSeen = attempt.time;
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : -1) || b.count - a.count)
    .slice(0, MAX_DENIAL_GROUPS);
}

/** The report of a cluster whose log was read. */
export async function denialsReport(
  attempts: AccessAttempt[],
  options: {
    windowHours?: number;
    truncated: boolean;
    explain: (groups: DenialGroup[]) => Promise<DenialGroup[]>;
  },
): Promise<ClusterDenialsReport> {
  return {
    logging: 'on',
    ...(options.windowHours ? { windowHours: options.windowHours } : {}),
    read: attempts.length,
    ...(options.truncated ? { truncated: true } : {}),
    groups: await options.explain(groupDenials(attempts)),
  };
}
