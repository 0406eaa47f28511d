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
 * The admin "Access overview": for the fleet (or one cluster), every
 * principal that can get in and where it comes from, the hygiene findings
 * with links to their cluster, exports, and each cluster's migration
 * preview. Gated by eks-access.overview.read.
 */

import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  eksAccessOverviewReadPermission,
  MIGRATION_FORMATS,
  type MigrationFormat,
  type MigrationPreview,
} from '@eks-access/plugin-eks-access-common';
import Button from '@material-ui/core/Button';
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
import { CommandBlock } from '../CommandBlock';
import { StatusAnnouncement } from '../StatusAnnouncement';
import { MigrationProposals } from './MigrationProposals';
import {
  type OverviewFilter,
  useAccessOverviewRequests,
} from './useAccessOverview';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    alignItems: 'flex-end',
  },
  select: { minWidth: 200 },
  // MUI's grey label is 4.47:1 on the page background: below AA's 4.5:1.
  label: { color: theme.palette.text.primary },
  section: { marginTop: theme.spacing(4) },
  preview: { marginTop: theme.spacing(2) },
}));

const MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];
const FORMAT_LABELS: Record<MigrationFormat, string> = {
  'aws-cli': 'AWS CLI',
  eksctl: 'eksctl',
  terraform: 'Terraform',
};

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function MigrationPreviewPanel(props: { preview: MigrationPreview }) {
  const { plan, simulation, forms, cluster } = props.preview;
  const [format, setFormat] = useState<MigrationFormat>('aws-cli');
  const classes = useStyles();
  const headingId = `migration-${cluster.name}`;
  return (
    <section aria-labelledby={headingId} className={classes.preview}>
      <Typography variant="h6" component="h3" id={headingId}>
        Migration preview: {cluster.name}
      </Typography>
      <Typography>
        {simulation.summary}. {plan.entries.length} access entries;{' '}
        {plan.modeChanges.map(m => m.to).join(', then ')}.
      </Typography>
      {simulation.differences.length > 0 && (
        <Table size="small" aria-label={`Differences on ${cluster.name}`}>
          <TableHead>
            <TableRow>
              <TableCell>Principal</TableCell>
              <TableCell>After switching to</TableCell>
              <TableCell>Changes</TableCell>
              <TableCell>Before</TableCell>
              <TableCell>After</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {simulation.differences.map(d => (
              <TableRow key={`${d.principal}|${d.session}|${d.stage}`}>
                <TableCell>
                  <BreakableIdentifier text={d.principal} />
                </TableCell>
                <TableCell>{d.stage}</TableCell>
                <TableCell>{d.fields.join(', ')}</TableCell>
                <TableCell>
                  {d.before.decision}
                  {d.before.username ? ` as ${d.before.username}` : ''}
                </TableCell>
                <TableCell>
                  {d.after.decision}
                  {d.after.username ? ` as ${d.after.username}` : ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {plan.issues.length > 0 && (
        <ul
          aria-label={`What the migration of ${cluster.name} cannot carry over`}
        >
          {plan.issues.map(i => (
            <li key={`${i.code}|${i.subject}`}>
              <strong>{i.severity === 'blocker' ? 'Blocker' : 'Note'}</strong> (
              {i.code}): {i.message} {i.action}
            </li>
          ))}
        </ul>
      )}
      {/* Native selects: labelled for assistive technology (MUI's own
          Select leaves an unlabelled input behind). */}
      <TextField
        select
        SelectProps={{ native: true }}
        InputLabelProps={{ className: classes.label }}
        className={classes.select}
        label="Render as"
        id={`${headingId}-format`}
        value={format}
        onChange={e => setFormat(e.target.value as MigrationFormat)}
      >
        {MIGRATION_FORMATS.map(f => (
          <option key={f} value={f}>
            {FORMAT_LABELS[f]}
          </option>
        ))}
      </TextField>
      <CommandBlock text={forms[format]} />
      <MigrationProposals key={cluster.entityRef} preview={props.preview} />
    </section>
  );
}

/** The page's content, for both frontend systems. */
export function AccessOverviewContent() {
  const classes = useStyles();
  const { loading: checking, allowed } = usePermission({
    permission: eksAccessOverviewReadPermission,
  });
  const requests = useAccessOverviewRequests();
  const [filter, setFilter] = useState<OverviewFilter>({
    accountId: '',
    mode: '',
    principal: '',
  });
  const [preview, setPreview] = useState<{
    entityRef: string;
    loading: boolean;
    data?: MigrationPreview;
    error?: Error;
  }>();
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (allowed ? requests.overview(filter) : undefined),
    [allowed, filter, requests],
  );

  if (checking) return <Progress />;
  if (!allowed) {
    return (
      <Typography>
        The access overview is for EKS access administrators (permission
        eks-access.overview.read).
      </Typography>
    );
  }
  const accounts = [...new Set(value?.clusters.map(c => c.accountId) ?? [])];
  const showPreview = async (entityRef: string) => {
    setPreview({ entityRef, loading: true });
    try {
      setPreview({
        entityRef,
        loading: false,
        data: await requests.preview(entityRef),
      });
    } catch (e) {
      setPreview({ entityRef, loading: false, error: e as Error });
    }
  };

  return (
    <>
      <StatusAnnouncement
        message={
          loading
            ? 'Loading the access overview'
            : value &&
              `${value.rows.length} ways in on ${value.clusters.length} clusters, ${value.hygiene.length} findings`
        }
      />
      <form
        className={classes.filters}
        aria-label="Filters"
        onSubmit={e => e.preventDefault()}
      >
        <TextField
          select
          SelectProps={{ native: true }}
          InputLabelProps={{ className: classes.label }}
          className={classes.select}
          label="Account"
          id="overview-account"
          value={filter.accountId}
          onChange={e => setFilter({ ...filter, accountId: e.target.value })}
        >
          <option value="">All accounts</option>
          {accounts.map(a => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </TextField>
        <TextField
          select
          SelectProps={{ native: true }}
          InputLabelProps={{ className: classes.label }}
          className={classes.select}
          label="Authentication mode"
          id="overview-mode"
          value={filter.mode}
          onChange={e => setFilter({ ...filter, mode: e.target.value })}
        >
          <option value="">All modes</option>
          {MODES.map(m => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </TextField>
        <TextField
          id="overview-principal"
          label="Principal contains"
          InputLabelProps={{ className: classes.label }}
          value={filter.principal}
          onChange={e => setFilter({ ...filter, principal: e.target.value })}
        />
        <Button
          variant="outlined"
          onClick={async () =>
            download(
              'eks-access-overview.csv',
              'text/csv',
              await requests.csv(filter),
            )
          }
        >
          Export CSV
        </Button>
        <Button
          variant="outlined"
          disabled={!value}
          onClick={() =>
            download(
              'eks-access-overview.json',
              'application/json',
              JSON.stringify(value, null, 2),
            )
          }
        >
          Export JSON
        </Button>
      </form>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {error && (
        <Button variant="outlined" onClick={retry}>
          Retry
        </Button>
      )}
      {value && (
        <>
          <section aria-labelledby="overview-clusters">
            <Typography variant="h5" component="h2" id="overview-clusters">
              Clusters
            </Typography>
            <Table size="small" aria-labelledby="overview-clusters">
              <TableHead>
                <TableRow>
                  <TableCell>Cluster</TableCell>
                  <TableCell>Account</TableCell>
                  <TableCell>Region</TableCell>
                  <TableCell>Mode</TableCell>
                  <TableCell>Migration to access entries</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.clusters.map(c => (
                  <TableRow key={c.entityRef}>
                    <TableCell>
                      <EntityRefLink
                        entityRef={c.entityRef}
                        title={c.name}
                        underline="always"
                      />
                      {c.error ? ` (${c.error})` : ''}
                    </TableCell>
                    <TableCell>{c.accountId}</TableCell>
                    <TableCell>{c.region}</TableCell>
                    <TableCell>{c.mode ?? 'unknown'}</TableCell>
                    <TableCell>
                      {c.migration ? (
                        <>
                          {c.migration.summary}
                          {c.migration.blockers
                            ? `; ${c.migration.blockers} blocker(s)`
                            : ''}{' '}
                          <Button
                            size="small"
                            variant="outlined"
                            aria-label={`Preview the migration of ${c.name}`}
                            onClick={() => showPreview(c.entityRef)}
                          >
                            Preview
                          </Button>
                        </>
                      ) : (
                        'Already on access entries only'
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {preview?.loading && <Progress />}
            {preview?.error && <ResponseErrorPanel error={preview.error} />}
            {preview?.data && <MigrationPreviewPanel preview={preview.data} />}
          </section>
          <section
            aria-labelledby="overview-hygiene"
            className={classes.section}
          >
            <Typography variant="h5" component="h2" id="overview-hygiene">
              Hygiene findings ({value.hygiene.length})
            </Typography>
            {value.hygiene.length === 0 ? (
              <Typography>Nothing to clean up.</Typography>
            ) : (
              <ul>
                {value.hygiene.map((h, i) => (
                  <li key={`${h.entityRef}|${h.code}|${h.subject}|${i}`}>
                    <EntityRefLink
                      entityRef={h.entityRef}
                      title={h.cluster}
                      underline="always"
                    />{' '}
                    <strong>{h.code}</strong>: {h.message}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section
            aria-labelledby="overview-principals"
            className={classes.section}
          >
            <Typography variant="h5" component="h2" id="overview-principals">
              Who can get in ({value.rows.length})
            </Typography>
            <Table size="small" aria-labelledby="overview-principals">
              <TableHead>
                <TableRow>
                  <TableCell>Cluster</TableCell>
                  <TableCell>Principal</TableCell>
                  <TableCell>Source</TableCell>
                  <TableCell>Username</TableCell>
                  <TableCell>Groups</TableCell>
                  <TableCell>Access policies</TableCell>
                  <TableCell>Ignored because</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.rows.map((r, i) => (
                  <TableRow
                    key={`${r.entityRef}|${r.source}|${r.principal}|${i}`}
                  >
                    <TableCell>{r.cluster}</TableCell>
                    <TableCell>
                      <BreakableIdentifier text={r.principal} />
                    </TableCell>
                    <TableCell>
                      {r.source}
                      {r.type && r.type !== 'STANDARD' ? ` (${r.type})` : ''}
                    </TableCell>
                    <TableCell>
                      <BreakableIdentifier text={r.username} />
                    </TableCell>
                    <TableCell>{r.groups.join(', ')}</TableCell>
                    <TableCell>{r.accessPolicies.join(', ')}</TableCell>
                    <TableCell>{r.shadowedBy ?? ''}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </section>
        </>
      )}
    </>
  );
}

/** The legacy frontend system's page, with its header. */
export function AccessOverviewPage() {
  return (
    <Page themeId="tool">
      <Header title="EKS access overview" />
      <Content>
        <AccessOverviewContent />
      </Content>
    </Page>
  );
}
