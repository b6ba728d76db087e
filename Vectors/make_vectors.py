#!/usr/bin/env python3
"""Generates the runproof chain v1 test vectors in Vectors/ (deterministically).

Uses the independent implementation in runproof_verify.py. Re-running produces
byte-identical files: every input is fixed and Ed25519 signatures are deterministic.
The Ed25519 keys Vectors/test-key.pem, Vectors/other-key.pem and Vectors/third-key.pem are
PUBLISHED TEST KEYS; they are created once with openssl when missing and reused afterwards.

Usage: python3 Vectors/make_vectors.py [--out DIR]
"""

import argparse
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Verifiers", "python"))
import runproof_verify as rv  # noqa: E402

if rv.HAVE_ED25519:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

if not rv.HAVE_ED25519:
    sys.exit("make_vectors.py needs the `cryptography` package to sign the seal vectors")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dumps(obj):
    return json.dumps(obj, indent=1, ensure_ascii=True, sort_keys=True) + "\n"


def write_text(path, text):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(text)


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def ensure_key(out, name):
    private, public = os.path.join(out, name + ".pem"), os.path.join(out, name + ".pub.pem")
    if not os.path.exists(private):
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", private], check=True)
    if not os.path.exists(public):
        subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-out", public], check=True)
    key = rv.load_private_key(private)
    with open(public, "r", encoding="ascii") as f:
        raw = rv.public_key_raw(f.read())
    assert rv.private_key_id(key) == rv.key_id(raw), "%s.pub.pem does not match %s.pem" % (name, name)
    return key, rv.key_id(raw)


# ---------------------------------------------------------------------------------------
# JCS vectors
# ---------------------------------------------------------------------------------------

RFC8785_EXAMPLE_IN = (
    '{\n'
    '  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n'
    '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n'
    '  "literals": [null, true, false]\n'
    '}'
)
RFC8785_EXAMPLE_OUT = (
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
    '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
)
RFC8785_SORT_IN = (
    '{\n'
    '  "\\u20ac": "Euro Sign",\n'
    '  "\\r": "Carriage Return",\n'
    '  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n'
    '  "1": "One",\n'
    '  "\\ud83d\\ude00": "Emoji: Grinning Face",\n'
    '  "\\u0080": "Control",\n'
    '  "\\u00f6": "Latin Small Letter O With Diaeresis"\n'
    '}'
)
RFC8785_SORT_OUT = (
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
    '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
    '"\U0001F600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
)


def jcs_vectors():
    all_controls = "".join("\\u%04X" % c for c in range(0x20))
    valid_inputs = [
        # RFC 8785's own example, with 333333333.33333329 (refused since the revision of 2.2:
        # see the invalid case rfc8785-3.2.2-example) written as its double's 333333333.3333333.
        ("rfc8785-3.2.2-example-exact-numbers", RFC8785_EXAMPLE_IN.replace("333333333.33333329", "333333333.3333333")),
        ("rfc8785-3.2.3-sorting-utf16", RFC8785_SORT_IN),
        ("utf16-order-differs-from-code-point-order",
         '{"\\uffff":1,"\\ud800\\udc00":2,"\\ufb33":3,"\\ud83d\\ude00":4,"\\ue000":5}'),
        ("numeric-looking-keys-sort-as-strings", '{"10":"ten","9":"nine","1":"one","01":"zero-one","-1":"minus"}'),
        ("empty-key-and-prefix-keys", '{"ab":3,"a":2,"":1,"a\\u0000":4,"b":5}'),
        ("nested-unsorted", '{"z":{"y":[3,{"c":1,"b":[{"b":1,"a":0}],"a":null}],"x":{}},"a":[[],[[]],{}]}'),
        ("whitespace-everywhere", ' \t\n\r{ \n"b"\t:\r[ 1 ,\n2 , { } ] ,\r\n  "a" :\t{ "d" : true , "c" : null } }\n\t '),
        ("control-character-escapes", '"' + all_controls + '"'),
        ("short-escapes", '["\\b","\\t","\\n","\\f","\\r","\\"","\\\\","\\/"]'),
        ("u-escapes-of-short-escape-characters", '"\\u0008\\u0009\\u000a\\u000c\\u000d\\u0022\\u005c\\u002f"'),
        ("del-and-line-separators-stay-literal", '["\\u007f","\\u2028","\\u2029","\\u0080","\\u00a0","\\ufeff"]'),
        ("raw-del-and-line-separators", '["\x7f", "\u2028", "\u2029"]'),
        ("surrogate-pair-escapes-become-utf8", '["\\ud83d\\ude00","\\uD834\\uDD1E","\\udbff\\udfff"]'),
        ("uppercase-hex-escapes", '"\\u00E9\\u00C9\\u20AC"'),
        ("literal-non-ascii", '{"cl\u00e9":"\u00e9t\u00e9","\u043a\u043b\u044e\u0447":"\u952e","\U0001F600":"\u20ac"}'),
        ("precomposed-and-decomposed-keys-are-distinct", '{"e\\u0301":2,"\\u00e9":1}'),
        ("literals", '[true,false,null]'),
        ("empty-object", '{}'),
        ("empty-array", '[]'),
        ("empty-containers", '{"b":[],"a":{},"c":[{}],"d":""}'),
        ("top-level-number", ' 42 '),
        ("top-level-string", '"text"'),
        ("top-level-null", 'null'),
        ("top-level-true", 'true'),
        ("top-level-negative-zero", '-0'),
        ("numbers-in-arrays-exact", '[1.0,1e0,-0.0,1E+2,0.1e1,100e-2,-1.5e300,5e-324,1e21,1e-7,12345678901234567000]'),
        ("float-precision-exact", '{"p":0.30000000000000004,"q":0.1,"r":0.2,"s":9007199254740992}'),
        ("repeated-values-not-keys", '{"a":[1,1,1],"b":{"a":1},"c":{"a":1}}'),
        ("nested-128-arrays", "[" * 128 + "]" * 128),
        ("nested-128-objects", '{"a":' * 127 + '{}' + "}" * 127),
        ("nested-128-mixed", '[{"k":' * 64 + '0' + '}]' * 64),
        # Revised (docs/chain-v1.md 2.2): a number is accepted when the exact decimal value of its
        # text is that of its double's JCS form, however it is written.
        ("exact-number-forms", '[1.10,110e-2,-0,-0.0,0e10,0.000e-5,1.1000e0,11E-1,9007199254740992,'
                               '9007199254740994,12345678901234567000,1e+23,5e-324,1e-323]'),
        # Keys are compared by UTF-16 code units only: U+00C5, U+212B and U+0041 U+030A, which
        # Unicode normalization equates, are three distinct keys (sorted 0x0041, 0x00C5, 0x212B).
        ("normalization-equivalent-keys-are-distinct", '{"\\u212b":"angstrom sign","\\u00c5":"precomposed",'
                                                       '"A\\u030a":"decomposed"}'),
        ("normalization-equivalent-keys-raw-utf8", '{"\u212b":2,"A\u030a":3,"\u00c5":1}'),
    ]
    valid = []
    for name, text in valid_inputs:
        canonical = rv.canonicalize(text.encode("utf-8")).decode("utf-8")
        valid.append({"name": name, "input": text, "canonical": canonical})
    by_name = {c["name"]: c["canonical"] for c in valid}
    assert by_name["rfc8785-3.2.2-example-exact-numbers"] == RFC8785_EXAMPLE_OUT, \
        by_name["rfc8785-3.2.2-example-exact-numbers"]
    assert by_name["normalization-equivalent-keys-raw-utf8"] == '{"A\u030a":3,"\u00c5":1,"\u212b":2}'
    assert by_name["rfc8785-3.2.3-sorting-utf16"] == RFC8785_SORT_OUT, by_name["rfc8785-3.2.3-sorting-utf16"]

    invalid_inputs = [
        ("duplicate-key", b'{"a":1,"a":2}', "duplicate object key"),
        ("duplicate-key-same-value", b'{"a":1,"a":1}', "duplicate object key even with equal values"),
        ("duplicate-key-after-unescaping", b'{"a":1,"\\u0061":2}', "\"a\" and \"\\u0061\" are the same key"),
        ("duplicate-key-nested", b'{"x":[{"b":1,"c":2,"b":3}]}', "duplicate key in a nested object"),
        ("duplicate-key-non-ascii", b'{"\xc3\xa9":1,"\\u00e9":2}', "raw and escaped e-acute are the same key"),
        ("lone-high-surrogate", b'["\\ud800"]', "lone high surrogate escape"),
        ("lone-low-surrogate", b'["\\udc00"]', "lone low surrogate escape"),
        ("high-surrogate-at-end-of-string", b'"abc\\udbff"', "high surrogate with nothing after it"),
        ("high-surrogate-then-bmp", b'"\\ud800\\u0041"', "high surrogate followed by a non-surrogate"),
        ("reversed-surrogate-pair", b'"\\udc00\\ud800"', "low surrogate before high surrogate"),
        ("lone-surrogate-in-key", b'{"\\ud800":1}', "lone surrogate in an object key"),
        ("invalid-utf8-ff", b'["\xff"]', "byte 0xff is never UTF-8"),
        ("invalid-utf8-overlong", b'["\xc0\xaf"]', "overlong encoding of '/'"),
        ("invalid-utf8-truncated", b'["\xe2\x82"]', "truncated 3-byte sequence"),
        ("invalid-utf8-encoded-surrogate", b'["\xed\xa0\x80"]', "UTF-8 encoded surrogate U+D800"),
        ("invalid-utf8-continuation-only", b'["\x80"]', "continuation byte without a lead byte"),
        ("invalid-utf8-above-u10ffff", b'["\xf4\x90\x80\x80"]', "code point above U+10FFFF"),
        ("invalid-utf8-in-key", b'{"\xfe":1}', "invalid UTF-8 in a key"),
        ("nan", b'[NaN]', "NaN is not JSON"),
        ("infinity", b'[Infinity]', "Infinity is not JSON"),
        ("negative-infinity", b'[-Infinity]', "-Infinity is not JSON"),
        ("number-overflow-1e400", b'[1e400]', "overflows a double to infinity"),
        ("number-overflow-negative", b'{"x":-1e400}', "overflows a double to -infinity"),
        ("number-overflow-just-above-max", b'1.7976931348623159e308', "rounds to infinity"),
        ("number-overflow-long-integer", b'1' + b'0' * 400, "a 401-digit integer overflows a double"),
        ("leading-zero", b'[01]', "leading zero"),
        ("leading-zero-negative", b'[-01]', "leading zero after minus"),
        ("leading-plus", b'[+1]', "leading plus sign"),
        ("trailing-dot", b'[1.]', "no digit after the decimal point"),
        ("leading-dot", b'[.5]', "no digit before the decimal point"),
        ("empty-exponent", b'[1e]', "no exponent digits"),
        ("hex-number", b'[0x10]', "hexadecimal number"),
        ("minus-only", b'[-]', "minus without digits"),
        ("trailing-comma-array", b'[1,2,]', "trailing comma in an array"),
        ("trailing-comma-object", b'{"a":1,}', "trailing comma in an object"),
        ("missing-comma", b'[1 2]', "missing comma"),
        ("missing-colon", b'{"a" 1}', "missing colon"),
        ("single-quotes", b"{'a':1}", "single-quoted strings"),
        ("unquoted-key", b'{a:1}', "unquoted key"),
        ("non-string-key", b'{1:1}', "number as a key"),
        ("unescaped-tab-in-string", b'["a\tb"]', "raw control character U+0009 in a string"),
        ("unescaped-newline-in-string", b'["a\nb"]', "raw control character U+000A in a string"),
        ("unescaped-nul-in-string", b'["a\x00b"]', "raw control character U+0000 in a string"),
        ("invalid-escape", b'["\\x41"]', "\\x is not a JSON escape"),
        ("short-unicode-escape", b'["\\u12"]', "\\u needs four hex digits"),
        ("unterminated-string", b'["abc]', "string never closed"),
        ("unterminated-array", b'[1,2', "array never closed"),
        ("unterminated-object", b'{"a":1', "object never closed"),
        ("capitalized-literal", b'[True]', "True is not a JSON literal"),
        ("comment", b'[1 /* c */]', "comments are not JSON"),
        ("form-feed-as-whitespace", b'[1,\x0c2]', "U+000C is not JSON whitespace"),
        ("nbsp-as-whitespace", b'[1,\xc2\xa02]', "U+00A0 is not JSON whitespace"),
        ("trailing-garbage", b'{"a":1} x', "text after the value"),
        ("two-values", b'1 2', "two top-level values"),
        ("empty-input", b'', "no value at all"),
        ("whitespace-only", b' \n\t', "no value at all"),
        ("nested-129-arrays", b"[" * 129 + b"]" * 129, "nesting deeper than 128"),
        ("nested-129-objects", b'{"a":' * 128 + b'{}' + b"}" * 128, "nesting deeper than 128"),
        ("nested-129-mixed", b'[{"k":' * 64 + b'[]' + b'}]' * 64, "nesting deeper than 128"),
        # Revised (docs/chain-v1.md 2.2): refused numbers. The first three were valid cases
        # before the revision (their numbers were rounded to the nearest double).
        ("rfc8785-3.2.2-example", RFC8785_EXAMPLE_IN.encode("utf-8"),
         "333333333.33333329 has more digits than its double (333333333.3333333); refused since the revision "
         "of 2.2 (valid case rfc8785-3.2.2-example-exact-numbers is the same text with 333333333.3333333)"),
        ("numbers-in-arrays", b'[1.0,1e0,-0.0,1E+2,0.1e1,100e-2,-1.5e300,5e-324,1e21,1e-7,12345678901234567890]',
         "12345678901234567890 would become 12345678901234567000; refused since the revision of 2.2"),
        ("float-precision", b'{"p":0.30000000000000004,"q":0.1,"r":0.2,"s":9007199254740993}',
         "9007199254740993 (2^53 + 1) would become 9007199254740992; refused since the revision of 2.2"),
        ("number-above-2-53-inexact", b'9007199254740993', "2^53 + 1 is not a double (it would be 2^53)"),
        ("number-above-2-53-inexact-negative", b'{"x":-9007199254740995}', "it would be -9007199254740996"),
        ("number-more-digits-than-double", b'[0.1000000000000000055511151231257827]', "it would be 0.1"),
        ("number-repeating-decimal", b'[0.33333333333333333333]', "it would be 0.3333333333333333"),
        ("number-exact-binary-value-written-out", b'0.1000000000000000055511151231257827021181583404541015625',
         "the exact value of the double nearest 0.1, but its JCS form is 0.1: the text's value is not the "
         "JCS form's"),
        ("number-2-63-written-out", b'9223372036854775808',
         "2^63 is a double, but its JCS form is 9223372036854776000"),
        ("number-underflow-1e-400", b'[1e-400]', "underflows a double to 0"),
        ("number-underflow-negative", b'{"x":-1e-400}', "underflows a double to -0"),
        ("number-below-smallest-subnormal", b'3e-324', "it would be 5e-324"),
        ("number-just-below-max-double", b'1.7976931348623158e308', "it would be 1.7976931348623157e+308"),
        ("duplicate-key-equivalent-raw-and-escaped", b'{"\xc3\x85":1,"\\u00c5":2}',
         "raw and escaped U+00C5 are the same key (the same UTF-16 code units)"),
        ("duplicate-key-escaped-surrogate-pair-and-raw", b'{"\xf0\x9f\x98\x80":1,"\\ud83d\\ude00":2}',
         "raw U+1F600 and its escaped surrogate pair are the same key"),
        ("invalid-utf8-lone-continuation-after-ascii", b'{"plan":"ab\x80c"}',
         "invalid UTF-8 inside a string: refused, never replaced by U+FFFD"),
    ]
    invalid = []
    for name, data, reason in invalid_inputs:
        try:
            rv.canonicalize(data)
        except rv.JCSError:
            pass
        else:
            raise AssertionError("invalid JCS vector %s was accepted" % name)
        invalid.append({"name": name, "input_hex": data.hex(), "reason": reason})
    return {"valid": valid, "invalid": invalid}


# ---------------------------------------------------------------------------------------
# Number vectors
# ---------------------------------------------------------------------------------------

# RFC 8785 Appendix B: IEEE-754 bit patterns and their ES serialization.
RFC8785_APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]

NUMBER_INPUTS = [
    "0", "-0", "0.0", "-0.0", "0e10", "1", "-1", "1e21", "1e20", "-1e21", "1e-7", "1e-6",
    "0.000001", "0.0000001", "123e-20", "5e-324", "2.2250738585072014e-308",
    "2.225073858507201e-308", "1.7976931348623157e308", "1.7976931348623158e308",
    "0.1", "0.2", "0.30000000000000004", "0.3", "9007199254740993", "9007199254740992",
    "9007199254740991", "-9007199254740993", "9007199254740994", "9007199254740995",
    "1e16", "1e15", "12345678901234567890", "0.1e1", "100", "1E2", "1e+2", "1e-2",
    "4.35", "4.5", "4.50", "0.000001234", "1.5e-7", "123456789012345680000",
    "123456789012345678901", "1.0", "-1.5e300", "333333333.33333329", "1e-323", "3e-324",
    "1e-400", "-1e-400", "9.999999999999999e22", "1e23", "1E30", "2e-3",
    "0.000000000000000000000000001", "1.23456789e-7", "-0.000001", "-1e-7",
    "1234567.125", "0.5", "1.5", "2.5", "255", "65535", "4294967296", "1e100",
    "1.7976931348623157e+308", "-2.2250738585072014e-308", "100000000000000000000",
    "1000000000000000000000", "999999999999999999999", "0.1000000000000000055511151231257827",
    "1.10", "0.33333333333333333333", "3.14159265358979323846", "6.02214076e23",
    "1.602176634e-19", "42.000000000000000000001",
    "10", "20", "50", "90", "-10", "-90", "1e1", "0.5e2", "110", "200", "1000", "1020",
    "1.0e1", "10.0", "0.10", "0.01", "-0.01", "120", "99", "101",
    # Added with the revision of 2.2 (exact values only): other spellings of exact values are
    # accepted, and numbers whose text is not exactly their double's JCS form are refused.
    "110e-2", "1.1000e0", "0.000e-5", "-0e-3", "18446744073709552000", "9223372036854776000",
    "1e400", "-1e400", "1e-324", "2.4703282292062328e-324", "9223372036854775808", "18446744073709551616",
    "0.1000000000000000055511151231257827021181583404541015625", "9007199254740992.5", "1.00000000000000001",
]


def number_vectors():
    """`cases`: accepted inputs and their JCS form; `refused`: inputs that are not
    canonicalizable (docs/chain-v1.md 2.2, revised: the exact decimal value of the text must be
    that of its double's JCS form), with the reason."""
    cases, refused = [], []
    for text in NUMBER_INPUTS:
        problem = rv.number_problem(text)
        if problem:
            try:
                rv.canonicalize(text)
            except rv.JCSError:
                pass
            else:
                raise AssertionError("refused number %s was canonicalized" % text)
            refused.append({"input": text, "reason": problem})
        else:
            cases.append({"input": text, "output": rv.canonicalize(text).decode("ascii")})
    for bits, expected in RFC8785_APPENDIX_B:
        value = struct.unpack(">d", bytes.fromhex(bits))[0]
        text = repr(value)
        output = rv.canonicalize(text).decode("ascii")
        assert output == expected, (bits, output, expected)
        cases.append({"input": text, "output": output, "note": "RFC 8785 Appendix B 0x" + bits})
    # sanity anchors of the spec text
    outputs = {c["input"]: c["output"] for c in cases}
    assert outputs["1.10"] == outputs["110e-2"] == "1.1"
    assert outputs["-0"] == "0"
    refused_inputs = set(r["input"] for r in refused)
    for text in ("9007199254740993", "0.1000000000000000055511151231257827", "0.33333333333333333333",
                 "1e400", "1e-400"):
        assert text in refused_inputs, text
    return {"cases": cases, "refused": refused}


# ---------------------------------------------------------------------------------------
# Merkle vectors
# ---------------------------------------------------------------------------------------

def merkle_vectors():
    leaves = [rv.H(b"\x00" + ("leaf-%d" % i).encode()) for i in range(18)]
    return {
        "leaves": [x.hex() for x in leaves],
        "roots": [{"n": n, "root": rv.merkle_root(leaves[:n]).hex()} for n in range(18)],
    }


# ---------------------------------------------------------------------------------------
# Traces
# ---------------------------------------------------------------------------------------

def ts(seconds, micros=0, day=1):
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return "2026-01-%02dT%02d:%02d:%02d.%06dZ" % (day, 10 + hours, minutes, secs, micros)


def make_step(index, skill, status="ok", params=None, **overrides):
    step = {
        "cost_cents": 1.5 * index,
        "duration_ms": 100 + 17 * index,
        "idempotency_key": "idem-%04d" % index,
        "input_hash": hashlib.sha256(b"input-%d" % index).hexdigest(),
        "level": "L1",
        "outcome_category": "SUCCESS" if status == "ok" else "FAILURE",
        "outcome_code": "OK" if status == "ok" else "E_%s" % status.upper(),
        "outcome_data": {"bytes": 1000 + index, "items": [index, index + 1]},
        "output_hash": hashlib.sha256(b"output-%d" % index).hexdigest(),
        "params": params if params is not None else {"n": index},
        "replay_behavior": "execute",
        "retry_count": 0,
        "rng_state_before": None,
        "skill_id": "skill-%s" % skill,
        "skill_name": skill,
        "source": "coordinator",
        "status": status,
        "step_index": index,
        "timestamp": ts(index, 123456),
    }
    for key, value in overrides.items():
        assert key in step, key
        step[key] = value
    assert set(step) == rv.STEP_KEYS
    return step


def make_header(run_id, tenant="tenant-acme", trace_id=None, agent="agent-7", plan=None,
                correlation="corr-%s"):
    header = {
        "agent_id": agent,
        "correlation_id": correlation % run_id if "%s" in correlation else correlation,
        "format": rv.FORMAT,
        "plan": plan if plan is not None else {"goal": "demo", "steps": ["a", "b"]},
        "run_id": run_id,
        "started_at": ts(0),
        "tenant_id": tenant,
        "trace_id": trace_id or "trace-" + run_id,
    }
    assert set(header) == rv.HEADER_KEYS
    return header


def chain_traces():
    traces = []

    header = make_header("run-0001", plan={"goal": "fetch and summarize", "budget_cents": 250})
    steps = [
        make_step(0, "http.fetch", params={"url": "https://example.com/", "timeout_s": 30}),
        make_step(1, "html.parse", params={"selector": "article p", "max": 20}),
        make_step(2, "llm.summarize", params={"model": "m-1", "temperature": 0.2,
                                              "max_tokens": 512}, retry_count=1),
    ]
    traces.append(("three-steps", header, steps))

    traces.append(("one-step", make_header("run-0002"), [make_step(0, "noop", params={})]))

    tricky_params = {
        "big": 1e21, "small": 1e-7, "negzero": -0.0, "tenth": 0.1, "sum": 0.1 + 0.2,
        # Integers at the edge of what a double holds exactly (revised 2.2: 2^53 + 1 would be refused).
        "int53p1": 2 ** 53, "int_huge": 12345678901234567000, "neg_big": -(2 ** 53),
        "exp": 1.5e300, "tiny": 5e-324, "third": 1 / 3, "whole_float": 100.0,
        "text": "quote\" backslash\\ slash/ tab\t nl\n cr\r ff\f bs\b nul\u0000 us\u001f",
        "unicode": "caf\u00e9 \u20ac \U0001F600 \u2028 \u2029 \u007f \ufeff \u00a0",
        "nested": {"z": 1, "a": {"\ufb33": "dalet", "\U0001F600": "grin", "\u20ac": "euro",
                                 "\r": "cr", "1": "one", "\u0080": "ctl", "\u00f6": "o"},
                   "m": [{"b": 2, "a": 1}, [], {}, [None, True, False]]},
        "": "empty key",
        "10": "ten", "9": "nine",
    }
    tricky = make_step(0, "tricky.values", params=tricky_params,
                       cost_cents=0.1 + 0.2, duration_ms=1e21,
                       outcome_data={"ratio": 1e-7, "neg": -0.0, "list": [1.0, 2.5, -3e-9],
                                     "msg": "\u00e9\u00e8 \"ok\""},
                       idempotency_key="k\u00e9y/\U0001F600")
    tricky2 = make_step(1, "tricky.values", params={"deep": [[[[{"x": [1e-6, 1e-7]}]]]],
                                                    "max": 1.7976931348623157e308,
                                                    "min_normal": 2.2250738585072014e-308},
                        duration_ms=0.000001, cost_cents=-0.0)
    traces.append(("tricky-values", make_header("run-0003-\u00e9\u20ac",
                                                plan={"b": [1e21, -0.0], "a": "\u2028"}),
                   [tricky, tricky2]))

    null_header = make_header("run-0004", agent=None, plan=None)
    null_header["plan"] = None
    null_steps = []
    for i in range(2):
        null_steps.append(make_step(
            i, "null.fields", status="ok", params={},
            idempotency_key=None, input_hash=None, level=None, outcome_code=None,
            outcome_data=None, output_hash=None, replay_behavior=None, rng_state_before=None,
            skill_id=None, source=None))
    traces.append(("nulls", null_header, null_steps))

    legacy_header = make_header("run-legacy-0005", trace_id="run-legacy-0005")
    legacy_steps = [make_step(i, ["plan", "act", "check"][i], status=["ok", "ok", "error"][i],
                              skill_id=None, source=None, level=None) for i in range(3)]
    traces.append(("legacy-sqlite-store", legacy_header, legacy_steps))

    many = [make_step(i, "step.%02d" % i, status="ok" if i % 5 else "retry",
                      params={"i": i, "half": i / 2}, retry_count=i % 3,
                      rng_state_before="rng-%d" % i if i % 2 else None)
            for i in range(17)]
    traces.append(("seventeen-steps", make_header("run-0006"), many))
    return traces


