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
 * A migration plan as the forms teams apply it: an AWS CLI script, an
 * eksctl script and Terraform. The entries go through the fix plans'
 * renderers (one FixPlan of CreateAccessEntry and AssociateAccessPolicy
 * steps); the mode changes follow, each in the tool's own form, the final
 * one marked as irreversible. Pure string building.
 */

import type { FixPlan, PlanOperation } from '../evaluator/fixPlan';
import { renderPlan } from '../evaluator/planRender';
import { shellQuote } from '../evaluator/fixes';
import type { MigrationModeChange, MigrationPlan } from './types';

/** The forms a migration is rendered into. @public */
export type MigrationFormat = 'aws-cli' | 'eksctl' | 'terraform';

/** Every migration format, in the order the preview shows them. @public */
export const MIGRATION_FORMATS: readonly MigrationFormat[] = [
  'aws-cli',
  'eksctl',
  'terraform',
];

/** The plan's entries as fix-plan steps, in order. @public */
export function migrationSteps(plan: MigrationPlan): PlanOperation[] {
  return plan.entries.flatMap((e): PlanOperation[] => [
    {
      op: 'CreateAccessEntry',
      principal: e.principal,
      ...(e.type !== 'STANDARD' ? { type: e.type } : {}),
      ...(e.username !== undefined ? { username: e.username } : {}),
      ...(e.kubernetesGroups.length
        ? { kubernetesGroups: e.kubernetesGroups }
        : {}),
    },
    ...e.accessPolicies.map(
      (p): PlanOperation => ({
        op: 'AssociateAccessPolicy',
        principal: e.principal,
        policyArn: p.policyArn,
        accessScope: p.accessScope,
      }),
    ),
  ]);
}

const IRREVERSIBLE =
  'EKS cannot switch back from API: run this only after the verification window, when nobody lost access.';

function modeLines(
  plan: MigrationPlan,
  change: MigrationModeChange,
  format: MigrationFormat,
): string[] {
  const c = plan.cluster;
  const header = `# Stage: switch the authentication mode to ${change.to}${
    change.final ? ' (final)' : ''
  }`;
  const warn = change.final ? [`# ${IRREVERSIBLE}`] : [];
  switch (format) {
    case 'aws-cli':
      return [
        header,
        ...warn,
        `aws eks update-cluster-config --name ${shellQuote(
          c.name,
        )} --region ${shellQuote(
          c.region,
        )} --access-config authenticationMode=${change.to}`,
        '# Wait until the update printed above is Successful:',
        `# aws eks describe-update --name ${shellQuote(
          c.name,
        )} --region ${shellQuote(c.region)} --update-id <update id>`,
      ];
    case 'eksctl':
      return [
        header,
        ...warn,
        `eksctl utils update-authentication-mode --cluster ${shellQuote(
          c.name,
        )} --region ${shellQuote(c.region)} --authentication-mode ${change.to}`,
      ];
    case 'terraform':
      return [
        header,
        ...warn,
        `# In the aws_eks_cluster resource of this cluster (${
          change.final
            ? 'apply after the entries are verified'
            : 'apply first: access entries need a mode with API'
        }):`,
        '#   access_config {',
        `#     authentication_mode = "${change.to}"`,
        '#   }',
      ];
    default:
      return [];
  }
}

/**
 * Renders the plan in one format: the entries, then each mode change.
 * Mappings listed as issues are not in it. aws-auth is left as it is.
 * @public
 */
export function renderMigration(
  plan: MigrationPlan,
  format: MigrationFormat,
): string {
  const c = plan.cluster;
  const fixPlan: FixPlan = {
    summary: `Migrate ${c.name} from aws-auth to access entries`,
    steps: migrationSteps(plan),
  };
  const blocks: string[] = [
    `# Migrate ${c.name} (${c.region}) from aws-auth to access entries: ${
      plan.entries.length
    } entr${
      plan.entries.length === 1 ? 'y' : 'ies'
    }. aws-auth is left unchanged.`,
  ];
  const blockers = plan.issues.filter(i => i.severity === 'blocker');
  if (blockers.length) {
    blocks.push(
      [
        `# Not expressible as access entries (${blockers.length}); see the preview:`,
        ...blockers.map(i => `#   ${i.subject}: ${i.code}`),
      ].join('\n'),
    );
  }
  const [first, ...rest] = plan.modeChanges;
  // Entries can only be created once the mode includes API.
  if (first && first.from === 'CONFIG_MAP') {
    blocks.push(modeLines(plan, first, format).join('\n'));
  }
  if (fixPlan.steps.length) {
    blocks.push(
      `# Stage: create the access entries\n${renderPlan(fixPlan, c, format)}`,
    );
  }
  const remaining =
    first && first.from === 'CONFIG_MAP' ? rest : plan.modeChanges;
  for (const change of remaining) {
    blocks.push(modeLines(plan, change, format).join('\n'));
  }
  return blocks.join('\n\n');
}

/** The plan in every migration format. @public */
export function renderMigrationForms(
  plan: MigrationPlan,
): Record<MigrationFormat, string> {
  return {
    'aws-cli': renderMigration(plan, 'aws-cli'),
    eksctl: renderMigration(plan, 'eksctl'),
    terraform: renderMigration(plan, 'terraform'),
  };
}
