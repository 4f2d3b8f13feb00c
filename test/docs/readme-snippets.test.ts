/**
 * Every ```ts block of README.md and docs/*.md compiles under strict TypeScript, as a user's
 * project would compile it (issue 16): the blocks import `qredo-sign` and its subpaths by name,
 * resolved through the package's `exports` map to its declaration files, with `skipLibCheck: false`,
 * in two configurations:
 *   (a) browser/bundler: lib es2022 + dom, types [], moduleResolution bundler;
 *   (b) Node without DOM: lib es2022, types ["node"], module/moduleResolution node16.
 * The declarations are the built ones when dist/ is fresh, else emitted from src/ as the build
 * would (test/entries/consumer-package.ts). The first-contact consumer of issue 16's "Done when"
 * (initWasm from both entries, interface bodies, CommonJS too, TypeScript 5.0–5.6) is
 * test/entries/consumer-types.test.ts.
 *
 * Markers, an HTML comment on a line before the block (blank lines and other comments between are
 * fine): `<!-- snippet: node -->` checks a block in (b) only (it uses node: modules or `process`);
 * `<!-- snippet: skip REASON -->` leaves it out. Use them sparingly.
 *
 * The same file checks that every relative link of README.md and docs/*.md names a file that exists
 * and, for a link into a Markdown file, a heading that exists.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { CONSUMER_CONFIGS, installPackage, REPO } from '../entries/consumer-package.js';

const DOCS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

interface Snippet {
  doc: string;
  line: number; // 1-based line of the opening fence
  code: string;
  only?: 'node';
}

/** The ```ts blocks of one Markdown file, with the markers in front of them. */
function snippetsOf(doc: string): Snippet[] {
  const lines = readFileSync(join(REPO, doc), 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    if (open[2] === 'ts' || open[2] === 'typescript') {
      const markers: string[] = [];
      for (let j = i - 1; j >= 0; j--) {
        const t = lines[j].trim();
        if (t === '') continue;
        const m = /^<!--\s*(.*?)\s*-->$/.exec(t);
        if (!m) break;
        markers.push(m[1]);
      }
      const marker = markers.find((m) => m.startsWith('snippet:'));
      const indent = open[1].length;
      const code = lines
        .slice(i + 1, end)
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n');
      if (!marker?.startsWith('snippet: skip')) {
        out.push({ doc, line: i + 1, code, only: marker === 'snippet: node' ? 'node' : undefined });
      }
    }
    i = end;
  }
  return out;
}

/** Entries a browser bundle may import, and those that need Node (config (b) only). */
const BROWSER_ENTRIES = [
  'qredo-sign',
  'qredo-sign/webcrypto',
  'qredo-sign/wasm',
  'qredo-sign/js',
  'qredo-sign/qredo-api',
  'qredo-sign/agent',
  'qredo-sign/axios',
  'qredo-sign/openapi-fetch',
];
const NODE_ENTRIES = [
  'qredo-sign/node',
  'qredo-sign/nonce-store-redis',
  'qredo-sign/pkcs11',
  'qredo-sign/mock',
];

const CONFIGS = CONSUMER_CONFIGS;

/** Diagnostics of one configuration, each as `where: message`, snippets named by doc and line. */
function check(
  config: ts.CompilerOptions,
  files: Map<string, Snippet>,
  root: string,
): { ours: string[]; theirs: string[] } {
  const program = ts.createProgram([...files.keys()], { ...config, typeRoots: undefined });
  const ours: string[] = [];
  const theirs: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
    if (!d.file) {
      ours.push(`(global): ${text}`);
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const snippet = files.get(d.file.fileName);
    if (snippet) {
      ours.push(`${snippet.doc}:${snippet.line + 1 + line}: ${text}`);
      continue;
    }
    const where = `${relative(root, d.file.fileName)}:${line + 1}`;
    // Declarations of this package count as ours: users compile against them.
    const name = d.file.fileName;
    const own =
      name.startsWith(join(root, 'node_modules', 'qredo-sign')) ||
      (name.startsWith(REPO) && !name.startsWith(join(REPO, 'node_modules')));
    (own ? ours : theirs).push(`${where}: ${text}`);
  }
  return { ours, theirs };
}

