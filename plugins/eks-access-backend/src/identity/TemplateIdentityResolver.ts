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

import { parseEntityRef } from '@backstage/catalog-model';
import { parseIamPrincipalsAnnotation } from '@eks-access/plugin-eks-access-common';
import { toResolvedIdentity } from './AnnotationIdentityResolver';
import type {
  IdentityResolution,
  IdentityResolver,
  IdentityResolverContext,
} from './IdentityResolver';

const VARIABLE = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** A config template for an IAM principal every user acts as. */
export interface IdentityTemplateConfig {
  roleArn?: string;
  userArn?: string;
  sessionName: string;
  label?: string;
}

/** Renders `{{ variable }}`; returns the names of variables with no value. */
export function renderIdentityTemplate(
  template: string,
  variables: Record<string, string | undefined>,
): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = template.replace(VARIABLE, (_, name: string) => {
    const replacement = variables[name];
    if (replacement === undefined || replacement === '') {
      missing.push(name);
      return '';
    }
    return replacement;
  });
  return { value, missing };
}

/**
 * Renders the configured `eksAccess.identity.templates` for the signed-in
 * user (e.g. an SSO role per account with the session name = their email).
 */
export class TemplateIdentityResolver implements IdentityResolver {
  readonly id = 'template';
  readonly #templates: IdentityTemplateConfig[];

  constructor(templates: IdentityTemplateConfig[]) {
    this.#templates = templates;
  }

  async resolve(context: IdentityResolverContext): Promise<IdentityResolution> {
    const ref = parseEntityRef(context.userEntityRef);
    const email = (
      context.userEntity?.spec as { profile?: { email?: unknown } } | undefined
    )?.profile?.email;
    const variables: Record<string, string | undefined> = {
      name: ref.name,
      namespace: ref.namespace,
      email: typeof email === 'string' ? email : undefined,
      emailLocalPart:
        typeof email === 'string' ? email.split('@')[0] : undefined,
    };

    const identities = [];
    const problems: string[] = [];
    for (const template of this.#templates) {
      const arnTemplate = (template.roleArn ?? template.userArn)!;
      const arn = renderIdentityTemplate(arnTemplate, variables);
      const session = template.roleArn
        ? renderIdentityTemplate(template.sessionName, variables)
        : { value: '', missing: [] };
      const missing = [...arn.missing, ...session.missing];
      if (missing.length > 0) {
        problems.push(
          `identity template ${arnTemplate} needs ${missing.join(
            ', ',
          )}, which ${context.userEntityRef} does not have`,
        );
        continue;
      }
      const item = template.roleArn
        ? `${arn.value} session=${session.value}`
        : arn.value;
      const parsed = parseIamPrincipalsAnnotation(item);
      problems.push(
        ...parsed.problems.map(p => `identity template ${arnTemplate}: ${p}`),
      );
      identities.push(
        ...parsed.principals.map(p =>
          toResolvedIdentity(p, 'template', template.label),
        ),
      );
    }
    return { identities, problems };
  }
}
