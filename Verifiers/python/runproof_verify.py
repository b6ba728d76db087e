#!/usr/bin/env python3
"""Independent verifier for the runproof chain format v1 (docs/chain-v1.md), its proof
files and its audit bundles, including leaf records and failure kinds (6.3), closing seals
(5.1), keyrings (6.4), authenticity (6.5), checkpoints as C2SP signed notes (10), inclusion
proofs as c2sp.org/tlog-proof (10.1), witness cosignatures (10.2), verification receipts
(10.3) and the tenant log (10.4).

Written from the format description only (not from the Swift sources), so that it can
serve as a cross-check of the Swift engine. Standard library only, plus the
`cryptography` package for Ed25519 when it is importable; without it signature checks
are skipped and reported as skipped.

Usage:
    runproof_verify.py export FILE [--pubkey PEM] [--require-signature] [--keyring JSON]
                                   [--require-closed]
        prints a JSON report (verdict, reason, failing_step_index, failure_kind, closed,
        authenticity, ...); exit 0 = HASH_CHAIN, 1 = FAILED, 2 = UNSUPPORTED,
        64 = the keyring is malformed (or unreadable)
    runproof_verify.py proof FILE [--pubkey PEM] [--require-signature] [--keyring JSON]
        verifies an inclusion or consistency proof (JSON); same report and exit codes
    runproof_verify.py proof FILE.tlog-proof [--vkey STRING | --pubkey PEM] [--require-signature]
        verifies an inclusion proof as c2sp.org/tlog-proof (10.1): a report with verdict,
        failing_step_index, failure_kind, authenticity, chain_length (the checkpoint's size),
        merkle_root, ...; exit 0 = HASH_CHAIN, 1 = FAILED, 64 = a malformed key. Against a
        tenant-log checkpoint (origin runproof-tenant-log/...), extra is the run's tenant-log
        entry (10.4) and index its position in the log
    runproof_verify.py proof FILE.json --vkey STRING
        verifies a tenant-log consistency proof (10.4, format runproof/tenant-log-consistency-v1):
        both checkpoints signed by the key, one origin, the RFC 9162 path; same report and exit
        codes (chain_length and merkle_root are the second checkpoint's)
    runproof_verify.py bundle FILE --pubkey PEM [--keyring JSON] [--require-closed]
        verifies an audit bundle (NDJSON export + evidence, governance, bundle signature);
        without --pubkey or --keyring the verdict is FAILED; same report and exit codes
    runproof_verify.py checkpoint FILE --vkey STRING [--witness W ...] [--witness-quorum K]
        opens a signed checkpoint (c2sp.org/signed-note, as Go's note.Open does) with the
        verifier key NAME+HASH+KEY; exit 0 and {"verified": true, "origin", "size",
        "root_hash", "head"} when a signature by that key verifies over a checkpoint body,
        1 and {"verified": false, "reason"} otherwise, 64 for a malformed verifier key;
        with witness keys (10.2), also 1 unless at least K of them (default all) have a valid
        cosignature/v1 of the body, and "witnesses" lists those that cosigned
    runproof_verify.py receipt FILE --pubkey PEM
        verifies a verification receipt (10.3: DSSE envelope of an in-toto Statement v1);
        exit 0 and {"verified": true, "verdict", "run_id"} when verified (whatever the
        recorded verdict), 1 and {"verified": false, ..., "reason"} otherwise
    runproof_verify.py vectors DIR
        recomputes every vector in DIR (normally Vectors/) and compares with the stored
        expected values; exit 0 when all match, 1 otherwise
    runproof_verify.py canonicalize [FILE]
        prints JCS(FILE or stdin) (exit 1 when the input cannot be canonicalized)
"""

import argparse
import base64
import hashlib
import json
import os
import re
import sys

try:  # Ed25519 is optional: without it signatures are reported as skipped.
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    HAVE_ED25519 = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_ED25519 = False

FORMAT = "runproof/v1"
MAX_DEPTH = 128
HEADER_KEYS = frozenset([
    "agent_id", "correlation_id", "format", "plan", "run_id", "started_at", "tenant_id",
    "trace_id",
])
STEP_KEYS = frozenset([
    "cost_cents", "duration_ms", "idempotency_key", "input_hash", "level",
    "outcome_category", "outcome_code", "outcome_data", "output_hash", "params",
    "replay_behavior", "retry_count", "rng_state_before", "skill_id", "skill_name", "source",
    "status", "step_index", "timestamp",
])
SEAL_KEYS = frozenset([
    "chain_length", "format", "genesis", "head", "key_id", "merkle_root", "run_id",
    "sealed_at", "tenant_id", "trace_id",
])
REDACTED_KEYS = frozenset(["leaf", "step_index"])
HEX64 = re.compile(r"\A[0-9a-f]{64}\Z")
TIMESTAMP = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\Z")
MAX_SAFE_INTEGER = 2 ** 53 - 1
# DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID
# 1.3.101.112 }, BIT STRING (33 bytes, 0 unused bits) } followed by the 32 raw key bytes.
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")

HASH_CHAIN, FAILED, UNSUPPORTED = "HASH_CHAIN", "FAILED", "UNSUPPORTED"
EXIT_CODES = {HASH_CHAIN: 0, FAILED: 1, UNSUPPORTED: 2}
EXIT_USAGE = 64  # a malformed keyring (or another unusable argument)
UNSIGNED = "unsigned"

# failure_kind values (docs/chain-v1.md 6.3); every FAILED verdict carries one.
CHANGED, REMOVED, INSERTED, REORDERED = "changed", "removed", "inserted", "reordered"
INDEX_GAP, DUPLICATE_INDEX, TRUNCATED = "index gap", "duplicate index", "truncated"
APPENDED_AFTER_CLOSE, NOT_CLOSED, MISMATCH = "appended after close", "not closed", "mismatch"
LEAF_RECORD, NOT_CANONICAL, SEAL, SIGNATURE = "leaf record", "not canonical", "seal", "signature"
# Not in the 6.3 table (which is about exports): an audit bundle's own lines (evidence,
# governance, content digest, their count and order) do not match.
BUNDLE = "bundle"
FAILURE_KINDS = frozenset([
    CHANGED, REMOVED, INSERTED, REORDERED, INDEX_GAP, DUPLICATE_INDEX, TRUNCATED,
    APPENDED_AFTER_CLOSE, NOT_CLOSED, MISMATCH, LEAF_RECORD, NOT_CANONICAL, SEAL, SIGNATURE,
])
LEAF_RECORD_MAX = 1024  # leaves per leaf-record line


# ---------------------------------------------------------------------------------------
# JCS (RFC 8785)
# ---------------------------------------------------------------------------------------

class JCSError(ValueError):
    """A value or a text that JCS cannot represent."""


def _reject_constant(name):
    raise JCSError("%s is not a JSON number" % name)


_NUMBER_TEXT = re.compile(r"\A(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?\Z")


def exact_decimal(text):
    """The exact decimal value of a JSON number text, normalized so that two texts of the same
    value compare equal: None for zero (whatever its sign), else (negative, digits without
    leading or trailing zeros, exponent) with value = digits * 10**exponent. ValueError when
    the text is not a JSON number (or its exponent has more than 4,000 digits)."""
    m = _NUMBER_TEXT.match(text)
    if not m:
        raise ValueError("not a JSON number: %r" % text)
    sign, integer, fraction, exponent = m.groups()
    fraction = fraction or ""
    digits = (integer + fraction).lstrip("0")
    if not digits:
        return None
    trimmed = digits.rstrip("0")
    power = 0
    if exponent is not None:
        magnitude = exponent.lstrip("+-").lstrip("0") or "0"
        if len(magnitude) > 4000:
            raise ValueError("exponent too long")
        power = -int(magnitude) if exponent.startswith("-") else int(magnitude)
    scale = power - len(fraction) + len(digits) - len(trimmed)
    return sign == "-", trimmed, scale


def number_problem(text):
    """None when the JSON number text is canonicalizable (docs/chain-v1.md 2.2, revised): its
    nearest double is finite and the exact decimal value of the text equals the exact decimal
    value of the JCS form of that double (so 1.10, 110e-2 and -0 are accepted, while
    9007199254740993, 0.1000000000000000055511151231257827, 1e-400 and 1e400 are refused).
    Else the reason, naming the double it would have become."""
    value = float(text)  # nearest double, ties to even, for any number of digits
    shown = text if len(text) <= 80 else text[:40] + "..." + text[-20:] + " (%d characters)" % len(text)
    if value != value or value in (float("inf"), float("-inf")):
        return "number %s is out of the range of a double" % shown
    canonical = format_number(value)
    try:
        exact = exact_decimal(text)
    except ValueError:
        exact = ()  # a nonzero value with an absurd exponent: never the double's
    if exact != exact_decimal(canonical):
        return "number %s is not exactly a double (it would be %s)" % (shown, canonical)
    return None


def _parse_number(text):
    problem = number_problem(text)
    if problem:
        raise JCSError(problem)
    return float(text)


def _object_from_pairs(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise JCSError("duplicate object key %s" % json.dumps(key))
        obj[key] = value
    return obj


def _has_surrogate(s):
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in s)


def _check_parsed(value, depth):
    """Depth limit and lone surrogates (json.loads accepts "\\ud800")."""
    if isinstance(value, str):
        if _has_surrogate(value):
            raise JCSError("lone surrogate in string %s" % json.dumps(value))
    elif isinstance(value, list):
        if depth + 1 > MAX_DEPTH:
            raise JCSError("nesting deeper than %d" % MAX_DEPTH)
        for item in value:
            _check_parsed(item, depth + 1)
    elif isinstance(value, dict):
        if depth + 1 > MAX_DEPTH:
            raise JCSError("nesting deeper than %d" % MAX_DEPTH)
        for key, item in value.items():
            if _has_surrogate(key):
                raise JCSError("lone surrogate in key %s" % json.dumps(key))
            _check_parsed(item, depth + 1)


def parse_json(data):
    """Strictly parses one JSON text (bytes must be UTF-8) into Python values.

    Objects become dicts, numbers become floats, and the result is rejected (JCSError)
    for: invalid UTF-8 (never replaced), a BOM, anything RFC 8259 does not allow,
    NaN/Infinity, a number that a double does not hold exactly (number_problem: it overflows,
    underflows to 0, or has more digits than its double's JCS form), duplicate keys
    (compared after unescaping, by UTF-16 code units: keys that Unicode normalization equates
    are distinct), lone surrogates and nesting deeper than 128 arrays/objects.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        try:
            text = bytes(data).decode("utf-8")  # strict: rejects overlong, surrogates, ...
        except UnicodeDecodeError as error:
            raise JCSError("invalid UTF-8: %s" % error)
    else:
        text = data
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object_from_pairs,
            parse_float=_parse_number,
            parse_int=_parse_number,
            parse_constant=_reject_constant,
        )
    except JCSError:
        raise
    except RecursionError:
        raise JCSError("nesting deeper than %d" % MAX_DEPTH)
    except ValueError as error:
        raise JCSError("invalid JSON: %s" % error)
    _check_parsed(value, 0)
    return value


_SHORT_ESCAPES = {
    '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
    "\r": "\\r",
}


def _jcs_string(s):
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif code < 0x20:
            out.append("\\u%04x" % code)
        elif 0xD800 <= code <= 0xDFFF:
            raise JCSError("lone surrogate in string %s" % json.dumps(s))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def format_number(x):
    """ECMAScript Number.prototype.toString(x) for a finite double (RFC 8785 §3.2.2.3)."""
    if x != x or x in (float("inf"), float("-inf")):
        raise JCSError("%r cannot be represented in JSON" % x)
    if x == 0:
        return "0"  # also -0
    if x < 0:
        return "-" + format_number(-x)
    # repr() gives the shortest digit string that round-trips, nearest to x.
    text = repr(x)
    mantissa, _, exponent = text.partition("e")
    exponent = int(exponent) if exponent else 0
    integer, _, fraction = mantissa.partition(".")
    digits = (integer + fraction).lstrip("0")
    scale = exponent - len(fraction)  # x = int(digits) * 10**scale
    trimmed = digits.rstrip("0")
    scale += len(digits) - len(trimmed)
    digits = trimmed
    k = len(digits)
    n = scale + k  # x = 0.digits * 10**n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    head = digits if k == 1 else digits[0] + "." + digits[1:]
    return "%se%s%d" % (head, "+" if e >= 0 else "-", abs(e))


def _utf16_key(key):
    return key.encode("utf-16-be")


def _jcs_emit(value, out):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        try:
            out.append(format_number(float(value)))
        except OverflowError:
            raise JCSError("integer %d is out of the range of a double" % value)
    elif isinstance(value, float):
        out.append(format_number(value))
    elif isinstance(value, str):
        out.append(_jcs_string(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _jcs_emit(item, out)
        out.append("]")
    elif isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise JCSError("object key %r is not a string" % (key,))
            if _has_surrogate(key):
                raise JCSError("lone surrogate in key %s" % json.dumps(key))
        out.append("{")
        for i, key in enumerate(sorted(value, key=_utf16_key)):
            if i:
                out.append(",")
            out.append(_jcs_string(key))
            out.append(":")
            _jcs_emit(value[key], out)
        out.append("}")
    else:
        raise JCSError("%r is not a JSON value" % (value,))


def jcs(value):
    """RFC 8785 canonical UTF-8 bytes of a JSON value (as returned by parse_json)."""
    out = []
    _jcs_emit(value, out)
    return "".join(out).encode("utf-8")


def canonicalize(data):
    """JCS of a JSON text (bytes or str)."""
    return jcs(parse_json(data))


# ---------------------------------------------------------------------------------------
# Chain
# ---------------------------------------------------------------------------------------

def H(data):
    return hashlib.sha256(data).digest()


def leaf_from_canonical(canonical_step):
    return H(b"\x00" + canonical_step)


def step_leaf(step):
    return leaf_from_canonical(jcs(step))


def genesis_hash(header):
    return H(b"\x03" + jcs(header))


def next_head(head, leaf):
    return H(b"\x02" + head + leaf)


def node_hash(left, right):
    return H(b"\x01" + left + right)


def merkle_root(leaves):
    """RFC 6962 Merkle Tree Hash over already-hashed leaves (recursive definition)."""
    n = len(leaves)
    if n == 0:
        return H(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(merkle_root(leaves[:k]), merkle_root(leaves[k:]))


class MerkleFrontier:
    """Incremental RFC 6962 root: the right frontier of perfect subtrees (<= log2(n)+1)."""

    def __init__(self):
        self.nodes = []  # (size, hash), sizes strictly decreasing
        self.size = 0

    def push(self, leaf):
        size, digest = 1, leaf
        while self.nodes and self.nodes[-1][0] == size:
            left_size, left = self.nodes.pop()
            size, digest = left_size + size, node_hash(left, digest)
        self.nodes.append((size, digest))
        self.size += 1

    def root(self):
        if not self.nodes:
            return H(b"")
        digest = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            digest = node_hash(left, digest)
        return digest


def legacy_root_hash(run_id, steps):
    """steps: iterable of (step_index, skill_name, status). Hex digest."""
    h = hashlib.sha256(run_id.encode("utf-8"))
    for index, skill_name, status in steps:
        h.update(("%d:%s:%s" % (index, skill_name, status)).encode("utf-8"))
    return h.hexdigest()


def compute_chain(header, steps):
    """Everything the spec derives from a header and its (full) step objects."""
    genesis = genesis_hash(header)
    head = genesis
    leaves, heads, roots, canonical = [], [], [], []
    frontier = MerkleFrontier()
    for step in steps:
        c = jcs(step)
        leaf = leaf_from_canonical(c)
        head = next_head(head, leaf)
        frontier.push(leaf)
        canonical.append(c.decode("utf-8"))
        leaves.append(leaf.hex())
        heads.append(head.hex())
        roots.append(frontier.root().hex())
    root = merkle_root([bytes.fromhex(x) for x in leaves]).hex()
    assert root == (roots[-1] if roots else H(b"").hex())
    return {
        "canonical_steps": canonical,
        "genesis": genesis.hex(),
        "leaves": leaves,
        "heads": heads,
        "merkle_roots": roots,
        "head": head.hex(),
        "merkle_root": root,
        "legacy_root_hash": legacy_root_hash(
            header["run_id"],
            ((int(s["step_index"]), s["skill_name"], s["status"]) for s in steps)),
        "chain_length": len(steps),
    }


# ---------------------------------------------------------------------------------------
# Seals and keys
# ---------------------------------------------------------------------------------------

def _pem_der(pem_text, label):
    lines = [line.strip() for line in pem_text.strip().splitlines()]
    begin, end = "-----BEGIN %s-----" % label, "-----END %s-----" % label
    if begin not in lines or end not in lines:
        raise ValueError("not a PEM %s" % label)
    body = lines[lines.index(begin) + 1:lines.index(end)]
    return base64.b64decode("".join(body), validate=True)


def public_key_raw(pem_text):
    """Raw 32-byte Ed25519 key from a SubjectPublicKeyInfo PEM (stdlib only)."""
    der = _pem_der(pem_text, "PUBLIC KEY")
    if len(der) != 44 or not der.startswith(ED25519_SPKI_PREFIX):
        raise ValueError("not an Ed25519 SubjectPublicKeyInfo")
    return der[len(ED25519_SPKI_PREFIX):]


def key_id(raw_public_key):
    return hashlib.sha256(raw_public_key).hexdigest()


def decode_signature(text):
    """Strict padded base64 of exactly 64 bytes, or None."""
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    if len(raw) != 64 or base64.b64encode(raw).decode("ascii") != text:
        return None
    return raw


def verify_seal_signature(seal, signature, raw_public_key):
    """True / False, or None when Ed25519 is not available (check skipped)."""
    raw_sig = decode_signature(signature)
    if raw_sig is None:
        return False
    if not HAVE_ED25519:
        return None
    try:
        Ed25519PublicKey.from_public_bytes(raw_public_key).verify(raw_sig, jcs(seal))
        return True
    except InvalidSignature:
        return False


def load_private_key(pem_path):
    with open(pem_path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def private_key_id(private_key):
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key_id(raw)


def sign_seal(seal, private_key):
    return base64.b64encode(private_key.sign(jcs(seal))).decode("ascii")


def make_seal(header, chain, length, sealed_at, key):
    """The seal object for the first `length` steps of `chain` (from compute_chain)."""
    return {
        "chain_length": length,
        "format": FORMAT,
        "genesis": chain["genesis"],
        "head": chain["heads"][length - 1] if length else chain["genesis"],
        "key_id": key,
        "merkle_root": chain["merkle_roots"][length - 1] if length else H(b"").hex(),
        "run_id": header["run_id"],
        "sealed_at": sealed_at,
        "tenant_id": header["tenant_id"],
        "trace_id": header["trace_id"],
    }


# ---------------------------------------------------------------------------------------
# Checkpoints in the transparency-log formats (section 10): c2sp.org/tlog-checkpoint bodies,
# c2sp.org/signed-note notes, verifier keys; opened the way golang.org/x/mod/sumdb/note
# Open does.
# ---------------------------------------------------------------------------------------

class NoteError(ValueError):
    """A signed note that does not open, or a note text that is not a checkpoint."""


class VkeyError(ValueError):
    """A verifier key string that cannot be used (the CLI exits with 64, a usage error)."""


DEFAULT_KEY_NAME = "runproof"
ORIGIN_PREFIX = "runproof/"
HEAD_EXTENSION = "runproof-head "
NOTE_SIG_PREFIX = "\u2014 "  # EM DASH U+2014, then a space
NOTE_ALG_ED25519 = 0x01
NOTE_MAX_SIGNATURES = 100
_ORIGIN_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Go's unicode.IsSpace: the Latin-1 spaces and the Unicode White_Space property.
_GO_SPACES = frozenset(
    "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_GO_BASE64 = re.compile(r"\A(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")
_CHECKPOINT_SIZE = re.compile(r"\A(?:0|[1-9][0-9]*)\Z")


def origin_component(text):
    """enc(x) of section 10: every byte of UTF-8 x that is not an ASCII letter, digit, '-',
    '.', '_' or '~' written as %XX (uppercase hex)."""
    return "".join(chr(b) if b in _ORIGIN_SAFE else "%%%02X" % b for b in text.encode("utf-8"))


def checkpoint_origin(tenant_id, trace_id):
    return ORIGIN_PREFIX + origin_component(tenant_id) + "/" + origin_component(trace_id)


def checkpoint_body(seal):
    """The c2sp.org/tlog-checkpoint body (UTF-8 bytes, every line ending in \\n) of a seal:
    origin, size (chain_length), base64 Merkle root, and the extension line
    `runproof-head <hex head>`. A closing seal renders the same body as the seal it closes."""
    size = seal["chain_length"]
    if isinstance(size, float):
        size = int(size)
    return ("%s\n%d\n%s\n%s%s\n" % (
        checkpoint_origin(seal["tenant_id"], seal["trace_id"]), size,
        base64.b64encode(bytes.fromhex(seal["merkle_root"])).decode("ascii"),
        HEAD_EXTENSION, seal["head"])).encode("utf-8")


def valid_key_name(name):
    """Go's note.isValidName: non-empty, valid UTF-8, no Unicode space, no '+'."""
    return (isinstance(name, str) and name != "" and "+" not in name
            and not _has_surrogate(name) and not any(ch in _GO_SPACES for ch in name))


