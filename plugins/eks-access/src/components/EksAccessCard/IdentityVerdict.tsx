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

import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useId } from 'react';
import type { IdentityAccess } from '@eks-access/plugin-eks-access-common';
import { AccessStatus } from '../AccessStatus';
import { accessPolicyName, verdictStatus, viaLabels } from '../accessLabels';
import { FindingList } from './FindingList';
import { IdentityDiagnosisView } from './IdentityDiagnosisView';
import { CommandBlock } from '../CommandBlock';
import { BreakableIdentifier } from '../BreakableIdentifier';

const useStyles = makeStyles(theme => ({
  root: {
    paddingBottom: theme.spacing(2),
    marginBottom: theme.spacing(2),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none', marginBottom: 0 },
  },
  arn: {
    fontFamily: 'monospace',
    color: theme.palette.text.secondary,
  },
  headline: { margin: theme.spacing(1, 0) },
  rights: { margin: theme.spacing(1, 0) },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(0.5, 0, 0, 0),
  },
  section: { marginTop: theme.spacing(1.5) },
}));

/** The sentence next to the status icon, e.g. "Allowed as dana via access entry". */
export function verdictHeadline(access: IdentityAccess): string {
  const { verdict } = access;
  if (verdict.decision === 'allowed') {
    const as = verdict.username ? ` as ${verdict.username}` : '';
    const via = verdict.via ? ` via ${viaLabels[verdict.via]}` : '';
    return verdict.expectForbidden
      ? `Signs in${as}${via}, but gets Forbidden`
      : `Allowed${as}${via}`;
  }
  if (verdict.decision === 'denied') {
    return 'Denied: this identity cannot authenticate to the cluster';
  }
  return 'Unknown: the cluster’s access data could not be read';
}

/**
 * One identity's verdict: the headline, what it is granted, the findings and,
 * when it gets in, the kubeconfig command.
 */
export function IdentityVerdict(props: {
  access: IdentityAccess;
  /** The cluster, for the fix plan's commands; without it the plain findings show. */
  cluster?: { name: string; region: string };
}) {
  const { access, cluster } = props;
  const { identity, verdict } = access;
  const classes = useStyles();
  const headingId = useId();
  const groups = verdict.groups ?? [];
  const policies = verdict.accessPolicies ?? [];
  const allowed = verdict.decision === 'allowed';

  return (
    <section
      className={classes.root}
      aria-labelledby={headingId}
      data-identity-arn={identity.callerArn}
    >
      <Typography variant="subtitle1" component="h3" id={headingId}>
        {identity.label}
      </Typography>
      <Typography variant="caption" component="p" className={classes.arn}>
        <BreakableIdentifier text={identity.callerArn} />
      </Typography>
      <Typography variant="body1" component="p" className={classes.headline}>
        <AccessStatus status={verdictStatus(verdict)}>
          {verdictHeadline(access)}
        </AccessStatus>
      </Typography>

      {allowed && verdict.expectForbidden && (
        <Alert severity="warning" role="note">
          You will authenticate, but every request will be Forbidden: no
          Kubernetes group or access policy gives this identity any rights on
          this cluster.
        </Alert>
      )}

      {allowed && groups.length > 0 && (
        <div className={classes.rights}>
          <Typography variant="body2" component="h4">
            Kubernetes groups
          </Typography>
          <ul className={classes.chips} aria-label="Kubernetes groups">
            {groups.map(group => (
              <li key={group}>
                <Chip size="small" label={group} />
              </li>
            ))}
          </ul>
        </div>
      )}

      {allowed && policies.length > 0 && (
        <div className={classes.rights}>
          <Typography variant="body2" component="h4">
            Access policies
          </Typography>
          <ul className={classes.chips} aria-label="Access policies">
            {policies.map(policy => {
              const scope =
                policy.accessScope.type === 'cluster'
                  ? 'whole cluster'
                  : `namespaces ${(policy.accessScope.namespaces ?? []).join(
                      ', ',
                    )}`;
              return (
                <li key={`${policy.policyArn}-${scope}`}>
                  <Chip
                    size="small"
                    label={`${accessPolicyName(policy.policyArn)} — ${scope}`}
                    title={policy.policyArn}
                  />
                </li>
              );
            })}
          </ul>
        </div>
      )}

      {allowed && access.kubeconfigCommand && (
        <div className={classes.section}>
          <Typography variant="body2" component="h4">
            Connect with kubectl
          </Typography>
          <CommandBlock text={access.kubeconfigCommand} />
          {access.kubeconfig?.notes.map(note => (
            <Typography key={note} variant="body2" color="textSecondary">
              {note}
            </Typography>
          ))}
          {access.kubeconfig?.roleArnCommand && (
            <CommandBlock text={access.kubeconfig.roleArnCommand} />
          )}
        </div>
      )}

      {access.diagnosis && cluster && (
        <div className={classes.section}>
          <IdentityDiagnosisView
            access={access}
            diagnosis={access.diagnosis}
            cluster={cluster}
          />
        </div>
      )}

      {!(access.diagnosis && cluster) && verdict.findings.length > 0 && (
        <div className={classes.section}>
          <FindingList
            findings={verdict.findings}
            label={`Findings for ${identity.label}`}
          />
        </div>
      )}
    </section>
  );
}
