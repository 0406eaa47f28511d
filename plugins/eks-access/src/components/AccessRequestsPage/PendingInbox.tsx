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

import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useId } from 'react';
import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import type { AccessRequestAction } from '../../api';
import { entityRefName, levelLabel } from '../AccessRequests/requestLabels';
import { AccessRequestFacts } from './AccessRequestFacts';
import { GrantPreflightView } from './GrantPreflightView';

const useStyles = makeStyles(theme => ({
  item: { padding: theme.spacing(2), marginBottom: theme.spacing(2) },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
    alignItems: 'center',
  },
}));

function InboxItem(props: {
  request: AccessRequest;
  onAction: (request: AccessRequest, action: AccessRequestAction) => void;
}) {
  const { request, onAction } = props;
  const classes = useStyles();
  const titleId = useId();
  const actions = request.allowedActions ?? [];
  return (
    <Paper
      component="article"
      variant="outlined"
      className={classes.item}
      aria-labelledby={titleId}
      data-request-id={request.id}
    >
      <Typography variant="h6" component="h2" id={titleId}>
        {entityRefName(request.requester)} asks for {levelLabel(request)} on{' '}
        {request.cluster.name}
      </Typography>
      <AccessRequestFacts request={request} />
      {actions.includes('approve') && <GrantPreflightView request={request} />}
      <div className={classes.actions}>
        {actions.includes('approve') && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => onAction(request, 'approve')}
          >
            Approve
          </Button>
        )}
        {actions.includes('reject') && (
          <Button
            variant="outlined"
            onClick={() => onAction(request, 'reject')}
          >
            Reject
          </Button>
        )}
        {!actions.includes('approve') && actions.includes('reject') && (
          <Typography variant="body2" color="textSecondary">
            You approved this request; it waits for another approver.
          </Typography>
        )}
      </div>
    </Paper>
  );
}

/**
 * The requests waiting for the signed-in user's decision, oldest first, as
 * the backend returns them (it decides who may approve what). Each one the
 * user may approve shows what approving would change (the backend's
 * preflight on the cluster's current data).
 */
export function PendingInbox(props: {
  requests: AccessRequest[];
  onAction: (request: AccessRequest, action: AccessRequestAction) => void;
}) {
  const { requests, onAction } = props;
  if (requests.length === 0) {
    return (
      <Typography variant="body1">
        Nothing is waiting for your decision.
      </Typography>
    );
  }
  return (
    <>
      {[...requests]
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map(request => (
          <InboxItem key={request.id} request={request} onAction={onAction} />
        ))}
    </>
  );
}

/** Requests the user may decide: pending, with approve or reject allowed. */
export function isInInbox(request: AccessRequest): boolean {
  return (
    request.state === 'pending' &&
    !!request.allowedActions?.some(a => a === 'approve' || a === 'reject')
  );
}
