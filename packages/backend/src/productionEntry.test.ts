import fs from 'node:fs';
import path from 'node:path';

// The local AWS sandbox is for development and tests only: `yarn start`
// adds it from dev/index.ts. The production entry point (src/index.ts) and
// the production dependencies must not reach it.
describe('production backend', () => {
  const sandbox = '@eks-access/plugin-eks-access-sandbox';
  const packageDir = path.resolve(__dirname, '..');

  it('does not depend on the sandbox outside devDependencies', () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
    );
    expect(Object.keys(pkg.dependencies)).not.toContain(sandbox);
    expect(Object.keys(pkg.devDependencies)).toContain(sandbox);
  });

  it('imports the sandbox from no production source file', () => {
    const sources = fs
      .readdirSync(path.join(packageDir, 'src'), { recursive: true })
      .map(String)
      .filter(file => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file));
    expect(sources).toContain('index.ts');
    for (const file of sources) {
      const text = fs.readFileSync(path.join(packageDir, 'src', file), 'utf8');
      expect({ file, importsSandbox: text.includes(sandbox) }).toEqual({
        file,
        importsSandbox: false,
      });
    }
  });
});
