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
import { makeStyles, Theme } from '@material-ui/core/styles';
import type { ComponentType } from 'react';

/** The colour family of a state; the words always say the state itself. */
export type StateTone = 'ok' | 'warning' | 'error' | 'pending' | 'neutral';

function toneColour(theme: Theme, tone: StateTone): string {
  const status = theme.palette.status;
  switch (tone) {
    case 'ok':
      return status?.ok ?? theme.palette.success.main;
    case 'warning':
      return status?.warning ?? theme.palette.warning.main;
    case 'error':
      return status?.error ?? theme.palette.error.main;
    case 'pending':
      // Not status.pending: that yellow is invisible on white, even as a border.
      return status?.running ?? theme.palette.info.main;
    default:
      return theme.palette.text.secondary;
  }
}

const useStyles = makeStyles(theme => {
  const tone = (t: StateTone) => ({
    borderColor: toneColour(theme, t),
    '& $icon': { color: toneColour(theme, t) },
  });
  return {
    // Status colours fail text contrast (yellow on white is 1.2:1), so the
    // colour lives in the border and the icon, and the words keep the
    // primary text colour.
    root: {
      color: theme.palette.text.primary,
      borderWidth: 2,
      fontWeight: theme.typography.fontWeightMedium as number,
    },
    icon: {},
    ok: tone('ok'),
    warning: tone('warning'),
    error: tone('error'),
    pending: tone('pending'),
    neutral: tone('neutral'),
  };
});

/**
 * An outlined chip naming a state in words, with its colour in a border and
 * a decorative icon, so that neither colour nor contrast carries meaning.
 */
export function StateChip(props: {
  label: string;
  tone: StateTone;
  icon: ComponentType<{ className?: string; 'aria-hidden'?: boolean | 'true' }>;
  /** Passed on as `data-state`, for tests and styling hooks. */
  state?: string;
}) {
  const { label, tone, icon: Icon, state } = props;
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      className={`${classes.root} ${classes[tone]}`}
      icon={<Icon className={classes.icon} aria-hidden="true" />}
      label={label}
      data-state={state}
    />
  );
}
