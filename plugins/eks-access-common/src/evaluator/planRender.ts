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
 * Renders a FixPlan into the forms admins run: an AWS CLI script, an eksctl
 * script, a kubectl script and Terraform. Pure string building. Steps a tool
 * has no command for fall back to the tool that does, with a comment, so
 * every form is a complete plan in the plan's order.
 */

import type {
  FixPlan,
  PlanAccessScope,
  PlanCluster,
  PlanOperation,
  PlanPrincipal,
} from './fixPlan';
import { serializeAwsAuthEntries } from './awsAuth';
import { shellQuote } from './fixes';

/** The forms a plan is rendered into. @public */
export type PlanFormat = 'aws-cli' | 'eksctl' | 'kubectl' | 'terraform';

/** Every format, in the order the card shows them. @public */
export const PLAN_FORMATS: readonly PlanFormat[] = [
  'aws-cli',
  'eksctl',
  'kubectl',
  'terraform',
];

const AWS_AUTH_OPS = new Set<PlanOperation['op']>([
  'AwsAuthUpsertMapping',
  'AwsAuthRemoveMapping',
  'AwsAuthRepairYaml',
]);

function clusterArgs(c: PlanCluster): string {
  return `--cluster-name ${shellQuote(c.name)} --region ${shellQuote(
    c.region,
  )}`;
}

/** The principal as a shell argument: looked up when its path is unknown. */
function principalArg(p: PlanPrincipal): string {
  if (p.lookupRoleName) {
    return `"$(aws iam get-role --role-name ${shellQuote(
      p.lookupRoleName,
    )} --query Role.Arn --output text)"`;
  }
  return shellQuote(p.arn);
}

function scopeArg(scope: PlanAccessScope): string {
  return scope.type === 'namespace' && scope.namespaces?.length
    ? `type=namespace,namespaces=${scope.namespaces.map(shellQuote).join(',')}`
    : 'type=cluster';
}

function updateKubeconfig(c: PlanCluster): string {
  return `aws eks update-kubeconfig --name ${shellQuote(
    c.name,
  )} --region ${shellQuote(c.region)}`;
}

/** The aws-auth data after a step, from the simulator, when known. */
function awsAuthAfter(
  plan: FixPlan,
  index: number,
): Record<string, string> | undefined {
  return plan.awsAuthAfterStep?.[index];
}

function awsAuthKeyOf(step: PlanOperation): string | undefined {
  if (step.op === 'AwsAuthRepairYaml') return step.key;
  if (step.op === 'AwsAuthUpsertMapping' || step.op === 'AwsAuthRemoveMapping')
    return step.section;
  return undefined;
}

/** A kubectl patch writing the exact value of one aws-auth key. */
function kubectlAwsAuth(
  plan: FixPlan,
  index: number,
  step: PlanOperation,
): string[] {
  const key = awsAuthKeyOf(step)!;
  const data = awsAuthAfter(plan, index);
  const what = describeStep(step);
  if (step.op === 'AwsAuthRepairYaml' && step.value === null) {
    return [
      `# ${what}`,
      `kubectl patch configmap aws-auth --namespace kube-system --type merge --patch ${shellQuote(
        JSON.stringify({ data: { [key]: null } }),
      )}`,
    ];
  }
  if (!data || data[key] === undefined) {
    return [`# ${what}`, ...awsAuthByHand(step)];
  }
  const patch = JSON.stringify({ data: { [key]: data[key] } });
  return [
    `# ${what}`,
    `kubectl patch configmap aws-auth --namespace kube-system --type merge --patch-file /dev/stdin <<'PATCH'`,
    patch,
    'PATCH',
  ];
}

/** The entry to add, as YAML, for forms that cannot show the whole key. */
function entrySnippet(
  step: Extract<PlanOperation, { op: 'AwsAuthUpsertMapping' }>,
): string[] {
  const entry =
    step.section === 'mapRoles'
      ? { rolearn: step.arn, username: step.username, groups: step.groups }
      : { userarn: step.arn, username: step.username, groups: step.groups };
  const yaml = serializeAwsAuthEntries({ [step.section]: [entry] })[
    step.section
  ];
  return yaml
    .replace(/\n$/, '')
    .split('\n')
    .map(l => `#   ${l}`);
}

