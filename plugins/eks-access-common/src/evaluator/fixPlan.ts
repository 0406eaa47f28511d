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
 * A fix as a plan of typed operations instead of prose. The explanation side
 * of the evaluator builds plans (see diagnose.ts), the simulator proves them
 * on the snapshot (planSimulation.ts), and the renderer turns them into the
 * forms people run (planRender.ts). Pure data: nothing here is executed.
 */

import type { AccessEntryInfo } from './types';

/** An access policy's scope, as EKS takes it. @public */
export interface PlanAccessScope {
  type: 'cluster' | 'namespace';
  namespaces?: string[];
}

/** A principal ARN in a plan, and whether its role path must be looked up. @public */
export interface PlanPrincipal {
  /** The ARN to write: the full IAM ARN with path when known, else the canonical ARN. */
  arn: string;
  /**
   * Set for roles whose path is unknown: the rendered forms look the ARN up
   * by this role name (access entries need the ARN with its path).
   */
  lookupRoleName?: string;
}

/**
 * One step of a fix. Each is one change an admin (or, for `UseIdentity`,
 * the developer) makes.
 * @public
 */
export type PlanOperation =
  | {
      op: 'CreateAccessEntry';
      principal: PlanPrincipal;
      /** `STANDARD` when absent; a migration creates node entries (`EC2_LINUX`...) too. */
      type?: string;
      username?: string;
      kubernetesGroups?: string[];
    }
  | {
      op: 'AssociateAccessPolicy';
      principal: PlanPrincipal;
      policyArn: string;
      accessScope: PlanAccessScope;
    }
  | { op: 'DeleteAccessEntry'; principal: PlanPrincipal }
  | {
      op: 'AwsAuthUpsertMapping';
      section: 'mapRoles' | 'mapUsers';
      arn: string;
      username: string;
      groups: string[];
    }
  | {
      op: 'AwsAuthRemoveMapping';
      section: 'mapRoles' | 'mapUsers';
      arn: string;
    }
  | {
      op: 'AwsAuthRepairYaml';
      /** The data key, e.g. `mapUsers`, or a mis-cased one like `maproles`. */
      key: string;
      /** The repaired value of the data key, with every entry it had; `null` removes the key. */
      value: string | null;
      /** What was wrong, e.g. "a tab indents line 2". */
      problem: string;
    }
  | {
      op: 'CreateRoleBinding';
      /** Binding name; a ClusterRoleBinding when `namespace` is absent. */
      name: string;
      clusterRole: string;
      subject: { kind: 'Group' | 'User'; name: string };
      namespace?: string;
    }
  | {
      op: 'UseIdentity';
      /** What the developer changes in their own kubeconfig or AWS profile. */
      instruction: string;
      command?: string;
    };

/** The `op` names. @public */
export type PlanOperationKind = PlanOperation['op'];

/** What the identity gets once the plan has run. @public */
export interface PlanPromise {
  /** Absent when EKS picks the default username. */
  username?: string;
  groups: string[];
  accessPolicies: NonNullable<AccessEntryInfo['accessPolicies']>;
}

/**
 * A fix: ordered steps that must run in this order, and what they promise.
 * @public
 */
export interface FixPlan {
  /** One sentence: what the plan does. */
  summary: string;
  steps: PlanOperation[];
  /** What the identity gets afterwards; absent for `UseIdentity`-only plans. */
  promise?: PlanPromise;
  /**
   * The full value of each aws-auth key the plan touches after each step,
   * filled by the simulator so the renderers write exact ConfigMap data.
   */
  awsAuthAfterStep?: (Record<string, string> | undefined)[];
  /** The aws-auth data before the first step, when the plan touches aws-auth. */
  awsAuthBefore?: Record<string, string>;
  /** Principals the plan lets in that were not in before (e.g. a YAML repair restores them). */
  alsoAdmits?: string[];
  /**
   * Set by {@link redactPlan}: aws-auth values of other principals were
   * removed, so the renderers show the entry to add instead of the whole key.
   */
  redacted?: boolean;
}

/**
 * The plan without other principals' data (the full aws-auth values a YAML
 * repair or the Terraform form would carry), for a developer's own card.
 * What stays: the steps about this identity, the repair's reason, how many
 * other principals a repair restores.
 * @public
 */
export function redactPlan(plan: FixPlan): FixPlan {
  const { awsAuthAfterStep: _after, awsAuthBefore: _before, ...rest } = plan;
  return {
    ...rest,
    steps: plan.steps.map(s =>
      s.op === 'AwsAuthRepairYaml' && s.value !== null
        ? { ...s, value: '' }
        : s,
    ),
    ...(plan.alsoAdmits
      ? {
          alsoAdmits: plan.alsoAdmits.map(
            (_a, i) => `other principal ${i + 1}`,
          ),
        }
      : {}),
    redacted: true,
  };
}

/** The cluster a plan runs against. @public */
export interface PlanCluster {
  name: string;
  region: string;
}
