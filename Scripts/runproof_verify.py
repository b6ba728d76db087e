#!/usr/bin/env python3
"""Independent verifier for the runproof chain format v1 (docs/chain-v1.md), its proof
files and its audit bundles.

Written from the format description only (not from the Swift sources), so that it can
serve as a cross-check of the Swift engine. Standard library only, plus the
`cryptography` package for Ed25519 when it is importable; without it signature checks
are skipped and reported as skipped.

Usage:
    runproof_verify.py export FILE [--pubkey PEM] [--require-signature]
        prints a JSON report; exit 0 = HASH_CHAIN, 1 = FAILED, 2 = UNSUPPORTED
    runproof_verify.py proof FILE [--pubkey PEM] [--require-signature]
        verifies an inclusion or consistency proof (JSON); same report and exit codes
    runproof_verify.py bundle FILE --pubkey PEM
        verifies an audit bundle (NDJSON export + evidence, governance, bundle signature);
        without --pubkey the verdict is FAILED; same report and exit codes
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


# ---------------------------------------------------------------------------------------
# JCS (RFC 8785)
# ---------------------------------------------------------------------------------------

class JCSError(ValueError):
    """A value or a text that JCS cannot represent."""


def _reject_constant(name):
    raise JCSError("%s is not a JSON number" % name)


def _parse_number(text):
    # Every JSON number is an IEEE double: float() rounds to nearest, ties to even, for
    # any number of digits (so 9007199254740993 -> 9007199254740992).
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise JCSError("number %s is out of the range of a double" % text)
    return value


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
    for: invalid UTF-8, a BOM, anything RFC 8259 does not allow, NaN/Infinity, numbers
    that overflow a double, duplicate keys (compared after unescaping), lone surrogates
    and nesting deeper than 128 arrays/objects.
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
# Export verification
# ---------------------------------------------------------------------------------------

def _is_int(value):
    return (isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER) \
        or (isinstance(value, int) and not isinstance(value, bool))


class _Pairs(list):
    """Object members as parsed, duplicates kept (for locating a problem)."""


def locate_problem(data):
    """Best-effort path (list of keys/indexes) of the first value JCS cannot represent.

    Re-parses leniently (NaN/Infinity and duplicate keys allowed, invalid UTF-8 kept as
    surrogate escapes) so that a verification failure can name the step's field.
    """
    text = bytes(data).decode("utf-8", "surrogateescape") if isinstance(data, (bytes, bytearray)) else data
    try:
        value = json.loads(text, object_pairs_hook=_Pairs, parse_float=float, parse_int=float)
    except (ValueError, RecursionError):
        return None
    bad = (float("inf"), float("-inf"))

    def walk(v, path):
        if isinstance(v, float) and (v != v or v in bad):
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


def _check_seal_record(record):
    """Returns (seal, signature) or raises ValueError naming the problem."""
    if not isinstance(record, dict) or "seal" not in record:
        raise ValueError("not a seal line")
    extra = set(record) - {"seal", "signature"}
    if extra:
        raise ValueError("unexpected key %s in seal line" % json.dumps(sorted(extra)[0]))
    seal, signature = record["seal"], record.get("signature")
    if not isinstance(seal, dict):
        raise ValueError("seal is not an object")
    if set(seal) != SEAL_KEYS:
        missing, extra = sorted(SEAL_KEYS - set(seal)), sorted(set(seal) - SEAL_KEYS)
        raise ValueError("seal key %s is %s" % (
            json.dumps((missing or extra)[0]), "missing" if missing else "unexpected"))
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
    else:
        if not isinstance(seal["key_id"], str) or not HEX64.match(seal["key_id"]):
            raise ValueError("seal key_id is not a SHA-256 hex digest")
        if not isinstance(signature, str):
            raise ValueError("signed seal (key_id set) has no signature string")
    return seal, signature


def _split_lines(data):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def _new_report():
    return {
        "verdict": None, "reason": None, "failing_step_index": None, "chain_length": 0,
        "head": None, "merkle_root": None, "legacy_root_hash": None, "genesis": None,
        "unsealed_steps": None, "seals": 0, "signature": None, "run_id": None,
    }


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


def _signature_problem(report, seal, signature, pubkey_pem, require_signature, what="the latest seal"):
    """Trust rules of 6.2 for the one seal whose signature counts; sets report["signature"].

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
    report["signature"] = "valid"
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