/** Editing aws-auth by hand: what to change, without other principals' data. */
function awsAuthByHand(step: PlanOperation): string[] {
  const edit = 'kubectl edit configmap aws-auth --namespace kube-system';
  switch (step.op) {
    case 'AwsAuthUpsertMapping':
      return [
        `# In ${step.section}, add this entry (or replace the one for the same ARN):`,
        ...entrySnippet(step),
        edit,
      ];
    case 'AwsAuthRemoveMapping':
      return [`# In ${step.section}, delete the entry for ${step.arn}`, edit];
    case 'AwsAuthRepairYaml':
      return [`# In ${step.key}: ${step.problem}; keep every entry`, edit];
    default:
      return [edit];
  }
}

function kubectlBinding(
  step: Extract<PlanOperation, { op: 'CreateRoleBinding' }>,
): string {
  const subject = `--${
    step.subject.kind === 'Group' ? 'group' : 'user'
  }=${shellQuote(step.subject.name)}`;
  const kind = step.namespace
    ? `rolebinding ${shellQuote(step.name)} --namespace ${shellQuote(
        step.namespace,
      )}`
    : `clusterrolebinding ${shellQuote(step.name)}`;
  // create --dry-run | apply: idempotent, so running the plan twice is safe.
  return `kubectl create ${kind} --clusterrole=${shellQuote(
    step.clusterRole,
  )} ${subject} --dry-run=client --output yaml | kubectl apply --filename -`;
}

function awsCliAccessStep(c: PlanCluster, step: PlanOperation): string[] {
  switch (step.op) {
    case 'CreateAccessEntry': {
      const groups = step.kubernetesGroups?.length
        ? ` --kubernetes-groups ${step.kubernetesGroups
            .map(shellQuote)
            .join(' ')}`
        : '';
      const user = step.username
        ? ` --username ${shellQuote(step.username)}`
        : '';
      return [
        `aws eks create-access-entry ${clusterArgs(
          c,
        )} --principal-arn ${principalArg(step.principal)} --type ${
          step.type ?? 'STANDARD'
        }${user}${groups}`,
      ];
    }
    case 'AssociateAccessPolicy':
      return [
        `aws eks associate-access-policy ${clusterArgs(
          c,
        )} --principal-arn ${principalArg(
          step.principal,
        )} --policy-arn ${shellQuote(step.policyArn)} --access-scope ${scopeArg(
          step.accessScope,
        )}`,
      ];
    case 'DeleteAccessEntry':
      return [
        `aws eks delete-access-entry ${clusterArgs(
          c,
        )} --principal-arn ${principalArg(step.principal)}`,
      ];
    default:
      return [];
  }
}

function useIdentityLines(
  step: Extract<PlanOperation, { op: 'UseIdentity' }>,
): string[] {
  return [`# ${step.instruction}`, ...(step.command ? [step.command] : [])];
}

