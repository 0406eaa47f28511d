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

import BlockIcon from '@material-ui/icons/Block';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import RemoveCircleIcon from '@material-ui/icons/RemoveCircle';
import ScheduleIcon from '@material-ui/icons/Schedule';
import TimerOffIcon from '@material-ui/icons/TimerOff';
import type { AccessRequestState } from '@eks-access/plugin-eks-access-common';
import { StateChip, StateTone } from '../StateChip';
import { requestStateLabels } from './requestLabels';

const stateLooks: Record<
  AccessRequestState,
  { tone: StateTone; icon: typeof ScheduleIcon }
> = {
  pending: { tone: 'pending', icon: ScheduleIcon },
  approved: { tone: 'pending', icon: HourglassEmptyIcon },
  active: { tone: 'ok', icon: CheckCircleIcon },
  failed: { tone: 'error', icon: ErrorIcon },
  rejected: { tone: 'error', icon: CancelIcon },
  revoked: { tone: 'warning', icon: RemoveCircleIcon },
  expired: { tone: 'neutral', icon: TimerOffIcon },
  cancelled: { tone: 'neutral', icon: BlockIcon },
};

/** A request's state as a chip with its words, readable in every state. */
export function AccessRequestStateChip(props: { state: AccessRequestState }) {
  const look = stateLooks[props.state];
  return (
    <StateChip
      label={requestStateLabels[props.state]}
      tone={look.tone}
      icon={look.icon}
      state={props.state}
    />
  );
}