def chain_vectors():
    out = []
    for name, header, steps in chain_traces():
        chain = rv.compute_chain(header, steps)
        entry = {"name": name, "header": header, "steps": steps}
        entry.update(chain)
        out.append(entry)
    return {"traces": out}


# ---------------------------------------------------------------------------------------
# Seals
# ---------------------------------------------------------------------------------------

def seal_vectors(test_key, test_id, other_key):
    cases = []
    lengths = {"seventeen-steps": [1, 2, 3, 8, 16, 17]}
    for name, header, steps in chain_traces():
        chain = rv.compute_chain(header, steps)
        for length in lengths.get(name, [len(steps)]):
            seal = rv.make_seal(header, chain, length, "2026-01-01T00:00:00.000000Z", test_id)
            cases.append({"name": "%s-at-%d" % (name, length), "seal": seal,
                          "canonical": rv.jcs(seal).decode("utf-8"),
                          "signature": rv.sign_seal(seal, test_key), "valid": True})
    base = cases[0]

    def variant(name, seal, signature):
        cases.append({"name": name, "seal": seal, "canonical": rv.jcs(seal).decode("utf-8"),
                      "signature": signature, "valid": False})

    modified = dict(base["seal"], head=rv.H(b"not the head").hex())
    variant("modified-head-keeps-old-signature", modified, base["signature"])
    variant("modified-sealed-at-keeps-old-signature",
            dict(base["seal"], sealed_at="2026-01-01T00:00:00.000001Z"), base["signature"])
    variant("modified-chain-length-keeps-old-signature",
            dict(base["seal"], chain_length=base["seal"]["chain_length"] + 1), base["signature"])
    variant("signed-by-other-key", base["seal"], rv.sign_seal(base["seal"], other_key))
    variant("truncated-signature", base["seal"], base["signature"][:-4])
    variant("signature-one-byte-short", base["seal"],
            base64.b64encode(base64.b64decode(base["signature"])[:63]).decode())
    variant("non-base64-signature", base["seal"], "not base64 at all!!" + "A" * 69)
    variant("empty-signature", base["seal"], "")
    raw = bytearray(base64.b64decode(base["signature"]))
    raw[0] ^= 0x01
    variant("signature-bit-flipped", base["seal"], base64.b64encode(bytes(raw)).decode())
    noncanonical = json.dumps(base["seal"], indent=1).encode("utf-8")
    variant("signature-over-non-canonical-json", base["seal"],
            base64.b64encode(test_key.sign(noncanonical)).decode())
    from cryptography.hazmat.primitives import serialization
    test_raw = test_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw)
    for case in cases:
        ok = rv.verify_seal_signature(case["seal"], case["signature"], test_raw)
        assert ok == case["valid"], case["name"]
    return {"key_id": test_id, "seals": cases}


def legacy_vectors():
    cases = [
        {"name": "three-steps", "run_id": "run-legacy-1",
         "steps": [{"step_index": 0, "skill_name": "plan", "status": "ok"},
                   {"step_index": 1, "skill_name": "act", "status": "ok"},
                   {"step_index": 2, "skill_name": "check", "status": "error"}]},
        {"name": "no-steps", "run_id": "run-legacy-2", "steps": []},
        {"name": "unicode", "run_id": "run-\u00e9t\u00e9",
         "steps": [{"step_index": 0, "skill_name": "r\u00e9sum\u00e9", "status": "\u2713"}]},
        # The ambiguity the spec warns about: these two differ but hash the same.
        {"name": "ambiguous-two-steps", "run_id": "r",
         "steps": [{"step_index": 0, "skill_name": "a", "status": "ok"},
                   {"step_index": 1, "skill_name": "b", "status": "ok"}]},
        {"name": "ambiguous-one-step", "run_id": "r",
         "steps": [{"step_index": 0, "skill_name": "a", "status": "ok1:b:ok"}]},
    ]
    for case in cases:
        case["legacy_root_hash"] = rv.legacy_root_hash(
            case["run_id"], ((s["step_index"], s["skill_name"], s["status"]) for s in case["steps"]))
    assert cases[3]["legacy_root_hash"] == cases[4]["legacy_root_hash"]
    return {"cases": cases}


# ---------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------

SKILLS = ["http.fetch", "html.parse", "llm.summarize", "http.post", "db.write", "notify",
          "cleanup", "report"]


def export_base():
    header = make_header("run-export-0001", trace_id="0b9e3c1e-7f1a-4c2d-9a55-1d2e3f4a5b6c",
                         plan={"goal": "export demo", "steps": SKILLS[:6]})
    steps = [make_step(i, SKILLS[i], params={"n": i, "name": SKILLS[i], "w": i * 0.1})
             for i in range(8)]
    return header, steps


def line(obj):
    return rv.jcs(obj) + b"\n"


def seal_lines(header, steps, lengths, key, key_id_hex, signed=True):
    chain = rv.compute_chain(header, steps)
    out = []
    for length in lengths:
        seal = rv.make_seal(header, chain, length, ts(length * 10, day=2), key_id_hex if signed else None)
        record = {"seal": seal}
        if signed:
            record["signature"] = rv.sign_seal(seal, key)
        out.append(record)
    return out


# failure_kind (docs/chain-v1.md 6.3) of every FAILED case of exports.json.
EXPORT_FAILURE_KINDS = {
    "changed-step-3": "mismatch", "changed-step-0": "mismatch", "removed-step-3": "index gap",
    "truncated": "truncated", "truncated-to-three": "truncated",
    "duplicate-index-2": "duplicate index", "swapped-lines-1-2": "reordered",
    "swapped-content-4-5": "mismatch", "invalid-json-4": "not canonical",
    "duplicate-key-1": "not canonical", "nan-step-2": "not canonical",
    "lone-surrogate-step-5": "not canonical", "missing-key-step-3": "not canonical",
    "wrong-key": "signature", "bad-signature": "signature", "seal-from-another-run": "seal",
    "unsigned-require-signature": "signature", "redacted-wrong-leaf-3": "mismatch",
    "header-changed": "seal", "negative-index-0": "index gap",
}
# Export files whose latest seal is unsigned or that have no seal: authenticity "unsigned" (6.5).
UNSIGNED_EXPORTS = {"unsigned", "never-sealed", "header-only", "empty-file"}


def export_vectors(out_dir, test_key, test_id, other_key, other_id):
    header, steps8 = export_base()
    steps = steps8[:6]
    seals = seal_lines(header, steps, [2, 4, 6], test_key, test_id)
    unsigned = seal_lines(header, steps, [2, 4, 6], None, None, signed=False)
    full_chain = rv.compute_chain(header, steps)
    tail_chain = rv.compute_chain(header, steps8)

    def body(step_list, seal_list, hdr=None):
        return line(hdr or header) + b"".join(
            s if isinstance(s, bytes) else line(s) for s in step_list) + b"".join(
            line(s) for s in seal_list)

    files = {}
    cases = []

    def case(name, data, verdict, failing, chain_length, description, pubkey="test-key.pub.pem",
             require=False, reason=None, unsealed=None, head=None, root=None, file_name=None):
        file_name = file_name or name
        if file_name in files:
            assert files[file_name] == data, file_name
        files[file_name] = data
        cases.append({
            "name": name, "description": description, "file": "exports/%s.ndjson" % file_name,
            "pubkey": pubkey, "require_signature": require, "verdict": verdict,
            "failing_step_index": failing,
            # How far a verifier reads past the first failure is its own choice: not asserted.
            "chain_length": None if verdict == "FAILED" else chain_length,
            "unsealed_steps": unsealed, "head": head, "merkle_root": root,
            "reason_contains": reason,
            "failure_kind": EXPORT_FAILURE_KINDS.get(name), "closed": False,
            "authenticity": "unsigned" if file_name in UNSIGNED_EXPORTS else (
                "unchecked" if pubkey is None else "pubkey"),
        })
        assert (verdict == "FAILED") == (name in EXPORT_FAILURE_KINDS), name

    valid = body(steps, seals)
    fh, fr = full_chain["head"], full_chain["merkle_root"]
    case("valid", valid, "HASH_CHAIN", None, 6,
         "6 steps sealed incrementally at chain_length 2, 4, 6, signed by the test key",
         unsealed=0, head=fh, root=fr)
    case("valid-no-pubkey", valid, "HASH_CHAIN", None, 6,
         "same file without a public key: heads checked, signature not checked",
         pubkey=None, unsealed=0, head=fh, root=fr, file_name="valid")
    case("valid-require-signature", valid, "HASH_CHAIN", None, 6,
         "same file, signature required and valid", require=True, unsealed=0, head=fh, root=fr,
         file_name="valid")
    case("unsealed-tail", body(steps8, seals), "HASH_CHAIN", None, 8,
         "8 steps, sealed only up to 6: the 2 unsealed steps do not fail the sealed prefix",
         unsealed=2, head=tail_chain["head"], root=tail_chain["merkle_root"])

    changed3 = list(steps)
    changed3[3] = dict(steps[3], status="error")
    case("changed-step-3", body(changed3, seals), "FAILED", 2, 6,
         "step 3 status changed: the seal at 2 matches, the seal at 4 does not, so the change is in [2,4)")
    changed0 = list(steps)
    changed0[0] = dict(steps[0], params={"n": 0, "name": SKILLS[0], "w": 0.0, "extra": True})
    case("changed-step-0", body(changed0, seals), "FAILED", 0, 6,
         "step 0 params changed: the first seal (at 2) already mismatches")
    case("removed-step-3", body(steps[:3] + steps[4:], seals), "FAILED", 3, 5,
         "step 3 removed without renumbering: index gap at 3")
    case("truncated", body(steps[:5], seals), "FAILED", 5, 5,
         "last step removed: 5 steps present but sealed to 6 (truncation), step 5 missing")
    case("truncated-to-three", body(steps[:3], seals), "FAILED", 3, 3,
         "steps 3..5 removed: the seal at 2 matches, the export stops below the sealed length")
    dup = steps[:3] + [dict(steps[2], params={"n": 2, "name": "inserted"})] + steps[3:]
    case("duplicate-index-2", body(dup, seals), "FAILED", 2, 7,
         "a second step with step_index 2 inserted after step 2")
    case("swapped-lines-1-2", body([steps[0], steps[2], steps[1]] + steps[3:], seals),
         "FAILED", 1, 6, "lines of steps 1 and 2 swapped: step_index 2 where 1 is expected")
    swapped = list(steps)
    swapped[4] = dict(steps[5], step_index=4)
    swapped[5] = dict(steps[4], step_index=5)
    case("swapped-content-4-5", body(swapped, seals), "FAILED", 4, 6,
         "contents of steps 4 and 5 swapped, step_index values kept: the seal at 6 mismatches")
    bad_json = list(steps)
    bad_json[4] = rv.jcs(steps[4])[:-1] + b"\n"  # closing brace removed
    case("invalid-json-4", body(bad_json, seals), "FAILED", 4, 6,
         "step 4 line is not valid JSON (its closing brace is missing)")
    dup_key = list(steps)
    text = rv.jcs(steps[1])
    assert text.startswith(b'{"cost_cents"')
    dup_key[1] = b'{"status":"ok",' + text[1:] + b"\n"
    case("duplicate-key-1", body(dup_key, seals), "FAILED", 1, 6,
         "step 1 line has the key \"status\" twice")
    nan_step = list(steps)
    text = rv.jcs(steps[2])
    assert b'"cost_cents":3,' in text
    nan_step[2] = text.replace(b'"cost_cents":3,', b'"cost_cents":NaN,') + b"\n"
    case("nan-step-2", body(nan_step, seals), "FAILED", 2, 6,
         "step 2 has cost_cents NaN: not canonicalizable")
    sur_step = list(steps)
    text = rv.jcs(steps[5])
    assert b'"status":"ok"' in text
    sur_step[5] = text.replace(b'"status":"ok"', b'"status":"\\ud800"') + b"\n"
    case("lone-surrogate-step-5", body(sur_step, seals), "FAILED", 5, 6,
         "step 5 has a lone surrogate escape in status: not canonicalizable")
    missing = list(steps)
    missing[3] = {k: v for k, v in steps[3].items() if k != "level"}
    case("missing-key-step-3", body(missing, seals), "FAILED", 3, 6,
         "step 3 lacks the key \"level\" (a step object has exactly 19 keys)")
    case("wrong-key", valid, "FAILED", None, 6,
         "valid file checked against other-key.pub.pem: key_id mismatch",
         pubkey="other-key.pub.pem", reason="key", file_name="valid")
    bad_sig = [dict(s) for s in seals]
    sig = bad_sig[2]["signature"]
    bad_sig[2]["signature"] = sig[:10] + ("B" if sig[10] != "B" else "C") + sig[11:]
    case("bad-signature", body(steps, bad_sig), "FAILED", None, 6,
         "one base64 character of the last seal's signature changed", reason="signature")
    other_header = make_header("run-export-0002", trace_id=header["trace_id"],
                               plan=header["plan"])
    foreign = seal_lines(other_header, steps, [6], test_key, test_id)
    case("seal-from-another-run", body(steps, seals[:2] + foreign), "FAILED", None, 6,
         "the last seal line is a valid signed seal of run-export-0002")
    unsigned_file = body(steps, unsigned)
    case("unsigned-require-signature", unsigned_file, "FAILED", None, 6,
         "unsigned seals (key_id null, no signature) while a signature is required",
         require=True, reason="sign", file_name="unsigned")
    case("unsigned-no-pubkey", unsigned_file, "HASH_CHAIN", None, 6,
         "unsigned seals, no public key, no signature required",
         pubkey=None, unsealed=0, head=fh, root=fr, file_name="unsigned")
    case("unsigned-with-pubkey", unsigned_file, "HASH_CHAIN", None, 6,
         "unsigned seals with a public key but no signature required: reported as unsigned",
         unsealed=0, head=fh, root=fr, file_name="unsigned")
    case("never-sealed", body(steps, []), "UNSUPPORTED", None, 6,
         "6 steps and no seal line", reason="never sealed", head=fh, root=fr)
    case("header-only", body([], []), "UNSUPPORTED", None, 0,
         "only the header line: a trace with no steps", head=None, root=None)
    case("empty-file", b"", "UNSUPPORTED", None, 0, "an empty file: no trace at all",
         pubkey=None)
    redacted = list(steps)
    redacted[2] = {"leaf": full_chain["leaves"][2], "step_index": 2}
    case("redacted-step-2", body(redacted, seals), "HASH_CHAIN", None, 6,
         "step 2 replaced by its leaf hash: the chain still verifies",
         unsealed=0, head=fh, root=fr)
    wrong_leaf = list(steps)
    wrong_leaf[3] = {"leaf": full_chain["leaves"][2], "step_index": 3}
    case("redacted-wrong-leaf-3", body(wrong_leaf, seals), "FAILED", 2, 6,
         "step 3 replaced by the leaf of step 2: the seal at 4 mismatches")
    changed_header = dict(header, tenant_id="tenant-other")
    case("header-changed", body(steps, seals, hdr=changed_header), "FAILED", None, 6,
         "header tenant_id changed: the seals belong to another tenant")
    negative = list(steps)
    negative[0] = dict(steps[0], step_index=-1)
    case("negative-index-0", body(negative, seals), "FAILED", 0, 6,
         "the first step has step_index -1")

    export_dir = os.path.join(out_dir, "exports")
    os.makedirs(export_dir, exist_ok=True)
    for name, data in sorted(files.items()):
        write_bytes(os.path.join(export_dir, name + ".ndjson"), data)
    # The generator and the verifier must agree on every case.
    for c in cases:
        pub = None
        if c["pubkey"]:
            with open(os.path.join(out_dir, c["pubkey"]), "r", encoding="ascii") as f:
                pub = f.read()
        got = rv.verify_export(os.path.join(out_dir, c["file"]), pub, c["require_signature"])
        for field in ("verdict", "failing_step_index", "failure_kind", "closed", "authenticity"):
            assert got[field] == c[field], (c["name"], field, got, c)
        for field in ("chain_length", "unsealed_steps", "head", "merkle_root"):
            assert c[field] is None or got[field] == c[field], (c["name"], field, got, c)
        if c["reason_contains"]:
            assert c["reason_contains"] in got["reason"].lower(), (c["name"], got["reason"])
    return {"cases": cases}


# ---------------------------------------------------------------------------------------
# Merkle proofs, proof files and audit bundles
# ---------------------------------------------------------------------------------------

def merkle_proof_vectors():
    leaves = [rv.H(b"\x00" + ("leaf-%d" % i).encode()) for i in range(18)]
    inclusion, consistency = [], []
    for n in range(1, 18):
        root = rv.merkle_root(leaves[:n])
        for i in range(n):
            path = rv.inclusion_path(leaves[:n], i)
            assert rv.verify_inclusion(leaves[i], i, n, path, root)
            inclusion.append({"size": n, "index": i, "path": [h.hex() for h in path]})
        for m in range(1, n + 1):
            path = rv.consistency_path(leaves[:n], m)
            assert rv.verify_consistency(m, n, rv.merkle_root(leaves[:m]), root, path)
            consistency.append({"first": m, "second": n, "path": [h.hex() for h in path]})
    return {"inclusion": inclusion, "consistency": consistency}


def write_case_files(directory, suffix, files):
    """Writes NAME+suffix for every file and removes stale ones of that suffix."""
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(suffix) and name[:-len(suffix)] not in files:
            os.remove(os.path.join(directory, name))
    for name, data in sorted(files.items()):
        write_bytes(os.path.join(directory, name + suffix), data)


def flip_hex(h):
    """The same hex digest with its first character changed."""
    return ("0" if h[0] != "0" else "1") + h[1:]


def flip_signature(sig):
    return sig[:10] + ("B" if sig[10] != "B" else "C") + sig[11:]


# failure_kind of every FAILED case of proofs.json (section 8 has no table: the 6.3 kinds as
# they fit: malformed -> not canonical, binding -> seal, trust -> signature, a step object
# that does not match its entry -> changed, a path that does not verify -> mismatch).
PROOF_FAILURE_KINDS = {
    "inclusion-1-require-signature-no-pubkey": "signature", "inclusion-changed-step": "changed",
    "inclusion-changed-step-and-leaf": "mismatch", "inclusion-wrong-leaf": "mismatch",
    "inclusion-path-changed": "mismatch", "inclusion-wrong-index": "changed",
    "inclusion-wrong-index-no-step": "mismatch", "inclusion-index-out-of-range": "mismatch",
    "inclusion-step-missing-key": "not canonical", "inclusion-no-entries": "not canonical",
    "inclusion-bad-signature": "signature", "inclusion-wrong-key": "signature",
    "inclusion-header-other-run": "seal", "consistency-path-changed": "mismatch",
    "consistency-swapped-seals": "seal", "consistency-swapped-roots": "mismatch",
    "consistency-swapped-roots-with-key": "signature", "consistency-6-6-different-heads": "seal",
    "consistency-header-other-tenant": "seal", "consistency-second-signed-by-other-key": "signature",
}


def proof_vectors(out_dir, test_key, test_id, other_key, other_id):
    header, steps8 = export_base()
    steps = steps8[:6]
    chain = rv.compute_chain(header, steps)
    leaves = [bytes.fromhex(x) for x in chain["leaves"]]
    s2, s4, s6 = seal_lines(header, steps, [2, 4, 6], test_key, test_id)
    s3 = seal_lines(header, steps, [3], test_key, test_id)[0]  # not in the export: a seal at an odd length
    u2 = seal_lines(header, steps, [2], None, None, signed=False)[0]
    by_index = {i: s for i, s in enumerate(steps)}

    files, cases = {}, []

    def case(name, proof, verdict, failing, description, pubkey="test-key.pub.pem", require=False,
             reason=None, file_name=None):
        file_name = file_name or name
        data = rv.jcs(proof) + b"\n"
        if file_name in files:
            assert files[file_name] == data, file_name
        files[file_name] = data
        ok = verdict == "HASH_CHAIN"
        sealed = proof["seal"] if "seal" in proof else proof["second"]
        cases.append({
            "name": name, "description": description, "file": "proofs/%s.json" % file_name,
            "pubkey": pubkey, "require_signature": require, "verdict": verdict,
            "failing_step_index": failing,
            "chain_length": sealed["seal"]["chain_length"] if ok else None,
            "head": sealed["seal"]["head"] if ok else None,
            "merkle_root": sealed["seal"]["merkle_root"] if ok else None,
            "reason_contains": reason,
            "failure_kind": PROOF_FAILURE_KINDS.get(name), "closed": False,
            "authenticity": "unchecked" if pubkey is None else "pubkey",
        })
        assert (verdict == "FAILED") == (name in PROOF_FAILURE_KINDS), name

    def copy(obj):
        return json.loads(json.dumps(obj))

    one = rv.build_inclusion_proof(header, s6, leaves, [3], {3: steps[3]})
    case("inclusion-1", one, "HASH_CHAIN", None,
         "step 3 with its step object, against the seal at 6 (test key)")
    case("inclusion-1-no-pubkey", one, "HASH_CHAIN", None,
         "same proof without a public key: signature not checked", pubkey=None, file_name="inclusion-1")
    case("inclusion-1-require-signature", one, "HASH_CHAIN", None,
         "same proof, signature required and valid", require=True, file_name="inclusion-1")
    case("inclusion-1-require-signature-no-pubkey", one, "FAILED", None,
         "same proof, signature required but no public key given", pubkey=None, require=True,
         file_name="inclusion-1")
    three = rv.build_inclusion_proof(header, s6, leaves, [0, 2, 5], {0: steps[0], 5: steps[5]})
    case("inclusion-3", three, "HASH_CHAIN", None,
         "steps 0, 2 and 5 against the seal at 6; step 2 without its step object (leaf only)")
    case("inclusion-at-seal-4", rv.build_inclusion_proof(header, s4, leaves, [1], by_index),
         "HASH_CHAIN", None, "step 1 against the earlier seal at 4 (tree of 4 leaves)")
    case("inclusion-all-6", rv.build_inclusion_proof(header, s6, leaves, range(6)), "HASH_CHAIN",
         None, "all 6 steps, leaves only")

    bad = copy(one)
    bad["entries"][0]["step"]["status"] = "error"
    case("inclusion-changed-step", bad, "FAILED", 3,
         "step object of step 3 changed (status), leaf kept: the step does not hash to the leaf")
    bad = copy(one)
    bad["entries"][0]["step"]["status"] = "error"
    bad["entries"][0]["leaf"] = rv.step_leaf(bad["entries"][0]["step"]).hex()
    case("inclusion-changed-step-and-leaf", bad, "FAILED", 3,
         "step 3 changed and its leaf recomputed: the leaf is not in the seal's Merkle root")
    bad = copy(three)
    bad["entries"][1]["leaf"] = chain["leaves"][3]
    case("inclusion-wrong-leaf", bad, "FAILED", 2,
         "entry of step 2 (no step object) carries the leaf of step 3")
    bad = copy(three)
    bad["entries"][2]["path"][0] = flip_hex(bad["entries"][2]["path"][0])
    case("inclusion-path-changed", bad, "FAILED", 5,
         "first hash of the audit path of step 5 changed")
    bad = copy(one)
    bad["entries"][0]["step_index"] = 4
    case("inclusion-wrong-index", bad, "FAILED", 4,
         "entry says step_index 4, its step object says 3")
    bad = copy(three)
    bad["entries"][1]["step_index"] = 3
    case("inclusion-wrong-index-no-step", bad, "FAILED", 3,
         "entry of step 2 (no step object) relabelled step 3: the audit path does not verify")
    bad = copy(three)
    bad["entries"][1]["step_index"] = 6
    case("inclusion-index-out-of-range", bad, "FAILED", 6,
         "entry of step 2 (no step object) relabelled step 6, beyond the seal's chain_length 6")
    bad = copy(one)
    del bad["entries"][0]["step"]["level"]
    bad["entries"][0]["leaf"] = rv.step_leaf(bad["entries"][0]["step"]).hex()
    case("inclusion-step-missing-key", bad, "FAILED", 3,
         "step object of step 3 lacks the key \"level\" (a step object has exactly 19 keys)")
    bad = copy(one)
    bad["entries"] = []
    case("inclusion-no-entries", bad, "FAILED", None, "entries is empty: malformed proof",
         reason="malformed")
    bad = copy(one)
    bad["seal"]["signature"] = flip_signature(bad["seal"]["signature"])
    case("inclusion-bad-signature", bad, "FAILED", None,
         "one base64 character of the seal's signature changed", reason="signature")
    case("inclusion-wrong-key", one, "FAILED", None,
         "valid proof checked against other-key.pub.pem", pubkey="other-key.pub.pem", reason="key",
         file_name="inclusion-1")
    bad = copy(one)
    bad["header"]["run_id"] = "run-export-0002"
    case("inclusion-header-other-run", bad, "FAILED", None,
         "header run_id changed to run-export-0002: the seal is of another run")

    c26 = rv.build_consistency_proof(header, s2, s6, leaves)
    case("consistency-2-6", c26, "HASH_CHAIN", None, "the seal at 6 extends the seal at 2")
    case("consistency-2-6-require-signature", c26, "HASH_CHAIN", None,
         "same proof, signature of the second seal required", require=True, file_name="consistency-2-6")
    case("consistency-4-6", rv.build_consistency_proof(header, s4, s6, leaves), "HASH_CHAIN", None,
         "the seal at 6 extends the seal at 4")
    case("consistency-3-6", rv.build_consistency_proof(header, s3, s6, leaves), "HASH_CHAIN", None,
         "the seal at 6 extends a seal at 3 (first size not a power of two; that seal is not in the export)")
    c66 = rv.build_consistency_proof(header, s6, s6, leaves)
    assert c66["path"] == []
    case("consistency-6-6", c66, "HASH_CHAIN", None, "both seals at 6: empty path, equal roots")
    case("consistency-unsigned-first", rv.build_consistency_proof(header, u2, s6, leaves),
         "HASH_CHAIN", None,
         "first seal unsigned (a checkpoint), second signed; signature required", require=True)
    bad = copy(c26)
    bad["path"][0] = flip_hex(bad["path"][0])
    case("consistency-path-changed", bad, "FAILED", None, "first hash of the 2->6 path changed")
    bad = copy(c26)
    bad["first"], bad["second"] = bad["second"], bad["first"]
    case("consistency-swapped-seals", bad, "FAILED", None,
         "first and second seals swapped: first (6) longer than second (2)")
    bad = copy(c26)
    bad["first"]["seal"]["merkle_root"], bad["second"]["seal"]["merkle_root"] = (
        c26["second"]["seal"]["merkle_root"], c26["first"]["seal"]["merkle_root"])
    case("consistency-swapped-roots", bad, "FAILED", None,
         "merkle_root values of the two seals exchanged; no public key, so the Merkle check is what fails",
         pubkey=None)
    case("consistency-swapped-roots-with-key", bad, "FAILED", None,
         "same file with the test key: the second seal's signature no longer verifies",
         reason="signature", file_name="consistency-swapped-roots")
    changed = list(steps)
    changed[3] = dict(steps[3], status="error")
    other6 = seal_lines(header, changed, [6], test_key, test_id)[0]
    bad = {"first": s6, "format": rv.CONSISTENCY_FORMAT, "header": header, "path": [], "second": other6}
    case("consistency-6-6-different-heads", bad, "FAILED", None,
         "two signed seals at 6 of the same header with different heads (step 3 differs)")
    bad = copy(c26)
    bad["header"]["tenant_id"] = "tenant-other"
    case("consistency-header-other-tenant", bad, "FAILED", None,
         "header tenant_id changed: both seals are of another tenant")
    bad = copy(c26)
    bad["second"]["signature"] = rv.sign_seal(bad["second"]["seal"], other_key)
    case("consistency-second-signed-by-other-key", bad, "FAILED", None,
         "the second seal's signature made with other-key (key_id still the test key's)",
         reason="signature")

    write_case_files(os.path.join(out_dir, "proofs"), ".json", files)
    for c in cases:
        pub = None
        if c["pubkey"]:
            with open(os.path.join(out_dir, c["pubkey"]), "r", encoding="ascii") as f:
                pub = f.read()
        got = rv.verify_proof(os.path.join(out_dir, c["file"]), pub, c["require_signature"])
        for field in ("verdict", "failing_step_index", "failure_kind", "closed", "authenticity"):
            assert got[field] == c[field], (c["name"], field, got, c)
        for field in ("chain_length", "head", "merkle_root"):
            assert c[field] is None or got[field] == c[field], (c["name"], field, got, c)
        if c["reason_contains"]:
            assert c["reason_contains"] in got["reason"].lower(), (c["name"], got["reason"])
    return {"cases": cases}


