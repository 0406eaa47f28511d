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
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ResolvedIdentity } from '@eks-access/plugin-eks-access-common';
import express from 'express';
import request from 'supertest';
import { AccessRequestService } from './AccessRequestService';
import { readAccessRequestsConfig } from './readAccessRequestsConfig';
import { createRequestsRouter } from './createRequestsRouter';
import { DatabaseAccessRequestStore } from './DatabaseAccessRequestStore';
import { requestedIdentity } from './requesterIdentity';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

const DANA = 'user:default/dana';
const ALEX = 'user:default/alex';
const ML = 'resource:default/ml-training';
const SSO_ROLE =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';
const SSO_SESSION =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com';
const ANNOTATED_USER = 'arn:aws:iam::444455556666:user/engineering/dana';
const PROVEN_ROLE = 'arn:aws:iam::444455556666:role/OnCall';

const identityCenter: ResolvedIdentity = {
  callerArn: SSO_SESSION,
  principalArn: SSO_ROLE,
  sessionName: 'dana@example.com',
  source: 'identity-center',
  label: 'SSO PaymentsDeveloper',
  permissionSetName: 'PaymentsDeveloper',
  assignedThrough: ['group payments-developers'],
};
/** An annotation on a User entity from a location Dana can write. */
const untrustedAnnotation: ResolvedIdentity = {
  callerArn: ANNOTATED_USER,
  principalArn: ANNOTATED_USER,
  source: 'annotation',
  label: 'IAM user engineering/dana',
  origin: 'url:https://github.com/acme/dana-sandbox/catalog-info.yaml',
  unverifiedReason:
    'it comes from an annotation on user:default/dana, read from url:https://github.com/acme/dana-sandbox/catalog-info.yaml, which is not a trusted user location',
};
/** A kubectl token Dana proved (path-less, as STS names sessions). */
const proven: ResolvedIdentity = {
  callerArn: 'arn:aws:sts::444455556666:assumed-role/OnCall/dana',
  principalArn: PROVEN_ROLE,
  sessionName: 'dana',
  source: 'verified',
  label: 'role OnCall (verified)',
  verifiedAt: '2026-11-30T10:00:00.000Z',
};

describe('requestedIdentity', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');
  const options = { requester: DANA, now };

  it('records where a resolver identity came from, verified at the request', () => {
    expect(requestedIdentity(SSO_ROLE, [identityCenter], options)).toEqual({
      principalArn: SSO_ROLE,
      provenance: {
        source: 'identity-center',
        label: 'SSO PaymentsDeveloper',
        verifiedAt: '2026-11-30T12:00:00.000Z',
        permissionSetName: 'PaymentsDeveloper',
        assignedThrough: ['group payments-developers'],
      },
    });
  });

  it('matches the path-stripped form and grants the resolver ARN with its path', () => {
    const stripped =
      'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';
    expect(
      requestedIdentity(stripped, [identityCenter], options).principalArn,
    ).toBe(SSO_ROLE);
  });

  it('keeps the proof time of a proven identity', () => {
    expect(
      requestedIdentity(PROVEN_ROLE, [proven], options).provenance,
    ).toEqual({
      source: 'verified',
      label: 'role OnCall (verified)',
      verifiedAt: '2026-11-30T10:00:00.000Z',
    });
  });

  it('accepts an unverified annotation once it is proven, keeping the annotated ARN', () => {
    const provenUser: ResolvedIdentity = {
      ...proven,
      callerArn: ANNOTATED_USER,
      principalArn: ANNOTATED_USER,
    };
    expect(
      requestedIdentity(
        ANNOTATED_USER,
        [untrustedAnnotation, provenUser],
        options,
      ),
    ).toEqual({
      principalArn: ANNOTATED_USER,
      provenance: expect.objectContaining({
        source: 'verified',
        verifiedAt: '2026-11-30T10:00:00.000Z',
      }),
    });
  });

  it('refuses an identity that is theirs only by an annotation they could write', () => {
    expect(() =>
      requestedIdentity(ANNOTATED_USER, [untrustedAnnotation], options),
    ).toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        code: 'IDENTITY_NOT_VERIFIED',
      }),
    );
  });

  it('refuses pasted identities and ARNs that are none of theirs', () => {
    const pasted: ResolvedIdentity = {
      callerArn: 'arn:aws:iam::444455556666:role/Admin',
      principalArn: 'arn:aws:iam::444455556666:role/Admin',
      source: 'pasted',
      label: 'role Admin',
    };
    expect(() =>
      requestedIdentity(pasted.principalArn, [pasted], options),
    ).toThrow(expect.objectContaining({ code: 'IDENTITY_NOT_VERIFIED' }));
    expect(() =>
      requestedIdentity(
        'arn:aws:iam::444455556666:role/Admin',
        [identityCenter],
        options,
      ),
    ).toThrow(expect.objectContaining({ code: 'IDENTITY_NOT_YOURS' }));
  });
});

