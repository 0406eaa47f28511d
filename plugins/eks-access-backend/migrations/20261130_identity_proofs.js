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
 * "Verify the identity my kubectl uses", shared by every replica: the
 * single-use nonces (as SHA-256 hashes; never a token) and each user's
 * proven identity until it expires.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_access_proof_challenges', table => {
    table.comment('Single-use nonces of kubectl identity proofs');
    table.string('nonce_hash', 64).primary().notNullable();
    table.string('user_entity_ref', 255).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table
      .timestamp('used_at', { useTz: true })
      .nullable()
      .comment('Set once, by the one verification that spent the nonce');
    table.index(['expires_at'], 'eks_access_proof_challenges_expiry_idx');
  });
  await knex.schema.createTable('eks_access_identity_proofs', table => {
    table.comment('The kubectl identity each user proved, until it expires');
    table.string('user_entity_ref', 255).primary().notNullable();
    table
      .text('proof')
      .notNullable()
      .comment('JSON: caller ARN, account, times');
    table.timestamp('expires_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_access_identity_proofs');
  await knex.schema.dropTable('eks_access_proof_challenges');
};
