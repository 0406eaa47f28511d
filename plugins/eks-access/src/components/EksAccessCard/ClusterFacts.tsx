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
import Alert from '@material-ui/lab/Alert';
import type {
  ClusterCreatorSourceKind,
  ClusterFacts as ClusterFactsData,
  SourceStatus,
} from '@eks-access/plugin-eks-access-common';
import { authenticationModeLabels } from '../accessLabels';
import { CheckedAgo } from './CheckedAgo';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, overflowWrap: 'break-word' },
  },
  problems: {
    marginTop: theme.spacing(1),
    display: 'grid',
    gap: theme.spacing(1),
  },
}));

const sourceNames = {
  cluster: 'Cluster description (DescribeCluster)',
  accessEntries: 'Access entries',
  awsAuth: 'The aws-auth ConfigMap',
} as const;

/** Where the cluster creator is known from, in words. */
export const creatorSourceLabels: Record<ClusterCreatorSourceKind, string> = {
  annotation: 'Known from the catalog annotation',
  tag: 'Known from the cluster’s tag',
  'authenticator-log': 'Found in the authenticator log (kubernetes-admin)',
  cloudtrail: 'Found in CloudTrail (the CreateCluster event)',
};

function describeSourceProblem(status: SourceStatus): string {
  const parts = [status.message ?? 'could not be read'];
  if (status.errorCode) {
    parts.push(`(${status.errorCode})`);
  }
  if (status.missingAction) {
    parts.push(`— Backstage needs the IAM permission ${status.missingAction}`);
  }
  return parts.join(' ');
}

/** Account, region, authentication mode and when the answer was computed. */
export function ClusterFacts(props: {
  cluster: ClusterFactsData;
  checkedAt: string;
}) {
  const { cluster, checkedAt } = props;
  const classes = useStyles();
  const problems = (
    Object.keys(sourceNames) as Array<keyof typeof sourceNames>
  ).filter(source => cluster.sources[source]?.state === 'error');

  return (
    <div>
      <dl className={classes.facts} aria-label="Cluster facts">
        <dt>Cluster</dt>
        <dd>{cluster.name}</dd>
        <dt>Account</dt>
        <dd>{cluster.accountId}</dd>
        <dt>Region</dt>
        <dd>{cluster.region}</dd>
        <dt>Authentication mode</dt>
        <dd>
          {cluster.authenticationMode
            ? authenticationModeLabels[cluster.authenticationMode]
            : 'Unknown'}
        </dd>
        {cluster.creator && (
          <>
            <dt>Cluster creator</dt>
            <dd>
              {cluster.creator.source
                ? creatorSourceLabels[cluster.creator.source]
                : 'Unknown'}
              {cluster.creator.unknown?.notes.map(note => (
                <Typography
                  key={note}
                  variant="caption"
                  component="span"
                  display="block"
                >
                  {note}
                </Typography>
              ))}
            </dd>
          </>
        )}
        <dt>Last check</dt>
        <dd>
          <CheckedAgo checkedAt={checkedAt} />
        </dd>
      </dl>
      {problems.length > 0 && (
        <div className={classes.problems}>
          {problems.map(source => (
            <Alert key={source} severity="warning" role="note">
              <Typography variant="body2">
                {sourceNames[source]}:{' '}
                {describeSourceProblem(cluster.sources[source])}
              </Typography>
            </Alert>
          ))}
        </div>
      )}
    </div>
  );
}
