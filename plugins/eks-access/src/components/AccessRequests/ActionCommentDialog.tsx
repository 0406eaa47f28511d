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
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import { errorExplanation } from '../accessLabels';
import { ReadableErrorColour } from '../ReadableErrorColour';
import { MAX_COMMENT_LENGTH } from '@eks-access/plugin-eks-access-common';

/** Props of {@link ActionCommentDialog}. */
export interface ActionCommentDialogProps {
  open: boolean;
  title: string;
  /** What the action does, shown above the comment field. */
  children?: ReactNode;
  confirmLabel: string;
  commentLabel?: string;
  /** Whether a comment must be given (e.g. why a request is rejected). */
  commentRequired?: boolean;
  /** Performs the action; a rejection is shown in the dialog. */
  onConfirm: (comment: string) => Promise<void>;
  onClose: () => void;
}

/**
 * Confirms an action on an access request (approve, reject, cancel, revoke,
 * retry) with an optional or required comment. The server's refusal (403,
 * 409, …) is shown inside the dialog, which stays open.
 */
export function ActionCommentDialog(props: ActionCommentDialogProps) {
  const {
    open,
    title,
    children,
    confirmLabel,
    commentLabel = 'Comment (optional)',
    commentRequired = false,
    onConfirm,
    onClose,
  } = props;
  const titleId = useId();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [missing, setMissing] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (open) {
      setComment('');
      setError(undefined);
      setMissing(false);
    }
  }, [open]);

  const tooLong = comment.length > MAX_COMMENT_LENGTH;
  let helperText = `${comment.length}/${MAX_COMMENT_LENGTH}`;
  if (missing) {
    helperText = 'A comment is required.';
  } else if (tooLong) {
    helperText = `At most ${MAX_COMMENT_LENGTH} characters (${comment.length}).`;
  }

  const confirm = async () => {
    if (busy) {
      return;
    }
    if ((commentRequired && !comment.trim()) || tooLong) {
      // Back to the field: its label and message are read with it.
      setMissing(commentRequired && !comment.trim());
      commentRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(comment.trim());
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ReadableErrorColour>
      <Dialog
        open={open}
        onClose={busy ? undefined : onClose}
        aria-labelledby={titleId}
        fullWidth
        maxWidth="sm"
      >
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          {children}
          <TextField
            id={`${titleId}-comment`}
            label={commentRequired ? 'Comment' : commentLabel}
            required={commentRequired}
            value={comment}
            // The dialog opens on its field, not on its container.
            // eslint-disable-next-line jsx-a11y/no-autofocus -- WAI-ARIA dialog pattern: focus moves into the dialog it opens
            autoFocus
            inputRef={commentRef}
            onChange={e => {
              setComment(e.target.value);
              setMissing(false);
            }}
            multiline
            minRows={2}
            fullWidth
            margin="normal"
            variant="outlined"
            error={missing || tooLong}
            helperText={helperText}
          />
          {error && (
            <Alert severity="error" role="alert">
              {errorExplanation(error)}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            Close
          </Button>
          <Button
            color="primary"
            variant="contained"
            onClick={confirm}
            // Not disabled while working, so focus stays on the button;
            // confirm() ignores a second press.
            aria-disabled={busy}
            startIcon={
              busy ? (
                <CircularProgress size={16} aria-hidden="true" />
              ) : undefined
            }
          >
            {confirmLabel}
          </Button>
        </DialogActions>
      </Dialog>
    </ReadableErrorColour>
  );
}