const S = suite('README and docs snippets');

S('every ```ts block of README.md and docs/*.md compiles in configs (a) and (b)', () => {
  const snippets = DOCS.flatMap(snippetsOf);
  assert.ok(snippets.length >= 20, `found ${snippets.length} snippets`);
  const { root, source } = installPackage(['esm'], 'qredo-sign-snippets-');
  try {
    const dir = join(root, 'snippets');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const all = new Map<string, Snippet>();
    for (const s of snippets) {
      const file = join(dir, `${s.doc.replace(/\W+/g, '_')}_${s.line}.ts`);
      // `export {}` keeps a block without imports a module (top-level await needs one).
      writeFileSync(file, `${s.code}\nexport {};\n`);
      all.set(ts.sys.realpath!(file), s);
    }
    // A consumer importing every entry, so that declarations no snippet reaches are checked too.
    const entry = (names: string[], only?: 'node') => {
      const code = names.map((n, i) => `import * as e${i} from '${n}';\nvoid e${i};`).join('\n');
      const file = join(dir, `consumer_${only ?? 'all'}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      all.set(ts.sys.realpath!(file), {
        doc: `(every entry${only ? ', node' : ''})`,
        line: 0,
        code,
        only,
      });
    };
    entry(BROWSER_ENTRIES);
    entry(NODE_ENTRIES, 'node');
    const browser = new Map([...all].filter(([, s]) => s.only !== 'node'));
    const failures: string[] = [];
    const notes: string[] = [];
    for (const [name, files] of [
      ['a', browser],
      ['b', all],
    ] as const) {
      const { ours, theirs } = check(CONFIGS[name], files, root);
      failures.push(...ours.map((m) => `(${name}) ${m}`));
      notes.push(...theirs.map((m) => `(${name}) ${m}`));
    }
    if (notes.length) {
      console.log(`  third-party declarations (not failures):\n  ${notes.join('\n  ')}`);
    }
    assert.ok(
      failures.length === 0,
      `declarations from ${source}; ${snippets.length} snippets, ${browser.size} in (a):\n` +
        failures.join('\n'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/**
 * GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, numbered repeats;
 * each with its heading's text as written.
 */
function anchorsOf(file: string): Map<string, string> {
  const seen = new Map<string, number>();
  const anchors = new Map<string, string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const h = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = h[1]
      .replace(/<[^>]*>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.set(n === 0 ? base : `${base}-${n}`, h[1]);
  }
  return anchors;
}

S('every relative link in README.md and docs/*.md resolves to a file (and heading)', () => {
  const broken: string[] = [];
  let count = 0;
  for (const doc of DOCS) {
    const text = readFileSync(join(REPO, doc), 'utf8').replace(/^\s*```[\s\S]*?^\s*```/gm, '');
    const targets = [
      ...[...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
        (m) => m[1],
      ),
      ...[...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
      ...[...text.matchAll(/<(?:img|a)\s[^>]*(?:src|href)="([^"]+)"/g)].map((m) => m[1]),
    ];
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      count++;
      const [path, anchor] = target.split('#');
      const file = path === '' ? join(REPO, doc) : resolve(dirname(join(REPO, doc)), path);
      if (!file.startsWith(REPO) || !existsSync(file)) {
        broken.push(`${doc}: ${target} (no such file)`);
      } else if (anchor && file.endsWith('.md')) {
        const heading = anchorsOf(file).get(anchor);
        if (heading === undefined) broken.push(`${doc}: ${target} (no such heading)`);
        // The API site (TypeDoc, docs/*.md as its documents) slugs headings its own way: it drops
        // inline code and keeps '§', so such a heading's anchor differs there from GitHub's.
        else if (/[`§]/.test(heading)) {
          broken.push(`${doc}: ${target} (heading "${heading}": no \` or § in a linked heading)`);
        }
      }
    }
  }
  assert.ok(count >= 10, `found ${count} relative links`);
  assert.equal(broken, []);
});

S.run();
