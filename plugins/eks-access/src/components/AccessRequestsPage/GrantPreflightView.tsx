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
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import HelpOutline from '@material-ui/icons/HelpOutline';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useId, useState } from 'react';
import type {
  AccessRequest,
  AccessRequestPreflight,
} from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';
import { errorExplanation } from '../accessLabels';
import { BreakableIdentifier } from '../BreakableIdentifier';
import { FixPlanView } from '../EksAccessCard/FixPlanPanel';
import { StateChip } from '../StateChip';

const useStyles = makeStyles(theme => ({
  root: {
    marginTop: theme.spacing(2),
    paddingTop: theme.spacing(1),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  heading: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  list: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(3) },
  summary: { cursor: 'pointer', marginTop: theme.spacing(1) },
}));

function verdictChip(preflight: AccessRequestPreflight) {
  if (!preflight.known) {
    return (
      <StateChip
        label="Cannot tell"
        tone="neutral"
        icon={HelpOutline}
        state="unknown"
      />
    );
  }
  return preflight.applicable ? (
    <StateChip
      label="Can be applied"
      tone="ok"
      icon={CheckCircleOutline}
      state="applicable"
    />
  ) : (
    <StateChip
      label="Cannot be applied"
      tone="error"
      icon={ErrorOutline}
      state="not-applicable"
    />
  );
}

/**
 * What approving a request would do, checked by the backend on the
 * cluster's current access data: the writes in order, whether the grant can
 * be applied and would let the requester in, its risks, whose access besides
 * the requester's it changes (it must be no one), and the same grant as
 * CLI / eksctl / kubectl / Terraform forms.
 */
export function GrantPreflightView(props: { request: AccessRequest }) {
  const { request } = props;
  const api = useApi(eksAccessApiRef);
  const classes = useStyles();
  const headingId = useId();
  const [preflight, setPreflight] = useState<AccessRequestPreflight>();
  const [error, setError] = useState<Error>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setPreflight(await api.getAccessRequestPreflight({ id: request.id }));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  }, [api, request.id]);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <section
      className={classes.root}
      aria-labelledby={headingId}
      data-testid="grant-preflight"
    >
      <div className={classes.heading}>
        <Typography variant="subtitle2" component="h3" id={headingId}>
          What approving changes
        </Typography>
        {preflight && verdictChip(preflight)}
      </div>
      {error && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={load}>
              Retry
            </Button>
          }
        >
          Could not check the grant: {errorExplanation(error)}
        </Alert>
      )}
      {!error && !preflight && (
        <LinearProgress aria-label="Checking what the grant would change" />
      )}
      {preflight && (
        <>
          {preflight.writes.length > 0 && (
            <ol className={classes.list} aria-label="Writes, in order">
              {preflight.writes.map((w, i) => (
                <li key={i}>
                  <Typography variant="body2">{w}</Typography>
                </li>
              ))}
            </ol>
          )}
          {preflight.risks.length > 0 && (
            <Alert
              severity={preflight.applicable ? 'warning' : 'error'}
              role="note"
            >
              {preflight.risks.map((r, i) => (
                <Typography key={i} variant="body2">
                  {r}
                </Typography>
              ))}
              {!preflight.applicable && preflight.known && (
                <Typography variant="body2">
                  Approving now would fail; reject the request or ask a cluster
                  admin to fix the cluster first.
                </Typography>
              )}
            </Alert>
          )}
          {preflight.known && (
            <Typography variant="body2">
              <strong>Who else is affected:</strong>{' '}
              {preflight.othersAffected.length === 0 ? (
                'no one'
              ) : (
                <>
                  also lets in{' '}
                  {preflight.othersAffected.map((arn, i) => (
                    <span key={arn}>
                      {i > 0 && ', '}
                      <BreakableIdentifier text={arn} />
                    </span>
                  ))}
                </>
              )}
            </Typography>
          )}
          {preflight.plan && (
            <details>
              <summary className={classes.summary}>
                <Typography variant="body2" component="span">
                  Show the grant as commands and Terraform
                </Typography>
              </summary>
              <FixPlanView
                plan={preflight.plan}
                cluster={request.cluster}
                heading={<strong>The grant, as its users would run it</strong>}
              />
            </details>
          )}
        </>
      )}
    </section>
  );
}
