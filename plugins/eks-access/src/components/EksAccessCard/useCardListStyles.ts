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

import { makeStyles } from '@material-ui/core/styles';

/**
 * The card's plain lists (my requests, recent attempts): no bullets, a rule
 * between items, a wrapping first line (chip and summary) and a quiet
 * monospace ARN line.
 */
export const useCardListStyles = makeStyles(theme => ({
  list: { listStyle: 'none', padding: 0, margin: theme.spacing(1, 0, 0, 0) },
  item: {
    padding: theme.spacing(1, 0),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  line: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  arn: {
    fontFamily: 'monospace',
    color: theme.palette.text.secondary,
  },
}));