/** A one-line description of a step, for comments and screen readers. @public */
export function describeStep(step: PlanOperation): string {
  switch (step.op) {
    case 'CreateAccessEntry':
      return `Create a${step.type && step.type !== 'STANDARD' ? 'n' : ''} ${
        step.type ?? 'STANDARD'
      } access entry for ${step.principal.arn}${
        step.username ? ` with username ${step.username}` : ''
      }${
        step.kubernetesGroups?.length
          ? ` and groups ${step.kubernetesGroups.join(', ')}`
          : ''
      }`;
    case 'AssociateAccessPolicy':
      return `Associate ${step.policyArn.split('/').pop()} with ${
        step.principal.arn
      } (${
        step.accessScope.type === 'cluster'
          ? 'whole cluster'
          : `namespaces ${(step.accessScope.namespaces ?? []).join(', ')}`
      })`;
    case 'DeleteAccessEntry':
      return `Delete the access entry for ${step.principal.arn}`;
    case 'AwsAuthUpsertMapping':
      return `Map ${step.arn} in aws-auth ${step.section} as ${
        step.username
      } with groups ${step.groups.join(', ') || '(none)'}`;
    case 'AwsAuthRemoveMapping':
      return `Remove the aws-auth ${step.section} entry for ${step.arn}`;
    case 'AwsAuthRepairYaml':
      return step.value === null
        ? `Remove the aws-auth key ${step.key} (${step.problem})`
        : `Repair the YAML of aws-auth ${step.key} (${step.problem}), keeping every entry`;
    case 'CreateRoleBinding':
      return `Bind ${step.subject.kind.toLowerCase()} ${
        step.subject.name
      } to the ClusterRole ${step.clusterRole}${
        step.namespace ? ` in namespace ${step.namespace}` : ' cluster-wide'
      }`;
    case 'UseIdentity':
      return step.instruction;
    default:
      return '';
  }
}

function needsKubectl(plan: FixPlan): boolean {
  return plan.steps.some(
    s => AWS_AUTH_OPS.has(s.op) || s.op === 'CreateRoleBinding',
  );
}

function renderAwsCli(plan: FixPlan, c: PlanCluster): string {
  const lines: string[] = [];
  if (needsKubectl(plan)) {
    lines.push(
      '# aws-auth and RBAC are Kubernetes objects: these steps use kubectl',
      updateKubeconfig(c),
    );
  }
  plan.steps.forEach((step, i) => {
    if (AWS_AUTH_OPS.has(step.op)) lines.push(...kubectlAwsAuth(plan, i, step));
    else if (step.op === 'CreateRoleBinding') lines.push(kubectlBinding(step));
    else if (step.op === 'UseIdentity') lines.push(...useIdentityLines(step));
    else lines.push(...awsCliAccessStep(c, step));
  });
  return lines.join('\n');
}

function eksctlAccessEntry(
  c: PlanCluster,
  create: Extract<PlanOperation, { op: 'CreateAccessEntry' }> | undefined,
  principal: PlanPrincipal,
  policies: Extract<PlanOperation, { op: 'AssociateAccessPolicy' }>[],
): string[] {
  const arn = principal.lookupRoleName ? '${PRINCIPAL_ARN}' : principal.arn;
  const lines = [
    'apiVersion: eksctl.io/v1alpha5',
    'kind: ClusterConfig',
    'metadata:',
    `  name: ${JSON.stringify(c.name)}`,
    `  region: ${JSON.stringify(c.region)}`,
    'accessConfig:',
    '  accessEntries:',
    `    - principalARN: ${JSON.stringify(arn)}`,
    `      type: ${create?.type ?? 'STANDARD'}`,
  ];
  if (create?.username)
    lines.push(`      kubernetesUsername: ${JSON.stringify(create.username)}`);
  if (create?.kubernetesGroups?.length) {
    lines.push(
      `      kubernetesGroups: [${create.kubernetesGroups
        .map(g => JSON.stringify(g))
        .join(', ')}]`,
    );
  }
  if (policies.length) {
    lines.push('      accessPolicies:');
    for (const p of policies) {
      lines.push(
        `        - policyARN: ${JSON.stringify(p.policyArn)}`,
        '          accessScope:',
        `            type: ${p.accessScope.type}`,
      );
      if (p.accessScope.type === 'namespace') {
        lines.push(
          `            namespaces: [${(p.accessScope.namespaces ?? [])
            .map(n => JSON.stringify(n))
            .join(', ')}]`,
        );
      }
    }
  }
  const out: string[] = [];
  if (principal.lookupRoleName) {
    out.push(
      `PRINCIPAL_ARN="$(aws iam get-role --role-name ${shellQuote(
        principal.lookupRoleName,
      )} --query Role.Arn --output text)"`,
    );
  }
  // An unquoted heredoc only when the ARN must be substituted.
  const tag = principal.lookupRoleName ? 'CONFIG' : `'CONFIG'`;
  out.push(
    `eksctl create accessentry --config-file /dev/stdin <<${tag}`,
    ...lines,
    'CONFIG',
  );
  return out;
}

