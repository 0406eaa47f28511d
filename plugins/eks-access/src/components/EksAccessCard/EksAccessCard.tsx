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

import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Divider from '@material-ui/core/Divider';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  type ClusterAccessReport,
  eksAccessRequestCreatePermission,
  isEksClusterEntity,
} from '@eks-access/plugin-eks-access-common';
import { useEffect, useRef, useState } from 'react';
import { errorExplanation } from '../accessLabels';
import { useAccessRequests } from '../AccessRequests/useAccessRequests';
import { useAccessRequestSignal } from '../AccessRequests/useAccessRequestSignal';
import { StatusAnnouncement } from '../StatusAnnouncement';
import {
  RequestAccessDialog,
  requestablePrincipals,
  unverifiedPrincipals,
} from '../RequestAccessDialog';
import { CheckAnotherIdentity } from './CheckAnotherIdentity';
import { ClusterFacts } from './ClusterFacts';
import { FindingList } from './FindingList';
import { IdentityVerdict } from './IdentityVerdict';
import { IdentityProvenanceList } from './IdentityProvenance';
import { MyAccessRequests } from './MyAccessRequests';
import { NoIdentitiesEmptyState } from './NoIdentitiesEmptyState';
import { RecentAttempts } from './RecentAttempts';
import { RecentDenials } from './RecentDenials';
import { useClusterAccessReport } from './useClusterAccessReport';
import { VerifyKubectlIdentity } from './VerifyKubectlIdentity';

/**
 * Props of the EKS Access entity card (`EntityEksAccessCard`).
 *
 * @public
 */
export interface EksAccessCardProps {
  /**
   * Replaces the built-in request dialog: the "Request access" button calls
   * this instead (e.g. to open an external ticketing flow).
   */
  onRequestAccess?: (report: ClusterAccessReport) => void;
}

/** How often the card re-reads its requests while one is undecided and no signals arrive. */
const POLL_WITHOUT_SIGNALS_MS = 30_000;

const useStyles = makeStyles(theme => ({
  block: { marginTop: theme.spacing(2) },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
  refreshing: { marginBottom: theme.spacing(1) },
}));

/** The one-glance answer shown under the card's title. */
export function summarizeReport(report: ClusterAccessReport): string {
  const verdicts = report.identities.map(access => access.verdict);
  if (verdicts.length === 0) {
    return 'We don’t know your AWS identities yet';
  }
  if (verdicts.some(v => v.decision === 'allowed' && !v.expectForbidden)) {
    return 'You can reach this cluster';
  }
  if (verdicts.some(v => v.decision === 'allowed')) {
    return 'You can sign in, but will get Forbidden';
  }
  if (verdicts.some(v => v.decision === 'unknown')) {
    return 'Your access could not be determined';
  }
  return 'You cannot reach this cluster';
}

function LoadingSkeleton() {
  return (
    <div role="progressbar" aria-label="Checking your access" aria-busy="true">
      <Skeleton variant="text" width="40%" />
      <Skeleton variant="text" width="70%" />
      <Skeleton variant="rect" height={56} />
      <Skeleton variant="text" width="55%" />
      <Skeleton variant="text" width="35%" />
    </div>
  );
}

/**
 * The EKS access card of a cluster entity: for each of the signed-in user's
 * IAM identities, whether EKS lets it in, as whom, with what rights, and if
 * not, why and how to fix it.
 *
 * @public
 */
