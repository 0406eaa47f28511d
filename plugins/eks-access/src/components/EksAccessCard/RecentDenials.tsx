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
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  type DenialGroup,
  eksAccessDiagnosticsReadPermission,
} from '@eks-access/plugin-eks-access-common';
import { useId } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksAccessApiRef } from '../../api';
import {
  dateTimeLabel,
  relativeTimeLabel,
} from '../AccessRequests/requestLabels';
import { findingTitle } from '../accessLabels';
import { BreakableIdentifier } from '../BreakableIdentifier';
import { CommandBlock } from '../CommandBlock';
import { AuthenticatorLogStates } from './AuthenticatorLogStates';

const useStyles = makeStyles(theme => ({
  table: {
    margin: theme.spacing(1, 0),
    '& th, & td': { padding: theme.spacing(0.75, 1), verticalAlign: 'top' },
    '& thead th': { whiteSpace: 'nowrap' },
  },
  // In a card the table must fit: the ARN breaks anywhere (an SSO role
  // name is one long word), the other columns keep a readable width.
  arn: {
    minWidth: '8em',
    overflowWrap: 'anywhere',
    '& span': { overflowWrap: 'anywhere' },
  },
  reason: { minWidth: '6em' },
  lastSeen: { minWidth: '7em' },
  nowrap: { whiteSpace: 'nowrap' },
  explainedBy: { minWidth: '7em' },
  explanations: { margin: 0, paddingLeft: theme.spacing(2.5) },
  explanation: {
    marginBottom: theme.spacing(1),
    '&:focus': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  // links in text are underlined, not told apart by colour alone
  link: { textDecoration: 'underline' },
}));

/** What a look-alike denial is, in a few words. */
export const lookalikeLabels: Record<
  NonNullable<DenialGroup['lookalike']>['kind'],
  string
> = {
  'sso-suffix': 'SSO suffix drift',
  path: 'Role path in the mapping',
  session: 'Session ARN in the mapping',
  typo: 'Looks like a typo',
  case: 'Different letter case',
};

/**
 * Admin diagnostics' "Recent denials on this cluster": everyone's denied
 * sign-ins from the authenticator log, grouped by ARN and reason, with a
 * link to the finding that explains a look-alike (someone's typo, an SSO
 * suffix drift). Hidden without `eks-access.diagnostics.read`.
 */
export function RecentDenials(props: {
  entityRef: string;
  /** Read again when this changes (the card's Refresh). */
  checkedAt?: string;
  className?: string;
}) {
  const { entityRef, checkedAt, className } = props;
  const classes = useStyles();
  const api = useApi(eksAccessApiRef);
  const headingId = useId();
  const explanationsId = useId();
  const { allowed } = usePermission({
    permission: eksAccessDiagnosticsReadPermission,
  });
  const { value, error, loading, retry } = useAsyncRetry(
    async () => (allowed ? api.getDenials({ entityRef }) : undefined),
    [api, entityRef, allowed, checkedAt],
  );
  if (!allowed) return null;

  const explained = (value?.groups ?? []).filter(g => g.lookalike);
  const anchorOf = (group: DenialGroup) =>
    `${explanationsId}-${explained.indexOf(group)}`;
  const hours = value?.windowHours ?? 24;

  return (
    // a div, not a landmark: the card's own sections are the regions
    <div className={className} data-testid="eks-access-recent-denials">
      <Typography variant="subtitle1" component="h3" id={headingId}>
        Recent denials on this cluster
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Administrators only: everyone’s refused sign-ins from the cluster’s
        authenticator log.
      </Typography>
      <AuthenticatorLogStates
        loading={loading}
        error={error}
        retry={retry}
        value={value}
        loadingLabel="Reading the cluster’s recent denials"
        errorLead="Could not read the recent denials"
        loggingOffText="Authenticator logging is off on this cluster, so there is no record of denied sign-ins. Turn it on (CloudWatch Logs charges apply):"
      />
      {value?.logging === 'on' && value.groups.length === 0 && (
        <Typography variant="body2">
          No denied sign-ins in the last {hours} hours.
        </Typography>
      )}
      {value?.logging === 'on' && value.groups.length > 0 && (
        <>
          <Table
            size="small"
            className={classes.table}
            aria-labelledby={headingId}
          >
            <caption>
              Last {hours} hours, grouped by ARN and reason, most recent first
              {value.truncated
                ? `; only the oldest ${value.read} denials were read`
                : ''}
              .
            </caption>
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">
                  ARN presented
                </TableCell>
                <TableCell component="th" scope="col">
                  Reason
                </TableCell>
                <TableCell component="th" scope="col" align="right">
                  Count
                </TableCell>
                <TableCell component="th" scope="col">
                  Last seen
                </TableCell>
                <TableCell component="th" scope="col">
                  Explained by
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.groups.map(group => (
                <TableRow key={`${group.arn ?? ''} ${group.reason}`}>
                  <TableCell component="th" scope="row" className={classes.arn}>
                    {group.arn ? (
                      <BreakableIdentifier text={group.arn} />
                    ) : (
                      'No ARN (the token was refused)'
                    )}
                  </TableCell>
                  <TableCell className={classes.reason}>
                    {group.reason}
                  </TableCell>
                  <TableCell align="right">{group.count}</TableCell>
                  <TableCell className={classes.lastSeen}>
                    <time dateTime={group.lastSeen}>
                      {dateTimeLabel(group.lastSeen)}
                    </time>{' '}
                    <span className={classes.nowrap}>
                      ({relativeTimeLabel(group.lastSeen)})
                    </span>
                  </TableCell>
                  <TableCell className={classes.explainedBy}>
                    {group.lookalike ? (
                      <Link
                        href={`#${anchorOf(group)}`}
                        className={classes.link}
                        onClick={(event: React.MouseEvent) => {
                          // move focus too, so keyboard and screen reader
                          // users land on the explanation
                          const target = document.getElementById(
                            anchorOf(group),
                          );
                          if (target) {
                            event.preventDefault();
                            target.focus();
                            target.scrollIntoView?.({ block: 'nearest' });
                          }
                        }}
                      >
                        {lookalikeLabels[group.lookalike.kind]}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {explained.length > 0 && (
            <>
              <Typography variant="subtitle2" component="h4">
                Why these look like a mapping gone wrong
              </Typography>
              <ol className={classes.explanations}>
                {explained.map(group => (
                  <li
                    key={anchorOf(group)}
                    id={anchorOf(group)}
                    tabIndex={-1}
                    className={classes.explanation}
                    data-finding-code={group.lookalike!.finding.code}
                  >
                    <Typography variant="body2" component="p">
                      <strong>
                        {lookalikeLabels[group.lookalike!.kind]}:{' '}
                        {findingTitle(group.lookalike!.finding)}
                      </strong>
                    </Typography>
                    <Typography variant="body2" component="p">
                      {group.lookalike!.finding.message}
                    </Typography>
                    <Typography variant="caption" component="p">
                      Mapped instead:{' '}
                      <BreakableIdentifier text={group.lookalike!.mappedArn} />
                    </Typography>
                    {group.lookalike!.finding.fix?.commands.map(command => (
                      <CommandBlock key={command} text={command} />
                    ))}
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </div>
  );
}
