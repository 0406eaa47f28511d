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

export interface Config {
  /**
   * The local AWS sandbox (EKS, STS, IAM and each cluster's Kubernetes API),
   * started by the backend for development. Never enable it in production.
   */
  eksAccessSandbox?: {
    /** Start the sandbox with the backend. Default false. */
    enabled?: boolean;
    /** Port of the AWS endpoint (EKS, STS, IAM). Default 4566. */
    port?: number;
    /** First port of the per-cluster Kubernetes APIs, in scenario order. Default 4600. */
    kubePortBase?: number;
    /** `demo` or the path of a scenario YAML file. Default `demo`. */
    scenario?: string;
    /** A JSON file that keeps the sandbox's changes across restarts. */
    stateFile?: string;
  };
}
