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
import Alert from '@material-ui/lab/Alert';
import { useId, useRef, useState } from 'react';
import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import { AccessRequestAction, eksAccessApiRef } from '../../api';
import { errorExplanation } from '../accessLabels';
import { AccessRequestStateChip } from '../AccessRequests/AccessRequestStateChip';
import { ActionCommentDialog } from '../AccessRequests/ActionCommentDialog';
import {
  dateTimeLabel,
  durationLabel,
  relativeTimeLabel,
  requestStateLabels,
  scopeLabel,
  levelLabel,
} from '../AccessRequests/requestLabels';
import type { AccessRequestsState } from '../AccessRequests/useAccessRequests';
import { BreakableIdentifier } from '../BreakableIdentifier';
import { useCardListStyles } from './useCardListStyles';

/** When the request ends or what it waits for, in words. */
export function requestTiming(request: AccessRequest): string {
  switch (request.state) {
    case 'pending':
      return `Requested ${relativeTimeLabel(request.createdAt)}; ${
        request.approvals.length
      } of ${request.approvalsRequired} ${
        request.approvalsRequired === 1 ? 'approval' : 'approvals'
      }`;
    case 'approved':
      return 'Approved; access is being applied';
    case 'active':
      return request.expiresAt
        ? `Expires ${relativeTimeLabel(request.expiresAt)} (${dateTimeLabel(
            request.expiresAt,
          )})`
        : 'Active';
    case 'failed':
      return `Could not be applied: ${request.error ?? 'unknown error'}`;
    default:
      return `${requestStateLabels[request.state]} ${dateTimeLabel(
        request.endedAt ?? request.updatedAt,
      )}`;
  }
}

const confirmations: Partial<
  Record<AccessRequestAction, { title: string; label: string; text: string }>
> = {
  cancel: {
    title: 'Cancel this request?',
    label: 'Cancel request',
    text: 'The approvers will no longer be asked to decide.',
  },
  revoke: {
    title: 'Give up this access now?',
    label: 'Revoke access',
    text: 'What this request added on the cluster is removed right away.',
  },
};

/**
 * "My requests for this cluster" in the card: state, level, scope, timing,
 * and Cancel (pending) or Revoke (active) when the backend allows it.
 */
export function MyAccessRequests(props: {
  requests: AccessRequestsState;
  /** Called after an action succeeded. */
  onChanged: () => void;
}) {
  const { requests, onChanged } = props;
  const classes = useCardListStyles();
  const api = useApi(eksAccessApiRef);
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [acting, setActing] = useState<{
    request: AccessRequest;
    action: 'cancel' | 'revoke';
  }>();

  const { items, error, loading, reload } = requests;
  if (!items?.length && !error) {
    return loading && !items ? (
      <LinearProgress aria-label="Loading your access requests" />
    ) : null;
  }

  const confirmation = acting && confirmations[acting.action];

  return (
    <section aria-labelledby={headingId}>
      <Typography
        variant="subtitle1"
        component="h3"
        id={headingId}
        ref={headingRef}
        // Focus lands here after Cancel or Revoke removed their button.
        tabIndex={-1}
      >
        My requests for this cluster
      </Typography>
      {error && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={reload}>
              Retry
            </Button>
          }
        >
          Could not load your requests: {errorExplanation(error)}
        </Alert>
      )}
      {items && items.length > 0 && (
        <ul className={classes.list} aria-labelledby={headingId}>
          {items.map(request => (
            <li
              key={request.id}
              className={classes.item}
              data-request-id={request.id}
              aria-label={`${levelLabel(request)}, ${scopeLabel(
                request.scope,
              )}: ${requestStateLabels[request.state]}`}
            >
              <div className={classes.line}>
                <AccessRequestStateChip state={request.state} />
                <Typography variant="body2" component="span">
                  <strong>{levelLabel(request)}</strong> ·{' '}
                  {scopeLabel(request.scope)} ·{' '}
                  {durationLabel(request.durationSeconds)}
                </Typography>
              </div>
              <Typography
                variant="caption"
                component="p"
                className={classes.arn}
              >
                <BreakableIdentifier text={request.principalArn} />
              </Typography>
              <Typography variant="body2" component="p">
                {requestTiming(request)}
              </Typography>
              {request.allowedActions?.includes('cancel') && (
                <Button
                  size="small"
                  variant="outlined"
                  onClick={() => setActing({ request, action: 'cancel' })}
                >
                  Cancel request
                </Button>
              )}
              {request.state === 'active' &&
                request.allowedActions?.includes('revoke') && (
                  <Button
                    size="small"
                    variant="outlined"
                    onClick={() => setActing({ request, action: 'revoke' })}
                  >
                    Revoke
                  </Button>
                )}
            </li>
          ))}
        </ul>
      )}
      <ActionCommentDialog
        open={!!acting}
        title={confirmation?.title ?? ''}
        confirmLabel={confirmation?.label ?? ''}
        onClose={() => setActing(undefined)}
        onConfirm={async comment => {
          if (!acting) return;
          await api.actOnAccessRequest({
            id: acting.request.id,
            action: acting.action,
            comment,
          });
          setActing(undefined);
          onChanged();
          // After the dialog has closed and tried to restore the focus.
          setTimeout(() => headingRef.current?.focus());
        }}
      >
        {acting && (
          <Typography variant="body2">
            {levelLabel(acting.request)} on {acting.request.cluster.name} (
            {scopeLabel(acting.request.scope)}). {confirmation?.text}
          </Typography>
        )}
      </ActionCommentDialog>
    </section>
  );
}