def bundle_evidence(run_id):
    """A RunEvidenceResult: 1 incident, 1 policy, 1 limit, 1 decision."""
    return {
        "computed_at": ts(300, day=3),
        "decisions_made": [{"decided_at": ts(4, 500000, day=1), "decision_id": "dec-0001",
                            "decision_type": "escalation", "outcome": "APPROVED"}],
        "incidents_caused": [{"created_at": ts(5, day=1), "incident_id": "inc-0001",
                              "severity": "HIGH", "title": "Notification sent to the wrong channel"}],
        "limits_hit": [{"breached_at": ts(3, 250000, day=1), "breached_value": 120.0,
                        "limit_id": "lim-0001", "limit_name": "cost_cents per run",
                        "threshold_value": 100.0}],
        "policies_evaluated": [{"evaluated_at": ts(1, day=1), "outcome": "ALLOWED",
                                "policy_id": "pol-0001", "policy_name": "no external posts"}],
        "run_id": run_id,
    }


def bundle_governance(tenant, run_id):
    """A governance page: 2 audit-ledger events of the run, for one tenant."""
    return {
        "events": [
            {"actor": "system", "after_state": {"run_id": run_id, "severity": "HIGH",
                                                "status": "open"},
             "before_state": None, "created_at": ts(6, day=1), "entity_id": "inc-0001",
             "entity_type": "incident", "event_id": "evt-0001", "event_type": "incident_created"},
            {"actor": "alice@example.com", "after_state": {"run_id": run_id, "status": "acknowledged"},
             "before_state": {"run_id": run_id, "status": "open"}, "created_at": ts(600, day=1),
             "entity_id": "inc-0001", "entity_type": "incident", "event_id": "evt-0002",
             "event_type": "incident_acknowledged"},
        ],
        "metadata": {"immutable": True, "run_id": run_id, "source_component": "AuditLedger",
                     "source_domain": "LOGS", "tenant_id": tenant},
        "next_offset": None,
        "run_id": run_id,
    }


# failure_kind of every FAILED case of bundles.json: the chain's kind when the export check
# fails, "signature" for the bundle signature and its key, "bundle" for the bundle's own lines
# (content digest, evidence, governance, their count) - a kind the 6.3 table does not list.
BUNDLE_FAILURE_KINDS = {
    "valid-no-pubkey": "signature", "valid-wrong-key": "signature", "changed-step-3": "mismatch",
    "redacted-leaf-changed": "mismatch", "evidence-changed": "bundle",
    "governance-event-removed": "bundle", "seal-line-changed": "signature",
    "bundle-signature-changed": "signature", "signed-by-other-key": "signature",
    "evidence-of-another-run": "bundle", "governance-of-another-tenant": "bundle",
    "governance-of-another-run": "bundle", "bundle-signature-missing": "bundle",
    "evidence-governance-swapped": "not canonical", "duplicate-evidence": "bundle",
}


def bundle_vectors(out_dir, test_key, test_id, other_key, other_id):
    header, steps8 = export_base()
    steps = steps8[:6]
    chain = rv.compute_chain(header, steps)
    seals = seal_lines(header, steps, [2, 4, 6], test_key, test_id)
    evidence = bundle_evidence(header["run_id"])
    governance = bundle_governance(header["tenant_id"], header["run_id"])
    signed_at = ts(400, day=3)

    def bundle(step_list=steps, seal_list=seals, ev=evidence, gov=governance, key=test_key):
        return rv.build_bundle(header, step_list, seal_list, ev, gov, key, signed_at)

    def lines_of(data):
        return data.split(b"\n")[:-1]

    def join(lines):
        return b"".join(x + b"\n" for x in lines)

    def resign(lines, key=test_key):
        """Replaces the last line by a fresh bundle signature over the other lines."""
        body = lines[:-1]
        return join(body + [rv.jcs(rv.sign_bundle(rv.bundle_content_digest(body), key, signed_at))])

    files, cases = {}, []

    def case(name, data, verdict, failing, description, pubkey="test-key.pub.pem", reason=None,
             file_name=None):
        file_name = file_name or name
        if file_name in files:
            assert files[file_name] == data, file_name
        files[file_name] = data
        ok = verdict == "HASH_CHAIN"
        cases.append({
            "name": name, "description": description, "file": "bundles/%s.ndjson" % file_name,
            "pubkey": pubkey, "verdict": verdict, "failing_step_index": failing,
            "chain_length": 6 if ok else None,
            "head": chain["head"] if ok else None,
            "merkle_root": chain["merkle_root"] if ok else None,
            "reason_contains": reason,
            "failure_kind": BUNDLE_FAILURE_KINDS.get(name), "closed": False,
            "authenticity": "unchecked" if pubkey is None else "pubkey",
        })
        assert (verdict == "FAILED") == (name in BUNDLE_FAILURE_KINDS), name

    valid = bundle()
    export_valid = open(os.path.join(out_dir, "exports", "valid.ndjson"), "rb").read()
    assert valid.startswith(export_valid)  # the bundle is the export plus three lines
    n = len(lines_of(valid))  # header + 6 steps + 3 seals + evidence + governance + signature = 13
    assert n == 13
    EV, GOV, SIG = n - 3, n - 2, n - 1  # line positions (0-based)

    case("valid", valid, "HASH_CHAIN", None,
         "6 steps, seals at 2, 4, 6, evidence (1 incident, policy, limit, decision), "
         "governance (2 events), signed by the test key")
    case("valid-no-pubkey", valid, "FAILED", None, "a bundle cannot be verified without a public key",
         pubkey=None, reason="public key", file_name="valid")
    case("valid-wrong-key", valid, "FAILED", None,
         "valid bundle checked against other-key.pub.pem: the latest seal's key_id does not match",
         pubkey="other-key.pub.pem", reason="key", file_name="valid")
    redacted = list(steps)
    redacted[2] = {"leaf": chain["leaves"][2], "step_index": 2}
    redacted_bundle = bundle(step_list=redacted)
    case("redacted-step-2", redacted_bundle, "HASH_CHAIN", None,
         "step 2 redacted to its leaf before the bundle was signed")

    changed = list(steps)
    changed[3] = dict(steps[3], status="error")
    lines = lines_of(valid)
    lines[1 + 3] = rv.jcs(changed[3])
    case("changed-step-3", join(lines), "FAILED", 2,
         "step 3 status changed after signing: the chain fails first (seal at 2 matches, at 4 not)")
    lines = lines_of(redacted_bundle)
    lines[1 + 2] = rv.jcs({"leaf": chain["leaves"][3], "step_index": 2})
    case("redacted-leaf-changed", join(lines), "FAILED", 2,
         "the redacted step 2 carries the leaf of step 3: the seal at 4 mismatches")
    lines = lines_of(valid)
    assert b'"severity":"HIGH"' in lines[EV]
    lines[EV] = lines[EV].replace(b'"severity":"HIGH"', b'"severity":"LOW"')
    case("evidence-changed", join(lines), "FAILED", None,
         "incident severity HIGH -> LOW in the evidence line: content_sha256 mismatch", reason="bundle")
    lines = lines_of(valid)
    gov = json.loads(json.dumps(governance))
    del gov["events"][1]
    lines[GOV] = rv.jcs({"governance": gov})
    case("governance-event-removed", join(lines), "FAILED", None,
         "second governance event removed: content_sha256 mismatch", reason="bundle")
    lines = lines_of(valid)
    seal2 = json.loads(lines[1 + 6])
    assert seal2["seal"]["chain_length"] == 2
    seal2["seal"]["sealed_at"] = ts(21, day=2)
    lines[1 + 6] = rv.jcs(seal2)
    case("seal-line-changed", join(lines), "FAILED", None,
         "sealed_at of the (checkpoint) seal at 2 changed: that seal is signed by the given key, "
         "so its signature must verify too (6.2, revised) and does not; a checkpoint signed by "
         "another key changed the same way fails on content_sha256 instead "
         "(keyring.json bundle-rotated-checkpoint-changed)", reason="signature")
    lines = lines_of(valid)
    sig = json.loads(lines[SIG])
    sig["signature"] = flip_signature(sig["signature"])
    lines[SIG] = rv.jcs(sig)
    case("bundle-signature-changed", join(lines), "FAILED", None,
         "one base64 character of the bundle signature changed", reason="bundle")
    case("signed-by-other-key", bundle(key=other_key), "FAILED", None,
         "seals signed by the test key, bundle signature by other-key; checked with the test key",
         reason="bundle")
    case("evidence-of-another-run", bundle(ev=bundle_evidence("run-export-0002")), "FAILED", None,
         "evidence run_id run-export-0002 (bundle re-signed, so only the binding fails)")
    case("governance-of-another-tenant",
         bundle(gov=bundle_governance("tenant-other", header["run_id"])), "FAILED", None,
         "governance metadata.tenant_id tenant-other (bundle re-signed)")
    case("governance-of-another-run",
         bundle(gov=bundle_governance(header["tenant_id"], "run-export-0002")), "FAILED", None,
         "governance run_id run-export-0002 (bundle re-signed)")
    case("bundle-signature-missing", join(lines_of(valid)[:-1]), "FAILED", None,
         "the bundle_signature line removed", reason="bundle")
    lines = lines_of(valid)
    lines[EV], lines[GOV] = lines[GOV], lines[EV]
    case("evidence-governance-swapped", resign(lines), "FAILED", None,
         "governance line before the evidence line (re-signed): trailing lines out of order")
    lines = lines_of(valid)
    case("duplicate-evidence", resign(lines[:GOV] + [lines[EV]] + lines[GOV:]), "FAILED", None,
         "two evidence lines (re-signed): a bundle has exactly one")
    lines = lines_of(valid)
    step_text = lines[1 + 1]
    assert step_text.startswith(b'{"cost_cents":1.5,"duration_ms":117,')
    lines[1 + 1] = step_text.replace(b'{"cost_cents":1.5,"duration_ms":117,',
                                     b'{"cost_cents" : 1.5,\t"duration_ms":  117 ,', 1)
    assert lines[EV].startswith(b'{"evidence":{"computed_at":')
    lines[EV] = lines[EV].replace(b'{"evidence":{"computed_at":', b'{"evidence": { "computed_at" :  ', 1)
    case("whitespace-changed", join(lines), "HASH_CHAIN", None,
         "spaces and a tab added inside the step 1 line and the evidence line (after its leading "
         "{\"evidence\"): lines are canonicalized before hashing, so the bundle still verifies")

    write_case_files(os.path.join(out_dir, "bundles"), ".ndjson", files)
    for c in cases:
        pub = None
        if c["pubkey"]:
            with open(os.path.join(out_dir, c["pubkey"]), "r", encoding="ascii") as f:
                pub = f.read()
        got = rv.verify_bundle(os.path.join(out_dir, c["file"]), pub)
        for field in ("verdict", "failing_step_index", "failure_kind", "closed", "authenticity"):
            assert got[field] == c[field], (c["name"], field, got, c)
        for field in ("chain_length", "head", "merkle_root"):
            assert c[field] is None or got[field] == c[field], (c["name"], field, got, c)
        if c["reason_contains"]:
            assert c["reason_contains"] in got["reason"].lower(), (c["name"], got["reason"])
    return {"cases": cases}


# ---------------------------------------------------------------------------------------
# Locating changes (6.3), closing seals (5.1), keyrings (6.4) and authenticity (6.5)
# ---------------------------------------------------------------------------------------

EXIT_CODES = {"HASH_CHAIN": 0, "FAILED": 1, "UNSUPPORTED": 2, None: 64}


class CaseSet:
    """Case files under Vectors/<directory>/ and their cases (the locate/closed/keyring schema)."""

    def __init__(self, out_dir, directory):
        self.out_dir, self.directory = out_dir, directory
        self.files, self.cases = {}, []

    def add_file(self, name, data):
        """Registers directory/name with these bytes (the same name must keep the same bytes)."""
        if name in self.files:
            assert self.files[name] == data, name
        self.files[name] = data
        return "%s/%s" % (self.directory, name)

    def case(self, name, file_name, data, verdict, failing, kind, description, type="export",
             pubkey="test-key.pub.pem", keyring=None, require_signature=False,
             require_closed=False, closed=False, authenticity="pubkey", reason=None,
             chain_length=None, unsealed=None, head=None, root=None):
        assert (verdict == "FAILED") == (kind is not None), name
        if verdict is None:  # the keyring is refused: nothing else is reported
            closed = authenticity = None
        self.cases.append({
            "name": name, "description": description, "type": type,
            "file": self.add_file(file_name, data), "pubkey": pubkey, "keyring": keyring,
            "require_signature": require_signature, "require_closed": require_closed,
            "verdict": verdict, "exit_code": EXIT_CODES[verdict], "failing_step_index": failing,
            "failure_kind": kind, "closed": closed, "authenticity": authenticity,
            "reason_contains": reason, "chain_length": chain_length, "unsealed_steps": unsealed,
            "head": head, "merkle_root": root,
        })

    def write(self):
        by_suffix = {}
        for name, data in self.files.items():
            stem, suffix = os.path.splitext(name)
            by_suffix.setdefault(suffix, {})[stem] = data
        for suffix in (".ndjson", ".json"):
            write_case_files(os.path.join(self.out_dir, self.directory), suffix, by_suffix.get(suffix, {}))

    def check(self):
        """The verifier must agree with every case."""
        for c in self.cases:
            pub = None
            if c["pubkey"]:
                with open(os.path.join(self.out_dir, c["pubkey"]), "r", encoding="ascii") as f:
                    pub = f.read()
            keyring = None
            if c["keyring"]:
                try:
                    keyring = rv.load_keyring(os.path.join(self.out_dir, c["keyring"]))
                except rv.KeyringError as error:
                    assert c["exit_code"] == 64, (c["name"], error)
                    assert c["reason_contains"] in str(error).lower(), (c["name"], str(error))
                    continue
            assert c["exit_code"] != 64, c["name"]
            path = os.path.join(self.out_dir, c["file"])
            if c["type"] == "export":
                got = rv.verify_export(path, pub, c["require_signature"], keyring, c["require_closed"])
            elif c["type"] == "bundle":
                got = rv.verify_bundle(path, pub, keyring, c["require_closed"])
            else:
                got = rv.verify_proof(path, pub, c["require_signature"], keyring)
            for field in ("verdict", "failing_step_index", "failure_kind", "closed", "authenticity"):
                assert got[field] == c[field], (c["name"], field, got, c)
            for field in ("chain_length", "unsealed_steps", "head", "merkle_root"):
                assert c[field] is None or got[field] == c[field], (c["name"], field, got, c)
            if c["reason_contains"]:
                assert c["reason_contains"] in got["reason"].lower(), (c["name"], got["reason"])

    def result(self):
        self.write()
        self.check()
        return {"cases": self.cases}


def leaf_records(leaves, block=1024):
    """[(from, [leaf bytes])] in blocks of `block`, as RunProof writes them."""
    return [(p, leaves[p:p + block]) for p in range(0, len(leaves), block)]


def leaf_record_line(start, leaves):
    return {"leaf_record": {"from": start, "leaves": base64.b64encode(b"".join(leaves)).decode("ascii")}}


def export_file(header, rows, records, seal_records, trailer=()):
    """An export as RunProof writes it: each leaf-record line immediately before the step line
    at its `from` position (after the last step line when `from` is not below the row count).
    rows: step objects or raw line bytes (without the newline)."""
    out = [line(header)]
    pending = sorted(records, key=lambda r: r[0])
    for position, r in enumerate(rows):
        while pending and pending[0][0] <= position:
            out.append(line(leaf_record_line(*pending.pop(0))))
        out.append(r + b"\n" if isinstance(r, bytes) else line(r))
    out.extend(line(leaf_record_line(*r)) for r in pending)
    out.extend(line(s) for s in seal_records)
    out.extend(line(t) for t in trailer)
    return b"".join(out)


def locate_step(i):
    """A small step object (about 330 bytes) for the long locate trace."""
    return {
        "cost_cents": 0.5 * (i % 4), "duration_ms": 20 + i % 13, "idempotency_key": None,
        "input_hash": None, "level": None, "outcome_category": "SUCCESS", "outcome_code": None,
        "outcome_data": None, "output_hash": None, "params": {"n": i}, "replay_behavior": None,
        "retry_count": 0, "rng_state_before": None, "skill_id": None,
        "skill_name": SKILLS[i % len(SKILLS)], "source": None, "status": "ok", "step_index": i,
        "timestamp": ts(i, 500000),
    }


def reindex(step, index):
    return dict(step, step_index=index)


def reindexed_leaf_bytes(step, index):
    """R(row, i) the way 6.3 words it: replace the value of the top-level "step_index" member,
    the one just before the final "timestamp" member, in the canonical bytes."""
    canonical = rv.jcs(step)
    cut = canonical.rindex(b',"timestamp":')
    start = canonical.rindex(b',"step_index":', 0, cut)
    changed = canonical[:start] + b',"step_index":' + str(index).encode() + canonical[cut:]
    return rv.leaf_from_canonical(changed)


