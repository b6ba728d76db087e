"""The verifier on its own: every vector file re-derived, and verdicts on vector exports."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
VERIFIER = os.path.join(os.path.dirname(HERE), "runproof_verify.py")
VECTORS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "Vectors")


def run(*args):
    return subprocess.run([sys.executable, VERIFIER] + list(args), capture_output=True, text=True)


class VectorTests(unittest.TestCase):
    def test_every_vector_is_rederived(self):
        result = run("vectors", VECTORS)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(" 0 mismatches", result.stdout)

    def test_a_valid_export_verifies_and_a_changed_one_fails(self):
        pubkey = os.path.join(VECTORS, "test-key.pub.pem")
        cases = json.load(open(os.path.join(VECTORS, "closed.json")))["cases"]
        expected = {c["name"]: c for c in cases}
        for name, exit_code in (("closed", 0), ("duplicate-seal", 1), ("seals-out-of-order", 1)):
            case = expected[name]
            result = run("export", os.path.join(VECTORS, case["file"]), "--pubkey", pubkey)
            self.assertEqual(result.returncode, exit_code, result.stdout + result.stderr)
            self.assertEqual(json.loads(result.stdout)["verdict"], case["verdict"])

    def test_an_unreadable_file_is_not_verified(self):
        result = run("export", os.path.join(HERE, "no-such-file.ndjson"))
        self.assertNotEqual(result.returncode, 0)


if __name__ == "__main__":
    unittest.main()
