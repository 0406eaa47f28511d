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

import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EKS_ACCESS_PRINCIPALS_ANNOTATION,
  type Finding,
} from '@eks-access/plugin-eks-access-common';
import { AccessStatus } from '../AccessStatus';
import { FindingList } from './FindingList';
import { CommandBlock } from '../CommandBlock';

const exampleUserEntity = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: dana
  annotations:
    # One IAM role or user ARN per line; for a role, add the session name
    # you use when you assume it (SSO sessions are usually your email).
    ${EKS_ACCESS_PRINCIPALS_ANNOTATION}: |
      arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developer_0123456789abcdef session=dana@example.com
      arn:aws:iam::444455556666:user/engineering/dana`;

const useStyles = makeStyles(theme => ({
  root: { '& > *': { marginBottom: theme.spacing(1.5) } },
}));

/**
 * Shown when none of the signed-in user's IAM identities could be resolved:
 * explains how to declare them on the user's catalog entity.
 */
export function NoIdentitiesEmptyState(props: { notes?: Finding[] }) {
  // The backend's NOT_MAPPED note for "no identity" repeats this state, and
  // its finding title ("Nothing on the cluster admits this identity") speaks
  // of an identity the user does not have: show the other notes only.
  const notes = (props.notes ?? []).filter(note => note.code !== 'NOT_MAPPED');
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <Typography variant="body1" component="p">
        <AccessStatus status="no-identities">
          We don’t know which AWS identities you use
        </AccessStatus>
      </Typography>
      <Typography variant="body2" component="p">
        To see whether you can reach this cluster, list your IAM identities on
        your User entity in the catalog with the annotation{' '}
        <code>{EKS_ACCESS_PRINCIPALS_ANNOTATION}</code>: one IAM role or user
        ARN per line, optionally followed by <code>session=&lt;name&gt;</code>{' '}
        for the session name you use when assuming a role. Not sure which ARN
        you use? Run <code>aws sts get-caller-identity</code>, or paste its
        output below under “Check another identity”.
      </Typography>
      <CommandBlock text={exampleUserEntity} />
      <FindingList findings={notes} label="Notes about your identities" />
    </div>
  );
}
