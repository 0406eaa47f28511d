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
 * What an approver must know before approving a grant: what it will write,
 * and whether it can be applied and works. A grant is a plan (an access
 * entry with a policy, or an aws-auth mapping), so the same simulator that
 * proves fix plans checks it. Pure; the request flow calls it when a request
 * is made and when it is shown to approvers.
 */

import { indexClusterAccess, type ClusterAccessIndex } from './clusterIndex';
import { evaluateAccess } from './evaluate';
import { redactPlan, type FixPlan } from './fixPlan';
import { describeStep } from './planRender';
import { sessionCallerFor, verifyPlan } from './planSimulation';
import type { ClusterAccessData } from './types';

/** The preflight answer for one grant. @public */
export interface GrantPreflight {
  /** One line per step: what the grant will write. */
  writes: string[];
  /** False when the grant cannot be applied, or would not let the principal in. */
  applicable: boolean;
  /** Why it cannot be applied, or what it would break; empty when all is well. */
  risks: string[];
  /**
   * Other principals whose access the grant changes. Always empty for an
   * applicable grant except principals it newly lets in (a grant that would
   * take or change anyone else's access is not applicable).
   */
  othersAffected: string[];
  /**
   * The verified grant, redacted of other principals' aws-auth data, for
   * the CLI / kubectl / Terraform forms; absent when it cannot be applied.
   */
  plan?: FixPlan;
}

/**
 * Checks a grant on the cluster's snapshot: aws-auth that cannot be written,
 * groups nothing in RBAC binds, an access entry that would shadow the
 * principal's aws-auth mapping, or any other principal's access changing.
 * Pass `index` when the cluster's {@link ClusterAccessIndex} is at hand (a
 * snapshot's, built for the card's check): aws-auth is then not parsed
 * again. Without it the index is built here, once.
 * @public
 */
export function grantPreflight(input: {
  cluster: ClusterAccessData;
  /** The index of `cluster` (the same data, indexed once). */
  index?: ClusterAccessIndex;
  principalArn: string;
  grant: FixPlan;
}): GrantPreflight {
  const { cluster, principalArn, grant } = input;
  const writes = grant.steps.map(describeStep);
  const risks: string[] = [];
  const caller = sessionCallerFor(principalArn, 'approver-preview');
  if (!caller) {
    return {
      writes,
      applicable: false,
      risks: [`${principalArn} is not an IAM role or user EKS can admit.`],
      othersAffected: [],
    };
  }
  const index = input.index ?? indexClusterAccess(cluster);
  const before = evaluateAccess({ caller, cluster: index });
  const result = verifyPlan(cluster, caller, grant, undefined, index);
  if (!result.verified) {
    return {
      writes,
      applicable: false,
      risks: [`It cannot work: ${result.reason}.`],
      othersAffected: [],
    };
  }
  const after = result.verdict;
  if (
    before.decision === 'allowed' &&
    before.via !== 'access-entry' &&
    after.via === 'access-entry'
  ) {
    const lost = (before.groups ?? []).filter(
      g => !(after.groups ?? []).includes(g),
    );
    if (lost.length) {
      risks.push(
        `The new access entry takes precedence over the principal's aws-auth mapping: it loses the groups ${lost.join(
          ', ',
        )}.`,
      );
    }
  }
  if (result.plan.alsoAdmits?.length) {
    risks.push(
      `It also lets in ${result.plan.alsoAdmits.join(
        ', ',
      )}, whose aws-auth entries were ignored until now.`,
    );
  }
  return {
    writes,
    applicable: true,
    risks,
    othersAffected: result.plan.alsoAdmits ?? [],
    plan: redactPlan(result.plan),
  };
}