function renderEksctl(plan: FixPlan, c: PlanCluster): string {
  const lines: string[] = [];
  const eksctlCluster = `--cluster ${shellQuote(c.name)} --region ${shellQuote(
    c.region,
  )}`;
  const done = new Set<number>();
  let kubeconfigShown = false;
  const kubeconfigOnce = () => {
    if (!kubeconfigShown) {
      kubeconfigShown = true;
      lines.push(updateKubeconfig(c));
    }
  };
  plan.steps.forEach((step, i) => {
    if (done.has(i)) return;
    switch (step.op) {
      case 'CreateAccessEntry':
      case 'AssociateAccessPolicy': {
        // eksctl creates an entry and its policies from one config.
        const key = step.principal.arn.toLowerCase();
        const create = step.op === 'CreateAccessEntry' ? step : undefined;
        const policies: Extract<
          PlanOperation,
          { op: 'AssociateAccessPolicy' }
        >[] = [];
        plan.steps.forEach((other, j) => {
          if (
            j >= i &&
            other.op === 'AssociateAccessPolicy' &&
            other.principal.arn.toLowerCase() === key
          ) {
            policies.push(other);
            done.add(j);
          }
        });
        if (!create) {
          // An existing entry: eksctl has no association command.
          lines.push(
            '# eksctl cannot add a policy to an existing access entry: AWS CLI',
            ...policies.flatMap(p => awsCliAccessStep(c, p)),
          );
          break;
        }
        lines.push(...eksctlAccessEntry(c, create, step.principal, policies));
        break;
      }
      case 'DeleteAccessEntry':
        lines.push(
          `eksctl delete accessentry ${eksctlCluster} --principal-arn ${principalArg(
            step.principal,
          )}`,
        );
        break;
      case 'AwsAuthUpsertMapping': {
        if (
          plan.steps.slice(0, i).some(s => s.op === 'AwsAuthRepairYaml') ||
          mappingExistedBefore(plan, i, step)
        ) {
          // eksctl rewrites the whole key and refuses duplicates: use kubectl.
          kubeconfigOnce();
          lines.push(...kubectlAwsAuth(plan, i, step));
          break;
        }
        const groups = step.groups
          .map(g => ` --group ${shellQuote(g)}`)
          .join('');
        lines.push(
          `eksctl create iamidentitymapping ${eksctlCluster} --arn ${shellQuote(
            step.arn,
          )} --username ${shellQuote(step.username)}${groups}`,
        );
        break;
      }
      case 'AwsAuthRemoveMapping':
        lines.push(
          `eksctl delete iamidentitymapping ${eksctlCluster} --arn ${shellQuote(
            step.arn,
          )}`,
        );
        break;
      case 'AwsAuthRepairYaml':
        kubeconfigOnce();
        lines.push(
          '# eksctl cannot read broken aws-auth YAML: kubectl writes the repaired value',
          ...kubectlAwsAuth(plan, i, step),
        );
        break;
      case 'CreateRoleBinding':
        kubeconfigOnce();
        lines.push('# RBAC: kubectl', kubectlBinding(step));
        break;
      case 'UseIdentity':
        lines.push(...useIdentityLines(step));
        break;
      default:
        break;
    }
  });
  return lines.join('\n');
}

/** Whether the aws-auth key already mapped this ARN before step `i`. */
function mappingExistedBefore(
  plan: FixPlan,
  i: number,
  step: Extract<PlanOperation, { op: 'AwsAuthUpsertMapping' }>,
): boolean {
  const before = i === 0 ? plan.awsAuthBefore : plan.awsAuthAfterStep?.[i - 1];
  const value = before?.[step.section];
  return !!value && value.toLowerCase().includes(step.arn.toLowerCase());
}

