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

import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  Finding,
  IdentityAccess,
  IdentityDiagnosis,
} from '@eks-access/plugin-eks-access-common';
import { FindingList } from './FindingList';
import { DiagnosisFix, PermissionSummaryView } from './FixPlanPanel';

/** The root cause as the verdict explains it, without the old prose fix. */
function rootCauseFinding(
  access: IdentityAccess,
  diagnosis: IdentityDiagnosis,
): Finding[] {
  const found = access.verdict.findings.find(
    f => f.code === diagnosis.rootCause,
  );
  if (!found) return [];
  const { fix: _fix, ...rest } = found;
  return [rest];
}

/**
 * One identity's diagnosis: the root cause, the one verified plan (or the
 * decision an admin must make), what the identity can do, and the other
 * findings collapsed. Cluster-wide findings are shown once by the card.
 */
export function IdentityDiagnosisView(props: {
  access: IdentityAccess;
  diagnosis: IdentityDiagnosis;
  cluster: { name: string; region: string };
}) {
  const { access, diagnosis, cluster } = props;
  const label = access.identity.label;
  return (
    <div data-root-cause={diagnosis.rootCause ?? ''}>
      <FindingList
        findings={rootCauseFinding(access, diagnosis)}
        label={`Why: ${label}`}
      />
      <DiagnosisFix diagnosis={diagnosis} cluster={cluster} />
      {access.verdict.decision === 'allowed' && diagnosis.permissions && (
        <>
          <Typography variant="body2" component="h4">
            What it can do
          </Typography>
          <PermissionSummaryView summary={diagnosis.permissions} />
        </>
      )}
      {diagnosis.secondary.length > 0 && (
        <Accordion TransitionProps={{ unmountOnExit: true }}>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography variant="body2">
              Other findings ({diagnosis.secondary.length})
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <FindingList
              findings={diagnosis.secondary}
              label={`Other findings for ${label}`}
            />
          </AccordionDetails>
        </Accordion>
      )}
    </div>
  );
}
