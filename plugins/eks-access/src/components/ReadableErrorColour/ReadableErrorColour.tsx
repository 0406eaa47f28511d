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

import { Theme, ThemeProvider } from '@material-ui/core/styles';
import type { ReactNode } from 'react';

/** A red with at least 4.5:1 on white and on the light page background. */
const FALLBACK_ERROR_TEXT = '#C62828';

/**
 * The outer theme with an error colour that passes WCAG AA as text. MUI's
 * default error red (#f44336) is 3.68:1 on white, and form labels and helper
 * texts are drawn in it. Dark themes keep their own (light) error colour.
 */
export function readableErrorTheme(outer: Theme): Theme {
  if (outer.palette.type !== 'light') {
    return outer;
  }
  const main = outer.palette.errorText ?? FALLBACK_ERROR_TEXT;
  return {
    ...outer,
    palette: { ...outer.palette, error: { ...outer.palette.error, main } },
  };
}

/** Renders forms inside it with {@link readableErrorTheme}. */
export function ReadableErrorColour(props: { children: ReactNode }) {
  return (
    <ThemeProvider theme={readableErrorTheme}>{props.children}</ThemeProvider>
  );
}
