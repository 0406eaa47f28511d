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

import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useState } from 'react';
import type {
  AccessRequestDetails,
  AccessRequestEvent,
  AccessRequestEventType,
} from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';
import { errorExplanation } from '../accessLabels';
import {
  dateTimeLabel,
  entityRefName,
  requestStateLabels,
} from '../AccessRequests/requestLabels';

const eventLabels: Record<AccessRequestEventType, string> = {
  created: 'Requested',
  approval: 'Approved (one of several approvals)',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  'apply-started': 'Started applying the grant',
  'apply-step': 'Changed the cluster',
  activated: 'Verified and activated',
  failed: 'Failed',
  retried: 'Retried',
  'expiring-soon': 'Expiring soon',
  expired: 'Expired',
  revoked: 'Revoked',
  'removal-step': 'Removed from the cluster',
  'removal-failed': 'Removal failed',
  removed: 'Removed',
};

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(3) },
  item: { marginBottom: theme.spacing(1) },
  details: { fontFamily: 'monospace', whiteSpace: 'pre-wrap', fontSize: 12 },
}));

/** "pending → approved", or nothing when the state did not change. */
export function transitionLabel(event: AccessRequestEvent): string | undefined {
  if (!event.fromState && !event.toState) {
    return undefined;
  }
  const from = event.fromState ? requestStateLabels[event.fromState] : '—';
  const to = event.toState ? requestStateLabels[event.toState] : '—';
  return `${from} → ${to}`;
}

/**
 * The event trail of one request, oldest first: what happened, who did it
 * (or `system` for the scheduled task), when, with the comment, the state
 * before and after, and the recorded details of changes on the cluster.
 */
export function RequestEventTrail(props: { id: string }) {
  const { id } = props;
  const api = useApi(eksAccessApiRef);
  const classes = useStyles();
  const [details, setDetails] = useState<AccessRequestDetails>();
  const [error, setError] = useState<Error>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setDetails(await api.getAccessRequest({ id }));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  }, [api, id]);

  useEffect(() => {
    load();
  }, [load]);

  if (error) {
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={load}>
            Retry
          </Button>
        }
      >
        Could not load the events: {errorExplanation(error)}
      </Alert>
    );
  }
  if (!details) {
    return <LinearProgress aria-label="Loading the events" />;
  }
  const events = [...details.events].sort(
    (a, b) => a.at.localeCompare(b.at) || a.id - b.id,
  );
  return (
    <ol className={classes.list} aria-label={`Events of request ${id}`}>
      {events.map(event => {
        const transition = transitionLabel(event);
        return (
          <li
            key={event.id}
            className={classes.item}
            data-event-type={event.type}
          >
            <Typography variant="body2">
              <strong>{eventLabels[event.type] ?? event.type}</strong> by{' '}
              {event.actor === 'system' ? 'system' : entityRefName(event.actor)}{' '}
              · <time dateTime={event.at}>{dateTimeLabel(event.at)}</time>
              {transition && ` · ${transition}`}
            </Typography>
            {event.comment && (
              <Typography variant="body2" color="textSecondary">
                “{event.comment}”
              </Typography>
            )}
            {event.details && Object.keys(event.details).length > 0 && (
              <details>
                <summary>
                  <Typography variant="caption">Details</Typography>
                </summary>
                <div className={classes.details}>
                  {JSON.stringify(event.details, null, 2)}
                </div>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
