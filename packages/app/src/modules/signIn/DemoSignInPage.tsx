import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import type { SignInPageProps } from '@backstage/core-plugin-api';
import { Button, Grid, Typography } from '@material-ui/core';

/**
 * The people of the demo scenario (docs/demo-scenario.md). The backend's
 * `demo` auth provider signs in as the matching catalog User entity; it exists
 * only in the development config.
 */
const DEMO_USERS = [
  {
    id: 'dana',
    name: 'Dana Developer',
    role: 'Developer in team-payments: can reach some clusters, not others',
  },
  {
    id: 'alex',
    name: 'Alex Admin',
    role: 'Platform admin in platform-team: approves access requests',
  },
  {
    id: 'priya',
    name: 'Priya Platform',
    role: 'Second platform admin: approves the migration stages Alex proposes',
  },
  {
    id: 'sam',
    name: 'Sam Data',
    role: 'Developer in team-data, owner of the data clusters',
  },
];

const STORAGE_KEY = 'eks-access-demo-user';

/**
 * Lets a visitor pick one of the demo identities, then signs in through the
 * `demo` proxy provider. The choice is remembered so a reload keeps the
 * session; signing out forgets it.
 */
export const DemoSignInPage = (props: SignInPageProps) => {
  const [user, setUser] = useState<string | null>(() =>
    window.localStorage.getItem(STORAGE_KEY),
  );

  if (user) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="demo"
        headers={{ 'x-eks-access-demo-user': user }}
        onSignInSuccess={identityApi => {
          props.onSignInSuccess({
            getProfileInfo: () => identityApi.getProfileInfo(),
            getBackstageIdentity: () => identityApi.getBackstageIdentity(),
            getCredentials: () => identityApi.getCredentials(),
            signOut: async () => {
              window.localStorage.removeItem(STORAGE_KEY);
              await identityApi.signOut();
            },
          });
        }}
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Content>
              <InfoCard title="Demo sign-in failed">
                <Typography paragraph>{error?.message}</Typography>
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => {
                    window.localStorage.removeItem(STORAGE_KEY);
                    setUser(null);
                  }}
                >
                  Choose another user
                </Button>
              </InfoCard>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title="EKS Access for Backstage" subtitle="Demo portal" />
      <Content>
        <ContentHeader title="Sign in as one of the demo users" />
        <Grid container spacing={3}>
          {DEMO_USERS.map(u => (
            <Grid item xs={12} md={4} key={u.id}>
              <InfoCard title={u.name}>
                <Typography paragraph>{u.role}</Typography>
                <Button
                  variant="contained"
                  color="primary"
                  aria-label={`Sign in as ${u.name}`}
                  onClick={() => {
                    window.localStorage.setItem(STORAGE_KEY, u.id);
                    setUser(u.id);
                  }}
                >
                  Sign in as {u.name}
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
};
