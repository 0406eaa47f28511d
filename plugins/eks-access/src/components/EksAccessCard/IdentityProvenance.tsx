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

import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ResolvedIdentity } from '@eks-access/plugin-eks-access-common';
import { useId } from 'react';

const useStyles = makeStyles(theme => ({
  list: { margin: theme.spacing(0.5, 0, 0, 0), paddingLeft: theme.spacing(3) },
}));

/** Where Backstage learned an identity, in words. */
export function identityProvenance(identity: ResolvedIdentity): string {
  switch (identity.source) {
    case 'identity-center': {
      const through = identity.assignedThrough?.length
        ? ` (assigned to ${identity.assignedThrough
            .map(t => (t === 'user' ? 'you directly' : t))
            .join(' and ')})`
        : '';
      return `IAM Identity Center, permission set ${
        identity.permissionSetName ?? 'unknown'
      }${through}`;
    }
    case 'annotation':
      return identity.unverifiedReason
        ? 'the eks-access.io/iam-principals annotation of your User entity, not verified: prove it with “Verify the identity my kubectl uses” before requesting access for it'
        : 'the eks-access.io/iam-principals annotation of your User entity';
    case 'template':
      return 'a Backstage identity template';
    case 'verified':
      return 'a token from your kubectl, verified';
    case 'pasted':
      return 'pasted by you';
    default:
      return 'unknown';
  }
}

/** "Where your identities come from": one line per identity. */
export function IdentityProvenanceList(props: {
  identities: ResolvedIdentity[];
}) {
  const classes = useStyles();
  const headingId = useId();
  if (props.identities.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <Typography variant="subtitle2" component="h3" id={headingId}>
        Where your identities come from
      </Typography>
      <ul className={classes.list}>
        {props.identities.map(identity => (
          <li key={identity.callerArn}>
            <Typography variant="body2">
              {identity.label}: {identityProvenance(identity)}
            </Typography>
          </li>
        ))}
      </ul>
    </section>
  );
}
