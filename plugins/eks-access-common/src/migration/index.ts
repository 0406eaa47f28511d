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
 * The verified move from aws-auth to access entries: plan, simulation and
 * renderings. Pure: no I/O.
 */

export type {
  MigrationAccessView,
  MigrationDifference,
  MigrationEntry,
  MigrationEntryType,
  MigrationIssue,
  MigrationIssueCode,
  MigrationModeChange,
  MigrationPlan,
  MigrationSimulation,
} from './types';
export {
  NODE_ENTRY_GROUPS,
  planMigration,
  type MigrationPlanInput,
} from './planMigration';
export {
  clusterAfterMigration,
  compareMigrationAccess,
  migrationAccessEntries,
  simulateMigration,
  type MigrationSimulationOptions,
} from './simulateMigration';
export {
  MIGRATION_FORMATS,
  migrationSteps,
  renderMigration,
  renderMigrationForms,
  type MigrationFormat,
} from './renderMigration';
export {
  accessOverviewCsv,
  clusterAccessOverview,
  type AccessOverview,
  type AccessOverviewCluster,
  type AccessOverviewRow,
  type ClusterAccessOverview,
  type IamPrincipalFacts,
  type HygieneCode,
  type HygieneFinding,
} from './accessOverview';
export {
  MIGRATION_PROPOSAL_ACTIONS,
  MIGRATION_PROPOSAL_STATES,
  MIGRATION_STAGES,
  type MigrationPreview,
  type MigrationProposal,
  type MigrationProposalAction,
  type MigrationProposalEvent,
  type MigrationProposalState,
  type MigrationStageName,
  type MigrationStageOutcome,
  type ProposeMigrationStage,
} from './proposals';
