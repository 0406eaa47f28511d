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

const useStyles = makeStyles({
  // Off screen but in the accessibility tree, so screen readers hear it.
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    border: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
});

/**
 * A polite live region that is not seen: screen readers announce each new
 * `message` (e.g. "Access checked again: You can reach this cluster") while
 * the sighted user sees the change itself. The region is always rendered, so
 * that assistive technology already watches it when the message arrives.
 */
export function StatusAnnouncement(props: { message?: string }) {
  const classes = useStyles();
  return (
    <span role="status" className={classes.visuallyHidden}>
      {props.message ?? ''}
    </span>
  );
}
