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

import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { AccessRequestState } from '@eks-access/plugin-eks-access-common';
import { requestStateLabels } from './requestLabels';

const useStyles = makeStyles(theme => {
  const ok = theme.palette.status?.ok ?? theme.palette.success.main;
  const warning = theme.palette.status?.warning ?? theme.palette.warning.main;
  const error = theme.palette.status?.error ?? theme.palette.error.main;
  const pending = theme.palette.status?.pending ?? theme.palette.info.main;
  return {
    pending: { borderColor: pending, color: pending },
    approved: { borderColor: pending, color: pending },
    active: { borderColor: ok, color: ok },
    failed: { borderColor: error, color: error },
    rejected: { borderColor: error, color: error },
    revoked: { borderColor: warning, color: warning },
    expired: {},
    cancelled: {},
  };
});

/** A request's state as an outlined chip with its words. */
export function AccessRequestStateChip(props: { state: AccessRequestState }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes[props.state]}
      label={requestStateLabels[props.state]}
      data-state={props.state}
    />
  );
}
