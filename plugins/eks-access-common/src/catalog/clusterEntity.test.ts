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

import type { Entity } from '@backstage/catalog-model';
import {
  eksClusterRefFromKubernetesCluster,
  getEksClusterRef,
  isEksClusterEntity,
  parseEksClusterArn,
} from './clusterEntity';

function resource(
  annotations: Record<string, string>,
  spec: Entity['spec'] = { type: 'kubernetes-cluster' },
  kind = 'Resource',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'c', annotations },
    spec,
  };
}

describe('parseEksClusterArn', () => {
  it('takes partition, region, account and the real name from the ARN', () => {
    expect(
      parseEksClusterArn(
        'arn:aws:eks:eu-west-1:444455556666:cluster/Data-Lake_01',
      ),
    ).toEqual({
      arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/Data-Lake_01',
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '444455556666',
      name: 'Data-Lake_01',
    });
    expect(
      parseEksClusterArn('arn:aws-cn:eks:cn-north-1:111122223333:cluster/x'),
    ).toMatchObject({ partition: 'aws-cn', region: 'cn-north-1', name: 'x' });
    expect(
      parseEksClusterArn(
        'arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/x',
      ),
    ).toMatchObject({ partition: 'aws-us-gov', region: 'us-gov-west-1' });
  });

  it.each([
    'arn:aws:eks:us-east-1:111122223333:nodegroup/c/ng/1',
    'arn:aws:eks:us-east-1:11112222333:cluster/c',
    'arn:aws:eks:us-east-1:111122223333:cluster/',
    'arn:aws:eks:us-east-1:111122223333:cluster/-bad',
    'arn:aws:eks:us-east-1:111122223333:cluster/a/b',
    'arn:aws:iam::111122223333:role/x',
    'arn:aws:eks:useast1:111122223333:cluster/c',
    'not an arn',
    '',
  ])('rejects %j', arn => {
    expect(parseEksClusterArn(arn)).toBeUndefined();
  });
});

describe('isEksClusterEntity and getEksClusterRef', () => {
  it('recognises shape A (upstream AWS module)', () => {
    const entity = resource({
      'amazonaws.com/arn':
        'arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
      'amazonaws.com/account-id': '111122223333',
      'kubernetes.io/x-k8s-aws-id': 'payments-prod',
    });
    expect(isEksClusterEntity(entity)).toBe(true);
    expect(getEksClusterRef(entity)).toMatchObject({
      name: 'payments-prod',
      region: 'us-east-1',
      accountId: '111122223333',
    });
  });

  it('recognises shape B (Roadie) and keeps the real name, not x-k8s-aws-id', () => {
    const entity = resource(
      {
        'amazon.com/eks-cluster-arn':
          'arn:aws:eks:eu-west-1:444455556666:cluster/search-prod',
        'kubernetes.io/x-k8s-aws-id': 'something-else',
      },
      { type: 'eks-cluster' },
    );
    expect(isEksClusterEntity(entity)).toBe(true);
    expect(getEksClusterRef(entity)?.name).toBe('search-prod');
  });

  it('recognises shape C (AWS Config) only for AWS::EKS::Cluster', () => {
    const annotations = {
      'aws.amazon.com/arn':
        'arn:aws:eks:eu-west-1:444455556666:cluster/Data-Lake_01',
      'aws.amazon.com/resource-type': 'AWS::EKS::Cluster',
    };
    const entity = resource(annotations, { type: 'eks-cluster' });
    expect(isEksClusterEntity(entity)).toBe(true);
    expect(getEksClusterRef(entity)?.name).toBe('Data-Lake_01');

    const other = resource(
      { ...annotations, 'aws.amazon.com/resource-type': 'AWS::S3::Bucket' },
      { type: 'eks-cluster' },
    );
    expect(isEksClusterEntity(other)).toBe(false);
    expect(getEksClusterRef(other)).toBeUndefined();
  });

  it('prefers eks-access.io/cluster-arn over the other annotations', () => {
    const entity = resource({
      'eks-access.io/cluster-arn':
        'arn:aws:eks:us-west-2:111122223333:cluster/real',
      'amazonaws.com/arn': 'arn:aws:eks:us-east-1:111122223333:cluster/other',
    });
    expect(getEksClusterRef(entity)?.name).toBe('real');
  });

  it('skips an annotation that is not an EKS cluster ARN', () => {
    const entity = resource({
      'amazonaws.com/arn': 'arn:aws:s3:::bucket',
      'amazon.com/eks-cluster-arn':
        'arn:aws:eks:us-east-1:111122223333:cluster/x',
    });
    expect(getEksClusterRef(entity)?.name).toBe('x');
  });

  it('is an EKS cluster by its API server, but has no ref until an ARN is given', () => {
    const entity = resource({
      'kubernetes.io/api-server':
        'https://ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com',
    });
    expect(isEksClusterEntity(entity)).toBe(true);
    expect(getEksClusterRef(entity)).toBeUndefined();
    expect(
      isEksClusterEntity(
        resource(
          {
            'kubernetes.io/api-server':
              'https://ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com',
          },
          { type: 'database' },
        ),
      ),
    ).toBe(false);
  });

  it('rejects other kinds, non-EKS clusters and entities without annotations', () => {
    expect(
      isEksClusterEntity(
        resource(
          {
            'amazonaws.com/arn': 'arn:aws:eks:us-east-1:111122223333:cluster/x',
          },
          { type: 'service' },
          'Component',
        ),
      ),
    ).toBe(false);
    expect(
      isEksClusterEntity(
        resource({ 'kubernetes.io/api-server': 'https://k8s.example.com' }),
      ),
    ).toBe(false);
    const bare: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'x' },
    };
    expect(isEksClusterEntity(bare)).toBe(false);
    expect(getEksClusterRef(bare)).toBeUndefined();
  });
});

