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

import {
  Content,
  Header,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';
import {
  type AccessRequest,
  eksAccessRequestAdminPermission,
} from '@eks-access/plugin-eks-access-common';
import { AccessRequestAction, eksAccessApiRef } from '../../api';
import { errorExplanation } from '../accessLabels';
import { ActionCommentDialog } from '../AccessRequests/ActionCommentDialog';
import { GrantPreflightView } from './GrantPreflightView';
import {
  durationLabel,
  entityRefName,
  scopeLabel,
  levelLabel,
} from '../AccessRequests/requestLabels';
import { useAccessRequests } from '../AccessRequests/useAccessRequests';
import { useAccessRequestSignal } from '../AccessRequests/useAccessRequestSignal';
import { ActiveGrantsTable } from './ActiveGrantsTable';
import { LoadOlderRequests } from './LoadOlderRequests';
import { isInInbox, PendingInbox } from './PendingInbox';
import { RequestHistoryTable } from './RequestHistoryTable';

const useStyles = makeStyles(theme => ({
  block: { marginBottom: theme.spacing(2) },
  panel: { paddingTop: theme.spacing(2) },
}));

type TabId = 'pending' | 'active' | 'history';

/** Requests per page; "Load older requests" fetches the next page. */
const PAGE_SIZE = 50;

const actionTexts: Record<
  AccessRequestAction,
  { title: string; confirm: string; done: string; commentRequired?: boolean }
> = {
  approve: {
    title: 'Approve this request?',
    confirm: 'Approve',
    done: 'Approved',
  },
  reject: {
    title: 'Reject this request?',
    confirm: 'Reject',
    done: 'Rejected',
    commentRequired: true,
  },
  revoke: {
    title: 'Revoke this access now?',
    confirm: 'Revoke',
    done: 'Revoked',
  },
  retry: {
    title: 'Apply this grant again?',
    confirm: 'Retry',
    done: 'Queued again',
  },
  cancel: {
    title: 'Cancel this request?',
    confirm: 'Cancel request',
    done: 'Cancelled',
  },
};

function requestSummary(request: AccessRequest): string {
  return `${entityRefName(request.requester)}’s request for ${levelLabel(
    request,
  )} on ${request.cluster.name} (${scopeLabel(request.scope)}, ${durationLabel(
    request.durationSeconds,
  )})`;
}

/**
 * The body of "Access requests": the pending inbox with Approve and Reject
 * for everyone who may decide something, and for EKS access admins
 * (`eks-access.request.admin`) the active grants with Revoke and the
 * history with each request's event trail. The backend decides what each
 * user may see and do; this page only hides what they cannot.
 */
export function AccessRequestsContent() {
  const classes = useStyles();
  const api = useApi(eksAccessApiRef);
  const admin = usePermission({ permission: eksAccessRequestAdminPermission });
  const {
    items,
    error,
    loading,
    reload,
    hasMore,
    loadMore,
    loadingMore,
    loadMoreError,
  } = useAccessRequests({ pageSize: PAGE_SIZE });
  useAccessRequestSignal(reload);
  const [tab, setTab] = useState<TabId>('pending');
  const [acting, setActing] = useState<{
    request: AccessRequest;
    action: AccessRequestAction;
  }>();
  const [notice, setNotice] = useState<string>();
  const noticeRef = useRef<HTMLDivElement>(null);

  // The decided request leaves the list with the button that was used:
  // focus the notice that says what happened instead of losing it.
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus();
    }
  }, [notice]);

  const inbox = (items ?? []).filter(isInInbox);
  const active = (items ?? []).filter(r => r.state === 'active');
  const shownTab: TabId = admin.allowed ? tab : 'pending';

  const onAction = (request: AccessRequest, action: AccessRequestAction) => {
    setNotice(undefined);
    setActing({ request, action });
  };
  const texts = acting && actionTexts[acting.action];

  // With older pages not loaded yet, a count is a lower bound: "50+".
  const count = (n: number) => `${n}${hasMore ? '+' : ''}`;
  const tabs: Array<{ id: TabId; label: string }> = [
    { id: 'pending', label: `Pending (${count(inbox.length)})` },
  ];
  if (admin.allowed) {
    tabs.push(
      { id: 'active', label: `Active grants (${count(active.length)})` },
      { id: 'history', label: `History (${count(items?.length ?? 0)})` },
    );
  }

  return (
    <>
      {loading && (
        <LinearProgress
          className={classes.block}
          aria-label="Loading access requests"
        />
      )}
      {error && (
        <div className={classes.block}>
          <ResponseErrorPanel
            error={error}
            title={`Could not load access requests: ${errorExplanation(error)}`}
          />
          <Button variant="outlined" size="small" onClick={reload}>
            Retry
          </Button>
        </div>
      )}
      {notice && (
        <Alert
          ref={noticeRef}
          tabIndex={-1}
          severity="success"
          role="status"
          className={classes.block}
          onClose={() => setNotice(undefined)}
        >
          {notice}
        </Alert>
      )}
      {!admin.loading && !admin.allowed && (
        <Typography variant="body2" className={classes.block}>
          Requests for clusters you may approve appear here. Active grants and
          the history of every cluster are shown to EKS access admins.
        </Typography>
      )}
      <Tabs
        value={shownTab}
        onChange={(_, value: TabId) => setTab(value)}
        indicatorColor="primary"
        aria-label="Access requests"
      >
        {tabs.map(t => (
          <Tab
            key={t.id}
            value={t.id}
            label={t.label}
            id={`eks-access-requests-tab-${t.id}`}
            aria-controls={`eks-access-requests-panel-${t.id}`}
          />
        ))}
      </Tabs>
      <div
        role="tabpanel"
        id={`eks-access-requests-panel-${shownTab}`}
        aria-labelledby={`eks-access-requests-tab-${shownTab}`}
        className={classes.panel}
      >
        {items && shownTab === 'pending' && (
          <PendingInbox requests={inbox} onAction={onAction} />
        )}
        {items && shownTab === 'active' && (
          <ActiveGrantsTable requests={active} onAction={onAction} />
        )}
        {items && shownTab === 'history' && (
          <RequestHistoryTable requests={items} onAction={onAction} />
        )}
        {items && (
          <LoadOlderRequests
            shown={items.length}
            hasMore={hasMore}
            loading={loadingMore}
            error={loadMoreError}
            onLoad={loadMore}
          />
        )}
      </div>
      <ActionCommentDialog
        open={!!acting}
        title={texts?.title ?? ''}
        confirmLabel={texts?.confirm ?? ''}
        commentRequired={texts?.commentRequired}
        onClose={() => setActing(undefined)}
        onConfirm={async comment => {
          if (!acting || !texts) return;
          const result = await api.actOnAccessRequest({
            id: acting.request.id,
            action: acting.action,
            comment,
          });
          setActing(undefined);
          const waiting =
            acting.action === 'approve' && result.state === 'pending'
              ? ` (${result.approvals.length} of ${result.approvalsRequired} approvals; waiting for another approver)`
              : '';
          setNotice(
            `${texts.done}: ${requestSummary(acting.request)}${waiting}.`,
          );
          reload();
        }}
      >
        {acting && (
          <Typography variant="body2">
            {requestSummary(acting.request)}
          </Typography>
        )}
        {acting?.action === 'approve' && (
          <GrantPreflightView request={acting.request} />
        )}
      </ActionCommentDialog>
    </>
  );
}

/**
 * "Access requests" as a full page for the legacy frontend system.
 *
 * @public
 */
export function AccessRequestsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Access requests"
        subtitle="Decide on requests for EKS access; see active grants and their history"
      />
      <Content>
        <AccessRequestsContent />
      </Content>
    </Page>
  );
}