def locate_vectors(out_dir, test_key, test_id):
    cs = CaseSet(out_dir, "locate")
    n, k, far, k2 = 1030, 417, 717, 1026
    header = make_header("run-locate-0001", trace_id="trace-locate-0001",
                         plan={"goal": "locate demo", "steps": n})
    steps = [locate_step(i) for i in range(n)]
    chain = rv.compute_chain(header, steps)
    leaves = [bytes.fromhex(x) for x in chain["leaves"]]
    for i in (k, k + 1, far):  # R(row, i) on the canonical bytes = re-indexing the object
        assert reindexed_leaf_bytes(steps[i], i + 5) == rv.step_leaf(reindex(steps[i], i + 5))
    seal = seal_lines(header, steps, [n], test_key, test_id)  # sealed once, at the end
    records = leaf_records(leaves)
    assert [r[0] for r in records] == [0, 1024]

    def big(name, rows, verdict, failing, kind, description, recs=records, **kw):
        cs.case(name, name + ".ndjson", export_file(header, rows, recs, seal), verdict, failing, kind,
                description, **kw)

    def edited(i):
        return dict(steps[i], status="error", outcome_category="FAILURE", outcome_code="E_EDITED")

    def with_leaf(recs, position, leaf):
        out = []
        for start, block in recs:
            block = list(block)
            if start <= position < start + len(block):
                block[position - start] = leaf
            out.append((start, block))
        return out

    base = "%d steps sealed once (one seal at %d signed by the test key), leaf-record lines from 0 and 1024; " % (n, n)
    big("valid", steps, "HASH_CHAIN", None, None, base + "nothing changed",
        chain_length=n, unsealed=0, head=chain["head"], root=chain["merkle_root"])
    big("valid-no-record", steps, "HASH_CHAIN", None, None,
        "the same trace without its leaf-record lines", recs=[],
        chain_length=n, unsealed=0, head=chain["head"], root=chain["merkle_root"])
    rows = list(steps)
    rows[k] = edited(k)
    big("changed", rows, "FAILED", k, "changed", base + "the status of step %d edited" % k, reason="changed")
    big("changed-no-record", rows, "FAILED", 0, "mismatch",
        "the same change without leaf-record lines: the one seal only says that a step in [0, %d) changed" % n,
        recs=[])
    rows = list(steps)
    rows[k2] = edited(k2)
    big("changed-second-block", rows, "FAILED", k2, "changed",
        base + "the status of step %d edited (recorded in the second leaf-record line)" % k2)
    rows = steps[:k] + [reindex(s, s["step_index"] - 1) for s in steps[k + 1:]]
    big("removed", rows, "FAILED", k, "removed",
        base + "step %d deleted and the later steps re-indexed down (a renumbering)" % k)
    big("removed-no-record", rows, "FAILED", n - 1, "truncated",
        "the same deletion without leaf-record lines: only %d steps for a seal of %d (truncated)" % (n - 1, n),
        recs=[])
    big("removed-no-reindex", steps[:k] + steps[k + 1:], "FAILED", k, "removed",
        base + "step %d deleted, later steps keep their index: a gap whose next row is intact" % k)
    inserted = dict(locate_step(k), params={"n": k, "injected": True}, skill_name="injected")
    rows = steps[:k] + [inserted] + [reindex(s, s["step_index"] + 1) for s in steps[k:]]
    big("inserted", rows, "FAILED", k, "inserted",
        base + "a new step put in at %d, the later steps re-indexed up (%d rows)" % (k, n + 1))
    rows = list(steps)
    rows[k], rows[k + 1] = reindex(steps[k + 1], k), reindex(steps[k], k + 1)
    big("reordered", rows, "FAILED", k, "reordered",
        base + "the contents of steps %d and %d exchanged, indexes kept in order" % (k, k + 1))
    rows = list(steps)
    rows[k], rows[far] = reindex(steps[far], k), reindex(steps[k], far)
    big("reordered-far", rows, "FAILED", k, "reordered",
        base + "the contents of steps %d and %d exchanged, indexes kept in order" % (k, far))
    rows = list(steps)
    rows[k], rows[k + 1] = steps[k + 1], steps[k]
    big("lines-out-of-order", rows, "FAILED", k, "reordered",
        base + "the lines of steps %d and %d swapped in the file (indexes ..., %d, %d, ...)" % (k, k + 1, k + 1, k))
    big("duplicate-index", steps[:k + 1] + [steps[k]] + steps[k + 1:], "FAILED", k, "duplicate index",
        base + "the line of step %d repeated right after it" % k)
    big("index-gap", steps[:k] + [edited(k + 1)] + steps[k + 2:], "FAILED", k, "index gap",
        base + "step %d deleted and step %d (the next row) edited: a gap whose next row is not intact" % (k, k + 1))
    forged = rv.H(b"forged leaf")
    big("leaf-record-altered", steps, "FAILED", k, "leaf record",
        base + "the steps are intact but the recorded leaf of step %d was replaced" % k,
        recs=with_leaf(records, k, forged))
    rows = list(steps)
    rows[k] = edited(k)
    recs = with_leaf(with_leaf(records, k, rv.step_leaf(rows[k])), k + 100, forged)
    big("forged-record", rows, "FAILED", 0, "mismatch",
        base + "step %d edited, its recorded leaf replaced by the edited step's leaf and the record "
        "of step %d forged: the record points at %d but does not give the seal's root" % (k, k + 100, k + 100),
        recs=recs)
    big("forged-record-hides-change", rows, "FAILED", 0, "mismatch",
        base + "step %d edited and its recorded leaf replaced by the edited step's leaf: no step "
        "differs from the record, the seal does not match" % k,
        recs=with_leaf(records, k, rv.step_leaf(rows[k])))
    big("truncated", steps[:1000], "FAILED", 1000, "truncated",
        base + "steps 1000 .. %d deleted (the leaf record kept)" % (n - 1))

    # Small traces: the export base (6 steps, seals at 2, 4 and 6) with a leaf record.
    header6, steps8 = export_base()
    steps6 = steps8[:6]
    chain6 = rv.compute_chain(header6, steps6)
    leaves6 = [bytes.fromhex(x) for x in chain6["leaves"]]
    seals6 = seal_lines(header6, steps6, [2, 4, 6], test_key, test_id)
    rec6 = [(0, leaves6)]
    base6 = "the export base trace (6 steps, seals at 2, 4, 6) with a leaf-record line; "

    def small(name, rows, verdict, failing, kind, description, recs=rec6, seal_list=seals6, **kw):
        cs.case("small-" + name, "small-%s.ndjson" % name, export_file(header6, rows, recs, seal_list),
                verdict, failing, kind, description, **kw)

    small("valid", steps6, "HASH_CHAIN", None, None, base6 + "nothing changed",
          chain_length=6, unsealed=0, head=chain6["head"], root=chain6["merkle_root"])
    changed = list(steps6)
    changed[3] = dict(steps6[3], status="error")
    small("changed-step-3", changed, "FAILED", 3, "changed",
          base6 + "step 3 status changed: located at 3 and confirmed by the seal at 4 "
          "(exports/changed-step-3.ndjson, without the record, says [2, 4))")
    small("record-altered-1", steps6, "FAILED", 1, "leaf record",
          base6 + "the recorded leaf of step 1 replaced; the steps match the seal at 2",
          recs=[(0, [leaves6[0], forged] + leaves6[2:])])
    redacted = list(steps6)
    redacted[2] = {"leaf": chain6["leaves"][2], "step_index": 2}
    small("redacted-step-2", redacted, "HASH_CHAIN", None, None, base6 + "step 2 redacted",
          chain_length=6, unsealed=0, head=chain6["head"], root=chain6["merkle_root"])
    wrong = list(steps6)
    wrong[3] = {"leaf": chain6["leaves"][2], "step_index": 3}
    small("redacted-wrong-leaf-3", wrong, "FAILED", 3, "changed",
          base6 + "step 3 redacted with the leaf of step 2 (a redacted row cannot be re-indexed)")
    cs.case("small-records-at-end", "small-records-at-end.ndjson",
            export_file(header6, steps6, [], seals6, ()).replace(
                line(seals6[0]), line(leaf_record_line(0, leaves6)) + line(seals6[0]), 1),
            "HASH_CHAIN", None, None,
            base6 + "the leaf-record line stands after the last step line instead of before step 0: "
            "a record is placed by its from, not by where it stands",
            chain_length=6, unsealed=0, head=chain6["head"], root=chain6["merkle_root"])
    changed4 = list(steps6)
    changed4[4] = dict(steps6[4], status="error")
    small("partial-record-change-4", changed4, "FAILED", 4, "mismatch",
          base6 + "the record covers steps 0..2 only; step 4 changed: no recorded leaf to compare, "
          "so the seal at 6 mismatches after the seal at 4 matched", recs=[(0, leaves6[:3])])
    chain8 = rv.compute_chain(header6, steps8)
    small("record-beyond-seal", steps8, "HASH_CHAIN", None, None,
          base6 + "8 steps (2 unsealed); the record also gives garbage for positions 6 and 7, "
          "which are at or beyond the latest seal's length and ignored",
          recs=[(0, leaves6 + [forged, forged])], chain_length=8, unsealed=2,
          head=chain8["head"], root=chain8["merkle_root"])

    def raw_record(value):
        return rv.jcs(value) + b"\n"

    def malformed(name, record_objects, description):
        body = line(header6) + b"".join(raw_record(r) for r in record_objects) + b"".join(
            line(s) for s in steps6) + b"".join(line(s) for s in seals6)
        cs.case("small-" + name, "small-%s.ndjson" % name, body, "FAILED", None, "not canonical",
                "malformed leaf-record line(s): " + description, reason="leaf-record")

    good = base64.b64encode(b"".join(leaves6)).decode("ascii")
    malformed("record-bad-base64", [{"leaf_record": {"from": 0, "leaves": good[:-2] + "!="}}],
              "leaves is not base64")
    five = base64.b64encode(b"".join(leaves6[:5])).decode("ascii")
    assert five.endswith("=")
    malformed("record-unpadded-base64", [{"leaf_record": {"from": 0, "leaves": five.rstrip("=")}}],
              "leaves (5 leaves, 160 bytes) without its base64 padding")
    malformed("record-not-multiple-of-32",
              [{"leaf_record": {"from": 0, "leaves": base64.b64encode(b"".join(leaves6)[:-1]).decode("ascii")}}],
              "leaves decodes to 191 bytes")
    malformed("record-empty", [{"leaf_record": {"from": 0, "leaves": ""}}], "no leaves at all")
    malformed("record-overlap", [leaf_record_line(0, leaves6[:4]), leaf_record_line(2, leaves6[2:])],
              "from 0 (4 leaves) then from 2: overlapping")
    malformed("record-out-of-order", [leaf_record_line(3, leaves6[3:]), leaf_record_line(0, leaves6[:3])],
              "from 3 then from 0")
    malformed("record-too-many", [leaf_record_line(0, leaves6 + [forged] * 1019)],
              "1025 leaves in one line (at most 1024)")
    malformed("record-negative-from", [leaf_record_line(-1, leaves6)], "from is -1")
    malformed("record-extra-key", [{"leaf_record": {"from": 0, "leaves": good, "to": 6}}],
              "leaf_record has a third key")

    # An audit bundle may carry leaf-record lines: they are covered by its content digest.
    evidence = bundle_evidence(header6["run_id"])
    governance = bundle_governance(header6["tenant_id"], header6["run_id"])
    bundle = rv.build_bundle(header6, [leaf_record_line(0, leaves6)] + steps6, seals6, evidence,
                             governance, test_key, ts(400, day=3))
    cs.case("bundle-with-record", "bundle-with-record.ndjson", bundle, "HASH_CHAIN", None, None,
            "the bundles/valid.ndjson bundle with a leaf-record line before step 0 (signed with it)",
            type="bundle", chain_length=6, head=chain6["head"], root=chain6["merkle_root"])
    altered = bundle.replace(line(leaf_record_line(0, leaves6)),
                             line(leaf_record_line(0, [leaves6[0], forged] + leaves6[2:])), 1)
    assert altered != bundle
    cs.case("bundle-record-altered", "bundle-record-altered.ndjson", altered, "FAILED", 1, "leaf record",
            "the same bundle with the recorded leaf of step 1 replaced after signing: the chain check "
            "reports the altered record first", type="bundle")
    return cs.result()


def closing_seal_line(header, steps, length, key, kid, seconds, closed=True):
    seal = rv.make_seal(header, rv.compute_chain(header, steps), length, ts(seconds, day=2), kid)
    seal["closed"] = closed
    record = {"seal": seal}
    if key is not None:
        record["signature"] = rv.sign_seal(seal, key)
    return record


def closed_vectors(out_dir, test_key, test_id):
    cs = CaseSet(out_dir, "closed")
    header, steps8 = export_base()
    steps = steps8[:6]
    chain = rv.compute_chain(header, steps)
    seals = seal_lines(header, steps, [2, 4, 6], test_key, test_id)
    close6 = closing_seal_line(header, steps, 6, test_key, test_id, 65)
    valid = dict(chain_length=6, unsealed=0, head=chain["head"], root=chain["merkle_root"])
    base = "the export base trace (6 steps, seals at 2, 4, 6 by the test key)"

    def body(rows, seal_list):
        return export_file(header, rows, [], seal_list)

    closed = body(steps, seals + [close6])
    cs.case("closed", "closed.ndjson", closed, "HASH_CHAIN", None, None,
            base + " then a closing seal at 6 (same head and root, signed on its own)", closed=True, **valid)
    cs.case("closed-require-closed", "closed.ndjson", closed, "HASH_CHAIN", None, None,
            "the same file with require_closed", require_closed=True, closed=True, **valid)
    cs.case("closed-no-pubkey", "closed.ndjson", closed, "HASH_CHAIN", None, None,
            "the same file without a public key", pubkey=None, closed=True, authenticity="unchecked", **valid)
    cs.case("step-appended", "step-appended.ndjson", body(steps8[:7], seals + [close6]), "FAILED", 6,
            "appended after close", "a seventh step after the closed trace", closed=True,
            reason="appended after close")
    seal8 = seal_lines(header, steps8, [8], test_key, test_id)[0]
    cs.case("seal-appended", "seal-appended.ndjson", body(steps8, seals + [close6, seal8]), "FAILED", 6,
            "appended after close", "two more steps and a seal at 8 after the closing seal at 6 "
            "(the latest seal is then not closing)", reason="appended after close")
    cs.case("tail-removed", "tail-removed.ndjson", body(steps[:5], seals + [close6]), "FAILED", 5,
            "truncated", "the closed trace without its last step", closed=True)
    cs.case("closed-false", "closed-false.ndjson",
            body(steps, seals + [closing_seal_line(header, steps, 6, test_key, test_id, 65, closed=False)]),
            "FAILED", None, "seal", "the last seal carries \"closed\": false (signed): a malformed seal line; "
            "no seal could be read, so authenticity is unsigned", authenticity="unsigned")
    unclosed = body(steps, seals)
    cs.case("unclosed-require-closed", "unclosed.ndjson", unclosed, "FAILED", None, "not closed",
            base + ", no closing seal, require_closed", require_closed=True, reason="not closed")
    cs.case("unclosed", "unclosed.ndjson", unclosed, "HASH_CHAIN", None, None,
            "the same file without require_closed", **valid)
    cs.case("closing-seal-only", "closing-seal-only.ndjson",
            body(steps, [closing_seal_line(header, steps, 6, test_key, test_id, 65)]), "HASH_CHAIN", None, None,
            "6 steps and a single seal, a closing seal at 6", closed=True, **valid)
    cs.case("closing-seal-longer", "closing-seal-longer.ndjson", body(steps, seals[:2] + [close6]),
            "HASH_CHAIN", None, None,
            "seals at 2 and 4, then a closing seal at 6 (longer than the seal before it: allowed; "
            "RunProof itself seals the new steps first)", closed=True, **valid)
    cs.case("two-closing-seals", "two-closing-seals.ndjson",
            body(steps, seals + [close6, closing_seal_line(header, steps, 6, test_key, test_id, 66)]),
            "FAILED", None, "seal", "two closing seals at 6", closed=True)
    cs.case("seal-after-close-same-length", "seal-after-close-same-length.ndjson",
            body(steps, seals[:2] + [close6, seals[2]]), "FAILED", None, "seal",
            "seals at 2, 4, a closing seal at 6, then a regular seal at 6: the closing seal is not last")
    changed = list(steps)
    changed[3] = dict(steps[3], status="error")
    cs.case("closing-disagrees", "closing-disagrees.ndjson",
            body(steps, seals + [closing_seal_line(header, changed, 6, test_key, test_id, 65)]),
            "FAILED", None, "seal",
            "the closing seal at 6 has another head and root than the seal at 6 before it", closed=True)
    cs.case("duplicate-seal", "duplicate-seal.ndjson", body(steps, seals[:2] + seals[1:]), "FAILED", None,
            "seal", "seals at 2, 4, 4, 6 (two regular seals at one length)", reason="duplicate")
    cs.case("seals-out-of-order", "seals-out-of-order.ndjson", body(steps, [seals[1], seals[0], seals[2]]), "FAILED",
            None, "seal", "seal lines at 4, 2, 6: each valid, but a streaming reader takes seal lines in ascending "
            "chain_length order (section 7, revised)", reason="out of order")
    cs.case("closing-seal-unsigned", "closing-seal-unsigned.ndjson",
            body(steps, seals + [closing_seal_line(header, steps, 6, None, None, 65)]), "HASH_CHAIN", None,
            None, base + ", then an unsigned closing seal: with a public key but no signature "
            "required it verifies, authenticity unsigned (the latest seal is unsigned)",
            closed=True, authenticity="unsigned", **valid)
    return cs.result()


def keyring_entry(pub_pem, not_before, not_after=None, revoked_at=None, kid=None):
    return {"key_id": kid or rv.key_id(rv.public_key_raw(pub_pem)), "public_key": pub_pem,
            "not_before": not_before, "not_after": not_after, "revoked_at": revoked_at}


def keyring_vectors(out_dir, keys):
    """keys: {"test": (private key, key_id, public PEM), "other": ..., "third": ...}."""
    cs = CaseSet(out_dir, "keyring")
    (a_key, a_id, a_pem), (b_key, b_id, b_pem), (c_key, c_id, c_pem) = keys["test"], keys["other"], keys["third"]
    header, steps8 = export_base()
    steps = steps8[:6]
    chain = rv.compute_chain(header, steps)
    leaves = [bytes.fromhex(x) for x in chain["leaves"]]
    s2, s4 = seal_lines(header, steps, [2, 4], a_key, a_id)  # sealed_at 10:00:20 and 10:00:40 (day 2)
    s6 = seal_lines(header, steps, [6], b_key, b_id)[0]     # 10:01:00, after the rotation
    assert (s2["seal"]["sealed_at"], s4["seal"]["sealed_at"], s6["seal"]["sealed_at"]) == (
        "2026-01-02T10:00:20.000000Z", "2026-01-02T10:00:40.000000Z", "2026-01-02T10:01:00.000000Z")
    valid = dict(chain_length=6, unsealed=0, head=chain["head"], root=chain["merkle_root"])
    start, rotation = "2026-01-01T00:00:00.000000Z", "2026-01-02T10:00:50.000000Z"

    rings = {}

    def ring(name, entries):
        rings[name] = dumps({"keys": entries}).encode("ascii")
        return "keyrings/%s.json" % name

    rotated = ring("rotation", [keyring_entry(a_pem, start, rotation), keyring_entry(b_pem, rotation)])
    expired = ring("a-expired", [keyring_entry(a_pem, start, "2026-01-02T10:00:00.000000Z"),
                                 keyring_entry(b_pem, rotation)])
    revoked_before = ring("a-revoked-before", [keyring_entry(a_pem, start, rotation, "2026-01-02T10:00:10.000000Z"),
                                               keyring_entry(b_pem, rotation)])
    revoked_after = ring("a-revoked-after", [keyring_entry(a_pem, start, rotation, "2026-01-02T10:00:50.000000Z"),
                                             keyring_entry(b_pem, rotation)])
    a_only = ring("a-only", [keyring_entry(a_pem, start)])
    b_early = ring("b-not-yet-valid", [keyring_entry(a_pem, start, rotation),
                                       keyring_entry(b_pem, "2026-01-02T10:01:30.000000Z")])
    at_not_after = ring("a-not-after-equals-seal-4", [keyring_entry(a_pem, start, "2026-01-02T10:00:40.000000Z"),
                                                      keyring_entry(b_pem, rotation)])
    at_not_before = ring("b-not-before-equals-seal-6", [keyring_entry(a_pem, start, rotation),
                                                        keyring_entry(b_pem, "2026-01-02T10:01:00.000000Z")])
    offsets = ring("offsets", [keyring_entry(a_pem, "2026-01-01T00:00:00", "2026-01-02T11:00:50+01:00"),
                               keyring_entry(b_pem, "2026-01-02T10:00:50Z")])
    bad_id = ring("bad-key-id", [keyring_entry(a_pem, start, rotation, kid=b_id), keyring_entry(b_pem, rotation)])

    def body(seal_list, trailer=()):
        return export_file(header, steps, [], seal_list, trailer)

    rot = body([s2, s4, s6])
    desc = "seals at 2 and 4 by key A (test key), at 6 by key B (other key) after a rotation at 10:00:50; "
    cs.case("rotation", "rotation.ndjson", rot, "HASH_CHAIN", None, None,
            desc + "keyring: A until 10:00:50, B from then", pubkey=None, keyring=rotated,
            authenticity="keyring", **valid)
    cs.case("rotation-keyring-and-pubkey", "rotation.ndjson", rot, "HASH_CHAIN", None, None,
            desc + "the rotation keyring and the public key of B: authenticity keyring",
            pubkey="other-key.pub.pem", keyring=rotated, authenticity="keyring", **valid)
    cs.case("rotation-pubkey-b", "rotation.ndjson", rot, "HASH_CHAIN", None, None,
            desc + "no keyring, public key B: the latest seal verifies, A's seals are checkpoints",
            pubkey="other-key.pub.pem", **valid)
    cs.case("rotation-pubkey-a", "rotation.ndjson", rot, "FAILED", None, "signature",
            desc + "no keyring, public key A: the latest seal is not signed by it", reason="key_id")
    cs.case("rotation-no-key", "rotation.ndjson", rot, "HASH_CHAIN", None, None,
            desc + "no keyring, no public key", pubkey=None, authenticity="unchecked", **valid)
    cs.case("a-expired", "rotation.ndjson", rot, "FAILED", None, "signature",
            desc + "A's not_after (10:00:00) is before both of A's seals", pubkey=None, keyring=expired,
            authenticity="keyring", reason="seal at chain_length 2")
    cs.case("a-revoked-before", "rotation.ndjson", rot, "FAILED", None, "signature",
            desc + "A revoked at 10:00:10, before A's seals", pubkey=None, keyring=revoked_before,
            authenticity="keyring", reason="revoked")
    cs.case("a-revoked-after", "rotation.ndjson", rot, "HASH_CHAIN", None, None,
            desc + "A revoked at 10:00:50, after A's seals", pubkey=None, keyring=revoked_after,
            authenticity="keyring", **valid)
    cs.case("b-not-in-keyring", "rotation.ndjson", rot, "FAILED", None, "signature",
            desc + "the keyring holds only A", pubkey=None, keyring=a_only, authenticity="keyring",
            reason="seal at chain_length 6")
    cs.case("b-not-yet-valid", "rotation.ndjson", rot, "FAILED", None, "signature",
            desc + "B's not_before (10:01:30) is after the seal at 6", pubkey=None, keyring=b_early,
            authenticity="keyring", reason="not yet valid")
    cs.case("a-not-after-equals-seal-4", "rotation.ndjson", rot, "FAILED", None, "signature",
            desc + "A's not_after is exactly the sealed_at of the seal at 4 (not_after is exclusive)",
            pubkey=None, keyring=at_not_after, authenticity="keyring", reason="seal at chain_length 4")
    cs.case("b-not-before-equals-seal-6", "rotation.ndjson", rot, "HASH_CHAIN", None, None,
            desc + "B's not_before is exactly the sealed_at of the seal at 6 (not_before is inclusive)",
            pubkey=None, keyring=at_not_before, authenticity="keyring", **valid)
    cs.case("offsets", "rotation.ndjson", rot, "HASH_CHAIN", None, None,
            desc + "the rotation keyring written with other timestamp forms (no fraction, no zone, "
            "+01:00, Z), compared after normalizing them (2.3)", pubkey=None, keyring=offsets,
            authenticity="keyring", **valid)
    cs.case("bad-key-id", "rotation.ndjson", rot, None, None, None,
            "the keyring gives A's public key with B's key_id: the keyring is refused (exit 64), "
            "nothing is verified", pubkey=None, keyring=bad_id, reason="key_id")
    s6c = seal_lines(header, steps, [6], c_key, c_id)[0]
    cs.case("third-key", "third-key.ndjson", body([s2, s4, s6c]), "FAILED", None, "signature",
            "seals at 2 and 4 by A, at 6 by a third key that is not in the rotation keyring",
            pubkey=None, keyring=rotated, authenticity="keyring", reason="not in the keyring")
    u2 = seal_lines(header, steps, [2], None, None, signed=False)[0]
    cs.case("unsigned-seal", "unsigned-seal.ndjson", body([u2, s4, s6]), "FAILED", None, "signature",
            "the seal at 2 unsigned, 4 by A, 6 by B: a keyring requires every seal signed",
            pubkey=None, keyring=rotated, authenticity="keyring", reason="unsigned")
    bad4 = dict(s4, signature=flip_signature(s4["signature"]))
    bad = body([s2, bad4, s6])
    cs.case("bad-signature-seal-4", "bad-signature-seal-4.ndjson", bad, "FAILED", None, "signature",
            "the rotation trace with one base64 character of the seal at 4's signature changed",
            pubkey=None, keyring=rotated, authenticity="keyring", reason="seal at chain_length 4")
    cs.case("bad-signature-seal-4-pubkey-b", "bad-signature-seal-4.ndjson", bad, "HASH_CHAIN", None, None,
            "the same file with public key B and no keyring: the seal at 4 is by another key, a checkpoint",
            pubkey="other-key.pub.pem", **valid)
    a6 = seal_lines(header, steps, [6], a_key, a_id)[0]
    cs.case("pubkey-earlier-seal-bad", "pubkey-earlier-seal-bad.ndjson", body([s2, bad4, a6]), "FAILED", None,
            "signature", "seals at 2, 4, 6 all by A, the seal at 4's signature damaged; public key A: "
            "an earlier seal with the given key's key_id must verify too (6.2, revised)",
            reason="seal at chain_length 4")

    # Bundles: the bundle signature's key must be in the keyring, valid at signed_at.
    evidence = bundle_evidence(header["run_id"])
    governance = bundle_governance(header["tenant_id"], header["run_id"])
    by_b = rv.build_bundle(header, steps, [s2, s4, s6], evidence, governance, b_key, ts(400, day=3))
    cs.case("bundle-rotation", "bundle-rotation.ndjson", by_b, "HASH_CHAIN", None, None,
            "an audit bundle of the rotation trace signed by B (signed_at day 3), keyring only",
            type="bundle", pubkey=None, keyring=rotated, authenticity="keyring",
            chain_length=6, head=chain["head"], root=chain["merkle_root"])
    by_a = rv.build_bundle(header, steps, [s2, s4, s6], evidence, governance, a_key, ts(400, day=3))
    cs.case("bundle-signed-by-expired-key", "bundle-signed-by-expired-key.ndjson", by_a, "FAILED", None,
            "signature", "the same bundle signed by A, whose not_after is before the bundle's signed_at",
            type="bundle", pubkey=None, keyring=rotated, authenticity="keyring", reason="expired")
    lines = by_b.split(b"\n")[:-1]
    first_seal = json.loads(lines[7])
    assert first_seal["seal"]["chain_length"] == 2
    first_seal["seal"]["sealed_at"] = ts(21, day=2)
    lines[7] = rv.jcs(first_seal)
    cs.case("bundle-rotated-checkpoint-changed", "bundle-rotated-checkpoint-changed.ndjson",
            b"".join(x + b"\n" for x in lines), "FAILED", None, "bundle",
            "the bundle of the rotation trace with the sealed_at of A's seal at 2 changed, checked with "
            "public key B (no keyring): that checkpoint's signature is not checked, the content digest fails",
            type="bundle", pubkey="other-key.pub.pem", reason="bundle")

    # Proofs: every seal of the proof is checked against the keyring.
    inclusion = rv.jcs(rv.build_inclusion_proof(header, s6, leaves, [3], {3: steps[3]})) + b"\n"
    cs.case("proof-inclusion", "proof-inclusion.json", inclusion, "HASH_CHAIN", None, None,
            "inclusion of step 3 in B's seal at 6, rotation keyring", type="proof", pubkey=None,
            keyring=rotated, authenticity="keyring", chain_length=6, head=chain["head"], root=chain["merkle_root"])
    consistency = rv.jcs(rv.build_consistency_proof(header, s2, s6, leaves)) + b"\n"
    cs.case("proof-consistency", "proof-consistency.json", consistency, "HASH_CHAIN", None, None,
            "A's seal at 2 extended by B's seal at 6, rotation keyring", type="proof", pubkey=None,
            keyring=rotated, authenticity="keyring", chain_length=6, head=chain["head"], root=chain["merkle_root"])
    cs.case("proof-consistency-a-expired", "proof-consistency.json", consistency, "FAILED", None, "signature",
            "the same proof with A expired before its seal at 2: the first seal is checked too",
            type="proof", pubkey=None, keyring=expired, authenticity="keyring", reason="seal at chain_length 2")

    write_case_files(os.path.join(out_dir, "keyrings"), ".json", {
        name[:-len(".json")] if name.endswith(".json") else name: data for name, data in rings.items()})
    return cs.result()


