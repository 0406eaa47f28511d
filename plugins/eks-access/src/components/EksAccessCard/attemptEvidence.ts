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

import {
  type AccessAttempt,
  type AccessAttemptsReport,
  type ClusterAccessReport,
  type IdentityAccess,
  canonicalizeArn,
  stripArnPath,
} from '@eks-access/plugin-eks-access-common';

/** One attempt with the identity (row of the attempts report) it belongs to. */
export type AttributedAttempt = AccessAttempt & {
  identity: AccessAttemptsReport['identities'][number];
};

/**
 * What the log proves about the user's latest attempt, in one sentence, with
 * the fix when the evidence points at one.
 */
export interface AttemptEvidence {
  /** `wrong-identity`: kubectl presented an identity that is not the one with access. */
  kind: 'not-you' | 'wrong-identity';
  attempt: AttributedAttempt;
  sentence: string;
  /** The identity that has access on this cluster, when one does. */
  allowed?: IdentityAccess;
  /** Commands that fix it, in order: check the shell's identity, then switch kubectl. */
  commands: string[];
  /** Notes on the commands (e.g. which profile to run them with). */
  notes: string[];
}

/** An ARN as the authenticator logs it (session and role path removed), lower case. */
export function loggedArnKey(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  try {
    return stripArnPath(canonicalizeArn(arn)).toLowerCase();
  } catch {
    return arn.toLowerCase();
  }
}

/** Every attempt of the report, newest first. */
export function attemptsNewestFirst(
  report: AccessAttemptsReport,
): AttributedAttempt[] {
  return report.identities
    .flatMap(identity => identity.attempts.map(a => ({ ...a, identity })))
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
}

/**
 * The key evidence of the log: the user's latest attempt came from an
 * identity that is not theirs (the kubectl identity they verified is none of
 * their known identities), or it was denied while another of their
 * identities has access. Undefined when the latest attempt was granted, or
 * when no identity of theirs has access (the verdicts explain that).
 */
export function attemptEvidence(
  attempts: AccessAttemptsReport,
  report: ClusterAccessReport,
): AttemptEvidence | undefined {
  const [latest] = attemptsNewestFirst(attempts);
  if (!latest || !latest.arn) return undefined;
  const allowed =
    report.identities.find(
      a => a.verdict.decision === 'allowed' && !a.verdict.expectForbidden,
    ) ?? report.identities.find(a => a.verdict.decision === 'allowed');
  const latestKey = loggedArnKey(latest.arn);
  const allowedKey = loggedArnKey(
    allowed?.verdict.canonicalArn ?? allowed?.identity.callerArn,
  );
  const notYou = latest.identity.kubectl?.mine === false;
  const wrongIdentity =
    latest.outcome === 'denied' && !!allowed && allowedKey !== latestKey;
  if (!notYou && !wrongIdentity) return undefined;

  const commands = ['aws sts get-caller-identity'];
  const notes: string[] = [];
  const kubeconfigCommand =
    allowed?.kubeconfig?.command ?? allowed?.kubeconfigCommand;
  if (allowed && kubeconfigCommand) {
    commands.push(kubeconfigCommand);
    notes.push(...(allowed.kubeconfig?.notes ?? []));
  }
  const denied =
    latest.outcome === 'denied'
      ? ` EKS denied it${latest.reason ? `: ${latest.reason}` : ''}.`
      : '';
  const switchTo = allowed
    ? ` ${allowed.identity.label} (${
        allowed.verdict.canonicalArn ?? allowed.identity.callerArn
      }) has access: check which identity your shell uses, then point kubectl at that one (the right --profile or AWS_PROFILE, or --role-arn).`
    : ' None of your identities has access on this cluster yet; see the verdicts above.';
  const sentence = notYou
    ? `kubectl is using ${latest.arn}, which is not you: it is none of the identities this portal knows for you.${denied}${switchTo}`
    : `kubectl is using ${latest.arn}, which is not the identity that has access.${denied}${switchTo}`;
  return {
    kind: notYou ? 'not-you' : 'wrong-identity',
    attempt: latest,
    sentence,
    ...(allowed ? { allowed } : {}),
    commands,
    notes,
  };
}
