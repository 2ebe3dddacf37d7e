// npm puts node_modules/.bin first on PATH for scripts, so `node` here is the project's own
// Node.js 22 (the `node` devDependency). This guard catches the one way around it: running a
// script file directly with an older machine `node`.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `Node.js ${process.versions.node} is too old: this project runs on Node.js >= 22.19 ` +
      '(it brings its own as the "node" devDependency; run it through npm scripts after `npm install`).',
  );
  process.exit(1);
}
