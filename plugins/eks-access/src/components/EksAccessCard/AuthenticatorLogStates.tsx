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

import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { errorExplanation } from '../accessLabels';
import { CommandBlock } from '../CommandBlock';

/**
 * The states every view of a cluster's authenticator log shares before it
 * has lines to show: reading, a failed read with Retry, and logging turned
 * off with the command that turns it on.
 */
export function AuthenticatorLogStates(props: {
  loading: boolean;
  error?: Error;
  retry: () => void;
  /** Names the progress bar while nothing has been read yet. */
  loadingLabel: string;
  /** Leads the error message, e.g. "Could not read the authenticator log". */
  errorLead: string;
  /** The log's answer, once there is one. */
  value?: { logging: 'on' | 'off'; command?: string };
  /** What logging being off means for this view. */
  loggingOffText: string;
}) {
  const { loading, error, retry, value } = props;
  return (
    <>
      {loading && !value && <LinearProgress aria-label={props.loadingLabel} />}
      {error && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={retry}>
              Retry
            </Button>
          }
        >
          {props.errorLead}: {errorExplanation(error)}
        </Alert>
      )}
      {value?.logging === 'off' && (
        <>
          <Typography variant="body2">{props.loggingOffText}</Typography>
          {value.command && <CommandBlock text={value.command} />}
        </>
      )}
    </>
  );
}