def note_key_hash(name, raw_public_key):
    """The 4-byte key hash: the first 4 bytes of H(name || 0x0A || 0x01 || raw public key)."""
    return H(name.encode("utf-8") + b"\n" + bytes([NOTE_ALG_ED25519]) + bytes(raw_public_key))[:4]


def vkey(name, raw_public_key):
    """The verifier key `<name>+<8 hex key hash>+<base64(0x01 || raw public key)>`."""
    if not valid_key_name(name):
        raise ValueError("invalid key name %s: it must be non-empty, with no space and no '+'" % json.dumps(name))
    if len(raw_public_key) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes, not %d" % len(raw_public_key))
    return "%s+%s+%s" % (name, note_key_hash(name, raw_public_key).hex(),
                         base64.b64encode(bytes([NOTE_ALG_ED25519]) + bytes(raw_public_key)).decode("ascii"))


def _go_base64(text):
    """Go's base64.StdEncoding.DecodeString: padded standard alphabet; '\\r' and '\\n' are
    skipped; non-zero trailing bits are accepted. None when it fails."""
    text = text.replace("\r", "").replace("\n", "")
    if not _GO_BASE64.match(text):
        return None
    return base64.b64decode(text.encode("ascii"))


def parse_vkey(text):
    """(name, 4-byte key hash, raw 32-byte Ed25519 key) of a verifier key string, as Go's
    note.NewVerifier reads it; VkeyError when it is malformed, of an unknown algorithm or
    its key hash does not match."""
    if not isinstance(text, str):
        raise VkeyError("malformed verifier key: not a string")
    name, _, rest = text.partition("+")
    hash_hex, _, key64 = rest.partition("+")
    key = _go_base64(key64)
    if len(hash_hex) != 8 or not all(c in "0123456789abcdefABCDEF" for c in hash_hex) \
            or key is None or not valid_key_name(name) or not key:
        raise VkeyError("malformed verifier key %s (expected NAME+8 hex digits+base64 key)" % json.dumps(text))
    if bytes.fromhex(hash_hex) != H(name.encode("utf-8") + b"\n" + key)[:4]:
        raise VkeyError("invalid verifier key hash %s for %s" % (hash_hex, json.dumps(name)))
    if key[0] != NOTE_ALG_ED25519:
        raise VkeyError("unknown verifier algorithm %d (1 is Ed25519)" % key[0])
    if len(key) != 33:
        raise VkeyError("malformed verifier key: an Ed25519 key has 32 bytes, not %d" % (len(key) - 1))
    return name, bytes.fromhex(hash_hex), key[1:]


def sign_note(body, name, private_key):
    """The signed note (text) of `body`: body, a blank line and the signature line
    `— <name> <base64(key hash || Ed25519 signature of body)>`, ending in \\n."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body.endswith(b"\n"):
        raise ValueError("a note text ends with a newline")
    if not valid_key_name(name):
        raise ValueError("invalid key name %s: it must be non-empty, with no space and no '+'" % json.dumps(name))
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    signature = note_key_hash(name, raw) + private_key.sign(body)
    line = NOTE_SIG_PREFIX + name + " " + base64.b64encode(signature).decode("ascii")
    return body.decode("utf-8") + "\n" + line + "\n"


def checkpoint_signature_line(seal, private_key, name=DEFAULT_KEY_NAME):
    """The `checkpoint_signature` of a seal record: the signature line of its signed
    checkpoint, without the final newline."""
    return sign_note(checkpoint_body(seal), name, private_key).rstrip("\n").rsplit("\n", 1)[1]


def parse_signature_line(line):
    """(name, 4-byte key hash, signature bytes) of one note signature line (without its
    newline), with Go's rules; NoteError when it is malformed."""
    if not line.startswith(NOTE_SIG_PREFIX):
        raise NoteError("malformed note: a signature line does not start with \"\u2014 \"")
    name, _, b64 = line[len(NOTE_SIG_PREFIX):].partition(" ")
    raw = _go_base64(b64)
    if raw is None or not valid_key_name(name) or b64 == "" or len(raw) < 5:
        raise NoteError("malformed note: signature line %s" % json.dumps(line, ensure_ascii=True))
    return name, raw[:4], raw[4:]


def _ed25519_verify(raw_public_key, signature, message):
    """True / False (also for a signature that is not 64 bytes), None without Ed25519."""
    if not HAVE_ED25519:
        return None
    if len(signature) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(raw_public_key).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def open_note(note_text, verifier_key):
    """Opens a signed note with one verifier key (a string, or parse_vkey's triple), as Go's
    note.Open(msg, note.VerifierList(v)) does: the note is valid UTF-8 with no control
    character but newline; it is split at its LAST "\\n\\n"; every line after it is a
    signature line "— name base64(keyhash || sig)"; lines of unknown (name, key hash) are
    ignored, a repeated line of the known key too; the known key's first line must verify
    over the text before the blank line (final newline included), and at least one must.
    Returns that text (str); raises NoteError otherwise (VkeyError for a malformed key)."""
    name, key_hash, raw = parse_vkey(verifier_key) if isinstance(verifier_key, str) else verifier_key
    if isinstance(note_text, str):
        if _has_surrogate(note_text):
            raise NoteError("malformed note: not valid UTF-8")
        note_text = note_text.encode("utf-8")
    try:
        text = bytes(note_text).decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("malformed note: not valid UTF-8")
    if any(ch < " " and ch != "\n" for ch in text):
        raise NoteError("malformed note: a control character other than newline")
    split = text.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    body, sigs = text[:split + 1], text[split + 2:]
    if not sigs or not sigs.endswith("\n"):
        raise NoteError("malformed note: the signature block is empty or does not end with a newline")
    verified, seen, count = 0, False, 0
    for line in sigs[:-1].split("\n"):
        line_name, line_hash, signature = parse_signature_line(line)
        count += 1
        if count > NOTE_MAX_SIGNATURES:
            raise NoteError("malformed note: more than %d signatures" % NOTE_MAX_SIGNATURES)
        if (line_name, line_hash) != (name, key_hash):
            continue  # an unknown signer: ignored
        if seen:
            continue  # a repeated signature by the known key: ignored (not checked)
        seen = True
        ok = _ed25519_verify(raw, signature, body.encode("utf-8"))
        if ok is None:
            raise NoteError("the signature cannot be checked: the cryptography package is not available")
        if not ok:
            raise NoteError("invalid signature for key %s+%s" % (name, key_hash.hex()))
        verified += 1
    if not verified:
        raise NoteError("note has no verifiable signatures (none by %s+%s)" % (name, key_hash.hex()))
    return body