# ---------------------------------------------------------------------------------------
# Checkpoints as C2SP tlog-checkpoints and signed notes (section 10)
# ---------------------------------------------------------------------------------------

CUSTOM_KEY_NAME = "example.com/audit-log"
ODD_TENANT = "tenant acme+\u00e9/%~._-"
ODD_TRACE = "trace/1 +%\u00e9:\u00fc"


def with_checkpoint(record, key, name=rv.DEFAULT_KEY_NAME):
    """The seal record with its checkpoint_signature (the signature line of its checkpoint)."""
    return dict(record, checkpoint_signature=rv.checkpoint_signature_line(record["seal"], key, name))


def note_signature_line(body, name, key):
    """The signature line (no newline) of the note of `body` signed by `key` under `name`."""
    return rv.sign_note(body, name, key).rstrip("\n").rsplit("\n", 1)[1]


def forge_line(name, key_hash, signature):
    return "\u2014 %s %s" % (name, base64.b64encode(key_hash + signature).decode("ascii"))


def flip_line_signature(line):
    """The same signature line with one base64 character of the Ed25519 signature changed
    (the key hash, the first 4 bytes = 6 base64 characters, kept)."""
    prefix, b64 = line.rsplit(" ", 1)
    return prefix + " " + b64[:20] + ("B" if b64[20] != "B" else "C") + b64[21:]


def checkpoint_vectors(out_dir, keys):
    """keys: {"test": (private key, key_id, public PEM), "other": ..., "third": ...}."""
    (a_key, a_id, a_pem), (b_key, b_id, b_pem) = keys["test"], keys["other"]
    a_raw, b_raw = rv.public_key_raw(a_pem), rv.public_key_raw(b_pem)
    name0 = rv.DEFAULT_KEY_NAME
    header, steps8 = export_base()
    steps = steps8[:6]
    chain = rv.compute_chain(header, steps)
    leaves = [bytes.fromhex(x) for x in chain["leaves"]]
    s2, s4, s6 = seal_lines(header, steps, [2, 4, 6], a_key, a_id)
    close6 = closing_seal_line(header, steps, 6, a_key, a_id, 65)
    odd_header = make_header("run-checkpoint-0001", tenant=ODD_TENANT, trace_id=ODD_TRACE,
                             plan={"goal": "percent-encoded origin"})
    odd_chain = rv.compute_chain(odd_header, steps)
    odd3, odd6 = seal_lines(odd_header, steps, [3, 6], a_key, a_id)
    s0 = {"seal": rv.make_seal(header, chain, 0, ts(0, day=2), a_id)}
    s0["signature"] = rv.sign_seal(s0["seal"], a_key)
    pubs = {"test-key.pub.pem": a_raw, "other-key.pub.pem": b_raw}

    key_entries = []
    for pub, name in (("test-key.pub.pem", name0), ("other-key.pub.pem", name0),
                      ("test-key.pub.pem", CUSTOM_KEY_NAME), ("test-key.pub.pem", "runproof-\u00e9")):
        raw = pubs[pub]
        key_entries.append({"name": name, "pubkey": pub, "key_hash": rv.note_key_hash(name, raw).hex(),
                            "vkey": rv.vkey(name, raw)})
    vk = {(e["pubkey"], e["name"]): e["vkey"] for e in key_entries}
    test_vkey = vk[("test-key.pub.pem", name0)]

    notes = {}  # file stem -> exact bytes
    checkpoints = []

    def checkpoint(name, record, description, key_name=name0, expected=None):
        seal = record["seal"]
        body = rv.checkpoint_body(seal)
        if expected is not None:
            assert body == expected.encode("utf-8"), (name, body)
        note = rv.sign_note(body, key_name, a_key)
        v = vk[("test-key.pub.pem", key_name)]
        assert rv.open_note(note, v) == body.decode("utf-8")
        notes[name] = note.encode("utf-8")
        line = note.rstrip("\n").rsplit("\n", 1)[1]
        assert line == rv.checkpoint_signature_line(seal, a_key, key_name)
        checkpoints.append({
            "name": name, "description": description, "seal": seal,
            "origin": rv.checkpoint_origin(seal["tenant_id"], seal["trace_id"]),
            "body": body.decode("utf-8"), "key_name": key_name, "pubkey": "test-key.pub.pem",
            "key_hash": rv.note_key_hash(key_name, a_raw).hex(), "vkey": v, "note": note,
            "checkpoint_signature": line, "file": "checkpoints/%s.txt" % name,
        })
        return body

    b64root6 = base64.b64encode(bytes.fromhex(chain["merkle_root"])).decode("ascii")
    body6 = checkpoint("export-base-at-6", s6,
                       "the export base trace's latest seal (chain_length 6), key name runproof",
                       expected="runproof/tenant-acme/0b9e3c1e-7f1a-4c2d-9a55-1d2e3f4a5b6c\n6\n%s\n"
                                "runproof-head %s\n" % (b64root6, chain["head"]))
    checkpoint("export-base-at-2", s2, "the export base trace's seal at chain_length 2")
    checkpoint("export-base-at-4", s4, "the export base trace's seal at chain_length 4")
    assert rv.checkpoint_body(close6["seal"]) == body6
    checkpoint("export-base-closing-at-6", close6,
               "the closing seal at 6 of closed/closed.ndjson: the same body (and, Ed25519 being "
               "deterministic, the same note) as the seal at 6 it closes")
    checkpoint("export-base-at-0", s0,
               "a seal at chain_length 0: size 0, root hash H(\"\") (the empty tree), head = genesis")
    checkpoint("export-base-at-6-custom-name", s6,
               "the seal at 6 signed under the key name %s (another key hash, another vkey)" % CUSTOM_KEY_NAME,
               key_name=CUSTOM_KEY_NAME)
    checkpoint("export-base-at-6-non-ascii-name", s6,
               "the seal at 6 signed under the key name runproof-\u00e9 (a name is UTF-8 without space or '+')",
               key_name="runproof-\u00e9")
    odd_body = checkpoint("percent-encoded-ids-at-6", odd6,
                          "tenant_id %s and trace_id %s: every byte but A-Z a-z 0-9 - . _ ~ of their "
                          "UTF-8 is written %%XX (uppercase hex)" % (json.dumps(ODD_TENANT), json.dumps(ODD_TRACE)))
    assert odd_body.split(b"\n")[0] == (b"runproof/tenant%20acme%2B%C3%A9%2F%25~._-/"
                                        b"trace%2F1%20%2B%25%C3%A9%3A%C3%BC"), odd_body
    checkpoint("percent-encoded-ids-at-3", odd3, "the same trace's seal at chain_length 3")

    # Notes: files opened with one verifier key (positive ones are the checkpoints above).
    note_cases = []

    def note_case(name, data, verified, description, vkey_text=test_vkey, opens=None, reason=None):
        """opens: what Go's note.Open with this verifier key gives (defaults to verified;
        None when note.NewVerifier refuses the key)."""
        if name in notes:
            assert notes[name] == data, name
        notes[name] = data
        code, got = rv.check_checkpoint_note(data, vkey_text)
        if opens is None and code != 64:
            opens = verified
        case = {"name": name, "description": description, "file": "checkpoints/%s.txt" % name,
                "vkey": vkey_text, "verified": verified, "exit_code": code, "opens": opens,
                "reason_contains": reason, "origin": None, "size": None, "root_hash": None,
                "head": None}
        if verified:
            case.update(origin=got["origin"], size=got["size"], root_hash=got["root_hash"], head=got["head"])
        assert got["verified"] == verified and code == (0 if verified else case["exit_code"]), (name, got)
        assert verified or code in (1, 64), (name, code)
        if reason:
            assert reason in got["reason"].lower(), (name, got)
        note_cases.append(case)

    for c in checkpoints:
        note_case(c["name"], notes[c["name"]], True, "the signed note of checkpoints[] %s" % c["name"],
                  vkey_text=c["vkey"])
        assert note_cases[-1]["origin"] == c["origin"] and note_cases[-1]["head"] == c["seal"]["head"]

    valid = notes["export-base-at-6"]
    text6 = valid.decode("utf-8")
    line6 = text6.rstrip("\n").rsplit("\n", 1)[1]
    body6_text = body6.decode("utf-8")
    s4_root = base64.b64encode(bytes.fromhex(s4["seal"]["merkle_root"])).decode("ascii")

    def note_of(body_text, *lines):
        return (body_text + "\n" + "".join(x + "\n" for x in lines)).encode("utf-8")

    note_case("root-changed", note_of(body6_text.replace(b64root6, s4_root), line6), False,
              "the root hash line replaced by the root at 4, signature line kept", reason="invalid signature")
    note_case("size-changed", note_of(body6_text.replace("\n6\n", "\n7\n", 1), line6), False,
              "size 6 -> 7, signature line kept", reason="invalid signature")
    note_case("head-changed", note_of(body6_text.replace(chain["head"], flip_hex(chain["head"])), line6),
              False, "first hex digit of the runproof-head extension changed, signature line kept",
              reason="invalid signature")
    note_case("origin-changed", note_of(body6_text.replace("tenant-acme", "tenant-other"), line6), False,
              "the origin's tenant changed, signature line kept", reason="invalid signature")
    other_line = note_signature_line(body6, name0, b_key)
    note_case("signed-by-other-key", note_of(body6_text, other_line), False,
              "the same body signed by other-key under the name runproof: its key hash is not the "
              "test key's, so the line is an unknown signer and no signature is verifiable",
              reason="no verifiable signatures")
    note_case("signed-by-other-key-with-other-vkey", note_of(body6_text, other_line), True,
              "the same note opened with other-key's vkey", vkey_text=vk[("other-key.pub.pem", name0)])
    a_hash = rv.note_key_hash(name0, a_raw)
    other_sig = base64.b64decode(other_line.rsplit(" ", 1)[1])[4:]
    note_case("other-key-signature-test-key-hash", note_of(body6_text, forge_line(name0, a_hash, other_sig)),
              False, "other-key's signature bytes behind the test key's key hash: the known key's line "
              "does not verify", reason="invalid signature")
    note_case("wrong-vkey-name", valid, False,
              "the valid note (signed under runproof) opened with the test key's vkey under the name "
              "%s: no line of that (name, key hash)" % CUSTOM_KEY_NAME,
              vkey_text=vk[("test-key.pub.pem", CUSTOM_KEY_NAME)], reason="no verifiable signatures")
    note_case("line-name-changed", note_of(body6_text, line6.replace("\u2014 runproof ", "\u2014 runproof2 ", 1)),
              False, "the signature line's name changed to runproof2 (key hash and signature kept): an "
              "unknown signer", reason="no verifiable signatures")
    b64 = line6.rsplit(" ", 1)[1]
    note_case("bad-base64", note_of(body6_text, "\u2014 runproof " + b64[:30] + "!" + b64[31:]), False,
              "one character of the signature's base64 replaced by '!'", reason="malformed")
    note_case("unpadded-base64", note_of(body6_text, "\u2014 runproof " + b64.rstrip("=")), False,
              "the signature's base64 without its '=' padding (Go's StdEncoding refuses it)", reason="malformed")
    note_case("missing-blank-line", (body6_text + line6 + "\n").encode("utf-8"), False,
              "the signature line directly after the body, no blank line", reason="malformed")
    note_case("missing-final-newline", valid[:-1], False,
              "the note without its final newline", reason="malformed")
    note_case("ascii-dash", note_of(body6_text, line6.replace("\u2014", "--", 1)), False,
              "the signature line starts with \"-- \" instead of U+2014 EM DASH and a space", reason="malformed")
    note_case("control-character-tab", rv.sign_note(body6_text.replace("\n6\n", "\n6\t\n", 1), name0,
                                                    a_key).encode("utf-8"), False,
              "a tab after the size, correctly signed: a note holds no control character but newline",
              reason="control character")
    note_case("control-character-crlf", rv.sign_note(body6_text.replace("\n", "\r\n"), name0,
                                                     a_key).replace("\n", "\r\n").encode("utf-8"), False,
              "CRLF line endings throughout", reason="control character")
    note_case("invalid-utf8", rv.sign_note(body6_text, name0, a_key).encode("utf-8").replace(
        b"tenant-acme", b"tenant-\xffacme", 1), False, "a 0xFF byte in the origin: not UTF-8",
        reason="utf-8")
    note_case("empty-file", b"", False, "an empty file", reason="malformed")
    note_case("extra-unknown-signer", note_of(body6_text, line6, note_signature_line(body6, "witness.example", b_key)),
              True, "the valid note with a second line by other-key under witness.example: unknown signers "
              "are ignored")
    note_case("unknown-signer-first", note_of(body6_text, other_line, line6), True,
              "other-key's line (an unknown signer) before the test key's line")
    note_case("duplicate-line", note_of(body6_text, line6, line6), True,
              "the test key's line twice: a repeated signature by one key is ignored")
    bad_line = flip_line_signature(line6)
    note_case("bad-then-good", note_of(body6_text, bad_line, line6), False,
              "a damaged line by the test key, then the valid one: the known key's first line decides "
              "(Go's note.Open)", reason="invalid signature")
    note_case("good-then-bad", note_of(body6_text, line6, bad_line), True,
              "the valid line, then a damaged one by the same key: Go's note.Open ignores a key's "
              "repeated lines unchecked")
    note_case("short-signature", note_of(body6_text, forge_line(name0, a_hash, b"")), False,
              "a line whose base64 holds only the 4-byte key hash (fewer than 5 bytes)", reason="malformed")
    note_case("truncated-signature", note_of(body6_text, forge_line(name0, a_hash, other_sig[:32])), False,
              "the test key's key hash and 32 signature bytes", reason="invalid signature")
    note_case("blank-line-in-body", rv.sign_note(body6_text.replace("\n6\n", "\n\n6\n", 1), name0,
                                                 a_key).encode("utf-8"), False,
              "a body with an empty line after the origin, signed: the note is split at its last blank "
              "line, so it opens as a note, but the text is not a checkpoint", opens=True,
              reason="not a checkpoint")
    note_case("not-a-checkpoint", rv.sign_note("hello\n", name0, a_key).encode("utf-8"), False,
              "a signed note whose text is \"hello\\n\": it opens, but is not a checkpoint", opens=True,
              reason="not a checkpoint")
    note_case("size-leading-zero", rv.sign_note(body6_text.replace("\n6\n", "\n06\n", 1), name0,
                                                a_key).encode("utf-8"), False,
              "size written 06, signed: not a checkpoint (no leading zeros)", opens=True, reason="size")
    note_case("root-hash-short", rv.sign_note(body6_text.replace(b64root6, base64.b64encode(
        bytes.fromhex(chain["merkle_root"])[:31]).decode("ascii")), name0, a_key).encode("utf-8"), False,
        "root hash of 31 bytes, signed: not a checkpoint (a SHA-256 root has 32)", opens=True,
        reason="root hash")
    note_case("two-head-lines", rv.sign_note(body6_text + "runproof-head " + chain["head"] + "\n", name0,
                                             a_key).encode("utf-8"), False,
              "two runproof-head extension lines, signed: a valid note and checkpoint, but not a "
              "RunProof checkpoint", opens=True, reason="runproof-head")
    no_head = body6_text.rsplit("runproof-head", 1)[0]
    note_case("no-head-line", rv.sign_note(no_head, name0, a_key).encode("utf-8"), True,
              "a checkpoint without the runproof-head extension (as another log would write it): "
              "verified, head null")
    note_case("other-extension", rv.sign_note(body6_text + "witness-count 2\n", name0, a_key).encode("utf-8"),
              True, "an extra extension line after runproof-head: other extensions are allowed")
    a_b64 = base64.b64encode(b"\x01" + a_raw).decode("ascii")
    note_case("vkey-hash-mismatch", valid, False, "a vkey whose 8 hex digits are not its key hash",
              vkey_text="%s+%s+%s" % (name0, flip_hex(a_hash.hex()), a_b64), reason="hash")
    alg2 = b"\x02" + a_raw
    note_case("vkey-unknown-algorithm", valid, False, "a vkey with algorithm byte 0x02 (its key hash matches)",
              vkey_text="%s+%s+%s" % (name0, rv.H(name0.encode() + b"\n" + alg2)[:4].hex(),
                                      base64.b64encode(alg2).decode("ascii")), reason="algorithm")
    note_case("vkey-malformed", valid, False, "a vkey with 7 hex digits",
              vkey_text="%s+%s+%s" % (name0, a_hash.hex()[:7], a_b64), reason="malformed")
    note_case("vkey-name-with-space", valid, False, "a vkey whose name holds a space",
              vkey_text="run proof+%s+%s" % (rv.H(b"run proof\n\x01" + a_raw)[:4].hex(), a_b64),
              reason="malformed")
    write_case_files(os.path.join(out_dir, "checkpoints"), ".txt", notes)

    # Seal records carrying checkpoint_signature, in exports, bundles and proofs.
    cs = CaseSet(out_dir, "checkpoints")
    valid_kw = dict(chain_length=6, unsealed=0, head=chain["head"], root=chain["merkle_root"])
    c2, c4, c6 = (with_checkpoint(r, a_key) for r in (s2, s4, s6))
    cclose = with_checkpoint(close6, a_key)
    assert cclose["checkpoint_signature"] == c6["checkpoint_signature"]
    base = "the export base trace (6 steps, seals at 2, 4, 6 by the test key), every seal line with its " \
           "checkpoint_signature (key name runproof)"

    def export(name, seal_list, verdict, kind, description, file_name=None, rows=steps, hdr=header, **kw):
        data = export_file(hdr, rows, [], seal_list)
        cs.case(name, (file_name or name) + ".ndjson", data, verdict, None, kind, description, **kw)

    export("export-valid", [c2, c4, c6], "HASH_CHAIN", None, base, **valid_kw)
    export("export-valid-no-pubkey", [c2, c4, c6], "HASH_CHAIN", None,
           "the same file without a public key: checkpoint signatures are not checked",
           file_name="export-valid", pubkey=None, authenticity="unchecked", **valid_kw)
    export("export-valid-keyring", [c2, c4, c6], "HASH_CHAIN", None,
           "the same file with the keyring of key A (the test key) only: every seal's "
           "checkpoint_signature checked with its keyring key", file_name="export-valid", pubkey=None,
           keyring="keyrings/a-only.json", authenticity="keyring", **valid_kw)
    export("export-custom-key-name", [with_checkpoint(r, a_key, CUSTOM_KEY_NAME) for r in (s2, s4, s6)],
           "HASH_CHAIN", None, base.replace("key name runproof", "key name " + CUSTOM_KEY_NAME) +
           ": the key hash is taken under the line's own name", **valid_kw)
    export("export-closed", [c2, c4, c6, cclose], "HASH_CHAIN", None,
           base + ", then a closing seal at 6 whose checkpoint_signature equals the seal at 6's",
           closed=True, **valid_kw)
    cs.case("export-percent-encoded-ids", "export-percent-encoded-ids.ndjson",
            export_file(odd_header, steps, [], [with_checkpoint(r, a_key) for r in (odd3, odd6)]),
            "HASH_CHAIN", None, None,
            "the 6 export base steps under tenant_id %s and trace_id %s, seals at 3 and 6 with "
            "checkpoint_signature (origins percent-encoded)" % (json.dumps(ODD_TENANT), json.dumps(ODD_TRACE)),
            chain_length=6, unsealed=0, head=odd_chain["head"], root=odd_chain["merkle_root"])
    bad6 = dict(c6, checkpoint_signature=flip_line_signature(c6["checkpoint_signature"]))
    export("export-bad-checkpoint-signature", [c2, c4, bad6], "FAILED", "signature",
           base + "; one base64 character of the Ed25519 signature in the latest seal's "
           "checkpoint_signature changed (its seal signature is intact)", reason="checkpoint_signature")
    export("export-bad-checkpoint-signature-no-pubkey", [c2, c4, bad6], "HASH_CHAIN", None,
           "the same file without a public key: not checked", file_name="export-bad-checkpoint-signature",
           pubkey=None, authenticity="unchecked", **valid_kw)
    bad4 = dict(c4, checkpoint_signature=flip_line_signature(c4["checkpoint_signature"]))
    export("export-bad-checkpoint-signature-4", [c2, bad4, c6], "FAILED", "signature",
           base + "; the checkpoint_signature of the earlier seal at 4 (signed by the same key) damaged",
           reason="seal at chain_length 4")
    export("export-checkpoint-of-other-seal", [c2, c4, dict(c6, checkpoint_signature=c4["checkpoint_signature"])],
           "FAILED", "signature", base + "; the seal at 6 carries the checkpoint_signature of the seal at 4",
           reason="does not verify")
    export("export-checkpoint-by-other-key", [c2, c4, with_checkpoint(s6, b_key)], "FAILED", "signature",
           base + "; the latest seal's checkpoint_signature made by other-key (seal signed by the test key)",
           reason="key hash")
    forged = note_signature_line(rv.checkpoint_body(s6["seal"]), CUSTOM_KEY_NAME, a_key).replace(
        "\u2014 %s " % CUSTOM_KEY_NAME, "\u2014 runproof ", 1)
    export("export-checkpoint-key-hash-other-name", [c2, c4, dict(s6, checkpoint_signature=forged)],
           "FAILED", "signature",
           base + "; the latest line says runproof but carries the key hash (and a valid signature) "
           "of the test key under %s" % CUSTOM_KEY_NAME, reason="key hash")
    cp = c6["checkpoint_signature"]
    export("export-checkpoint-bad-base64", [c2, c4, dict(c6, checkpoint_signature=cp[:40] + "!" + cp[41:])],
           "FAILED", "signature", base + "; a '!' in the latest line's base64", reason="malformed")
    export("export-checkpoint-ascii-dash", [c2, c4, dict(c6, checkpoint_signature=cp.replace("\u2014", "-", 1))],
           "FAILED", "signature", base + "; the latest line starts with '-' instead of U+2014",
           reason="checkpoint_signature")
    export("export-checkpoint-trailing-newline", [c2, c4, dict(c6, checkpoint_signature=cp + "\n")],
           "FAILED", "signature", base + "; the latest line ends with a newline (the record holds the "
           "line without it)", reason="checkpoint_signature")
    export("export-checkpoint-not-string", [c2, c4, dict(c6, checkpoint_signature=1)], "FAILED", "seal",
           base + "; the latest record's checkpoint_signature is the number 1: a malformed seal line "
           "(no seal read: authenticity unsigned)", authenticity="unsigned", reason="checkpoint_signature")
    u = seal_lines(header, steps, [2, 4, 6], None, None, signed=False)
    export("export-unsigned-with-checkpoint", u[:2] + [dict(u[2], checkpoint_signature=cp)], "FAILED", "seal",
           "unsigned seals at 2, 4, 6; the unsigned seal at 6 carries a checkpoint_signature: a malformed "
           "seal line, as an unsigned seal with a signature", authenticity="unsigned",
           reason="checkpoint_signature")
    export("export-extra-key", [c2, c4, dict(c6, checkpoint="x")], "FAILED", "seal",
           base + "; the latest record also has a key \"checkpoint\": any other key is a malformed seal line",
           authenticity="unsigned", reason="unexpected key")

    # Rotation: A's seals at 2 and 4, B's at 6, each with a checkpoint by its own key; A's at 2 damaged.
    r2, r4 = seal_lines(header, steps, [2, 4], a_key, a_id)
    r6 = seal_lines(header, steps, [6], b_key, b_id)[0]
    rot_bad = [dict(with_checkpoint(r2, a_key), checkpoint_signature=flip_line_signature(
        with_checkpoint(r2, a_key)["checkpoint_signature"])), with_checkpoint(r4, a_key), with_checkpoint(r6, b_key)]
    rdesc = ("seals at 2 and 4 by key A (test key), at 6 by key B (other key), each with a checkpoint_signature "
             "by its own key; the one of A's seal at 2 damaged; ")
    export("rotation-bad-checkpoint-pubkey-b", rot_bad, "HASH_CHAIN", None,
           rdesc + "public key B: A's seals are checkpoints, their lines are not checked",
           file_name="rotation-bad-checkpoint", pubkey="other-key.pub.pem", **valid_kw)
    export("rotation-bad-checkpoint-keyring", rot_bad, "FAILED", "signature",
           rdesc + "the rotation keyring: every seal's line is checked with its key",
           file_name="rotation-bad-checkpoint", pubkey=None, keyring="keyrings/rotation.json",
           authenticity="keyring", reason="seal at chain_length 2")

    # Bundles.
    evidence = bundle_evidence(header["run_id"])
    governance = bundle_governance(header["tenant_id"], header["run_id"])
    cs.case("bundle-valid", "bundle-valid.ndjson",
            rv.build_bundle(header, steps, [c2, c4, c6], evidence, governance, a_key, ts(400, day=3)),
            "HASH_CHAIN", None, None, "an audit bundle of " + base, type="bundle",
            chain_length=6, head=chain["head"], root=chain["merkle_root"])
    cs.case("bundle-bad-checkpoint-signature", "bundle-bad-checkpoint-signature.ndjson",
            rv.build_bundle(header, steps, [c2, c4, bad6], evidence, governance, a_key, ts(400, day=3)),
            "FAILED", None, "signature",
            "the same bundle built (and signed) with the latest seal's checkpoint_signature damaged",
            type="bundle", reason="checkpoint_signature")

    # Proofs.
    def proof_file(proof):
        return rv.jcs(proof) + b"\n"

    cs.case("proof-inclusion", "proof-inclusion.json",
            proof_file(rv.build_inclusion_proof(header, c6, leaves, [3], {3: steps[3]})), "HASH_CHAIN", None,
            None, "inclusion of step 3 in the seal at 6, whose record carries its checkpoint_signature",
            type="proof", chain_length=6, head=chain["head"], root=chain["merkle_root"])
    cs.case("proof-inclusion-bad-checkpoint", "proof-inclusion-bad-checkpoint.json",
            proof_file(rv.build_inclusion_proof(header, bad6, leaves, [3], {3: steps[3]})), "FAILED", None,
            "signature", "the same proof with the seal's checkpoint_signature damaged", type="proof",
            reason="checkpoint_signature")
    cs.case("proof-consistency", "proof-consistency.json",
            proof_file(rv.build_consistency_proof(header, c2, c6, leaves)), "HASH_CHAIN", None, None,
            "the seal at 6 extends the seal at 2, both records with their checkpoint_signature", type="proof",
            chain_length=6, head=chain["head"], root=chain["merkle_root"])
    bad2 = dict(c2, checkpoint_signature=flip_line_signature(c2["checkpoint_signature"]))
    cs.case("proof-consistency-bad-first-checkpoint", "proof-consistency-bad-first-checkpoint.json",
            proof_file(rv.build_consistency_proof(header, bad2, c6, leaves)), "FAILED", None, "signature",
            "the same proof with the first seal's (test key's) checkpoint_signature damaged: a first seal "
            "by the trusted key is checked too", type="proof", reason="first seal")
    result = cs.result()
    return {"keys": key_entries, "checkpoints": checkpoints, "notes": note_cases, "cases": result["cases"]}


