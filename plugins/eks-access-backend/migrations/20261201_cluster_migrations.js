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

// @ts-check

/**
 * The migration from aws-auth to access entries (issue 21): each cluster's
 * migration with the baseline its stages verify against (kept here, so a
 * restart resumes against the same baseline), and its stages as proposals
 * that another approver must approve before they run, with their trail.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_access_migrations', table => {
    table.comment(
      'One migration of one cluster from aws-auth to access entries',
    );
    table.string('id', 36).primary().notNullable();
    table.string('cluster_arn', 255).notNullable();
    table.string('cluster_entity_ref', 255).notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('open | final | rolled-back | abandoned');
    table
      .text('baseline')
      .notNullable()
      .comment(
        'JSON: the cluster data before any stage, the plan, the principals, the accepted differences',
      );
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('started_at', { useTz: true })
      .nullable()
      .comment('When a stage first ran: the cluster may have changed since');
    table
      .timestamp('entries_verified_at', { useTz: true })
      .nullable()
      .comment('Start of the verification window before the final switch');
    table.timestamp('ended_at', { useTz: true }).nullable();
    table.index(['cluster_arn', 'state'], 'eks_access_migrations_cluster_idx');
  });
  await knex.schema.createTable('eks_access_migration_proposals', table => {
    table.comment(
      'A stage of a migration, proposed and approved by two people',
    );
    table.string('id', 36).primary().notNullable();
    table
      .string('migration_id', 36)
      .notNullable()
      .references('id')
      .inTable('eks_access_migrations');
    table.string('cluster_arn', 255).notNullable();
    table.string('cluster_entity_ref', 255).notNullable();
    table.text('cluster').notNullable().comment('JSON: name, account, region');
    table.string('stage', 16).notNullable();
    table.string('state', 16).notNullable();
    table.string('proposer', 255).notNullable();
    table.text('comment').nullable();
    table.text('accepted').notNullable().comment('JSON: principal ARNs');
    table.text('summary').notNullable();
    table.string('approver', 255).nullable();
    table.text('result').nullable().comment('JSON MigrationStageOutcome');
    table.text('error').nullable();
    table.string('claimed_by', 255).nullable();
    table.timestamp('lease_until', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['state'], 'eks_access_migration_proposals_state_idx');
    table.index(['cluster_arn'], 'eks_access_migration_proposals_cluster_idx');
  });
  await knex.schema.createTable('eks_access_migration_events', table => {
    table.comment('The trail of a migration proposal');
    table.increments('seq').primary();
    table
      .string('proposal_id', 36)
      .notNullable()
      .references('id')
      .inTable('eks_access_migration_proposals');
    table.string('type', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('comment').nullable();
    table.index(['proposal_id'], 'eks_access_migration_events_proposal_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_access_migration_events');
  await knex.schema.dropTable('eks_access_migration_proposals');
  await knex.schema.dropTable('eks_access_migrations');
};
