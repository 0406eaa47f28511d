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

import { AwsServiceError } from '../serviceError';

/** The EKS error shapes and AWS's messages for them. */
export const eksErrors = {
  clusterNotFound: (name: string) =>
    new AwsServiceError(
      'ResourceNotFoundException',
      404,
      `No cluster found for name: ${name}.`,
      {
        clusterName: name,
      },
    ),
  principalNotFound: (clusterName: string) =>
    new AwsServiceError(
      'ResourceNotFoundException',
      404,
      "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.",
      { clusterName },
    ),
  policyNotAssociated: (clusterName: string) =>
    new AwsServiceError(
      'ResourceNotFoundException',
      404,
      'The specified policyArn is not associated with the specified principalArn.',
      { clusterName },
    ),
  configMapMode: (clusterName: string) =>
    new AwsServiceError(
      'InvalidRequestException',
      400,
      "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
      { clusterName },
    ),
  inUse: (clusterName: string) =>
    new AwsServiceError(
      'ResourceInUseException',
      409,
      'The specified access entry resource is already in use on this cluster.',
      { clusterName },
    ),
  invalidParameter: (message: string, clusterName?: string) =>
    new AwsServiceError(
      'InvalidParameterException',
      400,
      message,
      clusterName ? { clusterName } : {},
    ),
  invalidPrincipal: (clusterName: string) =>
    new AwsServiceError(
      'InvalidParameterException',
      400,
      'The specified principalArn is invalid: invalid principal.',
      { clusterName },
    ),
  notStandard: (clusterName: string) =>
    new AwsServiceError(
      'InvalidParameterException',
      400,
      'This operation can only be performed on Access Entries with a type of "STANDARD".',
      { clusterName },
    ),
  accessDenied: (callerArn: string, action: string, resource: string) =>
    new AwsServiceError(
      'AccessDeniedException',
      403,
      `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`,
    ),
  throttling: () =>
    new AwsServiceError('ThrottlingException', 429, 'Rate exceeded'),
  server: (status: 500 | 503) =>
    status === 503
      ? new AwsServiceError(
          'ServiceUnavailableException',
          503,
          'The service is unavailable. Try again later.',
        )
      : new AwsServiceError(
          'ServerException',
          500,
          'An internal error occurred. Try again later.',
        ),
  unknownOperation: () =>
    new AwsServiceError('UnknownOperationException', 404, 'Unknown operation'),
};
