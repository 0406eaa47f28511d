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
 * The migration's stages as proposals that another approver must approve
 * before they run: the shapes the backend answers and the frontend shows.
 */

import type { MigrationFormat } from './renderMigration';
import type { MigrationPlan, MigrationSimulation } from './types';

/**
 * The stages of a cluster's migration, in order; `rollback` instead of `final`.
 *
 * @public
 */
export const MIGRATION_STAGES = ['entries', 'final', 'rollback'] as const;

/**
 * A stage of a cluster's migration.
 *
 * @public
 */
export type MigrationStageName = (typeof MIGRATION_STAGES)[number];

/**
 * Where a proposal is: `pending` until an approver decides; `approved`
 * until the stage runner picks it up; `running` while it runs (a runner
 * that died leaves it `running` until its lease runs out, then the stage is
 * resumed); then `done` (verified), `blocked` (nothing unsafe was done, see
 * the result) or `failed` (an error; an approver may retry).
 *
 * @public
 */
export const MIGRATION_PROPOSAL_STATES = [
  'pending',
  'approved',
  'running',
  'done',
  'blocked',
  'failed',
  'rejected',
  'cancelled',
] as const;

/**
 * See {@link MIGRATION_PROPOSAL_STATES}.
 *
 * @public
 */
export type MigrationProposalState = (typeof MIGRATION_PROPOSAL_STATES)[number];

/**
 * What a stage did, as the runner reports it.
 *
 * @public
 */
export interface MigrationStageOutcome {
  status: 'done' | 'blocked';
  mode: string;
  /** Principal ARNs whose entry the stage created (or deleted, for rollback). */
  changed: string[];
  kept: string[];
  /** Principals whose access differs from the baseline after the stage. */
  differingPrincipals: string[];
  message: string;
}

/**
 * One step of a proposal's trail.
 *
 * @public
 */
export interface MigrationProposalEvent {
  type:
    | 'proposed'
    | 'approved'
    | 'rejected'
    | 'cancelled'
    | 'started'
    | 'resumed'
    | 'done'
    | 'blocked'
    | 'failed'
    | 'retried';
  actor: string;
  at: string;
  comment?: string;
}

/**
 * A proposed stage of a cluster's migration.
 *
 * @public
 */
export interface MigrationProposal {
  id: string;
  /** The migration (its baseline) the stage belongs to. */
  migrationId: string;
  cluster: {
    entityRef: string;
    arn: string;
    name: string;
    accountId: string;
    region: string;
  };
  stage: MigrationStageName;
  state: MigrationProposalState;
  proposer: string;
  /** Why the proposer wants it. */
  comment?: string;
  /**
   * Principal ARNs whose change of access the proposer accepted
   * explicitly; the approver approves them with the stage.
   */
  accepted: string[];
  /** The simulation's verdict when proposed ("Equivalent for all N principals"). */
  summary: string;
  approver?: string;
  createdAt: string;
  updatedAt: string;
  result?: MigrationStageOutcome;
  error?: string;
  events?: MigrationProposalEvent[];
  /** What the caller may do with it now. */
  allowedActions?: MigrationProposalAction[];
}

/**
 * What an approver (or the proposer) may do with a proposal: the last path
 * segment of `POST /migration/proposals/:id/{action}`.
 *
 * @public
 */
export const MIGRATION_PROPOSAL_ACTIONS = [
  'approve',
  'reject',
  'cancel',
  'retry',
] as const;

/**
 * See {@link MIGRATION_PROPOSAL_ACTIONS}.
 *
 * @public
 */
export type MigrationProposalAction =
  (typeof MIGRATION_PROPOSAL_ACTIONS)[number];

/**
 * The body of `POST /migration/proposals`.
 *
 * @public
 */
export interface ProposeMigrationStage {
  entityRef: string;
  stage: MigrationStageName;
  /** Principal ARNs whose change the proposer accepts (entries stage of a new migration). */
  accept?: string[];
  comment?: string;
}

/**
 * The answer of `GET /migration/preview`: one cluster's migration plan,
 * its simulation and renderings, and the migration already begun there.
 *
 * @public
 */
export interface MigrationPreview {
  cluster: {
    entityRef: string;
    name: string;
    region: string;
    accountId: string;
  };
  plan: MigrationPlan;
  simulation: MigrationSimulation;
  forms: Record<MigrationFormat, string>;
  /** The migration already started here, if any. */
  migrationId?: string;
  /** Where that migration is: for the page's stage form. */
  migration?: {
    id: string;
    createdAt: string;
    startedAt?: string;
    entriesVerifiedAt?: string;
    /** The end of the verification window, while it runs. */
    finalNotBefore?: string;
  };
}
