#!/usr/bin/env node
// Independent cross-check of the vectors with the JavaScript engine itself (node >= 16,
// no npm packages). RFC 8785 defines JCS number formatting as ECMAScript
// Number.prototype.toString and key order as UTF-16 code unit order, which is exactly
// what JSON.stringify and the default Array.prototype.sort do, so V8 is the reference.
//
// Checks:
//   Vectors/numbers.json  cases: JSON.stringify(Number(input)) === output (and JSON.parse
//                         agrees), and the exact decimal value of input is that of output;
//                         refused: Number(input) is not finite, or the exact decimal value of
//                         input differs from that of JSON.stringify(Number(input))
//                         (docs/chain-v1.md 2.2, revised)
//   Vectors/jcs.json      every valid case through a tiny JS canonicalizer, with every number
//                         in it exact; the invalid number-* cases (and the cases moved there by
//                         the revision) hold a number that is not
//   Vectors/chain.json    canonical_steps, genesis, leaves, heads, merkle roots (node:crypto)
//   Vectors/merkle.json   leaves and RFC 6962 roots
//   Vectors/seals.json    canonical seal bytes and Ed25519 signatures (node:crypto)
//
// Usage: node Verifiers/node/check-jcs-numbers.js [VECTORS_DIR]   (default: the checkout's Vectors/)
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const dir = process.argv[2] || path.join(__dirname, '..', '..', 'Vectors');
const load = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));

