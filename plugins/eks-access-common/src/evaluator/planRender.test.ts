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

import fc from 'fast-check';
import type { FixPlan, PlanOperation } from './fixPlan';
import { PLAN_FORMATS, renderPlan, renderPlanForms } from './planRender';

const cluster = { name: 'payments-prod', region: 'us-east-1' };
const ROLE = 'arn:aws:iam::111122223333:role/team/Deploy';
const USER = 'arn:aws:iam::111122223333:user/dana';
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const EDIT = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy';
const MAP_ROLES_AFTER = {
  mapRoles:
    '- rolearn: arn:aws:iam::111122223333:role/Deploy\n  username: "{{SessionName}}"\n  groups:\n  - deployers\n',
};

/** One plan per operation, so each rendering is a golden file entry. */
const single: Record<PlanOperation['op'], FixPlan> = {
  CreateAccessEntry: {
    summary: 'create',
    steps: [
      {
        op: 'CreateAccessEntry',
        principal: { arn: ROLE },
        username: 'deploy:{{SessionName}}',
        kubernetesGroups: ['deployers', 'viewers'],
      },
    ],
  },
  AssociateAccessPolicy: {
    summary: 'associate',
    steps: [
      {
        op: 'AssociateAccessPolicy',
        principal: { arn: USER },
        policyArn: EDIT,
        accessScope: { type: 'namespace', namespaces: ['payments', 'jobs'] },
      },
    ],
  },
  DeleteAccessEntry: {
    summary: 'delete',
    steps: [{ op: 'DeleteAccessEntry', principal: { arn: USER } }],
  },
  AwsAuthUpsertMapping: {
    summary: 'map',
    steps: [
      {
        op: 'AwsAuthUpsertMapping',
        section: 'mapRoles',
        arn: 'arn:aws:iam::111122223333:role/Deploy',
        username: '{{SessionName}}',
        groups: ['deployers'],
      },
    ],
    awsAuthBefore: {},
    awsAuthAfterStep: [MAP_ROLES_AFTER],
  },
  AwsAuthRemoveMapping: {
    summary: 'unmap',
    steps: [
      {
        op: 'AwsAuthRemoveMapping',
        section: 'mapUsers',
        arn: USER,
      },
    ],
    awsAuthAfterStep: [{ mapUsers: '[]\n' }],
  },
  AwsAuthRepairYaml: {
    summary: 'repair',
    steps: [
      {
        op: 'AwsAuthRepairYaml',
        key: 'mapUsers',
        value: `- userarn: ${USER}\n  username: dana\n`,
        problem: 'tabs indent it (line 2)',
      },
    ],
    awsAuthAfterStep: [{ mapUsers: `- userarn: ${USER}\n  username: dana\n` }],
  },
  CreateRoleBinding: {
    summary: 'bind',
    steps: [
      {
        op: 'CreateRoleBinding',
        name: 'eks-access-viewers',
        clusterRole: 'view',
        subject: { kind: 'Group', name: 'eks-access-viewers' },
        namespace: 'payments',
      },
    ],
  },
  UseIdentity: {
    summary: 'use',
    steps: [
      {
        op: 'UseIdentity',
        instruction: 'Use the PaymentsDeveloper profile',
        command: 'aws sso login --profile payments-dev',
      },
    ],
  },
};

describe('renderPlan', () => {
  describe.each(Object.keys(single))('%s', op => {
    it.each(PLAN_FORMATS)('renders as %s (golden)', format => {
      expect(
        renderPlan(single[op as PlanOperation['op']], cluster, format),
      ).toMatchSnapshot();
    });
  });

  it('looks up a role ARN whose path is unknown, in every form', () => {
    const plan: FixPlan = {
      summary: 'lookup',
      steps: [
        {
          op: 'CreateAccessEntry',
          principal: {
            arn: 'arn:aws:iam::111122223333:role/Deploy',
            lookupRoleName: 'Deploy',
          },
        },
      ],
    };
    const forms = renderPlanForms(plan, cluster);
    expect(forms['aws-cli']).toContain(
      '"$(aws iam get-role --role-name Deploy --query Role.Arn --output text)"',
    );
    expect(forms.eksctl).toContain('PRINCIPAL_ARN="$(aws iam get-role');
    expect(forms.terraform).toContain('data "aws_iam_role" "deploy"');
    expect(forms.terraform).toContain('data.aws_iam_role.deploy.arn');
  });

  it('escapes Terraform interpolation in aws-auth values', () => {
    const plan: FixPlan = {
      ...single.AwsAuthUpsertMapping,
      awsAuthAfterStep: [{ mapRoles: '- username: ${oops}\n' }],
    };
    expect(renderPlan(plan, cluster, 'terraform')).toContain('$${oops}');
  });
});

