#!/usr/bin/env python3
"""Builds kmsj's bundled product catalog from the research files in the repository.

Usage: build-catalog.py [--catalog DIR] [--out FILE]

Reads DIR/kms-catalog.json (peer databases: applications, KMS counted IDs,
CSVLKs, SKUs, host builds) and DIR/coverage.json (which KMS counted IDs each
host-key group activates, with confidence and sources), by default from
kms-core/src/test/resources/catalog (README.md there), and writes the
resource kms-core/src/main/resources/io/github/kmsj/core/catalog/kms-catalog.json
(or stdout with --out -). The format is described in the package Javadoc of
io.github.kmsj.core.catalog and in README.md beside the resource.

Python 3 standard library only. The output is deterministic: same inputs, same
bytes. CatalogGeneratorTest runs this script and compares its output with the
committed resource, so any drift fails the build.

Derivation rules (each one is a judgment call, kept here so it can be reviewed):
- KMS counted IDs are the union of both files. Names come from coverage.json
  (more precise; it distinguishes real IDs from py-kms placeholders); the peer
  database's name is kept as an alias unless the ID is synthetic, so that a
  placeholder never captures a product name.
- For the IDs that only coverage.json knows, the N policy and protocol are not
  published by any peer: N is 5 for Office and for names containing "Server",
  25 otherwise (docs/PROTOCOL.md section 10), protocol 6. They are marked with
  "policySource": "inferred".
- A few hand-picked aliases (ALIASES below) make CLI lookups such as
  --product "Windows 10" unambiguous.
- Host keys of a group are the CSVLKs coverage.json names, with group id, key-id
  range and release date from kms-catalog.json. The catalog holds the ID
  fe27276b twice (2012 R2 lab and 2012 lab key); the entry whose normalised
  name best matches the group id is taken.
- Dates are ISO dates (the time of day in the peer data is always midnight UTC).
"""

import argparse
import json
import os
import re
import sys

FORMAT = "kmsj-catalog/1"
# The bundled catalog's version (ProductCatalog.version()); raise it whenever the research files
# change what the catalog says. The digest (ProductCatalog.digest()) identifies the exact content.
VERSION = "2025.1"

WINDOWS = "55c92734-d682-4d71-983e-d6ec3f16059f"

# Extra names for findProductByName; exact matches on these resolve a CLI --product.
ALIASES = {
    "58e2134f-8e11-4d17-9cb2-91069c151148": ["Windows 10", "Windows 11"],
    "a8973cb5-bf03-0a4c-9cef-703099645ab3": ["Office 2024"],
    "86d50b16-4808-41af-b83b-b338274318b2": ["Office 2021"],
    "7ba0bf23-d0f5-4072-91d9-d55af5a481b6": ["Windows 10 China Government", "Windows 11 China Government"],
}

APPLICATION_NAMES = {
    # The peer database calls Office 2010 "Office 14 (2010)"; keep its names.
}


def fail(msg):
    raise SystemExit("build-catalog: " + msg)


def date_only(value):
    if value is None:
        return None
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T00:00:00Z", value)
    if not m:
        fail("unexpected date form: %r" % value)
    return m.group(1)


def protocol_major(text):
    m = re.fullmatch(r"(\d+)\.0", text)
    if not m:
        fail("unexpected protocol: %r" % text)
    return int(m.group(1))


