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
import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import type { AccessRequestAction } from '../../api';
import {
  dateTimeLabel,
  entityRefName,
  relativeTimeLabel,
  scopeLabel,
  levelLabel,
} from '../AccessRequests/requestLabels';
import { BreakableIdentifier } from '../BreakableIdentifier';

const useStyles = makeStyles({
  arn: { fontFamily: 'monospace' },
});

/** The active grants, soonest expiry first, with Revoke. */
export function ActiveGrantsTable(props: {
  requests: AccessRequest[];
  onAction: (request: AccessRequest, action: AccessRequestAction) => void;
}) {
  const { requests, onAction } = props;
  const classes = useStyles();
  if (requests.length === 0) {
    return (
      <Typography variant="body1">
        No access granted through requests is active.
      </Typography>
    );
  }
  const sorted = [...requests].sort((a, b) =>
    (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''),
  );
  return (
    <Table size="small" aria-label="Active grants">
      <TableHead>
        <TableRow>
          <TableCell>Requester</TableCell>
          <TableCell>Cluster</TableCell>
          <TableCell>Principal</TableCell>
          <TableCell>Level</TableCell>
          <TableCell>Scope</TableCell>
          <TableCell>Expires</TableCell>
          <TableCell>
            <span className="MuiTypography-srOnly">Actions</span>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sorted.map(request => (
          <TableRow key={request.id} data-request-id={request.id}>
            <TableCell>
              <EntityRefLink
                entityRef={request.requester}
                title={entityRefName(request.requester)}
              />
            </TableCell>
            <TableCell>
              <EntityRefLink
                entityRef={request.cluster.entityRef}
                title={request.cluster.name}
              />
            </TableCell>
            <TableCell className={classes.arn}>
              <BreakableIdentifier text={request.principalArn} />
            </TableCell>
            <TableCell>{levelLabel(request)}</TableCell>
            <TableCell>{scopeLabel(request.scope)}</TableCell>
            <TableCell>
              {request.expiresAt
                ? `${relativeTimeLabel(request.expiresAt)} (${dateTimeLabel(
                    request.expiresAt,
                  )})`
                : '—'}
            </TableCell>
            <TableCell>
              {request.allowedActions?.includes('revoke') && (
                <Button
                  size="small"
                  variant="outlined"
                  aria-label={`Revoke ${levelLabel(request)} on ${
                    request.cluster.name
                  } for ${entityRefName(request.requester)}`}
                  onClick={() => onAction(request, 'revoke')}
                >
                  Revoke
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
