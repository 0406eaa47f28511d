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

import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { useId } from 'react';
import type { ClusterAccessStatus } from '@eks-access/plugin-eks-access-common';
import { statusLabels } from '../accessLabels';

/** What the user filters "My EKS access" by. Empty means "any". */
export interface ClusterFilterValues {
  status: ClusterAccessStatus | '';
  accountId: string;
  region: string;
  search: string;
}

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 160 },
  search: { minWidth: 260, flexGrow: 1 },
  // The labels sit on the page's grey background, where the secondary
  // text colour is 4.47:1; the primary one passes.
  // (:not() also makes this rule outrank MUI's own label colour.)
  label: { '&:not(.Mui-focused)': { color: theme.palette.text.primary } },
}));

function FilterSelect(props: {
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
  className: string;
  labelClassName: string;
}) {
  const { label, value, options, onChange, className, labelClassName } = props;
  const id = useId();
  return (
    <TextField
      id={id}
      select
      label={label}
      value={value}
      onChange={e => onChange(e.target.value)}
      variant="outlined"
      size="small"
      className={className}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true, className: labelClassName }}
    >
      <option value="">All</option>
      {options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}

/** Status, account and region selects and a search box, all native controls. */
export function ClusterFilters(props: {
  values: ClusterFilterValues;
  statuses: ClusterAccessStatus[];
  accountIds: string[];
  regions: string[];
  onChange: (values: ClusterFilterValues) => void;
}) {
  const { values, statuses, accountIds, regions, onChange } = props;
  const classes = useStyles();
  const searchId = useId();
  return (
    <div className={classes.root} role="search" aria-label="Filter clusters">
      <TextField
        id={searchId}
        type="search"
        label="Search clusters"
        value={values.search}
        onChange={e => onChange({ ...values, search: e.target.value })}
        variant="outlined"
        size="small"
        className={classes.search}
        InputLabelProps={{ className: classes.label }}
      />
      <FilterSelect
        label="Status"
        value={values.status}
        options={statuses.map(status => ({
          value: status,
          label: statusLabels[status],
        }))}
        onChange={status =>
          onChange({
            ...values,
            status: status as ClusterFilterValues['status'],
          })
        }
        className={classes.select}
        labelClassName={classes.label}
      />
      <FilterSelect
        label="Account"
        value={values.accountId}
        options={accountIds.map(id => ({ value: id, label: id }))}
        onChange={accountId => onChange({ ...values, accountId })}
        className={classes.select}
        labelClassName={classes.label}
      />
      <FilterSelect
        label="Region"
        value={values.region}
        options={regions.map(region => ({ value: region, label: region }))}
        onChange={region => onChange({ ...values, region })}
        className={classes.select}
        labelClassName={classes.label}
      />
    </div>
  );
}