export function EksAccessCard(props: EksAccessCardProps) {
  const { onRequestAccess } = props;
  const classes = useStyles();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { report, error, loading, refresh, retry } =
    useClusterAccessReport(entityRef);
  const requests = useAccessRequests({ entityRef, mine: true });
  const reloadRequests = requests.reload;
  const canCreate = usePermission({
    permission: eksAccessRequestCreatePermission,
  });
  const [dialogOpen, setDialogOpen] = useState(false);

  // A decision or a change on the cluster: show the new state. Without the
  // signals plugin, poll while a request is undecided.
  const { isSignalsAvailable } = useAccessRequestSignal(
    reloadRequests,
    entityRef,
  );
  const undecided = requests.items?.some(r =>
    ['pending', 'approved'].includes(r.state),
  );
  useEffect(() => {
    if (isSignalsAvailable || !undecided) {
      return undefined;
    }
    const timer = setInterval(reloadRequests, POLL_WITHOUT_SIGNALS_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, undecided, reloadRequests]);

  // A grant that became active or ended changes the verdict: check again.
  const activeIds = requests.items
    ?.filter(r => r.state === 'active')
    .map(r => r.id)
    .join(' ');
  const previousActiveIds = useRef(activeIds);
  useEffect(() => {
    const previous = previousActiveIds.current;
    previousActiveIds.current = activeIds;
    if (
      previous !== undefined &&
      activeIds !== undefined &&
      previous !== activeIds
    ) {
      refresh();
    }
  }, [activeIds, refresh]);

  const refreshButton = (
    <Tooltip title="Check again now">
      <span>
        <IconButton
          aria-label="Refresh access check"
          // Not disabled while checking: a disabled button drops the focus.
          aria-disabled={loading}
          onClick={loading ? undefined : refresh}
        >
          <RefreshIcon />
        </IconButton>
      </span>
    </Tooltip>
  );

  const retryPanel = error && (
    <div>
      <ResponseErrorPanel
        error={error}
        title={`Could not check your access: ${errorExplanation(error)}`}
      />
      <div className={classes.actions}>
        <Button variant="outlined" size="small" onClick={retry}>
          Retry
        </Button>
      </div>
    </div>
  );

  // After a check that follows an earlier one, say its answer.
  const checkedBefore = useRef(false);
  if (report && loading) {
    checkedBefore.current = true;
  }
  const announcement =
    checkedBefore.current && report && !loading
      ? `Access checked again: ${summarizeReport(report)}`
      : undefined;

  const usable = report?.identities.some(
    access =>
      access.verdict.decision === 'allowed' && !access.verdict.expectForbidden,
  );

  // An entity shown the card on a guess (a Kubernetes cluster that may be
  // declared as EKS in the Kubernetes plugin's config, which only the
  // backend reads): not an EKS cluster after all, so no card.
  if (
    error &&
    ResponseError.is(error) &&
    error.response.status === 404 &&
    !isEksClusterEntity(entity)
  ) {
    return null;
  }

  return (
    <InfoCard
      title="EKS access"
      // A heading, so the card can be found by heading navigation.
      titleTypographyProps={{ component: 'h2' }}
      subheader={report ? summarizeReport(report) : undefined}
      action={refreshButton}
    >
      {!report && loading && <LoadingSkeleton />}
      {report && loading && (
        <LinearProgress
          className={classes.refreshing}
          aria-label="Refreshing your access check"
        />
      )}
      <StatusAnnouncement message={announcement} />
      {retryPanel}
      {report && (
        <>
          {report.identities.length === 0 ? (
            <NoIdentitiesEmptyState notes={report.notes} />
          ) : (
            <>
              <FindingList
                findings={report.clusterFindings ?? []}
                label="About this cluster’s access data"
              />
              {report.identities.map(access => (
                <IdentityVerdict
                  key={access.identity.callerArn}
                  access={access}
                  cluster={report.cluster}
                />
              ))}
              <FindingList
                findings={report.notes ?? []}
                label="Notes about your identities"
              />
              <IdentityProvenanceList
                identities={report.identities.map(a => a.identity)}
              />
            </>
          )}
          {canCreate.allowed &&
            // unverified ones too: the dialog says how to prove them
            (requestablePrincipals(report.identities).length > 0 ||
              unverifiedPrincipals(report.identities).length > 0) && (
              <div className={classes.actions}>
                <Button
                  variant={usable ? 'outlined' : 'contained'}
                  color="primary"
                  size="small"
                  onClick={() =>
                    onRequestAccess
                      ? onRequestAccess(report)
                      : setDialogOpen(true)
                  }
                >
                  {usable ? 'Request more access' : 'Request access'}
                </Button>
              </div>
            )}
          <div className={classes.block}>
            <MyAccessRequests requests={requests} onChanged={reloadRequests} />
          </div>
          <RequestAccessDialog
            open={dialogOpen}
            entityRef={entityRef}
            clusterName={report.cluster.name}
            identities={report.identities}
            onClose={() => setDialogOpen(false)}
            onCreated={reloadRequests}
          />
          {report.identities.length > 0 && (
            <div className={classes.block}>
              <RecentAttempts entityRef={entityRef} report={report} />
            </div>
          )}
          <div className={classes.block}>
            <CheckAnotherIdentity entityRef={entityRef} />
          </div>
          <div className={classes.block}>
            <VerifyKubectlIdentity
              entityRef={entityRef}
              region={report.cluster.region}
            />
          </div>
          <Divider className={classes.block} />
          {/* admin diagnostics: renders nothing for non-admins */}
          <RecentDenials
            className={classes.block}
            entityRef={entityRef}
            checkedAt={report.checkedAt}
          />
          <div className={classes.block}>
            <ClusterFacts
              cluster={report.cluster}
              checkedAt={report.checkedAt}
            />
          </div>
        </>
      )}
    </InfoCard>
  );
}
