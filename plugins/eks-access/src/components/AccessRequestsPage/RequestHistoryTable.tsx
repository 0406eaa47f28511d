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

import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Fragment, useState } from 'react';
import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import type { AccessRequestAction } from '../../api';
import { AccessRequestStateChip } from '../AccessRequests/AccessRequestStateChip';
import {
  dateTimeLabel,
  entityRefName,
  scopeLabel,
  levelLabel,
} from '../AccessRequests/requestLabels';
import { AccessRequestFacts } from './AccessRequestFacts';
import { RequestEventTrail } from './RequestEventTrail';

const useStyles = makeStyles(theme => ({
  expanded: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    gap: theme.spacing(3),
    padding: theme.spacing(1, 0, 2, 0),
  },
}));

/**
 * Every request the user may see, most recently changed first; each row
 * opens its facts and its event trail. Failed requests offer Retry.
 */
export function RequestHistoryTable(props: {
  requests: AccessRequest[];
  onAction: (request: AccessRequest, action: AccessRequestAction) => void;
}) {
  const { requests, onAction } = props;
  const classes = useStyles();
  const [open, setOpen] = useState<string>();
  if (requests.length === 0) {
    return <Typography variant="body1">No access requests yet.</Typography>;
  }
  const sorted = [...requests].sort((a, b) =>
    b.updatedAt.localeCompare(a.updatedAt),
  );
  return (
    <Table size="small" aria-label="Request history">
      <TableHead>
        <TableRow>
          <TableCell>Requested</TableCell>
          <TableCell>Requester</TableCell>
          <TableCell>Cluster</TableCell>
          <TableCell>Level</TableCell>
          <TableCell>Scope</TableCell>
          <TableCell>State</TableCell>
          <TableCell>
            <span className="MuiTypography-srOnly">Actions</span>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sorted.map(request => {
          const expanded = open === request.id;
          const who = entityRefName(request.requester);
          return (
            <Fragment key={request.id}>
              <TableRow data-request-id={request.id}>
                <TableCell>{dateTimeLabel(request.createdAt)}</TableCell>
                <TableCell>
                  <EntityRefLink entityRef={request.requester} title={who} />
                </TableCell>
                <TableCell>
                  <EntityRefLink
                    entityRef={request.cluster.entityRef}
                    title={request.cluster.name}
                  />
                </TableCell>
                <TableCell>{levelLabel(request)}</TableCell>
                <TableCell>{scopeLabel(request.scope)}</TableCell>
                <TableCell>
                  <AccessRequestStateChip state={request.state} />
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    aria-expanded={expanded}
                    aria-controls={`events-${request.id}`}
                    aria-label={`Events of ${who}’s ${levelLabel(
                      request,
                    )} request on ${request.cluster.name}`}
                    onClick={() => setOpen(expanded ? undefined : request.id)}
                  >
                    {expanded ? 'Hide events' : 'Events'}
                  </Button>
                  {request.allowedActions?.includes('retry') && (
                    <Button
                      size="small"
                      onClick={() => onAction(request, 'retry')}
                    >
                      Retry
                    </Button>
                  )}
                </TableCell>
              </TableRow>
              {expanded && (
                <TableRow id={`events-${request.id}`}>
                  <TableCell colSpan={7}>
                    <div className={classes.expanded}>
                      <AccessRequestFacts request={request} />
                      <RequestEventTrail id={request.id} />
                    </div>
                  </TableCell>
                </TableRow>
              )}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}
