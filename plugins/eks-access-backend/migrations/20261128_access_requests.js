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
 * Access requests, their approvals, their event trail and what was changed
 * on the cluster for them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_access_requests', table => {
    table.comment('Self-service access requests to EKS clusters');
    table.string('id', 36).primary().notNullable();
    table.string('cluster_entity_ref', 255).notNullable();
    table.string('cluster_arn', 255).notNullable();
    table.string('cluster_name', 100).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('requester', 255).notNullable();
    table.string('principal_arn', 2048).notNullable();
    table.string('canonical_principal_arn', 2048).notNullable();
    table.string('level', 100).notNullable();
    table.text('scope').notNullable().comment('JSON AccessRequestScope');
    table.integer('duration_seconds').notNullable();
    table.text('reason').notNullable();
    table.text('ticket_url').nullable();
    table.string('state', 16).notNullable();
    table.integer('approvals_required').notNullable();
    table.text('error').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('activated_at', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('ended_at', { useTz: true }).nullable();
    table.timestamp('expiry_notified_at', { useTz: true }).nullable();
    table
      .string('claimed_by', 255)
      .nullable()
      .comment('Runner currently applying or removing this grant');
    table.timestamp('claim_expires_at', { useTz: true }).nullable();
    table.index(['state'], 'eks_access_requests_state_idx');
    table.index(['cluster_entity_ref'], 'eks_access_requests_cluster_idx');
    table.index(['requester'], 'eks_access_requests_requester_idx');
  });

  await knex.schema.createTable('eks_access_request_approvals', table => {
    table.comment('One row per distinct approver of a request');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('eks_access_requests')
      .onDelete('CASCADE');
    table.string('approver', 255).notNullable();
    table.timestamp('approved_at', { useTz: true }).notNullable();
    table.text('comment').nullable();
    table.primary(['request_id', 'approver']);
  });

  await knex.schema.createTable('eks_access_request_events', table => {
    table.comment('Append-only trail of everything that happened to a request');
    table.increments('id').primary();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('eks_access_requests')
      .onDelete('CASCADE');
    table.string('type', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('comment').nullable();
    table.string('from_state', 16).nullable();
    table.string('to_state', 16).nullable();
    table.text('details').nullable().comment('JSON');
    table.index(['request_id'], 'eks_access_request_events_request_idx');
  });

  await knex.schema.createTable('eks_access_grants', table => {
    table.comment('What this plugin changed on a cluster for a request');
    table
      .string('request_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('eks_access_requests')
      .onDelete('CASCADE');
    table.string('method', 16).notNullable();
    table.string('cluster_arn', 255).notNullable();
    table.string('principal_arn', 2048).notNullable();
    table.string('access_policy_arn', 255).nullable();
    table.text('access_scope').nullable().comment('JSON scope we needed');
    table
      .text('policy_scope_before')
      .nullable()
      .comment('JSON scope of an association of the policy we did not make');
    table.boolean('access_entry_created').notNullable().defaultTo(false);
    table.boolean('policy_associated').notNullable().defaultTo(false);
    table.text('aws_auth_entry').nullable().comment('JSON entry we added');
    table.boolean('aws_auth_added').notNullable().defaultTo(false);
    table.timestamp('applied_at', { useTz: true }).nullable();
    table.timestamp('removed_at', { useTz: true }).nullable();
    table.text('removal_error').nullable();
    table.index(['cluster_arn'], 'eks_access_grants_cluster_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_access_grants');
  await knex.schema.dropTable('eks_access_request_events');
  await knex.schema.dropTable('eks_access_request_approvals');
  await knex.schema.dropTable('eks_access_requests');
};
