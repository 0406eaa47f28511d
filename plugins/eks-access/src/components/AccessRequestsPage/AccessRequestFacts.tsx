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

import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import {
  dateTimeLabel,
  durationLabel,
  entityRefName,
  identityProvenanceLabel,
  scopeLabel,
  levelLabel,
} from '../AccessRequests/requestLabels';
import { BreakableIdentifier } from '../BreakableIdentifier';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
  },
  term: { fontWeight: theme.typography.fontWeightMedium as number },
  value: {
    margin: 0,
    minWidth: 0,
    overflowWrap: 'break-word',
    // Links inside text are underlined, not told apart by colour alone.
    '& a': { textDecoration: 'underline' },
  },
  arn: { fontFamily: 'monospace' },
  reason: { whiteSpace: 'pre-wrap' },
  nowrap: { whiteSpace: 'nowrap' },
}));

/** "1 of 2 approvals (alex)". */
export function approvalsLabel(request: AccessRequest): string {
  const names = request.approvals.map(a => entityRefName(a.approver));
  return `${request.approvals.length} of ${request.approvalsRequired} ${
    request.approvalsRequired === 1 ? 'approval' : 'approvals'
  }${names.length ? ` (${names.join(', ')})` : ''}`;
}

/**
 * What an approver needs to decide: who asks, on which cluster, for which
 * principal and where that identity came from, what, where, how long, why,
 * and who approved so far.
 */
export function AccessRequestFacts(props: { request: AccessRequest }) {
  const { request } = props;
  const classes = useStyles();
  const rows: Array<[string, React.ReactNode]> = [
    [
      'Requester',
      <EntityRefLink
        entityRef={request.requester}
        title={entityRefName(request.requester)}
      />,
    ],
    [
      'Cluster',
      <>
        <EntityRefLink
          entityRef={request.cluster.entityRef}
          title={request.cluster.name}
        />{' '}
        (<span className={classes.nowrap}>{request.cluster.accountId}</span>,{' '}
        {request.cluster.region})
      </>,
    ],
    [
      'Principal',
      <BreakableIdentifier
        className={classes.arn}
        text={request.principalArn}
      />,
    ],
    ['Identity from', identityProvenanceLabel(request.identityProvenance)],
    ['Level', levelLabel(request)],
    ['Scope', scopeLabel(request.scope)],
    ['Duration', durationLabel(request.durationSeconds)],
    ['Reason', <span className={classes.reason}>{request.reason}</span>],
  ];
  if (request.ticketUrl) {
    rows.push([
      'Ticket',
      <Link to={request.ticketUrl}>{request.ticketUrl}</Link>,
    ]);
  }
  rows.push(['Approvals', approvalsLabel(request)]);
  rows.push(['Requested', dateTimeLabel(request.createdAt)]);
  if (request.expiresAt) {
    rows.push(['Expires', dateTimeLabel(request.expiresAt)]);
  }
  if (request.error) {
    rows.push(['Error', request.error]);
  }
  return (
    <dl className={classes.list}>
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" className={classes.term}>
            {term}
          </Typography>
          <Typography component="dd" variant="body2" className={classes.value}>
            {value}
          </Typography>
        </div>
      ))}
    </dl>
  );
}
