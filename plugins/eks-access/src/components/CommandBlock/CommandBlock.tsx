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

import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import CopyIcon from '@material-ui/icons/FileCopyOutlined';
import { useEffect, useState } from 'react';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';
import { StatusAnnouncement } from '../StatusAnnouncement';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
    padding: theme.spacing(1, 0.5, 1, 1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    // The page's background colour on a card: a quiet box, and the text
    // keeps the primary text colour's contrast in light and dark themes.
    backgroundColor: theme.palette.background.default,
  },
  pre: {
    flex: '1 1 auto',
    minWidth: 0,
    margin: 0,
    padding: theme.spacing(0.5, 0),
    // Wrap instead of scrolling sideways: no hidden text, no unnamed
    // scrollable region, and long ARNs break anywhere if they must.
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: 'monospace',
    fontSize: '0.8125rem',
    lineHeight: 1.5,
    color: theme.palette.text.primary,
  },
  // The copy button has its own column, so it never covers the text.
  copy: { flex: '0 0 auto' },
}));

/** How long "Copied" stays announced on the button. */
const COPIED_FOR_MS = 2000;

/**
 * A command or snippet to copy: plain text in the primary text colour (no
 * syntax highlighting, whose colours fail contrast and mislabel options as
 * keywords), wrapped rather than scrolled, with a copy button beside it.
 * Copying is announced through a polite live region.
 */
export function CommandBlock(props: { text: string }) {
  const { text } = props;
  const classes = useStyles();
  const [, copyToClipboard] = useCopyToClipboard();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) {
      return undefined;
    }
    const timer = setTimeout(() => setCopied(false), COPIED_FOR_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <div className={classes.root}>
      <pre className={classes.pre}>
        <code>{text}</code>
      </pre>
      <Tooltip title={copied ? 'Copied' : 'Copy to the clipboard'}>
        <IconButton
          className={classes.copy}
          size="small"
          aria-label="Copy text"
          onClick={() => {
            copyToClipboard(text);
            setCopied(true);
          }}
        >
          <CopyIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <StatusAnnouncement
        message={copied ? 'Copied to the clipboard' : undefined}
      />
    </div>
  );
}