# ---------------------------------------------------------------------------------------
# Inclusion proofs as c2sp.org/tlog-proof (10.1), witness cosignatures (10.2) and
# verification receipts (10.3)
# ---------------------------------------------------------------------------------------

WITNESS_NAMES = ["witness1.example", "witness2.example", "witness3.example", "witness4.example"]
COSIGN_TIME = 1767261600  # 2026-01-01T10:00:00Z, the first cosignature's time (then + 60 s per witness)


def witness_keys():
    """PUBLISHED TEST witness keys: Ed25519 seeds H("runproof test witness " + name)."""
    out = []
    for number, name in enumerate(WITNESS_NAMES):
        seed = hashlib.sha256(("runproof test witness " + name).encode("ascii")).digest()
        key = Ed25519PrivateKey.from_private_bytes(seed)
        raw = key.public_key().public_bytes(rv.serialization.Encoding.Raw, rv.serialization.PublicFormat.Raw)
        out.append({"name": name, "seed": seed, "key": key, "raw": raw, "vkey": rv.witness_vkey(name, raw),
                    "time": COSIGN_TIME + 60 * number})
    return out


def cosign(witness, body, time=None):
    return rv.cosignature_line(body, witness["name"], witness["key"], witness["time"] if time is None else time)


def add_lines(note, *lines):
    """The note with signature lines appended after its last one."""
    return note + "".join(x + "\n" for x in lines)