/** What a rendering says about access entries and policies. */
function cliFacts(script: string) {
  const principals = [...script.matchAll(/--principal-arn (\S+)/g)].map(m =>
    m[1].replace(/^'|'$/g, ''),
  );
  const policies = [
    ...script.matchAll(
      /--policy-arn (\S+) --access-scope type=(cluster|namespace)(?:,namespaces=(\S+))?/g,
    ),
  ].map(m => ({
    policyArn: m[1],
    scope: m[2],
    namespaces: m[3] ? m[3].split(',') : [],
  }));
  return { principals, policies };
}

function terraformFacts(tf: string) {
  const principals = [...tf.matchAll(/principal_arn = "([^"]+)"/g)].map(
    m => m[1],
  );
  const policies = [
    ...tf.matchAll(
      /policy_arn\s+= "([^"]+)"\n\s+access_scope \{\n\s+type\s+= "(cluster|namespace)"(?:\n\s+namespaces = \[([^\]]*)\])?/g,
    ),
  ].map(m => ({
    policyArn: m[1],
    scope: m[2],
    namespaces: m[3] ? [...m[3].matchAll(/"([^"]+)"/g)].map(n => n[1]) : [],
  }));
  return { principals, policies };
}

function planFacts(plan: FixPlan) {
  const principals: string[] = [];
  const policies: { policyArn: string; scope: string; namespaces: string[] }[] =
    [];
  for (const s of plan.steps) {
    if (s.op === 'CreateAccessEntry' || s.op === 'DeleteAccessEntry') {
      principals.push(s.principal.arn);
    }
    if (s.op === 'AssociateAccessPolicy') {
      principals.push(s.principal.arn);
      policies.push({
        policyArn: s.policyArn,
        scope: s.accessScope.type,
        namespaces:
          s.accessScope.type === 'namespace'
            ? s.accessScope.namespaces ?? []
            : [],
      });
    }
  }
  return { principals, policies };
}

describe('the CLI and Terraform forms name what the plan says', () => {
  const arnArb = fc.constantFrom(
    ROLE,
    USER,
    'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef',
  );
  const nsArb = fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), {
    minLength: 1,
    maxLength: 3,
  });
  const stepArb: fc.Arbitrary<PlanOperation> = fc.oneof(
    arnArb.map(arn => ({
      op: 'CreateAccessEntry' as const,
      principal: { arn },
    })),
    arnArb.map(arn => ({
      op: 'DeleteAccessEntry' as const,
      principal: { arn },
    })),
    fc
      .record({
        arn: arnArb,
        policy: fc.constantFrom(VIEW, EDIT),
        namespaces: fc.option(nsArb, { nil: undefined }),
      })
      .map(({ arn, policy, namespaces }) => ({
        op: 'AssociateAccessPolicy' as const,
        principal: { arn },
        policyArn: policy,
        accessScope: namespaces
          ? { type: 'namespace' as const, namespaces }
          : { type: 'cluster' as const },
      })),
  );

  it('same principals, policies and scopes, in order', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 5 }), steps => {
        const plan: FixPlan = { summary: 'p', steps };
        const want = planFacts(plan);
        const cli = cliFacts(renderPlan(plan, cluster, 'aws-cli'));
        expect(cli).toEqual(want);
        const tf = terraformFacts(renderPlan(plan, cluster, 'terraform'));
        // Terraform has no delete: it says so in a comment instead.
        const tfWant = planFacts({
          ...plan,
          steps: steps.filter(s => s.op !== 'DeleteAccessEntry'),
        });
        expect(tf).toEqual(tfWant);
        const tfText = renderPlan(plan, cluster, 'terraform');
        const deleted = steps.flatMap(d =>
          d.op === 'DeleteAccessEntry' ? [d.principal.arn] : [],
        );
        for (const arn of deleted) {
          expect(tfText).toContain(`--principal-arn ${arn}`);
        }
      }),
    );
  });
});