def normalised(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


def pick_csvlk(candidates, group_id):
    if len(candidates) == 1:
        return candidates[0]
    key = normalised(group_id)
    matching = [c for c in candidates if key in normalised(c["name"])] or candidates
    return min(matching, key=lambda c: (len(normalised(c["name"])), c["name"]))


def build(catalog):
    with open(os.path.join(catalog, "kms-catalog.json"), encoding="utf-8") as f:
        cat = json.load(f)
    with open(os.path.join(catalog, "coverage.json"), encoding="utf-8") as f:
        cov = json.load(f)

    applications = [{"id": a["id"], "name": a["name"]} for a in cat["applications"]]
    app_ids = {a["id"] for a in applications}

    cat_ids = {k["id"]: k for k in cat["kmsCountedIds"]}
    cov_ids = {k["id"]: k for k in cov["kmsCountedIds"]}
    products = []
    for kid in list(cat_ids) + [i for i in cov_ids if i not in cat_ids]:
        c = cat_ids.get(kid)
        v = cov_ids.get(kid)
        if v is None:
            fail("KMS counted ID %s is not in coverage.json" % kid)
        app = v["applicationId"]
        if c is not None and c["applicationId"] != app:
            fail("application of %s differs between the files" % kid)
        if app not in app_ids:
            fail("unknown application %s for %s" % (app, kid))
        synthetic = v["guidStatus"] == "synthetic"
        aliases = []
        if c is not None and c["name"] != v["name"] and not synthetic:
            aliases.append(c["name"])
        aliases += [a for a in ALIASES.get(kid, []) if a not in aliases]
        if c is not None:
            n, proto, policy_source = c["minimumClients"], protocol_major(c["defaultProtocol"]), "peer-data"
            retail, preview = c["isRetail"], c["isPreview"]
            if bool(c["syntheticId"]) != synthetic:
                fail("synthetic flag of %s differs between the files" % kid)
        else:
            office = app != WINDOWS
            n = 5 if office or "Server" in v["name"] else 25
            proto, policy_source = 6, "inferred"
            retail, preview = False, False
        products.append({
            "id": kid,
            "name": v["name"],
            "aliases": aliases,
            "applicationId": app,
            "requiredClientCount": n,
            "protocolMajorVersion": proto,
            "policySource": policy_source,
            "guidStatus": v["guidStatus"],
            "retail": retail,
            "preview": preview,
        })
    product_ids = {p["id"] for p in products}

    csvlks_by_id = {}
    for k in cat["csvlks"]:
        if k["id"] is not None:
            csvlks_by_id.setdefault(k["id"], []).append(k)
    build_numbers = {b["build"] for b in cat["hostBuilds"]}

    groups = []
    for g in cov["groups"]:
        if g["applicationId"] not in app_ids:
            fail("group %s: unknown application" % g["id"])
        host_keys = []
        for ref in g["csvlks"]:
            if ref["id"] not in csvlks_by_id:
                fail("group %s: CSVLK %s is not in kms-catalog.json" % (g["id"], ref["id"]))
            k = pick_csvlk(csvlks_by_id[ref["id"]], g["id"])
            if k["groupId"] != ref["catalogGroupId"]:
                fail("group %s: CSVLK %s group id differs" % (g["id"], ref["id"]))
            key = {
                "csvlkId": ref["id"],
                "name": k["name"],
                "role": ref["role"],
                "groupId": k["groupId"],
                "keyIdRange": None if k["minKeyId"] is None else [k["minKeyId"], k["maxKeyId"]],
                "releaseDate": date_only(k["releaseDate"]),
            }
            if "note" in ref:
                key["note"] = ref["note"]
            host_keys.append(key)
        key_ids = {k["csvlkId"] for k in host_keys}
        for b in g["hostBuilds"]:
            if b not in build_numbers:
                fail("group %s: host build %d is not in kms-catalog.json" % (g["id"], b))
        activates = []
        for a in g["activates"]:
            if a["kmsCountedId"] not in product_ids:
                fail("group %s: unknown KMS counted ID %s" % (g["id"], a["kmsCountedId"]))
            entry = {
                "kmsCountedId": a["kmsCountedId"],
                "name": a["name"],
                "confidence": a["confidence"],
                "source": {f: a["source"][f] for f in ("ref", "url", "path", "row", "item") if a["source"].get(f) is not None},
            }
            if "csvlks" in a:
                for k in a["csvlks"]:
                    if k not in key_ids:
                        fail("group %s: %s names CSVLK %s outside the group" % (g["id"], a["kmsCountedId"], k))
                entry["onlyHostKeys"] = a["csvlks"]
            if "basis" in a:
                entry["basis"] = a["basis"]
            activates.append(entry)
        groups.append({
            "id": g["id"],
            "name": g["displayName"],
            "applicationId": g["applicationId"],
            "hostKind": g["hostKind"],
            "hostKeys": host_keys,
            "hostBuilds": g["hostBuilds"],
            "hostBuildsInferred": g.get("hostBuildsInferred", []),
            "activates": activates,
            "doesNotActivate": [{"kmsCountedId": d["kmsCountedId"], "reason": d["reason"]} for d in g.get("doesNotActivate", [])],
        })

    skus = []
    for s in cat["skus"]:
        if s["kmsCountedId"] not in product_ids:
            fail("SKU %s: unknown KMS counted ID" % s["id"])
        skus.append({"skuId": s["id"], "name": s["name"], "kmsCountedId": s["kmsCountedId"], "gvlk": s["gvlk"]})

    host_builds = [{
        "build": b["build"],
        "name": b["name"],
        "platformId": b["platformId"],
        "releaseDate": date_only(b["releaseDate"]),
        "useForEpid": b["useForEpid"],
        "mayBeServer": b["mayBeServer"],
        "usesNdr64": b["usesNdr64"],
    } for b in cat["hostBuilds"]]

    return {
        "format": FORMAT,
        "version": VERSION,
        "generatedBy": "tools/catalog/build-catalog.py from shared/catalog/kms-catalog.json and shared/catalog/coverage.json; do not edit by hand",
        "derivedFrom": [cat["source"], cov["format"]],
        "notes": cov["notes"],
        "sources": cov["sources"],
        "applications": applications,
        "kmsCountedIds": products,
        "hostKeyGroups": groups,
        "skus": skus,
        "hostBuilds": host_builds,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default=os.path.join(
        root, "kms-core", "src", "test", "resources", "catalog"))
    parser.add_argument("--out", default=os.path.join(
        root, "kms-core", "src", "main", "resources", "io", "github", "kmsj", "core", "catalog", "kms-catalog.json"))
    args = parser.parse_args()
    text = json.dumps(build(args.catalog), indent=2, ensure_ascii=False) + "\n"
    if args.out == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
