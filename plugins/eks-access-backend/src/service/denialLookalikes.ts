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
 * Why a denied ARN was refused when it looks like a mapping gone wrong: the
 * evaluator's near-miss findings, else a mapped ARN a character or two away.
 * Pure: the denials route reads the log, the diagnostics service feeds the
 * snapshot.
 */

import {
  canonicalPrincipalArn,
  parseArn,
  type AccessVerdict,
  type DenialGroup,
  type Finding,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';

/** The evaluator's near-miss findings, and what kind of drift each is. */
const LOOKALIKE_FINDINGS: Partial<
  Record<Finding['code'], NonNullable<DenialGroup['lookalike']>['kind']>
> = {
  AWS_AUTH_SSO_SUFFIX_MISMATCH: 'sso-suffix',
  AWS_AUTH_ROLE_ARN_HAS_PATH: 'path',
  AWS_AUTH_SESSION_ARN: 'session',
  CASE_MISMATCH: 'case',
};

/** The ARN a near-miss finding names as mapped (`aws-auth maps <arn>…`). */
function mappedArnIn(message: string): string | undefined {
  return /maps (arn:\S+?)(?=[,:.]?(?:\s|$))/.exec(message)?.[1];
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      best = Math.min(best, current[j]);
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

const keyOf = (arn: string) => {
  try {
    return canonicalPrincipalArn(arn).toLowerCase();
  } catch {
    return arn.toLowerCase();
  }
};

/**
 * A mapped ARN of the same account and kind that differs from the denied one
 * by one or two characters (after the account): someone's typo.
 */
export function typoOf(
  deniedArn: string,
  mappedArns: string[],
): string | undefined {
  const denied = keyOf(deniedArn);
  const account = parseArnSafe(deniedArn)?.accountId;
  for (const mapped of mappedArns) {
    const key = keyOf(mapped);
    if (key === denied) continue;
    if (parseArnSafe(mapped)?.accountId !== account) continue;
    if (editDistance(denied, key, 2) <= 2) return mapped;
  }
  return undefined;
}

function parseArnSafe(arn: string) {
  try {
    return parseArn(arn);
  } catch {
    return undefined;
  }
}

/**
 * Links each denial to the finding that explains it, when its ARN looks
 * like a mapping gone wrong: the evaluator's near-miss findings for that ARN
 * (an SSO suffix that changed, a role path, a session ARN, another case),
 * else a mapped ARN a character or two away (a typo).
 */
export function explainDenials(
  groups: DenialGroup[],
  options: {
    /** The evaluator's verdict for an ARN, as if it were the caller. */
    evaluate: (identity: ResolvedIdentity) => AccessVerdict;
    /** Every ARN aws-auth maps and every access entry's principal. */
    mappedArns: string[];
  },
): DenialGroup[] {
  const byArn = new Map<string, DenialGroup['lookalike'] | null>();
  const explain = (arn: string): DenialGroup['lookalike'] | undefined => {
    const key = arn.toLowerCase();
    if (byArn.has(key)) return byArn.get(key) ?? undefined;
    let lookalike: DenialGroup['lookalike'] | undefined;
    try {
      const verdict = options.evaluate({
        callerArn: arn,
        principalArn: arn,
        source: 'pasted',
        label: arn,
      });
      const finding = verdict.findings.find(f => LOOKALIKE_FINDINGS[f.code]);
      if (finding) {
        lookalike = {
          kind: LOOKALIKE_FINDINGS[finding.code]!,
          mappedArn: mappedArnIn(finding.message) ?? arn,
          finding,
        };
      }
    } catch {
      // an ARN the evaluator cannot read explains nothing
    }
    if (!lookalike) {
      const mapped = typoOf(arn, options.mappedArns);
      if (mapped) {
        lookalike = {
          kind: 'typo',
          mappedArn: mapped,
          finding: {
            code: 'NOT_MAPPED',
            severity: 'warning',
            message: `${arn} is not mapped, but ${mapped} is: they differ by a character or two. The mapping probably has a typo (or the caller does).`,
            fix: {
              summary: `Correct the mapping of ${mapped} if it was meant for ${arn}`,
              commands: [],
            },
          },
        };
      }
    }
    byArn.set(key, lookalike ?? null);
    return lookalike;
  };
  return groups.map(group => {
    const lookalike = group.arn ? explain(group.arn) : undefined;
    return lookalike ? { ...group, lookalike } : group;
  });
}
