#!/usr/bin/env python3
"""json_corpus.py BASE TOKEN DIR - sends every body of the JSON corpus (tests/data/json,
named like JSONTestSuite: y_ valid, n_ invalid, i_ either) to POST people and PATCH
people/1 and prints one line per check: "PASS name" or "FAIL name: why".

  n_ (malformed): 400 within one second, a JSON error whose code is a syntax code.
  y_ (valid): parsed - answered without a syntax code (stored, or refused for what
      the fields hold), unless CHOICES names it: valid JSON refused by documented
      choice (doc/http.md), with that code.
  i_ (either): answered within one second, 2xx or 4xx with a JSON error (never 5xx).

"Within one second": or, on a machine too loaded (or a store too slow) for an
ordinary request to answer in a second, within 3 times what a plain body sent the
same way takes just then (said on the line): a body that makes the parser loop
costs far more than an ordinary request, whatever the load.
"""
import json, os, sys, time, urllib.request, urllib.error

SYNTAX = {"malformed_json", "invalid_utf8", "nul_character", "number_out_of_range", "duplicate_key"}
# valid JSON the API refuses by documented choice (doc/http.md, "Request bodies")
CHOICES = {
    "y_structure_lonely_string": "wrong_type",      # a body is an object
    "y_structure_lonely_int": "wrong_type",
    "y_structure_lonely_true": "wrong_type",
    "y_structure_lonely_null": "wrong_type",
    "y_structure_lonely_negative_real": "wrong_type",
    "y_structure_array_of_object": "wrong_type",
    "y_structure_empty_array": "wrong_type",
    "y_object_duplicated_key": "duplicate_key",     # which value would count?
    "y_object_duplicated_key_same_value": "duplicate_key",
    "y_string_null_escape": "nul_character",        # \u0000 is refused in text
    "y_object_key_null_escape": "nul_character",
    "y_number_real_for_text": "wrong_type",         # a field takes its own JSON type
    "y_number_exponent_for_text": "wrong_type",
    "y_object_type_true_for_name": "wrong_type",
    "y_object_type_int_for_name": "wrong_type",
    "y_object_type_array_for_name": "wrong_type",
    "y_object_type_object_for_name": "wrong_type",
}

base, token, folder = sys.argv[1:4]
counts = {"y": 0, "n": 0, "i": 0}


def send(method, path, body):
    req = urllib.request.Request(base + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    t = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    except Exception as e:  # no answer at all: the failure this corpus exists to catch
        return None, str(e).encode(), time.monotonic() - t
    return status, text, time.monotonic() - t


PLAIN = {"POST": b'{"full_name":"Plain Body"}', "PATCH": b'{"phone":"+90 555 000 0000"}'}


def too_slow(method, path, secs):
    """None when secs is within one second, or within 3 times a plain body's time now"""
    if secs <= 1.0:
        return None
    plain = min(send(method, path, PLAIN[method])[2] for _ in range(2))
    if secs <= 3 * plain:
        return None
    return f"took {secs:.2f} s (a plain body: {plain:.2f} s)"


def error_code(text):
    try:
        return json.loads(text.decode("utf-8"))["error"]["code"]
    except Exception:
        return None


for name in sorted(os.listdir(folder)):
    if not name.endswith(".json"):
        continue
    stem, kind = name[:-5], name[0]
    body = open(os.path.join(folder, name), "rb").read()
    counts[kind] += 1
    for method, path in (("POST", "/orgs/miners/people"), ("PATCH", "/orgs/miners/people/1")):
        status, text, secs = send(method, path, body)
        label = f"{method} {stem}"
        code = error_code(text) if status and status >= 400 else None
        why = None
        if status is None:
            why = "no response: " + text.decode(errors="replace")[:100]
        elif (slow := too_slow(method, path, secs)):
            why = slow
        elif status >= 500:
            why = f"HTTP {status}"
        elif status >= 400 and code is None:
            why = f"HTTP {status} without a JSON error body: {text[:100]!r}"
        elif kind == "n" and not (status == 400 and code in SYNTAX):
            why = f"HTTP {status} {code}, expected 400 with one of {sorted(SYNTAX)}"
        elif kind == "y" and stem in CHOICES and code != CHOICES[stem]:
            why = f"HTTP {status} {code}, expected the documented refusal {CHOICES[stem]}"
        elif kind == "y" and stem not in CHOICES and code in SYNTAX:
            why = f"valid JSON refused as {code}: {text[:150]!r}"
        print(f"FAIL {label}: {why}" if why else f"PASS {label} ({status}{' ' + code if code else ''})")
print(f"# corpus: {counts['y']} y_, {counts['n']} n_, {counts['i']} i_ files")
