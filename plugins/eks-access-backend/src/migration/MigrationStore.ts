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

import type {
  MigrationProposal,
  MigrationProposalEvent,
  MigrationProposalState,
  MigrationStageName,
  MigrationStageOutcome,
} from '@eks-access/plugin-eks-access-common';
import type { MigrationBaseline } from './MigrationRunner';

/** The allowed transitions of a migration proposal; anything else is refused. */
export const MIGRATION_PROPOSAL_TRANSITIONS: Readonly<
  Record<MigrationProposalState, readonly MigrationProposalState[]>
> = {
  pending: ['approved', 'rejected', 'cancelled'],
  approved: ['running'],
  // `running` again: a runner resumes a stage whose runner died
  running: ['running', 'done', 'blocked', 'failed'],
  failed: ['approved'],
  done: [],
  blocked: [],
  rejected: [],
  cancelled: [],
};

/**
 * Proposals that hold the cluster: no other stage may be proposed meanwhile.
 * A failed one does not: the rollback must stay available; retrying it is
 * refused while another proposal is open.
 */
export const OPEN_PROPOSAL_STATES: readonly MigrationProposalState[] = [
  'pending',
  'approved',
  'running',
];

/** A cluster's migration: the baseline every stage verifies against. */
export interface StoredMigration {
  id: string;
  clusterArn: string;
  clusterEntityRef: string;
  /** `open` until the final switch (`final`), a rollback (`rolled-back`) or an abandoned first proposal. */
  state: 'open' | 'final' | 'rolled-back' | 'abandoned';
  baseline: MigrationBaseline;
  createdBy: string;
  createdAt: string;
  /** When a stage first ran: from then on the cluster is no longer at its baseline. */
  startedAt?: string;
  /** When the entries stage was verified: the verification window starts. */
  entriesVerifiedAt?: string;
  endedAt?: string;
}

/** A proposal as it is created. */
export interface NewMigrationProposal {
  migrationId: string;
  cluster: MigrationProposal['cluster'];
  stage: MigrationStageName;
  proposer: string;
  comment?: string;
  accepted: string[];
  summary: string;
}

/** Columns a transition may set with the state. */
export interface MigrationProposalPatch {
  approver?: string;
  result?: MigrationStageOutcome;
  /** `null` clears a previous error. */
  error?: string | null;
  claimedBy?: string | null;
  leaseUntil?: Date | null;
}

/**
 * Where migrations, their baselines and their proposals are kept, in the
 * style of the request flow's store: every state change is atomic, guarded
 * by the current state, and appends to the proposal's trail.
 * {@link DatabaseMigrationStore} keeps them in the plugin's database.
 */
export interface MigrationStore {
  /** The cluster's open migration, if any. */
  openMigration(clusterArn: string): Promise<StoredMigration | undefined>;
  getMigration(id: string): Promise<StoredMigration | undefined>;
  /**
   * Starts a cluster's migration with its baseline and first proposal, in
   * one transaction; a ConflictError when the cluster has an open one.
   */
  createMigration(
    migration: Pick<
      StoredMigration,
      'id' | 'clusterArn' | 'clusterEntityRef' | 'baseline' | 'createdBy'
    >,
    proposal: Omit<NewMigrationProposal, 'migrationId'>,
    now?: Date,
  ): Promise<MigrationProposal>;
  updateMigration(
    id: string,
    patch: {
      state?: StoredMigration['state'];
      startedAt?: Date;
      entriesVerifiedAt?: Date;
      endedAt?: Date;
    },
  ): Promise<void>;
  /**
   * Records a proposal; a ConflictError when the cluster already has an
   * open one (pending, approved or running).
   */
  createProposal(
    proposal: NewMigrationProposal,
    now?: Date,
  ): Promise<MigrationProposal>;
  getProposal(id: string): Promise<MigrationProposal | undefined>;
  /** Newest first. */
  listProposals(filter?: {
    clusterEntityRef?: string;
    states?: MigrationProposalState[];
    limit?: number;
  }): Promise<MigrationProposal[]>;
  listEvents(id: string): Promise<MigrationProposalEvent[]>;
  /** Moves a proposal from one of `from` to `to`, appending an event. */
  transition(options: {
    id: string;
    from: MigrationProposalState | MigrationProposalState[];
    to: MigrationProposalState;
    event: Omit<MigrationProposalEvent, 'at'>;
    patch?: MigrationProposalPatch;
    now?: Date;
  }): Promise<MigrationProposal>;
  /**
   * Claims the next approved proposal, or a running one whose runner's
   * lease ran out (it died mid-stage: `resumed`), for `runnerId`.
   */
  claimNext(options: {
    runnerId: string;
    leaseSeconds: number;
    now?: Date;
  }): Promise<{ proposal: MigrationProposal; resumed: boolean } | undefined>;
}
