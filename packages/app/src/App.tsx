import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Plugins listed in package.json (e.g. @eks-access/plugin-eks-access) are
// discovered automatically (`app.packages: all` in app-config.yaml).
export default createApp({
  features: [catalogPlugin, navModule, signInModule],
});
