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
import { Fragment } from 'react';

const useStyles = makeStyles({
  root: {
    // Break only where <wbr> allows, after "/" and ":", and inside a part
    // only when that part alone is wider than its box.
    wordBreak: 'normal',
    overflowWrap: 'break-word',
  },
});

/** Splits after every "/" and ":", keeping them with the part before. */
export function identifierParts(text: string): string[] {
  return text.split(/(?<=[/:])/);
}

/**
 * An ARN, username or entity ref that may wrap at its "/" and ":" separators
 * rather than in the middle of a name. `aria-hidden` is never needed: the
 * text reads as one string, since `<wbr>` adds no characters.
 */
export function BreakableIdentifier(props: {
  text: string;
  className?: string;
}) {
  const { text, className } = props;
  const classes = useStyles();
  const parts = identifierParts(text);
  return (
    <span className={className ? `${classes.root} ${className}` : classes.root}>
      {parts.map((part, index) => (
        // The parts of one string never reorder: the index is a stable key.
        // eslint-disable-next-line react/no-array-index-key
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  );
}
