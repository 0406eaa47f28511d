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

import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import LinearProgress from '@material-ui/core/LinearProgress';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import {
  durationLabel,
  namespaceProblem,
  parseNamespaces,
  type AccessRequest,
  type IdentityAccess,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';
import { errorExplanation } from '../accessLabels';
import { ReadableErrorColour } from '../ReadableErrorColour';
import { scopeLabel } from '../AccessRequests/requestLabels';
import {
  durationChoices,
  initialRequestFormValues,
  liveRequestFormErrors,
  principalWithoutPath,
  requestablePrincipals,
  requestBody,
  requestFormFields,
  unverifiedPrincipals,
  validateRequestForm,
  valuesForLevel,
  withProvenIdentity,
  type RequestFormValues,
} from './requestForm';
import { useAccessLevels } from './useAccessLevels';

const useStyles = makeStyles(theme => ({
  field: { marginTop: theme.spacing(2) },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0, 0, 0),
  },
  levelFacts: { marginTop: theme.spacing(0.5) },
  unavailableList: { margin: 0, paddingLeft: theme.spacing(2.5) },
}));

/** Props of {@link RequestAccessDialog}. */
export interface RequestAccessDialogProps {
  open: boolean;
  /** The cluster's catalog entity ref. */
  entityRef: string;
  /** The cluster's name, for the title. */
  clusterName: string;
  /** The user's identities and their verdicts on this cluster. */
  identities: IdentityAccess[];
  onClose: () => void;
  /** Called once the backend has accepted the request. */
  onCreated?: (request: AccessRequest) => void;
}

/** The id of a field's input, from the dialog's title id. */
function fieldId(titleId: string, field: keyof RequestFormValues): string {
  return `${titleId}-${field}`;
}

/**
 * The "Request access" dialog: which identity, which access level, where
 * (whole cluster or namespaces), for how long, and why. Invalid input is
 * explained under each field; the backend's own refusal appears above the
 * buttons. After a successful request it confirms what was sent.
 */
