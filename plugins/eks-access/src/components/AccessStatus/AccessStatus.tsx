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

import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import HelpIcon from '@material-ui/icons/Help';
import BlockIcon from '@material-ui/icons/Block';
import ErrorIcon from '@material-ui/icons/Error';
import PersonOutlineIcon from '@material-ui/icons/PersonOutline';
import type { ClusterAccessStatus } from '@eks-access/plugin-eks-access-common';
import { statusLabels } from '../accessLabels';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  allowed: { color: theme.palette.status?.ok ?? theme.palette.success.main },
  forbidden: {
    color: theme.palette.status?.warning ?? theme.palette.warning.main,
  },
  denied: { color: theme.palette.status?.error ?? theme.palette.error.main },
  unknown: {
    color: theme.palette.status?.pending ?? theme.palette.text.secondary,
  },
  'no-identities': { color: theme.palette.text.secondary },
  error: { color: theme.palette.status?.error ?? theme.palette.error.main },
}));

const statusIcons = {
  allowed: CheckCircleIcon,
  forbidden: BlockIcon,
  denied: CancelIcon,
  unknown: HelpIcon,
  'no-identities': PersonOutlineIcon,
  error: ErrorIcon,
} as const;

/**
 * A status icon followed by its word, so that colour is never the only cue.
 * The icon is decorative; the text carries the meaning for screen readers.
 */
export function AccessStatus(props: {
  status: ClusterAccessStatus;
  /** Replaces the default word, e.g. "Allowed as dana via access entry". */
  children?: React.ReactNode;
}) {
  const { status, children } = props;
  const classes = useStyles();
  const Icon = statusIcons[status];
  return (
    <span className={classes.root} data-status={status}>
      <Icon className={classes[status]} fontSize="small" aria-hidden="true" />
      <span>{children ?? statusLabels[status]}</span>
    </span>
  );
}