function renderKubectl(plan: FixPlan, c: PlanCluster): string {
  const lines: string[] = [updateKubeconfig(c)];
  plan.steps.forEach((step, i) => {
    if (AWS_AUTH_OPS.has(step.op)) lines.push(...kubectlAwsAuth(plan, i, step));
    else if (step.op === 'CreateRoleBinding') lines.push(kubectlBinding(step));
    else if (step.op === 'UseIdentity') lines.push(...useIdentityLines(step));
    else {
      lines.push(
        '# Access entries are EKS API objects, not Kubernetes ones: AWS CLI',
        ...awsCliAccessStep(c, step),
      );
    }
  });
  return lines.join('\n');
}

/** A Terraform identifier from free text. */
function tfName(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(slug) ? slug : `_${slug}`;
}

/** Terraform reads `${` and `%{` in strings as templates: double them. */
function tfEscape(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function tfString(s: string): string {
  return tfEscape(JSON.stringify(s));
}

function tfList(values: string[]): string {
  return `[${values.map(tfString).join(', ')}]`;
}

function tfHeredoc(value: string): string {
  const body = tfEscape(value);
  return `<<-YAML\n${body
    .replace(/\n$/, '')
    .split('\n')
    .map(l => `      ${l}`)
    .join('\n')}\n    YAML`;
}

function principalName(p: PlanPrincipal): string {
  return tfName(p.arn.split(/[:/]/).pop() ?? 'principal');
}

function tfPrincipal(p: PlanPrincipal, data: string[]): string {
  if (!p.lookupRoleName) return tfString(p.arn);
  const name = tfName(p.lookupRoleName);
  const block = `data "aws_iam_role" "${name}" {\n  name = ${tfString(
    p.lookupRoleName,
  )}\n}`;
  if (!data.includes(block)) data.push(block);
  return `data.aws_iam_role.${name}.arn`;
}

function renderTerraform(plan: FixPlan, c: PlanCluster): string {
  const data: string[] = [];
  const blocks: string[] = [];
  const cluster = tfString(c.name);
  const used = new Map<string, number>();
  const unique = (base: string) => {
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    return n ? `${base}_${n + 1}` : base;
  };
  plan.steps.forEach(step => {
    switch (step.op) {
      case 'CreateAccessEntry': {
        const attrs = [
          `  cluster_name  = ${cluster}`,
          `  principal_arn = ${tfPrincipal(step.principal, data)}`,
          `  type          = ${tfString(step.type ?? 'STANDARD')}`,
        ];
        if (step.username)
          attrs.push(`  user_name     = ${tfString(step.username)}`);
        if (step.kubernetesGroups?.length) {
          attrs.push(`  kubernetes_groups = ${tfList(step.kubernetesGroups)}`);
        }
        blocks.push(
          `resource "aws_eks_access_entry" "${unique(
            principalName(step.principal),
          )}" {\n${attrs.join('\n')}\n}`,
        );
        break;
      }
      case 'AssociateAccessPolicy': {
        const scope =
          step.accessScope.type === 'namespace'
            ? `  access_scope {\n    type       = "namespace"\n    namespaces = ${tfList(
                step.accessScope.namespaces ?? [],
              )}\n  }`
            : `  access_scope {\n    type = "cluster"\n  }`;
        blocks.push(
          `resource "aws_eks_access_policy_association" "${unique(
            `${principalName(step.principal)}_${tfName(
              step.policyArn.split('/').pop() ?? 'policy',
            )}`,
          )}" {\n  cluster_name  = ${cluster}\n  principal_arn = ${tfPrincipal(
            step.principal,
            data,
          )}\n  policy_arn    = ${tfString(step.policyArn)}\n${scope}\n}`,
        );
        break;
      }
      case 'DeleteAccessEntry':
        blocks.push(
          `# Delete the access entry for ${
            step.principal.arn
          }: remove its aws_eks_access_entry\n# resource from your configuration, or, if Terraform does not manage it:\n# aws eks delete-access-entry ${clusterArgs(
            c,
          )} --principal-arn ${step.principal.arn}`,
        );
        break;
      case 'CreateRoleBinding': {
        const type = step.namespace
          ? 'kubernetes_role_binding_v1'
          : 'kubernetes_cluster_role_binding_v1';
        const ns = step.namespace
          ? `\n    namespace = ${tfString(step.namespace)}`
          : '';
        blocks.push(
          `resource "${type}" "${unique(
            tfName(step.name),
          )}" {\n  metadata {\n    name = ${tfString(
            step.name,
          )}${ns}\n  }\n  role_ref {\n    api_group = "rbac.authorization.k8s.io"\n    kind      = "ClusterRole"\n    name      = ${tfString(
            step.clusterRole,
          )}\n  }\n  subject {\n    api_group = "rbac.authorization.k8s.io"\n    kind      = "${
            step.subject.kind
          }"\n    name      = ${tfString(step.subject.name)}\n  }\n}`,
        );
        break;
      }
      case 'UseIdentity':
        blocks.push(
          `# Not a Terraform change: ${step.instruction}${
            step.command ? `\n# ${step.command}` : ''
          }`,
        );
        break;
      default:
        break;
    }
  });
  // aws-auth: one kubernetes_config_map_v1_data with the final value of
  // every key the plan touches (it owns those keys: force = true).
  const keys = [
    ...new Set(plan.steps.map(awsAuthKeyOf).filter((k): k is string => !!k)),
  ];
  if (keys.length) {
    const last = plan.awsAuthAfterStep?.[plan.steps.length - 1];
    if (!last) {
      // Without the whole key (redacted), say which entries to change.
      blocks.push(
        [
          '# aws-auth: in the kubernetes_config_map_v1_data resource that owns aws-auth,',
          ...plan.steps
            .filter(st => awsAuthKeyOf(st))
            .flatMap(st => awsAuthByHand(st).slice(0, -1)),
        ].join('\n'),
      );
      return [...data, ...blocks].join('\n\n');
    }
    const removed = keys.filter(k => last && last[k] === undefined);
    for (const k of removed) {
      blocks.push(
        `# Remove the aws-auth key "${k}" first (Terraform cannot delete a key it does not own):
# kubectl patch configmap aws-auth --namespace kube-system --type merge --patch '${JSON.stringify(
          { data: { [k]: null } },
        )}'`,
      );
    }
    const entries = keys
      .filter(k => !removed.includes(k))
      .map(k =>
        last?.[k] !== undefined
          ? `    ${k} = ${tfHeredoc(last[k])}`
          : `    # ${k}: edit by hand (the simulator could not compute it)`,
      );
    blocks.push(
      `resource "kubernetes_config_map_v1_data" "aws_auth" {\n  metadata {\n    name      = "aws-auth"\n    namespace = "kube-system"\n  }\n  force = true\n  data = {\n${entries.join(
        '\n',
      )}\n  }\n}`,
    );
  }
  return [...data, ...blocks].join('\n\n');
}

/**
 * Renders a plan in one format. Every format lists every step, in order.
 * @public
 */
export function renderPlan(
  plan: FixPlan,
  cluster: PlanCluster,
  format: PlanFormat,
): string {
  switch (format) {
    case 'aws-cli':
      return renderAwsCli(plan, cluster);
    case 'eksctl':
      return renderEksctl(plan, cluster);
    case 'kubectl':
      return renderKubectl(plan, cluster);
    case 'terraform':
      return renderTerraform(plan, cluster);
    default:
      throw new Error(`Unknown plan format ${format}`);
  }
}

/** A plan in every format. @public */
export function renderPlanForms(
  plan: FixPlan,
  cluster: PlanCluster,
): Record<PlanFormat, string> {
  return {
    'aws-cli': renderPlan(plan, cluster, 'aws-cli'),
    eksctl: renderPlan(plan, cluster, 'eksctl'),
    kubectl: renderPlan(plan, cluster, 'kubectl'),
    terraform: renderPlan(plan, cluster, 'terraform'),
  };
}
