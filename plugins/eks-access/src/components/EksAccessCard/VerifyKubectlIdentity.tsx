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
import type {
  IdentityProofChallenge,
  IdentityProofResult,
} from '@eks-access/plugin-eks-access-common';
import { FormEvent, useEffect, useId, useState } from 'react';
import { eksAccessApiRef } from '../../api';
import { errorExplanation } from '../accessLabels';
import { IdentityVerdict } from './IdentityVerdict';
import { CommandBlock } from '../CommandBlock';

const useStyles = makeStyles(theme => ({
  form: { display: 'grid', gap: theme.spacing(1), marginTop: theme.spacing(1) },
  row: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
  input: { fontFamily: 'monospace' },
  result: { marginTop: theme.spacing(2) },
  arn: { fontFamily: 'monospace', wordBreak: 'break-all' },
}));

type State =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'ready'; challenge: IdentityProofChallenge }
  | { kind: 'verifying'; challenge: IdentityProofChallenge }
  | { kind: 'invalid'; challenge: IdentityProofChallenge; message: string }
  | { kind: 'failed'; error: Error };

/** The command with the user's profile, role and the cluster's region. */

/** Where Backstage learned an identity, in words. */
function sourceDescription(source: string): string {
  if (source === 'identity-center') return 'IAM Identity Center';
  if (source === 'annotation') return 'your User entity';
  return 'its configuration';
}

export function proofCommand(
  challenge: IdentityProofChallenge,
  options: { region?: string; profile?: string; roleArn?: string },
): string {
  return [
    challenge.command,
    options.region ? `--region ${options.region}` : '',
    options.roleArn?.trim() ? `--role-arn ${options.roleArn.trim()}` : '',
    options.profile?.trim() ? `--profile ${options.profile.trim()}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The verified identity, whether it is one of the user's, and its verdict here. */
function ProofResult(props: { result: IdentityProofResult }) {
  const classes = useStyles();
  const headingId = useId();
  const { proof, matches, report } = props.result;
  if (!proof) return null;
  const access = report?.identities[0];
  const notMapped = access?.verdict.findings.some(f => f.code === 'NOT_MAPPED');
  return (
    <section className={classes.result} aria-labelledby={headingId}>
      <Typography variant="h6" component="h3" id={headingId}>
        kubectl on your machine is using:{' '}
        <span className={classes.arn}>{proof.identity.callerArn}</span>{' '}
        (verified)
      </Typography>
      <Typography variant="body2">
        {matches
          ? `This is your identity ${
              matches.label
            }, which Backstage knows from ${sourceDescription(matches.source)}.`
          : 'This is not one of the identities Backstage knows for you. If you meant to use another one, check AWS_PROFILE, the --profile and --role-arn in your kubeconfig, and run aws sts get-caller-identity.'}
      </Typography>
      {access && notMapped && (
        <Typography variant="body2">
          This identity is not mapped in this cluster: kubectl will get 401
          Unauthorized. That is the most common cause of “You must be logged in
          to the server”.
        </Typography>
      )}
      {access && <IdentityVerdict access={access} />}
    </section>
  );
}

/**
 * "Verify the identity my kubectl uses": a single-use code becomes the
 * cluster name of an `aws eks get-token` command; the user pastes its output
 * and sees which IAM identity kubectl really uses, proven, with its verdict.
 */
export function VerifyKubectlIdentity(props: {
  entityRef: string;
  region?: string;
}) {
  const { entityRef, region } = props;
  const classes = useStyles();
  const api = useApi(eksAccessApiRef);
  const formId = useId();
  const profileId = useId();
  const roleArnId = useId();
  const pastedId = useId();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [result, setResult] = useState<IdentityProofResult>({});
  const [pasted, setPasted] = useState('');
  const [profile, setProfile] = useState('');
  const [roleArn, setRoleArn] = useState('');

  // A proof made earlier in this session is shown with this cluster's verdict.
  useEffect(() => {
    let cancelled = false;
    api
      .getIdentityProof({ entityRef })
      .then(r => !cancelled && setResult(r ?? {}))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [api, entityRef]);

  const start = async () => {
    setState({ kind: 'starting' });
    setPasted('');
    try {
      setState({ kind: 'ready', challenge: await api.startIdentityProof() });
    } catch (e) {
      setState({
        kind: 'failed',
        error: e instanceof Error ? e : new Error(String(e)),
      });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!('challenge' in state)) return;
    const { challenge } = state;
    if (!pasted.trim()) {
      setState({
        kind: 'invalid',
        challenge,
        message: 'Paste the output of the command first.',
      });
      return;
    }
    setState({ kind: 'verifying', challenge });
    try {
      const verified = await api.verifyIdentityProof({
        nonce: challenge.nonce,
        token: pasted.trim(),
        entityRef,
      });
      setPasted('');
      setResult(verified);
      setState({ kind: 'idle' });
    } catch (e) {
      if (ResponseError.is(e) && e.statusCode === 400) {
        setState({ kind: 'invalid', challenge, message: e.cause.message });
      } else {
        setState({
          kind: 'failed',
          error: e instanceof Error ? e : new Error(String(e)),
        });
      }
    }
  };

  const challenge = 'challenge' in state ? state.challenge : undefined;
  return (
    <div id={formId}>
      {!challenge && (
        <Button
          variant="outlined"
          size="small"
          onClick={start}
          disabled={state.kind === 'starting'}
        >
          {result.proof
            ? 'Verify my kubectl identity again'
            : 'Verify the identity my kubectl uses'}
        </Button>
      )}
      {challenge && (
        <form
          className={classes.form}
          onSubmit={submit}
          aria-label="Verify the identity my kubectl uses"
          noValidate
        >
          <Typography variant="body2">
            Run this where you run kubectl and paste its output. It proves which
            IAM identity your AWS CLI uses without giving Backstage any
            credentials; the code works once, until{' '}
            {new Date(challenge.expiresAt).toLocaleTimeString()}.
          </Typography>
          <div className={classes.row}>
            <TextField
              id={profileId}
              label="AWS profile (optional)"
              size="small"
              variant="outlined"
              value={profile}
              onChange={e => setProfile(e.target.value)}
            />
            <TextField
              id={roleArnId}
              label="--role-arn of your kubeconfig (optional)"
              size="small"
              variant="outlined"
              value={roleArn}
              onChange={e => setRoleArn(e.target.value)}
            />
          </div>
          <CommandBlock
            text={proofCommand(challenge, { region, profile, roleArn })}
          />
          <TextField
            id={pastedId}
            label="Output of the command, or its k8s-aws-v1. token"
            multiline
            minRows={3}
            variant="outlined"
            size="small"
            value={pasted}
            onChange={e => {
              setPasted(e.target.value);
              if (state.kind === 'invalid') {
                setState({ kind: 'ready', challenge });
              }
            }}
            error={state.kind === 'invalid'}
            helperText={
              state.kind === 'invalid'
                ? state.message
                : 'Only the identity STS confirms is kept; the token is never stored.'
            }
            InputProps={{ classes: { input: classes.input } }}
          />
          <div className={classes.row}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              size="small"
              disabled={state.kind === 'verifying'}
            >
              {state.kind === 'verifying' ? 'Verifying…' : 'Verify'}
            </Button>
            <Button size="small" onClick={() => setState({ kind: 'idle' })}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      <div aria-live="polite">
        {state.kind === 'failed' && (
          <ResponseErrorPanel
            error={state.error}
            title={`Could not verify: ${errorExplanation(state.error)}`}
          />
        )}
        <ProofResult result={result} />
      </div>
    </div>
  );
}
