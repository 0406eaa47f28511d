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

import { randomBytes } from 'node:crypto';
import {
  canonicalizeArn,
  iamPrincipalOf,
} from '@eks-access/plugin-eks-access-common';
import type {
  IdentityProofChallenge,
  ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import { principalLabel } from '../identity/AnnotationIdentityResolver';
import {
  callPresignedGetCallerIdentity,
  decodeProofToken,
  extractToken,
  ProofRejectedError,
  type VerifiedCaller,
} from './kubectlTokenVerifier';
import {
  type ChallengeUse,
  type IdentityProof,
  type IdentityProofStore,
  InMemoryIdentityProofStore,
} from './IdentityProofStore';

/** Every proof cluster id starts with this; no real cluster is named like it. */
export const PROOF_CLUSTER_PREFIX = 'eks-access-proof-';

/** A single-use nonce issued to one user. */
export type ProofChallenge = IdentityProofChallenge;

export type { IdentityProof };

/**
 * Proof of the identity kubectl uses, without handing over credentials: a
 * nonce bound to the signed-in user becomes the cluster id of an
 * `aws eks get-token` command; the token it prints is verified as the EKS
 * authenticator verifies tokens, and only the caller ARN STS answers is
 * kept. Tokens are never stored or logged. Nonces and proofs live in an
 * {@link IdentityProofStore}: the plugin's database in the backend, so that
 * any replica verifies a nonce another issued, and spends it only once.
 */
export class IdentityProofService {
  readonly #store: IdentityProofStore;
  readonly #nonceTtlMs: number;
  readonly #proofTtlMs: number;
  readonly #stsEndpoints: URL[];
  readonly #now: () => number;
  readonly #fetch?: typeof fetch;

  constructor(
    options: {
      /** Where nonces and proofs live; one instance's memory by default. */
      store?: IdentityProofStore;
      /** The configured STS endpoint override (a sandbox or VPC endpoint), trusted besides real STS hosts. */
      stsEndpoint?: string;
      nonceTtlMs?: number;
      proofTtlMs?: number;
      now?: () => number;
      fetch?: typeof fetch;
    } = {},
  ) {
    this.#store = options.store ?? new InMemoryIdentityProofStore();
    this.#stsEndpoints = options.stsEndpoint
      ? [new URL(options.stsEndpoint)]
      : [];
    this.#nonceTtlMs = options.nonceTtlMs ?? 5 * 60 * 1000;
    this.#proofTtlMs = options.proofTtlMs ?? 8 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch;
  }

  /** A fresh nonce for the user, valid for a few minutes and for one verification. */
  async issue(userEntityRef: string): Promise<ProofChallenge> {
    const now = new Date(this.#now());
    await this.#store.prune(now);
    const nonce = randomBytes(16).toString('hex');
    const expiresAt = new Date(now.getTime() + this.#nonceTtlMs);
    await this.#store.addChallenge({ nonce, userEntityRef, expiresAt });
    const clusterId = `${PROOF_CLUSTER_PREFIX}${nonce}`;
    return {
      nonce,
      clusterId,
      expiresAt: expiresAt.toISOString(),
      command: `aws eks get-token --cluster-name ${clusterId} --output json`,
    };
  }

  /**
   * Verifies a pasted token (or `aws eks get-token --output json` output)
   * against the user's nonce and keeps the proven identity.
   */
  async verify(
    userEntityRef: string,
    nonce: string,
    pasted: string,
  ): Promise<IdentityProof> {
    // A malformed paste does not spend the nonce: check it, then decode.
    refuseUnusable(
      await this.#store.checkChallenge(
        nonce,
        userEntityRef,
        new Date(this.#now()),
      ),
    );
    const { url, partition } = decodeProofToken(extractToken(pasted), {
      now: new Date(this.#now()),
      allowedEndpoints: this.#stsEndpoints,
    });
    // From here on a request reaches STS: the nonce is spent (atomically,
    // across replicas), whatever STS answers.
    refuseUnusable(
      await this.#store.useChallenge(
        nonce,
        userEntityRef,
        new Date(this.#now()),
      ),
    );
    const caller = await callPresignedGetCallerIdentity(url, {
      clusterId: `${PROOF_CLUSTER_PREFIX}${nonce}`,
      partition,
      fetch: this.#fetch,
    });
    const now = this.#now();
    const proof: IdentityProof = {
      identity: verifiedIdentity(caller, new Date(now).toISOString()),
      account: caller.account,
      verifiedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.#proofTtlMs).toISOString(),
    };
    await this.#store.saveProof(userEntityRef, proof);
    return proof;
  }

  /** The user's current proof, if any and not expired. */
  async proofOf(userEntityRef: string): Promise<IdentityProof | undefined> {
    return this.#store.getProof(userEntityRef, new Date(this.#now()));
  }

  /** Forgets the user's proof. */
  async forget(userEntityRef: string): Promise<void> {
    await this.#store.deleteProof(userEntityRef);
  }
}

/** Refuses a nonce that is not the user's, already spent, or expired. */
function refuseUnusable(use: ChallengeUse) {
  if (use === 'unknown') {
    throw new ProofRejectedError(
      'unknown-nonce',
      'This verification code was not issued to you; start the verification again.',
    );
  }
  if (use === 'used') {
    throw new ProofRejectedError(
      'reused-nonce',
      'This verification code was already used: each code proves one token. Start the verification again.',
    );
  }
  if (use === 'expired') {
    throw new ProofRejectedError(
      'expired',
      'This verification code expired; start the verification again.',
    );
  }
}

function verifiedIdentity(
  caller: VerifiedCaller,
  verifiedAt: string,
): ResolvedIdentity {
  let principalArn = caller.arn;
  try {
    principalArn = canonicalizeArn(caller.arn);
  } catch {
    // STS answered it and it was validated; keep it as it is
  }
  const principal = iamPrincipalOf(caller.arn);
  return {
    callerArn: caller.arn,
    principalArn,
    ...(caller.sessionName ? { sessionName: caller.sessionName } : {}),
    source: 'verified',
    label: principal
      ? `${principalLabel({ ...principal, principalArn })} (verified)`
      : 'kubectl identity (verified)',
    verifiedAt,
  };
}

/**
 * Which of the user's known identities the verified one is: the same IAM
 * principal (path and session name aside). Undefined: not one of theirs.
 */
export function matchingIdentity(
  verified: ResolvedIdentity,
  known: ResolvedIdentity[],
): ResolvedIdentity | undefined {
  const key = (arn: string) => {
    try {
      return canonicalizeArn(arn).toLowerCase();
    } catch {
      return arn.toLowerCase();
    }
  };
  const target = key(verified.callerArn);
  return known.find(identity => key(identity.callerArn) === target);
}
