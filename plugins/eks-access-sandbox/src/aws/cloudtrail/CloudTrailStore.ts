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

import { createHash } from 'node:crypto';
import type { ClusterState, IamPrincipal } from '../../state/model';

/** One CloudTrail management event, as LookupEvents returns it (times in epoch ms). */
export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: number;
  readOnly: boolean;
  accessKeyId?: string;
  /** The user name or role session name, as the `Username` lookup attribute matches it. */
  username?: string;
  resources: { ResourceType: string; ResourceName: string }[];
  account: string;
  region: string;
  /** The whole event record; LookupEvents returns it as a JSON string. */
  record: Record<string, unknown>;
}

/** The sandbox's CloudTrail event history, per account and region, oldest first. */
export class CloudTrailStore {
  readonly #events: TrailEvent[] = [];

  record(event: TrailEvent) {
    this.#events.push(event);
    this.#events.sort((a, b) => a.eventTime - b.eventTime);
  }

  /** The account's events in the region, newest first (LookupEvents' order). */
  events(account: string, region: string): TrailEvent[] {
    return this.#events
      .filter(e => e.account === account && e.region === region)
      .reverse();
  }
}

/** A stable event id (a UUID shape), so restarts list the same events. */
function eventIdOf(seed: string) {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

/** The session a scenario creator role used: it is not in the scenario, so a fixed name. */
export const CREATOR_SESSION_NAME = 'cluster-creator';

/**
 * The `userIdentity` CloudTrail records for a principal: an IAM user as
 * itself, a role as an assumed-role session whose `sessionIssuer` is the role
 * (with its path, as CloudTrail writes it).
 */
export function userIdentityOf(
  principal: IamPrincipal,
  partition: string,
  sessionName = CREATOR_SESSION_NAME,
) {
  const accessKeyId = `ASIA${createHash('sha256')
    .update(principal.arn)
    .digest('hex')
    .slice(0, 16)
    .toUpperCase()}`;
  if (principal.kind === 'user') {
    return {
      username: principal.name,
      accessKeyId,
      identity: {
        type: 'IAMUser',
        principalId: principal.id,
        arn: principal.arn,
        accountId: principal.account,
        accessKeyId,
        userName: principal.name,
      },
    };
  }
  return {
    username: sessionName,
    accessKeyId,
    identity: {
      type: 'AssumedRole',
      principalId: `${principal.id}:${sessionName}`,
      arn: `arn:${partition}:sts::${principal.account}:assumed-role/${principal.name}/${sessionName}`,
      accountId: principal.account,
      accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: principal.id,
          arn: principal.arn,
          accountId: principal.account,
          userName: principal.name,
        },
        attributes: {
          creationDate: new Date(0).toISOString(),
          mfaAuthenticated: 'false',
        },
      },
    },
  };
}

/**
 * Records the `CreateCluster` management event EKS leaves in CloudTrail
 * when a cluster is created (eventSource `eks.amazonaws.com`, the cluster as
 * resource, the creator as userIdentity). Without a known creator the event
 * is not recorded: the sandbox never invents who created a cluster.
 */
export function recordCreateCluster(
  trail: CloudTrailStore,
  cluster: ClusterState,
  creator: IamPrincipal | undefined,
  partition: string,
) {
  if (!creator) return;
  const eventTime = cluster.createdAt * 1000;
  const { identity, username, accessKeyId } = userIdentityOf(
    creator,
    partition,
  );
  const eventId = eventIdOf(`${cluster.arn}|CreateCluster|${eventTime}`);
  const isoTime = new Date(eventTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  trail.record({
    eventId,
    eventName: 'CreateCluster',
    eventSource: 'eks.amazonaws.com',
    eventTime,
    readOnly: false,
    accessKeyId,
    username,
    resources: [
      { ResourceType: 'AWS::EKS::Cluster', ResourceName: cluster.name },
    ],
    account: cluster.account,
    region: cluster.region,
    record: {
      eventVersion: '1.09',
      userIdentity: identity,
      eventTime: isoTime,
      eventSource: 'eks.amazonaws.com',
      eventName: 'CreateCluster',
      awsRegion: cluster.region,
      sourceIPAddress: '203.0.113.10',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: {
        name: cluster.name,
        version: cluster.version,
        accessConfig: {
          authenticationMode: cluster.authenticationMode,
          bootstrapClusterCreatorAdminPermissions:
            cluster.bootstrapClusterCreatorAdminPermissions,
        },
      },
      responseElements: {
        cluster: {
          name: cluster.name,
          arn: cluster.arn,
          createdAt: isoTime,
          status: 'CREATING',
        },
      },
      requestID: eventIdOf(`${eventId}|request`),
      eventID: eventId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: cluster.account,
      eventCategory: 'Management',
    },
  });
}
