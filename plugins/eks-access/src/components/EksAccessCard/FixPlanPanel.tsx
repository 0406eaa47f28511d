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

import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { type ReactNode, useId, useMemo, useState } from 'react';
import {
  describeScope,
  describeStep,
  PLAN_FORMATS,
  renderPlan,
  type FixPlan,
  type IdentityDiagnosis,
  type PermissionSummary,
  type PlanFormat,
} from '@eks-access/plugin-eks-access-common';
import { CommandBlock } from '../CommandBlock';

const useStyles = makeStyles(theme => ({
  root: { marginTop: theme.spacing(1.5) },
  steps: { margin: theme.spacing(0.5, 0, 1, 0), paddingLeft: theme.spacing(3) },
  tabs: { minHeight: 36 },
  tab: { minHeight: 36, textTransform: 'none' },
  panel: { marginTop: theme.spacing(1) },
}));

const FORMAT_LABELS: Record<PlanFormat, string> = {
  'aws-cli': 'AWS CLI',
  eksctl: 'eksctl',
  kubectl: 'kubectl',
  terraform: 'Terraform',
};

/** The plan in one format, or the error that kept it from rendering. */
function useRendered(
  plan: FixPlan,
  cluster: { name: string; region: string },
  format: PlanFormat,
): { text?: string; error?: string } {
  return useMemo(() => {
    try {
      return { text: renderPlan(plan, cluster, format) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [plan, cluster, format]);
}

/**
 * The one fix for an identity: its summary, its ordered steps, and the same
 * plan as AWS CLI, eksctl, kubectl and Terraform in tabs. The plan was
 * verified on the cluster's snapshot before the backend sent it.
 */
export function FixPlanView(props: {
  plan: FixPlan;
  cluster: { name: string; region: string };
  /** Replaces the card's "How to get in" heading (e.g. an approver's view of a grant). */
  heading?: ReactNode;
}) {
  const { plan, cluster, heading } = props;
  const classes = useStyles();
  const id = useId();
  const [format, setFormat] = useState<PlanFormat>('aws-cli');
  const rendered = useRendered(plan, cluster, format);
  return (
    <div className={classes.root} data-testid="fix-plan">
      <Typography variant="body2" component="h4">
        {heading ?? (
          <>
            <strong>How to get in</strong> (checked on the cluster’s current
            access data: it lets this identity in and changes no one else’s
            access)
          </>
        )}
      </Typography>
      <Typography variant="body2">{plan.summary}</Typography>
      <ol className={classes.steps} aria-label="Steps, in order">
        {plan.steps.map((step, i) => (
          <li key={i}>
            <Typography variant="body2">{describeStep(step)}</Typography>
          </li>
        ))}
      </ol>
      {plan.alsoAdmits?.length ? (
        <Typography variant="body2" color="textSecondary">
          Repairing aws-auth also restores access for {plan.alsoAdmits.length}{' '}
          other principal(s) whose entries were being ignored.
        </Typography>
      ) : null}
      <Tabs
        value={format}
        onChange={(_e, value: PlanFormat) => setFormat(value)}
        aria-label="Plan format"
        className={classes.tabs}
        indicatorColor="primary"
        textColor="primary"
        variant="scrollable"
        scrollButtons="auto"
      >
        {PLAN_FORMATS.map(f => (
          <Tab
            key={f}
            value={f}
            label={FORMAT_LABELS[f]}
            id={`${id}-tab-${f}`}
            aria-controls={`${id}-panel-${f}`}
            className={classes.tab}
          />
        ))}
      </Tabs>
      <div
        role="tabpanel"
        id={`${id}-panel-${format}`}
        aria-labelledby={`${id}-tab-${format}`}
        className={classes.panel}
      >
        {rendered.error && (
          <Alert severity="error">
            This plan could not be shown as {FORMAT_LABELS[format]}:{' '}
            {rendered.error}
          </Alert>
        )}
        {rendered.text !== undefined && rendered.text.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            Nothing to run in this form.
          </Typography>
        )}
        {rendered.text && <CommandBlock text={rendered.text} />}
      </div>
    </div>
  );
}

/** Who answered "what can it do": the cluster itself, or Backstage's reading of RBAC. */
function answeredByText(summary: PermissionSummary): string | undefined {
  const why = summary.fallbackReason
    ? ` (the cluster was not asked: ${summary.fallbackReason})`
    : '';
  switch (summary.answeredBy) {
    case 'SubjectAccessReview':
      return 'Answered by the cluster (SubjectAccessReview).';
    case 'RbacSnapshot':
      return `From the RBAC objects Backstage read${why}.`;
    default:
      return undefined;
  }
}

/** "whole cluster: read, secrets no" lines, or why nothing is listed. */
export function PermissionSummaryView(props: { summary: PermissionSummary }) {
  const { summary } = props;
  const answeredBy = answeredByText(summary);
  const source = answeredBy && (
    <Typography variant="body2" color="textSecondary">
      {answeredBy}
    </Typography>
  );
  if (summary.scopes.length === 0) {
    if (!summary.rbacKnown) return null;
    return (
      <>
        <Typography variant="body2">
          {summary.answeredBy === 'SubjectAccessReview'
            ? 'The cluster allows this identity none of the requests Backstage asked about.'
            : 'No RBAC binding or access policy gives this identity anything.'}
        </Typography>
        {source}
      </>
    );
  }
  return (
    <>
      <ul
        aria-label="What this identity can do"
        data-testid="permission-summary"
      >
        {summary.scopes.map(s => (
          <li key={s.namespace}>
            <Typography variant="body2">{describeScope(s)}</Typography>
          </li>
        ))}
        {!summary.rbacKnown && (
          <li>
            <Typography variant="body2" color="textSecondary">
              From access policies and system:masters only: Backstage could not
              read this cluster’s RBAC.
            </Typography>
          </li>
        )}
      </ul>
      {source}
    </>
  );
}

/** The plan, or the decision an admin must make instead. */
export function DiagnosisFix(props: {
  diagnosis: IdentityDiagnosis;
  cluster: { name: string; region: string };
}) {
  const { diagnosis, cluster } = props;
  if (diagnosis.plan) {
    return <FixPlanView plan={diagnosis.plan} cluster={cluster} />;
  }
  if (diagnosis.decisionNeeded) {
    return (
      <Alert severity="info" role="note" data-testid="decision-needed">
        <strong>No fix Backstage can prove safe.</strong>{' '}
        {diagnosis.decisionNeeded}
      </Alert>
    );
  }
  return null;
}