let checks = 0;
const failures = [];
function eq(where, got, expected) {
  checks++;
  if (got !== expected) failures.push(`${where}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

// RFC 8785 in a few lines: JSON.stringify for leaves, default sort (UTF-16) for keys.
function canon(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
  return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
}

const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
const hex = (b) => Buffer.from(b).toString('hex');
const B = (h) => Buffer.from(h, 'hex');
const byte = (x) => Buffer.from([x]);

function mth(leaves) {
  if (leaves.length === 0) return sha256(Buffer.alloc(0));
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(byte(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

// The exact decimal value of a JSON number text, normalized: sign, digits without leading or
// trailing zeros, and a (BigInt) exponent, so that 1.10, 110e-2 and 1.1 give the same string;
// every zero (0, -0, 0e10) gives "0".
function exactDecimal(text) {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m) throw new Error(`not a JSON number: ${text}`);
  const fraction = m[3] || '';
  const digits = (m[2] + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  const exponent = BigInt(m[4] || 0) - BigInt(fraction.length) + BigInt(digits.length - trimmed.length);
  return `${m[1]}${trimmed}e${exponent}`;
}

// Whether a number text is canonicalizable (docs/chain-v1.md 2.2, revised): its double is finite
// and the text's exact value is that of the double's JCS form (JSON.stringify).
function numberAccepted(text) {
  const value = Number(text);
  return Number.isFinite(value) && exactDecimal(text) === exactDecimal(JSON.stringify(value));
}

// The number tokens of a JSON text (strings skipped; the text is assumed to be JSON-like).
function numberTokens(text) {
  const out = [];
  const re = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  for (let i = 0; i < text.length;) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m) { i++; continue; }
      out.push(m[0]);
      i += m[0].length;
    } else {
      i++;
    }
  }
  return out;
}

// numbers.json
const numbersFile = load('numbers.json');
const numbers = numbersFile.cases;
const refused = numbersFile.refused || [];
for (const c of numbers) {
  eq(`numbers ${c.input} (Number)`, JSON.stringify(Number(c.input)), c.output);
  eq(`numbers ${c.input} (JSON.parse)`, JSON.stringify(JSON.parse(c.input)), c.output);
  eq(`numbers ${c.input} (exact)`, exactDecimal(c.input), exactDecimal(c.output));
}
for (const c of refused) {
  const value = Number(c.input);
  eq(`numbers refused ${c.input} (JSON.parse agrees with Number)`, Object.is(JSON.parse(c.input), value), true);
  if (!Number.isFinite(value)) {
    eq(`numbers refused ${c.input} (out of range)`, /out of the range/.test(c.reason), true);
  } else {
    const differs = exactDecimal(c.input) !== exactDecimal(JSON.stringify(value));
    eq(`numbers refused ${c.input} (exact value differs from ${JSON.stringify(value)})`, differs, true);
    eq(`numbers refused ${c.input} (reason names ${JSON.stringify(value)})`,
      c.reason.endsWith(`(it would be ${JSON.stringify(value)})`), true);
  }
}

// jcs.json (valid cases only: JSON.parse keeps the last duplicate and accepts lone surrogates)
const jcs = load('jcs.json');
for (const c of jcs.valid) {
  let got;
  try { got = canon(JSON.parse(c.input)); } catch (e) { got = 'THROWS ' + e.message; }
  eq(`jcs ${c.name}`, got, c.canonical);
  for (const t of numberTokens(c.input)) eq(`jcs ${c.name} number ${t} exact`, numberAccepted(t), true);
}
// Invalid cases about numbers: at least one number token that is not canonicalizable (the
// other invalid cases are refused for reasons JSON.parse does not see, or by JSON.parse itself).
const MOVED_BY_REVISION = new Set(['rfc8785-3.2.2-example', 'numbers-in-arrays', 'float-precision']);
let refusedJcs = 0;
for (const c of jcs.invalid) {
  if (!(c.name.startsWith('number-') || MOVED_BY_REVISION.has(c.name))) continue;
  const text = Buffer.from(c.input_hex, 'hex').toString('latin1');
  let parses = true;
  try { JSON.parse(text); } catch (e) { parses = false; }
  if (!parses && !c.name.startsWith('number-overflow')) continue; // not JSON for node either
  refusedJcs++;
  eq(`jcs invalid ${c.name} (a number is not canonicalizable)`, numberTokens(text).some((t) => !numberAccepted(t)), true);
}

// merkle.json
const merkle = load('merkle.json');
const mleaves = merkle.leaves.map((_, i) => sha256(byte(0), Buffer.from(`leaf-${i}`)));
eq('merkle leaves', JSON.stringify(mleaves.map(hex)), JSON.stringify(merkle.leaves));
for (const r of merkle.roots) eq(`merkle root n=${r.n}`, hex(mth(mleaves.slice(0, r.n))), r.root);

// chain.json
for (const t of load('chain.json').traces) {
  const w = `chain ${t.name}`;
  const genesis = sha256(byte(3), Buffer.from(canon(t.header), 'utf8'));
  eq(`${w} genesis`, hex(genesis), t.genesis);
  let head = genesis;
  const leaves = [];
  t.steps.forEach((step, i) => {
    const c = canon(step);
    eq(`${w} canonical_steps[${i}]`, c, t.canonical_steps[i]);
    const leaf = sha256(byte(0), Buffer.from(c, 'utf8'));
    leaves.push(leaf);
    eq(`${w} leaves[${i}]`, hex(leaf), t.leaves[i]);
    head = sha256(byte(2), head, leaf);
    eq(`${w} heads[${i}]`, hex(head), t.heads[i]);
    eq(`${w} merkle_roots[${i}]`, hex(mth(leaves)), t.merkle_roots[i]);
  });
  eq(`${w} head`, hex(head), t.head);
  eq(`${w} merkle_root`, hex(mth(leaves)), t.merkle_root);
  eq(`${w} chain_length`, t.steps.length, t.chain_length);
  const legacy = crypto.createHash('sha256').update(Buffer.from(t.header.run_id, 'utf8'));
  for (const s of t.steps) legacy.update(Buffer.from(`${s.step_index}:${s.skill_name}:${s.status}`, 'utf8'));
  eq(`${w} legacy_root_hash`, legacy.digest('hex'), t.legacy_root_hash);
}

// seals.json
const seals = load('seals.json');
const pub = crypto.createPublicKey(fs.readFileSync(path.join(dir, 'test-key.pub.pem')));
const rawPub = pub.export({ format: 'der', type: 'spki' }).subarray(12);
eq('seals key_id', hex(sha256(rawPub)), seals.key_id);
for (const c of seals.seals) {
  const w = `seals ${c.name}`;
  const bytes = Buffer.from(canon(c.seal), 'utf8');
  eq(`${w} canonical`, canon(c.seal), c.canonical);
  const strict = /^[A-Za-z0-9+/]*={0,2}$/.test(c.signature) && c.signature.length % 4 === 0;
  const sig = Buffer.from(c.signature, 'base64');
  const ok = strict && sig.length === 64 && sig.toString('base64') === c.signature &&
    c.seal.key_id === seals.key_id && crypto.verify(null, bytes, pub, sig);
  eq(`${w} valid`, ok, c.valid);
}

for (const f of failures) console.log('MISMATCH ' + f);
console.log(`${checks} checks (${numbers.length} numbers, ${refused.length} refused numbers, ${jcs.valid.length} JCS cases, ` +
  `${refusedJcs} invalid JCS cases about numbers), ${failures.length} mismatches`);
process.exit(failures.length ? 1 : 0);
