import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the demo sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByRole(
        'button',
        { name: 'Sign in as Dana Developer' },
        { timeout: 20_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Alex Admin' }),
    ).toBeInTheDocument();
  }, 30_000);
});
