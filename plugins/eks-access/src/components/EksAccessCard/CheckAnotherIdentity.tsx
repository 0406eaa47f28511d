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

import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { ClusterAccessReport } from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';
import { errorExplanation } from '../accessLabels';
import { ReadableErrorColour } from '../ReadableErrorColour';
import { StatusAnnouncement } from '../StatusAnnouncement';
import { FindingList } from './FindingList';
import { IdentityVerdict, verdictHeadline } from './IdentityVerdict';

const useStyles = makeStyles(theme => ({
  form: {
    display: 'grid',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  actions: { display: 'flex', gap: theme.spacing(1) },
  input: { fontFamily: 'monospace' },
  result: { marginTop: theme.spacing(2) },
}));

type CheckState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; error: Error }
  | { kind: 'done'; report: ClusterAccessReport };

/**
 * "Check another identity": the user pastes an ARN or the JSON printed by
 * `aws sts get-caller-identity` and sees that identity's verdict inline.
 */
export function CheckAnotherIdentity(props: { entityRef: string }) {
  const { entityRef } = props;
  const classes = useStyles();
  const api = useApi(eksAccessApiRef);
  const panelId = useId();
  const resultHeadingId = useId();
  const inputId = useId();
  const [open, setOpen] = useState(false);
  const [identity, setIdentity] = useState('');
  const [state, setState] = useState<CheckState>({ kind: 'idle' });
  const inputRef = useRef<HTMLTextAreaElement>(null);

  // Opening the form moves the keyboard focus into it; closing leaves it
  // on the toggle button, which stays where it is.
  useEffect(() => {
    if (open) {
      inputRef.current?.focus();
    }
  }, [open]);

  // Invalid input: back to the field, whose message is read with it.
  useEffect(() => {
    if (state.kind === 'invalid') {
      inputRef.current?.focus();
    }
  }, [state]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (state.kind === 'checking') {
      return;
    }
    const trimmed = identity.trim();
    if (!trimmed) {
      setState({
        kind: 'invalid',
        message:
          'Paste an ARN or the output of aws sts get-caller-identity first.',
      });
      return;
    }
    setState({ kind: 'checking' });
    try {
      const report = await api.checkIdentity({ entityRef, identity: trimmed });
      setState({ kind: 'done', report });
    } catch (e) {
      if (ResponseError.is(e) && e.statusCode === 400) {
        setState({ kind: 'invalid', message: e.cause.message });
      } else {
        setState({
          kind: 'failed',
          error: e instanceof Error ? e : new Error(String(e)),
        });
      }
    }
  };

  let announcement: string | undefined;
  if (state.kind === 'done') {
    const first = state.report.identities[0];
    announcement = first
      ? `Result for the pasted identity: ${verdictHeadline(first)}`
      : 'Checked; see the notes about the pasted identity.';
  } else if (state.kind === 'failed') {
    announcement = 'Could not check that identity.';
  }

  // One toggle button for the disclosure (WAI-ARIA disclosure pattern): it
  // stays in place, says whether the panel is expanded and which it controls.
  return (
    <ReadableErrorColour>
      <Button
        variant="outlined"
        size="small"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen(!open);
          if (open) {
            setState({ kind: 'idle' });
          }
        }}
      >
        Check another identity
      </Button>
      <div id={panelId} hidden={!open}>
        <form
          className={classes.form}
          onSubmit={submit}
          aria-label="Check another identity"
          noValidate
        >
          <TextField
            id={inputId}
            label="IAM ARN or output of aws sts get-caller-identity"
            placeholder={
              'arn:aws:iam::111122223333:role/MyRole\nor {"UserId": …, "Account": …, "Arn": …}'
            }
            multiline
            // Fixed rows: MUI's auto-sizing textarea logs "Too many
            // re-renders" when its width changes while it measures itself.
            rows={3}
            variant="outlined"
            size="small"
            value={identity}
            inputRef={inputRef}
            onChange={e => {
              setIdentity(e.target.value);
              if (state.kind === 'invalid') {
                setState({ kind: 'idle' });
              }
            }}
            error={state.kind === 'invalid'}
            helperText={
              state.kind === 'invalid'
                ? state.message
                : 'Nothing is stored; the ARN is only checked against this cluster.'
            }
            InputProps={{ classes: { input: classes.input } }}
          />
          <div className={classes.actions}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              size="small"
              // Not disabled while checking, so focus stays on the button.
              aria-disabled={state.kind === 'checking'}
            >
              {state.kind === 'checking' ? 'Checking…' : 'Check'}
            </Button>
          </div>
        </form>
        <StatusAnnouncement message={announcement} />
        <div>
          {state.kind === 'failed' && (
            <ResponseErrorPanel
              error={state.error}
              title={`Could not check that identity: ${errorExplanation(
                state.error,
              )}`}
            />
          )}
          {state.kind === 'done' && (
            <section
              className={classes.result}
              aria-labelledby={resultHeadingId}
            >
              <Typography variant="h6" component="h3" id={resultHeadingId}>
                Result for the pasted identity
              </Typography>
              {state.report.identities.map(access => (
                <IdentityVerdict
                  key={access.identity.callerArn}
                  access={access}
                />
              ))}
              <FindingList
                findings={state.report.notes ?? []}
                label="Notes about the pasted identity"
              />
            </section>
          )}
        </div>
      </div>
    </ReadableErrorColour>
  );
}