describe.each(databases.eachSupportedId())(
  'requests for verified identities only, on %p',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseAccessRequestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const settings = readAccessRequestsConfig(
        new ConfigReader({
          eksAccess: {
            requests: {
              levels: [
                {
                  name: 'view',
                  accessPolicyArn:
                    'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
                  maxDuration: { hours: 8 },
                  approvalsRequired: 1,
                },
              ],
            },
          },
        }),
      );
      const auditor = mockServices.auditor.mock();
      const service = new AccessRequestService({
        store,
        settings,
        // Alex approves everything; everyone may request
        permissions: {
          async authorize(requests: any[], { credentials }: any) {
            const user = credentials.principal.userEntityRef;
            return requests.map(r => ({
              result:
                r.permission.name === 'eks-access.request.create' ||
                user === ALEX
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            }));
          },
          async authorizeConditional() {
            throw new Error('not used');
          },
        } as any,
        clusters: {
          getCluster: async ref =>
            ref === ML
              ? {
                  entityRef: ML,
                  arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
                  name: 'ml-training',
                  partition: 'aws',
                  accountId: '444455556666',
                  region: 'us-east-2',
                }
              : undefined,
        },
        identities: {
          resolve: async user =>
            user === DANA ? [identityCenter, untrustedAnnotation, proven] : [],
        },
        auditor,
      });
      const app = express();
      app.use(
        await createRequestsRouter({
          httpAuth: mockServices.httpAuth(),
          service,
        }),
      );
      app.use(mockErrorHandler());
      return { app, auditor };
    }

    const body = (principalArn: string) => ({
      entityRef: ML,
      principalArn,
      level: 'view',
      scope: { type: 'cluster' },
      durationSeconds: 3600,
      reason: 'Investigate the failing training job',
    });
    const as = (user: string) => ({
      Authorization: mockCredentials.user.header(user),
    });

    it('refuses a pasted ARN that is none of the requester identities', async () => {
      const { app } = await setup();
      const res = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body('arn:aws:iam::444455556666:role/ClusterAdmin'))
        .expect(403);
      expect(res.body.error).toMatchObject({
        name: 'NotAllowedError',
        code: 'IDENTITY_NOT_YOURS',
        message: expect.stringContaining(
          'arn:aws:iam::444455556666:role/ClusterAdmin is not one of your IAM identities',
        ),
      });
      const list = await request(app).get('/requests').set(as(DANA));
      expect(list.body.items).toEqual([]);
    });

    it('refuses an identity from an annotation the requester could write', async () => {
      const { app } = await setup();
      const res = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body(ANNOTATED_USER))
        .expect(403);
      expect(res.body.error).toMatchObject({
        code: 'IDENTITY_NOT_VERIFIED',
        message: expect.stringContaining(
          'prove that you use it with "Verify the identity my kubectl uses"',
        ),
      });
    });

    it('records the provenance on the request, its history and the audit, and shows it to approvers', async () => {
      const { app, auditor } = await setup();
      const created = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body(SSO_ROLE))
        .expect(201);
      const provenance = {
        source: 'identity-center',
        label: 'SSO PaymentsDeveloper',
        verifiedAt: expect.any(String),
        permissionSetName: 'PaymentsDeveloper',
        assignedThrough: ['group payments-developers'],
      };
      expect(created.body.identityProvenance).toEqual(provenance);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'request-create',
          meta: expect.objectContaining({
            identitySource: 'identity-center',
            identityVerifiedAt: created.body.identityProvenance.verifiedAt,
          }),
        }),
      );

      // the approver sees it on the request and in its history
      const seen = await request(app)
        .get(`/requests/${created.body.id}`)
        .set(as(ALEX))
        .expect(200);
      expect(seen.body.identityProvenance).toEqual(provenance);
      expect(seen.body.events[0]).toMatchObject({
        type: 'created',
        details: { identityProvenance: provenance },
      });
    });

    it('accepts an identity proven with a kubectl token and records when', async () => {
      const { app } = await setup();
      const created = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body(PROVEN_ROLE))
        .expect(201);
      expect(created.body).toMatchObject({
        principalArn: PROVEN_ROLE,
        identityProvenance: {
          source: 'verified',
          verifiedAt: '2026-11-30T10:00:00.000Z',
        },
      });
    });
  },
);
