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

/*
 * A cluster's migration stages as proposals: an admin proposes a stage
 * (accepting each listed difference explicitly), another approver approves
 * or rejects it, and the page shows what the stage did. The backend
 * enforces every rule; the buttons follow its `allowedActions`.
 */

import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  eksAccessMigrationApplyPermission,
  type MigrationPreview,
  type MigrationProposal,
  type MigrationProposalAction,
  type MigrationStageName,
} from '@eks-access/plugin-eks-access-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { BreakableIdentifier } from '../BreakableIdentifier';
import { StatusAnnouncement } from '../StatusAnnouncement';
import {
  useAccessOverviewRequests,
} from './useAccessOverview';

const useStyles = makeStyles(theme => ({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    maxWidth: 720,
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  // MUI's grey label is 4.47:1 on the page background: below AA's 4.5:1.
  label: { color: theme.palette.text.primary },
  actions: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' },
}));

export const STAGE_LABELS: Record<MigrationStageName, string> = {
  entries: 'Create the access entries (switches to API_AND_CONFIG_MAP)',
  final: 'Switch to API (cannot be undone)',
  rollback: 'Roll back (delete the entries the migration created)',
};

const ACTION_LABELS: Record<MigrationProposalAction, string> = {
  approve: 'Approve',
  reject: 'Reject',
  cancel: 'Cancel',
  retry: 'Retry',
};

function ProposalRow(props: {
  proposal: MigrationProposal;
  busy: boolean;
  onAction: (p: MigrationProposal, action: MigrationProposalAction) => void;
}) {
  const { proposal: p, busy, onAction } = props;
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell>{STAGE_LABELS[p.stage]}</TableCell>
      <TableCell>{p.state}</TableCell>
      <TableCell>
        {p.proposer}
        {p.comment ? `: ${p.comment}` : ''}
      </TableCell>
      <TableCell>{p.approver ?? ''}</TableCell>
      <TableCell>
        {p.accepted.length === 0
          ? 'none'
          : p.accepted.map(a => <BreakableIdentifier key={a} text={a} />)}
      </TableCell>
      <TableCell>
        {p.result?.message ?? p.error ?? p.summary}
        {p.result?.differingPrincipals.length
          ? ` Differing: ${p.result.differingPrincipals.join(', ')}`
          : ''}
      </TableCell>
      <TableCell>
        <div className={classes.actions}>
          {(p.allowedActions ?? []).map(action => (
            <Button
              key={action}
              size="small"
              variant="outlined"
              disabled={busy}
              aria-label={`${ACTION_LABELS[action]}: ${
                STAGE_LABELS[p.stage]
              } on ${p.cluster.name}`}
              onClick={() => onAction(p, action)}
            >
              {ACTION_LABELS[action]}
            </Button>
          ))}
        </div>
      </TableCell>
    </TableRow>
  );
}

/** The proposals of one cluster's migration, and the form to propose a stage. */
export function MigrationProposals(props: {
  preview: MigrationPreview;
}) {
  const { cluster, simulation, migration } = props.preview;
  const classes = useStyles();
  const requests = useAccessOverviewRequests();
  const { allowed: mayApply } = usePermission({
    permission: eksAccessMigrationApplyPermission,
  });
  const { value, loading, error, retry } = useAsyncRetry(
    () => requests.proposals(cluster.entityRef),
    [requests, cluster.entityRef],
  );
  const begun = !!props.preview.migrationId;
  const [stage, setStage] = useState<MigrationStageName>(
    begun ? 'final' : 'entries',
  );
  const [accepted, setAccepted] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  const [announcement, setAnnouncement] = useState<string>();
  const differing = [...new Set(simulation.differences.map(d => d.principal))];
  const headingId = `proposals-${cluster.name}`;

  const run = async (what: () => Promise<MigrationProposal>, done: string) => {
    setBusy(true);
    setActionError(undefined);
    try {
      const result = await what();
      setAnnouncement(
        `${done}: ${STAGE_LABELS[result.stage]} is ${result.state}`,
      );
      setComment('');
      retry();
    } catch (e) {
      setActionError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={headingId}>
      <StatusAnnouncement message={announcement} />
      <Typography variant="subtitle1" component="h4" id={headingId}>
        Migration stages of {cluster.name}
      </Typography>
      <Typography>
        Each stage runs only after another approver approves it; nobody approves
        their own proposal.
      </Typography>
      {migration && (
        <Typography>
          Migration begun {migration.createdAt}
          {migration.entriesVerifiedAt
            ? `; entries verified ${migration.entriesVerifiedAt}`
            : '; entries not verified yet'}
          {migration.finalNotBefore
            ? `; the switch to API can be approved after ${migration.finalNotBefore} (verification window).`
            : '.'}
        </Typography>
      )}
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.length === 0 && (
        <Typography>
          No stage has been proposed for {cluster.name} yet.
        </Typography>
      )}
      {value && value.length > 0 && (
        <Table size="small" aria-labelledby={headingId}>
          <TableHead>
            <TableRow>
              <TableCell>Stage</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Proposed by</TableCell>
              <TableCell>Approved by</TableCell>
              <TableCell>Accepted differences</TableCell>
              <TableCell>Result</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.map(p => (
              <ProposalRow
                key={p.id}
                proposal={p}
                busy={busy}
                onAction={(proposal, action) =>
                  run(
                    () =>
                      requests.act(proposal.id, action, comment || undefined),
                    ACTION_LABELS[action],
                  )
                }
              />
            ))}
          </TableBody>
        </Table>
      )}
      {actionError && <ResponseErrorPanel error={actionError} />}
      {mayApply ? (
        <form
          className={classes.form}
          aria-label={`Propose a migration stage for ${cluster.name}`}
          onSubmit={e => {
            e.preventDefault();
            run(
              () =>
                requests.propose({
                  entityRef: cluster.entityRef,
                  stage,
                  ...(stage === 'entries' && !begun
                    ? { accept: accepted }
                    : {}),
                  ...(comment ? { comment } : {}),
                }),
              'Proposed',
            );
          }}
        >
          <TextField
            select
            SelectProps={{ native: true }}
            InputLabelProps={{ className: classes.label }}
            label="Stage"
            id={`${headingId}-stage`}
            value={stage}
            onChange={e => setStage(e.target.value as MigrationStageName)}
          >
            {(Object.keys(STAGE_LABELS) as MigrationStageName[]).map(s => (
              <option key={s} value={s}>
                {STAGE_LABELS[s]}
              </option>
            ))}
          </TextField>
          {stage === 'entries' && !begun && differing.length > 0 && (
            <fieldset>
              <legend>
                Accept each difference explicitly (the approver sees them)
              </legend>
              {differing.map(principal => (
                <FormControlLabel
                  key={principal}
                  control={
                    <Checkbox
                      checked={accepted.includes(principal)}
                      onChange={e =>
                        setAccepted(
                          e.target.checked
                            ? [...accepted, principal]
                            : accepted.filter(a => a !== principal),
                        )
                      }
                    />
                  }
                  label={`Accept the change for ${principal}`}
                />
              ))}
            </fieldset>
          )}
          <TextField
            id={`${headingId}-comment`}
            label="Comment (optional; also sent with approve or reject)"
            InputLabelProps={{ className: classes.label }}
            value={comment}
            inputProps={{ maxLength: 2000 }}
            onChange={e => setComment(e.target.value)}
          />
          <div>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={busy}
            >
              Propose this stage
            </Button>
          </div>
        </form>
      ) : (
        <Typography>
          Proposing and approving stages needs the permission
          eks-access.migration.apply.
        </Typography>
      )}
    </section>
  );
}