def verify_export(path, pubkey_pem=None, require_signature=False):
    """Verifies an NDJSON export file. pubkey_pem: PEM text (or a path to it).

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
    return _verify_export_data(data, pubkey_pem, require_signature, {})


def _verify_export_data(data, pubkey_pem, require_signature, state):
    """Export verification of `data`; fills `state` with lines, header and trailer once known."""
    report = _new_report()

    def done(verdict, reason, index=None):
        report["verdict"], report["reason"], report["failing_step_index"] = verdict, reason, index
        return report

    lines = _split_lines(data)
    if not lines:
        return done(UNSUPPORTED, "no trace: the export is empty")

    # Header.
    try:
        header = parse_json(lines[0])
    except JCSError as error:
        return done(FAILED, "malformed export: header line: %s" % error)
    problem = _header_problem(header)
    if problem:
        return done(FAILED, "malformed export: %s" % problem)
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
            for kind in TRAILER_KINDS:
                if stripped.startswith(b'{"' + kind.encode("ascii") + b'"'):
                    return done(FAILED, "malformed export: %s line %d: %s" % (kind, end, error))
            break
        kind = _trailer_kind(record)
        if kind is None:
            break
        if kind == "seal":
            try:
                record = _check_seal_record(record)
            except ValueError as error:
                return done(FAILED, "malformed export: seal line %d: %s" % (end, error))
        trailer.append((kind, record, line))
        end -= 1
    trailer.reverse()
    order = [TRAILER_KINDS.index(kind) for kind, _, _ in trailer]
    if order != sorted(order):
        return done(FAILED, "malformed export: trailing lines are out of order "
                            "(seals, evidence, governance, bundle_signature)")
    state.update(lines=lines, header=header, trailer=trailer)
    seals = [record for kind, record, _ in trailer if kind == "seal"]
    extra = len(trailer) - len(seals)
    step_lines = lines[1:end]
    report["chain_length"] = len(step_lines)
    report["seals"] = len(seals)

    # Seals bind tenant, run, trace and genesis.
    for seal, _ in seals:
        problem = _seal_binding_problem(seal, header, genesis)
        if problem:
            return done(FAILED, problem)
    # Seals are checkpoints in chain_length order; the latest one carries the signature.
    seals.sort(key=lambda s: s[0]["chain_length"])
    latest = seals[-1] if seals else None

    # Signature of the latest seal.
    if latest is not None:
        problem = _signature_problem(report, latest[0], latest[1], pubkey_pem, require_signature)
        if problem:
            return done(FAILED, problem)

    # Steps: recompute leaves, heads and Merkle roots; compare at every seal.
    by_length = {}
    for seal, _ in seals:
        by_length.setdefault(seal["chain_length"], []).append(seal)
    head = genesis
    frontier = MerkleFrontier()
    legacy = hashlib.sha256(header["run_id"].encode("utf-8"))
    legacy_known = True
    last_matched = 0

    def check_seals_at(length):
        nonlocal last_matched
        for seal in by_length.get(length, ()):
            if seal["head"] != head.hex():
                return "head mismatch at the seal with chain_length %d (sealed %s, recomputed %s): a step in [%d, %d) changed" % (
                    length, seal["head"], head.hex(), last_matched, length)
            if seal["merkle_root"] != frontier.root().hex():
                return "seal at chain_length %d has merkle_root %s, recomputed %s" % (
                    length, seal["merkle_root"], frontier.root().hex())
        if length in by_length:
            last_matched = length
        return None

    problem = check_seals_at(0)
    if problem:
        return done(FAILED, problem, None)
    for position, line in enumerate(step_lines):
        try:
            step = parse_json(line)
        except JCSError as error:
            guess = _guess_index(line)
            path = locate_problem(line)
            where = ""
            if path:
                where = " field %s%s" % (json.dumps(str(path[0]), ensure_ascii=True), "" if len(path) == 1
                                         else " (at %s)" % format_path(path))
            return done(FAILED, "step %d (line %d)%s is not canonicalizable: %s%s" % (
                position, position + 2, where, error,
                "" if guess in (None, position) else " (the line claims step_index %d)" % guess),
                position)
        if not isinstance(step, dict):
            return done(FAILED, "step %d (line %d) is not a JSON object" % (position, position + 2), position)
        if "seal" in step:
            return done(FAILED, "a seal line among the steps (line %d)" % (position + 2), position)
        index = step.get("step_index")
        if not _is_int(index):
            return done(FAILED, "step %d (line %d): step_index is missing or not an integer" % (
                position, position + 2), position)
        index = int(index)
        if index != position:
            if index < 0:
                return done(FAILED, "negative step_index %d at line %d: expected step %d" % (
                    index, position + 2, position), position)
            if index < position:
                return done(FAILED, "step_index %d is duplicated or out of order (line %d, expected %d)" % (
                    index, position + 2, position), index)
            return done(FAILED, "step_index gap: step %d is missing (line %d has step_index %d)" % (
                position, position + 2, index), position)
        keys = set(step)
        if keys == REDACTED_KEYS:
            if not isinstance(step["leaf"], str) or not HEX64.match(step["leaf"]):
                return done(FAILED, "redacted step %d: leaf is not a SHA-256 hex digest" % index, index)
            leaf = bytes.fromhex(step["leaf"])
            legacy_known = False
        else:
            if keys != STEP_KEYS:
                missing, extra_keys = sorted(STEP_KEYS - keys), sorted(keys - STEP_KEYS)
                return done(FAILED, "step %d: key %s is %s" % (
                    index, json.dumps((missing or extra_keys)[0]), "missing" if missing else "unexpected"), index)
            leaf = step_leaf(step)
            if isinstance(step["skill_name"], str) and isinstance(step["status"], str):
                legacy.update(("%d:%s:%s" % (index, step["skill_name"], step["status"])).encode("utf-8"))
            else:
                legacy_known = False
        head = next_head(head, leaf)
        frontier.push(leaf)
        problem = check_seals_at(position + 1)
        if problem:
            return done(FAILED, problem, last_matched)

    n = len(step_lines)
    report["head"] = head.hex()
    report["merkle_root"] = frontier.root().hex()
    report["legacy_root_hash"] = legacy.hexdigest() if legacy_known else None
    if latest is not None and latest[0]["chain_length"] > n:
        return done(FAILED, "truncated: the export has %d steps, sealed %d: step %d is missing" % (
            n, latest[0]["chain_length"], n), n)
    if n == 0:
        return done(UNSUPPORTED, "the trace has no steps")
    if latest is None:
        report["unsealed_steps"] = n
        return done(UNSUPPORTED, "trace was never sealed (computed head and merkle_root reported)")
    report["unsealed_steps"] = n - latest[0]["chain_length"]
    return done(HASH_CHAIN, "%d steps recomputed, heads equal at %d seal(s), signature %s%s" % (
        n, len(seals), report["signature"],
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


def verify_proof(path, pubkey_pem=None, require_signature=False):
    """Verifies an inclusion or consistency proof file; the same report as verify_export."""
    report = _new_report()

    def done(verdict, reason, index=None):
        report["verdict"], report["reason"], report["failing_step_index"] = verdict, reason, index
        return report

    def malformed(reason):
        return done(FAILED, "malformed proof: %s" % reason)

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
            seal, signature = load_seal("seal")
        except ValueError as error:
            return malformed(str(error))
        report["seals"] = 1
        report["chain_length"] = seal["chain_length"]
        problem = _seal_binding_problem(seal, header, genesis)
        if problem:
            return done(FAILED, problem)
        problem = _signature_problem(report, seal, signature, pubkey_pem, require_signature, "the seal")
        if problem:
            return done(FAILED, problem)
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
                    return done(FAILED, "step %d: the step object carries another step_index" % index, index)
                if set(step) != STEP_KEYS:
                    return done(FAILED, "step %d: the step object does not have the 19 step keys" % index, index)
                if step_leaf(step).hex() != leaf:
                    return done(FAILED, "step %d: the step object does not hash to the entry's leaf" % index, index)
            if not verify_inclusion(bytes.fromhex(leaf), index, size, hashes, root):
                return done(FAILED, "step %d is not included in the Merkle root of the seal at chain_length %d" % (
                    index, size), index)
        report["head"], report["merkle_root"] = seal["head"], seal["merkle_root"]
        return done(HASH_CHAIN, "%d step(s) included in the seal at chain_length %d, signature %s" % (
            len(entries), size, report["signature"]))

    # Consistency.
    try:
        first, first_signature = load_seal("first")
        second, signature = load_seal("second")
    except ValueError as error:
        return malformed(str(error))
    report["seals"] = 2
    report["chain_length"] = second["chain_length"]
    for seal in (first, second):
        problem = _seal_binding_problem(seal, header, genesis)
        if problem:
            return done(FAILED, problem)
    m, n = first["chain_length"], second["chain_length"]
    if m == n and first["head"] != second["head"]:
        return done(FAILED, "two seals at chain_length %d disagree (heads %s and %s)" % (
            m, first["head"], second["head"]))
    if m > n:
        return done(FAILED, "the first seal (chain_length %d) is longer than the second (%d)" % (m, n))
    problem = _signature_problem(report, second, signature, pubkey_pem, require_signature, "the second seal")
    if problem:
        return done(FAILED, problem)
    # The first seal is a checkpoint; when it claims the trusted key, its signature must hold too.
    if pubkey_pem is not None and first["key_id"] is not None:
        raw = public_key_raw(_read_pem(pubkey_pem))
        if first["key_id"] == key_id(raw) and verify_seal_signature(first, first_signature, raw) is False:
            return done(FAILED, "bad signature on the first seal (chain_length %d)" % m)
    hashes = _hex_list(proof.get("path"))
    if hashes is None:
        return malformed("path is not an array of SHA-256 hex digests")
    if not verify_consistency(m, n, bytes.fromhex(first["merkle_root"]),
                              bytes.fromhex(second["merkle_root"]), hashes):
        return done(FAILED, "the seal at chain_length %d does not extend the seal at chain_length %d "
                            "(consistency proof does not verify)" % (n, m))
    report["head"], report["merkle_root"] = second["head"], second["merkle_root"]
    return done(HASH_CHAIN, "the seal at chain_length %d extends the seal at chain_length %d, signature %s" % (
        n, m, report["signature"]))


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


def verify_bundle(path, pubkey_pem):
    """Verifies an audit bundle: the export checks, then evidence, governance and the bundle
    signature (which needs the public key)."""
    if pubkey_pem is None:
        report = _new_report()
        report["verdict"], report["reason"] = FAILED, "a bundle needs a public key"
        return report
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        report = _new_report()
        report["verdict"], report["reason"] = UNSUPPORTED, "no bundle: cannot read %s: %s" % (path, error.strerror)
        return report
    state = {}
    report = _verify_export_data(data, pubkey_pem, False, state)
    if report["verdict"] == FAILED or "trailer" not in state:
        return report
    chain_verdict, chain_reason = report["verdict"], report["reason"]

    def fail(reason):
        report["verdict"], report["reason"], report["failing_step_index"] = FAILED, reason, None
        return report

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
    raw = public_key_raw(_read_pem(pubkey_pem))
    if signed.get("key_id") != key_id(raw):
        return fail("bundle signed by key_id %s, not by the given public key (key_id %s)" % (
            json.dumps(signed.get("key_id")), key_id(raw)))
    raw_sig = decode_signature(signature)
    if raw_sig is None:
        return fail("bundle signature is not padded base64 of 64 bytes")
    if not HAVE_ED25519:
        report["signature"] = "skipped (the cryptography package is not available)"
        return fail("bundle signature cannot be checked: the cryptography package is not available")
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(raw_sig, jcs(signed))
    except InvalidSignature:
        return fail("bad bundle signature")
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

    for case in _load(directory, "numbers.json")["cases"]:
        where = "numbers.json %s" % case["input"]
        try:
            vc.eq(where, canonicalize(case["input"]).decode("ascii"), case["output"])
        except JCSError as error:
            vc.ok(where, False, "rejected: %s" % error)

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
            for field in ("chain_length", "head", "merkle_root"):
                if case.get(field) is not None:
                    vc.eq("%s %s" % (where, field), got[field], case[field])
            if case.get("reason_contains"):
                vc.ok(where + " reason", case["reason_contains"] in (got["reason"] or "").lower(),
                      "reason %r lacks %r" % (got["reason"], case["reason_contains"]))
    return vc


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
    p_proof = sub.add_parser("proof", help="verify an inclusion or consistency proof file")
    p_proof.add_argument("file")
    p_proof.add_argument("--pubkey", help="Ed25519 public key PEM (SubjectPublicKeyInfo)")
    p_proof.add_argument("--require-signature", action="store_true")
    p_bundle = sub.add_parser("bundle", help="verify an NDJSON audit bundle (needs --pubkey)")
    p_bundle.add_argument("file")
    p_bundle.add_argument("--pubkey", help="Ed25519 public key PEM (SubjectPublicKeyInfo)")
    p_vectors = sub.add_parser("vectors", help="check the vector files in DIR")
    p_vectors.add_argument("dir")
    p_canon = sub.add_parser("canonicalize", help="print JCS of a JSON text")
    p_canon.add_argument("file", nargs="?")
    args = parser.parse_args(argv)

    if args.command in ("export", "proof", "bundle"):
        pem = None
        if args.pubkey:
            with open(args.pubkey, "r", encoding="ascii") as f:
                pem = f.read()
        if args.command == "export":
            report = verify_export(args.file, pem, args.require_signature)
        elif args.command == "proof":
            report = verify_proof(args.file, pem, args.require_signature)
        else:
            report = verify_bundle(args.file, pem)
        print(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=True))
        return EXIT_CODES[report["verdict"]]
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
