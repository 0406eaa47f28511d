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
  describeStep,
  renderPlanForms,
  type ClusterAccessReport,
  type Finding,
  type IdentityAccess,
} from '@eks-access/plugin-eks-access-common';

/*
 * The card's answer, compacted for an assistant: the same verdicts, root
 * causes and fixes, without the presentation-only detail. Kept in one place
 * so the actions and the card cannot drift apart.
 */

const SEVERITY_RANK: Record<Finding['severity'], number> = {
  error: 0,
  warning: 1,
  info: 2,
};

function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
}

/** The finding that explains the verdict: the most severe one. */
export function rootCauseOf(findings: Finding[]): Finding | undefined {
  return [...findings].sort(bySeverity).find(f => f.severity !== 'info');
}

/**
 * The root cause and the one verified plan, as the card shows them: the
 * diagnosis when the backend made one, else the most severe finding's fix.
 */
function causeAndFix(
  access: IdentityAccess,
  cluster: ClusterAccessReport['cluster'],
) {
  const { verdict, diagnosis } = access;
  if (!diagnosis) {
    const rootCause = rootCauseOf(verdict.findings);
    return {
      ...(rootCause
        ? {
            rootCause: {
              code: rootCause.code,
              message: rootCause.message,
              ...(rootCause.fix ? { fix: rootCause.fix } : {}),
            },
          }
        : {}),
      otherFindings: verdict.findings
        .filter(f => f !== rootCause)
        .map(f => ({ code: f.code, severity: f.severity, message: f.message })),
    };
  }
  const finding = verdict.findings.find(f => f.code === diagnosis.rootCause);
  return {
    ...(diagnosis.rootCause
      ? {
          rootCause: {
            code: diagnosis.rootCause,
            message: finding?.message ?? diagnosis.rootCause,
          },
        }
      : {}),
    ...(diagnosis.plan
      ? {
          // Verified by simulation before it is shown: it lets this identity
          // in and changes no other principal's access.
          fixPlan: {
            summary: diagnosis.plan.summary,
            steps: diagnosis.plan.steps.map(describeStep),
            forms: renderPlanForms(diagnosis.plan, cluster),
          },
        }
      : {}),
    ...(diagnosis.decisionNeeded
      ? { decisionNeeded: diagnosis.decisionNeeded }
      : {}),
    ...(diagnosis.permissions
      ? {
          permissions: {
            forbidden: diagnosis.permissions.forbidden,
            scopes: diagnosis.permissions.scopes,
          },
        }
      : {}),
    otherFindings: diagnosis.secondary.map(f => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
    })),
  };
}

function compactIdentity(
  access: IdentityAccess,
  cluster: ClusterAccessReport['cluster'],
) {
  const { identity, verdict } = access;
  return {
    identity: identity.label,
    callerArn: identity.callerArn,
    principalArn: identity.principalArn,
    source: identity.source as string,
    decision: verdict.decision,
    ...(verdict.via ? { via: verdict.via } : {}),
    ...(verdict.username ? { username: verdict.username } : {}),
    ...(verdict.groups?.length ? { groups: verdict.groups } : {}),
    ...(verdict.accessPolicies?.length
      ? {
          accessPolicies: verdict.accessPolicies.map(p => ({
            policy: p.policyArn.split('/').pop() ?? p.policyArn,
            scope:
              p.accessScope.type === 'namespace'
                ? `namespaces ${(p.accessScope.namespaces ?? []).join(', ')}`
                : 'cluster',
          })),
        }
      : {}),
    ...(verdict.expectForbidden ? { expectForbidden: true } : {}),
    ...causeAndFix(access, cluster),
    ...(access.kubeconfigCommand
      ? { kubeconfigCommand: access.kubeconfigCommand }
      : {}),
  };
}

/** One line an assistant can repeat to the user. */
function summaryLine(report: ClusterAccessReport): string {
  const name = report.cluster.name;
  if (report.identities.length === 0) {
    return `No AWS identities are known for you, so access to ${name} cannot be checked.`;
  }
  const allowed = report.identities.filter(
    i => i.verdict.decision === 'allowed',
  );
  const usable = allowed.find(i => !i.verdict.expectForbidden);
  if (usable) {
    return `You can reach ${name} as ${usable.identity.label} (Kubernetes user ${usable.verdict.username}).`;
  }
  if (allowed.length > 0) {
    return `${allowed[0].identity.label} authenticates to ${name}, but nothing grants it permissions: expect Forbidden.`;
  }
  if (report.identities.some(i => i.verdict.decision === 'unknown')) {
    return `Access to ${name} cannot be decided right now: part of the cluster data could not be read.`;
  }
  const first = report.identities[0];
  const cause = first.diagnosis?.rootCause
    ? first.verdict.findings.find(f => f.code === first.diagnosis?.rootCause)
    : rootCauseOf(first.verdict.findings);
  return `None of your identities can reach ${name}${
    cause ? `: ${cause.message}` : '.'
  }`;
}

/** The check-cluster-access answer. */
export function compactReport(report: ClusterAccessReport) {
  return {
    summary: summaryLine(report),
    cluster: {
      entityRef: report.cluster.entityRef,
      name: report.cluster.name,
      arn: report.cluster.arn,
      accountId: report.cluster.accountId,
      region: report.cluster.region,
      ...(report.cluster.authenticationMode
        ? { authenticationMode: report.cluster.authenticationMode }
        : {}),
    },
    identities: report.identities.map(i => compactIdentity(i, report.cluster)),
    clusterFindings: (report.clusterFindings ?? []).map(f => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
    })),
    notes: (report.notes ?? []).map(n => ({
      code: n.code,
      message: n.message,
    })),
    checkedAt: report.checkedAt,
  };
}
