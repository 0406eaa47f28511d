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

import { useEffect, useState } from 'react';

/** "just now", "12 s ago", "3 min ago", "2 h ago" for an ISO time, relative to `now`. */
export function formatCheckedAgo(checkedAt: string, now: number): string {
  const seconds = Math.max(
    0,
    Math.round((now - new Date(checkedAt).getTime()) / 1000),
  );
  if (Number.isNaN(seconds)) {
    return 'at an unknown time';
  }
  if (seconds < 5) {
    return 'just now';
  }
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  return `${Math.floor(hours / 24)} days ago`;
}

/** "checked 12 s ago", kept current while shown. */
export function CheckedAgo(props: { checkedAt: string }) {
  const { checkedAt } = props;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, [checkedAt]);
  return (
    <time dateTime={checkedAt} title={new Date(checkedAt).toLocaleString()}>
      checked {formatCheckedAgo(checkedAt, now)}
    </time>
  );
}