export function RequestAccessDialog(props: RequestAccessDialogProps) {
  const { open, entityRef, clusterName, identities, onClose, onCreated } =
    props;
  const classes = useStyles();
  const api = useApi(eksAccessApiRef);
  const titleId = useId();
  // The identity proven with a kubectl token may be requested too.
  const [proven, setProven] = useState<ResolvedIdentity>();
  const principals = withProvenIdentity(
    requestablePrincipals(identities),
    proven,
  );
  const unverified = unverifiedPrincipals(identities).filter(
    u =>
      !proven ||
      principalWithoutPath(u.principalArn) !==
        principalWithoutPath(proven.principalArn),
  );

  const {
    levels,
    maxReasonLength,
    error: levelsError,
    retry: loadLevels,
  } = useAccessLevels(entityRef, open);
  const [values, setValues] = useState(() =>
    initialRequestFormValues(principals),
  );
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<Error>();
  const [created, setCreated] = useState<AccessRequest>();
  // Counts failed submits, so that each one is announced again.
  const [failedSubmits, setFailedSubmits] = useState(0);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) {
      setValues(initialRequestFormValues(requestablePrincipals(identities)));
      setSubmitted(false);
      setServerError(undefined);
      setCreated(undefined);
      setFailedSubmits(0);
      // Without a proof (or when it cannot be read) the resolvers' identities remain.
      setProven(undefined);
      api
        .getIdentityProof({})
        .then(result => setProven(result.proof?.identity))
        .catch(() => setProven(undefined));
    }
    // Only when the dialog opens: the identities do not change meanwhile.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  // Once the levels are in, the first available one is chosen unless one
  // already is.
  useEffect(() => {
    if (levels) {
      setValues(v =>
        v.level
          ? v
          : valuesForLevel(v, levels.find(l => !l.unavailable) ?? levels[0]),
      );
    }
  }, [levels]);

  // The form is gone: focus "Done" once it is rendered and enabled. A timer
  // set in submit() could run before React re-renders, while the button is
  // still disabled, and the focus would be lost to the page.
  const createdId = created?.id;
  useEffect(() => {
    if (createdId && !busy) closeRef.current?.focus();
  }, [createdId, busy]);

  const level = levels?.find(l => l.name === values.level);
  const errors = validateRequestForm(values, level, maxReasonLength);
  // Before the first submit, only mistakes worth saying while typing.
  const live = liveRequestFormErrors(values, errors, maxReasonLength);
  const shown = (field: keyof RequestFormValues): string | undefined =>
    submitted ? errors[field] : live[field];

  const set = <K extends keyof RequestFormValues>(
    key: K,
    value: RequestFormValues[K],
  ) => {
    setValues(v => ({ ...v, [key]: value }));
    setServerError(undefined);
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) {
      return;
    }
    setSubmitted(true);
    if (Object.keys(errors).length > 0 || !level) {
      // Focus the first field that needs attention; its label and message
      // are read with it, and the summary below is announced.
      setFailedSubmits(n => n + 1);
      const first = requestFormFields.find(([field]) => errors[field]);
      if (first) {
        const input = document.getElementById(fieldId(titleId, first[0]));
        (
          input?.querySelector<HTMLElement>('input:checked, input') ?? input
        )?.focus();
      }
      return;
    }
    setBusy(true);
    setServerError(undefined);
    try {
      const request = await api.createAccessRequest(
        requestBody(values, entityRef),
      );
      setCreated(request);
      onCreated?.(request);
    } catch (e) {
      setServerError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };

  const invalidFields = requestFormFields
    .filter(([field]) => errors[field])
    .map(([, words]) => words);
  const namespaces = parseNamespaces(values.namespaces);
  const reasonLength = values.reason.trim().length;

  let body;
  if (created) {
    body = (
      <DialogContent>
        <Alert severity="success" role="status">
          Request sent: {created.level} on {clusterName} (
          {scopeLabel(created.scope)}, {durationLabel(created.durationSeconds)})
          for {created.principalArn}. It needs {created.approvalsRequired}{' '}
          {created.approvalsRequired === 1 ? 'approval' : 'approvals'}; the
          cluster’s approvers have been notified. This card updates when it is
          decided.
        </Alert>
      </DialogContent>
    );
  } else if (principals.length === 0) {
    body = (
      <DialogContent>
        <Alert severity="info">
          {unverified.length > 0
            ? 'Your identities come only from data you could have written yourself, so access cannot be requested for them yet. Prove the identity your kubectl uses with “Verify the identity my kubectl uses” on this card, then request access again.'
            : 'None of your identities is an IAM role or user that access can be granted to. Declare your IAM identities on your user entity first.'}
        </Alert>
      </DialogContent>
    );
  } else if (levelsError) {
    body = (
      <DialogContent>
        <Alert
          severity="error"
          role="alert"
          action={
            <Button color="inherit" size="small" onClick={loadLevels}>
              Retry
            </Button>
          }
        >
          Could not load the access levels: {errorExplanation(levelsError)}
        </Alert>
      </DialogContent>
    );
  } else if (!levels) {
    body = (
      <DialogContent>
        <LinearProgress aria-label="Loading access levels" />
      </DialogContent>
    );
  } else if (levels.length === 0) {
    body = (
      <DialogContent>
        <Alert severity="info">
          No access levels are offered on {clusterName}. Ask the cluster’s
          owners for access.
        </Alert>
      </DialogContent>
    );
  } else {
    body = (
      <DialogContent>
        <TextField
          id={fieldId(titleId, 'principalArn')}
          select
          SelectProps={{ native: true }}
          label="Identity"
          // The dialog opens on its first field, not on its container.
          // eslint-disable-next-line jsx-a11y/no-autofocus -- WAI-ARIA dialog pattern: focus moves into the dialog it opens
          autoFocus
          value={values.principalArn}
          onChange={e => set('principalArn', e.target.value)}
          fullWidth
          variant="outlined"
          className={classes.field}
          error={!!shown('principalArn')}
          helperText={
            shown('principalArn') ??
            'The IAM role or user to grant; a role covers all its sessions.'
          }
        >
          {principals.map(p => (
            <option key={p.principalArn} value={p.principalArn}>
              {p.label} — {p.principalArn}
              {p.hasAccess ? ' (has access)' : ''}
            </option>
          ))}
        </TextField>
        {unverified.length > 0 && (
          <Typography variant="body2" className={classes.field}>
            Not offered until you prove that you use{' '}
            {unverified.length === 1 ? 'it' : 'them'} with “Verify the identity
            my kubectl uses”:{' '}
            {unverified.map(u => `${u.label} (${u.reason})`).join('; ')}.
          </Typography>
        )}

        <TextField
          id={fieldId(titleId, 'level')}
          select
          SelectProps={{ native: true }}
          label="Access level"
          value={values.level}
          onChange={e =>
            setValues(v =>
              valuesForLevel(
                v,
                levels.find(l => l.name === e.target.value),
              ),
            )
          }
          fullWidth
          variant="outlined"
          className={classes.field}
          error={!!shown('level')}
          helperText={shown('level') ?? level?.description}
        >
          {levels.map(l => (
            <option key={l.name} value={l.name} disabled={!!l.unavailable}>
              {l.title}
              {l.unavailable ? ' (not available on this cluster)' : ''}
            </option>
          ))}
        </TextField>
        {levels.some(l => l.unavailable) && (
          <Typography
            variant="caption"
            component="div"
            color="textSecondary"
            className={classes.levelFacts}
            data-testid="unavailable-levels"
          >
            Not available on {clusterName}:
            <ul className={classes.unavailableList}>
              {levels
                .filter(l => l.unavailable)
                .map(l => (
                  <li key={l.name}>
                    {l.title}: {l.unavailable!.reason}
                  </li>
                ))}
            </ul>
          </Typography>
        )}
        {level && (
          <Typography
            variant="caption"
            component="p"
            color="textSecondary"
            className={classes.levelFacts}
          >
            At most {durationLabel(level.maxDurationSeconds)};{' '}
            {level.approvalsRequired}{' '}
            {level.approvalsRequired === 1 ? 'approval' : 'approvals'} needed.
          </Typography>
        )}

        <FormControl
          component="fieldset"
          className={classes.field}
          error={!!shown('scopeType')}
        >
          <FormLabel component="legend">Scope</FormLabel>
          <RadioGroup
            id={fieldId(titleId, 'scopeType')}
            row
            value={values.scopeType}
            onChange={e =>
              set('scopeType', e.target.value as 'cluster' | 'namespace')
            }
          >
            <FormControlLabel
              value="cluster"
              control={<Radio />}
              label="Whole cluster"
              disabled={!level?.scopes.includes('cluster')}
            />
            <FormControlLabel
              value="namespace"
              control={<Radio />}
              label="Namespaces"
              disabled={!level?.scopes.includes('namespace')}
            />
          </RadioGroup>
          {shown('scopeType') && (
            <FormHelperText>{shown('scopeType')}</FormHelperText>
          )}
        </FormControl>

        {values.scopeType === 'namespace' && (
          <div>
            <TextField
              id={fieldId(titleId, 'namespaces')}
              label="Namespaces"
              required
              value={values.namespaces}
              onChange={e => set('namespaces', e.target.value)}
              fullWidth
              variant="outlined"
              className={classes.field}
              error={!!shown('namespaces')}
              helperText={
                shown('namespaces') ??
                `Separate with commas or spaces.${
                  level?.namespaceWildcards
                    ? ' A trailing * matches a prefix, e.g. dev-*.'
                    : ''
                }`
              }
            />
            {namespaces.length > 0 && (
              <ul className={classes.chips} aria-label="Namespaces to request">
                {namespaces.map(n => (
                  <li key={n}>
                    <Chip
                      size="small"
                      label={n}
                      color={
                        level && namespaceProblem(n, level.namespaceWildcards)
                          ? 'secondary'
                          : 'default'
                      }
                    />
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        <TextField
          id={fieldId(titleId, 'durationSeconds')}
          select
          SelectProps={{ native: true }}
          label="Duration"
          value={String(values.durationSeconds)}
          onChange={e => set('durationSeconds', Number(e.target.value))}
          fullWidth
          variant="outlined"
          className={classes.field}
          error={!!shown('durationSeconds')}
          helperText={
            shown('durationSeconds') ?? 'Counted from when access is granted.'
          }
        >
          {durationChoices(level?.maxDurationSeconds ?? 3600).map(d => (
            <option key={d} value={String(d)}>
              {durationLabel(d)}
              {d === level?.maxDurationSeconds ? ' (maximum)' : ''}
            </option>
          ))}
        </TextField>

        <TextField
          id={fieldId(titleId, 'reason')}
          label="Reason"
          required
          value={values.reason}
          onChange={e => set('reason', e.target.value)}
          multiline
          minRows={3}
          fullWidth
          variant="outlined"
          className={classes.field}
          error={!!shown('reason')}
          helperText={shown('reason') ?? `${reasonLength}/${maxReasonLength}`}
        />

        <TextField
          id={fieldId(titleId, 'ticketUrl')}
          label="Ticket link (optional)"
          value={values.ticketUrl}
          onChange={e => set('ticketUrl', e.target.value)}
          fullWidth
          variant="outlined"
          className={classes.field}
          error={!!shown('ticketUrl')}
          helperText={shown('ticketUrl')}
          inputProps={{ inputMode: 'url' }}
        />

        {submitted && failedSubmits > 0 && invalidFields.length > 0 && (
          <Alert
            key={failedSubmits}
            severity="error"
            role="alert"
            className={classes.field}
          >
            {invalidFields.length === 1
              ? `Check ${invalidFields[0]}.`
              : `Check these fields: ${invalidFields.join(', ')}.`}
          </Alert>
        )}
        {serverError && (
          <Alert severity="error" role="alert" className={classes.field}>
            {errorExplanation(serverError)}
          </Alert>
        )}
      </DialogContent>
    );
  }

  const canSubmit = !created && !!levels && levels.length > 0;

  return (
    <ReadableErrorColour>
      <Dialog
        open={open}
        onClose={busy ? undefined : onClose}
        aria-labelledby={titleId}
        fullWidth
        maxWidth="sm"
        PaperProps={
          { component: 'form', onSubmit: submit, noValidate: true } as object
        }
      >
        <DialogTitle id={titleId}>Request access to {clusterName}</DialogTitle>
        {body}
        <DialogActions>
          <Button ref={closeRef} onClick={onClose} disabled={busy}>
            {created ? 'Done' : 'Cancel'}
          </Button>
          {canSubmit && principals.length > 0 && (
            <Button
              type="submit"
              color="primary"
              variant="contained"
              // Not disabled while sending: focus stays on the button, and
              // submit() ignores a second press.
              aria-disabled={busy}
              startIcon={
                busy ? (
                  <CircularProgress size={16} aria-hidden="true" />
                ) : undefined
              }
            >
              {busy ? 'Submitting…' : 'Submit request'}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </ReadableErrorColour>
  );
}
