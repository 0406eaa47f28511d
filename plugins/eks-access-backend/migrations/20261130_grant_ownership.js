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
 * Records exactly what each grant added, so that removal takes away that and
 * nothing else: whether it created the aws-auth mapping, which groups it
 * added to it, and whether it created the policy association. Adds a lock
 * table that serialises the grant writes of one principal on one cluster.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('eks_access_grants', table => {
    table
      .boolean('aws_auth_entry_created')
      .notNullable()
      .defaultTo(false)
      .comment('This grant (or one it took over from) created the mapping');
    table
      .text('aws_auth_groups_added')
      .nullable()
      .comment('JSON groups this grant added to the mapping');
    table
      .boolean('policy_association_created')
      .notNullable()
      .defaultTo(false)
      .comment('This grant (or one it took over from) created the association');
  });
  // Grants written before this migration: keep the earlier behaviour (the
  // whole mapping and the association counted as ours).
  const rows = await knex('eks_access_grants')
    .whereNull('removed_at')
    .select(
      'request_id',
      'aws_auth_entry',
      'aws_auth_added',
      'policy_associated',
      'policy_scope_before',
    );
  for (const row of rows) {
    const added = row.aws_auth_added === true || Number(row.aws_auth_added) === 1;
    const associated =
      row.policy_associated === true || Number(row.policy_associated) === 1;
    const entry = row.aws_auth_entry ? JSON.parse(row.aws_auth_entry) : null;
    await knex('eks_access_grants')
      .where('request_id', row.request_id)
      .update({
        aws_auth_entry_created: added,
        aws_auth_groups_added:
          added && entry ? JSON.stringify(entry.groups ?? []) : null,
        policy_association_created: associated && !row.policy_scope_before,
      });
  }

  await knex.schema.createTable('eks_access_grant_locks', table => {
    table.comment(
      'Serialises grant writes for one principal on one cluster across replicas',
    );
    table.string('lock_key', 255).primary().notNullable();
    table.string('holder', 255).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_access_grant_locks');
  await knex.schema.alterTable('eks_access_grants', table => {
    table.dropColumn('aws_auth_entry_created');
    table.dropColumn('aws_auth_groups_added');
    table.dropColumn('policy_association_created');
  });
};
