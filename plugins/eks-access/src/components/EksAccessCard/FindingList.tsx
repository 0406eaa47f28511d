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

import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import InfoIcon from '@material-ui/icons/Info';
import type { Finding } from '@eks-access/plugin-eks-access-common';
import { findingTitle, sortFindingsBySeverity } from '../accessLabels';
import { CommandBlock } from '../CommandBlock';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    borderLeft: `4px solid ${theme.palette.divider}`,
    padding: theme.spacing(1, 0, 1, 1.5),
    marginBottom: theme.spacing(1.5),
  },
  error: { borderLeftColor: theme.palette.error.main },
  warning: { borderLeftColor: theme.palette.warning.main },
  info: { borderLeftColor: theme.palette.info.main },
  title: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  code: {
    fontFamily: 'monospace',
    fontSize: '0.75rem',
    color: theme.palette.text.secondary,
  },
  fix: { marginTop: theme.spacing(1) },
}));

const severityIcons = {
  error: ErrorIcon,
  warning: WarningIcon,
  info: InfoIcon,
} as const;

const severityWords = {
  error: 'Error',
  warning: 'Warning',
  info: 'Note',
} as const;

/**
 * Findings about one identity's access, most severe first: a title, the
 * evaluator's explanation, and the fix as commands with a copy button.
 */
export function FindingList(props: { findings: Finding[]; label: string }) {
  const { findings, label } = props;
  const classes = useStyles();
  if (findings.length === 0) {
    return null;
  }
  return (
    <ul className={classes.list} aria-label={label}>
      {sortFindingsBySeverity(findings).map((finding, index) => {
        const Icon = severityIcons[finding.severity];
        return (
          <li
            key={`${finding.code}-${index}`}
            className={`${classes.item} ${classes[finding.severity]}`}
            data-finding-code={finding.code}
          >
            <Typography
              variant="subtitle2"
              component="h4"
              className={classes.title}
            >
              <Icon fontSize="small" aria-hidden="true" />
              <span>
                {severityWords[finding.severity]}: {findingTitle(finding)}
              </span>
              <span className={classes.code}>{finding.code}</span>
            </Typography>
            <Typography variant="body2">{finding.message}</Typography>
            {finding.fix && (
              <div className={classes.fix}>
                <Typography variant="body2">
                  <strong>Fix:</strong> {finding.fix.summary}
                </Typography>
                {finding.fix.commands.length > 0 && (
                  <CommandBlock text={finding.fix.commands.join('\n')} />
                )}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
