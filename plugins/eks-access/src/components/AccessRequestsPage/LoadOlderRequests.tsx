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

import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';
import { StatusAnnouncement } from '../StatusAnnouncement';

const useStyles = makeStyles(theme => ({
  root: { marginTop: theme.spacing(2) },
  error: { marginBottom: theme.spacing(1) },
  progress: { marginRight: theme.spacing(1) },
}));

/**
 * "Load older requests" under the request lists: the next page of the
 * cursor-paged list, a plain button so it works with the keyboard. While a
 * page loads the button stays focusable (only marked busy), so focus is not
 * lost; a failure is shown above it with the reason and the button tries
 * again; each loaded page is announced to screen readers. Once the last
 * page is in, focus moves to the line that says so.
 */
export function LoadOlderRequests(props: {
  shown: number;
  hasMore: boolean;
  loading: boolean;
  error?: Error;
  onLoad: () => void;
}) {
  const { shown, hasMore, loading, error, onLoad } = props;
  const classes = useStyles();
  const [requested, setRequested] = useState<{ from: number }>();
  const [announcement, setAnnouncement] = useState<string>();
  const [reachedEnd, setReachedEnd] = useState(false);
  const endRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (!requested || loading || error) {
      return;
    }
    const added = shown - requested.from;
    setAnnouncement(
      `Loaded ${added} older request${added === 1 ? '' : 's'}; ${shown} shown${
        hasMore ? '' : ', all of them'
      }.`,
    );
    setRequested(undefined);
    setReachedEnd(!hasMore);
  }, [requested, loading, error, shown, hasMore]);

  useEffect(() => {
    if (reachedEnd) {
      // the button that had focus is gone
      endRef.current?.focus();
    }
  }, [reachedEnd]);

  if (!hasMore && !reachedEnd && !announcement && !error) {
    // one page held everything: nothing to offer or announce
    return null;
  }
  return (
    <div className={classes.root}>
      <StatusAnnouncement message={announcement} />
      {error && (
        <Alert severity="error" role="alert" className={classes.error}>
          Could not load older requests: {error.message}
        </Alert>
      )}
      {hasMore ? (
        <Button
          variant="outlined"
          aria-busy={loading}
          onClick={() => {
            if (loading) return;
            setAnnouncement(undefined);
            setRequested({ from: shown });
            onLoad();
          }}
        >
          {loading && (
            <CircularProgress
              size={16}
              className={classes.progress}
              aria-hidden
            />
          )}
          {loading
            ? 'Loading older requests…'
            : `${error ? 'Try again: load' : 'Load'} older requests`}
        </Button>
      ) : (
        reachedEnd && (
          <Typography variant="body2" ref={endRef} tabIndex={-1}>
            All {shown} requests are shown.
          </Typography>
        )
      )}
    </div>
  );
}
