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

import { parse } from 'yaml';
import { stripIamPath } from '../aws/arn';
import { AssociatedPolicyState, ClusterState } from '../state/model';
import { SandboxState } from '../state/SandboxState';
import { TokenIdentity } from './tokenVerifier';

/** The Kubernetes user a token maps to (the TokenReview result). */
export interface KubernetesUser {
  username: string;
  groups: string[];
  /** Access policies, when the user was mapped through an access entry. */
  policies: AssociatedPolicyState[];
  /** Which backend mapped the user. */
  via:
    | 'cluster-creator'
    | 'access-entry'
    | 'aws-auth-role'
    | 'aws-auth-user'
    | 'aws-auth-account';
  /** The user's extra fields, as EKS sets them (arn, canonicalArn, sessionName…). */
  extra?: Record<string, string[]>;
}

interface AwsAuthMapping {
  arn: string;
  username?: unknown;
  groups?: unknown;
}

function lowerKeys(entry: unknown): Record<string, unknown> | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry))
    return undefined;
  // The current authenticator parses entries with encoding/json: keys match case-insensitively.
  return Object.fromEntries(
    Object.entries(entry).map(([k, v]) => [k.toLowerCase(), v]),
  );
}

function parseMappings(
  text: string | undefined,
  arnKey: 'rolearn' | 'userarn',
): AwsAuthMapping[] {
  if (!text || ['', '``', '""', "''"].includes(text.trim())) return [];
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch {
    return []; // a syntax error drops the whole key
  }
  if (!Array.isArray(parsed)) return [];
  const out: AwsAuthMapping[] = [];
  for (const raw of parsed) {
    const entry = lowerKeys(raw);
    const arn = entry?.[arnKey];
    if (typeof arn !== 'string' || !arn) continue; // invalid entries are dropped one by one
    out.push({ arn, username: entry!.username, groups: entry!.groups });
  }
  return out;
}

function parseAccounts(text: string | undefined): string[] {
  if (!text || !text.trim()) return [];
  try {
    const parsed = parse(text, { schema: 'failsafe' });
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

class TemplateError extends Error {}

function render(template: string, identity: TokenIdentity): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    switch (name) {
      case 'AccountID':
        return identity.account;
      case 'SessionName':
        return identity.sessionName.replace(/@/g, '-');
      case 'SessionNameRaw':
        return identity.sessionName;
      case 'AccessKeyID':
        return identity.accessKeyId;
      case 'EC2PrivateDNSName':
        if (!/^i-(\w{8}|\w{17})$/.test(identity.sessionName)) {
          throw new TemplateError('SessionName did not contain an instance id');
        }
        return `ip-10-0-0-1.${identity.account}.compute.internal`;
      default:
        return whole;
    }
  });
}

function renderUser(
  identity: TokenIdentity,
  username: unknown,
  groups: unknown,
  via: KubernetesUser['via'],
  policies: AssociatedPolicyState[] = [],
): KubernetesUser {
  const groupList = Array.isArray(groups)
    ? groups.filter(g => typeof g === 'string')
    : [];
  return {
    username: render(typeof username === 'string' ? username : '', identity),
    groups: groupList.map(g => render(g, identity)),
    policies,
    via,
  };
}

/**
 * Maps a verified identity to a Kubernetes user as EKS does: the invisible
 * creator (CONFIG_MAP), access entries (API modes), then aws-auth (ConfigMap
 * modes). Returns undefined when the identity is not mapped (401).
 */
export function authenticateIdentity(
  state: SandboxState,
  cluster: ClusterState,
  identity: TokenIdentity,
): KubernetesUser | undefined {
  const canonical = identity.canonicalArn.toLowerCase();
  const mode = cluster.authenticationMode;
  let user: KubernetesUser | undefined;
  const attempt = (fn: () => KubernetesUser | undefined) => {
    if (user) return;
    try {
      user = fn();
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      // A mapper error is recorded and the next backend is tried.
    }
  };
  attempt(() => {
    if (mode !== 'CONFIG_MAP' || !cluster.creator) return undefined;
    if (stripIamPath(cluster.creator).toLowerCase() !== canonical)
      return undefined;
    return {
      username: 'kubernetes-admin',
      groups: ['system:masters'],
      policies: [],
      via: 'cluster-creator',
    };
  });
  if (mode !== 'CONFIG_MAP') {
    attempt(() => {
      const entries = state.authenticatorView(cluster);
      const entry = [...entries.values()].find(
        e => e.principalId === identity.userId,
      );
      if (!entry) return undefined;
      if (stripIamPath(entry.principalArn).toLowerCase() !== canonical)
        return undefined;
      return renderUser(
        identity,
        entry.username,
        entry.kubernetesGroups,
        'access-entry',
        entry.associatedPolicies,
      );
    });
  }
  if (mode !== 'API' && cluster.awsAuth) {
    const data = cluster.awsAuth.data;
    attempt(() => {
      const roles = parseMappings(data.mapRoles, 'rolearn');
      // Later entries win for duplicate role ARNs.
      const role = [...roles]
        .reverse()
        .find(r => r.arn.toLowerCase() === canonical);
      if (role)
        return renderUser(
          identity,
          role.username,
          role.groups,
          'aws-auth-role',
        );
      const users = parseMappings(data.mapUsers, 'userarn');
      const mapped = [...users]
        .reverse()
        .find(u => u.arn.toLowerCase() === canonical);
      if (mapped)
        return renderUser(
          identity,
          mapped.username,
          mapped.groups,
          'aws-auth-user',
        );
      if (parseAccounts(data.mapAccounts).includes(identity.account)) {
        return {
          username: identity.canonicalArn,
          groups: [],
          policies: [],
          via: 'aws-auth-account',
        };
      }
      return undefined;
    });
  }
  if (user && !user.groups.includes('system:authenticated')) {
    user.groups = [...user.groups, 'system:authenticated'];
  }
  return user;
}
