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
import { usePermission } from '@backstage/plugin-permission-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/CheckCircleOutline';
import BlockIcon from '@material-ui/icons/Block';
import Alert from '@material-ui/lab/Alert';
import {
  type ClusterAccessReport,
  eksAccessAttemptsReadPermission,
} from '@eks-access/plugin-eks-access-common';
import { useId } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksAccessApiRef } from '../../api';
import {
  dateTimeLabel,
  relativeTimeLabel,
} from '../AccessRequests/requestLabels';
import { BreakableIdentifier } from '../BreakableIdentifier';
import { CommandBlock } from '../CommandBlock';
import { AuthenticatorLogStates } from './AuthenticatorLogStates';
import { StateChip } from '../StateChip';
import {
  type AttributedAttempt,
  attemptEvidence,
  attemptsNewestFirst,
} from './attemptEvidence';
import { useCardListStyles } from './useCardListStyles';

/** How many attempts the section lists (all identities together). */
const SHOWN_ATTEMPTS = 8;

const useStyles = makeStyles(theme => ({
  evidence: { margin: theme.spacing(1, 0) },
}));

function attemptLabel(attempt: AttributedAttempt): string {
  return `${
    attempt.outcome === 'granted' ? 'Granted' : 'Denied'
  } ${dateTimeLabel(attempt.time)}`;
}

function AttemptItem(props: { attempt: AttributedAttempt }) {
  const { attempt } = props;
  const classes = useCardListStyles();
  const granted = attempt.outcome === 'granted';
  return (
    <li className={classes.item} aria-label={attemptLabel(attempt)}>
      <div className={classes.line}>
        <StateChip
          label={granted ? 'Granted' : 'Denied'}
          tone={granted ? 'ok' : 'error'}
          icon={granted ? CheckIcon : BlockIcon}
          state={attempt.outcome}
        />
        <Typography variant="body2" component="span">
          <time dateTime={attempt.time}>{dateTimeLabel(attempt.time)}</time> (
          {relativeTimeLabel(attempt.time)}) · {attempt.identity.label}
          {attempt.identity.kubectl?.mine === false ? ' · not yours' : ''}
        </Typography>
      </div>
      {attempt.arn && (
        <Typography variant="caption" component="p" className={classes.arn}>
          <BreakableIdentifier text={attempt.arn} />
        </Typography>
      )}
      <Typography variant="body2" component="p">
        {granted ? (
          <>
            Signed in as{' '}
            <BreakableIdentifier text={attempt.username ?? 'unknown'} />
            {attempt.groups?.length
              ? ` in ${attempt.groups.join(', ')}`
              : ' with no groups'}
          </>
        ) : (
          `Reason: ${attempt.reason ?? 'not logged'}`
        )}
      </Typography>
    </li>
  );
}

/**
 * "Recent attempts" on the card: the user's kubectl sign-ins on this
 * cluster from its authenticator log, and what they prove (kubectl used an
 * identity that is not theirs, or not the one with access) with the fix.
 * Hidden without `eks-access.attempts.read`.
 */
export function RecentAttempts(props: {
  entityRef: string;
  report: ClusterAccessReport;
}) {
  const { entityRef, report } = props;
  const classes = { ...useCardListStyles(), ...useStyles() };
  const api = useApi(eksAccessApiRef);
  const headingId = useId();
  const { allowed } = usePermission({
    permission: eksAccessAttemptsReadPermission,
  });
  // Read again whenever the card checks again (Refresh), so a new attempt shows.
  const { value, error, loading, retry } = useAsyncRetry(
    async () => (allowed ? api.getAttempts({ entityRef }) : undefined),
    [api, entityRef, allowed, report.checkedAt],
  );
  if (!allowed) return null;

  const attempts = value ? attemptsNewestFirst(value) : [];
  const evidence = value ? attemptEvidence(value, report) : undefined;
  const hours = value?.windowHours ?? 24;

  return (
    <section aria-labelledby={headingId}>
      <Typography variant="subtitle1" component="h3" id={headingId}>
        Recent attempts
      </Typography>
      <AuthenticatorLogStates
        loading={loading}
        error={error}
        retry={retry}
        value={value}
        loadingLabel="Reading the cluster’s authenticator log"
        errorLead="Could not read the authenticator log"
        loggingOffText="Authenticator logging is off on this cluster, so there is no record of your sign-in attempts. A cluster administrator can turn it on (CloudWatch Logs charges apply):"
      />
      {value?.logging === 'on' && attempts.length === 0 && (
        <Typography variant="body2">
          No kubectl sign-ins with your identities in the last {hours} hours.
          Run a kubectl command against this cluster, then check again.
        </Typography>
      )}
      {evidence && (
        <Alert severity="warning" className={classes.evidence}>
          <Typography variant="body2" component="p">
            {evidence.sentence}
          </Typography>
          {evidence.commands.map(command => (
            <CommandBlock key={command} text={command} />
          ))}
          {evidence.notes.map(note => (
            <Typography key={note} variant="body2" component="p">
              {note}
            </Typography>
          ))}
        </Alert>
      )}
      {attempts.length > 0 && (
        <>
          <Typography variant="body2" color="textSecondary">
            From the cluster’s authenticator log, last {hours} hours, newest
            first. A shared role’s denied attempts may include colleagues’: the
            log names the role, not the session.
          </Typography>
          <ul className={classes.list} aria-labelledby={headingId}>
            {attempts.slice(0, SHOWN_ATTEMPTS).map((attempt, index) => (
              <AttemptItem
                // Two attempts can share identity, second and outcome.
                key={`${attempt.identity.callerArn} ${attempt.time} ${index}`}
                attempt={attempt}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