def tlog_proof_vectors(out_dir, keys, witnesses):
    (a_key, a_id, a_pem), (b_key, b_id, b_pem) = keys["test"], keys["other"]
    a_raw, b_raw = rv.public_key_raw(a_pem), rv.public_key_raw(b_pem)
    name0 = rv.DEFAULT_KEY_NAME
    test_vkey, custom_vkey = rv.vkey(name0, a_raw), rv.vkey(CUSTOM_KEY_NAME, a_raw)
    other_vkey = rv.vkey(name0, b_raw)
    header, steps8 = export_base()
    steps = steps8[:6]
    chain = rv.compute_chain(header, steps)
    leaves = [bytes.fromhex(x) for x in chain["leaves"]]
    s1, s2, s4, s6 = seal_lines(header, steps, [1, 2, 4, 6], a_key, a_id)
    odd_header = make_header("run-checkpoint-0001", tenant=ODD_TENANT, trace_id=ODD_TRACE,
                             plan={"goal": "percent-encoded origin"})
    odd_chain = rv.compute_chain(odd_header, steps)
    odd3 = seal_lines(odd_header, steps, [3], a_key, a_id)[0]

    def note(record, key=a_key, name=name0):
        return rv.sign_note(rv.checkpoint_body(record["seal"]), name, key)

    note6 = note(s6)
    with open(os.path.join(out_dir, "checkpoints", "export-base-at-6.txt"), "rb") as f:
        assert f.read() == note6.encode("utf-8"), "the note at 6 is checkpoints/export-base-at-6.txt"

    def proof(index, record, note_text, extra=None, index_line=None, path=None):
        size = record["seal"]["chain_length"]
        if path is None:
            path = rv.inclusion_path(leaves[:size], index)
        text = rv.build_tlog_proof(rv.jcs(steps[index]) if extra is None else extra, index, path, note_text)
        if index_line is not None:
            text = text.replace("\nindex %d\n" % index, "\n%s\n" % index_line, 1)
        return text.encode("utf-8")

    files, cases = {}, []
    root = {1: chain["merkle_roots"][0], 2: chain["merkle_roots"][1], 4: chain["merkle_roots"][3],
            6: chain["merkle_root"]}

    def case(name, data, description, verdict, failing=None, kind=None, vkey=test_vkey, pubkey=None,
             authenticity=None, size=None, merkle_root=None, reason=None, file_name=None):
        file_name = file_name or name
        if file_name in files:
            assert files[file_name] == data, file_name
        files[file_name] = data
        if authenticity is None:
            authenticity = "pubkey" if (vkey or pubkey) else "unchecked"
        pem = None
        if pubkey:
            with open(os.path.join(out_dir, pubkey), "r", encoding="ascii") as f:
                pem = f.read()
        got = rv.verify_tlog_proof(data, vkey, pem)
        expected = {"verdict": verdict, "failing_step_index": failing, "failure_kind": kind,
                    "authenticity": authenticity}
        assert {k: got[k] for k in expected} == expected, (name, got)
        if verdict == "HASH_CHAIN":
            assert (got["chain_length"], got["merkle_root"]) == (size, merkle_root), (name, got)
        if reason:
            assert reason in got["reason"].lower(), (name, got["reason"])
        cases.append({"name": name, "description": description, "file": "tlog-proofs/%s.tlog-proof" % file_name,
                      "vkey": vkey, "pubkey": pubkey, "verdict": verdict, "failing_step_index": failing,
                      "failure_kind": kind, "authenticity": authenticity, "chain_length": size,
                      "merkle_root": merkle_root, "reason_contains": reason})

    ok = dict(verdict="HASH_CHAIN", size=6, merkle_root=root[6])
    p3 = proof(3, s6, note6)
    base = "step 3 of the export base trace (exports/valid.ndjson) against its checkpoint at 6 " \
           "(checkpoints/export-base-at-6.txt, test key, key name runproof)"
    case("step-3-at-6", p3, base + ", checked with the test key's vkey", **ok)
    case("step-3-at-6-pubkey", p3, base + ", checked with --pubkey test-key.pub.pem (the key name is taken "
         "from the signature line)", vkey=None, pubkey="test-key.pub.pem", file_name="step-3-at-6", **ok)
    case("step-3-at-6-no-key", p3, base + ", without a key: inclusion checked, authenticity unchecked",
         vkey=None, file_name="step-3-at-6", **ok)
    case("step-0-at-6", proof(0, s6, note6), "step 0 against the checkpoint at 6", **ok)
    case("step-5-at-6", proof(5, s6, note6), "step 5 (the last leaf) against the checkpoint at 6", **ok)
    case("step-1-at-4", proof(1, s4, note(s4)), "step 1 against the checkpoint at 4",
         verdict="HASH_CHAIN", size=4, merkle_root=root[4])
    case("step-0-at-2", proof(0, s2, note(s2)), "step 0 against the checkpoint at 2, --pubkey",
         vkey=None, pubkey="test-key.pub.pem", verdict="HASH_CHAIN", size=2, merkle_root=root[2])
    p01 = proof(0, s1, note(s1))
    assert b"\nindex 0\n\n" in p01
    case("step-0-at-1", p01, "step 0 against a checkpoint at 1 (a seal at 1 that no export carries): "
         "the root is the leaf itself, the path is empty (the index line is followed by the blank line)",
         verdict="HASH_CHAIN", size=1, merkle_root=root[1])
    custom = proof(3, s6, note(s6, name=CUSTOM_KEY_NAME))
    case("custom-key-name-vkey", custom, "step 3 at 6, checkpoint signed under the key name %s, checked "
         "with that vkey" % CUSTOM_KEY_NAME, vkey=custom_vkey, file_name="custom-key-name", **ok)
    case("custom-key-name-pubkey", custom, "the same proof with --pubkey: the name %s is taken from the "
         "signature line" % CUSTOM_KEY_NAME, vkey=None, pubkey="test-key.pub.pem", file_name="custom-key-name", **ok)
    case("custom-key-name-runproof-vkey", custom, "the same proof checked with the vkey of the name runproof: "
         "no signature by that (name, key hash)", file_name="custom-key-name", verdict="FAILED",
         kind="signature", reason="not signed by the given key")
    odd_note = note(odd3)
    case("percent-encoded-ids", proof(2, odd3, odd_note), "step 2 of the trace with "
         "tenant_id %s and trace_id %s against its checkpoint at 3 (percent-encoded origin)" % (
             json.dumps(ODD_TENANT), json.dumps(ODD_TRACE)),
         verdict="HASH_CHAIN", size=3, merkle_root=odd_chain["merkle_roots"][2])
    body6 = rv.checkpoint_body(s6["seal"])
    w1, w2 = witnesses[0], witnesses[1]
    cosigned = proof(3, s6, add_lines(note6, cosign(w1, body6), cosign(w2, body6)))
    case("cosigned-checkpoint", cosigned, base + ", the checkpoint cosigned by witness1.example and "
         "witness2.example (cosignatures/cosigned-2.txt): the log's vkey ignores the witness lines", **ok)
    other_signed = proof(3, s6, note(s6, key=b_key))
    case("signed-by-other-key", other_signed, "step 3 at 6, checkpoint signed by other-key under runproof, "
         "checked with the test key's vkey", verdict="FAILED", kind="signature", reason="not signed by the given key")
    case("signed-by-other-key-pubkey", other_signed, "the same proof with --pubkey test-key.pub.pem",
         vkey=None, pubkey="test-key.pub.pem", file_name="signed-by-other-key", verdict="FAILED", kind="signature")
    case("signed-by-other-key-other-vkey", other_signed, "the same proof checked with other-key's vkey",
         vkey=other_vkey, file_name="signed-by-other-key", **ok)

    # Negatives.
    changed = dict(steps[3], params={"n": 99, "name": SKILLS[3], "w": 0.3})
    p_changed = proof(3, s6, note6, extra=rv.jcs(changed))
    case("extra-changed", p_changed, base + "; the step in extra has params.n 99 (canonical, step_index 3): "
         "its leaf is not in the tree", verdict="FAILED", failing=3, kind="mismatch", reason="not included")
    case("extra-changed-no-key", p_changed, "the same proof without a key", vkey=None, file_name="extra-changed",
         verdict="FAILED", failing=3, kind="mismatch")
    case("index-changed", proof(3, s6, note6, index_line="index 4"), base + "; the index line says 4 "
         "(extra and path of step 3): extra's step_index is not the index", verdict="FAILED", failing=4,
         kind="not canonical", reason="step_index")
    case("extra-step-index-changed", proof(3, s6, note6, extra=rv.jcs(dict(steps[3], step_index=4))),
         base + "; extra is step 3 with step_index 4 (canonical), the index line says 3", verdict="FAILED",
         failing=3, kind="not canonical", reason="step_index")
    path3 = rv.inclusion_path(leaves, 3)
    case("extra-and-index-of-step-4", proof(4, s6, note6, path=path3), "extra and index of step 4, the "
         "audit path of step 3", verdict="FAILED", failing=4, kind="mismatch")
    bad_path = [bytes([path3[0][0] ^ 0x01]) + path3[0][1:]] + path3[1:]
    case("path-hash-changed", proof(3, s6, note6, path=bad_path), base + "; the first path hash has one bit "
         "flipped", verdict="FAILED", failing=3, kind="mismatch")
    case("path-hash-missing", proof(3, s6, note6, path=path3[:-1]), base + "; the last path hash removed",
         verdict="FAILED", failing=3, kind="mismatch")
    case("path-hash-added", proof(3, s6, note6, path=path3 + [leaves[0]]), base + "; a fourth path hash added",
         verdict="FAILED", failing=3, kind="mismatch")
    case("index-beyond-size", rv.build_tlog_proof(rv.jcs(steps8[6]), 6, rv.inclusion_path(leaves, 5),
                                                  note6).encode("utf-8"),
         "the unsealed 7th step (index 6) with the path of step 5 against the checkpoint at 6: an index "
         "outside the tree", verdict="FAILED", failing=6, kind="mismatch")
    root6_b64 = base64.b64encode(bytes.fromhex(root[6])).decode("ascii")
    root4_b64 = base64.b64encode(bytes.fromhex(root[4])).decode("ascii")
    assert note6.count(root6_b64) == 1
    p_root = proof(3, s6, note6.replace(root6_b64, root4_b64))
    case("checkpoint-root-changed", p_root, base + "; the checkpoint's root hash line replaced by the root at 4, "
         "its signature line kept", verdict="FAILED", kind="signature", reason="invalid signature")
    case("checkpoint-root-changed-no-key", p_root, "the same proof without a key: step 3 is not in the tree of "
         "that root", vkey=None, file_name="checkpoint-root-changed", verdict="FAILED", failing=3, kind="mismatch")
    case("checkpoint-unsigned", proof(3, s6, body6.decode("utf-8")), base + "; the checkpoint body without its "
         "blank line and signature line", verdict="FAILED", kind="signature", authenticity="unsigned")
    case("checkpoint-unsigned-no-key", proof(3, s6, body6.decode("utf-8")), "the same proof without a key: "
         "no signed checkpoint", vkey=None, file_name="checkpoint-unsigned", verdict="FAILED",
         kind="not canonical", authenticity="unsigned", reason="malformed")
    pretty = json.dumps(steps[3], indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
    case("extra-not-canonical", proof(3, s6, note6, extra=pretty), base + "; extra is step 3 written with "
         "indentation (not JCS)", verdict="FAILED", failing=3, kind="not canonical", reason="canonical")
    case("extra-not-json", proof(3, s6, note6, extra=b"step 3"), base + "; extra is the text \"step 3\"",
         verdict="FAILED", failing=3, kind="not canonical", reason="not json")
    text3 = p3.decode("utf-8")
    proof_block, note_part = text3.split("\n\n", 1)
    case("malformed-no-blank-line", (proof_block + "\n" + note_part).encode("utf-8"), base + "; the blank line "
         "between the path and the checkpoint removed (the checkpoint's lines are then read as path lines)",
         verdict="FAILED", kind="not canonical", authenticity="unsigned", reason="malformed")
    case("malformed-no-blank-line-at-all", (proof_block + "\n" + note_part.replace("\n\n", "\n")).encode("utf-8"),
         base + "; both blank lines removed", verdict="FAILED", kind="not canonical", authenticity="unsigned",
         reason="no blank line")
    extra_line = proof_block.split("\n")[1]
    case("malformed-extra-bad-base64", text3.replace(extra_line, extra_line[:20] + "!" + extra_line[21:], 1).encode(
        "utf-8"), base + "; a '!' in extra's base64", verdict="FAILED", kind="not canonical", reason="base64")
    path_line = proof_block.split("\n")[3]
    assert path_line.endswith("=")
    case("malformed-path-unpadded", text3.replace(path_line, path_line.rstrip("="), 1).encode("utf-8"),
         base + "; the first path line's base64 without its '=' padding", verdict="FAILED", kind="not canonical",
         reason="path line")
    case("malformed-path-bad-base64", text3.replace(path_line, path_line[:10] + "!" + path_line[11:], 1).encode(
        "utf-8"), base + "; a '!' in the first path line", verdict="FAILED", kind="not canonical", reason="path line")
    case("malformed-path-short-hash", text3.replace(path_line, base64.b64encode(path3[0][:31]).decode("ascii"),
                                                    1).encode("utf-8"),
         base + "; the first path line holds 31 bytes", verdict="FAILED", kind="not canonical", reason="path line")
    case("malformed-no-extra", text3.replace(extra_line + "\n", "", 1).encode("utf-8"), base + "; the extra line "
         "removed (c2sp.org/tlog-proof allows it; a RunProof proof carries the step there)", verdict="FAILED",
         kind="not canonical", reason="extra")
    case("malformed-index-negative", text3.replace("\nindex 3\n", "\nindex -1\n", 1).encode("utf-8"),
         base + "; the index line says -1", verdict="FAILED", kind="not canonical", reason="index")
    write_case_files(os.path.join(out_dir, "tlog-proofs"), ".tlog-proof", files)
    return {"cases": cases}


def cosignature_vectors(out_dir, keys, witnesses):
    (a_key, a_id, a_pem), (b_key, b_id, b_pem) = keys["test"], keys["other"]
    a_raw = rv.public_key_raw(a_pem)
    name0 = rv.DEFAULT_KEY_NAME
    log_vkey = rv.vkey(name0, a_raw)
    header, steps8 = export_base()
    steps = steps8[:6]
    _, s4, s6 = seal_lines(header, steps, [2, 4, 6], a_key, a_id)
    body6, body4 = rv.checkpoint_body(s6["seal"]), rv.checkpoint_body(s4["seal"])
    note6 = rv.sign_note(body6, name0, a_key)
    with open(os.path.join(out_dir, "checkpoints", "export-base-at-6.txt"), "rb") as f:
        assert f.read() == note6.encode("utf-8"), "the note at 6 is checkpoints/export-base-at-6.txt"
    w1, w2, w3, w4 = witnesses
    c1, c2, c3, c4 = (cosign(w, body6) for w in witnesses)
    lines = [{"witness": w["name"], "time": w["time"], "body": body6.decode("utf-8"), "line": c}
             for w, c in ((w1, c1), (w2, c2), (w3, c3), (w4, c4))]
    c1_at_4 = cosign(w1, body4)
    lines.append({"witness": w1["name"], "time": w1["time"], "body": body4.decode("utf-8"), "line": c1_at_4})

    files = {}
    files["cosigned-1"] = add_lines(note6, c1)
    files["cosigned-2"] = add_lines(note6, c1, c2)
    files["cosigned-3"] = add_lines(note6, c1, c2, c3)
    files["other-body"] = add_lines(note6, c1_at_4, c2)
    prefix, b64 = c1.rsplit(" ", 1)
    blob = bytearray(base64.b64decode(b64))
    blob[11] ^= 0x01  # the last byte of the 8-byte time: time + 1 (or - 1)
    files["time-changed"] = add_lines(note6, prefix + " " + base64.b64encode(bytes(blob)).decode("ascii"), c2)
    # A line under witness1.example's name made with witness4's key (its key hash under that name).
    files["other-key-same-name"] = add_lines(note6, rv.cosignature_line(body6, w1["name"], w4["key"], w1["time"]), c2)
    # witness1.example's key hash, witness4's signature over the right message.
    forged = base64.b64decode(rv.cosignature_line(body6, w1["name"], w4["key"], w1["time"]).rsplit(" ", 1)[1])
    forged = rv.witness_key_hash(w1["name"], w1["raw"]) + forged[4:]
    files["forged-key-hash"] = add_lines(note6, "\u2014 %s %s" % (w1["name"], base64.b64encode(forged).decode("ascii")),
                                         c2)
    unknown_log = note_signature_line(body6, "example.org/other-log", b_key)
    files["unknown-lines"] = add_lines(note6, unknown_log, c4, c1, c2)
    log_line = note6.rstrip("\n").rsplit("\n", 1)[1]
    files["cosignature-first"] = body6.decode("utf-8") + "\n" + "".join(x + "\n" for x in (c1, log_line, c2))
    files["log-signature-bad"] = add_lines(body6.decode("utf-8") + "\n" + flip_line_signature(log_line) + "\n",
                                           c1, c2, c3)
    files["note-signature-by-witness"] = add_lines(note6, note_signature_line(body6, w1["name"], w1["key"]), c2)
    files["repeated-bad-then-good"] = add_lines(note6, files["time-changed"].rstrip("\n").rsplit("\n", 2)[1], c1)
    for name in files:
        files[name] = files[name].encode("utf-8")

    cases = []

    def case(name, file_name, description, witness_list, quorum, verified, cosigned=None, exit_code=None,
             reason=None, vkey=log_vkey):
        data = files[file_name]
        code, got = rv.check_checkpoint_note(data, vkey, [w if isinstance(w, str) else w["vkey"]
                                                           for w in witness_list], quorum)
        if exit_code is None:
            exit_code = 0 if verified else 1
        assert (code, got["verified"]) == (exit_code, verified), (name, code, got)
        if code != 64 and witness_list:
            assert got.get("witnesses") == cosigned, (name, got)
        if reason:
            assert reason in got["reason"].lower(), (name, got["reason"])
        cases.append({"name": name, "description": description, "file": "cosignatures/%s.txt" % file_name,
                      "vkey": vkey, "witnesses": [w if isinstance(w, str) else w["vkey"] for w in witness_list],
                      "quorum": quorum, "verified": verified, "exit_code": exit_code,
                      "cosigned": cosigned if code != 64 and witness_list else None, "reason_contains": reason})

    n1, n2, n3 = w1["name"], w2["name"], w3["name"]
    all3 = [w1, w2, w3]
    base = "checkpoints/export-base-at-6.txt (log key: the test key, name runproof) "
    case("one-of-one", "cosigned-1", base + "cosigned by witness1", [w1], None, True, [n1])
    case("two-of-two", "cosigned-2", base + "cosigned by witness1 and witness2", [w1, w2], None, True, [n1, n2])
    case("three-of-three", "cosigned-3", base + "cosigned by witness1, 2 and 3", all3, None, True, [n1, n2, n3])
    case("three-witnesses-reversed", "cosigned-3", "the same note, the witnesses given in reverse order",
         [w3, w2, w1], None, True, [n3, n2, n1])
    case("two-of-three-quorum-2", "cosigned-2", base + "cosigned by witness1 and 2; witnesses 1, 2, 3, quorum 2",
         all3, 2, True, [n1, n2])
    case("two-of-three-default-quorum", "cosigned-2", "the same note and witnesses, default quorum (all 3)",
         all3, None, False, [n1, n2], reason="2 of 3")
    case("one-of-three-quorum-2", "cosigned-1", base + "cosigned by witness1 only; witnesses 1, 2, 3, quorum 2",
         all3, 2, False, [n1], reason="1 of 3")
    case("one-of-three-quorum-1", "cosigned-1", "the same note, quorum 1", all3, 1, True, [n1])
    case("no-witnesses", "cosigned-3", "the note cosigned by 3 witnesses opened with the log key only: "
         "cosignature lines are unknown signers, ignored", [], None, True)
    case("other-body", "other-body", base + "with witness1's cosignature of the checkpoint at 4 (another body) "
         "and witness2's of this one", [w1, w2], None, False, [n2])
    case("other-body-quorum-1", "other-body", "the same note, quorum 1 of witness1 and witness2", [w1, w2], 1, True,
         [n2])
    case("time-changed", "time-changed", base + "with witness1's cosignature whose 8-byte time was changed "
         "(signature kept) and witness2's", [w1], None, False, [])
    case("other-key-same-name", "other-key-same-name", base + "with a line under witness1.example's name made with "
         "witness4's key (so witness4's key hash under that name) and witness2's", [w1, w2], None, False, [n2])
    case("forged-key-hash", "forged-key-hash", base + "with a line carrying witness1's name and key hash but "
         "witness4's signature, and witness2's", [w1, w2], None, False, [n2])
    case("unknown-lines", "unknown-lines", base + "followed by a note signature of another log (other-key, "
         "example.org/other-log), witness4's cosignature (not given), then witness1's and witness2's: unknown "
         "lines are ignored", [w1, w2], None, True, [n1, n2])
    case("unknown-lines-log-only", "unknown-lines", "the same note opened with the log key only", [], None, True)
    case("cosignature-first", "cosignature-first", "the checkpoint at 6 with witness1's cosignature before the "
         "log's signature line and witness2's after it (order does not matter)", [w1, w2], None, True, [n1, n2])
    case("log-signature-bad", "log-signature-bad", "the checkpoint at 6 cosigned by witness1, 2 and 3, the log's "
         "own signature line damaged: the note does not open", all3, None, False, None, reason="invalid signature")
    case("note-signature-by-witness", "note-signature-by-witness", base + "with a plain note signature (key hash "
         "with algorithm 0x01, no time) by witness1's key under its name, and witness2's cosignature: not a "
         "cosignature/v1", [w1, w2], None, False, [n2])
    case("repeated-bad-then-good", "repeated-bad-then-good", base + "with witness1's damaged line (time changed) "
         "then its valid line: a later valid line of the witness counts", [w1], None, True, [n1])
    note_key_of_w1 = rv.vkey(w1["name"], w1["raw"])
    case("witness-key-algorithm-1", "cosigned-1", "--witness given witness1's key as a note vkey (algorithm 0x01): "
         "not a witness key, usage error", [note_key_of_w1], None, False, exit_code=64, reason="algorithm")
    bad_hash = w1["vkey"].split("+")
    bad_hash[1] = flip_hex(bad_hash[1])
    case("witness-key-hash-mismatch", "cosigned-1", "a witness key whose 8 hex digits are not its key hash",
         ["+".join(bad_hash)], None, False, exit_code=64, reason="hash")
    case("quorum-zero", "cosigned-3", "--witness-quorum 0", all3, 0, False, exit_code=64, reason="quorum")
    case("quorum-above-witnesses", "cosigned-3", "--witness-quorum 4 with 3 witnesses", all3, 4, False,
         exit_code=64, reason="quorum")
    write_case_files(os.path.join(out_dir, "cosignatures"), ".txt", files)
    return {
        "log": {"name": name0, "pubkey": "test-key.pub.pem", "vkey": log_vkey},
        "witnesses": [{"name": w["name"], "seed": w["seed"].hex(), "public_key": w["raw"].hex(),
                       "key_hash": rv.witness_key_hash(w["name"], w["raw"]).hex(), "vkey": w["vkey"]}
                      for w in witnesses],
        "cosignatures": lines,
        "cases": cases,
    }


RECEIPT_VERSION = "0.4.0"


def receipt_statement(header, trace, verdict, reason, failing, kind, authenticity, verified_at):
    subjects = []
    if trace is not None and trace["head"] is not None:
        subjects.append({"digest": {"sha256": trace["head"]},
                         "name": rv.checkpoint_origin(header["tenant_id"], header["trace_id"])})
    return {
        "_type": rv.STATEMENT_TYPE, "predicateType": rv.RECEIPT_PREDICATE_TYPE, "subject": subjects,
        "predicate": {
            "authenticity": authenticity, "failing_step_index": failing, "failure_kind": kind,
            "format": rv.FORMAT, "reason": reason, "run_id": header["run_id"], "runproof_version": RECEIPT_VERSION,
            "tenant_id": header["tenant_id"], "traces": [] if trace is None else [trace], "verdict": verdict,
            "verified_at": verified_at,
        },
    }


def receipt_vectors(out_dir, keys):
    (a_key, a_id, a_pem), (b_key, b_id, b_pem) = keys["test"], keys["other"]
    header, steps8 = export_base()
    steps = steps8[:6]
    verified_at = ts(7200, day=3)

    def trace_of(export_name, pub):
        report = rv.verify_export(os.path.join(out_dir, "exports", export_name), pub)
        with open(os.path.join(out_dir, "exports", export_name), "rb") as f:
            lines = [rv.parse_json(x) for x in f.read().split(b"\n")[1:] if x]
        rows = [x for x in lines if "seal" not in x]
        seals = [x["seal"] for x in lines if "seal" in x]
        chain = rv.compute_chain(header, rows)
        trace = {"trace_id": header["trace_id"], "verdict": report["verdict"], "chain_length": len(rows),
                 "head": chain["head"], "merkle_root": chain["merkle_root"],
                 "sealed_length": int(seals[-1]["chain_length"]), "closed": report["closed"],
                 "failing_step_index": report["failing_step_index"], "failure_kind": report["failure_kind"]}
        if report["verdict"] == "HASH_CHAIN":
            assert (trace["head"], trace["merkle_root"]) == (report["head"], report["merkle_root"])
        return report, trace

    valid_report, valid_trace = trace_of("valid.ndjson", a_pem)
    failed_report, failed_trace = trace_of("changed-step-3.ndjson", a_pem)
    assert failed_report["verdict"] == "FAILED" and failed_trace["head"] != valid_trace["head"]
    empty_report = rv.verify_export(os.path.join(out_dir, "exports", "header-only.ndjson"), a_pem)
    empty_trace = {"trace_id": header["trace_id"], "verdict": "UNSUPPORTED", "chain_length": 0, "head": None,
                   "merkle_root": None, "sealed_length": 0, "closed": False, "failing_step_index": None,
                   "failure_kind": None}

    def statement(report, trace):
        return receipt_statement(header, trace, report["verdict"], report["reason"], report["failing_step_index"],
                                 report["failure_kind"], report["authenticity"], verified_at)

    st_valid, st_failed = statement(valid_report, valid_trace), statement(failed_report, failed_trace)
    st_empty = statement(empty_report, empty_trace)
    assert st_empty["subject"] == [] and st_empty["predicate"]["verdict"] == "UNSUPPORTED"

    def envelope_bytes(env):
        return rv.jcs(env) + b"\n"

    def signed(st, key=a_key, **kw):
        return rv.sign_receipt(st, key, **kw)

    files, cases = {}, []

    def case(name, env, description, verified, verdict=None, pubkey="test-key.pub.pem", reason=None):
        data = env if isinstance(env, bytes) else envelope_bytes(env)
        if name in files:
            assert files[name] == data
        files[name] = data
        with open(os.path.join(out_dir, pubkey), "r", encoding="ascii") as f:
            code, got = rv.verify_receipt(data, f.read())
        run_id = header["run_id"] if verified else None
        assert (code, got["verified"], got["verdict"], got["run_id"]) == (0 if verified else 1, verified, verdict,
                                                                         run_id), (name, got)
        if reason:
            assert reason in got["reason"].lower(), (name, got["reason"])
        cases.append({"name": name, "description": description, "file": "receipts/%s.json" % name, "pubkey": pubkey,
                      "verified": verified, "verdict": verdict, "run_id": run_id, "exit_code": 0 if verified else 1,
                      "reason_contains": reason})

    valid_env, failed_env = signed(st_valid), signed(st_failed)
    case("hash-chain", valid_env, "the receipt of exports/valid.ndjson verified with the test key (HASH_CHAIN, "
         "authenticity pubkey), signed by the test key", True, "HASH_CHAIN")
    case("failed", failed_env, "the receipt of exports/changed-step-3.ndjson (FAILED at 2, mismatch; the trace's "
         "head is the one computed over the changed steps), signed by the test key", True, "FAILED")
    case("unsupported-no-steps", signed(st_empty), "the receipt of exports/header-only.ndjson (UNSUPPORTED, no "
         "steps): no head, so no subject", True, "UNSUPPORTED")
    case("signed-by-other-key-other-pubkey", signed(st_valid, b_key), "the HASH_CHAIN statement signed by "
         "other-key, verified with other-key", True, "HASH_CHAIN", pubkey="other-key.pub.pem")
    two = signed(st_valid, b_key)
    two["signatures"] += valid_env["signatures"]
    case("two-signatures", two, "the HASH_CHAIN statement with other-key's signature, then the test key's",
         True, "HASH_CHAIN")

    changed = dict(failed_env)
    changed_st = json.loads(json.dumps(st_failed))
    changed_st["predicate"].update(verdict="HASH_CHAIN", reason=None, failing_step_index=None, failure_kind=None)
    changed["payload"] = base64.b64encode(rv.jcs(changed_st)).decode("ascii")
    case("payload-changed", changed, "the FAILED receipt with its payload's verdict rewritten to HASH_CHAIN "
         "(failure fields null), signature kept", False, reason="no valid signature")
    case("signed-by-other-key", signed(st_valid, b_key), "the HASH_CHAIN statement signed by other-key (its "
         "keyid), verified with the test key", False, reason="no signature with keyid")
    case("other-key-signature-test-keyid", signed(st_valid, b_key, keyid=a_id), "signed by other-key but "
         "labelled with the test key's keyid", False, reason="no valid signature")
    case("wrong-payload-type", signed(st_valid, payload_type="application/json"), "payloadType "
         "application/json (signed with it by the test key)", False, reason="payloadtype")
    wrong_pred = json.loads(json.dumps(st_valid))
    wrong_pred["predicateType"] = "https://slsa.dev/provenance/v1"
    case("wrong-predicate-type", signed(wrong_pred), "predicateType https://slsa.dev/provenance/v1 (signed)",
         False, reason="predicatetype")
    wrong_type = json.loads(json.dumps(st_valid))
    wrong_type["_type"] = "https://in-toto.io/Statement/v0.1"
    case("wrong-statement-type", signed(wrong_type), "_type https://in-toto.io/Statement/v0.1 (signed)",
         False, reason="_type")
    bad_digest = json.loads(json.dumps(st_valid))
    bad_digest["subject"][0]["digest"]["sha256"] = valid_trace["merkle_root"]
    case("subject-digest-not-head", signed(bad_digest), "the subject's sha256 is the Merkle root, not the chain "
         "head of predicate.traces (signed)", False, reason="subjects")
    other_head = json.loads(json.dumps(st_valid))
    other_head["subject"][0]["digest"]["sha256"] = failed_trace["head"]
    case("subject-digest-other-trace-head", signed(other_head), "the subject's sha256 is the head of the changed "
         "trace while predicate.traces has the valid head (signed)", False, reason="subjects")
    bad_name = json.loads(json.dumps(st_valid))
    bad_name["subject"][0]["name"] = header["run_id"]
    case("subject-name-not-origin", signed(bad_name), "the subject's name is the run_id, not the trace's origin "
         "runproof/tenant-acme/<trace_id> (signed)", False, reason="subjects")
    no_subject = json.loads(json.dumps(st_valid))
    no_subject["subject"] = []
    case("subject-missing", signed(no_subject), "no subject although the trace has a head (signed)", False,
         reason="subjects")
    missing = json.loads(json.dumps(st_valid))
    del missing["predicate"]["authenticity"]
    case("predicate-field-missing", signed(missing), "predicate.authenticity removed (signed)", False,
         reason="predicate.authenticity")
    wrong = json.loads(json.dumps(st_valid))
    wrong["predicate"]["traces"][0]["chain_length"] = "6"
    case("predicate-wrong-type", signed(wrong), "predicate.traces[0].chain_length is the string \"6\" (signed)",
         False, reason="chain_length")
    bad_time = json.loads(json.dumps(st_valid))
    bad_time["predicate"]["verified_at"] = "2026-01-03T12:00:00Z"
    case("verified-at-not-timestamp", signed(bad_time), "predicate.verified_at without the six fractional digits "
         "(signed)", False, reason="verified_at")
    unsigned = dict(valid_env, signatures=[])
    case("no-signatures", unsigned, "the HASH_CHAIN envelope with an empty signatures array", False,
         reason="no signature")
    raw_sig = dict(valid_env, signatures=[{"keyid": a_id, "sig": base64.b64encode(a_key.sign(
        rv.jcs(st_valid))).decode("ascii")}])
    case("signature-without-pae", raw_sig, "signed over the payload bytes themselves instead of the DSSE PAE",
         False, reason="no valid signature")
    case("payload-not-base64", dict(valid_env, payload=valid_env["payload"][:-4] + "!!!!"), "a payload whose base64 "
         "ends in !!!!", False, reason="base64")
    write_case_files(os.path.join(out_dir, "receipts"), ".json", files)
    return {"statements": {"hash-chain": st_valid, "failed": st_failed, "unsupported-no-steps": st_empty},
            "cases": cases}


# ---------------------------------------------------------------------------------------
# Hostile step rules (2.2, revised): keys that Unicode normalization equates, numbers a double
# cannot hold exactly, invalid UTF-8
# ---------------------------------------------------------------------------------------

EQUIVALENT_KEYS = ["\u00c5", "\u212b", "A\u030a"]  # precomposed, ANGSTROM SIGN, decomposed


def escaped_json(value):
    """A (non-JCS) JSON text of value with every non-ASCII character \\u-escaped."""
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode("ascii")


def replace_once(data, old, new):
    assert data.count(old) == 1, (old, data.count(old))
    return data.replace(old, new)


def hostile_vectors(out_dir, test_key, test_id):
    cs = CaseSet(out_dir, "hostile")
    genesis_of = {}

    def steps_for(params_of=None):
        out = []
        for i in range(4):
            params = {"n": i, "name": SKILLS[i]}
            if params_of and i in params_of:
                params = params_of[i]
            out.append(make_step(i, SKILLS[i], params=params))
        return out

    def build(header, rows, raw_rows=None, raw_header=None, records=False, seal_rows=None, seal_header=None):
        """An export of `rows`, sealed at 2 and 4 over seal_rows/seal_header (default: the same),
        with raw line bytes substituted for some rows or for the header."""
        seal_rows = seal_rows or rows
        seals = seal_lines(seal_header or header, seal_rows, [2, 4], test_key, test_id)
        chain = rv.compute_chain(seal_header or header, seal_rows)
        leaves = [bytes.fromhex(x) for x in chain["leaves"]]
        lines = [raw_rows[i] if raw_rows and i in raw_rows else r for i, r in enumerate(rows)]
        data = export_file(header, lines, leaf_records(leaves) if records else [], seals)
        if raw_header is not None:
            data = raw_header + data[data.index(b"\n"):]
        return data, chain

    def ok(name, data, chain, header, description, genesis_note=None):
        cs.case(name, name + ".ndjson", data, "HASH_CHAIN", None, None, description, chain_length=4, unsealed=0,
                head=chain["head"], root=chain["merkle_root"])
        genesis_of[name] = rv.genesis_hash(header).hex()

    # 1. Header plans with keys that Unicode normalization equates: three distinct keys.
    three = {key: "key %d" % number for number, key in enumerate(EQUIVALENT_KEYS)}
    h3 = make_header("run-hostile-0001", plan=three)
    assert rv.jcs(h3["plan"]) == '{"A\u030a":"key 2","\u00c5":"key 0","\u212b":"key 1"}'.encode("utf-8")
    rows = steps_for()
    data, chain = build(h3, rows)
    ok("plan-equivalent-keys", data, chain, h3, "the header plan holds the keys U+00C5, U+212B and U+0041 U+030A "
       "(raw UTF-8): three distinct keys, sorted by UTF-16 code units (0x0041, 0x00C5, 0x212B); 4 steps sealed at "
       "2 and 4 by the test key")
    data_escaped, _ = build(h3, rows, raw_header=escaped_json(h3))
    assert data_escaped != data
    ok("plan-equivalent-keys-escaped", data_escaped, chain, h3, "the same trace with the header line written "
       "with \\u escapes (not JCS): the same genesis and the same seals")
    for number, key in enumerate(EQUIVALENT_KEYS):
        header = make_header("run-hostile-0002", plan={key: "one key"})
        data, chain = build(header, rows)
        ok("plan-key-%d" % number, data, chain, header, "the header plan holds only the key %s (value \"one key\"); "
           "the other plan-key-* files differ only in that key and each has its own genesis" % " ".join(
               "U+%04X" % ord(c) for c in key))
    assert len(set(genesis_of[n] for n in ("plan-key-0", "plan-key-1", "plan-key-2"))) == 3

    # 2. A step whose params hold such keys.
    plain = make_header("run-hostile-0003")
    p_rows = steps_for({1: {key: number for number, key in enumerate(EQUIVALENT_KEYS)},
                        2: {"\u212b": 10, "n": 2}})
    data, p_chain = build(plain, p_rows)
    ok("params-equivalent-keys", data, p_chain, plain, "step 1's params hold the keys U+00C5, U+212B and U+0041 "
       "U+030A, step 2's params the key U+212B (raw UTF-8); sealed at 2 and 4")
    raw = {i: escaped_json(p_rows[i]) for i in (1, 2)}
    data, _ = build(plain, p_rows, raw_rows=raw)
    ok("params-equivalent-keys-escaped", data, p_chain, plain, "the same trace with the lines of steps 1 and 2 "
       "written with \\u escapes: the same leaves")

    # 3. One equivalent key changed to another: the steps no longer match the seals.
    changed = list(p_rows)
    changed[2] = dict(p_rows[2], params={"\u00c5": 10, "n": 2})
    data, _ = build(plain, changed, seal_rows=p_rows)
    cs.case("params-key-changed", "params-key-changed.ndjson", data, "FAILED", 2, "mismatch",
            "params-equivalent-keys with step 2's key U+212B replaced by U+00C5 (which a normalizing reader "
            "would take as the same key): the seal at 2 matches, the seal at 4 does not")
    data, _ = build(plain, changed, seal_rows=p_rows, records=True)
    cs.case("params-key-changed-located", "params-key-changed-located.ndjson", data, "FAILED", 2, "changed",
            "the same change in an export with the leaf record (6.3): located at step 2")
    changed1 = list(p_rows)
    changed1[1] = dict(p_rows[1], params={"\u00c5": 1, "\u212b": 0, "A\u030a": 2})
    data, _ = build(plain, changed1, seal_rows=p_rows, records=True)
    cs.case("params-values-moved-between-keys", "params-values-moved-between-keys.ndjson", data, "FAILED", 1,
            "changed", "step 1's values moved between the equivalent keys (U+212B now 0, U+0041 U+030A now 2), "
            "with the leaf record: located at step 1")
    h_key0 = make_header("run-hostile-0002", plan={EQUIVALENT_KEYS[0]: "one key"})
    h_key1 = make_header("run-hostile-0002", plan={EQUIVALENT_KEYS[1]: "one key"})
    data, _ = build(h_key1, rows, seal_header=h_key0)
    cs.case("plan-key-changed", "plan-key-changed.ndjson", data, "FAILED", None, "seal",
            "plan-key-0's seals with the header of plan-key-1 (the plan key U+00C5 replaced by U+212B): another "
            "genesis, so the seals are of another header")
    dup = rv.jcs(p_rows[1]).replace("\"A\u030a\":0,".encode("utf-8"), b"").replace(
        "\"\u212b\":1".encode("utf-8"), b'"\\u00c5":1')
    assert dup.count("\u00c5".encode("utf-8")) == 1 and dup.count(b"\\u00c5") == 1
    data, _ = build(plain, p_rows, raw_rows={1: dup})
    cs.case("params-duplicate-key-raw-and-escaped", "params-duplicate-key-raw-and-escaped.ndjson", data, "FAILED",
            1, "not canonical", "step 1's params hold U+00C5 raw and as \\u00c5: the same key twice",
            reason="duplicate")

    # 4. Numbers a double cannot hold exactly.
    n_rows = steps_for({2: {"big": 9007199254740992, "w": 1.1, "z": 0, "name": SKILLS[2]}})
    n_header = make_header("run-hostile-0004", plan={"budget": 0.1, "goal": "numbers"})
    data, n_chain = build(n_header, n_rows)
    ok("numbers-exact", data, n_chain, n_header, "step 2's params hold 9007199254740992 (2^53), 1.1 and 0; the "
       "header plan holds budget 0.1")
    line2 = rv.jcs(n_rows[2])
    spelled = replace_once(replace_once(line2, b'"w":1.1', b'"w":110e-2'), b'"z":0}', b'"z":-0.0}')
    spelled = replace_once(spelled, b'"big":9007199254740992', b'"big":9.007199254740992e15')
    h_spelled = replace_once(rv.jcs(n_header), b'"budget":0.1', b'"budget":1.0e-1')
    data, _ = build(n_header, n_rows, raw_rows={2: spelled}, raw_header=h_spelled)
    ok("numbers-exact-other-spellings", data, n_chain, n_header, "the same trace with step 2's numbers written "
       "9.007199254740992e15, 110e-2 and -0.0 and the plan's budget 1.0e-1: the same exact values, accepted")
    above = replace_once(line2, b'"big":9007199254740992', b'"big":9007199254740993')
    data, _ = build(n_header, n_rows, raw_rows={2: above})
    cs.case("step-number-above-2-53", "step-number-above-2-53.ndjson", data, "FAILED", 2, "not canonical",
            "numbers-exact with step 2's params.big written 9007199254740993 (2^53 + 1; its double is 2^53, the "
            "sealed value): refused, not rounded", reason="9007199254740993")
    digits = replace_once(line2, b'"w":1.1', b'"w":1.1000000000000000888178419700125232')
    data, _ = build(n_header, n_rows, raw_rows={2: digits})
    cs.case("step-number-more-digits", "step-number-more-digits.ndjson", data, "FAILED", 2, "not canonical",
            "step 2's params.w written 1.1000000000000000888178419700125232 (the double of 1.1 is sealed)",
            reason="not exactly a double")
    line3 = rv.jcs(n_rows[3])
    assert b'"duration_ms":151,' in line3
    underflow = replace_once(line3, b'"duration_ms":151,', b'"duration_ms":1e-400,')
    data, _ = build(n_header, n_rows, raw_rows={3: underflow})
    cs.case("step-number-underflow", "step-number-underflow.ndjson", data, "FAILED", 3, "not canonical",
            "step 3's duration_ms written 1e-400 (it would become 0)", reason="duration_ms")
    overflow = replace_once(line3, b'"duration_ms":151,', b'"duration_ms":1e400,')
    data, _ = build(n_header, n_rows, raw_rows={3: overflow})
    cs.case("step-number-overflow", "step-number-overflow.ndjson", data, "FAILED", 3, "not canonical",
            "step 3's duration_ms written 1e400 (it would become infinity)", reason="duration_ms")
    h_inexact = replace_once(rv.jcs(n_header), b'"budget":0.1', b'"budget":0.1000000000000000055511151231257827')
    data, _ = build(n_header, n_rows, raw_header=h_inexact)
    cs.case("header-number-more-digits", "header-number-more-digits.ndjson", data, "FAILED", None, "not canonical",
            "the header plan's budget written 0.1000000000000000055511151231257827 (the double of 0.1 is what "
            "the seals' genesis covers)", authenticity="unsigned", reason="header")
    h_big = replace_once(rv.jcs(n_header), b'"budget":0.1', b'"budget":12345678901234567')
    data, _ = build(n_header, n_rows, raw_header=h_big)
    cs.case("header-number-above-2-53", "header-number-above-2-53.ndjson", data, "FAILED", None, "not canonical",
            "the header plan's budget written 12345678901234567 (its double is 12345678901234568)",
            authenticity="unsigned", reason="header")

    # 5. Invalid UTF-8, never replaced.
    u_rows = steps_for()
    u_header = make_header("run-hostile-0005", plan={"goal": "invalid utf-8"})
    data, u_chain = build(u_header, u_rows)
    ok("utf8-valid", data, u_chain, u_header, "the trace the invalid UTF-8 cases are taken from")
    name2 = rv.jcs(u_rows[2])
    for label, bad, what in (("ff", b"\xff", "the byte 0xFF"), ("overlong", b"\xc0\xaf", "an overlong '/' (C0 AF)"),
                             ("surrogate", b"\xed\xa0\x80", "an encoded surrogate U+D800 (ED A0 80)"),
                             ("truncated", b"\xe2\x82", "a truncated 3-byte sequence (E2 82)")):
        row = replace_once(name2, b'"name":"llm.summarize"', b'"name":"llm.' + bad + b'summarize"')
        data, _ = build(u_header, u_rows, raw_rows={2: row})
        cs.case("step-invalid-utf8-" + label, "step-invalid-utf8-%s.ndjson" % label, data, "FAILED", 2,
                "not canonical", "step 2's params.name holds %s inside the string: invalid UTF-8 is refused, never "
                "replaced by U+FFFD" % what, reason="utf-8")
    h_bad = replace_once(rv.jcs(u_header), b'"goal":"invalid utf-8"', b'"goal":"invalid \xff utf-8"')
    data, _ = build(u_header, u_rows, raw_header=h_bad)
    cs.case("header-invalid-utf8", "header-invalid-utf8.ndjson", data, "FAILED", None, "not canonical",
            "the header plan's goal holds the byte 0xFF", authenticity="unsigned", reason="utf-8")
    seals = seal_lines(u_header, u_rows, [2, 4], test_key, test_id)
    good_seal = rv.jcs(seals[1])
    bad_seal = replace_once(good_seal, b'"tenant_id":"tenant-acme"', b'"tenant_id":"tenant-\xffacme"')
    data, _ = build(u_header, u_rows)
    data = replace_once(data, good_seal, bad_seal)
    cs.case("seal-invalid-utf8", "seal-invalid-utf8.ndjson", data, "FAILED", None, "seal",
            "the last seal line's tenant_id holds the byte 0xFF: a malformed seal line", authenticity="unsigned")
    bad_len = replace_once(good_seal, b'"chain_length":4,', b'"chain_length":4.0000000000000000001,')
    data, _ = build(u_header, u_rows)
    data = replace_once(data, good_seal, bad_len)
    cs.case("seal-number-more-digits", "seal-number-more-digits.ndjson", data, "FAILED", None, "seal",
            "the last seal line's chain_length written 4.0000000000000000001: a malformed seal line",
            authenticity="unsigned")
    result = cs.result()
    for case in result["cases"]:
        if case["name"] in genesis_of:
            case["genesis"] = genesis_of[case["name"]]
            got = rv.verify_export(os.path.join(out_dir, case["file"]))
            assert got["genesis"] == case["genesis"], case["name"]
    return result


# ---------------------------------------------------------------------------------------
# The tenant log (10.4)
# ---------------------------------------------------------------------------------------

TENANT_LOG_TENANT = "tenant-acme"
TENANT_LOG_LENGTHS = [3, 1, 4, 2, 5]  # steps of the five closed runs, in the order they were closed
ODD_TENANT_LOG_LENGTHS = [2, 3]


def tenant_log_runs(tenant, prefix, lengths, key, kid, first_close):
    """Closed runs of a tenant: (header, steps, seal, closing seal) each, closed one minute apart."""
    runs = []
    for number, length in enumerate(lengths, 1):
        header = make_header("%s-%04d" % (prefix, number), tenant=tenant, plan={"goal": "tenant log run %d" % number})
        steps = [make_step(i, SKILLS[(i + number) % len(SKILLS)], params={"n": i, "run": number})
                 for i in range(length)]
        seal = seal_lines(header, steps, [length], key, kid)[0]
        close = closing_seal_line(header, steps, length, key, kid, first_close + 60 * number)
        runs.append((header, steps, seal, close))
    return runs


def tenant_log_vectors(out_dir, keys):
    (a_key, a_id, a_pem), (b_key, b_id, b_pem) = keys["test"], keys["other"]
    a_raw, b_raw = rv.public_key_raw(a_pem), rv.public_key_raw(b_pem)
    name0 = rv.DEFAULT_KEY_NAME
    test_vkey, other_vkey = rv.vkey(name0, a_raw), rv.vkey(name0, b_raw)
    tenant, origin = TENANT_LOG_TENANT, rv.tenant_log_origin(TENANT_LOG_TENANT)
    runs = tenant_log_runs(tenant, "run-tenant-log", TENANT_LOG_LENGTHS, a_key, a_id, 600)
    entries = [rv.tenant_log_entry(close["seal"]) for _, _, _, close in runs]
    leaves = [rv.tenant_log_leaf(e) for e in entries]
    odd_runs = tenant_log_runs(ODD_TENANT, "run-odd-tenant-log", ODD_TENANT_LOG_LENGTHS, a_key, a_id, 900)
    odd_entries = [rv.tenant_log_entry(close["seal"]) for _, _, _, close in odd_runs]
    odd_leaves = [rv.tenant_log_leaf(e) for e in odd_entries]
    odd_origin = rv.tenant_log_origin(ODD_TENANT)

    files = {}

    def add(name, data):
        if name in files:
            assert files[name] == data, name
        files[name] = data
        return "tenant-log/" + name

    def note(log_tenant, log_leaves, size, key=a_key, extension=None):
        body = rv.tenant_log_checkpoint_body(log_tenant, size, rv.merkle_root(log_leaves[:size]))
        if extension:
            body += (extension + "\n").encode("utf-8")
        return rv.sign_note(body, name0, key)

    notes = {n: note(tenant, leaves, n) for n in range(1, len(leaves) + 1)}
    roots = {n: rv.merkle_root(leaves[:n]).hex() for n in range(0, len(leaves) + 1)}
    log = {
        "tenant_id": tenant, "origin": origin, "key_name": name0, "vkey": test_vkey, "pubkey": "test-key.pub.pem",
        "entries": entries, "canonical_entries": [rv.jcs(e).decode("utf-8") for e in entries],
        "leaves": [x.hex() for x in leaves],
        "roots": [{"size": n, "root": roots[n]} for n in sorted(roots)],
        "checkpoints": [{"size": n, "file": add("checkpoint-at-%d.txt" % n, notes[n].encode("utf-8"))}
                        for n in sorted(notes)],
        "runs": [],
    }
    for header, steps, seal, close in runs:
        export = export_file(header, steps, [], [seal, close])
        log["runs"].append({"run_id": header["run_id"], "trace_id": header["trace_id"], "chain_length": len(steps),
                            "file": add("%s.ndjson" % header["run_id"], export)})
        got = rv._verify_export_data(export, a_pem, True, {}, None, True)
        assert (got["verdict"], got["closed"], got["head"], got["merkle_root"]) == (
            "HASH_CHAIN", True, close["seal"]["head"], close["seal"]["merkle_root"]), got
    odd_notes = {n: note(ODD_TENANT, odd_leaves, n) for n in range(1, len(odd_leaves) + 1)}
    odd_log = {"tenant_id": ODD_TENANT, "origin": odd_origin, "entries": odd_entries,
               "leaves": [x.hex() for x in odd_leaves],
               "checkpoints": [{"size": n, "file": add("odd-tenant-checkpoint-at-%d.txt" % n,
                                                       odd_notes[n].encode("utf-8"))} for n in sorted(odd_notes)]}

    def inclusion(index, note_text, entry=None, log_leaves=leaves, size=None, path=None, extra=None, index_line=None):
        if size is None:
            size = int(note_text.split("\n")[1])
        if path is None:
            path = rv.inclusion_path(log_leaves[:size], index)
        if extra is None:
            extra = rv.jcs(entries[index] if entry is None else entry)
        text = rv.build_tlog_proof(extra, index, path, note_text)
        if index_line is not None:
            text = text.replace("\nindex %d\n" % index, "\n%s\n" % index_line, 1)
        return text.encode("utf-8")

    def consistency(first_note, second_note, path, proof_origin=origin):
        return rv.jcs(rv.build_tenant_log_consistency_proof(proof_origin, first_note, second_note, path)) + b"\n"

    cases = []

    def case(name, data, description, verdict, failing=None, kind=None, vkey=test_vkey, pubkey=None,
             authenticity=None, size=None, merkle_root=None, reason=None, file_name=None):
        tlog = rv.is_tlog_proof(data)
        assert name not in [c["name"] for c in cases], name
        file = add((file_name or name) + (".tlog-proof" if tlog else ".json"), data)
        if authenticity is None:
            authenticity = "pubkey" if (vkey or pubkey) else "unchecked"
        pem = None
        if pubkey:
            with open(os.path.join(out_dir, pubkey), "r", encoding="ascii") as f:
                pem = f.read()
        if tlog:
            got = rv.verify_tlog_proof(data, vkey, pem)
        else:
            assert vkey and not pubkey and rv.is_tenant_log_consistency(data), name
            got = rv.verify_tenant_log_consistency(data, vkey)
        expected = {"verdict": verdict, "failing_step_index": failing, "failure_kind": kind,
                    "authenticity": authenticity}
        assert {k: got[k] for k in expected} == expected, (name, got)
        if verdict == "HASH_CHAIN":
            assert (got["chain_length"], got["merkle_root"]) == (size, merkle_root), (name, got)
        if reason:
            assert reason in got["reason"].lower(), (name, got["reason"])
        cases.append({"name": name, "description": description, "file": file, "vkey": vkey, "pubkey": pubkey,
                      "verdict": verdict, "failing_step_index": failing, "failure_kind": kind,
                      "authenticity": authenticity, "chain_length": size, "merkle_root": merkle_root,
                      "reason_contains": reason})

    at5 = dict(verdict="HASH_CHAIN", size=5, merkle_root=roots[5])
    base = "the tenant log of %s (5 closed runs, tenant-log/checkpoint-at-5.txt, test key, key name runproof)" % tenant

    # Inclusion of a closed run's entry (tlog-proof, 10.1 with a tenant-log entry as extra).
    p2 = inclusion(2, notes[5])
    case("entry-2-at-5", p2, "the entry of run-tenant-log-0003 (index 2) in " + base + ", checked with the test "
         "key's vkey", **at5)
    case("entry-2-at-5-pubkey", p2, "the same proof with --pubkey test-key.pub.pem", vkey=None,
         pubkey="test-key.pub.pem", file_name="entry-2-at-5", **at5)
    case("entry-2-at-5-no-key", p2, "the same proof without a key: inclusion checked, authenticity unchecked",
         vkey=None, file_name="entry-2-at-5", **at5)
    case("entry-0-at-5", inclusion(0, notes[5]), "the first entry (run-tenant-log-0001) in " + base, **at5)
    case("entry-4-at-5", inclusion(4, notes[5]), "the last entry (run-tenant-log-0005) in " + base, **at5)
    case("entry-1-at-2", inclusion(1, notes[2]), "entry 1 against the log's checkpoint at size 2",
         verdict="HASH_CHAIN", size=2, merkle_root=roots[2])
    case("entry-3-at-4", inclusion(3, notes[4]), "entry 3 against the log's checkpoint at size 4",
         verdict="HASH_CHAIN", size=4, merkle_root=roots[4])
    p0 = inclusion(0, notes[1])
    assert b"\nindex 0\n\n" in p0
    case("entry-0-at-1", p0, "entry 0 against the checkpoint at size 1: the root is the leaf, the path is empty",
         verdict="HASH_CHAIN", size=1, merkle_root=roots[1])
    odd_root2 = rv.merkle_root(odd_leaves).hex()
    case("percent-encoded-tenant", inclusion(1, odd_notes[2], entry=odd_entries[1], log_leaves=odd_leaves),
         "entry 1 of the tenant log of %s (origin %s) against its checkpoint at size 2" % (
             json.dumps(ODD_TENANT), odd_origin), verdict="HASH_CHAIN", size=2, merkle_root=odd_root2)
    other_note5 = note(tenant, leaves, 5, key=b_key)
    p_other = inclusion(2, other_note5)
    case("signed-by-other-key", p_other, "entry 2 at 5, the checkpoint signed by other-key under runproof, "
         "checked with the test key's vkey", verdict="FAILED", kind="signature", reason="not signed by the given key")
    case("signed-by-other-key-other-vkey", p_other, "the same proof checked with other-key's vkey",
         vkey=other_vkey, file_name="signed-by-other-key", **at5)

    # Negatives (inclusion).
    changed = dict(entries[2], merkle_root=flip_hex(entries[2]["merkle_root"]))
    case("entry-merkle-root-changed", inclusion(2, notes[5], entry=changed), base + "; entry 2 with its "
         "merkle_root changed (canonical, same path): a rewritten run is not in the log", verdict="FAILED",
         failing=2, kind="mismatch", reason="not included")
    case("entry-chain-length-changed", inclusion(2, notes[5], entry=dict(entries[2], chain_length=3)),
         base + "; entry 2 claims chain_length 3 instead of 4", verdict="FAILED", failing=2, kind="mismatch")
    case("entry-index-changed", inclusion(2, notes[5], index_line="index 3"), base + "; the index line says 3 "
         "(extra and path of entry 2): an entry carries no index, so it is not included at 3", verdict="FAILED",
         failing=3, kind="mismatch")
    bad_path = rv.inclusion_path(leaves, 2)
    bad_path = [bytes([bad_path[0][0] ^ 0x01]) + bad_path[0][1:]] + bad_path[1:]
    case("path-hash-changed", inclusion(2, notes[5], path=bad_path), base + "; entry 2 with the first path hash "
         "one bit flipped", verdict="FAILED", failing=2, kind="mismatch")
    new_leaves = leaves[:2] + leaves[3:]
    new_notes = {n: note(tenant, new_leaves, n) for n in (3, 4)}
    case("removed-run-entry-at-4", inclusion(2, new_notes[4], path=rv.inclusion_path(leaves, 2)),
         "the log rebuilt without entry 2 (run-tenant-log-0003) and signed at size 4: entry 2 with its old path "
         "is not in it", verdict="FAILED", failing=2, kind="mismatch", size=None)
    pretty = json.dumps(entries[2], indent=1, sort_keys=True).encode("utf-8")
    case("entry-not-canonical", inclusion(2, notes[5], extra=pretty), base + "; entry 2 written with indentation "
         "(not JCS)", verdict="FAILED", failing=2, kind="not canonical", reason="canonical")
    case("entry-extra-key", inclusion(2, notes[5], entry=dict(entries[2], closed=True)), base + "; entry 2 with "
         "\"closed\": true added (8 keys)", verdict="FAILED", failing=2, kind="not canonical", reason="keys")
    missing = {k: v for k, v in entries[2].items() if k != "trace_id"}
    case("entry-missing-key", inclusion(2, notes[5], entry=missing), base + "; entry 2 without trace_id",
         verdict="FAILED", failing=2, kind="not canonical", reason="keys")
    case("entry-wrong-format", inclusion(2, notes[5], entry=dict(entries[2], format="runproof/v1")),
         base + "; entry 2 with format runproof/v1", verdict="FAILED", failing=2, kind="not canonical",
         reason="format")
    case("entry-other-tenant", inclusion(2, notes[5], entry=dict(entries[2], tenant_id="tenant-other")),
         base + "; entry 2 with tenant_id tenant-other, whose origin is not the checkpoint's", verdict="FAILED",
         failing=2, kind="not canonical", reason="tenant_id")
    odd_as_acme = inclusion(1, odd_notes[2], entry=dict(odd_entries[1], tenant_id=tenant), log_leaves=odd_leaves)
    case("entry-tenant-not-percent-decoded", odd_as_acme, "entry 1 of the %s log with tenant_id %s: the origin "
         "is compared with enc(tenant_id)" % (json.dumps(ODD_TENANT), tenant), verdict="FAILED", failing=1,
         kind="not canonical", reason="tenant_id")
    step_header, step_rows, step_seal, _ = runs[0]
    case("step-as-entry", inclusion(0, notes[5], extra=rv.jcs(step_rows[0])), base + "; extra is step 0 of "
         "run-tenant-log-0001 (a step object, not a tenant-log entry)", verdict="FAILED", failing=0,
         kind="not canonical", reason="tenant-log entry")
    trace_note = rv.sign_note(rv.checkpoint_body(step_seal["seal"]), name0, a_key)
    trace_leaves = [rv.step_leaf(x) for x in step_rows]
    case("entry-against-trace-checkpoint", inclusion(0, trace_note, entry=entries[0], log_leaves=trace_leaves),
         "the tenant-log entry of run-tenant-log-0001 against that run's own trace checkpoint (origin runproof/...): "
         "not a step object", verdict="FAILED", failing=0, kind="not canonical", reason="step object")
    ext_note = note(tenant, leaves, 5, extension="runproof-head " + entries[4]["head"])
    case("checkpoint-with-extension", inclusion(2, ext_note), base + "; the checkpoint at 5 with an extension "
         "line runproof-head (signed with it): a tenant-log checkpoint has none", verdict="FAILED",
         kind="not canonical", reason="extension")
    root5_b64 = base64.b64encode(bytes.fromhex(roots[5])).decode("ascii")
    root4_b64 = base64.b64encode(bytes.fromhex(roots[4])).decode("ascii")
    case("checkpoint-root-changed", inclusion(2, notes[5].replace(root5_b64, root4_b64), size=5),
         base + "; the checkpoint's root replaced by the root at 4, signature kept", verdict="FAILED",
         kind="signature", reason="invalid signature")

    # Consistency proofs (10.4).
    def cons(m, n, log_leaves=leaves):
        return rv.consistency_path(log_leaves[:n], m)

    for m, n in ((1, 5), (2, 5), (3, 5), (4, 5), (3, 3), (1, 2)):
        what = "the log at size %d extends its checkpoint at size %d" % (n, m)
        if m == n:
            what = "sizes %d and %d: the path is empty and the roots equal" % (m, n)
        case("consistency-%d-%d" % (m, n), consistency(notes[m], notes[n], cons(m, n)),
             "tenant-log/checkpoint-at-%d.txt to checkpoint-at-%d.txt (signed by the test key): %s" % (m, n, what),
             verdict="HASH_CHAIN", size=n, merkle_root=roots[n])
    case("consistency-odd-tenant-1-2", consistency(odd_notes[1], odd_notes[2], cons(1, 2, odd_leaves), odd_origin),
         "the tenant log of %s from size 1 to 2 (percent-encoded origin)" % json.dumps(ODD_TENANT),
         verdict="HASH_CHAIN", size=2, merkle_root=odd_root2)
    both_other = consistency(note(tenant, leaves, 2, key=b_key), other_note5, cons(2, 5))
    case("consistency-other-key-other-vkey", both_other, "2 to 5 with both checkpoints signed by other-key, "
         "checked with other-key's vkey", vkey=other_vkey, verdict="HASH_CHAIN", size=5, merkle_root=roots[5])

    # A run removed: the log rebuilt without entry 2, signed again at sizes 3 and 4.
    case("removed-run-3-to-4", consistency(notes[3], new_notes[4], cons(3, 4, new_leaves)),
         "the old signed checkpoint at size 3 (entries 0, 1, 2) to a new signed checkpoint at size 4 of the log "
         "rebuilt without entry 2 (entries 0, 1, 3, 4), with the path of the rebuilt log: the old root at 3 is not "
         "a prefix of the new tree", verdict="FAILED", kind="mismatch", reason="does not extend")
    case("removed-run-rebuilt-3-to-4", consistency(new_notes[3], new_notes[4], cons(3, 4, new_leaves)),
         "the rebuilt log's own checkpoints at sizes 3 and 4: consistent with each other (only a checkpoint of "
         "the old log, held by a witness or an auditor, shows the removal)", verdict="HASH_CHAIN", size=4,
         merkle_root=rv.merkle_root(new_leaves[:4]).hex())
    rewritten = list(leaves)
    rewritten[1] = rv.tenant_log_leaf(dict(entries[1], head=flip_hex(entries[1]["head"])))
    case("rewritten-entry-1-3-to-5", consistency(notes[3], note(tenant, rewritten, 5), cons(3, 5, rewritten)),
         "the old checkpoint at 3 to a checkpoint at 5 of the log whose entry 1 has another head (signed), with "
         "the path of that log", verdict="FAILED", kind="mismatch")
    path25 = cons(2, 5)
    case("consistency-path-hash-changed", consistency(notes[2], notes[5], [bytes([path25[0][0] ^ 0x01])
                                                                       + path25[0][1:]] + path25[1:]),
         "2 to 5 with the first path hash one bit flipped", verdict="FAILED", kind="mismatch")
    case("consistency-path-hash-removed", consistency(notes[2], notes[5], path25[:-1]), "2 to 5 without the last "
         "path hash", verdict="FAILED", kind="mismatch")
    case("consistency-path-hash-added", consistency(notes[2], notes[5], path25 + [leaves[0]]), "2 to 5 with a hash "
         "appended to the path", verdict="FAILED", kind="mismatch")
    case("consistency-path-of-other-sizes", consistency(notes[2], notes[5], cons(3, 5)),
         "2 to 5 with the path from 3 to 5", verdict="FAILED", kind="mismatch")
    case("consistency-sizes-reversed", consistency(notes[5], notes[3], []),
         "first the checkpoint at 5, second the one at 3", verdict="FAILED", kind="mismatch", reason="larger")
    case("second-signed-by-other-key", consistency(notes[2], other_note5, path25), "2 to 5, the checkpoint at 5 "
         "signed by other-key, checked with the test key's vkey", verdict="FAILED", kind="signature",
         reason="second checkpoint")
    case("first-signed-by-other-key", consistency(note(tenant, leaves, 2, key=b_key), notes[5], path25),
         "2 to 5, the checkpoint at 2 signed by other-key", verdict="FAILED", kind="signature",
         reason="first checkpoint")
    body5 = rv.tenant_log_checkpoint_body(tenant, 5, bytes.fromhex(roots[5])).decode("utf-8")
    case("second-unsigned", consistency(notes[2], body5, path25), "2 to 5, the checkpoint at 5 without its blank "
         "line and signature line", verdict="FAILED", kind="signature", authenticity="unsigned")
    case("mixed-origins", consistency(notes[2], odd_notes[2], cons(1, 2, odd_leaves)), "the checkpoint at 2 of "
         "%s, then the checkpoint at 2 of %s (both signed by the test key)" % (origin, odd_origin),
         verdict="FAILED", kind="seal", reason="different logs")
    case("proof-origin-other-log", consistency(notes[2], notes[5], path25, odd_origin), "2 to 5 of %s, the proof's "
         "origin says %s" % (origin, odd_origin), verdict="FAILED", kind="seal", reason="different logs")
    ext2, ext5 = (note(tenant, leaves, n, extension="runproof-head " + entries[n - 1]["head"]) for n in (2, 5))
    case("consistency-checkpoint-with-extension", consistency(ext2, ext5, path25), "2 to 5, both checkpoints "
         "with an extension line (signed with it): a tenant-log checkpoint has none", verdict="FAILED",
         kind="not canonical", reason="extension")
    good = rv.build_tenant_log_consistency_proof(origin, notes[2], notes[5], path25)
    case("malformed-path-not-hex", rv.jcs(dict(good, path=[path25[0].hex().upper()] + [h.hex() for h in path25[1:]]))
         + b"\n", "2 to 5 with the first path hash in uppercase hex", verdict="FAILED", kind="not canonical",
         reason="path")
    case("malformed-no-path", rv.jcs({k: v for k, v in good.items() if k != "path"}) + b"\n", "2 to 5 without "
         "the path member", verdict="FAILED", kind="not canonical", reason="malformed")
    trace_origin = rv.checkpoint_origin(step_header["tenant_id"], step_header["trace_id"])
    case("proof-origin-trace-origin", consistency(notes[2], notes[5], path25, trace_origin),
         "2 to 5 with the proof's origin %s (a trace's origin)" % trace_origin, verdict="FAILED",
         kind="seal", reason="different logs")
    trace_notes = [rv.sign_note(rv.checkpoint_body(x["seal"]), name0, a_key)
                   for x in seal_lines(step_header, step_rows, [2, 3], a_key, a_id)]
    case("trace-checkpoints", consistency(trace_notes[0], trace_notes[1], rv.consistency_path(trace_leaves, 2),
                                          trace_origin),
         "a consistency proof in this format between two signed checkpoints of run-tenant-log-0001's own trace "
         "(origin %s, sizes 2 and 3): not a tenant log" % trace_origin, verdict="FAILED", kind="not canonical",
         reason="not a tenant-log origin")

    directory = os.path.join(out_dir, "tenant-log")
    by_suffix = {}
    for name, data in files.items():
        for suffix in (".tlog-proof", ".json", ".ndjson", ".txt"):
            if name.endswith(suffix):
                by_suffix.setdefault(suffix, {})[name[:-len(suffix)]] = data
    for suffix in (".tlog-proof", ".json", ".ndjson", ".txt"):
        write_case_files(directory, suffix, by_suffix.get(suffix, {}))
    return {"log": log, "odd_tenant_log": odd_log, "cases": cases}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "Vectors"))
    args = parser.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    test_key, test_id = ensure_key(out, "test-key")
    other_key, other_id = ensure_key(out, "other-key")
    third_key, third_id = ensure_key(out, "third-key")

    write_text(os.path.join(out, "jcs.json"), dumps(jcs_vectors()))
    write_text(os.path.join(out, "numbers.json"), dumps(number_vectors()))
    write_text(os.path.join(out, "merkle.json"), dumps(merkle_vectors()))
    write_text(os.path.join(out, "chain.json"), dumps(chain_vectors()))
    write_text(os.path.join(out, "seals.json"), dumps(seal_vectors(test_key, test_id, other_key)))
    write_text(os.path.join(out, "legacy.json"), dumps(legacy_vectors()))
    write_text(os.path.join(out, "exports.json"),
               dumps(export_vectors(out, test_key, test_id, other_key, other_id)))
    write_text(os.path.join(out, "merkle-proofs.json"), dumps(merkle_proof_vectors()))
    write_text(os.path.join(out, "proofs.json"),
               dumps(proof_vectors(out, test_key, test_id, other_key, other_id)))
    write_text(os.path.join(out, "bundles.json"),
               dumps(bundle_vectors(out, test_key, test_id, other_key, other_id)))
    keys = {}
    for name, (key, kid) in (("test", (test_key, test_id)), ("other", (other_key, other_id)),
                             ("third", (third_key, third_id))):
        with open(os.path.join(out, "%s-key.pub.pem" % name), "r", encoding="ascii") as f:
            keys[name] = (key, kid, f.read())
    write_text(os.path.join(out, "locate.json"), dumps(locate_vectors(out, test_key, test_id)))
    write_text(os.path.join(out, "closed.json"), dumps(closed_vectors(out, test_key, test_id)))
    write_text(os.path.join(out, "keyring.json"), dumps(keyring_vectors(out, keys)))
    write_text(os.path.join(out, "checkpoints.json"), dumps(checkpoint_vectors(out, keys)))
    witnesses = witness_keys()
    write_text(os.path.join(out, "tlog-proofs.json"), dumps(tlog_proof_vectors(out, keys, witnesses)))
    write_text(os.path.join(out, "cosignatures.json"), dumps(cosignature_vectors(out, keys, witnesses)))
    write_text(os.path.join(out, "receipts.json"), dumps(receipt_vectors(out, keys)))
    write_text(os.path.join(out, "hostile.json"), dumps(hostile_vectors(out, test_key, test_id)))
    write_text(os.path.join(out, "tenant-log.json"), dumps(tenant_log_vectors(out, keys)))
    print("wrote vectors to %s (test key_id %s)" % (out, test_id))


if __name__ == "__main__":
    main()