def parse_checkpoint(body):
    """(origin, size, 32-byte root hash, [extension lines]) of a c2sp.org/tlog-checkpoint
    body (str or UTF-8 bytes); NoteError when it is not one: every line ends in \\n, a
    non-empty origin, a decimal size without leading zeros, a root hash in padded standard
    base64 of 32 bytes, then non-empty extension lines."""
    if isinstance(body, (bytes, bytearray)):
        try:
            body = bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("not a checkpoint: not valid UTF-8")
    if not body.endswith("\n"):
        raise NoteError("not a checkpoint: the last line does not end with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("not a checkpoint: fewer than three lines")
    origin, size_text, root_text, extensions = lines[0], lines[1], lines[2], lines[3:]
    if not origin:
        raise NoteError("not a checkpoint: empty origin line")
    if not _CHECKPOINT_SIZE.match(size_text) or int(size_text) >= 2 ** 64:
        raise NoteError("not a checkpoint: size %s is not a decimal number without leading zeros"
                        % json.dumps(size_text))
    root = decode_base64_strict(root_text)
    if root is None or len(root) != 32:
        raise NoteError("not a checkpoint: root hash %s is not padded base64 of 32 bytes" % json.dumps(root_text))
    if any(not line for line in extensions):
        raise NoteError("not a checkpoint: an empty extension line")
    return origin, int(size_text), root, extensions


def decode_base64_strict(text):
    """Canonical padded standard base64 (RFC 4648 §4), or None."""
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def checkpoint_head(extensions):
    """The hex head of the `runproof-head` extension line, None without one; NoteError when
    there are several or the value is not 64 lowercase hex."""
    heads = [line[len(HEAD_EXTENSION):] for line in extensions if line.startswith(HEAD_EXTENSION)]
    if len(heads) > 1:
        raise NoteError("not a runproof checkpoint: %d runproof-head lines" % len(heads))
    if heads and not HEX64.match(heads[0]):
        raise NoteError("not a runproof checkpoint: runproof-head %s is not a SHA-256 hex digest"
                        % json.dumps(heads[0]))
    return heads[0] if heads else None


def check_checkpoint_note(data, verifier_key, witnesses=None, quorum=None):
    """The `checkpoint` subcommand: (exit code, result). 0 and {"verified": true, "origin",
    "size", "root_hash" (hex), "head" (hex or null)} when a signature by the key verifies and
    the text is a checkpoint; 1 and {"verified": false, "reason"} otherwise; 64 and
    {"verified": false, "reason"} when the verifier key is malformed.

    witnesses: witness verifier keys (10.2); when given, at least `quorum` of them (default:
    all; duplicates count once) must have a valid cosignature of the checkpoint body, and the
    result carries "witnesses": the names of those that cosigned, in the order given. A
    malformed witness key or a quorum outside 1 .. len(witnesses) is a usage error (64)."""
    try:
        key = parse_vkey(verifier_key)
        keys = []
        for text in witnesses or []:
            witness = parse_witness_vkey(text)
            if witness not in keys:
                keys.append(witness)
        if quorum is not None and not keys:
            raise VkeyError("--witness-quorum needs --witness keys")
        required = len(keys) if quorum is None else quorum
        if keys and not 1 <= required <= len(keys):
            raise VkeyError("--witness-quorum %d: it must be between 1 and the number of distinct witness "
                            "keys (%d)" % (required, len(keys)))
    except VkeyError as error:
        return EXIT_USAGE, {"verified": False, "reason": str(error)}
    try:
        body = open_note(data, key)
        origin, size, root, extensions = parse_checkpoint(body)
        head = checkpoint_head(extensions)
    except NoteError as error:
        return 1, {"verified": False, "reason": str(error)}
    result = {"verified": True, "origin": origin, "size": size, "root_hash": root.hex(), "head": head}
    if keys:
        cosigned = [w[0] for w in keys if cosigned_by(data, body, w) is not None]
        result["witnesses"] = cosigned
        if len(cosigned) < required:
            return 1, {"verified": False, "witnesses": cosigned,
                       "reason": "%d of %d witnesses cosigned the checkpoint (%s); %d required" % (
                           len(cosigned), len(keys), ", ".join(cosigned) or "none", required)}
    return 0, result


def checkpoint_signature_problem(seal, line, raw_public_key):
    """None when `line` (a seal record's checkpoint_signature) is a signature line whose key
    hash is that of raw_public_key under the line's name and whose Ed25519 signature verifies
    over checkpoint_body(seal); else what is wrong. (Without Ed25519: None, not checked.)"""
    if not isinstance(line, str):
        return "checkpoint_signature is not a string"
    if any(ch < " " for ch in line) or _has_surrogate(line):
        return "checkpoint_signature is not one signature line (it holds a control character)"
    try:
        name, key_hash, signature = parse_signature_line(line)
    except NoteError as error:
        return "checkpoint_signature: %s" % str(error).replace("malformed note: ", "malformed ")
    expected = note_key_hash(name, raw_public_key)
    if key_hash != expected:
        return "checkpoint_signature key hash %s is not the given key's under the name %s (%s)" % (
            key_hash.hex(), json.dumps(name), expected.hex())
    if _ed25519_verify(raw_public_key, signature, checkpoint_body(seal)) is False:
        return "checkpoint_signature does not verify over the seal's checkpoint"
    return None


# ---------------------------------------------------------------------------------------
# Witness cosignatures (section 10.2): c2sp.org/tlog-cosignature, cosignature/v1 (Ed25519).
# A cosignature is a note signature line whose key hash is taken with the algorithm byte
# 0x04 and whose signature bytes are an 8-byte big-endian time followed by an Ed25519
# signature over "cosignature/v1\ntime <time>\n" || checkpoint body.
# ---------------------------------------------------------------------------------------

COSIGNATURE_ALG_ED25519 = 0x04
COSIGNATURE_MAX_TIME = 2 ** 63 - 1  # c2sp.org/tlog-cosignature: the time MUST NOT exceed 2^63 - 1


def witness_key_hash(name, raw_public_key):
    """The 4-byte key hash of a witness: H(name || 0x0A || 0x04 || raw public key)[:4]."""
    return H(name.encode("utf-8") + b"\n" + bytes([COSIGNATURE_ALG_ED25519]) + bytes(raw_public_key))[:4]


def witness_vkey(name, raw_public_key):
    """The witness verifier key `<name>+<8 hex key hash>+<base64(0x04 || raw public key)>`."""
    if not valid_key_name(name):
        raise ValueError("invalid witness name %s: it must be non-empty, with no space and no '+'" % json.dumps(name))
    if len(raw_public_key) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes, not %d" % len(raw_public_key))
    return "%s+%s+%s" % (name, witness_key_hash(name, raw_public_key).hex(), base64.b64encode(
        bytes([COSIGNATURE_ALG_ED25519]) + bytes(raw_public_key)).decode("ascii"))


def parse_witness_vkey(text):
    """(name, 4-byte key hash, raw 32-byte key) of a witness verifier key; VkeyError when it
    is malformed, its algorithm byte is not 0x04 or its key hash does not match."""
    if not isinstance(text, str):
        raise VkeyError("malformed witness key: not a string")
    name, _, rest = text.partition("+")
    hash_hex, _, key64 = rest.partition("+")
    key = decode_base64_strict(key64)
    if len(hash_hex) != 8 or not all(c in "0123456789abcdef" for c in hash_hex) \
            or key is None or not valid_key_name(name) or not key:
        raise VkeyError("malformed witness key %s (expected NAME+8 lowercase hex digits+base64 key)" % json.dumps(text))
    if key[0] != COSIGNATURE_ALG_ED25519:
        raise VkeyError("witness key %s has algorithm %d, not 4 (an Ed25519 cosignature/v1 key)" % (
            json.dumps(name), key[0]))
    if len(key) != 33:
        raise VkeyError("malformed witness key: an Ed25519 key has 32 bytes, not %d" % (len(key) - 1))
    if bytes.fromhex(hash_hex) != H(name.encode("utf-8") + b"\n" + key)[:4]:
        raise VkeyError("invalid witness key hash %s for %s" % (hash_hex, json.dumps(name)))
    return name, bytes.fromhex(hash_hex), key[1:]


def cosignature_message(body, time):
    """What a witness signs: "cosignature/v1\\ntime <time>\\n" || body (bytes)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return ("cosignature/v1\ntime %d\n" % time).encode("ascii") + bytes(body)


def cosignature_line(body, name, private_key, time):
    """The cosignature line (without newline) of a checkpoint body by a witness at `time`."""
    if not valid_key_name(name):
        raise ValueError("invalid witness name %s" % json.dumps(name))
    if not 0 <= time <= COSIGNATURE_MAX_TIME:
        raise ValueError("cosignature time %d out of range" % time)
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    signature = private_key.sign(cosignature_message(body, time))
    blob = witness_key_hash(name, raw) + time.to_bytes(8, "big") + signature
    return NOTE_SIG_PREFIX + name + " " + base64.b64encode(blob).decode("ascii")


def _signature_lines(note_text):
    """The signature lines of a note that opened (text after its last blank line)."""
    if isinstance(note_text, (bytes, bytearray)):
        note_text = bytes(note_text).decode("utf-8")
    return note_text[note_text.rfind("\n\n") + 2:-1].split("\n")


def cosigned_by(note_text, body, witness):
    """The time (int) of a valid cosignature of `body` by `witness` (parse_witness_vkey's
    triple) among the note's signature lines, or None. Lines of other (name, key hash) are
    ignored; a line of the witness that does not verify (a signature over another body, a
    changed time, a time above 2^63 - 1, not 72 bytes) does not count, and a later valid
    line of the same witness still does."""
    name, key_hash, raw = witness
    body = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    for line in _signature_lines(note_text):
        try:
            line_name, line_hash, blob = parse_signature_line(line)
        except NoteError:
            continue
        if (line_name, line_hash) != (name, key_hash) or len(blob) != 72:
            continue
        time = int.from_bytes(blob[:8], "big")
        if time > COSIGNATURE_MAX_TIME:
            continue
        if _ed25519_verify(raw, blob[8:], cosignature_message(body, time)):
            return time
    return None


# ---------------------------------------------------------------------------------------
# Keyrings (6.4)
# ---------------------------------------------------------------------------------------

class KeyringError(ValueError):
    """A keyring file that cannot be used (the CLI exits with 64, a usage error)."""


KEYRING_ENTRY_KEYS = frozenset(["key_id", "public_key", "not_before", "not_after", "revoked_at"])
_LOOSE_TIMESTAMP = re.compile(
    r"\A(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
    r"(Z|[+-]\d{2}:\d{2})?\Z")


def normalize_timestamp(text):
    """The 2.3 form (UTC, six fractional digits, Z) of an ISO 8601 timestamp: with or without
    a fraction (at most six digits), with Z, an offset +HH:MM/-HH:MM, or none (UTC)."""
    import datetime
    m = _LOOSE_TIMESTAMP.match(text) if isinstance(text, str) else None
    if not m:
        raise ValueError("%s is not a timestamp" % json.dumps(text))
    year, month, day, hour, minute, second = (int(x) for x in m.groups()[:6])
    micros = int((m.group(7) or "0").ljust(6, "0"))
    zone = m.group(8)
    offset = datetime.timedelta(0)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    try:
        value = datetime.datetime(year, month, day, hour, minute, second, micros) - offset
    except (ValueError, OverflowError) as error:
        raise ValueError("%s is not a timestamp: %s" % (json.dumps(text), error))
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond)


def load_keyring(source):
    """Parses a keyring (a path, or bytes/str of its JSON) into {key_id: entry}.

    entry: {"raw": 32-byte key, "not_before", "not_after", "revoked_at"} (normalized
    timestamps or None). Raises KeyringError when the keyring is malformed: not
    {"keys": [...]}, an entry without exactly key_id, public_key, not_before, not_after,
    revoked_at, a public key that is not an Ed25519 SPKI PEM, a key_id that is not
    H(raw public key), a timestamp that cannot be read, or the same key_id twice.
    """
    data = source
    if isinstance(source, str) and not source.lstrip().startswith("{"):
        try:
            with open(source, "rb") as f:
                data = f.read()
        except OSError as error:
            raise KeyringError("cannot read the keyring %s: %s" % (source, error.strerror))
    try:
        value = parse_json(data)
    except JCSError as error:
        raise KeyringError("malformed keyring: %s" % error)
    if not isinstance(value, dict) or set(value) != {"keys"} or not isinstance(value["keys"], list):
        raise KeyringError("malformed keyring: expected {\"keys\": [...]}")
    keyring = {}
    for number, item in enumerate(value["keys"]):
        at = "malformed keyring: keys[%d]" % number
        if not isinstance(item, dict) or set(item) != KEYRING_ENTRY_KEYS:
            raise KeyringError("%s: expected exactly the keys %s" % (at, ", ".join(sorted(KEYRING_ENTRY_KEYS))))
        try:
            raw = public_key_raw(item["public_key"] if isinstance(item["public_key"], str) else "")
        except ValueError as error:
            raise KeyringError("%s: public_key: %s" % (at, error))
        kid = item["key_id"]
        if not isinstance(kid, str) or kid != key_id(raw):
            raise KeyringError("%s: key_id %s is not the SHA-256 of its public key (%s)" % (
                at, json.dumps(kid), key_id(raw)))
        if kid in keyring:
            raise KeyringError("%s: key_id %s appears twice" % (at, kid))
        entry = {"raw": raw}
        for field in ("not_before", "not_after", "revoked_at"):
            if item[field] is None and field != "not_before":
                entry[field] = None
                continue
            try:
                entry[field] = normalize_timestamp(item[field])
            except ValueError as error:
                raise KeyringError("%s: %s: %s" % (at, field, error))
        keyring[kid] = entry
    return keyring


def keyring_key_problem(keyring, kid, at):
    """(entry, None) when key kid of the keyring was valid and not revoked at `at` (a 2.3
    timestamp), else (None, what is wrong, after "key_id X ...")."""
    entry = keyring.get(kid) if isinstance(kid, str) else None
    if entry is None:
        return None, "is not in the keyring"
    if at < entry["not_before"]:
        return None, "was not yet valid at %s (not_before %s)" % (at, entry["not_before"])
    if entry["not_after"] is not None and at >= entry["not_after"]:
        return None, "had expired at %s (not_after %s)" % (at, entry["not_after"])
    if entry["revoked_at"] is not None and at >= entry["revoked_at"]:
        return None, "was revoked at %s (revoked_at %s)" % (at, entry["revoked_at"])
    return entry, None


def _keyring_problem(report, seals, keyring):
    """6.4: every seal signed by a keyring key valid and not revoked at its sealed_at, with a
    valid signature. seals: [(seal, signature)]. None when all pass, else the reason."""
    for record in seals:
        seal, signature = record
        name = _seal_name(seal)
        if seal["key_id"] is None:
            report["signature"] = "invalid"
            return "the %s is unsigned: with a keyring every seal must be signed" % name
        entry, problem = keyring_key_problem(keyring, seal["key_id"], seal["sealed_at"])
        if problem:
            report["signature"] = "invalid"
            return "the %s was signed by key_id %s, which %s" % (name, seal["key_id"], problem)
        ok = verify_seal_signature(seal, signature, entry["raw"])
        if ok is None:
            report["signature"] = "skipped (the cryptography package is not available)"
            return "the %s cannot be checked against the keyring: the cryptography package is not available" % name
        if not ok:
            report["signature"] = "invalid"
            return "bad signature on the %s (key_id %s)" % (name, seal["key_id"])
        problem = _checkpoint_problem(report, record, entry["raw"])
        if problem:
            return problem
    report["signature"] = "valid"
    return None


# ---------------------------------------------------------------------------------------
# Export verification
# ---------------------------------------------------------------------------------------

def _is_int(value):
    return (isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER) \
        or (isinstance(value, int) and not isinstance(value, bool))


class _Pairs(list):
    """Object members as parsed, duplicates kept (for locating a problem)."""


class _RefusedNumber(str):
    """A number text that number_problem refuses (for locating a problem)."""

    @classmethod
    def parse(cls, text):
        return cls(text) if number_problem(text) else float(text)


def locate_problem(data):
    """Best-effort path (list of keys/indexes) of the first value JCS cannot represent.

    Re-parses leniently (NaN/Infinity, numbers a double does not hold and duplicate keys
    allowed, invalid UTF-8 kept as surrogate escapes) so that a verification failure can name
    the step's field. Only for naming: the verdict comes from parse_json.
    """
    text = bytes(data).decode("utf-8", "surrogateescape") if isinstance(data, (bytes, bytearray)) else data
    try:
        value = json.loads(text, object_pairs_hook=_Pairs, parse_float=_RefusedNumber.parse,
                           parse_int=_RefusedNumber.parse)
    except (ValueError, RecursionError):
        return None
    bad = (float("inf"), float("-inf"))

    def walk(v, path):
        if isinstance(v, float) and (v != v or v in bad):
            return path
        if isinstance(v, _RefusedNumber):
            return path
        if isinstance(v, str) and _has_surrogate(v):
            return path
        if isinstance(v, _Pairs):
            seen = set()
            for key, item in v:
                here = path + [key]
                if _has_surrogate(key) or key in seen:
                    return here
                seen.add(key)
                found = walk(item, here)
                if found is not None:
                    return found
        elif isinstance(v, list):
            for i, item in enumerate(v):
                found = walk(item, path + [i])
                if found is not None:
                    return found
        return None

    return walk(value, [])


def format_path(path):
    out = ""
    for part in path:
        if isinstance(part, int):
            out += "[%d]" % part
        else:
            out += ("." if out else "") + json.dumps(part, ensure_ascii=True).strip('"')
    return out


def _guess_index(line):
    m = re.search(rb'"step_index"\s*:\s*(-?\d+)', line)
    return int(m.group(1)) if m else None


class SealRecord(tuple):
    """(seal, signature) of a seal line, and its optional `checkpoint_signature` (section 10:
    the signature line of the seal's signed checkpoint; not part of the signed seal)."""

    def __new__(cls, seal, signature, checkpoint_signature=None):
        self = tuple.__new__(cls, (seal, signature))
        self.checkpoint_signature = checkpoint_signature
        return self


SEAL_RECORD_KEYS = frozenset(["seal", "signature", "checkpoint_signature"])


def _check_seal_record(record):
    """Returns a SealRecord (seal, signature) or raises ValueError naming the problem."""
    if not isinstance(record, dict) or "seal" not in record:
        raise ValueError("not a seal line")
    extra = set(record) - SEAL_RECORD_KEYS
    if extra:
        raise ValueError("unexpected key %s in seal line" % json.dumps(sorted(extra)[0]))
    seal, signature = record["seal"], record.get("signature")
    if not isinstance(seal, dict):
        raise ValueError("seal is not an object")
    expected = SEAL_KEYS | {"closed"} if "closed" in seal else SEAL_KEYS
    if set(seal) != expected:
        missing, extra = sorted(expected - set(seal)), sorted(set(seal) - expected)
        raise ValueError("seal key %s is %s" % (
            json.dumps((missing or extra)[0]), "missing" if missing else "unexpected"))
    if "closed" in seal and seal["closed"] is not True:
        raise ValueError("seal closed is %s: a closing seal has \"closed\": true, any other seal "
                         "has no closed key" % json.dumps(seal["closed"]))
    if seal["format"] != FORMAT:
        raise ValueError("seal format is not %s" % FORMAT)
    if not _is_int(seal["chain_length"]) or seal["chain_length"] < 0:
        raise ValueError("seal chain_length is not a non-negative integer")
    seal = dict(seal, chain_length=int(seal["chain_length"]))
    for field in ("genesis", "head", "merkle_root"):
        if not isinstance(seal[field], str) or not HEX64.match(seal[field]):
            raise ValueError("seal %s is not a SHA-256 hex digest" % field)
    for field in ("run_id", "tenant_id", "trace_id"):
        if not isinstance(seal[field], str):
            raise ValueError("seal %s is not a string" % field)
    if not isinstance(seal["sealed_at"], str) or not TIMESTAMP.match(seal["sealed_at"]):
        raise ValueError("seal sealed_at is not a runproof timestamp")
    if seal["key_id"] is None:
        if "signature" in record:
            raise ValueError("unsigned seal (key_id null) carries a signature")
        if "checkpoint_signature" in record:
            raise ValueError("unsigned seal (key_id null) carries a checkpoint_signature")
    else:
        if not isinstance(seal["key_id"], str) or not HEX64.match(seal["key_id"]):
            raise ValueError("seal key_id is not a SHA-256 hex digest")
        if not isinstance(signature, str):
            raise ValueError("signed seal (key_id set) has no signature string")
    checkpoint_signature = record.get("checkpoint_signature")
    if "checkpoint_signature" in record and not isinstance(checkpoint_signature, str):
        raise ValueError("checkpoint_signature is not a string")
    return SealRecord(seal, signature, checkpoint_signature)


def _checkpoint_problem(report, record, raw_public_key):
    """Section 10: a seal record's checkpoint_signature, when present, checked with the key
    that checked its seal. None when absent or valid, else the reason (sets report)."""
    line = getattr(record, "checkpoint_signature", None)
    if line is None or not HAVE_ED25519:
        return None
    problem = checkpoint_signature_problem(record[0], line, raw_public_key)
    if problem:
        report["signature"] = "invalid"
        return "bad checkpoint_signature on the %s: %s" % (_seal_name(record[0]), problem)
    return None


def _split_lines(data):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def _new_report():
    return {
        "verdict": None, "reason": None, "failing_step_index": None, "failure_kind": None,
        "chain_length": 0, "head": None, "merkle_root": None, "legacy_root_hash": None,
        "genesis": None, "unsealed_steps": None, "seals": 0, "signature": None, "run_id": None,
        "closed": False, "authenticity": UNSIGNED,
    }


def _authenticity(latest_seal, keyring, pubkey_pem):
    """6.5, in this order: no seal or an unsigned latest seal; a keyring; a public key; neither."""
    if latest_seal is None or latest_seal["key_id"] is None:
        return UNSIGNED
    if keyring is not None:
        return "keyring"
    if pubkey_pem is not None:
        return "pubkey"
    return "unchecked"


def _seal_name(seal):
    return "%sseal at chain_length %d" % ("closing " if seal.get("closed") else "", seal["chain_length"])


def _header_problem(header):
    """None when `header` is a valid header object, else what is wrong with it."""
    if not isinstance(header, dict) or set(header) != HEADER_KEYS:
        return "the header does not have the header keys"
    if header["format"] != FORMAT:
        return "header format is not %s" % FORMAT
    for field in ("run_id", "tenant_id", "trace_id"):
        if not isinstance(header[field], str):
            return "header %s is not a string" % field
    return None


def _seal_binding_problem(seal, header, genesis):
    """None when the seal names the header's tenant, run, trace and genesis."""
    for field in ("tenant_id", "run_id", "trace_id"):
        if seal[field] != header[field]:
            return "seal of another %s: seal %s %s, trace %s %s" % (
                field[:-3], field, json.dumps(seal[field]), field, json.dumps(header[field]))
    if seal["genesis"] != genesis.hex():
        return "seal genesis %s does not match the header genesis %s" % (seal["genesis"], genesis.hex())
    return None


def _read_pem(pubkey_pem):
    """PEM text, or the content of the file it names."""
    if os.path.exists(str(pubkey_pem)) and "-----BEGIN" not in str(pubkey_pem):
        with open(pubkey_pem, "r", encoding="ascii") as f:
            return f.read()
    return pubkey_pem


def _signature_problem(report, seal, signature, pubkey_pem, require_signature, what="the latest seal",
                       record=None):
    """Trust rules of 6.2 for the one seal whose signature counts; sets report["signature"].
    record: its SealRecord, whose checkpoint_signature (section 10) is checked too.

    Returns None when the seal is acceptable, else the reason for FAILED.
    """
    if seal["key_id"] is None:
        report["signature"] = "unsigned"
        if require_signature:
            return "%s is unsigned and a signature is required" % what
        return None
    if pubkey_pem is None:
        report["signature"] = "not checked (no public key given)"
        if require_signature:
            return "a signature is required but no public key was given to check it"
        return None
    raw = public_key_raw(_read_pem(pubkey_pem))
    if seal["key_id"] != key_id(raw):
        report["signature"] = "invalid"
        return "%s was signed by key_id %s, not by the given public key (key_id %s)" % (
            what, seal["key_id"], key_id(raw))
    ok = verify_seal_signature(seal, signature, raw)
    if ok is None:
        report["signature"] = "skipped (the cryptography package is not available)"
        if require_signature:
            return "a signature is required but cannot be checked: the cryptography package is not available"
        return None
    if not ok:
        report["signature"] = "invalid"
        return "bad signature on the seal at chain_length %d" % seal["chain_length"]
    if record is not None:
        problem = _checkpoint_problem(report, record, raw)
        if problem:
            return problem
    report["signature"] = "valid"
    return None


def _pubkey_problem(report, seals, latest, pubkey_pem, require_signature):
    """6.2 for the seals of one trace: the latest seal under the trust rules; then (revised)
    every other seal whose key_id is the given key's id must verify too."""
    problem = _signature_problem(report, latest[0], latest[1], pubkey_pem, require_signature,
                                 record=latest)
    if problem or pubkey_pem is None:
        return problem
    raw = public_key_raw(_read_pem(pubkey_pem))
    kid = key_id(raw)
    for record in seals:
        seal, signature = record
        if seal is latest[0] or seal["key_id"] != kid:
            continue
        if verify_seal_signature(seal, signature, raw) is False:
            report["signature"] = "invalid"
            return "bad signature on the %s (key_id of the given public key)" % _seal_name(seal)
        problem = _checkpoint_problem(report, record, raw)
        if problem:
            return problem
    return None


# Trailing records of an export, in the only order allowed: seals, then (in an audit bundle)
# one evidence line, one governance line and the bundle signature.
TRAILER_KINDS = ("seal", "evidence", "governance", "bundle_signature")


def _trailer_kind(record):
    """The kind of a trailing record, or None for a line that is not one."""
    if not isinstance(record, dict) or not record:
        return None
    if "seal" in record:
        return "seal"
    first = min(record, key=_utf16_key)  # the key a JCS line starts with
    return first if first in TRAILER_KINDS else None


# A leaf-record line has the single key "leaf_record", so its text starts with it (JSON
# whitespace aside); any other line among the steps is a step row.
_LEAF_RECORD_LINE = re.compile(rb'\A[ \t\r\n]*\{[ \t\r\n]*"leaf_record"')


def _leaf_record(value):
    """(from, [32-byte leaves]) of a parsed leaf-record line, or ValueError naming the problem."""
    if not isinstance(value, dict) or set(value) != {"leaf_record"}:
        raise ValueError("a leaf-record line is {\"leaf_record\": {...}} and nothing else")
    record = value["leaf_record"]
    if not isinstance(record, dict) or set(record) != {"from", "leaves"}:
        raise ValueError("leaf_record does not have exactly the keys \"from\" and \"leaves\"")
    if not _is_int(record["from"]) or record["from"] < 0:
        raise ValueError("leaf_record from is not a non-negative integer")
    text, raw = record["leaves"], None
    if isinstance(text, str):
        try:
            raw = base64.b64decode(text.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raw = None
        if raw is not None and base64.b64encode(raw).decode("ascii") != text:
            raw = None
    if raw is None:
        raise ValueError("leaf_record leaves is not canonical padded base64")
    if not raw or len(raw) % 32:
        raise ValueError("leaf_record leaves decodes to %d bytes, not a non-empty multiple of 32" % len(raw))
    if len(raw) // 32 > LEAF_RECORD_MAX:
        raise ValueError("leaf_record holds %d leaves, more than %d" % (len(raw) // 32, LEAF_RECORD_MAX))
    return int(record["from"]), [raw[i:i + 32] for i in range(0, len(raw), 32)]


def _seal_order_problem(seals):
    """Section 7: seal lines in ascending chain_length order, a closing seal last (after a shorter seal, or
    after the seal at its length, agreeing with it). Checked in one pass over the lines, as a streaming reader
    does: (reason, index, kind) of the first problem, or None."""
    previous = None
    for seal, _ in seals:
        length = seal["chain_length"]
        if previous is not None:
            before = previous["chain_length"]
            if previous.get("closed"):
                if length > before:
                    return ("appended after close: a %s follows the closing seal at chain_length %d" % (
                        _seal_name(seal), before), before, APPENDED_AFTER_CLOSE)
                return ("malformed export: a %s follows the closing seal (a closing seal is the last "
                        "seal line, and a trace has at most one)" % _seal_name(seal), None, SEAL)
            if length < before:
                return ("seal lines out of order: a %s follows the seal at chain_length %d" % (
                    _seal_name(seal), before), None, SEAL)
            if length == before:
                if not seal.get("closed"):
                    return ("duplicate seal: two seals at chain_length %d (only a closing seal may repeat "
                            "the length of the seal before it)" % length, None, SEAL)
                if previous["head"] != seal["head"] or previous["merkle_root"] != seal["merkle_root"]:
                    return ("the closing seal at chain_length %d disagrees with the seal before it at the "
                            "same length (head or merkle_root)" % length, None, SEAL)
        previous = seal
    return None


class _Row(object):
    """One step line as read: parsed value (or error), step_index, leaf c_j, full or redacted."""

    __slots__ = ("lineno", "line", "value", "error", "index", "leaf", "full")

    def __init__(self, lineno, line):
        self.lineno, self.line = lineno, line
        self.value = self.error = self.index = self.leaf = None
        self.full = False
        try:
            self.value = parse_json(line)
        except JCSError as error:
            self.error = error
            return
        value = self.value
        if not isinstance(value, dict) or "seal" in value or not _is_int(value.get("step_index")):
            return
        self.index = int(value["step_index"])
        keys = set(value)
        if keys == REDACTED_KEYS:
            if isinstance(value["leaf"], str) and HEX64.match(value["leaf"]):
                self.leaf = bytes.fromhex(value["leaf"])
        elif keys == STEP_KEYS:
            self.full = True
            self.leaf = step_leaf(value)

    def reindexed(self, index):
        """R(row, i): the leaf of this full step with its top-level step_index set to i (the
        member just before "timestamp" in the canonical bytes)."""
        return step_leaf(dict(self.value, step_index=index))


def verify_export(path, pubkey_pem=None, require_signature=False, keyring=None,
                  require_closed=False):
    """Verifies an NDJSON export file. pubkey_pem: PEM text (or a path to it); keyring: a
    dict from load_keyring (6.4); require_closed: FAILED "not closed" unless the latest seal
    is a closing seal (5.1).

    Evidence, governance and bundle_signature lines after the seals (an audit bundle) are
    accepted and ignored here; verify_bundle checks them.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        report = _new_report()
        report["verdict"], report["reason"] = UNSUPPORTED, "no trace: cannot read %s: %s" % (path, error.strerror)
        return report
    return _verify_export_data(data, pubkey_pem, require_signature, {}, keyring, require_closed)


_LOCATED = {
    CHANGED: "step %(e)d changed",
    REMOVED: "step %(e)d was removed (the steps after it moved down one index)",
    INSERTED: "a step was inserted at %(e)d (the steps after it moved up one index)",
    REORDERED: "steps %(e)d and %(other)d were swapped",
}


def _verify_export_data(data, pubkey_pem, require_signature, state, keyring=None,
                        require_closed=False):
    """Export verification of `data`; fills `state` with lines, header and trailer once known."""
    report = _new_report()

    def done(verdict, reason, index=None, kind=None):
        assert (verdict == FAILED) == (kind is not None), (verdict, kind, reason)
        report["verdict"], report["reason"], report["failing_step_index"] = verdict, reason, index
        report["failure_kind"] = kind
        return report

    lines = _split_lines(data)
    if not lines:
        return done(UNSUPPORTED, "no trace: the export is empty")

    # Header.
    try:
        header = parse_json(lines[0])
    except JCSError as error:
        return done(FAILED, "malformed export: header line: %s" % error, None, NOT_CANONICAL)
    problem = _header_problem(header)
    if problem:
        return done(FAILED, "malformed export: %s" % problem, None, NOT_CANONICAL)
    report["run_id"] = header["run_id"]
    genesis = genesis_hash(header)
    report["genesis"] = genesis.hex()

    # Trailing lines: seals, then evidence, governance, bundle_signature (bundles only).
    trailer = []
    end = len(lines)
    while end > 1:
        line = lines[end - 1]
        try:
            record = parse_json(line)
        except JCSError as error:
            stripped = line.lstrip()
            if stripped.startswith(b'{"checkpoint_signature"'):
                # A seal line with a checkpoint_signature starts with that key in JCS order.
                stripped = b'{"seal"'
            for kind in TRAILER_KINDS:
                if stripped.startswith(b'{"' + kind.encode("ascii") + b'"'):
                    return done(FAILED, "malformed export: %s line %d: %s" % (kind, end, error), None,
                                SEAL if kind == "seal" else NOT_CANONICAL)
            break
        kind = _trailer_kind(record)
        if kind is None:
            break
        if kind == "seal":
            try:
                record = _check_seal_record(record)
            except ValueError as error:
                return done(FAILED, "malformed export: seal line %d: %s" % (end, error), None, SEAL)
        trailer.append((kind, record, line))
        end -= 1
    trailer.reverse()
    seals = [record for kind, record, _ in trailer if kind == "seal"]  # file order
    extra = len(trailer) - len(seals)
    # Seals are checkpoints in chain_length order; the latest one (the last of the longest)
    # carries the signature.
    latest = seals[-1] if seals else None  # the last seal line (a file in order ends with its longest seal)
    latest_len = latest[0]["chain_length"] if latest else 0
    report["seals"] = len(seals)
    report["closed"] = bool(latest is not None and latest[0].get("closed"))
    report["authenticity"] = _authenticity(latest and latest[0], keyring, pubkey_pem)
    order = [TRAILER_KINDS.index(kind) for kind, _, _ in trailer]
    if order != sorted(order):
        return done(FAILED, "malformed export: trailing lines are out of order "
                            "(seals, evidence, governance, bundle_signature)", None, NOT_CANONICAL)
    state.update(lines=lines, header=header, trailer=trailer)

    # Step rows and leaf-record lines (which are not rows).
    rows, record_lines = [], []
    for offset, line in enumerate(lines[1:end]):
        (record_lines if _LEAF_RECORD_LINE.match(line) else rows).append((offset + 2, line))
    n = len(rows)
    report["chain_length"] = n
    recorded = {}  # L_p for p below the latest seal's length; entries beyond it are ignored
    record_end = 0
    for lineno, line in record_lines:
        try:
            start, leaves = _leaf_record(parse_json(line))
        except ValueError as error:
            return done(FAILED, "malformed export: leaf-record line %d: %s" % (lineno, error), None,
                        NOT_CANONICAL)
        if start < record_end:
            return done(FAILED, "malformed export: leaf-record line %d: from %d overlaps or precedes "
                                "the previous leaf record (which ends at %d)" % (lineno, start, record_end),
                        None, NOT_CANONICAL)
        record_end = start + len(leaves)
        for k, leaf in enumerate(leaves):
            if start + k < latest_len:
                recorded[start + k] = leaf

    # Seals bind tenant, run, trace and genesis; at most one closing seal, last; no duplicates.
    for seal, _ in seals:
        problem = _seal_binding_problem(seal, header, genesis)
        if problem:
            return done(FAILED, problem, None, SEAL)
    problem = _seal_order_problem(seals)
    if problem:
        return done(FAILED, *problem)
    closing_len = latest_len if report["closed"] else None

    # Keys and signatures: every seal against the keyring; the latest one (and the others
    # signed by the same key) against the public key.
    if keyring is not None:
        problem = _keyring_problem(report, seals, keyring)
        if problem:
            return done(FAILED, problem, None, SIGNATURE)
    if latest is not None and (keyring is None or pubkey_pem is not None):
        problem = _pubkey_problem(report, seals, latest, pubkey_pem, require_signature)
        if problem:
            return done(FAILED, problem, None, SIGNATURE)

    # Steps: recompute leaves, heads and Merkle roots; compare at every seal; locate (6.3).
    by_length = {}
    for seal, _ in seals:
        by_length.setdefault(seal["chain_length"], []).append(seal)
    head = genesis
    frontier = MerkleFrontier()
    legacy = hashlib.sha256(header["run_id"].encode("utf-8"))
    legacy_known = True
    last_matched = 0
    candidate = None  # (e, kind, other position or None)
    cache = {}

    def row(j):
        if j not in cache:
            cache[j] = _Row(*rows[j])
        return cache[j]

    def record_root(length):
        """T_N: the Merkle root of L_0 .. L_{N-1}, or None when one of them is not recorded."""
        if any(p not in recorded for p in range(length)):
            return None
        return merkle_root([recorded[p] for p in range(length)]).hex()

    def classify(e):
        """The kind of a candidate at e (6.3 content checks) and the other position involved."""
        here = row(e)
        nxt = row(e + 1) if e + 1 < n else None
        if nxt is not None and nxt.index != e + 1:
            nxt = None
        a = nxt is not None and here.full and (e + 1) in recorded and here.reindexed(e + 1) == recorded[e + 1]
        b = nxt is not None and nxt.full and nxt.reindexed(e) == recorded[e]
        if a and b:
            return REORDERED, e + 1
        if a:
            return REMOVED, None
        if b:
            return INSERTED, None
        for m in range(e + 2, min(latest_len, n)):
            later = _Row(*rows[m]) if m not in cache else cache[m]
            if later.index != m or later.leaf is None:
                break  # a structural problem ahead: no further row to compare
            if m in recorded and later.leaf != recorded[m]:
                if later.full and later.reindexed(e) == recorded[e]:
                    return REORDERED, m
                break
        return CHANGED, None

    def located(length):
        e, kind, other = candidate
        return done(FAILED, "%s: located by the leaf record, confirmed by the Merkle root of the seal "
                            "at chain_length %d" % (_LOCATED[kind] % {"e": e, "other": other}, length),
                    e, kind)

    def check_seals_at(length):
        """None when every seal at `length` matches (and no candidate is pending), else FAILED."""
        nonlocal last_matched
        here = by_length.get(length)
        if not here:
            return None
        root = frontier.root().hex()
        for seal in here:
            if seal["head"] != head.hex():
                problem = "head mismatch at the seal with chain_length %d (sealed %s, recomputed %s): a step in [%d, %d) changed" % (
                    length, seal["head"], head.hex(), last_matched, length)
            elif seal["merkle_root"] != root:
                problem = "seal at chain_length %d has merkle_root %s, recomputed %s" % (
                    length, seal["merkle_root"], root)
            else:
                continue
            if candidate is not None:
                if record_root(length) == seal["merkle_root"]:
                    return located(length)
                problem += ("; the leaf record differs from step %d but does not give this seal's "
                            "merkle_root, so it cannot locate the change" % candidate[0])
            # (A seal at chain_length 0 that does not match the genesis keeps failing index null.)
            return done(FAILED, problem, last_matched if length else None, MISMATCH)
        if candidate is not None:
            return done(FAILED, "leaf record altered: it differs from step %d, but the steps match the "
                                "seal at chain_length %d" % (candidate[0], length), candidate[0], LEAF_RECORD)
        last_matched = length
        return None

    failed = check_seals_at(0)
    if failed:
        return failed
    for position in range(n):
        if closing_len is not None and position >= closing_len:
            return done(FAILED, "appended after close: line %d is step %d, after the closing seal at "
                                "chain_length %d" % (rows[position][0], position, closing_len),
                        closing_len, APPENDED_AFTER_CLOSE)
        current = row(position)
        cache.pop(position - 1, None)
        lineno, step = current.lineno, current.value
        if current.error is not None:
            guess = _guess_index(current.line)
            path = locate_problem(current.line)
            where = ""
            if path:
                where = " field %s%s" % (json.dumps(str(path[0]), ensure_ascii=True), "" if len(path) == 1
                                         else " (at %s)" % format_path(path))
            return done(FAILED, "step %d (line %d)%s is not canonicalizable: %s%s" % (
                position, lineno, where, current.error,
                "" if guess in (None, position) else " (the line claims step_index %d)" % guess),
                position, NOT_CANONICAL)
        if not isinstance(step, dict):
            return done(FAILED, "step %d (line %d) is not a JSON object" % (position, lineno), position,
                        NOT_CANONICAL)
        if "seal" in step:
            return done(FAILED, "a seal line among the steps (line %d)" % lineno, position, NOT_CANONICAL)
        if current.index is None:
            return done(FAILED, "step %d (line %d): step_index is missing or not an integer" % (
                position, lineno), position, NOT_CANONICAL)
        index = current.index
        if index != position:
            # Structural checks (6.3): reported as soon as seen.
            if index < 0:
                return done(FAILED, "negative step_index %d at line %d: expected step %d" % (
                    index, lineno, position), position, INDEX_GAP)
            if index == position - 1:
                return done(FAILED, "step_index %d is duplicated (line %d repeats it; expected %d)" % (
                    index, lineno, position), index, DUPLICATE_INDEX)
            if index < position:
                return done(FAILED, "step_index %d is out of order (line %d, expected %d)" % (
                    index, lineno, position), index, REORDERED)
            nxt = row(position + 1) if position + 1 < n else None
            if nxt is not None and nxt.index == position:
                return done(FAILED, "steps %d and %d are out of order (line %d has step_index %d, line %d has %d)" % (
                    position, index, lineno, index, nxt.lineno, position), position, REORDERED)
            if index in recorded and current.leaf == recorded[index]:
                return done(FAILED, "step %d was removed: line %d has step_index %d and is intact (its leaf "
                                    "is the recorded leaf of step %d)" % (position, lineno, index, index),
                            position, REMOVED)
            return done(FAILED, "step_index gap: step %d is missing (line %d has step_index %d)" % (
                position, lineno, index), position, INDEX_GAP)
        keys = set(step)
        if keys == REDACTED_KEYS:
            if current.leaf is None:
                return done(FAILED, "redacted step %d: leaf is not a SHA-256 hex digest" % index, index,
                            NOT_CANONICAL)
            legacy_known = False
        else:
            if keys != STEP_KEYS:
                missing, extra_keys = sorted(STEP_KEYS - keys), sorted(keys - STEP_KEYS)
                return done(FAILED, "step %d: key %s is %s" % (
                    index, json.dumps((missing or extra_keys)[0]), "missing" if missing else "unexpected"),
                    index, NOT_CANONICAL)
            if isinstance(step["skill_name"], str) and isinstance(step["status"], str):
                legacy.update(("%d:%s:%s" % (index, step["skill_name"], step["status"])).encode("utf-8"))
            else:
                legacy_known = False
        leaf = current.leaf
        # Content checks (6.3): the first row that differs from its recorded leaf.
        if candidate is None and position in recorded and leaf != recorded[position]:
            candidate = (position,) + classify(position)
        head = next_head(head, leaf)
        frontier.push(leaf)
        failed = check_seals_at(position + 1)
        if failed:
            return failed

    report["head"] = head.hex()
    report["merkle_root"] = frontier.root().hex()
    report["legacy_root_hash"] = legacy.hexdigest() if legacy_known else None
    if latest is not None and latest_len > n:
        if candidate is not None:
            # The rows end before the first seal past the candidate could confirm it: the change comes
            # first, on the leaf record's word (6.3); the verdict is FAILED either way.
            e, kind, other = candidate
            return done(FAILED, "%s: located by the leaf record; the export then ends at %d of %d sealed steps"
                        % (_LOCATED[kind] % {"e": e, "other": other}, n, latest_len), e, kind)
        return done(FAILED, "truncated: the export has %d steps, sealed %d: step %d is missing" % (
            n, latest_len, n), n, TRUNCATED)
    if n == 0:
        return done(UNSUPPORTED, "the trace has no steps")
    if latest is None:
        report["unsealed_steps"] = n
        return done(UNSUPPORTED, "trace was never sealed (computed head and merkle_root reported)")
    report["unsealed_steps"] = n - latest_len
    if require_closed and not report["closed"]:
        return done(FAILED, "not closed: the latest seal (chain_length %d) is not a closing seal and a "
                            "closing seal is required" % latest_len, None, NOT_CLOSED)
    return done(HASH_CHAIN, "%d steps recomputed, heads equal at %d seal(s), signature %s%s%s" % (
        n, len(seals), report["signature"], ", closed" if report["closed"] else "",
        "" if not extra else "; %d evidence/governance/bundle_signature line(s) not checked" % extra))


# ---------------------------------------------------------------------------------------
# Merkle proofs (RFC 9162 §2.1.3 and §2.1.4)
# ---------------------------------------------------------------------------------------

def _split_point(n):
    """Largest power of two strictly less than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def inclusion_path(leaves, index):
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaves[index] (list of bytes)."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError("leaf index %d is outside a tree of %d leaves" % (index, n))
    if n == 1:
        return []
    k = _split_point(n)
    if index < k:
        return inclusion_path(leaves[:k], index) + [merkle_root(leaves[k:])]
    return inclusion_path(leaves[k:], index - k) + [merkle_root(leaves[:k])]


def consistency_path(leaves, first):
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1 from the first `first` leaves to all of `leaves`.

    Empty when first == len(leaves) (nothing to prove); first must be at least 1.
    """
    n = len(leaves)
    if not 0 < first <= n:
        raise ValueError("no consistency proof from %d to %d leaves" % (first, n))

    def subproof(m, d, complete):
        if m == len(d):
            return [] if complete else [merkle_root(d)]
        k = _split_point(len(d))
        if m <= k:
            return subproof(m, d[:k], complete) + [merkle_root(d[k:])]
        return subproof(m - k, d[k:], False) + [merkle_root(d[:k])]

    return subproof(first, leaves, True)


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 §2.1.3.2: is `leaf` (bytes) at `index` of the tree of `size` leaves with `root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):
    """RFC 9162 §2.1.4.2: does the tree of `second` leaves with second_root extend the one of
    `first` leaves with first_root? Equal sizes: the path must be empty and the roots equal."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    if not path:
        return False
    path = list(path)
    if first & (first - 1) == 0:  # an exact power of two
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# ---------------------------------------------------------------------------------------
# Proof files
# ---------------------------------------------------------------------------------------

INCLUSION_FORMAT = "runproof/inclusion-v1"
CONSISTENCY_FORMAT = "runproof/consistency-v1"


def seal_record(seal, signature=None):
    """A seal line's object: {"seal": ..., "signature": ...} (no signature when unsigned)."""
    record = {"seal": seal}
    if signature is not None:
        record["signature"] = signature
    return record


def build_inclusion_proof(header, record, leaves, indexes, steps=None):
    """Inclusion proof of the steps `indexes` in the seal of `record` (a seal line object).

    leaves: the trace's leaves (bytes), at least record's chain_length of them.
    steps: {index: step object} to embed (an index missing from it gets no "step").
    """
    seal = record["seal"]
    size = seal["chain_length"]
    tree = leaves[:size]
    assert merkle_root(tree).hex() == seal["merkle_root"], "leaves do not match the seal"
    entries = []
    for index in sorted(set(indexes)):
        entry = {"leaf": tree[index].hex(), "path": [h.hex() for h in inclusion_path(tree, index)],
                 "step_index": index}
        if steps and index in steps:
            assert step_leaf(steps[index]) == tree[index], "step %d does not hash to its leaf" % index
            entry["step"] = steps[index]
        entries.append(entry)
    return {"entries": entries, "format": INCLUSION_FORMAT, "header": header, "seal": record}


def build_consistency_proof(header, first, second, leaves):
    """Consistency proof that the seal of record `second` extends the seal of record `first`."""
    m, n = first["seal"]["chain_length"], second["seal"]["chain_length"]
    assert merkle_root(leaves[:m]).hex() == first["seal"]["merkle_root"]
    assert merkle_root(leaves[:n]).hex() == second["seal"]["merkle_root"]
    path = consistency_path(leaves[:n], m)
    return {"first": first, "format": CONSISTENCY_FORMAT, "header": header,
            "path": [h.hex() for h in path], "second": second}


def _hex_list(value):
    """list of 32-byte digests, or None when value is not an array of 64-hex strings."""
    if not isinstance(value, list):
        return None
    if not all(isinstance(x, str) and HEX64.match(x) for x in value):
        return None
    return [bytes.fromhex(x) for x in value]


def verify_proof(path, pubkey_pem=None, require_signature=False, keyring=None):
    """Verifies an inclusion or consistency proof file; the same report as verify_export.

    keyring (from load_keyring): every seal of the proof (the inclusion proof's seal, both
    seals of a consistency proof) must satisfy 6.4.
    """
    report = _new_report()

    def done(verdict, reason, index=None, kind=None):
        assert (verdict == FAILED) == (kind is not None), (verdict, kind, reason)
        report["verdict"], report["reason"], report["failing_step_index"] = verdict, reason, index
        report["failure_kind"] = kind
        return report

    def malformed(reason):
        return done(FAILED, "malformed proof: %s" % reason, None, NOT_CANONICAL)

    def trust_problem(seals, latest, what):
        """Keyring (every seal), then the public-key rules of 6.2 for `latest`."""
        if keyring is not None:
            problem = _keyring_problem(report, seals, keyring)
            if problem:
                return problem
            if pubkey_pem is None:
                return None
        return _signature_problem(report, latest[0], latest[1], pubkey_pem, require_signature, what,
                                  record=latest)

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        return done(UNSUPPORTED, "no proof: cannot read %s: %s" % (path, error.strerror))
    try:
        proof = parse_json(data)
    except JCSError as error:
        return malformed(str(error))
    if not isinstance(proof, dict):
        return malformed("not a JSON object")
    header = proof.get("header")
    problem = _header_problem(header)
    if problem:
        return malformed(problem)
    report["run_id"] = header["run_id"]
    genesis = genesis_hash(header)
    report["genesis"] = genesis.hex()
    kind = proof.get("format")
    if kind not in (INCLUSION_FORMAT, CONSISTENCY_FORMAT):
        return malformed("format is not %s or %s" % (INCLUSION_FORMAT, CONSISTENCY_FORMAT))

    def load_seal(name):
        try:
            return _check_seal_record(proof.get(name))
        except ValueError as error:
            raise ValueError("%s: %s" % (name, error))

    if kind == INCLUSION_FORMAT:
        try:
            record = load_seal("seal")
        except ValueError as error:
            return malformed(str(error))
        seal, signature = record
        report["seals"] = 1
        report["chain_length"] = seal["chain_length"]
        report["closed"] = bool(seal.get("closed"))
        report["authenticity"] = _authenticity(seal, keyring, pubkey_pem)
        problem = _seal_binding_problem(seal, header, genesis)
        if problem:
            return done(FAILED, problem, None, SEAL)
        problem = trust_problem([record], record, "the seal")
        if problem:
            return done(FAILED, problem, None, SIGNATURE)
        entries = proof.get("entries")
        if not isinstance(entries, list) or not entries:
            return malformed("entries is not a non-empty array")
        size, root = seal["chain_length"], bytes.fromhex(seal["merkle_root"])
        for number, entry in enumerate(entries):
            if not isinstance(entry, dict) or not _is_int(entry.get("step_index")):
                return malformed("entry %d has no integer step_index" % number)
            index = int(entry["step_index"])
            leaf = entry.get("leaf")
            if not isinstance(leaf, str) or not HEX64.match(leaf):
                return malformed("entry of step %d: leaf is not a SHA-256 hex digest" % index)
            hashes = _hex_list(entry.get("path"))
            if hashes is None:
                return malformed("entry of step %d: path is not an array of SHA-256 hex digests" % index)
            if "step" in entry:
                step = entry["step"]
                if not isinstance(step, dict) or not _is_int(step.get("step_index")) \
                        or int(step["step_index"]) != index:
                    return done(FAILED, "step %d: the step object carries another step_index" % index, index,
                                CHANGED)
                if set(step) != STEP_KEYS:
                    return done(FAILED, "step %d: the step object does not have the 19 step keys" % index, index,
                                NOT_CANONICAL)
                if step_leaf(step).hex() != leaf:
                    return done(FAILED, "step %d: the step object does not hash to the entry's leaf" % index, index,
                                CHANGED)
            if not verify_inclusion(bytes.fromhex(leaf), index, size, hashes, root):
                return done(FAILED, "step %d is not included in the Merkle root of the seal at chain_length %d" % (
                    index, size), index, MISMATCH)
        report["head"], report["merkle_root"] = seal["head"], seal["merkle_root"]
        return done(HASH_CHAIN, "%d step(s) included in the seal at chain_length %d, signature %s" % (
            len(entries), size, report["signature"]))

    # Consistency.
    try:
        first_record, second_record = load_seal("first"), load_seal("second")
    except ValueError as error:
        return malformed(str(error))
    (first, first_signature), (second, signature) = first_record, second_record
    report["seals"] = 2
    report["chain_length"] = second["chain_length"]
    report["closed"] = bool(second.get("closed"))
    report["authenticity"] = _authenticity(second, keyring, pubkey_pem)
    for seal in (first, second):
        problem = _seal_binding_problem(seal, header, genesis)
        if problem:
            return done(FAILED, problem, None, SEAL)
    m, n = first["chain_length"], second["chain_length"]
    if m == n and first["head"] != second["head"]:
        return done(FAILED, "two seals at chain_length %d disagree (heads %s and %s)" % (
            m, first["head"], second["head"]), None, SEAL)
    if m > n:
        return done(FAILED, "the first seal (chain_length %d) is longer than the second (%d)" % (m, n),
                    None, SEAL)
    problem = trust_problem([first_record, second_record], second_record, "the second seal")
    if problem:
        return done(FAILED, problem, None, SIGNATURE)
    # The first seal is a checkpoint; when it claims the trusted key, its signature must hold too.
    if pubkey_pem is not None and first["key_id"] is not None:
        raw = public_key_raw(_read_pem(pubkey_pem))
        if first["key_id"] == key_id(raw) and verify_seal_signature(first, first_signature, raw) is False:
            return done(FAILED, "bad signature on the first seal (chain_length %d)" % m, None, SIGNATURE)
        if first["key_id"] == key_id(raw):
            problem = _checkpoint_problem(report, first_record, raw)
            if problem:
                return done(FAILED, problem.replace("the seal at", "the first seal at", 1), None, SIGNATURE)
    hashes = _hex_list(proof.get("path"))
    if hashes is None:
        return malformed("path is not an array of SHA-256 hex digests")
    if not verify_consistency(m, n, bytes.fromhex(first["merkle_root"]),
                              bytes.fromhex(second["merkle_root"]), hashes):
        return done(FAILED, "the seal at chain_length %d does not extend the seal at chain_length %d "
                            "(consistency proof does not verify)" % (n, m), None, MISMATCH)
    report["head"], report["merkle_root"] = second["head"], second["merkle_root"]
    return done(HASH_CHAIN, "the seal at chain_length %d extends the seal at chain_length %d, signature %s" % (
        n, m, report["signature"]))


# ---------------------------------------------------------------------------------------
# Inclusion proofs as c2sp.org/tlog-proof (section 10.1)
# ---------------------------------------------------------------------------------------

TLOG_PROOF_FIRST_LINE = "c2sp.org/tlog-proof@v1"
TLOG_PROOF_MAGIC = (TLOG_PROOF_FIRST_LINE + "\n").encode("ascii")
_DECIMAL = re.compile(r"\A(?:0|[1-9][0-9]*)\Z")


def is_tlog_proof(data):
    return bytes(data).startswith(TLOG_PROOF_MAGIC)


def build_tlog_proof(step_canonical, index, path, note_text):
    """The tlog-proof text of a step (its JCS bytes) at `index`, its audit path (bytes
    digests) and the signed checkpoint note it is proven against."""
    lines = [TLOG_PROOF_FIRST_LINE, "extra " + base64.b64encode(step_canonical).decode("ascii"),
             "index %d" % index] + [base64.b64encode(h).decode("ascii") for h in path]
    return "\n".join(lines) + "\n\n" + note_text


def _unverified_note_body(note):
    """The text of a signed note read without a key: split at its last blank line, every line
    after it a well-formed signature line (at least one), no control character but newline.
    NoteError otherwise."""
    if any(ch < " " and ch != "\n" for ch in note):
        raise NoteError("a control character other than newline")
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n") or split + 2 >= len(note):
        raise NoteError("not a signed note (no blank line followed by signature lines)")
    for line in note[split + 2:-1].split("\n"):
        parse_signature_line(line)
    return note[:split + 1]


def verify_tlog_proof(data, vkey_text=None, pubkey_pem=None, require_signature=False):
    """Verifies a c2sp.org/tlog-proof (10.1): the checkpoint at its end is signed by the key
    (a verifier key; or a public key, under the name of one of the checkpoint's signature
    lines), `extra` is the canonical step object whose step_index is `index`, and the leaf
    H(0x00 || extra) is included at `index` in the tree of the checkpoint's size and root.
    Without a key the signature is not checked (authenticity unchecked). Returns a report:
    verdict, reason, failing_step_index, failure_kind (malformed -> not canonical, signature,
    not included -> mismatch), authenticity, signature, chain_length (the checkpoint's size),
    merkle_root, head (the runproof-head extension, if any), origin, index.
    VkeyError for a malformed verifier key or public key."""
    key = None
    if vkey_text is not None:
        key = parse_vkey(vkey_text)
    elif pubkey_pem is not None:
        try:
            raw_pub = public_key_raw(pubkey_pem)
        except ValueError as error:
            raise VkeyError("unusable public key: %s" % error)
    report = {"format": TLOG_PROOF_FIRST_LINE, "verdict": None, "reason": None, "failing_step_index": None,
              "failure_kind": None, "authenticity": UNSIGNED, "signature": None, "chain_length": None,
              "merkle_root": None, "head": None, "origin": None, "index": None, "key_name": None,
              "tenant_log_entry": None}

    def done(verdict, reason, index=None, kind=None):
        report["verdict"], report["reason"] = verdict, reason
        report["failing_step_index"], report["failure_kind"] = index, kind
        return report

    def malformed(reason, index=None):
        return done(FAILED, "malformed tlog-proof: %s" % reason, index, NOT_CANONICAL)

    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return malformed("not valid UTF-8")
    if not text.startswith(TLOG_PROOF_MAGIC.decode("ascii")):
        return malformed("the first line is not %s" % TLOG_PROOF_FIRST_LINE)
    blank = text.find("\n\n")
    if blank < 0:
        return malformed("no blank line between the proof and the checkpoint")
    block, note = text[:blank].split("\n"), text[blank + 2:]
    split = note.rfind("\n\n")
    if split >= 0 and note[split + 2:].startswith(NOTE_SIG_PREFIX):  # a signed checkpoint: 6.5
        report["authenticity"] = "pubkey" if (vkey_text is not None or pubkey_pem is not None) else "unchecked"

    # The proof lines: extra (the step), index, the audit path.
    if len(block) < 3 or not block[1].startswith("extra "):
        return malformed("the second line is not `extra <base64>` (a RunProof tlog-proof carries the step)")
    extra = decode_base64_strict(block[1][len("extra "):])
    if extra is None:
        return malformed("extra is not padded standard base64")
    if not block[2].startswith("index ") or not _DECIMAL.match(block[2][len("index "):]):
        return malformed("the third line is not `index <decimal, no leading zeros>`")
    index = int(block[2][len("index "):])
    report["index"] = index
    path = []
    for number, line in enumerate(block[3:]):
        digest = decode_base64_strict(line)
        if digest is None or len(digest) != 32:
            return malformed("path line %d is not the padded base64 of a 32-byte hash" % (number + 1))
        path.append(digest)

    # The checkpoint.
    if vkey_text is not None or pubkey_pem is not None:
        if vkey_text is not None:
            candidates = [key]
        else:
            names = []
            for line in (note[split + 2:-1].split("\n") if split >= 0 else []):
                try:
                    name = parse_signature_line(line)[0]
                except NoteError:
                    continue
                if name not in names:
                    names.append(name)
            candidates = [(name, note_key_hash(name, raw_pub), raw_pub) for name in names]
        body, problems = None, []
        for candidate in candidates:
            try:
                body = open_note(note, candidate)
                report["key_name"] = candidate[0]
                break
            except NoteError as error:
                problems.append(str(error))
        if body is None:
            report["signature"] = "invalid"
            return done(FAILED, "the checkpoint is not signed by the given key: %s" % (
                "; ".join(problems) or "no signature line"), None, SIGNATURE)
        report["signature"] = "valid"
    else:
        if require_signature:
            report["signature"] = "missing"
            return done(FAILED, "a signature is required but no --vkey or --pubkey was given", None, SIGNATURE)
        try:
            body = _unverified_note_body(note)
        except NoteError as error:
            return malformed("the checkpoint: %s" % str(error).replace("malformed note: ", ""))
        report["signature"] = "not checked"
    try:
        origin, size, root, extensions = parse_checkpoint(body)
    except NoteError as error:
        return malformed(str(error))
    try:
        report["head"] = checkpoint_head(extensions)
    except NoteError:
        report["head"] = None
    report["origin"], report["chain_length"], report["merkle_root"] = origin, size, root.hex()

    if origin.startswith(TENANT_LOG_ORIGIN_PREFIX):
        # A tenant log (10.4): extra is the tenant-log entry of a closing seal; the checkpoint
        # has no extension line.
        if extensions:
            return malformed("a tenant-log checkpoint has no extension line (found %s)" % json.dumps(
                extensions[0], ensure_ascii=False))
        try:
            entry = parse_json(extra)
        except JCSError as error:
            return malformed("extra is not JSON: %s" % error, index)
        if jcs(entry) != extra:
            return malformed("extra is not in canonical (JCS) form", index)
        problem = tenant_log_entry_problem(entry, origin)
        if problem:
            return malformed("extra is not a tenant-log entry of %s: %s" % (origin, problem), index)
        report["tenant_log_entry"] = dict(entry, chain_length=int(entry["chain_length"]))
        if not verify_inclusion(leaf_from_canonical(extra), index, size, path, root):
            return done(FAILED, "the tenant-log entry of run %s is not included at index %d in the checkpoint's "
                                "tree (%s, size %d)" % (json.dumps(entry["run_id"], ensure_ascii=False), index,
                                                         origin, size), index, MISMATCH)
        return done(HASH_CHAIN, "the tenant-log entry of run %s (closed at chain_length %d) is included at index "
                                "%d in the checkpoint of %s at size %d, signature %s" % (
                                    json.dumps(entry["run_id"], ensure_ascii=False), int(entry["chain_length"]),
                                    index, origin, size, report["signature"]))

    # The step.
    try:
        step = parse_json(extra)
    except JCSError as error:
        return malformed("extra is not JSON: %s" % error, index)
    if jcs(step) != extra:
        return malformed("extra is not in canonical (JCS) form", index)
    if not isinstance(step, dict) or set(step) != STEP_KEYS:
        return malformed("extra is not a step object (the 19 step keys)", index)
    if not _is_int(step["step_index"]) or int(step["step_index"]) != index:
        return malformed("extra carries step_index %s, the proof's index is %d" % (
            json.dumps(step["step_index"]), index), index)

    # The inclusion.
    if not verify_inclusion(leaf_from_canonical(extra), index, size, path, root):
        return done(FAILED, "step %d is not included in the checkpoint's tree (%s, size %d)" % (
            index, origin, size), index, MISMATCH)
    return done(HASH_CHAIN, "step %d is included in the checkpoint of %s at size %d, signature %s" % (
        index, origin, size, report["signature"]))


# ---------------------------------------------------------------------------------------
# The tenant log (section 10.4): one leaf per closing seal of a tenant's runs
# ---------------------------------------------------------------------------------------

TENANT_LOG_ORIGIN_PREFIX = "runproof-tenant-log/"
TENANT_LOG_ENTRY_FORMAT = "runproof/tenant-log-v1"
TENANT_LOG_CONSISTENCY_FORMAT = "runproof/tenant-log-consistency-v1"
TENANT_LOG_ENTRY_KEYS = frozenset(["chain_length", "format", "head", "merkle_root", "run_id", "tenant_id",
                                   "trace_id"])
TENANT_LOG_CONSISTENCY_KEYS = frozenset(["format", "origin", "first", "second", "path"])


def tenant_log_origin(tenant_id):
    """`runproof-tenant-log/<enc(tenant_id)>`."""
    return TENANT_LOG_ORIGIN_PREFIX + origin_component(tenant_id)


def tenant_log_entry(seal):
    """The entry a closing seal adds to its tenant's log."""
    return {"chain_length": seal["chain_length"], "format": TENANT_LOG_ENTRY_FORMAT, "head": seal["head"],
            "merkle_root": seal["merkle_root"], "run_id": seal["run_id"], "tenant_id": seal["tenant_id"],
            "trace_id": seal["trace_id"]}


def tenant_log_leaf(entry):
    """H(0x00 || JCS(entry))."""
    return leaf_from_canonical(jcs(entry))


def tenant_log_checkpoint_body(tenant_id, size, root):
    """The checkpoint body of a tenant log: origin, size, base64 root (bytes); no extension line."""
    return ("%s\n%d\n%s\n" % (tenant_log_origin(tenant_id), size,
                               base64.b64encode(bytes(root)).decode("ascii"))).encode("utf-8")


def tenant_log_entry_problem(entry, origin=None):
    """None when `entry` is a tenant-log entry (of the log `origin`, when given), else what is wrong."""
    if not isinstance(entry, dict) or set(entry) != TENANT_LOG_ENTRY_KEYS:
        return "not an object with exactly the keys %s" % ", ".join(sorted(TENANT_LOG_ENTRY_KEYS))
    if entry["format"] != TENANT_LOG_ENTRY_FORMAT:
        return "format is %s, not %s" % (json.dumps(entry["format"]), TENANT_LOG_ENTRY_FORMAT)
    if not _is_int(entry["chain_length"]) or entry["chain_length"] < 0:
        return "chain_length is not a non-negative integer"
    for field in ("head", "merkle_root"):
        if not isinstance(entry[field], str) or not HEX64.match(entry[field]):
            return "%s is not 64 lowercase hex" % field
    for field in ("run_id", "tenant_id", "trace_id"):
        if not isinstance(entry[field], str):
            return "%s is not a string" % field
    if origin is not None and tenant_log_origin(entry["tenant_id"]) != origin:
        return "tenant_id %s is not the log's tenant (its origin would be %s)" % (
            json.dumps(entry["tenant_id"], ensure_ascii=False), tenant_log_origin(entry["tenant_id"]))
    return None


def build_tenant_log_consistency_proof(origin, first_note, second_note, path):
    """The consistency proof object (JCS(proof) + \n is the file) between two signed checkpoints."""
    return {"first": first_note, "format": TENANT_LOG_CONSISTENCY_FORMAT, "origin": origin,
            "path": [bytes(h).hex() for h in path], "second": second_note}


def is_tenant_log_consistency(data):
    """Whether `data` is a JSON object whose format is runproof/tenant-log-consistency-v1."""
    try:
        value = parse_json(data)
    except JCSError:
        return False
    return isinstance(value, dict) and value.get("format") == TENANT_LOG_CONSISTENCY_FORMAT


def verify_tenant_log_consistency(data, vkey_text):
    """Verifies a tenant-log consistency proof (10.4): both checkpoints signed by the verifier
    key, both of the proof's origin (a tenant-log origin), the first size not above the second,
    and the RFC 9162 consistency path between the two (size, root) pairs. Report: verdict,
    reason, failing_step_index (always null), failure_kind (malformed, including an origin that
    is not a tenant log's or a checkpoint with an extension line -> not canonical; a checkpoint
    not signed by the key -> signature; origins that differ -> seal; a path that does not
    verify or sizes out of order -> mismatch), authenticity, signature, chain_length and
    merkle_root (the second checkpoint's), first_size, first_root, origin.
    VkeyError for a malformed verifier key."""
    key = parse_vkey(vkey_text)
    report = {"format": TENANT_LOG_CONSISTENCY_FORMAT, "verdict": None, "reason": None,
              "failing_step_index": None, "failure_kind": None, "authenticity": UNSIGNED, "signature": None,
              "chain_length": None, "merkle_root": None, "first_size": None, "first_root": None, "origin": None}

    def done(verdict, reason, kind=None):
        report["verdict"], report["reason"], report["failure_kind"] = verdict, reason, kind
        return report

    def malformed(reason):
        return done(FAILED, "malformed tenant-log consistency proof: %s" % reason, NOT_CANONICAL)

    try:
        proof = parse_json(data)
    except JCSError as error:
        return malformed("not JSON: %s" % error)
    if not isinstance(proof, dict):
        return malformed("not a JSON object")
    # Authenticity (6.5) from what the proof carries, whatever the verdict: pubkey when both
    # checkpoints are signed notes (the key is always given), else unsigned.
    notes = [proof.get(which) for which in ("first", "second")]
    if all(isinstance(note, str) and note.rfind("\n\n") >= 0
           and note[note.rfind("\n\n") + 2:].startswith(NOTE_SIG_PREFIX) for note in notes):
        report["authenticity"] = "pubkey"
    if set(proof) != TENANT_LOG_CONSISTENCY_KEYS:
        return malformed("not an object with exactly the keys first, format, origin, path, second")
    if proof["format"] != TENANT_LOG_CONSISTENCY_FORMAT:
        return malformed("format is not %s" % TENANT_LOG_CONSISTENCY_FORMAT)
    origin = proof["origin"]
    if not isinstance(origin, str):
        return malformed("origin is not a string")
    report["origin"] = origin
    if not isinstance(proof["first"], str) or not isinstance(proof["second"], str):
        return malformed("first and second are not signed checkpoints (strings)")
    path = _hex_list(proof["path"])
    if path is None:
        return malformed("path is not an array of 64-hex hashes")

    checkpoints = []
    for which in ("first", "second"):
        try:
            body = open_note(proof[which], key)
        except NoteError as error:
            report["signature"] = "invalid"
            return done(FAILED, "the %s checkpoint is not signed by the given key: %s" % (which, error), SIGNATURE)
        try:
            checkpoints.append(parse_checkpoint(body))
        except NoteError as error:
            return malformed("the %s checkpoint: %s" % (which, error))
    report["signature"] = "valid"
    (origin_a, size_a, root_a, ext_a), (origin_b, size_b, root_b, ext_b) = checkpoints
    report["first_size"], report["first_root"] = size_a, root_a.hex()
    report["chain_length"], report["merkle_root"] = size_b, root_b.hex()
    if origin_a != origin or origin_b != origin:
        return done(FAILED, "the checkpoints are of different logs: the proof is of %s, the first checkpoint of "
                            "%s, the second of %s" % (origin, origin_a, origin_b), SEAL)
    if not origin.startswith(TENANT_LOG_ORIGIN_PREFIX):
        return malformed("%s is not a tenant-log origin (%s<tenant>)" % (origin, TENANT_LOG_ORIGIN_PREFIX))
    for which, extensions in (("first", ext_a), ("second", ext_b)):
        if extensions:
            return malformed("the %s checkpoint has an extension line (a tenant-log checkpoint has none)" % which)
    if size_a > size_b:
        return done(FAILED, "the first checkpoint (size %d) is larger than the second (size %d)" % (
            size_a, size_b), MISMATCH)
    if not verify_consistency(size_a, size_b, root_a, root_b, path):
        return done(FAILED, "the tenant log at size %d does not extend the one at size %d: the consistency path "
                            "does not verify (an entry was removed or rewritten, or the path is wrong)" % (
                                size_b, size_a), MISMATCH)
    return done(HASH_CHAIN, "the tenant log %s at size %d extends its checkpoint at size %d (both signed by %s)" % (
        origin, size_b, size_a, key[0]))


# ---------------------------------------------------------------------------------------
# Audit bundles
# ---------------------------------------------------------------------------------------

BUNDLE_FORMAT = "runproof/bundle-v1"
BUNDLE_SIGNATURE_KEYS = frozenset(["content_sha256", "format", "key_id", "signed_at"])


def bundle_content_digest(lines):
    """SHA-256 over JCS(line) + 0x0A for each line (bytes) given: every line but the last."""
    h = hashlib.sha256()
    for line in lines:
        h.update(jcs(parse_json(line)) + b"\n")
    return h.hexdigest()


def sign_bundle(content_sha256, private_key, signed_at):
    """The bundle_signature line's object for the given content digest."""
    signed = {"content_sha256": content_sha256, "format": BUNDLE_FORMAT,
              "key_id": private_key_id(private_key), "signed_at": signed_at}
    return {"bundle_signature": signed,
            "signature": base64.b64encode(private_key.sign(jcs(signed))).decode("ascii")}


def build_bundle(header, step_objects, seal_records, evidence, governance, private_key, signed_at):
    """An audit bundle (bytes): every line JCS, the last one the bundle signature."""
    records = [header] + list(step_objects) + list(seal_records) + [
        {"evidence": evidence}, {"governance": governance}]
    body = b"".join(jcs(r) + b"\n" for r in records)
    digest = bundle_content_digest(_split_lines(body))
    return body + jcs(sign_bundle(digest, private_key, signed_at)) + b"\n"


def verify_bundle(path, pubkey_pem, keyring=None, require_closed=False):
    """Verifies an audit bundle: the export checks, then evidence, governance and the bundle
    signature (which needs the public key, or a keyring holding the bundle's key valid at its
    signed_at)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        report = _new_report()
        report["verdict"], report["reason"] = UNSUPPORTED, "no bundle: cannot read %s: %s" % (path, error.strerror)
        return report
    state = {}
    report = _verify_export_data(data, pubkey_pem, False, state, keyring, require_closed)

    def fail(reason, kind=BUNDLE):
        report["verdict"], report["reason"], report["failing_step_index"] = FAILED, reason, None
        report["failure_kind"] = kind
        return report

    if pubkey_pem is None and keyring is None:
        return fail("a bundle needs a public key", SIGNATURE)
    if report["verdict"] == FAILED or "trailer" not in state:
        return report
    chain_verdict, chain_reason = report["verdict"], report["reason"]

    lines, header, trailer = state["lines"], state["header"], state["trailer"]
    by_kind = {}
    for kind, record, line in trailer:
        by_kind.setdefault(kind, []).append(record)
    for kind in ("evidence", "governance", "bundle_signature"):
        count = len(by_kind.get(kind, []))
        if count != 1:
            return fail("bundle: %s %s line" % ("no" if count == 0 else "more than one", kind))
    evidence_record, governance_record = by_kind["evidence"][0], by_kind["governance"][0]
    signed_record = by_kind["bundle_signature"][0]

    # The bundle signature: format, key, Ed25519, content digest.
    signed, signature = signed_record.get("bundle_signature"), signed_record.get("signature")
    if set(signed_record) != {"bundle_signature", "signature"} or not isinstance(signed, dict):
        return fail("bundle: the bundle_signature line is not {\"bundle_signature\": {...}, \"signature\": ...}")
    if signed.get("format") != BUNDLE_FORMAT:
        return fail("bundle: bundle_signature format is not %s" % BUNDLE_FORMAT)
    if set(signed) != BUNDLE_SIGNATURE_KEYS:
        return fail("bundle: the bundle_signature object does not have exactly the keys %s"
                    % ", ".join(sorted(BUNDLE_SIGNATURE_KEYS)))
    raw = None
    if pubkey_pem is not None:
        raw = public_key_raw(_read_pem(pubkey_pem))
        if signed.get("key_id") != key_id(raw):
            return fail("bundle signed by key_id %s, not by the given public key (key_id %s)" % (
                json.dumps(signed.get("key_id")), key_id(raw)), SIGNATURE)
    if keyring is not None:
        signed_at = signed.get("signed_at")
        if not isinstance(signed_at, str) or not TIMESTAMP.match(signed_at):
            return fail("bundle: bundle_signature signed_at is not a runproof timestamp")
        entry, problem = keyring_key_problem(keyring, signed.get("key_id"), signed_at)
        if problem:
            return fail("bundle signed by key_id %s, which %s" % (json.dumps(signed.get("key_id")), problem),
                        SIGNATURE)
        raw = entry["raw"]
    raw_sig = decode_signature(signature)
    if raw_sig is None:
        return fail("bundle signature is not padded base64 of 64 bytes", SIGNATURE)
    if not HAVE_ED25519:
        report["signature"] = "skipped (the cryptography package is not available)"
        return fail("bundle signature cannot be checked: the cryptography package is not available", SIGNATURE)
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(raw_sig, jcs(signed))
    except InvalidSignature:
        return fail("bad bundle signature", SIGNATURE)
    digest = bundle_content_digest(lines[:-1])
    if signed.get("content_sha256") != digest:
        return fail("bundle content changed: content_sha256 %s, recomputed %s" % (
            json.dumps(signed.get("content_sha256")), digest))

    # Evidence and governance belong to the header's run (and tenant).
    evidence = evidence_record.get("evidence")
    if set(evidence_record) != {"evidence"} or not isinstance(evidence, dict):
        return fail("bundle: the evidence line is not {\"evidence\": {...}}")
    if evidence.get("run_id") != header["run_id"]:
        return fail("bundle evidence is of another run: run_id %s, trace run_id %s" % (
            json.dumps(evidence.get("run_id")), json.dumps(header["run_id"])))
    governance = governance_record.get("governance")
    if set(governance_record) != {"governance"} or not isinstance(governance, dict):
        return fail("bundle: the governance line is not {\"governance\": {...}}")
    if governance.get("run_id") != header["run_id"]:
        return fail("bundle governance is of another run: run_id %s, trace run_id %s" % (
            json.dumps(governance.get("run_id")), json.dumps(header["run_id"])))
    metadata = governance.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    if metadata.get("tenant_id") != header["tenant_id"]:
        return fail("bundle governance is of another tenant: metadata.tenant_id %s, trace tenant_id %s" % (
            json.dumps(metadata.get("tenant_id")), json.dumps(header["tenant_id"])))
    if metadata.get("run_id") != header["run_id"]:
        return fail("bundle governance is of another run: metadata.run_id %s, trace run_id %s" % (
            json.dumps(metadata.get("run_id")), json.dumps(header["run_id"])))

    report["verdict"] = chain_verdict
    report["reason"] = "%s; bundle signature valid, content, evidence and governance match" % (
        chain_reason.split("; ")[0])
    return report


# ---------------------------------------------------------------------------------------
# Verification receipts (section 10.3): a DSSE envelope of an in-toto Statement v1
# ---------------------------------------------------------------------------------------

DSSE_PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
RECEIPT_PREDICATE_TYPE = "urn:runproof:verification:v1"
VERDICTS = frozenset([HASH_CHAIN, FAILED, UNSUPPORTED])
_STR, _NULL_STR, _INT_OR_NULL = "a string", "a string or null", "an integer or null"
RECEIPT_PREDICATE_FIELDS = {
    "format": _STR, "runproof_version": _STR, "tenant_id": _NULL_STR, "run_id": _STR, "verdict": "a verdict",
    "reason": _NULL_STR, "failing_step_index": _INT_OR_NULL, "failure_kind": _NULL_STR,
    "authenticity": _STR, "traces": "an array of trace objects", "verified_at": "a timestamp",
}
RECEIPT_TRACE_FIELDS = {
    "trace_id": _STR, "verdict": "a verdict", "chain_length": _INT_OR_NULL, "head": "64 hex or null",
    "merkle_root": "64 hex or null", "sealed_length": _INT_OR_NULL, "closed": "a boolean",
    "failing_step_index": _INT_OR_NULL, "failure_kind": _NULL_STR,
}


def dsse_pae(payload_type, payload):
    """DSSE's pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body,
    lengths in bytes, written in decimal ASCII."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d " % (len(kind), kind, len(payload)) + bytes(payload)


def sign_receipt(statement, private_key, payload_type=DSSE_PAYLOAD_TYPE, keyid=None):
    """The DSSE envelope of JCS(statement), signed by private_key; keyid defaults to the
    key's id (hex H(raw public key))."""
    payload = jcs(statement)
    signature = private_key.sign(dsse_pae(payload_type, payload))
    return {"payload": base64.b64encode(payload).decode("ascii"), "payloadType": payload_type,
            "signatures": [{"keyid": keyid if keyid is not None else private_key_id(private_key),
                            "sig": base64.b64encode(signature).decode("ascii")}]}


def _field_ok(value, expected):
    if expected == _STR:
        return isinstance(value, str)
    if expected == _NULL_STR:
        return value is None or isinstance(value, str)
    if expected == _INT_OR_NULL:
        return value is None or (_is_int(value) and value >= 0)
    if expected == "a verdict":
        return value in VERDICTS
    if expected == "64 hex or null":
        return value is None or (isinstance(value, str) and HEX64.match(value) is not None)
    if expected == "a boolean":
        return isinstance(value, bool)
    if expected == "a timestamp":
        return isinstance(value, str) and TIMESTAMP.match(value) is not None
    return isinstance(value, list)


def _receipt_statement_problem(statement):
    """None when the statement is a RunProof verification statement (10.3) whose subjects
    are exactly the traces with a head: name = origin(tenant_id, trace_id), digest.sha256 =
    head; else what is wrong."""
    if not isinstance(statement, dict):
        return "the payload is not a JSON object"
    if statement.get("_type") != STATEMENT_TYPE:
        return "_type is %s, not %s" % (json.dumps(statement.get("_type")), STATEMENT_TYPE)
    if statement.get("predicateType") != RECEIPT_PREDICATE_TYPE:
        return "predicateType is %s, not %s" % (json.dumps(statement.get("predicateType")), RECEIPT_PREDICATE_TYPE)
    predicate = statement.get("predicate")
    if not isinstance(predicate, dict):
        return "predicate is not an object"
    for field, expected in RECEIPT_PREDICATE_FIELDS.items():
        if field not in predicate:
            return "predicate.%s is missing" % field
        if not _field_ok(predicate[field], expected):
            return "predicate.%s is not %s" % (field, expected)
    if predicate["format"] != FORMAT:
        return "predicate.format is %s, not %s" % (json.dumps(predicate["format"]), FORMAT)
    expected_subjects = []
    for number, trace in enumerate(predicate["traces"]):
        if not isinstance(trace, dict):
            return "predicate.traces[%d] is not an object" % number
        for field, expected in RECEIPT_TRACE_FIELDS.items():
            if field not in trace:
                return "predicate.traces[%d].%s is missing" % (number, field)
            if not _field_ok(trace[field], expected):
                return "predicate.traces[%d].%s is not %s" % (number, field, expected)
        if trace["head"] is not None:
            if predicate["tenant_id"] is None:
                return "predicate.tenant_id is null, but trace %s has a head" % json.dumps(trace["trace_id"])
            expected_subjects.append((checkpoint_origin(predicate["tenant_id"], trace["trace_id"]), trace["head"]))
    subjects = statement.get("subject")
    if not isinstance(subjects, list):
        return "subject is not an array"
    got = []
    for number, subject in enumerate(subjects):
        digest = subject.get("digest") if isinstance(subject, dict) else None
        if not isinstance(subject, dict) or not isinstance(subject.get("name"), str) or not isinstance(digest, dict) \
                or not isinstance(digest.get("sha256"), str):
            return "subject[%d] is not {\"name\": str, \"digest\": {\"sha256\": hex}}" % number
        got.append((subject["name"], digest["sha256"]))
    if sorted(got) != sorted(expected_subjects):
        missing = sorted(set(expected_subjects) - set(got))
        extra = sorted(set(got) - set(expected_subjects))
        return "the subjects are not the traces' origins and chain heads (%s)" % "; ".join(
            ["no subject %s with sha256 %s" % (json.dumps(n, ensure_ascii=False), h) for n, h in missing]
            + ["subject %s sha256 %s is not a trace's origin and head" % (json.dumps(n, ensure_ascii=False), h)
               for n, h in extra] or ["a subject is repeated"])
    return None


def verify_receipt(data, pubkey_pem):
    """The `receipt` subcommand: (exit code, result). 0 and {"verified": true, "verdict",
    "run_id"} when the DSSE envelope (payloadType application/vnd.in-toto+json) carries a
    valid Ed25519 signature by the key (keyid = hex H(raw public key)) over its PAE, and its
    payload is a RunProof verification statement (10.3) whose subjects are the traces'
    origins and heads; 1 and {"verified": false, "verdict": null, "run_id": null, "reason"}
    otherwise; 64 when the public key is unusable. The recorded verdict does not matter."""
    def refused(reason):
        return 1, {"verified": False, "verdict": None, "run_id": None, "reason": reason}

    try:
        raw = public_key_raw(pubkey_pem)
    except ValueError as error:
        return EXIT_USAGE, {"verified": False, "verdict": None, "run_id": None,
                            "reason": "unusable public key: %s" % error}
    try:
        envelope = parse_json(data)
    except JCSError as error:
        return refused("not a DSSE envelope: %s" % error)
    if not isinstance(envelope, dict) or not isinstance(envelope.get("payload"), str) \
            or not isinstance(envelope.get("payloadType"), str) or not isinstance(envelope.get("signatures"), list):
        return refused("not a DSSE envelope (payload, payloadType and signatures)")
    if envelope["payloadType"] != DSSE_PAYLOAD_TYPE:
        return refused("payloadType is %s, not %s" % (json.dumps(envelope["payloadType"]), DSSE_PAYLOAD_TYPE))
    payload = decode_base64_strict(envelope["payload"])
    if payload is None:
        return refused("the payload is not padded standard base64")
    kid = key_id(raw)
    signatures = [s for s in envelope["signatures"] if isinstance(s, dict) and s.get("keyid") == kid]
    if not signatures:
        return refused("no signature with keyid %s (the given key's id)" % kid)
    message = dsse_pae(envelope["payloadType"], payload)
    results = []
    for entry in signatures:
        signature = decode_signature(entry.get("sig"))
        results.append(False if signature is None else _ed25519_verify(raw, signature, message))
    if True not in results:
        if None in results:
            return refused("the signature cannot be checked: the cryptography package is not available")
        return refused("no valid signature by key %s over the envelope" % kid)
    try:
        statement = parse_json(payload)
    except JCSError as error:
        return refused("the payload is not JSON: %s" % error)
    problem = _receipt_statement_problem(statement)
    if problem:
        return refused("not a RunProof verification statement: %s" % problem)
    predicate = statement["predicate"]
    return 0, {"verified": True, "verdict": predicate["verdict"], "run_id": predicate["run_id"]}


# ---------------------------------------------------------------------------------------
# Vector checking
# ---------------------------------------------------------------------------------------

class VectorCheck:
    def __init__(self):
        self.failures = []
        self.count = 0
        self.skipped = []

    def eq(self, where, got, expected):
        self.count += 1
        if got != expected:
            self.failures.append("%s: got %r, expected %r" % (where, got, expected))

    def ok(self, where, condition, message=""):
        self.count += 1
        if not condition:
            self.failures.append("%s: %s" % (where, message or "check failed"))


def _load(directory, name):
    with open(os.path.join(directory, name), "r", encoding="utf-8") as f:
        return json.load(f)


def check_vectors(directory):
    vc = VectorCheck()

    jcs_vectors = _load(directory, "jcs.json")
    for case in jcs_vectors["valid"]:
        where = "jcs.json valid %s" % case["name"]
        try:
            out = canonicalize(case["input"].encode("utf-8")).decode("utf-8")
        except JCSError as error:
            vc.ok(where, False, "rejected: %s" % error)
            continue
        vc.eq(where, out, case["canonical"])
        vc.eq(where + " (idempotent)", canonicalize(out.encode("utf-8")).decode("utf-8"), out)
    for case in jcs_vectors["invalid"]:
        where = "jcs.json invalid %s" % case["name"]
        try:
            out = canonicalize(bytes.fromhex(case["input_hex"]))
            vc.ok(where, False, "accepted as %r" % out)
        except JCSError:
            vc.ok(where, True)

    numbers = _load(directory, "numbers.json")
    for case in numbers["cases"]:
        where = "numbers.json %s" % case["input"]
        try:
            vc.eq(where, canonicalize(case["input"]).decode("ascii"), case["output"])
        except JCSError as error:
            vc.ok(where, False, "rejected: %s" % error)
            continue
        vc.eq(where + " (exact)", exact_decimal(case["input"]), exact_decimal(case["output"]))
    for case in numbers.get("refused", []):
        where = "numbers.json refused %s" % case["input"]
        try:
            out = canonicalize(case["input"])
            vc.ok(where, False, "accepted as %r" % out)
        except JCSError as error:
            vc.ok(where, True)
            vc.eq(where + " reason", str(error), case["reason"])

    merkle = _load(directory, "merkle.json")
    leaves = [H(b"\x00" + ("leaf-%d" % i).encode()) for i in range(len(merkle["leaves"]))]
    vc.eq("merkle.json leaves", [x.hex() for x in leaves], merkle["leaves"])
    frontier_roots = [H(b"").hex()]
    frontier = MerkleFrontier()
    for leaf in leaves:
        frontier.push(leaf)
        frontier_roots.append(frontier.root().hex())
    for case in merkle["roots"]:
        n = case["n"]
        vc.eq("merkle.json root n=%d" % n, merkle_root(leaves[:n]).hex(), case["root"])
        vc.eq("merkle.json frontier root n=%d" % n, frontier_roots[n], case["root"])

    for trace in _load(directory, "chain.json")["traces"]:
        where = "chain.json %s" % trace["name"]
        got = compute_chain(trace["header"], trace["steps"])
        for field in ("canonical_steps", "genesis", "leaves", "heads", "merkle_roots", "head",
                      "merkle_root", "legacy_root_hash", "chain_length"):
            vc.eq("%s %s" % (where, field), got[field], trace[field])
        vc.ok(where + " step keys", all(set(s) == STEP_KEYS for s in trace["steps"]))
        vc.ok(where + " header keys", set(trace["header"]) == HEADER_KEYS)

    seals = _load(directory, "seals.json")
    with open(os.path.join(directory, "test-key.pub.pem"), "r", encoding="ascii") as f:
        test_raw = public_key_raw(f.read())
    vc.eq("seals.json key_id", seals["key_id"], key_id(test_raw))
    for case in seals["seals"]:
        where = "seals.json %s" % case["name"]
        vc.eq(where + " canonical", jcs(case["seal"]).decode("utf-8"), case["canonical"])
        result = verify_seal_signature(case["seal"], case["signature"], test_raw)
        if result is None:
            vc.skipped.append(where)
        else:
            vc.eq(where + " signature valid", result and case["seal"]["key_id"] == seals["key_id"],
                  case["valid"])

    for case in _load(directory, "legacy.json")["cases"]:
        vc.eq("legacy.json %s" % case["name"],
              legacy_root_hash(case["run_id"], ((s["step_index"], s["skill_name"], s["status"])
                                                for s in case["steps"])),
              case["legacy_root_hash"])

    for case in _load(directory, "exports.json")["cases"]:
        where = "exports.json %s" % case["name"]
        pub = None
        if case["pubkey"] is not None:
            with open(os.path.join(directory, case["pubkey"]), "r", encoding="ascii") as f:
                pub = f.read()
        got = verify_export(os.path.join(directory, case["file"]), pub, case["require_signature"])
        if (got["signature"] or "").startswith("skipped") and (
                got["verdict"] != case["verdict"] or case["require_signature"]):
            vc.skipped.append(where)  # the expected verdict depends on an Ed25519 check
            continue
        vc.eq(where + " verdict", got["verdict"], case["verdict"])
        vc.eq(where + " failing_step_index", got["failing_step_index"], case["failing_step_index"])
        _check_new_fields(vc, where, got, case)
        for field in ("chain_length", "unsealed_steps", "head", "merkle_root", "legacy_root_hash"):
            if case.get(field) is not None:
                vc.eq("%s %s" % (where, field), got[field], case[field])
        if case.get("reason_contains"):
            vc.ok(where + " reason", case["reason_contains"] in (got["reason"] or "").lower(),
                  "reason %r lacks %r" % (got["reason"], case["reason_contains"]))

    check_merkle_proof_vectors(directory, vc)
    for name, verify in (("proofs.json", lambda c, pub: verify_proof(
            os.path.join(directory, c["file"]), pub, c["require_signature"])),
                         ("bundles.json", lambda c, pub: verify_bundle(
            os.path.join(directory, c["file"]), pub))):
        for case in _load(directory, name)["cases"]:
            where = "%s %s" % (name, case["name"])
            pub = None
            if case["pubkey"] is not None:
                with open(os.path.join(directory, case["pubkey"]), "r", encoding="ascii") as f:
                    pub = f.read()
            got = verify(case, pub)
            if not HAVE_ED25519 and case["pubkey"] is not None and (
                    name == "bundles.json" or case["require_signature"]
                    or got["verdict"] != case["verdict"]
                    or (case.get("reason_contains") or "") not in (got["reason"] or "").lower()):
                vc.skipped.append(where)  # the expected result depends on an Ed25519 check
                continue
            vc.eq(where + " verdict", got["verdict"], case["verdict"])
            vc.eq(where + " failing_step_index", got["failing_step_index"], case["failing_step_index"])
            _check_new_fields(vc, where, got, case)
            for field in ("chain_length", "head", "merkle_root"):
                if case.get(field) is not None:
                    vc.eq("%s %s" % (where, field), got[field], case[field])
            if case.get("reason_contains"):
                vc.ok(where + " reason", case["reason_contains"] in (got["reason"] or "").lower(),
                      "reason %r lacks %r" % (got["reason"], case["reason_contains"]))
    for name in ("locate.json", "closed.json", "keyring.json"):
        check_case_vectors(directory, name, vc)
    if os.path.exists(os.path.join(directory, "hostile.json")):
        check_case_vectors(directory, "hostile.json", vc)
    if os.path.exists(os.path.join(directory, "checkpoints.json")):
        check_checkpoint_vectors(directory, vc)
    for name, check in (("tlog-proofs.json", check_tlog_proof_vectors),
                        ("cosignatures.json", check_cosignature_vectors),
                        ("receipts.json", check_receipt_vectors),
                        ("tenant-log.json", check_tenant_log_vectors)):
        if os.path.exists(os.path.join(directory, name)):
            check(directory, vc)
    return vc


def _read_bytes(directory, name):
    with open(os.path.join(directory, name), "rb") as f:
        return f.read()


def check_checkpoint_vectors(directory, vc):
    """checkpoints.json (section 10): verifier keys, checkpoint bodies and signed notes, notes
    opened with a verifier key, and seal records carrying checkpoint_signature (common case
    schema, in "cases")."""
    vectors = _load(directory, "checkpoints.json")
    raws = {}

    def raw_of(pub):
        if pub not in raws:
            raws[pub] = public_key_raw(_read_bytes(directory, pub).decode("ascii"))
        return raws[pub]

    for entry in vectors["keys"]:
        where = "checkpoints.json keys %s %s" % (entry["pubkey"], entry["name"])
        raw = raw_of(entry["pubkey"])
        vc.eq(where + " key_hash", note_key_hash(entry["name"], raw).hex(), entry["key_hash"])
        vc.eq(where + " vkey", vkey(entry["name"], raw), entry["vkey"])
        try:
            vc.eq(where + " parse_vkey", parse_vkey(entry["vkey"]),
                  (entry["name"], bytes.fromhex(entry["key_hash"]), raw))
        except VkeyError as error:
            vc.ok(where + " parse_vkey", False, "refused: %s" % error)
    private = {}
    for case in vectors["checkpoints"]:
        where = "checkpoints.json checkpoints %s" % case["name"]
        seal, raw = case["seal"], raw_of(case["pubkey"])
        body = checkpoint_body(seal).decode("utf-8")
        vc.eq(where + " origin", checkpoint_origin(seal["tenant_id"], seal["trace_id"]), case["origin"])
        vc.eq(where + " body", body, case["body"])
        vc.eq(where + " key_hash", note_key_hash(case["key_name"], raw).hex(), case["key_hash"])
        vc.eq(where + " vkey", vkey(case["key_name"], raw), case["vkey"])
        vc.eq(where + " file", _read_bytes(directory, case["file"]), case["note"].encode("utf-8"))
        vc.eq(where + " signature line", case["note"].rstrip("\n").rsplit("\n", 1)[-1],
              case["checkpoint_signature"])
        try:
            origin, size, root, extensions = parse_checkpoint(case["body"])
            vc.eq(where + " parsed", (origin, size, root.hex(), checkpoint_head(extensions)),
                  (case["origin"], int(seal["chain_length"]), seal["merkle_root"], seal["head"]))
        except NoteError as error:
            vc.ok(where + " parsed", False, "refused: %s" % error)
        if not HAVE_ED25519:
            vc.skipped.append(where)
            continue
        try:
            vc.eq(where + " open_note", open_note(case["note"], case["vkey"]), body)
        except ValueError as error:  # NoteError, VkeyError
            vc.ok(where + " open_note", False, "refused: %s" % error)
        vc.eq(where + " checkpoint_signature_problem",
              checkpoint_signature_problem(seal, case["checkpoint_signature"], raw), None)
        pem = case["pubkey"].replace(".pub.pem", ".pem")
        if os.path.exists(os.path.join(directory, pem)):  # Ed25519 is deterministic: re-sign
            if pem not in private:
                private[pem] = load_private_key(os.path.join(directory, pem))
            vc.eq(where + " sign_note", sign_note(checkpoint_body(seal), case["key_name"], private[pem]),
                  case["note"])
    for case in vectors["notes"]:
        where = "checkpoints.json notes %s" % case["name"]
        code, got = check_checkpoint_note(_read_bytes(directory, case["file"]), case["vkey"])
        if not HAVE_ED25519 and code == 1:
            vc.skipped.append(where)
            continue
        vc.eq(where + " verified", got["verified"], case["verified"])
        vc.eq(where + " exit_code", code, case["exit_code"])
        if case["verified"]:
            for field in ("origin", "size", "root_hash", "head"):
                vc.eq("%s %s" % (where, field), got.get(field), case[field])
        if case.get("reason_contains"):
            vc.ok(where + " reason", case["reason_contains"] in (got.get("reason") or "").lower(),
                  "reason %r lacks %r" % (got.get("reason"), case["reason_contains"]))
    check_case_vectors(directory, "checkpoints.json", vc)


def check_tlog_proof_vectors(directory, vc):
    """tlog-proofs.json (10.1): c2sp.org/tlog-proof files checked with a vkey, a public key or
    no key."""
    for case in _load(directory, "tlog-proofs.json")["cases"]:
        where = "tlog-proofs.json %s" % case["name"]
        if not HAVE_ED25519 and (case["vkey"] or case["pubkey"]):
            vc.skipped.append(where)
            continue
        pem = _read_bytes(directory, case["pubkey"]).decode("ascii") if case["pubkey"] else None
        try:
            got = verify_tlog_proof(_read_bytes(directory, case["file"]), case["vkey"], pem)
        except VkeyError as error:
            vc.ok(where, False, "key refused: %s" % error)
            continue
        for field in ("verdict", "failing_step_index", "failure_kind", "authenticity"):
            vc.eq("%s %s" % (where, field), got[field], case[field])
        for field in ("chain_length", "merkle_root"):
            if case[field] is not None:
                vc.eq("%s %s" % (where, field), got[field], case[field])
        if case.get("reason_contains"):
            vc.ok(where + " reason", case["reason_contains"] in (got["reason"] or "").lower(),
                  "reason %r lacks %r" % (got["reason"], case["reason_contains"]))


def check_tenant_log_vectors(directory, vc):
    """tenant-log.json (10.4): the log (entries from the closing seals of its runs' exports,
    leaves, roots, signed checkpoints), then inclusion tlog-proofs and consistency proofs."""
    vectors = _load(directory, "tenant-log.json")
    main_log = vectors["log"]
    pem = _read_bytes(directory, main_log["pubkey"]).decode("ascii")
    for label, log in (("log", main_log), ("odd_tenant_log", vectors["odd_tenant_log"])):
        where = "tenant-log.json %s" % label
        vc.eq(where + " origin", tenant_log_origin(log["tenant_id"]), log["origin"])
        leaves = []
        for i, entry in enumerate(log["entries"]):
            vc.eq("%s entries[%d]" % (where, i), tenant_log_entry_problem(entry, log["origin"]), None)
            leaves.append(tenant_log_leaf(entry))
            if "canonical_entries" in log:
                vc.eq("%s canonical_entries[%d]" % (where, i), jcs(entry).decode("utf-8"), log["canonical_entries"][i])
        vc.eq(where + " leaves", [x.hex() for x in leaves], log["leaves"])
        for root in log.get("roots", []):
            vc.eq("%s root at %d" % (where, root["size"]), merkle_root(leaves[:root["size"]]).hex(), root["root"])
        for checkpoint in log["checkpoints"]:
            at = "%s checkpoint at %d" % (where, checkpoint["size"])
            data = _read_bytes(directory, checkpoint["file"])
            size = checkpoint["size"]
            vc.eq(at + " body", data.decode("utf-8").split("\n\n")[0] + "\n", tenant_log_checkpoint_body(
                log["tenant_id"], size, merkle_root(leaves[:size])).decode("utf-8"))
            if not HAVE_ED25519:
                vc.skipped.append(at)
                continue
            code, got = check_checkpoint_note(data, main_log["vkey"])
            vc.eq(at + " opens", (code, got.get("origin"), got.get("size"), got.get("root_hash"), got.get("head")),
                  (0, log["origin"], size, merkle_root(leaves[:size]).hex(), None))
        for i, run in enumerate(log.get("runs", [])):
            at = "%s runs[%d]" % (where, i)
            path = os.path.join(directory, run["file"])
            # The runs require their signatures: without Ed25519 they are checked unsigned-tolerant.
            report = verify_export(path, pem, HAVE_ED25519, None, True)
            vc.eq(at + " verdict", (report["verdict"], report["closed"], report["chain_length"]),
                  (HASH_CHAIN, True, run["chain_length"]))
            with open(path, "rb") as f:
                closing = parse_json(_split_lines(f.read())[-1])["seal"]
            vc.eq(at + " entry", tenant_log_entry(closing), log["entries"][i])
    for case in vectors["cases"]:
        where = "tenant-log.json %s" % case["name"]
        if not HAVE_ED25519 and (case["vkey"] or case["pubkey"]):
            vc.skipped.append(where)
            continue
        data = _read_bytes(directory, case["file"])
        key_pem = _read_bytes(directory, case["pubkey"]).decode("ascii") if case["pubkey"] else None
        try:
            if is_tlog_proof(data):
                got = verify_tlog_proof(data, case["vkey"], key_pem)
            else:
                vc.ok(where + " consistency proof", is_tenant_log_consistency(data),
                      "not a tenant-log consistency proof")
                got = verify_tenant_log_consistency(data, case["vkey"])
        except VkeyError as error:
            vc.ok(where, False, "key refused: %s" % error)
            continue
        for field in ("verdict", "failing_step_index", "failure_kind", "authenticity"):
            vc.eq("%s %s" % (where, field), got[field], case[field])
        for field in ("chain_length", "merkle_root"):
            if case[field] is not None:
                vc.eq("%s %s" % (where, field), got[field], case[field])
        if case.get("reason_contains"):
            vc.ok(where + " reason", case["reason_contains"] in (got["reason"] or "").lower(),
                  "reason %r lacks %r" % (got["reason"], case["reason_contains"]))


def check_cosignature_vectors(directory, vc):
    """cosignatures.json (10.2): witness keys from their published seeds, cosignature lines
    (re-signed: Ed25519 is deterministic), and notes checked with witnesses and a quorum."""
    vectors = _load(directory, "cosignatures.json")
    witnesses = {}
    for entry in vectors["witnesses"]:
        where = "cosignatures.json witnesses %s" % entry["name"]
        raw = bytes.fromhex(entry["public_key"])
        witnesses[entry["name"]] = raw
        vc.eq(where + " key_hash", witness_key_hash(entry["name"], raw).hex(), entry["key_hash"])
        vc.eq(where + " vkey", witness_vkey(entry["name"], raw), entry["vkey"])
        try:
            vc.eq(where + " parse", parse_witness_vkey(entry["vkey"]),
                  (entry["name"], bytes.fromhex(entry["key_hash"]), raw))
        except VkeyError as error:
            vc.ok(where + " parse", False, "refused: %s" % error)
        if HAVE_ED25519:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(entry["seed"]))
            vc.eq(where + " seed", private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw), raw)
            witnesses[entry["name"]] = (raw, private)
    for number, entry in enumerate(vectors["cosignatures"]):
        where = "cosignatures.json cosignatures[%d] %s" % (number, entry["witness"])
        known = witnesses[entry["witness"]]
        if not HAVE_ED25519:
            vc.skipped.append(where)
            continue
        raw, private = known
        vc.eq(where + " line", cosignature_line(entry["body"], entry["witness"], private, entry["time"]), entry["line"])
        note = entry["body"] + "\n" + entry["line"] + "\n"
        vc.eq(where + " verifies", cosigned_by(note, entry["body"], (
            entry["witness"], witness_key_hash(entry["witness"], raw), raw)), entry["time"])
    for case in vectors["cases"]:
        where = "cosignatures.json %s" % case["name"]
        if not HAVE_ED25519 and case["exit_code"] != EXIT_USAGE:
            vc.skipped.append(where)
            continue
        code, got = check_checkpoint_note(_read_bytes(directory, case["file"]), case["vkey"], case["witnesses"],
                                          case["quorum"])
        vc.eq(where + " exit_code", code, case["exit_code"])
        vc.eq(where + " verified", got["verified"], case["verified"])
        if case["cosigned"] is not None:
            vc.eq(where + " cosigned", got.get("witnesses"), case["cosigned"])
        if case.get("reason_contains"):
            vc.ok(where + " reason", case["reason_contains"] in (got.get("reason") or "").lower(),
                  "reason %r lacks %r" % (got.get("reason"), case["reason_contains"]))


def check_receipt_vectors(directory, vc):
    """receipts.json (10.3): DSSE envelopes of RunProof verification statements."""
    vectors = _load(directory, "receipts.json")
    for name, statement in sorted(vectors["statements"].items()):
        vc.eq("receipts.json statements %s" % name, _receipt_statement_problem(statement), None)
    for case in vectors["cases"]:
        where = "receipts.json %s" % case["name"]
        if not HAVE_ED25519:
            vc.skipped.append(where)
            continue
        code, got = verify_receipt(_read_bytes(directory, case["file"]),
                                   _read_bytes(directory, case["pubkey"]).decode("ascii"))
        for field in ("verified", "verdict", "run_id"):
            vc.eq("%s %s" % (where, field), got[field], case[field])
        vc.eq(where + " exit_code", code, case["exit_code"])
        if case.get("reason_contains"):
            vc.ok(where + " reason", case["reason_contains"] in (got.get("reason") or "").lower(),
                  "reason %r lacks %r" % (got.get("reason"), case["reason_contains"]))
        if case["name"] in vectors["statements"]:
            envelope = parse_json(_read_bytes(directory, case["file"]))
            vc.eq(where + " payload", base64.b64decode(envelope["payload"]), jcs(vectors["statements"][case["name"]]))


def _check_new_fields(vc, where, got, case):
    """failure_kind, closed and authenticity, when the case states them."""
    for field in ("failure_kind", "closed", "authenticity"):
        if field in case:
            vc.eq("%s %s" % (where, field), got[field], case[field])
    if got["verdict"] == FAILED:
        vc.ok(where + " failure_kind known", got["failure_kind"] in FAILURE_KINDS | {BUNDLE},
              "FAILED with failure_kind %r" % got["failure_kind"])


def check_case_vectors(directory, name, vc):
    """locate.json, closed.json, keyring.json, hostile.json: export, bundle or proof cases with
    keyrings, require_closed and the expected exit code (64 = the keyring is refused); the
    genesis too when a case states it (hostile.json)."""
    for case in _load(directory, name)["cases"]:
        where = "%s %s" % (name, case["name"])
        pub = None
        if case["pubkey"] is not None:
            with open(os.path.join(directory, case["pubkey"]), "r", encoding="ascii") as f:
                pub = f.read()
        keyring = None
        if case["keyring"] is not None:
            try:
                keyring = load_keyring(os.path.join(directory, case["keyring"]))
            except KeyringError as error:
                vc.eq(where + " exit_code", EXIT_USAGE, case["exit_code"])
                if case.get("reason_contains"):
                    vc.ok(where + " reason", case["reason_contains"] in str(error).lower(),
                          "keyring error %r lacks %r" % (str(error), case["reason_contains"]))
                continue
        if case["exit_code"] == EXIT_USAGE:
            vc.ok(where, False, "the keyring was accepted, expected it refused (exit 64)")
            continue
        path = os.path.join(directory, case["file"])
        if case["type"] == "export":
            got = verify_export(path, pub, case["require_signature"], keyring, case["require_closed"])
        elif case["type"] == "bundle":
            got = verify_bundle(path, pub, keyring, case["require_closed"])
        else:
            got = verify_proof(path, pub, case["require_signature"], keyring)
        if not HAVE_ED25519 and (pub is not None or keyring is not None) and (
                got["verdict"] != case["verdict"] or case["type"] == "bundle" or keyring is not None
                or case["require_signature"]):
            vc.skipped.append(where)  # the expected result depends on an Ed25519 check
            continue
        vc.eq(where + " verdict", got["verdict"], case["verdict"])
        vc.eq(where + " exit_code", EXIT_CODES[got["verdict"]], case["exit_code"])
        vc.eq(where + " failing_step_index", got["failing_step_index"], case["failing_step_index"])
        _check_new_fields(vc, where, got, case)
        for field in ("chain_length", "unsealed_steps", "head", "merkle_root", "genesis"):
            if case.get(field) is not None:
                vc.eq("%s %s" % (where, field), got[field], case[field])
        if case.get("reason_contains"):
            vc.ok(where + " reason", case["reason_contains"] in (got["reason"] or "").lower(),
                  "reason %r lacks %r" % (got["reason"], case["reason_contains"]))


def check_merkle_proof_vectors(directory, vc):
    """merkle-proofs.json: RFC 9162 audit and consistency paths over the merkle.json leaves."""
    vectors = _load(directory, "merkle-proofs.json")
    leaves = [bytes.fromhex(x) for x in _load(directory, "merkle.json")["leaves"]]
    for case in vectors["inclusion"]:
        n, i = case["size"], case["index"]
        where = "merkle-proofs.json inclusion size=%d index=%d" % (n, i)
        path = [bytes.fromhex(x) for x in case["path"]]
        vc.eq(where + " path", [h.hex() for h in inclusion_path(leaves[:n], i)], case["path"])
        vc.ok(where + " verifies", verify_inclusion(leaves[i], i, n, path, merkle_root(leaves[:n])))
        if n > 1:
            vc.ok(where + " other index rejected",
                  not verify_inclusion(leaves[i], (i + 1) % n, n, path, merkle_root(leaves[:n])))
    for case in vectors["consistency"]:
        m, n = case["first"], case["second"]
        where = "merkle-proofs.json consistency %d->%d" % (m, n)
        path = [bytes.fromhex(x) for x in case["path"]]
        first_root, second_root = merkle_root(leaves[:m]), merkle_root(leaves[:n])
        vc.eq(where + " path", [h.hex() for h in consistency_path(leaves[:n], m)], case["path"])
        vc.ok(where + " verifies", verify_consistency(m, n, first_root, second_root, path))
        if m < n:
            vc.ok(where + " swapped roots rejected",
                  not verify_consistency(m, n, second_root, first_root, path))


# ---------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description="Independent runproof chain v1 verifier")
    sub = parser.add_subparsers(dest="command", required=True)
    p_export = sub.add_parser("export", help="verify an NDJSON export file")
    p_export.add_argument("file")
    p_export.add_argument("--pubkey", help="Ed25519 public key PEM (SubjectPublicKeyInfo)")
    p_export.add_argument("--require-signature", action="store_true")
    p_export.add_argument("--keyring", help="keyring JSON (6.4): every seal must be signed by a valid key of it")
    p_export.add_argument("--require-closed", action="store_true",
                          help="FAILED (not closed) unless the latest seal is a closing seal")
    p_proof = sub.add_parser("proof", help="verify an inclusion or consistency proof file")
    p_proof.add_argument("file")
    p_proof.add_argument("--pubkey", help="Ed25519 public key PEM (SubjectPublicKeyInfo)")
    p_proof.add_argument("--require-signature", action="store_true")
    p_proof.add_argument("--keyring", help="keyring JSON (6.4): every seal of the proof checked against it")
    p_proof.add_argument("--vkey", help="a tlog-proof's checkpoint, or both checkpoints of a tenant-log consistency "
                                        "proof: the log's verifier key NAME+HASH+BASE64KEY")
    p_bundle = sub.add_parser("bundle", help="verify an NDJSON audit bundle (needs --pubkey or --keyring)")
    p_bundle.add_argument("file")
    p_bundle.add_argument("--pubkey", help="Ed25519 public key PEM (SubjectPublicKeyInfo)")
    p_bundle.add_argument("--keyring", help="keyring JSON (6.4): every seal and the bundle signature checked against it")
    p_bundle.add_argument("--require-closed", action="store_true")
    p_checkpoint = sub.add_parser("checkpoint", help="open a signed checkpoint (C2SP signed note) with a verifier key")
    p_checkpoint.add_argument("file")
    p_checkpoint.add_argument("--vkey", required=True, help="verifier key NAME+HASH+BASE64KEY")
    p_checkpoint.add_argument("--witness", action="append", default=[],
                              help="a witness verifier key NAME+HASH+base64(0x04||key) (10.2); repeatable")
    p_checkpoint.add_argument("--witness-quorum", type=int,
                              help="how many of the --witness keys must have cosigned (default: all)")
    p_receipt = sub.add_parser("receipt", help="verify a verification receipt (DSSE envelope, in-toto Statement)")
    p_receipt.add_argument("file")
    p_receipt.add_argument("--pubkey", required=True, help="Ed25519 public key PEM of the receipt's signer")
    p_vectors = sub.add_parser("vectors", help="check the vector files in DIR")
    p_vectors.add_argument("dir")
    p_canon = sub.add_parser("canonicalize", help="print JCS of a JSON text")
    p_canon.add_argument("file", nargs="?")
    args = parser.parse_args(argv)

    if args.command == "proof":
        try:
            with open(args.file, "rb") as f:
                head = f.read(len(TLOG_PROOF_MAGIC))
        except OSError:
            head = b""
        if is_tlog_proof(head):
            if args.keyring or (args.vkey and args.pubkey):
                print("runproof_verify.py: a tlog-proof is checked with --vkey or --pubkey (one of them), "
                      "not --keyring", file=sys.stderr)
                return EXIT_USAGE
            try:
                pem = None
                if args.pubkey:
                    with open(args.pubkey, "r", encoding="ascii") as f:
                        pem = f.read()
                with open(args.file, "rb") as f:
                    report = verify_tlog_proof(f.read(), args.vkey, pem, args.require_signature)
            except (VkeyError, OSError, UnicodeDecodeError) as error:
                print("runproof_verify.py: %s" % error, file=sys.stderr)
                return EXIT_USAGE
            print(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=True))
            return EXIT_CODES[report["verdict"]]
        try:
            with open(args.file, "rb") as f:
                data = f.read()
        except OSError:
            data = b""
        if is_tenant_log_consistency(data):
            if not args.vkey or args.pubkey or args.keyring:
                print("runproof_verify.py: a tenant-log consistency proof is checked with --vkey (the log's "
                      "verifier key), without --pubkey or --keyring", file=sys.stderr)
                return EXIT_USAGE
            try:
                report = verify_tenant_log_consistency(data, args.vkey)
            except VkeyError as error:
                print("runproof_verify.py: %s" % error, file=sys.stderr)
                return EXIT_USAGE
            print(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=True))
            return EXIT_CODES[report["verdict"]]
        if args.vkey:
            print("runproof_verify.py: --vkey goes with a tlog-proof (c2sp.org/tlog-proof@v1) or a tenant-log "
                  "consistency proof", file=sys.stderr)
            return EXIT_USAGE
    if args.command in ("export", "proof", "bundle"):
        pem = None
        if args.pubkey:
            with open(args.pubkey, "r", encoding="ascii") as f:
                pem = f.read()
        keyring = None
        if args.keyring:
            try:
                keyring = load_keyring(args.keyring)
            except KeyringError as error:
                print("runproof_verify.py: %s" % error, file=sys.stderr)
                return EXIT_USAGE
        if args.command == "export":
            report = verify_export(args.file, pem, args.require_signature, keyring, args.require_closed)
        elif args.command == "proof":
            report = verify_proof(args.file, pem, args.require_signature, keyring)
        else:
            report = verify_bundle(args.file, pem, keyring, args.require_closed)
        print(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=True))
        return EXIT_CODES[report["verdict"]]
    if args.command == "checkpoint":
        try:
            with open(args.file, "rb") as f:
                data = f.read()
        except OSError as error:
            code, result = 1, {"verified": False, "reason": "cannot read %s: %s" % (args.file, error.strerror)}
        else:
            code, result = check_checkpoint_note(data, args.vkey, args.witness, args.witness_quorum)
            if code == EXIT_USAGE:
                print("runproof_verify.py: %s" % result["reason"], file=sys.stderr)
        print(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=True))
        return code
    if args.command == "receipt":
        try:
            with open(args.pubkey, "r", encoding="ascii") as f:
                pem = f.read()
        except (OSError, UnicodeDecodeError) as error:
            print("runproof_verify.py: cannot read the public key %s: %s" % (args.pubkey, error), file=sys.stderr)
            return EXIT_USAGE
        try:
            with open(args.file, "rb") as f:
                data = f.read()
        except OSError as error:
            code, result = 1, {"verified": False, "verdict": None, "run_id": None,
                               "reason": "cannot read %s: %s" % (args.file, error.strerror)}
        else:
            code, result = verify_receipt(data, pem)
            if code == EXIT_USAGE:
                print("runproof_verify.py: %s" % result["reason"], file=sys.stderr)
        print(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=True))
        return code
    if args.command == "vectors":
        vc = check_vectors(args.dir)
        for failure in vc.failures:
            print("MISMATCH " + failure)
        skipped = ""
        if vc.skipped:
            skipped = " (%d cases skipped: Ed25519 unavailable, install `cryptography`)" % len(vc.skipped)
        print("%d checks, %d mismatches%s" % (vc.count, len(vc.failures), skipped))
        return 1 if vc.failures else 0
    if args.command == "canonicalize":
        data = open(args.file, "rb").read() if args.file else sys.stdin.buffer.read()
        try:
            sys.stdout.buffer.write(canonicalize(data) + b"\n")
        except JCSError as error:
            print("not canonicalizable: %s" % error, file=sys.stderr)
            return 1
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
