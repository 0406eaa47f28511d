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

import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { IdentityProofResult } from '@eks-access/plugin-eks-access-common';
import type { Knex } from 'knex';
import { migratedDatabaseClient } from '../database/migratedDatabaseClient';
import { createHash } from 'node:crypto';

/** A verified kubectl identity, kept for the user's session. */
export type IdentityProof = NonNullable<IdentityProofResult['proof']>;

/**
 * What spending a nonce found: `ok`, it was issued to this user, unused and
 * unexpired, and is now spent; otherwise why not.
 */
export type ChallengeUse = 'ok' | 'unknown' | 'used' | 'expired';

/**
 * Where the nonces and proofs of "Verify the identity my kubectl uses" live.
 * Nonces are stored as SHA-256 hashes: the store never holds a value that
 * could be typed into the verification form, and never a token.
 */
export interface IdentityProofStore {
  addChallenge(challenge: {
    nonce: string;
    userEntityRef: string;
    expiresAt: Date;
  }): Promise<void>;
  /** Why the nonce cannot be used by this user now, without spending it. */
  checkChallenge(
    nonce: string,
    userEntityRef: string,
    now: Date,
  ): Promise<ChallengeUse>;
  /** Spends the nonce if it can be used: at most one caller ever gets `ok`. */
  useChallenge(
    nonce: string,
    userEntityRef: string,
    now: Date,
  ): Promise<ChallengeUse>;
  saveProof(userEntityRef: string, proof: IdentityProof): Promise<void>;
  /** The user's proof, if it has not expired. */
  getProof(
    userEntityRef: string,
    now: Date,
  ): Promise<IdentityProof | undefined>;
  deleteProof(userEntityRef: string): Promise<void>;
  /** Forgets expired nonces and proofs. */
  prune(now: Date): Promise<void>;
}

function nonceHash(nonce: string): string {
  return createHash('sha256').update(nonce).digest('hex');
}

/** One backend instance's memory: for tests and single-replica use. */
export class InMemoryIdentityProofStore implements IdentityProofStore {
  readonly #challenges = new Map<
    string,
    { userEntityRef: string; expiresAt: number; used: boolean }
  >();
  readonly #proofs = new Map<string, IdentityProof>();

  async addChallenge(challenge: {
    nonce: string;
    userEntityRef: string;
    expiresAt: Date;
  }) {
    this.#challenges.set(nonceHash(challenge.nonce), {
      userEntityRef: challenge.userEntityRef,
      expiresAt: challenge.expiresAt.getTime(),
      used: false,
    });
  }

  async checkChallenge(nonce: string, userEntityRef: string, now: Date) {
    const c = this.#challenges.get(nonceHash(nonce));
    if (!c || c.userEntityRef !== userEntityRef) return 'unknown';
    if (c.used) return 'used';
    return c.expiresAt <= now.getTime() ? 'expired' : 'ok';
  }

  async useChallenge(nonce: string, userEntityRef: string, now: Date) {
    const result = await this.checkChallenge(nonce, userEntityRef, now);
    if (result === 'ok') {
      this.#challenges.get(nonceHash(nonce))!.used = true;
    }
    return result;
  }

  async saveProof(userEntityRef: string, proof: IdentityProof) {
    this.#proofs.set(userEntityRef, proof);
  }

  async getProof(userEntityRef: string, now: Date) {
    const proof = this.#proofs.get(userEntityRef);
    return proof && Date.parse(proof.expiresAt) > now.getTime()
      ? proof
      : undefined;
  }

  async deleteProof(userEntityRef: string) {
    this.#proofs.delete(userEntityRef);
  }

  async prune(now: Date) {
    for (const [key, c] of this.#challenges) {
      if (c.expiresAt <= now.getTime()) this.#challenges.delete(key);
    }
    for (const [user, proof] of this.#proofs) {
      if (Date.parse(proof.expiresAt) <= now.getTime()) {
        this.#proofs.delete(user);
      }
    }
  }
}

const CHALLENGES = 'eks_access_proof_challenges';
const PROOFS = 'eks_access_identity_proofs';

/**
 * Nonces and proofs in the plugin's database, shared by every replica: a
 * nonce issued by one instance verifies on another, and spending it is one
 * guarded UPDATE, so of two instances racing with the same nonce exactly one
 * succeeds.
 */
export class DatabaseIdentityProofStore implements IdentityProofStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseIdentityProofStore> {
    return new DatabaseIdentityProofStore(
      await migratedDatabaseClient(options.database),
    );
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async addChallenge(challenge: {
    nonce: string;
    userEntityRef: string;
    expiresAt: Date;
  }) {
    await this.#db(CHALLENGES).insert({
      nonce_hash: nonceHash(challenge.nonce),
      user_entity_ref: challenge.userEntityRef,
      expires_at: challenge.expiresAt,
      used_at: null,
    });
  }

  async checkChallenge(
    nonce: string,
    userEntityRef: string,
    now: Date,
  ): Promise<ChallengeUse> {
    const row = await this.#db(CHALLENGES)
      .where({ nonce_hash: nonceHash(nonce), user_entity_ref: userEntityRef })
      .first();
    if (!row) return 'unknown';
    if (row.used_at !== null && row.used_at !== undefined) return 'used';
    return toDate(row.expires_at).getTime() <= now.getTime() ? 'expired' : 'ok';
  }

  async useChallenge(
    nonce: string,
    userEntityRef: string,
    now: Date,
  ): Promise<ChallengeUse> {
    // One statement: unused, unexpired and this user's, or nothing changes.
    const updated = await this.#db(CHALLENGES)
      .where({ nonce_hash: nonceHash(nonce), user_entity_ref: userEntityRef })
      .whereNull('used_at')
      .where('expires_at', '>', now)
      .update({ used_at: now });
    if (updated === 1) return 'ok';
    const why = await this.checkChallenge(nonce, userEntityRef, now);
    // spent by someone else between the check and now
    return why === 'ok' ? 'used' : why;
  }

  async saveProof(userEntityRef: string, proof: IdentityProof) {
    await this.#db(PROOFS)
      .insert({
        user_entity_ref: userEntityRef,
        proof: JSON.stringify(proof),
        expires_at: new Date(proof.expiresAt),
      })
      .onConflict('user_entity_ref')
      .merge(['proof', 'expires_at']);
  }

  async getProof(userEntityRef: string, now: Date) {
    const row = await this.#db(PROOFS)
      .where('user_entity_ref', userEntityRef)
      .where('expires_at', '>', now)
      .first();
    return row ? (JSON.parse(String(row.proof)) as IdentityProof) : undefined;
  }

  async deleteProof(userEntityRef: string) {
    await this.#db(PROOFS).where('user_entity_ref', userEntityRef).delete();
  }

  async prune(now: Date) {
    await this.#db(CHALLENGES).where('expires_at', '<=', now).delete();
    await this.#db(PROOFS).where('expires_at', '<=', now).delete();
  }
}

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
}