describe('clusters as the Kubernetes plugin declares them', () => {
  const url = 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com';
  const role = 'arn:aws:iam::444455556666:role/k8s-reader';

  it('takes region from the EKS URL, account from the assumed role, name from x-k8s-aws-id, and keeps the role', () => {
    expect(
      eksClusterRefFromKubernetesCluster({
        name: 'reporting-prod',
        url,
        authProvider: 'aws',
        authMetadata: {
          'kubernetes.io/aws-assume-role': role,
          'kubernetes.io/aws-external-id': 'ext-1',
          'kubernetes.io/x-k8s-aws-id': 'Reporting_01',
        },
      }),
    ).toEqual({
      arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/Reporting_01',
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '444455556666',
      name: 'Reporting_01',
      assumeRole: { roleArn: role, externalId: 'ext-1' },
    });
  });

  it('prefers kubernetes.io/aws-account-id, and the explicit ARN over everything', () => {
    expect(
      eksClusterRefFromKubernetesCluster({
        name: 'c',
        url: 'https://X.yl4.cn-north-1.eks.amazonaws.com.cn',
        authProvider: 'aws',
        authMetadata: { 'kubernetes.io/aws-account-id': '111122223333' },
      })?.arn,
    ).toBe('arn:aws-cn:eks:cn-north-1:111122223333:cluster/c');
    expect(
      eksClusterRefFromKubernetesCluster({
        name: 'c',
        url: 'http://localhost:4600',
        authProvider: 'aws',
        authMetadata: {
          'eks-access.io/cluster-arn':
            'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
          'kubernetes.io/aws-assume-role': role,
        },
      }),
    ).toMatchObject({ name: 'ml-training', assumeRole: { roleArn: role } });
  });

  it('says nothing when account or region cannot be told, or the cluster is not AWS', () => {
    for (const cluster of [
      { name: 'c', url, authProvider: 'aws' },
      {
        name: 'c',
        url: 'https://k8s.example.com',
        authProvider: 'aws',
        authMetadata: { 'kubernetes.io/aws-assume-role': role },
      },
      {
        name: 'c',
        url,
        authProvider: 'google',
        authMetadata: { 'kubernetes.io/aws-assume-role': role },
      },
    ]) {
      expect(eksClusterRefFromKubernetesCluster(cluster)).toBeUndefined();
    }
  });

  it('reads a catalog-located cluster entity by its Kubernetes plugin annotations alone', () => {
    const entity = resource({
      'kubernetes.io/api-server': url,
      'kubernetes.io/auth-provider': 'aws',
      'kubernetes.io/aws-assume-role': role,
    });
    expect(isEksClusterEntity(entity)).toBe(true);
    expect(getEksClusterRef(entity)).toMatchObject({
      arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/c',
      assumeRole: { roleArn: role },
    });
    // auth-provider aws marks it as EKS even when the URL does not tell.
    expect(
      isEksClusterEntity(
        resource({
          'kubernetes.io/api-server': 'http://localhost:4600',
          'kubernetes.io/auth-provider': 'aws',
        }),
      ),
    ).toBe(true);
  });

  it('reads with the Kubernetes plugin role an entity that has an ARN too', () => {
    expect(
      getEksClusterRef(
        resource({
          'amazonaws.com/arn': 'arn:aws:eks:us-east-1:111122223333:cluster/x',
          'kubernetes.io/aws-assume-role': role,
          'kubernetes.io/aws-external-id': 'ext-2',
        }),
      )?.assumeRole,
    ).toEqual({ roleArn: role, externalId: 'ext-2' });
  });
});
